"""本企业人才与创新 in the enterprise portal: a contact sees their enterprise's talents (masked),
innovations, platforms, experts and key projects with the state of each submission; submits a
talent or an innovation (待确认, the talent office told); corrects and resubmits a returned one;
never sees nor changes another enterprise's records."""

import datetime

import pytest

from dangjian.notifications.models import Notification
from dangjian.projects.tests.factories import make_project
from dangjian.servicedesk.tests.factories import make_contact
from dangjian.talent import services
from dangjian.talent.models import Expert, Innovation, InnovationKind, PlatformKind, Review, Talent
from dangjian.talent.tests import factories as f
from dangjian.testing.factories import make_user

pytestmark = pytest.mark.django_db
D = datetime.date
HOME = "/portal/talent/"
NEW_TALENT = "/portal/talent/new/"
NEW_INNOVATION = "/portal/talent/innovation/new/"
ID_A = "11010519491231002X"


@pytest.fixture
def office(zone):
    return make_user("talent_staff", organization=zone.root)


@pytest.fixture
def contact(zone, client):
    user = make_contact(zone.enterprise_a)
    client.force_login(user)
    return user


def talent_url(talent):
    return f"/portal/talent/talents/{talent.pk}/"


def innovation_url(innovation):
    return f"/portal/talent/innovations/{innovation.pk}/"


def test_the_contact_sees_their_enterprises_records_masked_and_not_another_enterprises(client, zone, contact):
    f.talent("张三", id_number=ID_A, phone="13912345678", enterprise=zone.enterprise_a)
    f.talent("乙人才", enterprise=zone.enterprise_b)
    f.platform("甲企业省级研发中心", enterprise=zone.enterprise_a)
    f.platform("乙企业孵化器", kind=PlatformKind.INCUBATOR, enterprise=zone.enterprise_b)
    f.innovation("一种中药提取工艺", enterprise=zone.enterprise_a, patent_number="ZL202510000001")
    f.innovation("乙企业的专利", enterprise=zone.enterprise_b)
    f.innovation("中药现代化关键技术", kind=InnovationKind.KEY_PROJECT, enterprise=zone.enterprise_a)
    f.innovation(
        "共建中药研发中心",
        kind=InnovationKind.COOPERATION,
        universities="西北大学",
        enterprise=zone.enterprise_a,
    )
    services.expert_save(actor=None, name="王院士", enterprise=zone.enterprise_a, topic="中药提取")
    services.expert_save(actor=None, name="乙专家", enterprise=zone.enterprise_b, topic="电池")
    make_project("甲企业扩建项目", owner_enterprise=zone.enterprise_a)
    make_project("乙企业新厂项目", owner_enterprise=zone.enterprise_b)

    response = client.get(HOME)
    assert response.status_code == 200
    page = response.content.decode()
    for shown in (
        "本企业人才与创新",
        "张三",
        "甲企业省级研发中心",
        "一种中药提取工艺",
        "ZL202510000001",
        "中药现代化关键技术",
        "共建中药研发中心",
        "西北大学",
        "王院士",
        "甲企业扩建项目",
        "已确认",
    ):
        assert shown in page, shown
    for hidden in ("乙人才", "乙企业孵化器", "乙企业的专利", "乙专家", "乙企业新厂项目"):
        assert hidden not in page, hidden
    # the ID number and phone only masked
    assert ID_A not in page and "13912345678" not in page
    talent = Talent.objects.get(name="张三")
    masked_id = talent._meta.get_field("id_number").masked(ID_A)
    assert masked_id in page and masked_id != ID_A


def test_another_enterprise_asked_for_by_its_number_shows_the_contacts_own(client, zone, contact):
    f.talent("乙人才", enterprise=zone.enterprise_b)
    page = client.get(f"{HOME}?enterprise={zone.enterprise_b.pk}").content.decode()
    assert "甲企业" in page and "乙人才" not in page


def test_each_submission_shows_its_state_and_the_reason_it_was_returned(client, zone, contact, office):
    f.innovation("待确认的专利", actor=contact, enterprise=zone.enterprise_a)
    returned = f.innovation("被退回的专利", actor=contact, enterprise=zone.enterprise_a)
    services.submission_return(actor=office, record=returned, reason="专利号与证书不符")
    confirmed = f.talent("已确认的人才", actor=contact, enterprise=zone.enterprise_a)
    services.submission_confirm(actor=office, record=confirmed)
    page = client.get(HOME).content.decode()
    assert "待确认" in page and "已退回" in page and "已确认" in page
    assert "退回原因：专利号与证书不符" in page
    assert f'href="{innovation_url(returned)}">修改后重新提交' in page


