"""The enterprise contact's own portal (/portal/): login, their enterprise's requests only,
submitting with files, following the timeline, resubmitting a returned request, confirming and
rating a closed one, and the visits and events the enterprise took part in."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from dangjian.accounts.models import Grant, Role
from dangjian.partylife import services as partylife_services
from dangjian.partylife.models import ActivityKind
from dangjian.projects.models import ProblemSource
from dangjian.projects.tests.factories import make_cadre, make_problem, make_project
from dangjian.servicedesk import services
from dangjian.servicedesk.models import (
    RequestCategory,
    RequestEvent,
    RequestKind,
    RequestStatus,
    ServiceRequest,
)
from dangjian.testing.factories import PASSWORD, make_user

from .factories import ONE_DAY, accept, category, close, fresh, make_contact, submit, today

pytestmark = pytest.mark.django_db

S = RequestStatus
E = RequestEvent.Kind


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def portal(client, contact):
    client.force_login(contact)
    return client


@pytest.fixture
def mine(zone, cadre):
    return submit(zone.enterprise_a, title="协调用电增容", on=today() - ONE_DAY * 20)


@pytest.fixture
def theirs(zone):
    return submit(zone.enterprise_b, title="申请人才公寓", on=today() - ONE_DAY * 20)


def upload(name="营业执照.pdf", content=b"%PDF-1.4 test"):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def page(response):
    return response.content.decode()


def closed(request):
    accept(request, on=request.submitted_on, handler=None if request.handler_id else make_cadre())
    return close(request, on=request.submitted_on + ONE_DAY)


# -- login ---------------------------------------------------------------------------------------------
def test_an_anonymous_visitor_is_sent_to_the_portal_login(client):
    response = client.get("/portal/")
    assert response.status_code == 302
    assert response["Location"].startswith("/portal/login/")


def test_a_contact_logs_in_at_the_portal_and_lands_on_their_requests(client, contact, mine):
    assert client.get("/portal/login/").status_code == 200
    response = client.post("/portal/login/", {"username": contact.username, "password": PASSWORD})
    assert (response.status_code, response["Location"]) == (302, "/portal/")
    home = client.get("/portal/")
    assert home.status_code == 200
    assert "甲企业" in page(home)
    assert mine.number in page(home)


def test_a_wrong_password_is_refused_in_chinese(client, contact):
    response = client.post("/portal/login/", {"username": contact.username, "password": "wrong-password"})
    assert response.status_code == 200
    assert "用户名或密码不正确" in page(response)
    assert "_auth_user_id" not in client.session


def test_an_account_without_any_grant_cannot_log_in(client):
    user = make_user()
    response = client.post("/portal/login/", {"username": user.username, "password": PASSWORD})
    assert response.status_code == 200
    assert "该账号没有有效的授权" in page(response)


@pytest.mark.parametrize("path", ["/portal/", "/portal/new/", "/portal/visits/"])
def test_a_user_who_is_not_an_enterprise_contact_gets_403(client, zone, cadre, path):
    for user in (cadre.user, make_user("zone_admin", organization=zone.root)):
        client.force_login(user)
        assert client.get(path).status_code == 403


def test_a_user_who_is_not_an_enterprise_contact_cannot_open_a_request_in_the_portal(client, zone, mine):
    client.force_login(make_user("zone_admin", organization=zone.root))
    assert client.get(f"/portal/{mine.pk}/").status_code == 403


# -- their own enterprise only ------------------------------------------------------------------------
def test_the_home_page_lists_the_enterprises_requests_and_not_anothers(portal, mine, theirs):
    response = portal.get("/portal/")
    assert mine.number in page(response) and "协调用电增容" in page(response)
    assert theirs.number not in page(response) and "申请人才公寓" not in page(response)
    assert "联系干部" in page(response)


def test_another_enterprises_request_is_not_found(portal, theirs):
    assert portal.get(f"/portal/{theirs.pk}/").status_code == 404


def test_another_enterprises_request_cannot_be_rated_or_resubmitted_through_the_portal(portal, theirs):
    closed(theirs)
    response = portal.post(f"/portal/{theirs.pk}/", {"rate": "1", "rating": "5"})
    assert response.status_code == 404
    assert fresh(theirs).status == S.CLOSED


def test_a_request_page_shows_its_timeline(portal, mine):
    accept(mine, on=mine.submitted_on + ONE_DAY)
    response = portal.get(f"/portal/{mine.pk}/")
    assert response.status_code == 200
    text = page(response)
    assert mine.number in text
    assert f"{mine.submitted_on:%Y-%m-%d} 提交" in text
    assert f"{mine.submitted_on + ONE_DAY:%Y-%m-%d} 受理" in text
    assert "承办人：王联系" in text


def test_a_contact_of_two_enterprises_switches_between_them(client, zone, mine, theirs):
    contact = make_contact(zone.enterprise_a)
    Grant.objects.create(
        user=contact, role=Role.objects.get(code="enterprise_contact"), enterprise=zone.enterprise_b
    )
    client.force_login(contact)
    first = page(client.get(f"/portal/?enterprise={zone.enterprise_a.pk}"))
    assert mine.number in first and theirs.number not in first
    second = page(client.get(f"/portal/?enterprise={zone.enterprise_b.pk}"))
    assert theirs.number in second and mine.number not in second
    assert client.get(f"/portal/{theirs.pk}/").status_code == 200


# -- submitting -----------------------------------------------------------------------------------------
def test_a_contact_submits_a_request_with_files_and_it_goes_to_the_designated_cadre(
    portal, zone, cadre, contact
):
    response = portal.post(
        "/portal/new/",
        {
            "enterprise": zone.enterprise_a.pk,
            "kind": RequestKind.APPROVAL,
            "category": category("审批代办").pk,
            "title": "代办排污许可",
            "description": "新建车间需要排污许可",
            "files": [upload("环评批复.pdf"), upload("车间平面图.png", b"\x89PNG")],
        },
    )
    request = ServiceRequest.objects.get()
    assert (response.status_code, response["Location"]) == (302, f"/portal/{request.pk}/")
    assert (request.enterprise, request.kind, request.category.name, request.title) == (
        zone.enterprise_a,
        RequestKind.APPROVAL,
        "审批代办",
        "代办排污许可",
    )
    assert (request.status, request.submitted_on, request.submitted_by, request.handler) == (
        S.SUBMITTED,
        today(),
        contact,
        cadre,
    )
    assert sorted(request.files.values_list("name", flat=True)) == ["环评批复.pdf", "车间平面图.png"]
    detail = page(portal.get(response["Location"]))
    assert "环评批复.pdf" in detail
    assert f"受理期限：{request.accept_due:%Y-%m-%d}" in detail


def test_a_request_is_submitted_for_the_contacts_own_enterprise_whatever_the_form_says(portal, zone, cadre):
    portal.post(
        "/portal/new/",
        {
            "enterprise": zone.enterprise_b.pk,
            "kind": RequestKind.DEMAND,
            "category": category().pk,
            "title": "协调周边交通",
            "description": "上下班拥堵",
        },
    )
    assert ServiceRequest.objects.get().enterprise == zone.enterprise_a


def test_submitting_without_a_description_shows_the_error_and_creates_nothing(portal, zone, cadre):
    response = portal.post(
        "/portal/new/",
        {"kind": RequestKind.DEMAND, "category": category().pk, "title": "协调周边交通", "description": ""},
    )
    assert response.status_code == 200
    assert "errorlist" in page(response)
    assert not ServiceRequest.objects.exists()


def test_the_new_request_form_offers_the_active_categories_and_accepts_any_document(portal, cadre):
    RequestCategory.objects.filter(name="其他").update(is_active=False)
    text = page(portal.get("/portal/new/"))
    assert "马上办" in text and "政策咨询" in text
    assert ">其他<" not in text
    # requests come with PDFs and office documents: the file picker is neither images only nor camera only
    assert 'accept="image/*"' not in text
    assert "capture=" not in text


# -- rating ---------------------------------------------------------------------------------------------
def test_a_contact_confirms_and_rates_a_closed_request(portal, mine, contact):
    closed(mine)
    assert "确认并评价" in page(portal.get(f"/portal/{mine.pk}/"))
    response = portal.post(f"/portal/{mine.pk}/", {"rate": "1", "rating": "4", "comment": "办理及时"})
    assert (response.status_code, response["Location"]) == (302, f"/portal/{mine.pk}/")
    request = fresh(mine)
    assert (request.status, request.rating, request.rating_comment, request.confirmed_on) == (
        S.RATED,
        4,
        "办理及时",
        today(),
    )
    assert request.events.last().actor == contact
    assert "您的评价：4 分 办理及时" in page(portal.get(f"/portal/{mine.pk}/"))


def test_a_rating_outside_one_to_five_is_refused_in_the_portal(portal, mine):
    closed(mine)
    response = portal.post(f"/portal/{mine.pk}/", {"rate": "1", "rating": "6"})
    assert response.status_code == 200
    assert "errorlist" in page(response)
    assert (fresh(mine).status, fresh(mine).rating) == (S.CLOSED, None)


def test_an_open_request_cannot_be_rated_in_the_portal(portal, mine):
    response = portal.post(f"/portal/{mine.pk}/", {"rate": "1", "rating": "5"})
    assert response.status_code == 200
    assert "只有已办结的事项可以这样办理" in page(response)
    assert (fresh(mine).status, fresh(mine).rating) == (S.SUBMITTED, None)


# -- resubmitting ---------------------------------------------------------------------------------------
def test_a_contact_resubmits_a_returned_request_with_more_files(portal, mine, contact):
    services.request_return(actor=None, request=fresh(mine), on=mine.submitted_on, reason="请补充营业执照")
    detail = page(portal.get(f"/portal/{mine.pk}/"))
    assert "请补充营业执照" in detail and "重新提交" in detail
    response = portal.post(
        f"/portal/{mine.pk}/", {"resubmit": "1", "note": "已补充营业执照", "files": [upload("营业执照.pdf")]}
    )
    assert response.status_code == 302
    request = fresh(mine)
    assert request.status == S.SUBMITTED
    assert list(request.files.values_list("name", flat=True)) == ["营业执照.pdf"]
    last = request.events.last()
    assert (last.kind, last.on, last.actor) == (E.RESUBMITTED, today(), contact)
    assert last.note.startswith("已补充营业执照；受理期限")


def test_a_request_that_was_not_returned_cannot_be_resubmitted_in_the_portal(portal, mine):
    response = portal.post(f"/portal/{mine.pk}/", {"resubmit": "1", "note": "再交一次"})
    assert response.status_code == 200
    assert "只有已退回的事项可以这样办理" in page(response)
    assert E.RESUBMITTED not in fresh(mine).events.values_list("kind", flat=True)


# -- visits and events -----------------------------------------------------------------------------------
def test_the_visits_page_lists_the_enterprises_activities_with_cadres_and_the_problems_raised(portal, zone):
    wang, li = make_cadre("王走访"), make_cadre("李走访")
    visit = partylife_services.activity_save(
        actor=None,
        name="走访甲企业",
        kind=ActivityKind.ENTERPRISE_VISIT,
        held_on=today() - ONE_DAY * 3,
        enterprises=[zone.enterprise_a],
        cadres=[wang, li],
    )
    make_problem(
        enterprise=zone.enterprise_a,
        source=ProblemSource.VISIT,
        description="用工缺口两百人",
        raised=visit.held_on,
        source_activity=visit,
    )
    partylife_services.activity_save(
        actor=None,
        name="走访乙企业",
        kind=ActivityKind.ENTERPRISE_VISIT,
        held_on=today() - ONE_DAY,
        enterprises=[zone.enterprise_b],
        cadres=[li],
    )
    response = portal.get("/portal/visits/")
    assert response.status_code == 200
    text = page(response)
    assert "走访甲企业" in text
    assert "干部：王走访、李走访" in text or "干部：李走访、王走访" in text
    assert "提出问题：用工缺口两百人（待办）" in text
    assert "走访乙企业" not in text


def test_the_visits_page_without_activities_says_so(portal):
    assert "暂无记录" in page(portal.get("/portal/visits/"))


def test_the_visits_page_shows_only_the_problems_the_enterprise_raised_at_a_shared_event(portal, zone):
    forum = partylife_services.activity_save(
        actor=None,
        name="企业家座谈会",
        kind=ActivityKind.ENTREPRENEUR_FORUM,
        held_on=today() - ONE_DAY * 5,
        enterprises=[zone.enterprise_a, zone.enterprise_b],
        cadres=[make_cadre("王座谈")],
    )
    for enterprise, text in ((zone.enterprise_a, "甲企业融资难"), (zone.enterprise_b, "乙企业用地指标不足")):
        make_problem(
            enterprise=enterprise,
            source=ProblemSource.VISIT,
            description=text,
            raised=forum.held_on,
            source_activity=forum,
        )
    text = page(portal.get("/portal/visits/"))
    assert "企业家座谈会" in text
    assert "甲企业融资难" in text
    assert "乙企业用地指标不足" not in text


def test_the_visits_page_shows_a_problem_of_the_enterprises_project_raised_at_the_visit(portal, zone):
    visit = partylife_services.activity_save(
        actor=None,
        name="项目现场走访",
        kind=ActivityKind.ENTERPRISE_VISIT,
        held_on=today() - ONE_DAY * 2,
        enterprises=[zone.enterprise_a],
    )
    make_problem(
        project=make_project("甲企业新厂区", owner_enterprise=zone.enterprise_a),
        description="新厂区施工许可未批",
        raised=visit.held_on,
        source_activity=visit,
    )
    assert "提出问题：新厂区施工许可未批" in page(portal.get("/portal/visits/"))


def test_an_enterprise_contact_signing_in_to_the_back_office_lands_on_the_portal(client, zone, contact):
    client.force_login(contact)
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"] == "/portal/"


def test_the_portal_shows_the_contact_cadre_and_how_to_reach_them(client, zone, contact, cadre):
    client.force_login(contact)
    page = client.get("/portal/").content.decode()
    assert "本企业的联系干部" in page and cadre.name in page
    assert f'href="tel:{cadre.phone}"' in page


def test_a_user_with_back_office_work_is_not_sent_to_the_portal(client, zone_admin):
    client.force_login(zone_admin)
    assert client.get("/admin/").status_code == 200
