"""The talent and innovation figures as INDICATORS.md defines them, at the period's edges (1
January, 31 December, the day of an exit or a withdrawal): intake in the period, the pool as of
the period end and its mix, platforms recognised and not withdrawn by the period end by type and
level, innovations dated on or before the period end, universities counted once, support paid in
the period, experts engaged. Only confirmed records count; a record with an enterprise counts
under its organization, one without only at the root."""

import datetime
import json
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command

from dangjian.core.indicators import Period, all_indicators, compute, get, json_value
from dangjian.talent import services
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

pytestmark = pytest.mark.django_db

Y = 2025
PERIOD = Period.year(Y)
D = datetime.date
JAN1, DEC31 = D(Y, 1, 1), D(Y, 12, 31)
DOCUMENTED = (
    "talent.pool_intake",
    "platforms.count",
    "innovation.key_projects",
    "innovation.achievements",
    "innovation.patents",
    "innovation.universities",
)
EXTRA = ("talent.pool_size", "talent.support_paid", "talent.experts")


def value(code, period=PERIOD, **options):
    return compute(code, period=period, **options).value


def names(code, period=PERIOD, **options):
    return sorted(str(r) for r in compute(code, period=period, **options).records)


def test_the_figures_are_registered_with_their_names_and_units_in_the_documents_order():
    assert [(get(c).name, get(c).unit) for c in DOCUMENTED + EXTRA] == [
        ("人才动态入库人数", "名"),
        ("创新平台数", "个"),
        ("重点科技项目数", "个"),
        ("省级以上科技成果数", "项"),
        ("专利数", "个"),
        ("合作高校数", "所"),
        ("人才库在库人数", "名"),
        ("人才政策兑现金额", "元"),
        ("院士专家数", "名"),
    ]
    codes = [i.code for i in all_indicators()]
    positions = [codes.index(c) for c in DOCUMENTED]
    assert positions == sorted(positions)
    assert get("platforms.count").filters == ("平台类型", "级别")
    cards = [get(c).dashboard for c in DOCUMENTED + EXTRA if get(c).dashboard is not None]
    assert len(cards) >= 2 and min(cards) > get("investment.funds_received").dashboard


# -- the talent pool ------------------------------------------------------------------------------
def test_intake_on_1_january_and_31_december_counts_outside_the_year_not(db):
    f.talent("一月一日", intake_on=JAN1)
    f.talent("腊月末", intake_on=DEC31)
    f.talent("去年末", intake_on=D(Y - 1, 12, 31))
    f.talent("来年初", intake_on=D(Y + 1, 1, 1))
    assert value("talent.pool_intake") == 2
    assert names("talent.pool_intake") == ["一月一日", "腊月末"]
    assert value("talent.pool_intake", Period.year(Y + 1)) == 1


def test_the_pool_as_of_the_period_end_leaves_out_an_exit_on_that_day_and_shows_the_mix(db):
    staying = f.talent("留库", intake_on=D(Y - 2, 5, 1), category=TalentCategory.LEADING)
    leaving = f.talent("年末出库", intake_on=D(Y - 1, 5, 1), category=TalentCategory.SKILLED)
    after = f.talent("次年出库", intake_on=D(Y - 1, 6, 1), category=TalentCategory.SKILLED)
    f.talent("年末入库", intake_on=DEC31, category=TalentCategory.YOUNG)
    f.talent("次年入库", intake_on=D(Y + 1, 1, 1))
    services.talent_exit(actor=None, talent=leaving, on=DEC31)
    services.talent_exit(actor=None, talent=after, on=D(Y + 1, 1, 1))
    result = compute("talent.pool_size", period=PERIOD)
    assert result.value == 3
    assert sorted(str(r) for r in result.records) == ["年末入库", "次年出库", "留库"]
    assert result.detail["by_category"] == [
        ("产业领军人才", 1),
        ("紧缺高层次人才", 0),
        ("青年英才", 1),
        ("技能人才", 1),
        ("其他", 0),
    ]
    # the exit's year still counts the one who left on its last day
    assert value("talent.pool_size", Period.year(Y - 1)) == 3
    assert staying in compute("talent.pool_size", period=Period.year(Y + 1)).records


def test_submissions_waiting_or_returned_never_count(zone):
    contact = make_user("enterprise_contact", enterprise=zone.enterprise_a)
    office = make_user("talent_staff", organization=zone.root)
    waiting = f.talent("待确认人才", actor=contact, enterprise=zone.enterprise_a, intake_on=D(Y, 6, 1))
    returned = f.talent("被退回人才", actor=contact, enterprise=zone.enterprise_a, intake_on=D(Y, 6, 1))
    services.submission_return(actor=office, record=returned, reason="信息不全")
    patent = f.innovation("待确认专利", actor=contact, enterprise=zone.enterprise_a)
    for code in ("talent.pool_intake", "talent.pool_size", "innovation.patents"):
        assert value(code) == 0, code
    services.submission_confirm(actor=office, record=waiting)
    services.submission_confirm(actor=office, record=patent)
    assert value("talent.pool_intake") == value("talent.pool_size") == value("innovation.patents") == 1