def test_the_contact_submits_a_talent_that_waits_for_the_office(client, zone, contact, office):
    response = client.post(
        NEW_TALENT,
        {
            "enterprise": zone.enterprise_a.pk,
            "name": "李青年",
            "category": "young",
            "source": "introduced",
            "id_number": ID_A.lower(),
            "phone": "139 1234 5678",
            "title": "工程师",
            "intake_on": "2026-01-01",
        },
    )
    assert response.status_code == 302 and response.url.startswith(HOME)
    talent = Talent.objects.get()
    assert (talent.name, talent.enterprise, talent.employer, talent.review) == (
        "李青年",
        zone.enterprise_a,
        "甲企业",
        Review.PENDING,
    )
    assert talent.id_number == ID_A and talent.intake_on == D(2026, 1, 1) and talent.submitted_by == contact
    assert Notification.objects.filter(recipient=office, kind="submission_pending").count() == 1
    page = client.get(response.url).content.decode()
    assert "已提交人才“李青年”，待园区确认" in page and "待确认" in page


def test_a_talent_with_bad_input_is_shown_again_with_chinese_errors_and_nothing_saved(client, zone, contact):
    response = client.post(NEW_TALENT, {"name": "", "category": "", "intake_on": "2026-13-01"})
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert errors["name"] == ["这个字段是必填项。"] or "必填" in errors["name"][0]
    assert "category" in errors and "intake_on" in errors
    response = client.post(
        NEW_TALENT, {"name": "王五", "category": "young", "intake_on": "2026-12-31", "id_number": "123456"}
    )
    assert response.status_code == 200
    assert "公民身份号码" in response.context["form"].errors["id_number"][0]
    assert "公民身份号码" in response.content.decode()
    assert not Talent.objects.exists()


def test_a_duplicate_id_number_does_not_name_another_enterprises_talent(client, zone, contact):
    f.talent("乙人才", id_number=ID_A, enterprise=zone.enterprise_b)
    response = client.post(
        NEW_TALENT, {"name": "王五", "category": "young", "intake_on": "2026-03-01", "id_number": ID_A}
    )
    message = response.context["form"].errors["id_number"][0]
    assert message == "该公民身份号码已在人才库"
    assert "乙人才" not in response.content.decode()
    assert Talent.objects.count() == 1


def test_the_contact_submits_a_patent_granted_on_the_first_of_january(client, zone, contact, office):
    page = client.get(NEW_INNOVATION).content.decode()
    assert "授权日期" in page and "专利号" in page and "合作高校" not in page
    response = client.post(
        NEW_INNOVATION,
        {
            "enterprise": zone.enterprise_a.pk,
            "kind": "patent",
            "name": "一种中药提取装置",
            "patent_kind": "utility",
            "patent_number": "ZL202620000001",
            "dated_on": "2026-01-01",
        },
    )
    assert response.status_code == 302
    patent = Innovation.objects.get()
    assert (patent.kind, patent.review, patent.enterprise, patent.holder, patent.dated_on) == (
        InnovationKind.PATENT,
        Review.PENDING,
        zone.enterprise_a,
        "甲企业",
        D(2026, 1, 1),
    )
    assert Notification.objects.filter(recipient=office, kind="submission_pending").count() == 1


