"""周调度: the board of a week compiled from the records — problems raised that week, problems
overdue at the week's end (escalated ones first), milestones behind, cadres with working days
left without a daily record — and the meeting that records its decisions as follow-ups (tasks,
or problems with owners) and exports its minutes as Word."""

import datetime
import io

import pytest
from django.core.exceptions import ValidationError
from docx import Document

from dangjian.projects import services
from dangjian.projects.models import DispatchMeeting, FollowUp, Problem, ProblemSource, ProblemStatus
from dangjian.projects.selectors import dispatch_board
from dangjian.testing.factories import make_user

from .factories import ONE_DAY, make_cadre, make_problem, make_project, user_of

pytestmark = pytest.mark.django_db

D = datetime.date
# The week of the board: Monday 9 June to Sunday 15 June 2025.
MON, TUE, WED, THU, FRI, SAT, SUN = (D(2025, 6, 9) + ONE_DAY * i for i in range(7))
BOARD = "/admin/projects/dispatchmeeting/board/"


class DataSet:
    """A fixed zone: two projects, three cadres, problems and milestones on and around the week."""

    def __init__(self, zone):
        self.wang = make_cadre("王", since=D(2025, 1, 1))
        self.li = make_cadre("李", since=D(2025, 1, 1))
        self.zhao = make_cadre("赵", since=THU)  # set up on Thursday: earlier days never missing
        self.a = make_project("项目甲", cadres=[self.wang, self.zhao], on=D(2025, 1, 1))
        self.b = make_project("项目乙", cadres=[self.li], on=D(2025, 1, 1))

        def problem(number, project, raised, deadline=None):
            return make_problem(
                number=number, project=project, raised=raised, deadline=deadline, description=f"问题{number}"
            )

        # overdue and escalated on 6 June: shown before the others though its deadline is later
        self.escalated = problem("P-ESC", self.b, D(2025, 5, 1), D(2025, 6, 5))
        services.problems_escalate(actor=None, today=D(2025, 6, 6))
        self.solved_late = problem("P-LATE", self.a, D(2025, 5, 1), D(2025, 6, 1))
        services.problem_solve(actor=None, problem=self.solved_late, on=D(2025, 6, 20), result="周后办结")
        self.overdue = problem("P-OVER", self.a, D(2025, 5, 20), TUE)
        services.problem_accept(actor=None, problem=self.overdue, on=D(2025, 5, 21))
        self.due_saturday = problem("P-SAT", self.a, D(2025, 5, 20), SAT)
        self.due_sunday = problem("P-SUN", self.a, D(2025, 5, 20), SUN)
        self.solved_in_week = problem("P-DONE", self.a, D(2025, 5, 1), D(2025, 6, 1))
        services.problem_solve(actor=None, problem=self.solved_in_week, on=WED, result="周内办结")
        self.unsolvable = problem("P-NO", self.b, D(2025, 5, 1), D(2025, 6, 1))
        services.problem_unsolvable(
            actor=None, problem=self.unsolvable, on=D(2025, 6, 3), reason="政策不允许"
        )
        self.raised_monday = problem("P-MON", self.a, MON, D(2025, 6, 30))
        self.raised_sunday = problem("P-SUN-NEW", self.b, SUN)
        self.raised_before = problem("P-BEFORE", self.a, MON - ONE_DAY)
        self.raised_after = problem("P-AFTER", self.a, SUN + ONE_DAY, SUN + ONE_DAY)

        def milestone(project, name, planned, actual=None):
            return services.milestone_save(
                actor=None, project=project, name=name, planned_on=planned, actual_on=actual
            )

        self.m_open = milestone(self.a, "主体封顶", WED)
        self.m_late = milestone(self.b, "设备进场", D(2025, 6, 5), D(2025, 6, 18))
        self.m_sunday = milestone(self.b, "竣工验收", SUN)
        self.m_met = milestone(self.a, "基础完工", D(2025, 6, 5), THU)
        self.m_early = milestone(self.a, "桩基检测", SAT, FRI)
        self.m_next_week = milestone(self.a, "外立面", SUN + ONE_DAY)

        for day in (MON, TUE, WED, THU, FRI):
            services.daily_record_save(actor=None, cadre=self.wang, day=day, content="在岗")
        for day in (MON, TUE, THU, SAT):
            services.daily_record_save(actor=None, cadre=self.li, day=day, content="在岗")


