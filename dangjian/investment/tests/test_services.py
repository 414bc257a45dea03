"""The stage rules of a project and their Chinese refusals (nothing changed by a refused move),
tranches, the duplicate check, and the rules of appointments with the grant they carry."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from dangjian.investment import services
from dangjian.investment.models import InvestmentProject, PersonRole, Stage
from dangjian.investment.tests import factories as f

pytestmark = pytest.mark.django_db

D = datetime.date


def refused(call, field, message):
    with pytest.raises(ValidationError) as caught:
        call()
    assert caught.value.message_dict == {field: [message]}


def advance(project, stage, on, **more):
    return services.project_advance(actor=None, project=project, stage=stage, on=on, **more)


def stored(project):
    return InvestmentProject.objects.get(pk=project.pk)


def unchanged(project, before):
    after = stored(project)
    fields = ("stage", "negotiating_on", "signed_on", "signed_amount", "started_on", "terminated_on")
    assert {n: getattr(after, n) for n in fields} == {n: getattr(before, n) for n in fields}
    assert after.events.count() == before.events.count()


# -- stages ----------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "stage, message",
    [
        (Stage.SIGNED, "项目处于“线索”阶段，下一步只能是“洽谈”或终止"),
        (Stage.STARTED, "项目处于“线索”阶段，下一步只能是“洽谈”或终止"),
        (Stage.LEAD, "项目处于“线索”阶段，下一步只能是“洽谈”或终止"),
        ("nonsense", "项目处于“线索”阶段，下一步只能是“洽谈”或终止"),
    ],
)
def test_a_lead_moves_only_to_negotiation(stage, message):
    p = f.project("线索项目", recorded_on=D(2025, 3, 1))
    before = stored(p)
    refused(lambda: advance(p, stage, D(2025, 3, 5), signed_amount=Decimal(1)), "stage", message)
    unchanged(p, before)


def test_each_stage_moves_to_the_next_only_and_production_is_the_last():
    p = f.signed("全流程项目", on=D(2025, 3, 1))
    refused(
        lambda: advance(p, Stage.PRODUCING, D(2025, 4, 1)),
        "stage",
        "项目处于“签约”阶段，下一步只能是“开工”或终止",
    )
    advance(p, Stage.STARTED, D(2025, 4, 1))
    advance(p, Stage.PRODUCING, D(2025, 5, 1))
    assert stored(p).stage == Stage.PRODUCING and services.next_stage(p) is None
    refused(lambda: advance(p, Stage.PRODUCING, D(2025, 5, 2)), "stage", "项目已投产，是最后一个阶段")
    kinds = list(p.events.values_list("stage", flat=True))
    assert kinds == ["lead", "negotiating", "signed", "started", "producing"]


def test_a_date_before_the_previous_stage_is_refused_and_the_same_day_allowed():
    p = f.project("日期项目", recorded_on=D(2025, 3, 10))
    before = stored(p)
    refused(
        lambda: advance(p, Stage.NEGOTIATING, D(2025, 3, 9)),
        "negotiating_on",
        "日期不能早于上一阶段的日期 2025-03-10",
    )
    unchanged(p, before)
    advance(p, Stage.NEGOTIATING, D(2025, 3, 10))
    assert stored(p).negotiating_on == D(2025, 3, 10)


def test_a_future_date_is_refused():
    p = f.project("未来项目", recorded_on=D(2025, 3, 10))
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    before = stored(p)
    refused(lambda: advance(p, Stage.NEGOTIATING, tomorrow), "negotiating_on", "日期不能晚于今天")
    unchanged(p, before)
    refused(lambda: f.project("未来线索", recorded_on=tomorrow), "recorded_on", "线索日期不能晚于今天")


@pytest.mark.parametrize(
    "amount, message",
    [
        (None, "签约须填写签约金额（万元）"),
        ("", "签约须填写签约金额（万元）"),
        (Decimal(0), "签约金额应大于 0"),
    ],
)
def test_signing_needs_a_positive_amount(amount, message):
    p = f.project("签约项目", recorded_on=D(2025, 3, 1))
    advance(p, Stage.NEGOTIATING, D(2025, 3, 2))
    before = stored(p)
    refused(lambda: advance(p, Stage.SIGNED, D(2025, 3, 3), signed_amount=amount), "signed_amount", message)
    unchanged(p, before)


def test_terminate_needs_a_reason_and_not_from_production():
    p = f.project("终止项目", recorded_on=D(2025, 3, 1))
    before = stored(p)
    refused(
        lambda: services.project_terminate(actor=None, project=p, on=D(2025, 3, 5), reason="  "),
        "termination_reason",
        "终止须填写原因",
    )
    unchanged(p, before)
    done = f.signed("投产项目", on=D(2025, 3, 1))
    advance(done, Stage.STARTED, D(2025, 3, 2))
    advance(done, Stage.PRODUCING, D(2025, 3, 3))
    refused(
        lambda: services.project_terminate(actor=None, project=done, on=D(2025, 3, 5), reason="撤资"),
        "stage",
        "项目已投产，不能终止",
    )


def test_a_terminated_project_resumes_at_the_stage_it_left():
    p = f.signed("恢复项目", on=D(2025, 3, 1))
    services.project_terminate(actor=None, project=p, on=D(2025, 3, 5), reason="投资方暂缓")
    assert stored(p).stage == Stage.TERMINATED and stored(p).stage_before_termination == Stage.SIGNED
    refused(lambda: advance(p, Stage.STARTED, D(2025, 3, 6)), "stage", "项目已终止，不能再变更阶段")
    refused(
        lambda: services.project_terminate(actor=None, project=p, on=D(2025, 3, 6), reason="再次"),
        "stage",
        "项目已终止",
    )
    refused(
        lambda: services.project_resume(actor=None, project=p, on=D(2025, 3, 4)),
        "on",
        "日期不能早于终止日期 2025-03-05",
    )
    services.project_resume(actor=None, project=p, on=D(2025, 3, 6))
    p = stored(p)
    assert (p.stage, p.terminated_on, p.termination_reason) == (Stage.SIGNED, None, "")
    refused(
        lambda: services.project_resume(actor=None, project=p, on=D(2025, 3, 7)),
        "stage",
        "只有已终止的项目可以恢复",
    )


# -- tranches --------------------------------------------------------------------------------------
def test_a_tranche_on_a_lead_or_before_signing_is_refused():
    lead = f.project("线索资金项目", recorded_on=D(2025, 3, 1))
    refused(
        lambda: services.tranche_add(actor=None, project=lead, received_on=D(2025, 3, 2), amount=Decimal(1)),
        "project",
        "项目处于“线索”阶段，签约后才能登记到位资金",
    )
    p = f.signed("签约资金项目", on=D(2025, 3, 10))
    refused(
        lambda: services.tranche_add(actor=None, project=p, received_on=D(2025, 3, 9), amount=Decimal(1)),
        "received_on",
        "到位日期不能早于签约日期 2025-03-10",
    )
    refused(
        lambda: services.tranche_add(actor=None, project=p, received_on=D(2025, 3, 10), amount=Decimal(0)),
        "amount",
        "到位资金金额应大于 0",
    )
    services.tranche_add(actor=None, project=p, received_on=D(2025, 3, 10), amount=Decimal("2.5"))
    assert p.funds_total == Decimal("2.5") and not lead.tranches.exists()


# -- the duplicate check ---------------------------------------------------------------------------
def test_the_same_investor_with_or_without_youxian_gongsi_is_flagged():
    first = f.project("光伏组件项目", investor="陕西秦岭新能源有限公司")
    second = f.project("储能电站建设", investor="陕西秦岭新能源")
    assert list(second.possible_duplicates.all()) == [first]
    assert second.events.filter(kind="duplicate").exists()


def test_a_full_width_name_and_a_near_identical_name_are_flagged():
    first = f.project("ABC新材料产业园项目", investor="")
    wide = f.project("ＡＢＣ新材料产业园", investor="")
    near = f.project("ABC新材料产业园二期项目", investor="")
    assert first in wide.possible_duplicates.all()
    assert first in near.possible_duplicates.all()


def test_a_different_project_is_not_flagged():
    f.project("生物医药原料药项目", investor="甲公司")
    other = f.project("电子信息封装测试项目", investor="乙集团")
    assert not other.possible_duplicates.exists()
    assert not other.events.filter(kind="duplicate").exists()


# -- appointments ------------------------------------------------------------------------------------
def test_a_team_member_needs_a_team_and_an_ambassador_none():
    refused(lambda: f.person("无队队员", role=PersonRole.MEMBER), "team", "小分队队员须填写所在小分队")
    team = f.team()
    refused(lambda: f.person("有队大使", team=team), "team", "招商大使不属于小分队，请留空")
    refused(
        lambda: f.person("倒序", appointed_on=D(2025, 3, 1), left_on=D(2025, 2, 1)),
        "left_on",
        "离任日期不能早于聘任日期",
    )


def test_a_second_appointment_in_post_of_the_same_name_and_role_is_refused():
    f.person("张三")
    refused(lambda: f.person("张三"), "name", "“张三”已是在任的招商大使")
    f.person("张三", role=PersonRole.ADVISOR)  # another role: allowed


def test_a_team_appointment_carries_the_grant_until_the_day_before_departure():
    team = f.team()
    member = f.person("队员", role=PersonRole.MEMBER, team=team, appointed_on=D(2025, 1, 1))
    grant = member.grant
    assert grant.role.code == "investment_staff" and grant.object_id == team.pk
    assert (grant.valid_from, grant.valid_until) == (D(2025, 1, 1), None)
    services.person_leave(actor=None, person=member, on=D(2025, 6, 30))
    grant.refresh_from_db()
    assert grant.valid_until == D(2025, 6, 29)
    refused(
        lambda: services.person_leave(actor=None, person=member, on=D(2025, 7, 1)),
        "left_on",
        "“队员”已于 2025-06-30 离任",
    )
    ambassador = f.person("外部大使")
    assert ambassador.grant is None and ambassador.user is None
