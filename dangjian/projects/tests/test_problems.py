"""堵点难点 problems: raised with an owner (by default the lead cadre) and a deadline, then
待办 → 办理中 → 已办结, or 无法解决 with a reason; reopening is logged; overdue problems are
escalated to the owner's leader the day after the deadline, once."""

import datetime
from contextlib import contextmanager

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from dangjian.cadres import services as cadre_services
from dangjian.projects import services
from dangjian.projects.models import Problem, ProblemEvent, ProblemStatus
from dangjian.testing.factories import make_user

from .factories import ONE_DAY, assign, make_cadre, make_problem, make_project, today, user_of

pytestmark = pytest.mark.django_db

RAISED_AGO = datetime.timedelta(days=30)


@contextmanager
def refused(field):
    with pytest.raises(ValidationError) as excinfo:
        yield excinfo
    assert field in excinfo.value.message_dict, excinfo.value.message_dict


def message(excinfo, field):
    return " ".join(excinfo.value.message_dict[field])


def events(problem):
    return list(problem.events.order_by("id").values_list("kind", flat=True))


def fresh(problem):
    return Problem.objects.get(pk=problem.pk)


@pytest.fixture
def project():
    return make_project("秦岭数据中心", cadres=[make_cadre("王牵头"), make_cadre("李协助")])


@pytest.fixture
def problem(project):
    return make_problem(project=project, raised=today() - RAISED_AGO, deadline=today() - ONE_DAY * 10)


def accepted(problem, on=None):
    return services.problem_accept(actor=None, problem=problem, on=on or problem.raised_on)


def solved(problem, on=None, result="已协调办结"):
    return services.problem_solve(actor=None, problem=problem, on=on or problem.raised_on, result=result)


def unsolvable(problem, on=None, reason="政策不允许"):
    return services.problem_unsolvable(actor=None, problem=problem, on=on or problem.raised_on, reason=reason)


STATUS_ERROR_TODO_ONLY = "只有待办的问题可以这样办理"
STATUS_ERROR_OPEN_ONLY = "只有待办、办理中的问题可以这样办理"
STATUS_ERROR_CLOSED_ONLY = "只有已办结、无法解决的问题可以这样办理"


# -- raising ------------------------------------------------------------------------------------
def test_a_raised_problem_is_todo_goes_to_the_lead_cadre_and_is_logged(project, problem):
    problem = fresh(problem)
    assert problem.status == ProblemStatus.TODO
    assert problem.owner.name == "王牵头"
    assert problem.closed_on is None
    assert events(problem) == [ProblemEvent.Kind.RAISED]
    assert problem.events.get().on == problem.raised_on


def test_an_owner_given_when_raising_is_kept_instead_of_the_lead(project):
    other = make_cadre("赵指定")
    problem = make_problem(project=project, owner=other)
    assert fresh(problem).owner == other


def test_an_enterprise_problem_goes_to_the_enterprises_lead_cadre(zone):
    lead = make_cadre("企业牵头")
    assign(zone.enterprise_a, lead, make_cadre("企业协助"))
    problem = make_problem(enterprise=zone.enterprise_a)
    assert fresh(problem).owner == lead


def test_a_problem_raised_after_the_lead_changed_goes_to_the_new_lead(project):
    new_lead = make_cadre("新牵头")
    assign(project, new_lead, *[a.cadre for a in project.assignments.filter(end_on__isnull=True)])
    assert fresh(make_problem(project=project)).owner == new_lead


def test_a_problem_without_project_or_enterprise_has_no_owner_by_default():
    assert fresh(make_problem(source="other")).owner is None


def test_a_problem_of_a_project_whose_cadres_all_left_has_no_owner():
    project = make_project(cadres=[make_cadre("离开的")], on=today() - RAISED_AGO)
    cadre_services.assignment_set(actor=None, project=project, cadres=[], on=today())
    assert fresh(make_problem(project=project)).owner is None


def test_a_problem_raised_in_the_future_is_refused(project):
    with refused("raised_on") as excinfo:
        make_problem(project=project, raised=today() + ONE_DAY)
    assert message(excinfo, "raised_on") == "日期不能晚于今天"
    assert not Problem.objects.exists()


def test_a_problem_raised_today_is_accepted(project):
    assert make_problem(project=project, raised=today()).raised_on == today()


def test_a_deadline_before_the_day_raised_is_refused(project):
    with refused("deadline") as excinfo:
        make_problem(project=project, raised=today(), deadline=today() - ONE_DAY)
    assert message(excinfo, "deadline") == "办理时限不能早于提出日期"
    assert not Problem.objects.exists()


