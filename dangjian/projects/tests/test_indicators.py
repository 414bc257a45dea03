"""projects.key_projects, projects.cadres, problems.solved, problems.solved_by_finance_meetings and
problems.solved_by_visits exactly as INDICATORS.md defines them, at the edges of the period and
of the scope."""

import datetime

import pytest

from dangjian.cadres import services as cadre_services
from dangjian.core.indicators import Period, compute, get
from dangjian.core.testing.ledgers import import_rows
from dangjian.organizations.models import OrgKind
from dangjian.projects import services
from dangjian.projects.models import ProblemSource
from dangjian.testing.factories import make_org

from .factories import ONE_DAY, assign, make_cadre, make_problem, make_project, today, user_of

pytestmark = pytest.mark.django_db

D = datetime.date
Y2025 = Period.year(2025)


def value(code, period=Y2025, **options):
    return compute(code, period=period, **options).value


def names(code, period=Y2025, **options):
    """The projects' or cadres' names, or the problems' descriptions, behind a figure."""
    records = compute(code, period=period, **options).records
    return sorted(getattr(r, "description", None) or r.name for r in records)


def test_the_five_indicators_are_registered_with_their_names_and_units():
    found = {
        code: (get(code).name, get(code).unit)
        for code in (
            "projects.key_projects",
            "projects.cadres",
            "problems.solved",
            "problems.solved_by_finance_meetings",
            "problems.solved_by_visits",
        )
    }
    assert found == {
        "projects.key_projects": ("包抓重点项目数", "个"),
        "projects.cadres": ("包抓干部数", "名"),
        "problems.solved": ("解决问题数", "个"),
        "problems.solved_by_finance_meetings": ("政银企对接解决问题数", "个"),
        "problems.solved_by_visits": ("上门问诊解决问题数", "个"),
    }
    assert get("problems.solved").filters == ("问题来源", "问题类别")


# -- projects.key_projects, projects.cadres ----------------------------------------------------------
def test_a_project_counts_with_a_cadre_assigned_on_the_periods_last_day():
    wang, li = make_cadre("王"), make_cadre("李")
    make_project("年末起包抓", cadres=[wang], on=D(2025, 12, 31))
    make_project("次年起包抓", cadres=[li], on=D(2026, 1, 1))
    make_project("无人包抓")
    assert names("projects.key_projects") == ["年末起包抓"]
    assert names("projects.cadres") == ["王"]


def test_an_assignment_ended_before_the_periods_end_does_not_count_and_one_ending_on_it_does():
    wang, li = make_cadre("王"), make_cadre("李")
    ended_before = make_project("年末前结束", cadres=[wang], on=D(2025, 1, 1))
    cadre_services.assignment_set(
        actor=None, project=ended_before, cadres=[], on=D(2025, 12, 31)
    )  # ends 30 Dec
    ended_on = make_project("年末当天结束", cadres=[li], on=D(2025, 1, 1))
    cadre_services.assignment_set(actor=None, project=ended_on, cadres=[], on=D(2026, 1, 1))  # ends 31 Dec
    assert names("projects.key_projects") == ["年末当天结束"]
    assert names("projects.cadres") == ["李"]
    assert value("projects.key_projects", Period.year(2026)) == 0


def test_an_assignment_with_no_known_start_counts_for_every_earlier_period_until_it_ends():
    wang, li = make_cadre("王"), make_cadre("李")
    project = make_project("台账项目", cadres=[wang], on=None)
    for year in (2019, 2025):
        assert value("projects.key_projects", Period.year(year)) == 1
    assign(project, li, on=today())  # 王 ends yesterday; 李 starts today
    assert names("projects.cadres", Period.year(2019)) == ["王"]
    assert names("projects.cadres", Period(today(), today())) == ["李"]
    assert names("projects.cadres", Period(today() - ONE_DAY, today() - ONE_DAY)) == ["王"]


