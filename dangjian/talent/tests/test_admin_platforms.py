"""The back office of the innovation platforms and the innovations: pages open for whom they
are for, 撤销认定 is a step a refusal leaves untouched, the platforms in force on a day are a
filter, an incubator's enterprises are rows of its page and carry the flag 孵化企业, an
innovation's kind-specific fields are grouped and its universities entered as one text."""

import datetime

import pytest

from dangjian.enterprises.models import Enterprise
from dangjian.talent import services
from dangjian.talent.models import (
    Incubation,
    Innovation,
    InnovationKind,
    InnovationLevel,
    PlatformKind,
    PlatformLevel,
)
from dangjian.talent.tests import factories as f
from dangjian.testing.factories import make_user

from .admin_helpers import add_row, form_data, messages_of, page, url

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def office(zone):
    return make_user("talent_staff", organization=zone.root)


@pytest.fixture
def world(zone):
    research = f.platform(
        "甲企业中药研发中心", host="甲企业", recognised_on=D(2025, 1, 1), level=PlatformLevel.PROVINCIAL
    )
    incubator = f.platform(
        "高新区科技企业孵化器",
        kind=PlatformKind.INCUBATOR,
        level=PlatformLevel.MUNICIPAL,
        recognised_on=D(2024, 3, 1),
        withdrawn_on=D(2025, 12, 31),
        withdrawn_reason="复核未通过",
    )
    makerspace = f.platform("秦岭众创空间", kind=PlatformKind.MAKERSPACE, recognised_on=D(2025, 6, 1))
    patent = f.innovation(
        "一种中药提取工艺",
        enterprise=zone.enterprise_a,
        patent_kind="invention",
        patent_number="ZL202510000001.1",
    )
    cooperation = f.innovation(
        "共建中药研发中心",
        kind=InnovationKind.COOPERATION,
        form="research_center",
        universities="西北大学、西安交通大学",
        enterprise=zone.enterprise_a,
    )
    project = f.innovation(
        "中药材种植关键技术研究",
        kind=InnovationKind.KEY_PROJECT,
        level=InnovationLevel.PROVINCIAL,
        funding=120,
    )
    return {
        "research": research,
        "incubator": incubator,
        "makerspace": makerspace,
        "patent": patent,
        "cooperation": cooperation,
        "project": project,
    }


def test_every_page_opens_for_the_zone_admin_the_leader_and_the_talent_office(
    client, world, zone, zone_admin, office
):
    leader = make_user("leader", organization=zone.root)
    for user in (zone_admin, leader, office):
        client.force_login(user)
        for address in (
            url("talent_platform_changelist"),
            *(url("talent_platform_change", world[k].pk) for k in ("research", "incubator", "makerspace")),
            url("talent_innovation_changelist"),
            *(url("talent_innovation_change", world[k].pk) for k in ("patent", "cooperation", "project")),
        ):
            page(client, address)
    client.force_login(office)
    page(client, url("talent_platform_add"))
    page(client, url("talent_innovation_add"))
    client.force_login(leader)
    text = page(client, url("talent_innovation_change", world["cooperation"].pk))
    assert "西北大学、西安交通大学" in text and 'name="universities"' not in text
    text = page(client, url("talent_platform_change", world["research"].pk))
    assert "/step/withdraw/" not in text


def test_the_platforms_in_force_on_a_day_with_their_edges(client, world, office):
    client.force_login(office)
    base = url("talent_platform_changelist")

    def names(query):
        response = client.get(f"{base}?{query}")
        assert response.status_code == 200
        return {p.name for p in response.context["cl"].result_list}

    everyone = {"甲企业中药研发中心", "高新区科技企业孵化器", "秦岭众创空间"}
    assert names("") == everyone
    # recognised on 1 January 2025: not in force on 31 December 2024
    assert "甲企业中药研发中心" not in names("in_force_on=2024-12-31")
    assert "甲企业中药研发中心" in names("in_force_on=2025-01-01")
    # withdrawn on 31 December 2025: in force the day before, not on the day
    assert "高新区科技企业孵化器" in names("in_force_on=2025-12-30")
    assert names("in_force_on=2025-12-31") == {"甲企业中药研发中心", "秦岭众创空间"}
    assert names(f"kind={PlatformKind.INCUBATOR}") == {"高新区科技企业孵化器"}
    assert names(f"level={PlatformLevel.PROVINCIAL}") == {"甲企业中药研发中心", "秦岭众创空间"}
    for bad in ("in_force_on=bad", "in_force_on=2025-02-30", "kind=nonsense"):
        assert client.get(f"{base}?{bad}").status_code in (200, 302), bad
    assert "有效于某日" in page(client, base)


def test_withdrawal_is_a_step_and_a_refused_one_changes_nothing(client, world, office):
    client.force_login(office)
    platform = world["research"]
    step = url("talent_platform_step", platform.pk, "withdraw")
    assert step in page(client, url("talent_platform_change", platform.pk))
    response = client.post(step, {"on": "2024-12-31", "reason": "复核未通过"})
    assert (
        response.status_code == 200 and "撤销日期不能早于认定日期（2025-01-01）" in response.content.decode()
    )
    platform.refresh_from_db()
    assert platform.withdrawn_on is None
    response = client.post(step, {"on": "2025-01-01", "reason": ""})
    assert response.status_code == 200 and "撤销原因" in response.content.decode()
    platform.refresh_from_db()
    assert platform.withdrawn_on is None
    response = client.post(step, {"on": "2025-12-31", "reason": "复核未通过"})
    assert response.status_code == 302
    platform.refresh_from_db()
    assert (platform.withdrawn_on, platform.withdrawn_reason) == (D(2025, 12, 31), "复核未通过")
    assert step not in page(client, url("talent_platform_change", platform.pk))
    # the incubator, already withdrawn, is refused again
    response = client.post(
        url("talent_platform_step", world["incubator"].pk, "withdraw"), {"on": "2026-01-01", "reason": "再次"}
    )
    assert response.status_code == 200 and "已于 2025-12-31 撤销" in response.content.decode()