def test_the_problem_takes_the_projects_organization(zone):
    project = make_project(owner_enterprise=zone.enterprise_a)
    problem = make_problem(project=project)
    assert fresh(problem).org_path == zone.committee_a.path


# -- 待办 → 办理中 -------------------------------------------------------------------------------
def test_accepting_moves_todo_to_in_progress_and_logs_the_day(problem):
    day = problem.raised_on + ONE_DAY * 2
    accepted(problem, on=day)
    problem = fresh(problem)
    assert problem.status == ProblemStatus.IN_PROGRESS
    assert events(problem) == [ProblemEvent.Kind.RAISED, ProblemEvent.Kind.ACCEPTED]
    assert problem.events.last().on == day


def test_accepting_on_the_day_raised_is_allowed_and_the_day_before_is_refused(problem):
    with refused("on") as excinfo:
        accepted(problem, on=problem.raised_on - ONE_DAY)
    assert message(excinfo, "on") == "开始办理不能早于提出日期"
    assert fresh(problem).status == ProblemStatus.TODO
    assert accepted(problem, on=problem.raised_on).status == ProblemStatus.IN_PROGRESS


def test_accepting_with_a_future_day_or_no_day_is_refused(problem):
    with refused("on") as excinfo:
        accepted(fresh(problem), on=today() + ONE_DAY)
    assert message(excinfo, "on") == "日期不能晚于今天"
    with refused("on") as excinfo:
        services.problem_accept(actor=None, problem=fresh(problem), on=None)
    assert message(excinfo, "on") == "请填写日期"
    assert fresh(problem).status == ProblemStatus.TODO
    assert events(problem) == [ProblemEvent.Kind.RAISED]


def test_accepting_a_problem_already_in_progress_is_refused(problem):
    accepted(problem)
    with refused("status") as excinfo:
        accepted(fresh(problem))
    assert message(excinfo, "status") == f"问题目前“办理中”，{STATUS_ERROR_TODO_ONLY}"


@pytest.mark.parametrize("close", [solved, unsolvable])
def test_accepting_a_closed_problem_is_refused(problem, close):
    close(problem)
    with refused("status") as excinfo:
        accepted(fresh(problem))
    assert STATUS_ERROR_TODO_ONLY in message(excinfo, "status")


# -- 办理进展 ----------------------------------------------------------------------------------------
def progress(problem, note="已约谈供电公司", on=None):
    return services.problem_progress(actor=None, problem=problem, on=on or today(), note=note)


def test_the_first_progress_of_a_todo_problem_starts_it_and_both_are_logged(problem):
    day = problem.raised_on + ONE_DAY
    progress(problem, on=day)
    problem = fresh(problem)
    assert problem.status == ProblemStatus.IN_PROGRESS
    assert events(problem) == [
        ProblemEvent.Kind.RAISED,
        ProblemEvent.Kind.ACCEPTED,
        ProblemEvent.Kind.PROGRESS,
    ]
    assert list(problem.events.order_by("id").values_list("on", "note"))[1:] == [
        (day, ""),
        (day, "已约谈供电公司"),
    ]


def test_further_progress_is_logged_and_the_state_stays(problem):
    accepted(problem)
    progress(fresh(problem), note="第一次协调")
    progress(fresh(problem), note="  第二次协调  ")
    problem = fresh(problem)
    assert problem.status == ProblemStatus.IN_PROGRESS
    assert list(problem.events.filter(kind=ProblemEvent.Kind.PROGRESS).values_list("note", flat=True)) == [
        "第一次协调",
        "第二次协调",
    ]


def test_progress_needs_a_note_and_a_day_not_before_the_problem_nor_after_today(problem):
    with refused("note") as excinfo:
        progress(problem, note="  ")
    assert message(excinfo, "note") == "请填写办理进展"
    with refused("on") as excinfo:
        progress(fresh(problem), on=problem.raised_on - ONE_DAY)
    assert message(excinfo, "on") == "办理进展的日期不能早于提出日期"
    with refused("on"):
        progress(fresh(problem), on=today() + ONE_DAY)
    assert fresh(problem).status == ProblemStatus.TODO
    assert events(problem) == [ProblemEvent.Kind.RAISED]


@pytest.mark.parametrize("close", [solved, unsolvable])
def test_progress_on_a_closed_problem_is_refused(problem, close):
    close(problem)
    with refused("status") as excinfo:
        progress(fresh(problem))
    assert STATUS_ERROR_OPEN_ONLY in message(excinfo, "status")


