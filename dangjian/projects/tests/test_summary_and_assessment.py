"""月总结 (per cadre and for the zone, with the cadre's own note, in Word and Excel) and 年度考核
(components, weighted score with the missing part's weight shared out, rounding half up,
ranking 1, 2, 2, 4, and the weights version stored with the run)."""

import datetime
import io
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from docx import Document
from openpyxl import load_workbook

from dangjian.cadres import services as cadre_services
from dangjian.core.models import Holiday, RuleSet
from dangjian.core.rules import rule_problems
from dangjian.projects import exports, rules, services
from dangjian.projects.models import AssessmentRun, MonthlyNote
from dangjian.projects.selectors import assessment_components, monthly_summary, rank, weighted_score

from .factories import ONE_DAY, make_cadre, make_problem, make_project, user_of

pytestmark = pytest.mark.django_db

D = datetime.date
JUNE = D(2025, 6, 1)
WEIGHTS = {"record_completeness": 30, "problems_on_time": 30, "milestones_met": 20, "satisfaction": 20}
SUMMARY = "/admin/projects/dailyrecord/monthly/"


def keep(cadre, *days, visits=()):
    for day in days:
        services.daily_record_save(actor=None, cadre=cadre, day=day, content="在岗", is_visit=day in visits)


def weekdays(start, end):
    return [start + ONE_DAY * i for i in range((end - start).days + 1) if (start + ONE_DAY * i).weekday() < 5]


def solve(problem, on):
    return services.problem_solve(actor=None, problem=problem, on=on, result="办结")


def milestone(project, planned, actual=None, name="节点"):
    return services.milestone_save(
        actor=None, project=project, name=name, planned_on=planned, actual_on=actual
    )


# -- monthly summary --------------------------------------------------------------------------------------
class June:
    """June 2025 has 21 weekdays; 2 June (端午节) is a holiday, so 20 working days."""

    def __init__(self):
        Holiday.objects.create(day=D(2025, 6, 2), name="端午节")
        self.wang = make_cadre("王", since=D(2025, 1, 1))
        self.li = make_cadre("李", since=D(2025, 6, 16))  # 11 working days from the 16th
        self.zhao = make_cadre("赵", since=D(2025, 1, 1))
        self.later = make_cadre("孙", since=D(2025, 7, 1))
        self.project = make_project("项目甲", cadres=[self.wang], on=D(2025, 1, 1))
        make_project("项目乙", cadres=[self.zhao], on=D(2025, 1, 1))

        workdays = [d for d in weekdays(JUNE, D(2025, 6, 30)) if d != D(2025, 6, 2)]
        assert len(workdays) == 20
        # 王: 15 working days, a Saturday and the holiday; 4 visits; a record in May and July
        kept = workdays[:15]
        keep(self.wang, *kept, D(2025, 6, 7), D(2025, 6, 2), visits=kept[:4])
        keep(self.wang, D(2025, 5, 30), D(2025, 7, 1))
        # 李: every working day since set up
        keep(self.li, *[d for d in workdays if d >= D(2025, 6, 16)])

        def problem(raised, owner=self.wang):
            return make_problem(project=self.project, raised=raised, owner=owner)

        solve(problem(D(2025, 5, 20)), D(2025, 6, 3))  # raised before, solved in June
        solve(problem(D(2025, 6, 5)), D(2025, 6, 30))  # raised and solved in June
        solve(problem(D(2025, 6, 10)), D(2025, 7, 1))  # solved after June
        services.problem_unsolvable(
            actor=None, problem=problem(D(2025, 6, 11)), on=D(2025, 6, 12), reason="无法协调"
        )
        problem(D(2025, 5, 31))
        problem(D(2025, 7, 1))
        solve(problem(D(2025, 6, 20), owner=self.zhao), D(2025, 6, 21))

        milestone(self.project, D(2025, 6, 10), D(2025, 6, 1))
        milestone(self.project, D(2025, 6, 10), D(2025, 6, 30))
        milestone(self.project, D(2025, 5, 31), D(2025, 5, 31))
        milestone(self.project, D(2025, 6, 30), D(2025, 7, 1))
        milestone(self.project, D(2025, 6, 30))


@pytest.fixture
def june(zone):
    return June()


def rows_by_name(summary):
    return {row.cadre.name: row for row in summary.rows}


def test_the_monthly_summary_counts_per_cadre(june, zone_admin):
    row = rows_by_name(monthly_summary(user=zone_admin, month=D(2025, 6, 17)))["王"]
    assert (row.workdays, row.records, row.visits) == (20, 17, 4)
    assert (row.problems_raised, row.problems_solved, row.milestones_met) == (3, 2, 2)