@pytest.fixture
def data(zone):
    return DataSet(zone)


def numbers(problems):
    return [p.number for p in problems]


# -- compilation ----------------------------------------------------------------------------------------
def test_the_board_of_a_week_runs_monday_to_sunday_from_any_day_of_it(data, zone_admin):
    board = dispatch_board(user=zone_admin, week_start=THU)
    assert (board.week_start, board.week_end) == (MON, SUN)


def test_new_problems_are_those_raised_monday_to_sunday(data, zone_admin):
    board = dispatch_board(user=zone_admin, week_start=MON)
    assert numbers(board.new_problems) == ["P-MON", "P-SUN-NEW"]


def test_overdue_problems_are_open_at_the_weeks_end_past_their_deadline_escalated_first(data, zone_admin):
    board = dispatch_board(user=zone_admin, week_start=MON)
    assert numbers(board.overdue_problems) == ["P-ESC", "P-LATE", "P-OVER", "P-SAT"]


def test_a_problem_due_on_the_sunday_is_not_yet_overdue_at_the_weeks_end(data, zone_admin):
    board = dispatch_board(user=zone_admin, week_start=MON)
    assert "P-SUN" not in numbers(board.overdue_problems)
    assert "P-SUN" in numbers(dispatch_board(user=zone_admin, week_start=SUN + ONE_DAY).overdue_problems)


def test_a_problem_closed_after_the_week_was_still_overdue_that_week_but_not_the_week_it_closed(
    data, zone_admin
):
    later = dispatch_board(user=zone_admin, week_start=D(2025, 6, 23))
    assert "P-LATE" not in numbers(later.overdue_problems)
    assert "P-LATE" in numbers(dispatch_board(user=zone_admin, week_start=MON).overdue_problems)


def test_milestones_behind_are_planned_by_the_weeks_end_and_not_met_by_then(data, zone_admin):
    board = dispatch_board(user=zone_admin, week_start=MON)
    assert [(m.project.name, m.name) for m in board.behind_milestones] == [
        ("项目乙", "设备进场"),
        ("项目甲", "主体封顶"),
        ("项目乙", "竣工验收"),
    ]


def test_cadres_missing_records_are_listed_with_their_working_days_without_one(data, zone_admin):
    board = dispatch_board(user=zone_admin, week_start=MON)
    assert [(c.name, days) for c, days in board.missing_records] == [
        ("李", [WED, FRI]),
        ("赵", [THU, FRI]),
    ]


def test_a_cadres_board_holds_only_their_own_work(data):
    board = dispatch_board(user=user_of(data.li), week_start=MON)
    assert numbers(board.new_problems) == ["P-SUN-NEW"]
    assert numbers(board.overdue_problems) == ["P-ESC"]
    assert [m.name for m in board.behind_milestones] == ["设备进场", "竣工验收"]
    assert [c.name for c, _ in board.missing_records] == ["李"]


# -- follow-ups -------------------------------------------------------------------------------------------
@pytest.fixture
def meeting(data):
    return services.dispatch_meeting_save(
        actor=None, week_start=WED, held_on=FRI, host="邢书记", attendees="包抓干部", minutes="研究逾期问题"
    )


def test_a_meeting_belongs_to_the_monday_of_its_week_and_saving_again_updates_it(meeting):
    assert meeting.week_start == MON
    again = services.dispatch_meeting_save(actor=None, week_start=SUN, held_on=SAT, minutes="改")
    assert again.pk == meeting.pk
    assert DispatchMeeting.objects.get().minutes == "改"


def test_a_meeting_held_in_the_future_is_refused():
    with pytest.raises(ValidationError) as excinfo:
        services.dispatch_meeting_save(
            actor=None, week_start=D(2099, 1, 5), held_on=D(2099, 1, 5), minutes="未来"
        )
    assert excinfo.value.message_dict["held_on"] == ["日期不能晚于今天"]


