"""The enterprise's page shows its talents, platforms, incubations, patents, other innovations,
experts and key projects, each a link for who may open it and nothing of another enterprise;
the overview page gives a year's figures, the pool's mix and the platforms by type and level,
and exports them."""

import datetime
from decimal import Decimal

import pytest

from dangjian.core.testing.ledgers import read_export
from dangjian.projects.services import projects as project_services
from dangjian.talent import services
from dangjian.talent.admin import overview
from dangjian.talent.models import (
    InnovationKind,
    InnovationLevel,
    PlatformKind,
    PlatformLevel,
    TalentCategory,
    TalentPolicy,
)
from dangjian.talent.tests import factories as f
from dangjian.testing.factories import make_user

from .admin_helpers import no_tags, page, url

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def office(zone):
    return make_user("talent_staff", organization=zone.root)


@pytest.fixture
def world(zone):
    a, b = zone.enterprise_a, zone.enterprise_b
    zhang = f.talent("张三", enterprise=a, intake_on=D(2025, 1, 1), category=TalentCategory.LEADING)
    f.talent("李四", enterprise=b, intake_on=D(2024, 12, 31), exit_on=D(2025, 12, 31))
    f.talent("王五", employer="西北大学", intake_on=D(2025, 12, 31))
    policy = services.policy_save(actor=None, instance=TalentPolicy(name="安家补贴"))
    services.support_save(
        actor=None, talent=zhang, policy=policy, paid_on=D(2025, 12, 31), amount=Decimal("8000")
    )
    research = f.platform("甲企业中药研发中心", enterprise=a, recognised_on=D(2025, 3, 1))
    incubator = f.platform(
        "高新区科技企业孵化器",
        kind=PlatformKind.INCUBATOR,
        level=PlatformLevel.PROVINCIAL,
        recognised_on=D(2024, 1, 1),
    )
    f.platform("乙企业新能源实验室", enterprise=b, level=PlatformLevel.MUNICIPAL, recognised_on=D(2025, 1, 1))
    services.incubation_save(actor=None, platform=incubator, enterprise=a, entered_on=D(2025, 2, 1))
    patent = f.innovation("一种中药提取工艺", enterprise=a, patent_kind="invention", dated_on=D(2025, 12, 31))
    f.innovation("一种电池隔膜", enterprise=b, dated_on=D(2025, 5, 1))
    f.innovation("一种中药饮片", enterprise=a, dated_on=D(2026, 1, 1))
    cooperation = f.innovation(
        "共建中药研发中心",
        kind=InnovationKind.COOPERATION,
        enterprise=a,
        universities="西北大学、西安交通大学",
        dated_on=D(2025, 4, 1),
    )
    f.innovation(
        "中药材标准研究",
        kind=InnovationKind.ACHIEVEMENT,
        level=InnovationLevel.PROVINCIAL,
        dated_on=D(2025, 1, 1),
    )
    expert = services.expert_save(
        actor=None, name="赵院士", enterprise=a, topic="中药现代化", agreed_on=D(2025, 1, 1)
    )
    services.expert_save(actor=None, name="钱院士", enterprise=b, topic="储能材料")
    return {
        "zhang": zhang,
        "research": research,
        "incubator": incubator,
        "patent": patent,
        "cooperation": cooperation,
        "expert": expert,
    }


def test_the_enterprise_page_shows_its_talent_platform_and_innovation_records(client, world, zone, office):
    a = zone.enterprise_a
    (
        project_services.project_save(
            actor=None, name="甲企业新厂区建设项目", owner_enterprise=a, total_investment=Decimal("30000")
        )
        if hasattr(project_services, "project_save")
        else None
    )
    client.force_login(make_user("zone_admin", organization=zone.root))
    text = page(client, url("enterprises_enterprise_change", a.pk))
    plain = no_tags(text)
    for title in (
        "人才（1）",
        "创新平台（1）",
        "入孵情况（1）",
        "专利（2）",
        "其他科技创新（1）",
        "院士专家（1）",
    ):
        assert title in plain, title
    for shown in (
        "张三",
        "甲企业中药研发中心",
        "高新区科技企业孵化器",
        "一种中药提取工艺",
        "共建中药研发中心",
        "西北大学、西安交通大学",
        "赵院士",
    ):
        assert shown in text, shown
    for other in ("李四", "乙企业新能源实验室", "一种电池隔膜", "钱院士", "王五"):
        assert other not in text, other
    assert url("talent_talent_change", world["zhang"].pk) in text
    assert url("talent_platform_change", world["incubator"].pk) in text
    assert url("talent_innovation_change", world["patent"].pk) in text
    assert url("talent_expert_change", world["expert"].pk) in text
    assert "重点项目（1）" in plain and "甲企业新厂区建设项目" in text
    # an enterprise never incubated has no such panel
    assert "入孵情况" not in no_tags(page(client, url("enterprises_enterprise_change", zone.enterprise_b.pk)))