def test_progress_outside_the_scope_is_refused(problem, zone):
    outsider = make_user("secretary", organization=zone.committee_a)
    with pytest.raises(PermissionDenied):
        services.problem_progress(actor=outsider, problem=problem, on=today(), note="越权")
    assert events(problem) == [ProblemEvent.Kind.RAISED]


# -- → 已办结 ------------------------------------------------------------------------------------
def test_solving_a_problem_in_progress_records_the_day_and_the_result(problem):
    accepted(problem)
    day = problem.raised_on + ONE_DAY * 5
    solved(fresh(problem), on=day, result="协调自然资源局完成用地预审")
    problem = fresh(problem)
    assert (problem.status, problem.closed_on, problem.result) == (
        ProblemStatus.SOLVED,
        day,
        "协调自然资源局完成用地预审",
    )
    last = problem.events.last()
    assert (last.kind, last.on, last.note) == (ProblemEvent.Kind.SOLVED, day, "协调自然资源局完成用地预审")


def test_a_todo_problem_can_be_solved_directly(problem):
    assert solved(problem).status == ProblemStatus.SOLVED


@pytest.mark.parametrize("result", ["", "   ", None])
def test_solving_without_a_result_is_refused(problem, result):
    with refused("result") as excinfo:
        solved(problem, result=result)
    assert message(excinfo, "result") == "请填写办理结果"
    assert fresh(problem).status == ProblemStatus.TODO


def test_solving_on_the_day_raised_is_allowed_and_the_day_before_is_refused(problem):
    with refused("closed_on") as excinfo:
        solved(problem, on=problem.raised_on - ONE_DAY)
    assert message(excinfo, "closed_on") == "办结日期不能早于提出日期"
    assert (fresh(problem).status, fresh(problem).closed_on) == (ProblemStatus.TODO, None)
    assert solved(fresh(problem), on=problem.raised_on).closed_on == problem.raised_on


def test_solving_today_is_allowed_and_tomorrow_is_refused(problem):
    with refused("closed_on") as excinfo:
        solved(problem, on=today() + ONE_DAY)
    assert message(excinfo, "closed_on") == "日期不能晚于今天"
    assert fresh(problem).status == ProblemStatus.TODO
    assert solved(fresh(problem), on=today()).closed_on == today()


@pytest.mark.parametrize("close", [solved, unsolvable])
def test_solving_a_closed_problem_is_refused(problem, close):
    close(problem)
    with refused("status") as excinfo:
        solved(fresh(problem))
    assert STATUS_ERROR_OPEN_ONLY in message(excinfo, "status")


# -- → 无法解决 -----------------------------------------------------------------------------------
def test_an_unsolvable_problem_keeps_its_reason_trimmed_and_is_logged(problem):
    accepted(problem)
    day = problem.raised_on + ONE_DAY
    unsolvable(fresh(problem), on=day, reason="  规划调整，项目暂缓 ")
    problem = fresh(problem)
    assert (problem.status, problem.closed_on, problem.unsolvable_reason) == (
        ProblemStatus.UNSOLVABLE,
        day,
        "规划调整，项目暂缓",
    )
    assert problem.events.last().kind == ProblemEvent.Kind.UNSOLVABLE
    assert "规划调整" in problem.events.last().note


@pytest.mark.parametrize("reason", ["", "  ", None])
def test_unsolvable_without_a_reason_is_refused(problem, reason):
    with refused("unsolvable_reason") as excinfo:
        unsolvable(problem, reason=reason)
    assert message(excinfo, "unsolvable_reason") == "请填写无法解决的原因"
    assert fresh(problem).status == ProblemStatus.TODO


def test_unsolvable_before_the_day_raised_or_in_the_future_is_refused(problem):
    with refused("closed_on"):
        unsolvable(problem, on=problem.raised_on - ONE_DAY)
    with refused("closed_on"):
        unsolvable(fresh(problem), on=today() + ONE_DAY)
    assert fresh(problem).status == ProblemStatus.TODO


@pytest.mark.parametrize("close", [solved, unsolvable])
def test_declaring_a_closed_problem_unsolvable_is_refused(problem, close):
    close(problem)
    with refused("status") as excinfo:
        unsolvable(fresh(problem))
    assert STATUS_ERROR_OPEN_ONLY in message(excinfo, "status")


