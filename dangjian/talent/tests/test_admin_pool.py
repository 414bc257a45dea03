"""The back office of the talent pool, the talent policies and the experts: every page opens in
Chinese for whom it is for, the ID number and phone are masked everywhere and revealed only with
the permission (logged), 出库 is a step that a refusal leaves untouched, policy payments are rows
of the talent's page, the pool on a day is a filter, and an enterprise contact sees only their
own enterprise's talents."""

import datetime
from decimal import Decimal

import pytest

from dangjian.audit.models import AuditEntry
from dangjian.core.testing.ledgers import read_export
from dangjian.talent import services
from dangjian.talent.models import PolicySupport, Review, Talent, TalentCategory, TalentPolicy
from dangjian.talent.tests import factories as f
from dangjian.testing.factories import make_user

from .admin_helpers import add_row, form_data, messages_of, page, url

pytestmark = pytest.mark.django_db
D = datetime.date
ID_NUMBER = "11010519491231002X"
PHONE = "13912345678"


@pytest.fixture
def office(zone):
    return make_user("talent_staff", organization=zone.root)


@pytest.fixture
def leader(zone):
    return make_user("leader", organization=zone.root)


@pytest.fixture
def world(zone):
    policy = services.policy_save(actor=None, instance=TalentPolicy(name="高层次人才安家补贴"))
    zhang = f.talent(
        "张三",
        id_number=ID_NUMBER,
        phone=PHONE,
        employer="甲企业",
        category=TalentCategory.LEADING,
        source="introduced",
        intake_on=D(2025, 1, 1),
    )
    li = f.talent(
        "李四", employer="乙企业", intake_on=D(2024, 5, 1), exit_on=D(2025, 12, 31), exit_reason="调离"
    )
    wang = f.talent("王五", employer="西北大学", intake_on=D(2025, 6, 1))
    services.support_save(
        actor=None, talent=zhang, policy=policy, paid_on=D(2025, 3, 1), amount=Decimal("50000")
    )
    expert = services.expert_save(
        actor=None, name="赵院士", honour="中国工程院院士", enterprise=zone.enterprise_a, topic="中药现代化"
    )
    return {"policy": policy, "zhang": zhang, "li": li, "wang": wang, "expert": expert}


# -- pages open -------------------------------------------------------------------------------------
def test_every_page_opens_for_the_zone_admin_the_leader_and_the_talent_office(
    client, world, zone_admin, leader, office
):
    for user in (zone_admin, leader, office):
        client.force_login(user)
        for address in (
            url("talent_talent_changelist"),
            url("talent_talent_change", world["zhang"].pk),
            url("talent_talent_change", world["li"].pk),
            url("talent_talentpolicy_changelist"),
            url("talent_talentpolicy_change", world["policy"].pk),
            url("talent_expert_changelist"),
            url("talent_expert_change", world["expert"].pk),
            url("talent_overview"),
        ):
            page(client, address)
        text = page(client, "/admin/?dashboard=1")  # the leader's first page is the cockpit
        for title in ("人才库", "创新平台", "科技创新", "院士专家", "人才政策", "人才与创新概览"):
            assert title in text, (user, title)
    for user in (zone_admin, office):
        client.force_login(user)
        for address in (url("talent_talent_add"), url("talent_talentpolicy_add"), url("talent_expert_add")):
            page(client, address)


def test_the_leader_reads_but_does_not_change(client, world, leader):
    client.force_login(leader)
    text = page(client, url("talent_talent_change", world["zhang"].pk))
    assert 'name="name"' not in text and "张三" in text
    assert "*" * 14 + "002X" in text and ID_NUMBER not in text and PHONE not in text
    assert "出库" in text and "/step/exit/" not in text and "查看完整号码" not in text
    page(client, url("talent_talent_add"), 403)
    response = client.post(url("talent_talent_step", world["zhang"].pk, "exit"), {"on": "2025-12-31"})
    assert response.status_code == 403
    assert client.post(url("talent_talent_reveal", world["zhang"].pk)).status_code == 403
    assert not AuditEntry.objects.filter(action=AuditEntry.Action.REVEAL).exists()


