"""The API of 人才与创新: talents with their ID and phone numbers masked (the full values only
through /reveal/, logged), exit; an enterprise contact's talent or patent a submission of their
own enterprise that the talent office confirms or returns and the contact resubmits; policies
and supports, experts, platforms withdrawn and their incubations, innovations with their
universities as a list; refusals are Chinese 400/403/409 with nothing changed; a contact sees
only their own enterprise's records."""

import datetime

import pytest
from rest_framework.test import APIClient

from dangjian.audit.models import AuditEntry
from dangjian.talent import services
from dangjian.talent.models import (
    Incubation,
    Innovation,
    InnovationKind,
    PlatformKind,
    Review,
    Talent,
    TalentPolicy,
)
from dangjian.talent.tests import factories as f
from dangjian.testing.factories import make_user

pytestmark = pytest.mark.django_db

TALENTS, INNOVATIONS, PLATFORMS = "/api/v1/talents/", "/api/v1/innovations/", "/api/v1/talent-platforms/"
POLICIES, SUPPORTS, EXPERTS = (
    "/api/v1/talent-policies/",
    "/api/v1/talent-supports/",
    "/api/v1/talent-experts/",
)
ID_NUMBER = "11010519491231002X"


def api_as(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.fixture
def office(zone):
    return make_user("talent_staff", organization=zone.root)


@pytest.fixture
def office_api(office):
    return api_as(office)


@pytest.fixture
def contact(zone):
    return make_user("enterprise_contact", enterprise=zone.enterprise_a)


@pytest.fixture
def contact_api(contact):
    return api_as(contact)


def results(response):
    assert response.status_code == 200, response.content
    return response.json()["results"]


# -- talents --------------------------------------------------------------------------------------
def test_a_talent_shows_its_numbers_only_masked_and_the_office_reveals_them_logged(office_api, zone):
    r = office_api.post(
        TALENTS,
        {
            "name": "王领军",
            "id_number": ID_NUMBER,
            "phone": "13912345678",
            "category": "leading",
            "employer": "甲企业",
            "intake_on": "2025-03-01",
        },
        format="json",
    )
    assert r.status_code == 201, r.content
    body = r.json()
    assert "id_number" not in body and "phone" not in body
    assert ID_NUMBER not in r.content.decode() and "13912345678" not in r.content.decode()
    assert body["id_number_masked"] and body["id_number_masked"] != ID_NUMBER
    assert body["phone_masked"] and body["phone_masked"] != "13912345678"
    assert body["enterprise"] == zone.enterprise_a.pk and body["review"] == "confirmed"
    assert body["category_label"] == "产业领军人才"
    listed = office_api.get(TALENTS).content.decode()
    assert ID_NUMBER not in listed and "13912345678" not in listed
    r = office_api.post(f"{TALENTS}{body['id']}/reveal/", {"purpose": "政策兑现核对"}, format="json")
    assert r.status_code == 200 and r.json() == {"id_number": ID_NUMBER, "phone": "13912345678"}
    assert AuditEntry.objects.filter(action="reveal").exists()


def test_revealing_without_the_permission_is_a_chinese_403(zone):
    talent = f.talent("保密人才", id_number=ID_NUMBER, enterprise=zone.enterprise_a)
    leader = api_as(make_user("leader", organization=zone.root))
    r = leader.post(f"{TALENTS}{talent.pk}/reveal/", {}, format="json")
    assert r.status_code == 403 and "没有查看人才完整身份证号" in r.json()["detail"]


def test_a_bad_id_number_or_a_duplicate_is_a_chinese_400_and_nothing_is_kept(office_api):
    payload = {"name": "赵某", "category": "young", "intake_on": "2025-03-01"}
    r = office_api.post(TALENTS, {**payload, "id_number": "123"}, format="json")
    assert r.status_code == 400 and r.json()["id_number"][0].startswith("公民身份号码")
    f.talent("钱某", id_number=ID_NUMBER)
    r = office_api.post(TALENTS, {**payload, "id_number": ID_NUMBER.lower()}, format="json")
    assert r.status_code == 400 and "该公民身份号码已在人才库" in r.json()["id_number"][0]
    r = office_api.post(TALENTS, {**payload, "intake_on": "不是日期"}, format="json")
    assert r.status_code == 400 and "intake_on" in r.json()
    assert list(Talent.objects.values_list("name", flat=True)) == ["钱某"]


def test_exit_on_a_day_and_a_second_exit_refused(office_api):
    talent = f.talent("出库人才", intake_on=datetime.date(2025, 3, 1))
    r = office_api.post(f"{TALENTS}{talent.pk}/exit/", {"on": "2025-02-01"}, format="json")
    assert r.status_code == 400 and r.json() == {"on": ["出库日期不能早于入库日期（2025-03-01）"]}
    r = office_api.post(f"{TALENTS}{talent.pk}/exit/", {"on": "2025-12-31", "reason": "调离"}, format="json")
    assert r.status_code == 200, r.content
    assert r.json()["exit_on"] == "2025-12-31" and r.json()["exit_reason"] == "调离"
    r = office_api.post(f"{TALENTS}{talent.pk}/exit/", {"on": "2025-12-31"}, format="json")
    assert r.status_code == 400 and "已于 2025-12-31 出库" in r.json()["on"][0]


def test_a_contact_submits_a_talent_of_their_enterprise_the_office_returns_and_confirms_it(
    zone, contact_api, office_api
):
    payload = {"name": "企业提交人才", "category": "skilled", "intake_on": "2025-04-01"}
    # another enterprise is not among the contact's choices; none is not a submission of theirs
    r = contact_api.post(TALENTS, {**payload, "enterprise": zone.enterprise_b.pk}, format="json")
    assert r.status_code == 400 and "enterprise" in r.json()
    r = contact_api.post(TALENTS, payload, format="json")
    assert r.status_code == 400 and "企业提交的记录须属于本企业" in r.json()["enterprise"][0]
    assert not Talent.objects.exists()
    r = contact_api.post(TALENTS, {**payload, "enterprise": zone.enterprise_a.pk}, format="json")
    assert r.status_code == 201, r.content
    talent_id = r.json()["id"]
    assert r.json()["review"] == "pending" and r.json()["review_label"] == "待确认"
    # the contact may not confirm their own submission
    r = contact_api.post(f"{TALENTS}{talent_id}/confirm/", format="json")
    assert r.status_code == 403 and "没有确认企业提交的人才的权限" in r.json()["detail"]
    r = office_api.post(f"{TALENTS}{talent_id}/return/", {}, format="json")
    assert r.status_code == 400 and r.json() == {"reason": ["请填写退回原因"]}
    r = office_api.post(f"{TALENTS}{talent_id}/return/", {"reason": "请补充职称"}, format="json")
    assert (
        r.status_code == 200 and r.json()["review"] == "returned" and r.json()["review_note"] == "请补充职称"
    )
    r = contact_api.post(f"{TALENTS}{talent_id}/resubmit/", {"title": "高级技师"}, format="json")
    assert r.status_code == 200, r.content
    assert r.json()["review"] == "pending" and r.json()["title"] == "高级技师"
    r = office_api.post(f"{TALENTS}{talent_id}/confirm/", format="json")
    assert r.status_code == 200 and r.json()["review"] == "confirmed"
    r = office_api.post(f"{TALENTS}{talent_id}/confirm/", format="json")
    assert r.status_code == 400 and "不是待确认的提交" in r.json()["non_field_errors"][0]
    # the contact only views and adds
    assert contact_api.patch(f"{TALENTS}{talent_id}/", {"title": "改"}, format="json").status_code == 403
    assert contact_api.delete(f"{TALENTS}{talent_id}/").status_code == 403


def test_a_contact_sees_only_their_own_enterprises_records(zone, contact_api):
    own = f.talent("甲企业人才", enterprise=zone.enterprise_a)
    other = f.talent("乙企业人才", enterprise=zone.enterprise_b)
    f.talent("外单位人才", employer="西北大学")
    f.innovation("甲企业专利", enterprise=zone.enterprise_a)
    theirs = f.innovation("乙企业专利", enterprise=zone.enterprise_b)
    f.platform("甲企业研发中心", enterprise=zone.enterprise_a)
    f.platform("乙企业研发中心", enterprise=zone.enterprise_b)
    services.expert_save(actor=None, name="甲院士", enterprise=zone.enterprise_a, topic="新药")
    services.expert_save(actor=None, name="乙院士", enterprise=zone.enterprise_b, topic="电池")
    assert [t["name"] for t in results(contact_api.get(TALENTS))] == ["甲企业人才"]
    assert [i["name"] for i in results(contact_api.get(INNOVATIONS))] == ["甲企业专利"]
    assert [p["name"] for p in results(contact_api.get(PLATFORMS))] == ["甲企业研发中心"]
    assert [e["name"] for e in results(contact_api.get(EXPERTS))] == ["甲院士"]
    assert contact_api.get(f"{TALENTS}{own.pk}/").status_code == 200
    assert contact_api.get(f"{TALENTS}{other.pk}/").status_code == 404
    assert contact_api.get(f"{INNOVATIONS}{theirs.pk}/").status_code == 404
    # and no policy support or policy at all
    assert contact_api.get(SUPPORTS).status_code == 403 or results(contact_api.get(SUPPORTS)) == []
    assert contact_api.get(POLICIES).status_code == 403


def test_the_leader_reads_everything_and_writes_nothing(zone):
    leader = api_as(make_user("leader", organization=zone.root))
    talent = f.talent("领导查看人才", enterprise=zone.enterprise_b)
    assert [t["name"] for t in results(leader.get(TALENTS))] == ["领导查看人才"]
    r = leader.post(
        TALENTS, {"name": "新人才", "category": "other", "intake_on": "2025-01-01"}, format="json"
    )
    assert r.status_code == 403
    assert leader.post(f"{TALENTS}{talent.pk}/exit/", {"on": "2025-06-01"}, format="json").status_code == 403
    talent.refresh_from_db()
    assert talent.exit_on is None


# -- policies and supports ------------------------------------------------------------------------
def test_a_policy_and_its_supports_filtered_by_talent_and_a_used_policy_is_a_409(office_api):
    r = office_api.post(POLICIES, {"name": "安家补贴"}, format="json")
    assert r.status_code == 201, r.content
    policy_id = r.json()["id"]
    assert office_api.post(POLICIES, {"name": "安家补贴"}, format="json").status_code == 400
    one, two = f.talent("甲人才", intake_on=datetime.date(2025, 3, 1)), f.talent("乙人才")
    payload = {"talent": one.pk, "policy": policy_id, "paid_on": "2025-02-28", "amount": "5000"}
    r = office_api.post(SUPPORTS, payload, format="json")
    assert r.status_code == 400 and r.json() == {"paid_on": ["兑现日期不能早于入库日期（2025-03-01）"]}
    r = office_api.post(SUPPORTS, {**payload, "amount": "0", "paid_on": "2025-03-01"}, format="json")
    assert r.status_code == 400 and r.json() == {"amount": ["兑现金额应大于 0"]}
    r = office_api.post(SUPPORTS, {**payload, "paid_on": "2025-03-01"}, format="json")
    assert r.status_code == 201, r.content
    assert r.json()["talent_name"] == "甲人才" and r.json()["policy_name"] == "安家补贴"
    services.support_save(
        actor=None, talent=two, policy=TalentPolicy.objects.get(), paid_on=datetime.date(2025, 4, 1), amount=1
    )
    assert [s["talent_name"] for s in results(office_api.get(SUPPORTS, {"talent": one.pk}))] == ["甲人才"]
    r = office_api.delete(f"{POLICIES}{policy_id}/")
    assert r.status_code == 409 and "不能删除" in str(r.json())
    assert TalentPolicy.objects.filter(pk=policy_id).exists()


def test_a_support_for_a_submission_waiting_for_the_zone_is_refused(zone, contact, office_api):
    waiting = f.talent("待确认人才", actor=contact, enterprise=zone.enterprise_a)
    policy = services.policy_save(actor=None, instance=TalentPolicy(name="生活补贴"))
    r = office_api.post(
        SUPPORTS,
        {"talent": waiting.pk, "policy": policy.pk, "paid_on": "2025-06-01", "amount": "100"},
        format="json",
    )
    assert r.status_code == 400 and r.json() == {"talent": ["“待确认人才”尚未确认入库，不能兑现政策"]}


# -- experts --------------------------------------------------------------------------------------
def test_an_expert_with_agreement_dates_in_the_wrong_order_is_refused(zone, office_api):
    payload = {"name": "李院士", "enterprise": zone.enterprise_a.pk, "topic": "中药材种植"}
    r = office_api.post(
        EXPERTS, {**payload, "agreed_on": "2025-05-01", "agreed_until": "2025-04-01"}, format="json"
    )
    assert r.status_code == 400 and r.json() == {"agreed_until": ["协议截止日期不能早于签订日期"]}
    r = office_api.post(EXPERTS, {**payload, "agreed_on": "2025-05-01"}, format="json")
    assert r.status_code == 201 and r.json()["enterprise_name"] == "甲企业"


# -- platforms ------------------------------------------------------------------------------------
def test_a_platform_is_withdrawn_with_a_reason_and_not_before_its_recognition(office_api):
    platform = f.platform("省级研发中心", recognised_on=datetime.date(2025, 3, 1))
    url = f"{PLATFORMS}{platform.pk}/withdraw/"
    r = office_api.post(url, {"on": "2025-06-01"}, format="json")
    assert r.status_code == 400 and r.json() == {"reason": ["请填写撤销原因"]}
    r = office_api.post(url, {"on": "2025-02-01", "reason": "复核"}, format="json")
    assert r.status_code == 400 and r.json() == {"on": ["撤销日期不能早于认定日期（2025-03-01）"]}
    r = office_api.post(url, {"on": "2025-06-01", "reason": "复核不合格"}, format="json")
    assert r.status_code == 200 and r.json()["withdrawn_on"] == "2025-06-01"
    assert r.json()["kind_label"] == "研发平台" and r.json()["level_label"] == "省级"


def test_incubations_are_listed_added_and_removed_under_their_platform(zone, office_api):
    incubator = f.platform("科技企业孵化器", kind=PlatformKind.INCUBATOR)
    research = f.platform("研发平台", kind=PlatformKind.RESEARCH)
    url = f"{PLATFORMS}{incubator.pk}/incubations/"
    r = office_api.post(url, {"enterprise": zone.enterprise_b.pk, "entered_on": "2025-03-01"}, format="json")
    assert r.status_code == 201, r.content
    assert [i["enterprise_name"] for i in r.json()] == ["乙企业"]
    zone.enterprise_b.refresh_from_db()
    assert zone.enterprise_b.is_incubated
    r = office_api.post(url, {"enterprise": zone.enterprise_b.pk}, format="json")
    assert r.status_code == 400 and "已在“科技企业孵化器”的在孵企业中" in r.json()["enterprise"][0]
    r = office_api.post(
        f"{PLATFORMS}{research.pk}/incubations/", {"enterprise": zone.enterprise_a.pk}, format="json"
    )
    assert r.status_code == 400 and "不孵化企业" in r.json()["platform"][0]
    assert [i["enterprise"] for i in office_api.get(url).json()] == [zone.enterprise_b.pk]
    # a platform with incubations cannot be deleted
    r = office_api.delete(f"{PLATFORMS}{incubator.pk}/")
    assert r.status_code == 409 and "请先删除其在孵企业" in str(r.json())
    incubation = Incubation.objects.get()
    assert office_api.delete(f"{PLATFORMS}{research.pk}/incubations/{incubation.pk}/").status_code == 404
    assert office_api.delete(f"{url}{incubation.pk}/").status_code == 204
    zone.enterprise_b.refresh_from_db()
    assert not zone.enterprise_b.is_incubated and not Incubation.objects.exists()


# -- innovations ----------------------------------------------------------------------------------
def test_a_cooperation_has_its_universities_as_a_list_of_names(zone, office_api):
    payload = {
        "name": "共建中药研发中心",
        "kind": "cooperation",
        "dated_on": "2025-05-01",
        "form": "research_center",
    }
    r = office_api.post(INNOVATIONS, payload, format="json")
    assert r.status_code == 400 and r.json() == {"universities": ["校地合作请填写合作高校"]}
    r = office_api.post(
        INNOVATIONS, {**payload, "universities": ["西北大学", " 西安交通大学", "西北大学"]}, format="json"
    )
    assert r.status_code == 201, r.content
    assert r.json()["universities"] == ["西北大学", "西安交通大学"] and r.json()["kind_label"] == "校地合作"
    r = office_api.patch(f"{INNOVATIONS}{r.json()['id']}/", {"universities": ["长安大学"]}, format="json")
    assert r.status_code == 200 and r.json()["universities"] == ["长安大学"]
    r = office_api.post(
        INNOVATIONS,
        {"name": "一种专利", "kind": "patent", "dated_on": "2025-05-01", "universities": ["西北大学"]},
        format="json",
    )
    assert r.status_code == 400 and r.json() == {"universities": ["只有校地合作填写合作高校"]}
    assert Innovation.objects.count() == 1


def test_a_contact_submits_a_patent_the_office_confirms_it_and_it_counts(zone, contact_api, office_api):
    from dangjian.core.indicators import Period, compute

    r = contact_api.post(
        INNOVATIONS,
        {
            "name": "一种中药提取装置",
            "kind": "patent",
            "patent_kind": "utility",
            "patent_number": "ZL202520000001.0",
            "dated_on": "2025-06-01",
            "enterprise": zone.enterprise_a.pk,
        },
        format="json",
    )
    assert r.status_code == 201, r.content
    patent = Innovation.objects.get(pk=r.json()["id"])
    assert patent.review == Review.PENDING and r.json()["holder"] == "甲企业"
    assert compute("innovation.patents", period=Period.year(2025)).value == 0
    assert office_api.get(INNOVATIONS, {"review": "pending"}).json()["count"] == 1
    r = office_api.post(f"{INNOVATIONS}{patent.pk}/confirm/", format="json")
    assert r.status_code == 200 and r.json()["review"] == "confirmed"
    assert compute("innovation.patents", period=Period.year(2025)).value == 1


def test_a_returned_cooperation_is_resubmitted_with_new_universities(zone, contact, contact_api, office):
    cooperation = f.innovation(
        "共建实验室",
        kind=InnovationKind.COOPERATION,
        universities="西北大学",
        actor=contact,
        enterprise=zone.enterprise_a,
    )
    r = contact_api.post(f"{INNOVATIONS}{cooperation.pk}/resubmit/", {"note": "改"}, format="json")
    assert r.status_code == 400 and "只有被退回的提交可以修改后重新提交" in r.json()["non_field_errors"][0]
    services.submission_return(actor=office, record=cooperation, reason="高校名称不全")
    r = contact_api.post(
        f"{INNOVATIONS}{cooperation.pk}/resubmit/", {"universities": ["西北大学", "商洛学院"]}, format="json"
    )
    assert r.status_code == 200, r.content
    assert r.json()["review"] == "pending" and r.json()["universities"] == ["西北大学", "商洛学院"]
    r = contact_api.post(
        f"{INNOVATIONS}{cooperation.pk}/resubmit/", {"enterprise": zone.enterprise_b.pk}, format="json"
    )
    assert r.status_code == 400