def test_an_incubators_enterprises_are_rows_of_its_page_and_carry_the_flag(client, world, zone, office):
    client.force_login(office)
    research = world["research"]
    assert "在孵企业" not in page(client, url("talent_platform_change", research.pk))
    incubator = world["incubator"]
    address = url("talent_platform_change", incubator.pk)
    data = form_data(client, address)
    add_row(data, "incubations", enterprise=zone.enterprise_b.pk, entered_on="2025-01-01", note="")
    response = client.post(address, data)
    assert response.status_code == 302, messages_of(response)
    incubation = Incubation.objects.get(platform=incubator)
    assert incubation.enterprise == zone.enterprise_b
    assert Enterprise.objects.get(pk=zone.enterprise_b.pk).is_incubated
    text = page(client, address)
    assert "乙企业" in text and "孵化企业" in text
    # the same enterprise twice: refused, nothing more
    data = form_data(client, address)
    add_row(data, "incubations", enterprise=zone.enterprise_b.pk, entered_on="2025-02-01")
    client.post(address, data)
    assert Incubation.objects.filter(platform=incubator).count() == 1
    # the row removed: the flag goes with it
    data = form_data(client, address)
    data["incubations-0-DELETE"] = "on"
    response = client.post(address, data)
    assert response.status_code == 302, messages_of(response)
    assert not Incubation.objects.exists()
    assert not Enterprise.objects.get(pk=zone.enterprise_b.pk).is_incubated


def test_a_platform_with_incubations_is_not_deleted_and_says_why(client, world, zone, office):
    services.incubation_save(actor=None, platform=world["makerspace"], enterprise=zone.enterprise_a)
    client.force_login(office)
    response = client.post(
        url("talent_platform_delete", world["makerspace"].pk), {"post": "yes"}, follow=True
    )
    text = response.content.decode()
    assert "不能删除" in text or "受保护" in text
    assert Incubation.objects.filter(platform=world["makerspace"]).exists()


def test_an_innovation_is_recorded_with_its_kinds_fields_and_universities(client, world, zone, office):
    client.force_login(office)
    text = page(client, url("talent_innovation_add"))
    for title in (
        "重点科技项目",
        "结题日期",
        "项目经费",
        "专利类型",
        "专利号",
        "专利权人",
        "合作形式",
        "合作高校",
    ):
        assert title in text, title
    base = {
        "name": "共建新材料实验室",
        "kind": InnovationKind.COOPERATION,
        "level": "",
        "enterprise": zone.enterprise_b.pk,
        "dated_on": "2025-12-31",
        "ends_on": "",
        "funding": "",
        "patent_kind": "",
        "patent_number": "",
        "holder": "",
        "form": "laboratory",
        "universities": "",
        "note": "",
    }
    response = client.post(url("talent_innovation_add"), base, follow=True)
    assert "校地合作请填写合作高校" in response.content.decode()
    assert not Innovation.objects.filter(name="共建新材料实验室").exists()
    response = client.post(url("talent_innovation_add"), {**base, "patent_number": "ZL1"})
    assert response.status_code == 200 and "只有专利填写专利号" in response.content.decode()
    response = client.post(
        url("talent_innovation_add"), {**base, "universities": "西北大学、 长安大学，西北大学"}
    )
    assert response.status_code == 302
    made = Innovation.objects.get(name="共建新材料实验室")
    assert list(made.universities.values_list("name", flat=True)) == ["西北大学", "长安大学"]
    text = page(client, url("talent_innovation_change", made.pk))
    assert "西北大学、长安大学" in text
    # changed on its page: the universities replaced by what the text names
    data = form_data(client, url("talent_innovation_change", made.pk))
    data["universities"] = "长安大学、陕西科技大学"
    response = client.post(url("talent_innovation_change", made.pk), data)
    assert response.status_code == 302, messages_of(response)
    assert sorted(made.universities.values_list("name", flat=True)) == ["长安大学", "陕西科技大学"]


def test_the_innovation_list_filters_by_kind_level_and_state(client, world, zone, office):
    contact = make_user("enterprise_contact", enterprise=zone.enterprise_a)
    f.innovation("一种中药饮片炮制装置", actor=contact, enterprise=zone.enterprise_a)
    client.force_login(office)
    base = url("talent_innovation_changelist")

    def names(query):
        response = client.get(f"{base}?{query}")
        assert response.status_code == 200
        return {i.name for i in response.context["cl"].result_list}

    assert names("kind=patent") == {"一种中药提取工艺", "一种中药饮片炮制装置"}
    assert names("review=pending") == {"一种中药饮片炮制装置"}
    assert names("level=provincial") == {"中药材种植关键技术研究"}
    assert names("q=西安交通大学") == {"共建中药研发中心"}
    # the contact sees their enterprise's only
    client.force_login(contact)
    response = client.get(base)
    assert {i.name for i in response.context["cl"].result_list} == {
        "一种中药提取工艺",
        "共建中药研发中心",
        "一种中药饮片炮制装置",
    }
    assert client.get(url("talent_innovation_change", world["project"].pk)).status_code == 404
    # the platform hosted by their enterprise they read; one of the zone's they do not reach
    assert client.get(url("talent_platform_change", world["research"].pk)).status_code == 200
    assert client.get(url("talent_platform_change", world["makerspace"].pk)).status_code == 404