# -- masking, search and the reveal -------------------------------------------------------------------
def test_the_id_number_and_phone_are_masked_in_the_list_the_page_and_the_export(client, world, office):
    client.force_login(office)
    listed = page(client, url("talent_talent_changelist"))
    assert "*" * 14 + "002X" in listed and "*******5678" in listed
    assert ID_NUMBER not in listed and PHONE not in listed
    text = page(client, url("talent_talent_change", world["zhang"].pk))
    assert ID_NUMBER not in text and PHONE not in text
    assert "当前：" + "*" * 14 + "002X" in text and "留空表示不修改" in text
    exported = client.get(url("talent_talent_export"))
    assert exported.status_code == 200
    rows = read_export(exported.content)
    flat = " ".join(str(cell) for row in rows for cell in row if cell is not None)
    assert "张三" in flat and "*" * 14 + "002X" in flat
    assert ID_NUMBER not in flat and PHONE not in flat


def test_a_talent_is_found_by_name_employer_or_exact_id_number(client, world, office):
    client.force_login(office)
    base = url("talent_talent_changelist")

    def names(query):
        response = client.get(base, {"q": query})
        assert response.status_code == 200
        return {t.name for t in response.context["cl"].result_list}

    assert names("张三") == {"张三"}
    assert names("西北大学") == {"王五"}
    assert names(ID_NUMBER.lower()) == {"张三"}
    assert names("110105194912310010") == set()  # another valid number: nobody
    assert names("002X") == set()  # a part of a number finds nothing


def test_the_full_numbers_are_revealed_with_the_permission_and_logged(client, world, office):
    client.force_login(office)
    talent = world["zhang"]
    text = page(client, url("talent_talent_change", talent.pk))
    assert url("talent_talent_reveal", talent.pk) in text and "查看完整号码" in text
    text = page(client, url("talent_talent_reveal", talent.pk))
    assert ID_NUMBER not in text and "记入审计日志" in text
    assert not AuditEntry.objects.filter(action=AuditEntry.Action.REVEAL).exists()
    response = client.post(url("talent_talent_reveal", talent.pk), {"purpose": "核对政策兑现"})
    text = response.content.decode()
    assert response.status_code == 200 and ID_NUMBER in text and PHONE in text
    entry = AuditEntry.objects.get(action=AuditEntry.Action.REVEAL, actor=office)
    assert entry.object_id == str(talent.pk) and "核对政策兑现" in entry.message


# -- the talent saved through the page ----------------------------------------------------------------
def test_a_talent_is_recorded_through_the_page_and_the_numbers_kept_when_left_empty(client, world, office):
    client.force_login(office)
    data = {
        "name": "孙六",
        "id_number": "11010519491231002x",  # 张三's: refused, nothing saved
        "phone": "",
        "category": TalentCategory.YOUNG,
        "source": "trained",
        "enterprise": "",
        "employer": "甲企业",
        "education": "博士研究生",
        "title": "",
        "field": "中药学",
        "intake_on": "2025-07-01",
        "note": "",
    }
    response = client.post(url("talent_talent_add"), data, follow=True)
    assert "该公民身份号码已在人才库" in response.content.decode()
    assert not Talent.objects.filter(name="孙六").exists()
    response = client.post(url("talent_talent_add"), {**data, "id_number": "12345"})
    assert response.status_code == 200 and "公民身份号码" in response.content.decode()
    assert not Talent.objects.filter(name="孙六").exists()
    response = client.post(url("talent_talent_add"), {**data, "id_number": "", "phone": "13800001111"})
    assert response.status_code == 302
    sun = Talent.objects.get(name="孙六")
    assert sun.enterprise_id == world["zhang"].enterprise_id and sun.review == Review.CONFIRMED
    # changed with the numbers left empty: kept
    talent = world["zhang"]
    data = form_data(client, url("talent_talent_change", talent.pk))
    assert data["id_number"] == "" and data["phone"] == ""
    data["title"] = "正高级工程师"
    response = client.post(url("talent_talent_change", talent.pk), data)
    assert response.status_code == 302, messages_of(response)
    talent.refresh_from_db()
    assert (talent.title, talent.id_number, talent.phone) == ("正高级工程师", ID_NUMBER, PHONE)