def test_completeness_is_the_share_of_working_days_with_a_record(june, zone_admin):
    rows = rows_by_name(monthly_summary(user=zone_admin, month=JUNE))
    # 王 kept 15 of 20 working days; his Saturday and holiday records fill no missed working day
    assert rows["王"].completeness == Decimal("75.0")
    assert (rows["李"].workdays, rows["李"].completeness) == (11, Decimal("100.0"))
    assert rows["赵"].completeness == Decimal("0.0")
    assert (rows["孙"].workdays, rows["孙"].completeness) == (0, None)


def test_the_zone_totals_are_the_sums_of_the_cadres(june, zone_admin):
    summary = monthly_summary(user=zone_admin, month=JUNE)
    assert [row.cadre.name for row in summary.rows] == ["孙", "李", "王", "赵"]
    assert summary.total("records") == 17 + 11
    assert summary.total("visits") == 4
    assert summary.total("problems_raised") == 3 + 1
    assert summary.total("problems_solved") == 2 + 1
    assert summary.total("milestones_met") == 2


def test_a_cadre_sees_only_their_own_row(june):
    summary = monthly_summary(user=user_of(june.wang), month=JUNE)
    assert [row.cadre.name for row in summary.rows] == ["王"]


def test_the_cadre_annotates_their_month_and_saving_again_updates_the_note(june, zone_admin):
    services.monthly_note_save(
        actor=june.wang.user, cadre=june.wang, month=D(2025, 6, 18), text="本月推进顺利"
    )
    services.monthly_note_save(
        actor=june.wang.user, cadre=june.wang, month=JUNE, text="本月推进顺利，节点滞后一个"
    )
    assert list(MonthlyNote.objects.values_list("month", "text")) == [(JUNE, "本月推进顺利，节点滞后一个")]
    rows = rows_by_name(monthly_summary(user=zone_admin, month=JUNE))
    assert (rows["王"].note, rows["李"].note) == ("本月推进顺利，节点滞后一个", "")
    assert rows_by_name(monthly_summary(user=zone_admin, month=D(2025, 7, 1)))["王"].note == ""


def test_a_cadre_cannot_annotate_anothers_month(june):
    with pytest.raises(ValidationError) as excinfo:
        services.monthly_note_save(actor=june.li.user, cadre=june.wang, month=JUNE, text="代写")
    assert excinfo.value.messages == ["只能批注自己的月总结"]
    assert not MonthlyNote.objects.exists()


def test_the_monthly_summary_exports_to_word(june, zone_admin):
    services.monthly_note_save(actor=None, cadre=june.wang, month=JUNE, text="节点滞后一个")
    document = Document(
        io.BytesIO(exports.monthly_summary_docx(monthly_summary(user=zone_admin, month=JUNE)))
    )
    text = "\n".join(p.text for p in document.paragraphs)
    assert "2025年06月包抓干部工作月总结" in text
    assert (
        "全区：日纪实 28 篇，深入现场和企业 4 次，提出问题 4 个，解决问题 3 个，完成项目节点 2 个。" in text
    )
    rows = [[c.text for c in row.cells] for row in document.tables[0].rows]
    assert rows[0] == exports.SUMMARY_HEADERS
    assert ["王", "20", "17", "75.0", "4", "3", "2", "2", "节点滞后一个"] in rows


def test_the_monthly_summary_exports_to_excel(june, zone_admin):
    data = exports.monthly_summary_xlsx(monthly_summary(user=zone_admin, month=JUNE))
    sheet = load_workbook(io.BytesIO(data)).worksheets[0]
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert rows[0] == exports.SUMMARY_HEADERS
    assert ["王", 20, 17, 75.0, 4, 3, 2, 2, None] in rows
    assert ["孙", 0, 0, None, 0, 0, 0, 0, None] in rows