def test_the_enterprise_page_shows_records_as_links_only_to_who_may_open_them(client, world, zone):
    # a secretary sees the enterprise but no talent records: no panels of them
    secretary = make_user("secretary", organization=zone.committee_a)
    client.force_login(secretary)
    response = client.get(url("enterprises_enterprise_change", zone.enterprise_a.pk))
    if response.status_code == 200:
        text = no_tags(response.content.decode())
        assert "张三" not in text and "人才（" not in text
    # the talent office sees them, each a link
    office = make_user("talent_staff", organization=zone.root)
    client.force_login(office)
    text = page(client, url("enterprises_enterprise_change", zone.enterprise_a.pk))
    assert url("talent_talent_change", world["zhang"].pk) in text


def test_the_overview_gives_the_years_figures_mix_and_platform_grid(client, world, office):
    client.force_login(office)
    response = client.get(url("talent_overview"), {"year": 2025})
    assert response.status_code == 200
    context = response.context
    figures = {name: value for name, value, _unit in context["figures"]}
    # intake in 2025: 张三 (1 January) and 王五 (31 December); 李四 (31 December 2024) not
    assert figures["人才动态入库人数"] == "2"
    # in the pool at the year's end: 李四 left on 31 December, 王五 came that day
    pool = next(v for k, v in figures.items() if "在库" in k)
    assert pool == "2"
    assert figures["创新平台数"] == "3"
    assert figures["专利数"] == "2"  # the one of 1 January 2026 not yet
    assert figures["合作高校数"] == "2"
    assert figures["省级以上科技成果数"] == "1"
    assert next(v for k, v in figures.items() if "兑现" in k) == "8,000.00"
    mix = dict(context["mix"])
    assert mix["产业领军人才"] == 1 and mix["青年英才"] == 1 and mix["技能人才"] == 0
    headers, grid = context["grid_headers"], context["grid"]
    assert headers == ["平台类型", "国家级", "省级", "市级", "合计"]
    rows = {row[0]: row[1:] for row in grid}
    assert (
        rows["研发平台"] == [0, 1, 1, 2] and rows["孵化器"] == [0, 1, 0, 1] and rows["合计"] == [0, 2, 1, 3]
    )
    text = page(client, url("talent_overview") + "?year=2025")
    assert "人才与创新概览" in text and "导出 Excel" in text
    # a year before anything: nothing
    response = client.get(url("talent_overview"), {"year": 2023})
    assert {name: value for name, value, _unit in response.context["figures"]}["创新平台数"] == "0"


def test_the_overview_exports_and_refuses_a_bad_year_in_chinese(client, world, zone, office):
    client.force_login(office)
    exported = client.get(url("talent_overview"), {"year": 2025, "format": "xlsx"})
    assert exported.status_code == 200
    rows = read_export(exported.content)
    flat = [[str(c) for c in row if c is not None] for row in rows]
    assert any("人才动态入库人数" in row and "2" in row for row in flat)
    assert any("产业领军人才" in row for row in flat)
    assert any("研发平台（省级）" in row for row in flat)
    for bad in ("abc", "99999", "-1"):
        response = client.get(url("talent_overview"), {"year": bad})
        assert response.status_code == 200, bad
        assert "figures" not in response.context
    leader = make_user("leader", organization=zone.root)
    client.force_login(leader)
    assert client.get(url("talent_overview"), {"year": 2025}).status_code == 200


def test_the_overview_shows_the_registered_indicators_as_computed_for_the_user(world, office):
    from dangjian.core import indicators

    period = indicators.Period.year(2025)
    shown = overview.figures(office, period)
    assert [name for name, _value, _unit in shown] == [indicators.get(code).name for code in overview.FIGURES]
    assert [unit for _name, _value, unit in shown] == [indicators.get(code).unit for code in overview.FIGURES]
    intake = indicators.compute("talent.pool_intake", period=period, user=office).value
    assert dict((name, value) for name, value, _unit in shown)["人才动态入库人数"] == f"{intake:,}"
