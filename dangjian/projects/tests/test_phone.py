"""The cadre's phone pages (/m/): their own sign-in (the back office's form, backend and audit),
the shared layout with the cadre's name and the sign-out, and 我的问题: the open problems the
cadre owns or that are on their projects, each with its timeline, progress and solving."""

import pytest

from dangjian.audit.models import AuditEntry
from dangjian.core.testing.english import english_words
from dangjian.projects import services
from dangjian.projects.models import ProblemEvent, ProblemStatus
from dangjian.testing.factories import PASSWORD, make_user

from .factories import ONE_DAY, make_cadre, make_problem, make_project, today

pytestmark = pytest.mark.django_db

LOGIN = "/m/login/"
PROBLEMS = "/m/problems/"


@pytest.fixture
def cadre():
    cadre = make_cadre("王问题", phone="13900000077")
    cadre.user.set_password(PASSWORD)
    cadre.user.save()
    return cadre


@pytest.fixture
def project(cadre):
    return make_project("秦岭数据中心", cadres=[cadre])


def page_of(response) -> str:
    return response.content.decode()


def no_english(response, user=None):
    """No English on the page (the login name is data)."""
    return english_words(page_of(response), {user.username} if user else set()) == []


# -- signing in and out -------------------------------------------------------------------------------
@pytest.mark.parametrize("url", ["/m/daily/", PROBLEMS, f"{PROBLEMS}1/"])
def test_a_visitor_not_signed_in_is_sent_to_the_phone_sign_in_and_back(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == f"{LOGIN}?next={url}"


def test_the_phone_sign_in_page_is_in_chinese_and_fits_a_phone(client):
    response = client.get(LOGIN)
    assert response.status_code == 200
    page = page_of(response)
    assert 'name="viewport"' in page and "包抓干部登录" in page
    assert no_english(response)


def test_signing_in_leads_to_the_page_asked_for_and_is_audited(client, cadre, project):
    response = client.post(LOGIN, {"username": cadre.user.username, "password": PASSWORD, "next": PROBLEMS})
    assert response.status_code == 302
    assert response["Location"] == PROBLEMS
    login = AuditEntry.objects.get(action=AuditEntry.Action.LOGIN)
    assert (login.actor, login.message) == (cadre.user, "登录成功")


def test_signing_in_without_a_page_asked_for_leads_to_the_daily_record(client, cadre, project):
    response = client.post(LOGIN, {"username": cadre.user.username, "password": PASSWORD, "next": ""})
    assert response["Location"] == "/m/daily/"


def test_a_page_outside_the_site_is_not_followed_after_signing_in(client, cadre, project):
    response = client.post(
        LOGIN, {"username": cadre.user.username, "password": PASSWORD, "next": "https://example.com/"}
    )
    assert response["Location"] == "/m/daily/"


def test_a_wrong_password_is_refused_in_chinese_and_audited(client, cadre):
    response = client.post(LOGIN, {"username": cadre.user.username, "password": "wrong-password"})
    assert response.status_code == 200
    assert "用户名或密码不正确" in page_of(response)
    assert no_english(response)
    failed = AuditEntry.objects.get(action=AuditEntry.Action.LOGIN_FAILED)
    assert cadre.user.username in failed.message
    assert "_auth_user_id" not in client.session


def test_an_account_without_a_grant_in_force_cannot_sign_in(client):
    user = make_user(None)
    response = client.post(LOGIN, {"username": user.username, "password": PASSWORD})
    assert response.status_code == 200
    assert "该账号没有有效的授权" in page_of(response)
    assert "_auth_user_id" not in client.session


def test_an_inactive_account_cannot_sign_in(client, cadre, project):
    type(cadre.user).objects.filter(pk=cadre.user_id).update(is_active=False)
    response = client.post(LOGIN, {"username": cadre.user.username, "password": PASSWORD})
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_a_signed_in_cadre_opening_the_sign_in_page_goes_on(client, cadre, project):
    client.force_login(cadre.user)
    assert client.get(LOGIN)["Location"] == "/m/daily/"


def test_signing_out_takes_a_post_and_leads_back_to_the_sign_in(client, cadre, project):
    client.force_login(cadre.user)
    assert client.get("/m/logout/").status_code == 405
    response = client.post("/m/logout/")
    assert response.status_code == 302
    assert response["Location"] == LOGIN
    assert AuditEntry.objects.filter(action=AuditEntry.Action.LOGOUT, actor=cadre.user).exists()
    assert client.get("/m/daily/")["Location"] == f"{LOGIN}?next=/m/daily/"


def test_signing_out_needs_the_csrf_token(cadre, project):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(cadre.user)
    assert client.post("/m/logout/").status_code == 403
    assert client.get("/m/daily/").status_code == 200


# -- the layout ---------------------------------------------------------------------------------------
@pytest.mark.parametrize("url", ["/m/daily/", PROBLEMS])
def test_each_phone_page_shows_the_cadre_the_navigation_and_the_sign_out(client, cadre, project, url):
    client.force_login(cadre.user)
    response = client.get(url)
    assert response.status_code == 200
    page = page_of(response)
    assert "王问题" in page
    assert 'href="/m/daily/"' in page and ">日纪实<" in page
    assert 'href="/m/problems/"' in page and ">我的问题<" in page
    assert 'action="/m/logout/"' in page and "退出" in page and "csrfmiddlewaretoken" in page
    assert no_english(response, cadre.user)


@pytest.mark.parametrize("url", ["/m/daily/", PROBLEMS])
def test_a_user_who_is_no_cadre_is_told_so_in_chinese(client, zone, url):
    user = make_user("zone_admin", organization=zone.root)
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 403
    page = page_of(response)
    assert "您的账号不是包抓干部" in page
    assert 'action="/m/logout/"' in page  # they may still sign out
    assert no_english(response, user)


# -- 我的问题 -------------------------------------------------------------------------------------------
def test_the_list_shows_the_cadres_open_problems_with_number_project_deadline_and_overdue(
    client, cadre, project
):
    helper = make_cadre("李协助")
    other = make_project("别人的项目", cadres=[helper])
    overdue = make_problem(
        project=project, raised=today() - ONE_DAY * 20, deadline=today() - ONE_DAY, number="WT-001"
    )
    due = make_problem(project=project, deadline=today() + ONE_DAY * 5, number="WT-002")
    owned_elsewhere = make_problem(project=other, owner=cadre, number="WT-003", description="别处但由我负责")
    make_problem(project=other, number="WT-004", description="别人的问题")
    closed = make_problem(project=project, number="WT-005", description="已经办结的问题")
    services.problem_solve(actor=None, problem=closed, on=today(), result="已解决")
    client.force_login(cadre.user)
    response = client.get(PROBLEMS)
    assert [p.number for p in response.context["problems"]] == ["WT-001", "WT-002", "WT-003"]
    page = page_of(response)
    assert "别人的问题" not in page and "已经办结的问题" not in page
    assert "秦岭数据中心" in page and "别人的项目" in page
    assert f"{due.deadline:%Y-%m-%d}" in page and f"{overdue.deadline:%Y-%m-%d}" in page
    assert page.count("已逾期") == 2  # the one overdue problem, and the count above the list
    assert "其中 1 个已逾期" in page
    assert f"/m/problems/{owned_elsewhere.pk}/" in page
    assert no_english(response, cadre.user)


def test_the_detail_shows_the_problem_and_its_timeline(client, cadre, project):
    problem = make_problem(project=project, raised=today() - ONE_DAY * 3, deadline=today() - ONE_DAY)
    services.problem_accept(actor=None, problem=problem, on=today() - ONE_DAY * 2)
    client.force_login(cadre.user)
    response = client.get(f"{PROBLEMS}{problem.pk}/")
    assert response.status_code == 200
    page = page_of(response)
    assert problem.description in page and "秦岭数据中心" in page and "已逾期" in page
    assert "提出" in page and "开始办理" in page
    assert "记录办理进展" in page and "标记为已办结" in page
    assert no_english(response, cadre.user)


def test_recording_progress_goes_through_the_service_and_shows_on_the_timeline(client, cadre, project):
    problem = make_problem(project=project, raised=today() - ONE_DAY)
    client.force_login(cadre.user)
    url = f"{PROBLEMS}{problem.pk}/"
    response = client.post(
        url,
        {"step": "progress", "progress-on": today().isoformat(), "progress-note": "已协调供电公司现场查勘"},
    )
    assert response.status_code == 302 and response["Location"] == url
    problem.refresh_from_db()
    assert problem.status == ProblemStatus.IN_PROGRESS
    event = problem.events.get(kind=ProblemEvent.Kind.PROGRESS)
    assert (event.note, event.actor, event.on) == ("已协调供电公司现场查勘", cadre.user, today())
    page = page_of(client.get(url))
    assert "已记录办理进展" in page and "已协调供电公司现场查勘" in page and "王问题" in page


def test_marking_solved_goes_through_the_service_and_leaves_the_list(client, cadre, project):
    problem = make_problem(project=project, raised=today() - ONE_DAY)
    client.force_login(cadre.user)
    url = f"{PROBLEMS}{problem.pk}/"
    response = client.post(url, {"step": "solve", "solve-on": today().isoformat(), "solve-result": "已通电"})
    assert response["Location"] == url
    problem.refresh_from_db()
    assert (problem.status, problem.closed_on, problem.result) == (ProblemStatus.SOLVED, today(), "已通电")
    page = page_of(client.get(url))
    assert "问题已办结" in page and "已办结" in page and "记录办理进展" not in page
    assert list(client.get(PROBLEMS).context["problems"]) == []


def test_a_refused_step_shows_the_services_reason_and_changes_nothing(client, cadre, project):
    problem = make_problem(project=project, raised=today() - ONE_DAY)
    client.force_login(cadre.user)
    url = f"{PROBLEMS}{problem.pk}/"
    tomorrow = (today() + ONE_DAY).isoformat()
    response = client.post(url, {"step": "solve", "solve-on": tomorrow, "solve-result": "提前办结"})
    assert response.status_code == 200
    assert "日期不能晚于今天" in page_of(response)
    response = client.post(url, {"step": "progress", "progress-on": today().isoformat(), "progress-note": ""})
    assert "该字段是必填项" in page_of(response)
    problem.refresh_from_db()
    assert problem.status == ProblemStatus.TODO
    assert list(problem.events.values_list("kind", flat=True)) == [ProblemEvent.Kind.RAISED]


def test_a_problem_the_cadre_does_not_follow_is_not_found(client, cadre, project):
    stranger = make_problem(project=make_project("别人的项目", cadres=[make_cadre("李")]))
    client.force_login(cadre.user)
    assert client.get(f"{PROBLEMS}{stranger.pk}/").status_code == 404
    response = client.post(
        f"{PROBLEMS}{stranger.pk}/",
        {"step": "solve", "solve-on": today().isoformat(), "solve-result": "越权"},
    )
    assert response.status_code == 404
    stranger.refresh_from_db()
    assert stranger.status == ProblemStatus.TODO