def test_the_monthly_page_shows_the_zone_totals_and_downloads_both_files(june, client, zone_admin):
    client.force_login(zone_admin)
    response = client.get(SUMMARY, {"month": "2025-06"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "日纪实 28 篇，深入现场和企业 4 次，提出问题 4 个，解决问题 3 个，完成项目节点 2 个" in page
    docx = client.get(SUMMARY, {"month": "2025-06", "export": "docx"})
    assert Document(io.BytesIO(docx.content)).tables[0].rows[0].cells[0].text == "干部"
    xlsx = client.get(SUMMARY, {"month": "2025-06", "export": "xlsx"})
    assert load_workbook(io.BytesIO(xlsx.content)).worksheets[0]["A1"].value == "干部"


def test_a_cadre_saves_their_note_on_the_monthly_page(june, client):
    client.force_login(june.wang.user)
    response = client.post(f"{SUMMARY}?month=2025-06", {"note": "本月走访企业四次"})
    assert response.status_code == 302
    assert MonthlyNote.objects.get(cadre=june.wang).text == "本月走访企业四次"


# -- assessment arithmetic ------------------------------------------------------------------------------------
class Year:
    """王's 2025 as of 13 December: set up on 1 December (10 working days to the 12th)."""

    TODAY = D(2025, 12, 13)

    def __init__(self):
        self.wang = make_cadre("王", since=D(2025, 12, 1))
        self.project = make_project("项目甲", cadres=[self.wang], on=D(2025, 1, 1))
        keep(self.wang, *weekdays(D(2025, 12, 1), D(2025, 12, 9)), D(2025, 12, 6))  # 7 + a Saturday

        def problem(deadline, raised=None):
            return make_problem(project=self.project, raised=raised or D(2025, 1, 2), deadline=deadline)

        solve(problem(D(2025, 3, 10)), D(2025, 3, 10))  # on time, on the deadline
        solve(problem(D(2025, 3, 10)), D(2025, 3, 11))  # a day late
        problem(D(2025, 4, 1))  # still open
        services.problem_unsolvable(
            actor=None, problem=problem(D(2025, 4, 1)), on=D(2025, 3, 1), reason="无解"
        )
        problem(D(2025, 12, 20))  # due after "today": not yet due
        solve(problem(D(2024, 12, 31), raised=D(2024, 12, 1)), D(2024, 12, 30))  # due last year

        milestone(self.project, D(2025, 2, 1), D(2025, 2, 1))  # met on the day
        milestone(self.project, D(2025, 5, 1), D(2025, 4, 20))  # met early
        milestone(self.project, D(2025, 3, 1), D(2025, 3, 5))  # late
        milestone(self.project, D(2025, 12, 20))  # planned after "today"
        milestone(self.project, D(2024, 11, 1))  # last year


@pytest.fixture
def year(zone):
    return Year()


def test_assessment_components_are_percentages_of_what_could_be_measured(year):
    parts = assessment_components(year.wang, 2025, today=Year.TODAY)
    assert parts == {
        "record_completeness": Decimal("70.00"),
        "problems_on_time": Decimal("33.33"),
        "milestones_met": Decimal("66.67"),
        "satisfaction": None,
    }


def test_milestones_of_a_project_the_cadre_left_before_the_year_do_not_count(year):
    old = make_project("旧项目", cadres=[year.wang], on=D(2024, 1, 1))
    milestone(old, D(2025, 3, 1))
    cadre_services.assignment_set(actor=None, project=old, cadres=[], on=D(2025, 1, 1))  # ends 31 Dec 2024
    assert assessment_components(year.wang, 2025, today=Year.TODAY)["milestones_met"] == Decimal("66.67")


def test_a_cadre_with_nothing_to_measure_has_no_components():
    cadre = make_cadre("新人", since=D(2026, 1, 1))
    assert set(assessment_components(cadre, 2025, today=D(2026, 1, 5)).values()) == {None}


def test_the_weighted_score_shares_out_the_weight_of_a_missing_component(year):
    parts = assessment_components(year.wang, 2025, today=Year.TODAY)
    score, used = weighted_score(parts, WEIGHTS)
    # (30 × 70 + 30 × 33.33 + 20 × 66.67) / 80 = 55.41625
    assert score == Decimal("55.42")
    assert used == {"record_completeness": "30", "problems_on_time": "30", "milestones_met": "20"}


def test_the_weighted_score_with_every_component_is_the_plain_weighted_mean():
    parts = {
        "record_completeness": Decimal("100"),
        "problems_on_time": Decimal("50"),
        "milestones_met": Decimal("0"),
        "satisfaction": Decimal("80"),
    }
    assert weighted_score(parts, WEIGHTS)[0] == Decimal("61.00")


def test_the_weighted_score_rounds_half_up():
    parts = {
        "record_completeness": Decimal("80.01"),
        "problems_on_time": Decimal("80.00"),
        "milestones_met": None,
        "satisfaction": None,
    }
    assert weighted_score(parts, WEIGHTS)[0] == Decimal("80.01")  # 80.005, not 80.00


def test_no_component_means_no_score():
    assert weighted_score(dict.fromkeys(WEIGHTS), WEIGHTS)[0] is None


def test_the_ranking_gives_tied_scores_the_same_place_and_skips_the_next():
    ranked = rank(
        [("丁", Decimal("70")), ("甲", Decimal("90")), ("乙", Decimal("80")), ("丙", Decimal("80"))]
    )
    assert [(name, position) for name, _, position in ranked] == [("甲", 1), ("乙", 2), ("丙", 2), ("丁", 4)]


def test_a_cadre_without_a_score_ranks_last():
    ranked = rank([("无", None), ("甲", Decimal("10")), ("零", Decimal("0"))])
    assert [(name, position) for name, _, position in ranked] == [("甲", 1), ("零", 2), ("无", 3)]


# -- assessment runs ----------------------------------------------------------------------------------------------
def test_a_run_stores_the_rule_version_the_weights_and_each_cadres_score_and_rank(year, zone_admin):
    other = make_cadre("李", since=D(2025, 12, 1))
    keep(other, *weekdays(D(2025, 12, 1), D(2025, 12, 12)))
    make_cadre("离岗", is_active=False)
    run = services.assessment_run(actor=zone_admin, year=2025, today=Year.TODAY)
    run.refresh_from_db()
    assert (run.year, run.rule.version, run.weights, run.created_by) == (2025, 1, WEIGHTS, zone_admin)
    scores = [(s.cadre.name, s.score, s.rank) for s in run.scores.order_by("rank")]
    assert scores == [("李", Decimal("100.00"), 1), ("王", Decimal("55.42"), 2)]
    wang = run.scores.get(cadre=year.wang).components
    assert wang["record_completeness"] == "70.00"
    assert wang["satisfaction"] is None
    assert wang["weights_used"] == {
        "record_completeness": "30",
        "problems_on_time": "30",
        "milestones_met": "20",
    }


def test_a_new_weights_version_applies_from_its_effective_date(year):
    new_weights = {"record_completeness": 50, "problems_on_time": 50, "milestones_met": 0, "satisfaction": 0}
    RuleSet.objects.create(
        key=rules.ASSESSMENT, version=2, effective_from=D(2026, 1, 1), values={"weights": new_weights}
    )
    before = services.assessment_run(actor=None, year=2025, today=Year.TODAY)
    after = services.assessment_run(actor=None, year=2026, today=D(2026, 1, 10))
    assert (before.rule.version, before.weights) == (1, WEIGHTS)
    assert (after.rule.version, after.weights) == (2, new_weights)
    assert before.scores.get().score == Decimal("55.42")


def test_a_version_effective_during_the_year_applies_to_that_years_run(year):
    new_weights = {"record_completeness": 50, "problems_on_time": 50, "milestones_met": 0, "satisfaction": 0}
    RuleSet.objects.create(
        key=rules.ASSESSMENT, version=2, effective_from=D(2025, 7, 1), values={"weights": new_weights}
    )
    run = services.assessment_run(actor=None, year=2025, today=Year.TODAY)
    assert run.rule.version == 2
    # (50 × 70 + 50 × 33.33 + 0 × 66.67) / 100 = 51.665
    assert run.scores.get().score == Decimal("51.67")


def test_a_stored_run_keeps_its_weights_when_a_new_version_comes(year):
    run = services.assessment_run(actor=None, year=2025, today=Year.TODAY)
    RuleSet.objects.create(
        key=rules.ASSESSMENT,
        version=2,
        effective_from=D(2025, 1, 1),
        values={
            "weights": {
                "record_completeness": 100,
                "problems_on_time": 0,
                "milestones_met": 0,
                "satisfaction": 0,
            }
        },
    )
    assert AssessmentRun.objects.get(pk=run.pk).weights == WEIGHTS


def test_the_rule_rejects_weights_not_summing_to_100():
    weights = dict(WEIGHTS, satisfaction=10)
    assert rule_problems(rules.ASSESSMENT, {"weights": weights}) == ["各项权重之和应为 100（现为 90）"]
    with pytest.raises(ValidationError) as excinfo:
        RuleSet(
            key=rules.ASSESSMENT, version=2, effective_from=D(2026, 1, 1), values={"weights": weights}
        ).full_clean()
    assert excinfo.value.message_dict["values"] == ["各项权重之和应为 100（现为 90）"]


def test_the_rule_rejects_a_negative_weight_and_accepts_a_sum_of_100():
    weights = dict(WEIGHTS, satisfaction=-10, milestones_met=50)
    assert rule_problems(rules.ASSESSMENT, {"weights": weights}) == ["“企业满意度”的权重不能为负数"]
    assert (
        rule_problems(rules.ASSESSMENT, {"weights": dict(WEIGHTS, satisfaction=15, milestones_met=25)}) == []
    )


def test_the_ranking_exports_to_excel_with_the_weights_used(year, client, zone_admin):
    run = services.assessment_run(actor=zone_admin, year=2025, today=Year.TODAY)
    client.force_login(zone_admin)
    response = client.get(f"/admin/projects/assessmentrun/{run.pk}/export/")
    assert response.status_code == 200
    rows = [
        list(r) for r in load_workbook(io.BytesIO(response.content)).worksheets[0].iter_rows(values_only=True)
    ]
    assert rows[0] == exports.ASSESSMENT_HEADERS
    assert rows[1] == [1, "王", 55.42, "70.00", "33.33", "66.67", None]
    assert rows[-1][0] == "权重"
    assert "日纪实完整率 30%" in rows[-1][1]
    assert rows[-1][2] == "规则版本 1"