# -- reopening -----------------------------------------------------------------------------------
@pytest.mark.parametrize(("close", "label"), [(solved, "已办结"), (unsolvable, "无法解决")])
def test_reopening_a_closed_problem_puts_it_back_in_progress_and_logs_the_reason(problem, close, label):
    close(problem)
    services.problem_reopen(actor=None, problem=fresh(problem), on=today(), reason=" 企业反映问题复发 ")
    problem = fresh(problem)
    assert (problem.status, problem.closed_on) == (ProblemStatus.IN_PROGRESS, None)
    last = problem.events.last()
    assert (last.kind, last.on) == (ProblemEvent.Kind.REOPENED, today())
    assert last.note == f"原状态：{label}；原因：企业反映问题复发"


@pytest.mark.parametrize("reason", ["", "   ", None])
def test_reopening_without_a_reason_is_refused_and_nothing_changes(problem, reason):
    solved(problem)
    with refused("reason") as excinfo:
        services.problem_reopen(actor=None, problem=fresh(problem), on=today(), reason=reason)
    assert message(excinfo, "reason") == "重新打开须填写原因"
    problem = fresh(problem)
    assert problem.status == ProblemStatus.SOLVED
    assert problem.closed_on is not None
    assert ProblemEvent.Kind.REOPENED not in events(problem)


def test_reopening_in_the_future_is_refused_and_nothing_changes(problem):
    solved(problem)
    with refused("on"):
        services.problem_reopen(actor=None, problem=fresh(problem), on=today() + ONE_DAY, reason="复发")
    assert fresh(problem).status == ProblemStatus.SOLVED
    assert ProblemEvent.Kind.REOPENED not in events(problem)


@pytest.mark.parametrize("step", ["todo", "in_progress"])
def test_reopening_an_open_problem_is_refused(problem, step):
    if step == "in_progress":
        accepted(problem)
    with refused("status") as excinfo:
        services.problem_reopen(actor=None, problem=fresh(problem), on=today(), reason="复发")
    assert STATUS_ERROR_CLOSED_ONLY in message(excinfo, "status")


def test_a_reopened_problem_can_be_solved_again_and_its_whole_history_is_kept(problem):
    solved(problem, on=problem.raised_on + ONE_DAY, result="第一次办结")
    services.problem_reopen(actor=None, problem=fresh(problem), on=today(), reason="复发")
    solved(fresh(problem), on=today(), result="第二次办结")
    problem = fresh(problem)
    assert (problem.status, problem.closed_on, problem.result) == (
        ProblemStatus.SOLVED,
        today(),
        "第二次办结",
    )
    assert events(problem) == ["raised", "solved", "reopened", "solved"]


def test_reopening_clears_the_escalation_so_a_new_overdue_spell_is_escalated_again(problem):
    services.problems_escalate(actor=None, today=problem.deadline + ONE_DAY)
    solved(fresh(problem), on=today())
    services.problem_reopen(actor=None, problem=fresh(problem), on=today(), reason="复发")
    assert fresh(problem).escalated_on is None


# -- reassigning ---------------------------------------------------------------------------------
def test_reassigning_changes_owner_and_deadline_and_is_logged(problem):
    new_owner = make_cadre("孙接手")
    new_deadline = today() + ONE_DAY * 7
    services.problem_reassign(actor=None, problem=fresh(problem), owner=new_owner, deadline=new_deadline)
    problem = fresh(problem)
    assert (problem.owner, problem.deadline) == (new_owner, new_deadline)
    last = problem.events.last()
    assert (last.kind, last.note) == (ProblemEvent.Kind.REASSIGNED, "王牵头 → 孙接手")


def test_reassigning_without_a_new_owner_is_refused(problem):
    with refused("owner") as excinfo:
        services.problem_reassign(actor=None, problem=fresh(problem), owner=None)
    assert message(excinfo, "owner") == "请选择新的责任人"
    assert fresh(problem).owner.name == "王牵头"


def test_reassigning_a_closed_problem_is_refused(problem):
    solved(problem)
    with refused("status"):
        services.problem_reassign(actor=None, problem=fresh(problem), owner=make_cadre())


# -- escalation ----------------------------------------------------------------------------------
def test_an_overdue_problem_is_escalated_the_day_after_its_deadline_and_not_on_it(problem):
    deadline = problem.deadline
    assert services.problems_escalate(actor=None, today=deadline) == 0
    assert fresh(problem).escalated_on is None
    assert ProblemEvent.Kind.ESCALATED not in events(problem)

    assert services.problems_escalate(actor=None, today=deadline + ONE_DAY) == 1
    problem = fresh(problem)
    assert problem.escalated_on == deadline + ONE_DAY
    last = problem.events.last()
    assert (last.kind, last.on) == (ProblemEvent.Kind.ESCALATED, deadline + ONE_DAY)