def test_a_cadre_with_several_projects_counts_once_and_enterprise_assignments_do_not_count(zone):
    wang, li = make_cadre("王"), make_cadre("李")
    make_project("项目一", cadres=[wang, li], on=D(2025, 1, 1))
    make_project("项目二", cadres=[wang], on=D(2025, 1, 1))
    assign(zone.enterprise_a, make_cadre("只包企业"), on=D(2025, 1, 1))
    assert value("projects.key_projects") == 2
    assert names("projects.cadres") == ["李", "王"]


def test_key_projects_follow_the_projects_organization_in_the_scope(zone):
    temp = make_org("项目临时党支部", OrgKind.TEMPORARY_BRANCH, zone.committee_a)
    make_project(
        "甲企业项目", owner_enterprise=zone.enterprise_a, cadres=[make_cadre("王")], on=D(2025, 1, 1)
    )
    make_project("临时支部项目", temp_branch=temp, cadres=[make_cadre("李")], on=D(2025, 1, 1))
    make_project(
        "乙企业项目", owner_enterprise=zone.enterprise_b, cadres=[make_cadre("赵")], on=D(2025, 1, 1)
    )
    make_project("无组织项目", cadres=[make_cadre("钱")], on=D(2025, 1, 1))
    assert value("projects.key_projects", scope=zone.root) == 4
    assert value("projects.key_projects", scope=None) == 4
    assert names("projects.key_projects", scope=zone.committee_a) == ["临时支部项目", "甲企业项目"]
    assert names("projects.cadres", scope=zone.committee_a) == ["李", "王"]
    assert names("projects.key_projects", scope=zone.branch_b) == ["乙企业项目"]
    assert value("projects.key_projects", scope=zone.branch_a1) == 0


# -- problems.solved and its two variants -------------------------------------------------------------
def solved(description, closed, *, source=ProblemSource.PROJECT, category="approval", raised=None, **links):
    problem = make_problem(
        description=description,
        raised=raised or closed - ONE_DAY * 10,
        source=source,
        category=category,
        **links,
    )
    return services.problem_solve(actor=None, problem=problem, on=closed, result="办结")


def test_problems_solved_on_the_first_and_last_day_of_the_period_count_and_the_days_outside_do_not():
    solved("元旦办结", D(2025, 1, 1))
    solved("除夕办结", D(2025, 12, 31))
    solved("前一天办结", D(2024, 12, 31))
    solved("后一天办结", D(2026, 1, 1))
    solved("去年提出今年办结", D(2025, 3, 1), raised=D(2024, 6, 1))
    assert names("problems.solved") == sorted(["元旦办结", "除夕办结", "去年提出今年办结"])


def test_only_problems_whose_status_is_solved_count():
    make_problem(description="待办", raised=D(2025, 3, 1))
    in_progress = make_problem(description="办理中", raised=D(2025, 3, 1))
    services.problem_accept(actor=None, problem=in_progress, on=D(2025, 3, 2))
    unsolvable = make_problem(description="无法解决", raised=D(2025, 3, 1))
    services.problem_unsolvable(actor=None, problem=unsolvable, on=D(2025, 4, 1), reason="无解")
    reopened = solved("办结后重新打开", D(2025, 5, 1))
    services.problem_reopen(actor=None, problem=reopened, on=D(2025, 6, 1), reason="复发")
    solved("已办结", D(2025, 5, 1))
    assert value("problems.solved") == 1


def test_a_solved_problem_imported_twice_counts_once():
    rows = [
        ["问题编号", "问题来源", "问题类别", "问题描述", "提出日期", "办理状态", "办结日期"],
        ["WT-1", "政银企对接", "融资", "贷款审批慢", "2025-02-01", "已办结", "2025-03-01"],
        ["", "上门问诊", "用工", "招工难", "2025-02-01", "已办结", "2025-03-01"],
    ]
    for _ in range(2):
        assert import_rows("problems", rows).ok
    assert value("problems.solved") == 2