def test_a_cooperation_needs_its_universities_and_a_key_project_has_its_own_fields(client, zone, contact):
    page = client.get(f"{NEW_INNOVATION}?kind=cooperation").content.decode()
    assert "签约日期" in page and "合作高校" in page and "专利号" not in page
    data = {"kind": "cooperation", "name": "共建实验室", "dated_on": "2026-12-31", "form": "laboratory"}
    response = client.post(NEW_INNOVATION, data)
    assert response.status_code == 200 and "universities" in response.context["form"].errors
    response = client.post(NEW_INNOVATION, {**data, "universities": "西北大学、 西安交通大学"})
    assert response.status_code == 302
    cooperation = Innovation.objects.get()
    assert sorted(cooperation.universities.values_list("name", flat=True)) == ["西北大学", "西安交通大学"]

    page = client.get(f"{NEW_INNOVATION}?kind=key_project").content.decode()
    assert "立项日期" in page and "结题日期" in page and "项目经费（万元）" in page
    response = client.post(
        NEW_INNOVATION,
        {"kind": "key_project", "name": "重点项目甲", "dated_on": "2026-05-01", "ends_on": "2026-04-30"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["ends_on"] == ["结题日期不能早于立项日期"]
    assert Innovation.objects.count() == 1


def test_a_duplicate_innovation_is_refused_on_its_name(client, zone, contact):
    f.innovation("一种中药提取装置", enterprise=zone.enterprise_b)
    response = client.post(
        NEW_INNOVATION, {"kind": "patent", "name": "一种中药提取装置", "dated_on": "2026-02-01"}
    )
    assert response.status_code == 200
    assert "请勿重复登记" in response.context["form"].errors["name"][0]
    assert Innovation.objects.count() == 1


def test_an_unknown_kind_is_a_chinese_400(client, zone, contact):
    response = client.get(f"{NEW_INNOVATION}?kind=rocket")
    assert response.status_code == 400
    assert "类型“rocket”不可提交" in response.content.decode()
    response = client.post(NEW_INNOVATION, {"kind": "rocket", "name": "某", "dated_on": "2026-02-01"})
    assert response.status_code == 400 and not Innovation.objects.exists()


def test_a_returned_patent_is_corrected_and_resubmitted(client, zone, contact, office):
    patent = f.innovation(
        "一种中药提取装置", actor=contact, enterprise=zone.enterprise_a, dated_on=D(2026, 3, 1)
    )
    services.submission_return(actor=office, record=patent, reason="缺少专利号")
    page = client.get(innovation_url(patent)).content.decode()
    assert "缺少专利号" in page and "修改后重新提交" in page and 'value="一种中药提取装置"' in page
    response = client.post(
        innovation_url(patent),
        {"name": "一种中药提取装置", "patent_number": "ZL202630000009", "dated_on": "2026-03-01"},
    )
    assert response.status_code == 302
    patent.refresh_from_db()
    assert (patent.review, patent.patent_number) == (Review.PENDING, "ZL202630000009")
    assert Notification.objects.filter(recipient=office, kind="submission_pending").count() == 2


def test_a_returned_talent_keeps_its_id_number_when_left_empty(client, zone, contact, office):
    talent = f.talent("李青年", actor=contact, enterprise=zone.enterprise_a, id_number=ID_A)
    services.submission_return(actor=office, record=talent, reason="职称有误")
    page = client.get(talent_url(talent)).content.decode()
    assert ID_A not in page and "不修改请留空" in page
    response = client.post(
        talent_url(talent),
        {"name": "李青年", "category": "young", "title": "高级工程师", "intake_on": "2025-03-01"},
    )
    assert response.status_code == 302
    talent.refresh_from_db()
    assert (talent.review, talent.title, talent.id_number) == (Review.PENDING, "高级工程师", ID_A)


def test_a_bad_correction_changes_nothing(client, zone, contact, office):
    talent = f.talent("李青年", actor=contact, enterprise=zone.enterprise_a)
    services.submission_return(actor=office, record=talent, reason="职称有误")
    response = client.post(
        talent_url(talent), {"name": "李青年", "category": "young", "intake_on": "2025-03-01", "phone": "12"}
    )
    assert response.status_code == 200 and "phone" in response.context["form"].errors
    talent.refresh_from_db()
    assert talent.review == Review.RETURNED


def test_only_a_returned_submission_can_be_resubmitted(client, zone, contact):
    patent = f.innovation("待确认的专利", actor=contact, enterprise=zone.enterprise_a)
    page = client.get(innovation_url(patent)).content.decode()
    assert "待确认" in page and "重新提交" not in page
    response = client.post(innovation_url(patent), {"name": "改名", "dated_on": "2026-03-01"})
    assert response.status_code == 200
    assert "只有被退回的提交可以修改后重新提交" in response.content.decode()
    patent.refresh_from_db()
    assert patent.name == "待确认的专利"


def test_another_enterprises_records_are_not_found_and_not_changed(client, zone, contact, office):
    other = make_contact(zone.enterprise_b)
    talent = f.talent("乙人才", actor=other, enterprise=zone.enterprise_b)
    patent = f.innovation("乙企业的专利", actor=other, enterprise=zone.enterprise_b)
    services.submission_return(actor=office, record=patent, reason="请补充")
    assert client.get(talent_url(talent)).status_code == 404
    assert client.get(innovation_url(patent)).status_code == 404
    response = client.post(innovation_url(patent), {"name": "甲改的", "dated_on": "2026-03-01"})
    assert response.status_code == 404
    patent.refresh_from_db()
    assert (patent.name, patent.review) == ("乙企业的专利", Review.RETURNED)
    assert client.get("/portal/talent/talents/999999/").status_code == 404


def test_the_portal_pages_are_for_enterprise_contacts(client, zone, office):
    assert client.get(HOME).status_code == 302  # not signed in: the portal's login
    client.force_login(office)
    response = client.get(HOME)
    assert response.status_code == 403 and "此门户供企业联络员使用" in response.content.decode()
    assert client.get(NEW_TALENT).status_code == 403


def test_the_portal_navigation_links_to_the_page(client, zone, contact):
    page = client.get("/portal/").content.decode()
    assert f'<a href="{HOME}">本企业人才与创新</a>' in page


def test_experts_are_listed_with_their_agreement(client, zone, contact):
    Expert.objects.all().delete()
    services.expert_save(
        actor=None,
        name="王院士",
        honour="中国工程院院士",
        enterprise=zone.enterprise_a,
        topic="中药提取",
        agreed_on=D(2025, 1, 1),
        agreed_until=D(2027, 12, 31),
    )
    page = client.get(HOME).content.decode()
    assert "王院士（中国工程院院士）" in page and "2025-01-01 至 2027-12-31" in page