def test_a_talent_with_payments_is_not_deleted_and_says_why(client, world, office):
    client.force_login(office)
    talent = world["zhang"]
    response = client.post(url("talent_talent_delete", talent.pk), {"post": "yes"}, follow=True)
    text = response.content.decode()
    assert Talent.objects.filter(pk=talent.pk).exists()
    assert "不能删除" in text or "受保护" in text
    response = client.post(url("talent_talent_delete", world["wang"].pk), {"post": "yes"})
    assert response.status_code == 302 and not Talent.objects.filter(pk=world["wang"].pk).exists()


# -- 出库 ----------------------------------------------------------------------------------------------
def test_exit_is_a_step_and_a_refused_one_changes_nothing(client, world, office):
    client.force_login(office)
    talent = world["zhang"]
    text = page(client, url("talent_talent_change", talent.pk))
    assert url("talent_talent_step", talent.pk, "exit") in text
    step = url("talent_talent_step", talent.pk, "exit")
    page(client, step)
    # before the intake: refused in Chinese, nothing changed
    response = client.post(step, {"on": "2024-12-31", "reason": "调离"})
    assert (
        response.status_code == 200 and "出库日期不能早于入库日期（2025-01-01）" in response.content.decode()
    )
    talent.refresh_from_db()
    assert talent.exit_on is None
    # on the day of the intake itself
    response = client.post(step, {"on": "2025-01-01", "reason": "调离园区"})
    assert response.status_code == 302
    talent.refresh_from_db()
    assert (talent.exit_on, talent.exit_reason) == (D(2025, 1, 1), "调离园区")
    # a second exit: refused, the first kept; the button is gone
    response = client.post(step, {"on": "2025-06-30", "reason": "再次"})
    assert response.status_code == 200 and "已于 2025-01-01 出库" in response.content.decode()
    talent.refresh_from_db()
    assert talent.exit_on == D(2025, 1, 1)
    assert url("talent_talent_step", talent.pk, "exit") not in page(
        client, url("talent_talent_change", talent.pk)
    )


def test_the_pool_on_a_day_is_a_filter_with_its_edges(client, world, office):
    client.force_login(office)
    base = url("talent_talent_changelist")

    def names(query):
        response = client.get(f"{base}?{query}")
        assert response.status_code == 200
        return {t.name for t in response.context["cl"].result_list}

    assert names("") == {"张三", "李四", "王五"}
    # 张三 came in on 1 January 2025: not in the pool on 31 December 2024
    assert names("in_pool_on=2024-12-31") == {"李四"}
    assert names("in_pool_on=2025-01-01") == {"张三", "李四"}
    # 李四 left on 31 December 2025: in the pool the day before, not on the day
    assert names("in_pool_on=2025-12-30") == {"张三", "李四", "王五"}
    assert names("in_pool_on=2025-12-31") == {"张三", "王五"}
    assert names(f"category={TalentCategory.LEADING}") == {"张三"}
    assert names("source=introduced") == {"张三"}
    for bad in ("in_pool_on=bad", "in_pool_on=2025-13-45", "category=nonsense", "review=x"):
        response = client.get(f"{base}?{bad}")
        assert response.status_code in (200, 302), (bad, response.status_code)
    text = page(client, base)
    assert "在库于某日" in text and "确认状态" in text