def test_support_paid_in_the_period_is_summed_at_the_edges(zone):
    policy = services.policy_save(actor=None, instance=TalentPolicy(name="高层次人才安家补贴"))
    talent = f.talent("领军人才", intake_on=D(Y - 1, 3, 1), enterprise=zone.enterprise_a)
    for on, amount in ((JAN1, "50000"), (DEC31, "30000.50"), (D(Y - 1, 12, 31), "7"), (D(Y + 1, 1, 1), "9")):
        services.support_save(actor=None, talent=talent, policy=policy, paid_on=on, amount=Decimal(amount))
    assert value("talent.support_paid") == Decimal("80000.5")
    assert json_value(value("talent.support_paid")) == 80000.5
    assert compute("talent.support_paid", period=PERIOD).records.count() == 2
    assert value("talent.support_paid", scope=zone.committee_a) == Decimal("80000.5")
    assert value("talent.support_paid", scope=zone.branch_b) == 0
    assert value("talent.support_paid", Period.year(Y - 3)) == 0


def test_experts_engaged_in_the_period(zone):
    def expert(name, agreed_on=None, agreed_until=None):
        return services.expert_save(
            actor=None,
            name=name,
            enterprise=zone.enterprise_a,
            topic="中药新药研发",
            agreed_on=agreed_on,
            agreed_until=agreed_until,
        )

    expert("无日期院士")
    expert("年末签约", agreed_on=DEC31)
    expert("次年签约", agreed_on=D(Y + 1, 1, 1))
    expert("年初到期", agreed_on=D(Y - 2, 1, 1), agreed_until=JAN1)
    expert("去年到期", agreed_on=D(Y - 2, 1, 1), agreed_until=D(Y - 1, 12, 31))
    assert names("talent.experts") == ["年初到期（甲企业）", "年末签约（甲企业）", "无日期院士（甲企业）"]
    assert value("talent.experts", scope=zone.branch_b) == 0


# -- platforms ------------------------------------------------------------------------------------
def test_a_platform_recognised_on_the_period_end_counts_withdrawn_on_it_not_the_day_after_yes(db):
    f.platform("年末认定平台", recognised_on=DEC31)
    f.platform("次年认定平台", recognised_on=D(Y + 1, 1, 1))
    f.platform("无认定日期平台")
    on_end = f.platform("年末撤销平台", recognised_on=D(Y - 3, 1, 1))
    day_after = f.platform("次日撤销平台", recognised_on=D(Y - 3, 1, 1))
    services.platform_withdraw(actor=None, platform=on_end, on=DEC31, reason="复核不合格")
    services.platform_withdraw(actor=None, platform=day_after, on=D(Y + 1, 1, 1), reason="复核不合格")
    assert names("platforms.count") == ["年末认定平台", "无认定日期平台", "次日撤销平台"]
    assert value("platforms.count", Period.year(Y + 1)) == 3


def test_a_month_only_recognition_counts_from_its_month(db):
    f.platform("十二月认定平台", recognised_on=D(Y, 12, 1), recognised_month_only=True)
    assert value("platforms.count") == 1
    assert value("platforms.count", Period.year(Y - 1)) == 0


def test_platforms_by_type_and_level_by_their_chinese_names_or_codes(db):
    f.platform("省级研发一", kind=PlatformKind.RESEARCH, level=PlatformLevel.PROVINCIAL)
    f.platform("省级研发二", kind=PlatformKind.RESEARCH, level=PlatformLevel.PROVINCIAL)
    f.platform("市级研发", kind=PlatformKind.RESEARCH, level=PlatformLevel.MUNICIPAL)
    f.platform("省级孵化器", kind=PlatformKind.INCUBATOR, level=PlatformLevel.PROVINCIAL)
    f.platform("省级众创空间", kind=PlatformKind.MAKERSPACE, level=PlatformLevel.PROVINCIAL)
    assert value("platforms.count") == 5
    assert value("platforms.count", 平台类型="研发平台") == 3
    assert value("platforms.count", 平台类型="研发平台", 级别="省级") == 2
    assert value("platforms.count", kind="research", level="municipal") == 1
    assert value("platforms.count", 级别="省级") == 4
    assert value("platforms.count", 平台类型="孵化器") == 1
    assert value("platforms.count", 平台类型="没有这种平台") == 0


def test_a_platform_of_an_enterprise_counts_under_its_organization_one_without_at_the_root(zone):
    f.platform("甲企业研发中心", enterprise=zone.enterprise_a)
    f.platform("乙企业研发中心", enterprise=zone.enterprise_b)
    f.platform("高校研发平台", host="西北大学")
    assert value("platforms.count") == 3
    assert value("platforms.count", scope=zone.root) == 3
    assert names("platforms.count", scope=zone.committee_a) == ["甲企业研发中心"]
    assert names("platforms.count", scope=zone.branch_b) == ["乙企业研发中心"]
    # a user's figure is what they may see
    contact = make_user("enterprise_contact", enterprise=zone.enterprise_a)
    assert names("platforms.count", user=contact) == ["甲企业研发中心"]