def test_a_task_follow_up_has_an_owner_and_a_deadline_and_makes_no_problem(data, meeting):
    follow_up = services.follow_up_add(
        actor=None, meeting=meeting, text=" 约谈施工单位 ", owner=data.wang, deadline=D(2025, 6, 20)
    )
    follow_up.refresh_from_db()
    assert (follow_up.text, follow_up.kind, follow_up.owner, follow_up.problem) == (
        "约谈施工单位",
        FollowUp.Kind.TASK,
        data.wang,
        None,
    )
    assert not Problem.objects.filter(source_dispatch=meeting).exists()


def test_a_problem_follow_up_becomes_a_problem_owned_and_due_as_decided(data, meeting, zone_admin):
    follow_up = services.follow_up_add(
        actor=None,
        meeting=meeting,
        text="协调供电公司接入临时用电",
        kind=FollowUp.Kind.PROBLEM,
        owner=data.zhao,
        deadline=D(2025, 6, 27),
        category="factors",
        project=data.a,
    )
    problem = follow_up.problem
    assert (problem.description, problem.owner, problem.deadline, problem.raised_on) == (
        "协调供电公司接入临时用电",
        data.zhao,
        D(2025, 6, 27),
        FRI,
    )
    assert (problem.source, problem.project, problem.source_dispatch, problem.status) == (
        ProblemSource.PROJECT,
        data.a,
        meeting,
        ProblemStatus.TODO,
    )
    assert problem.pk in [p.pk for p in dispatch_board(user=zone_admin, week_start=MON).new_problems]


def test_a_problem_follow_up_needs_a_category(data, meeting):
    with pytest.raises(ValidationError) as excinfo:
        services.follow_up_add(
            actor=None, meeting=meeting, text="x", kind="problem", owner=data.wang, deadline=SUN
        )
    assert excinfo.value.message_dict["category"] == ["形成问题须选择问题类别"]
    assert not FollowUp.objects.exists()


def test_a_follow_up_without_text_or_due_before_the_meeting_is_refused(data, meeting):
    with pytest.raises(ValidationError) as excinfo:
        services.follow_up_add(actor=None, meeting=meeting, text="  ", owner=data.wang, deadline=SUN)
    assert excinfo.value.message_dict["text"] == ["请填写决定事项"]
    with pytest.raises(ValidationError) as excinfo:
        services.follow_up_add(actor=None, meeting=meeting, text="x", owner=data.wang, deadline=THU)
    assert excinfo.value.message_dict["deadline"] == ["完成时限不能早于调度会日期"]
    services.follow_up_add(actor=None, meeting=meeting, text="当天完成", owner=data.wang, deadline=FRI)
    assert FollowUp.objects.count() == 1


# -- the board page -----------------------------------------------------------------------------------------
@pytest.fixture
def admin_client(client, zone_admin):
    client.force_login(zone_admin)
    return client


def test_the_board_page_shows_the_weeks_compilation(data, admin_client):
    response = admin_client.get(BOARD, {"week": WED.isoformat()})
    assert response.status_code == 200
    board = response.context["board"]
    assert board.week_start == MON
    assert numbers(board.overdue_problems) == ["P-ESC", "P-LATE", "P-OVER", "P-SAT"]
    page = response.content.decode()
    assert "问题P-ESC" in page and "已升级" in page and "主体封顶" in page
    assert response.context["previous"] == MON - ONE_DAY * 7