# -- 人才政策兑现 -----------------------------------------------------------------------------------------
def test_policy_payments_are_rows_of_the_talent_page_with_their_total(client, world, office):
    client.force_login(office)
    talent = world["zhang"]
    text = page(client, url("talent_talent_change", talent.pk))
    assert "高层次人才安家补贴" in text and "50,000.00（1 笔）" in text
    data = form_data(client, url("talent_talent_change", talent.pk))
    add_row(
        data, "supports", policy=world["policy"].pk, paid_on="2025-12-31", amount="12000.5", note="年度补贴"
    )
    response = client.post(url("talent_talent_change", talent.pk), data)
    assert response.status_code == 302, messages_of(response)
    assert PolicySupport.objects.filter(talent=talent).count() == 2
    assert "62,000.50（2 笔）" in page(client, url("talent_talent_change", talent.pk))
    # a payment before the intake is refused in Chinese and nothing is written
    data = form_data(client, url("talent_talent_change", talent.pk))
    add_row(data, "supports", policy=world["policy"].pk, paid_on="2024-12-31", amount="100")
    response = client.post(url("talent_talent_change", talent.pk), data, follow=True)
    assert "兑现日期不能早于入库日期（2025-01-01）" in response.content.decode()
    assert PolicySupport.objects.filter(talent=talent).count() == 2
    # a row deleted on the page goes through the service
    data = form_data(client, url("talent_talent_change", talent.pk))
    first = PolicySupport.objects.filter(talent=talent).order_by("paid_on").first()
    index = next(k for k, v in data.items() if k.endswith("-id") and v == first.pk).split("-")[1]
    data[f"supports-{index}-DELETE"] = "on"
    response = client.post(url("talent_talent_change", talent.pk), data)
    assert response.status_code == 302
    assert list(PolicySupport.objects.filter(talent=talent).values_list("amount", flat=True)) == [
        Decimal("12000.50")
    ]


def test_a_policy_in_use_is_not_deleted_and_says_why(client, world, office):
    client.force_login(office)
    policy = world["policy"]
    response = client.post(url("talent_talentpolicy_delete", policy.pk), {"post": "yes"}, follow=True)
    text = response.content.decode()
    assert TalentPolicy.objects.filter(pk=policy.pk).exists()
    assert "不能删除" in text or "受保护" in text


def test_an_expert_is_recorded_through_the_page(client, zone, office):
    client.force_login(office)
    response = client.post(
        url("talent_expert_add"),
        {
            "name": "钱院士",
            "honour": "中国科学院院士",
            "institution": "西北大学",
            "enterprise": zone.enterprise_b.pk,
            "topic": "新能源材料",
            "agreed_on": "2025-01-01",
            "agreed_until": "2024-12-31",
            "note": "",
        },
    )
    assert response.status_code == 200 and "协议截止日期不能早于签订日期" in response.content.decode()
    assert not services.Expert.objects.filter(name="钱院士").exists()


# -- enterprises and submissions ---------------------------------------------------------------------
def test_an_enterprise_contact_reaches_only_their_own_enterprises_talents(client, world, zone):
    contact = make_user("enterprise_contact", enterprise=zone.enterprise_a)
    client.force_login(contact)
    response = client.get(url("talent_talent_changelist"))
    assert response.status_code == 200
    assert {t.name for t in response.context["cl"].result_list} == {"张三"}
    assert client.get(url("talent_talent_change", world["li"].pk)).status_code == 404
    assert client.get(url("talent_talent_change", world["wang"].pk)).status_code == 404
    text = client.get(url("talent_talent_change", world["zhang"].pk)).content.decode()
    assert ID_NUMBER not in text and "/step/exit/" not in text and "查看完整号码" not in text
    assert client.post(url("talent_talent_reveal", world["zhang"].pk)).status_code == 403
    assert client.get(url("talent_expert_change", world["expert"].pk)).status_code == 200


def test_a_submission_shows_its_state_submitter_and_return_reason(client, world, zone, office):
    contact = make_user("enterprise_contact", enterprise=zone.enterprise_a)
    submitted = f.talent("周七", actor=contact, enterprise=zone.enterprise_a, intake_on=D(2025, 9, 1))
    assert submitted.review == Review.PENDING
    client.force_login(office)
    text = page(client, url("talent_talent_change", submitted.pk))
    assert "企业提交" in text and "待确认" in text and contact.username in text
    services.submission_return(actor=office, record=submitted, reason="请补充学历证明")
    text = page(client, url("talent_talent_change", submitted.pk))
    assert "已退回" in text and "请补充学历证明" in text and "去确认" not in text