def test_a_problem_is_escalated_only_once(problem):
    services.problems_escalate(actor=None, today=problem.deadline + ONE_DAY)
    assert services.problems_escalate(actor=None, today=problem.deadline + ONE_DAY * 2) == 0
    assert events(problem).count(ProblemEvent.Kind.ESCALATED) == 1
    assert fresh(problem).escalated_on == problem.deadline + ONE_DAY


def test_the_escalation_note_names_the_owners_leader(project):
    leader = make_user()
    leader.full_name = "邢书记"
    leader.save()
    owner = make_cadre("钱逾期", leader=leader)
    deadline = today() - ONE_DAY * 3
    problem = make_problem(project=project, owner=owner, raised=deadline - ONE_DAY, deadline=deadline)
    services.problems_escalate(actor=None, today=today())
    note = fresh(problem).events.last().note
    assert note == f"超过办理时限 {deadline:%Y-%m-%d}，已升级至邢书记"


def test_without_a_leader_the_escalation_goes_to_the_zone_office(problem):
    services.problems_escalate(actor=None, today=problem.deadline + ONE_DAY)
    assert fresh(problem).events.last().note.endswith("已升级至党工委管理员")


@pytest.mark.parametrize("close", [solved, unsolvable])
def test_closed_problems_are_never_escalated(problem, close):
    close(problem)
    assert services.problems_escalate(actor=None, today=today()) == 0
    assert fresh(problem).escalated_on is None


def test_a_problem_without_a_deadline_is_never_escalated(project):
    problem = make_problem(project=project, raised=today() - RAISED_AGO)
    assert services.problems_escalate(actor=None, today=today()) == 0
    assert fresh(problem).escalated_on is None


def test_an_in_progress_problem_past_its_deadline_is_escalated(problem):
    accepted(problem)
    assert services.problems_escalate(actor=None, today=problem.deadline + ONE_DAY) == 1


def test_a_reassigned_problem_can_be_escalated_again_to_the_new_owners_leader(problem):
    services.problems_escalate(actor=None, today=problem.deadline + ONE_DAY)
    boss = make_user()
    boss.full_name = "周领导"
    boss.save()
    new_deadline = today() - ONE_DAY
    services.problem_reassign(
        actor=None, problem=fresh(problem), owner=make_cadre("吴接手", leader=boss), deadline=new_deadline
    )
    assert fresh(problem).escalated_on is None
    assert services.problems_escalate(actor=None, today=today()) == 1
    assert fresh(problem).events.last().note.endswith("已升级至周领导")


def test_an_overdue_problem_is_overdue_the_day_after_its_deadline():
    problem = Problem(status=ProblemStatus.TODO, deadline=datetime.date(2025, 3, 10))
    assert problem.is_overdue(datetime.date(2025, 3, 10)) is False
    assert problem.is_overdue(datetime.date(2025, 3, 11)) is True
    problem.status = ProblemStatus.SOLVED
    assert problem.is_overdue(datetime.date(2025, 3, 11)) is False


# -- scope -----------------------------------------------------------------------------------------
def test_a_cadre_works_the_problems_of_their_projects_but_not_others(project, problem):
    lead = project.assignments.get(is_lead=True).cadre
    stranger = make_cadre("局外人")
    make_project("别的项目", cadres=[stranger])
    with pytest.raises(PermissionDenied):
        services.problem_accept(actor=user_of(stranger), problem=fresh(problem), on=problem.raised_on)
    assert fresh(problem).status == ProblemStatus.TODO
    services.problem_accept(actor=user_of(lead), problem=fresh(problem), on=problem.raised_on)
    problem = fresh(problem)
    assert problem.status == ProblemStatus.IN_PROGRESS
    assert problem.events.last().actor == lead.user


def test_a_problem_cannot_be_reopened_on_a_day_before_it_was_closed(zone):
    import datetime as _dt

    from django.core.exceptions import ValidationError as _VE

    from dangjian.projects import services as _services
    from dangjian.projects.tests.factories import make_problem

    day = _dt.date.today()
    problem = make_problem(raised=day - _dt.timedelta(days=5))
    _services.problem_solve(actor=None, problem=problem, on=day, result="已解决")
    with pytest.raises(_VE) as caught:
        _services.problem_reopen(actor=None, problem=problem, on=day - _dt.timedelta(days=1), reason="复发")
    assert "不能早于办结日期" in caught.value.message_dict["on"][0]