def test_recording_the_meeting_and_its_follow_ups_on_the_board_page(data, admin_client):
    week = {"week": MON.isoformat()}
    response = admin_client.post(
        f"{BOARD}?week={MON}",
        {
            "save_meeting": "1",
            "held_on": FRI.isoformat(),
            "host": "邢书记",
            "attendees": "王、李、赵",
            "minutes": "逐项过问题清单",
        },
    )
    assert response.status_code == 302
    meeting = DispatchMeeting.objects.get()
    assert (meeting.week_start, meeting.held_on, meeting.host) == (MON, FRI, "邢书记")

    follow = {"add_follow_up": "1", "owner": data.li.pk, "deadline": "2025-06-20"}
    response = admin_client.post(
        f"{BOARD}?week={MON}", {**follow, "text": "督促设备进场", "kind": "task", "category": ""}
    )
    assert response.status_code == 302
    response = admin_client.post(
        f"{BOARD}?week={MON}",
        {
            **follow,
            "text": "解决设备运输许可",
            "kind": "problem",
            "category": "approval",
            "project": data.b.pk,
        },
    )
    assert response.status_code == 302
    kinds = list(meeting.follow_ups.order_by("id").values_list("text", "kind"))
    assert kinds == [("督促设备进场", "task"), ("解决设备运输许可", "problem")]
    problem = meeting.follow_ups.get(kind="problem").problem
    assert (problem.owner, problem.project, problem.category) == (data.li, data.b, "approval")
    assert admin_client.get(BOARD, week).status_code == 200


def test_a_follow_up_before_the_meeting_is_recorded_is_refused_on_the_page(data, admin_client):
    response = admin_client.post(
        f"{BOARD}?week={MON}",
        {"add_follow_up": "1", "text": "x", "kind": "task", "owner": data.li.pk, "deadline": "2025-06-20"},
    )
    assert response.status_code == 200
    assert response.context["follow_form"].non_field_errors() == ["请先记录本周调度会"]
    assert not FollowUp.objects.exists()


def test_a_problem_follow_up_without_category_shows_the_error_on_the_page(data, meeting, admin_client):
    response = admin_client.post(
        f"{BOARD}?week={MON}",
        {"add_follow_up": "1", "text": "x", "kind": "problem", "owner": data.li.pk, "deadline": "2025-06-20"},
    )
    assert response.status_code == 200
    assert response.context["follow_form"].errors["category"] == ["形成问题须选择问题类别"]
    assert not FollowUp.objects.exists()


def test_a_cadre_may_look_at_the_board_but_not_record_the_meeting(data, client):
    client.force_login(data.li.user)
    assert client.get(BOARD, {"week": MON.isoformat()}).status_code == 200
    response = client.post(f"{BOARD}?week={MON}", {"save_meeting": "1", "held_on": FRI.isoformat()})
    assert response.status_code == 403
    assert not DispatchMeeting.objects.exists()


def test_a_leader_records_the_meeting(data, client, zone):
    client.force_login(make_user("leader", organization=zone.root))
    response = client.post(f"{BOARD}?week={MON}", {"save_meeting": "1", "held_on": FRI.isoformat()})
    assert response.status_code == 302
    assert DispatchMeeting.objects.get().week_start == MON


# -- minutes in Word ----------------------------------------------------------------------------------------
def test_the_minutes_export_as_word_with_the_board_and_the_decisions(data, meeting, admin_client):
    services.follow_up_add(actor=None, meeting=meeting, text="约谈施工单位", owner=data.wang, deadline=SUN)
    services.follow_up_add(
        actor=None,
        meeting=meeting,
        text="协调供电公司",
        kind="problem",
        owner=data.zhao,
        deadline=D(2025, 6, 27),
        category="factors",
        project=data.a,
    )
    response = admin_client.get(BOARD, {"week": MON.isoformat(), "export": "docx"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    document = Document(io.BytesIO(response.content))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "周调度会议纪要（2025年06月09日—06月15日）" in text
    assert "研究逾期问题" in text
    assert "本周新增问题 3 个，逾期未办结问题 4 个，滞后项目节点 3 个，日纪实缺报干部 2 名。" in text
    decisions = [[c.text for c in row.cells] for row in document.tables[-1].rows]
    assert decisions == [
        ["序号", "事项", "类型", "责任人", "完成时限"],
        ["1", "约谈施工单位", "任务", "王", "2025-06-15"],
        ["2", "协调供电公司", "问题", "赵", "2025-06-27"],
    ]
    overdue = [[c.text for c in row.cells] for row in document.tables[0].rows]
    assert [row[1] for row in overdue[1:]] == ["李", "王", "王", "王"]


def test_there_is_no_word_export_before_the_meeting_is_recorded(data, admin_client):
    response = admin_client.get(BOARD, {"week": MON.isoformat(), "export": "docx"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