@pytest.fixture
def mixed():
    solved("对接融资", D(2025, 3, 1), source=ProblemSource.FINANCE_MEETING, category="financing")
    solved("对接政策", D(2025, 3, 1), source=ProblemSource.FINANCE_MEETING, category="policy")
    solved("问诊用工", D(2025, 3, 1), source=ProblemSource.VISIT, category="labor")
    solved("包抓审批", D(2025, 3, 1), source=ProblemSource.PROJECT, category="approval")
    solved("包抓融资", D(2025, 3, 1), source=ProblemSource.PROJECT, category="financing")
    solved("企业诉求", D(2025, 3, 1), source=ProblemSource.REQUEST, category="financing")
    solved("临时支部", D(2025, 3, 1), source=ProblemSource.TEMP_BRANCH, category="construction")


def test_problems_solved_filters_by_source_and_category_given_as_the_ledger_words(mixed):
    assert value("problems.solved") == 7
    assert value("problems.solved", 问题来源="政银企对接") == 2
    assert value("problems.solved", 问题类别="融资") == 3
    assert value("problems.solved", 问题来源="项目包抓", 问题类别="融资") == 1
    assert value("problems.solved", 问题来源="上门问诊", 问题类别="融资") == 0


def test_problems_solved_filters_also_accept_the_stored_values(mixed):
    assert value("problems.solved", source="finance_meeting") == 2
    assert value("problems.solved", category="financing") == 3


def test_solved_by_finance_meetings_counts_source_finance_meeting_only(mixed):
    assert value("problems.solved_by_finance_meetings") == 2
    assert value("problems.solved_by_finance_meetings") == value("problems.solved", 问题来源="政银企对接")


def test_solved_by_visits_counts_visits_and_project_assignments(mixed):
    assert names("problems.solved_by_visits") == sorted(["问诊用工", "包抓审批", "包抓融资"])


def test_solved_by_visits_obeys_the_period_and_the_status():
    solved("问诊年内", D(2025, 12, 31), source=ProblemSource.VISIT)
    solved("问诊年外", D(2026, 1, 1), source=ProblemSource.VISIT)
    problem = make_problem(description="问诊未办结", raised=D(2025, 3, 1), source=ProblemSource.VISIT)
    services.problem_unsolvable(actor=None, problem=problem, on=D(2025, 4, 1), reason="无解")
    assert value("problems.solved_by_visits") == 1
    assert value("problems.solved_by_finance_meetings") == 0


def test_problems_solved_follow_the_organization_of_their_project_or_enterprise(zone):
    project_a = make_project("甲企业项目", owner_enterprise=zone.enterprise_a)
    solved("甲企业项目问题", D(2025, 3, 1), project=project_a)
    solved("乙企业问题", D(2025, 3, 1), enterprise=zone.enterprise_b, source=ProblemSource.VISIT)
    solved("无归属问题", D(2025, 3, 1), source=ProblemSource.OTHER)
    assert value("problems.solved", scope=zone.root) == 3
    assert value("problems.solved", scope=None) == 3
    assert names("problems.solved", scope=zone.committee_a) == ["甲企业项目问题"]
    assert names("problems.solved", scope=zone.branch_b) == ["乙企业问题"]
    assert value("problems.solved", scope=zone.branch_a1) == 0
    assert value("problems.solved_by_visits", scope=zone.branch_b) == 1
    assert value("problems.solved_by_visits", scope=zone.committee_a) == 1


def test_a_user_asking_sees_only_the_problems_in_their_scope():
    wang = make_cadre("王")
    mine = make_project("我的项目", cadres=[wang], on=D(2025, 1, 1))
    other = make_project("别的项目", cadres=[make_cadre("李")], on=D(2025, 1, 1))
    solved("我的问题", D(2025, 3, 1), project=mine)
    solved("别人的问题", D(2025, 3, 1), project=other)
    assert value("problems.solved") == 2
    assert names("problems.solved", user=user_of(wang)) == ["我的问题"]