# -- innovations ----------------------------------------------------------------------------------
def test_patents_granted_on_or_before_31_december_count(db):
    f.innovation("年末授权专利", dated_on=DEC31)
    f.innovation("年初授权专利", dated_on=JAN1)
    f.innovation("往年授权专利", dated_on=D(Y - 4, 7, 1))
    f.innovation("次年授权专利", dated_on=D(Y + 1, 1, 1))
    assert value("innovation.patents") == 3
    assert value("innovation.patents", Period.year(Y - 1)) == 1
    assert value("innovation.patents", Period.year(Y + 1)) == 4


def test_key_projects_and_provincial_or_higher_achievements_on_or_before_the_period_end(db):
    f.innovation(
        "重点项目一", kind=InnovationKind.KEY_PROJECT, dated_on=DEC31, level=InnovationLevel.MUNICIPAL
    )
    f.innovation("重点项目二", kind=InnovationKind.KEY_PROJECT, dated_on=D(Y + 1, 1, 1))
    f.innovation(
        "国家级成果", kind=InnovationKind.ACHIEVEMENT, level=InnovationLevel.NATIONAL, dated_on=DEC31
    )
    f.innovation("省级成果", kind=InnovationKind.ACHIEVEMENT, level=InnovationLevel.PROVINCIAL)
    f.innovation("市级成果", kind=InnovationKind.ACHIEVEMENT, level=InnovationLevel.MUNICIPAL)
    f.innovation("无级别成果", kind=InnovationKind.ACHIEVEMENT)
    f.innovation("次年省级成果", kind=InnovationKind.ACHIEVEMENT, level="provincial", dated_on=D(Y + 1, 1, 1))
    assert names("innovation.key_projects") == ["重点科技项目：重点项目一"]
    assert names("innovation.achievements") == ["科技成果：国家级成果", "科技成果：省级成果"]
    assert value("innovation.patents") == 0  # other kinds are not patents


def test_universities_are_distinct_across_cooperations_and_several_in_one(zone):
    f.innovation(
        "共建中药研发中心",
        kind=InnovationKind.COOPERATION,
        universities="西北大学、西安交通大学",
        enterprise=zone.enterprise_a,
        dated_on=D(Y, 3, 1),
    )
    f.innovation(
        "共建新材料实验室",
        kind=InnovationKind.COOPERATION,
        universities=["西北大学", "陕西师范大学"],
        enterprise=zone.enterprise_b,
        dated_on=DEC31,
    )
    f.innovation(
        "来年合作", kind=InnovationKind.COOPERATION, universities="长安大学", dated_on=D(Y + 1, 1, 1)
    )
    f.innovation("区校合作", kind=InnovationKind.COOPERATION, universities="商洛学院", dated_on=D(Y, 5, 1))
    result = compute("innovation.universities", period=PERIOD)
    assert result.value == 4
    assert sorted(str(r) for r in result.records) == ["商洛学院", "西北大学", "西安交通大学", "陕西师范大学"]
    (northwest,) = [r for r in result.records if r.name == "西北大学"]
    assert result.parts[0].value(northwest) == "共建中药研发中心、共建新材料实验室"
    assert value("innovation.universities", Period.year(Y + 1)) == 5
    assert value("innovation.universities", Period.year(Y - 1)) == 0
    assert value("innovation.universities", scope=zone.committee_a) == 2
    assert value("innovation.universities", scope=zone.branch_b) == 2


def test_an_innovation_of_enterprise_a_counts_under_a_not_b_and_one_without_only_at_the_root(zone):
    f.innovation("甲企业专利", enterprise=zone.enterprise_a)
    f.innovation("无企业专利")
    assert value("innovation.patents") == 2
    assert names("innovation.patents", scope=zone.committee_a) == ["专利：甲企业专利"]
    assert names("innovation.patents", scope=zone.branch_a1) == []  # the enterprise's org is the committee
    assert value("innovation.patents", scope=zone.branch_b) == 0
    f.talent("甲企业人才", enterprise=zone.enterprise_a, intake_on=D(Y, 4, 1))
    f.talent("外单位人才", employer="西北大学", intake_on=D(Y, 4, 1))
    assert value("talent.pool_intake") == 2
    assert names("talent.pool_intake", scope=zone.committee_a) == ["甲企业人才"]
    assert value("talent.pool_intake", scope=zone.branch_b) == 0


def test_the_command_prints_the_talent_figures_as_json(db):
    f.talent("入库人才", intake_on=D(Y, 6, 1))
    f.platform("研发平台一", recognised_on=D(Y, 2, 1))
    out = StringIO()
    call_command("indicators", "--year", str(Y), "--json", stdout=out)
    figures = json.loads(out.getvalue())["indicators"]
    for code in DOCUMENTED + EXTRA:
        assert code in figures, code
    assert figures["talent.pool_intake"] == {"name": "人才动态入库人数", "unit": "名", "value": 1}
    assert figures["platforms.count"]["value"] == 1
    assert figures["talent.support_paid"]["value"] == 0
