"""招商人员, 招商活动 and 招商项目 ledgers — LEDGERS.md: messy files (title rows, synonyms, `*`
and （必填） headers, full-width digits, 1,234.5 money, every date form, CSV in GB18030 and with a
BOM), all or nothing with every row error, dry run, re-import and round trip; the teams defined
by the people's ledger; a project's 到位资金 as one tranche on its 签约日期."""

import datetime
import io
from decimal import Decimal

import pytest
from django.core.management import call_command
from openpyxl import load_workbook

from dangjian.core.indicators import Period
from dangjian.core.ledgers import import_ledger, ledgers
from dangjian.core.testing.english import english_words
from dangjian.core.testing.ledgers import (
    Formatted,
    assert_round_trip,
    error_briefs,
    export_rows,
    import_rows,
    record_changes,
    xlsx_bytes,
)
from dangjian.investment import selectors, services
from dangjian.investment.models import (
    EventForm,
    FundTranche,
    InvestmentEvent,
    InvestmentPerson,
    InvestmentProject,
    PersonRole,
    Stage,
    Team,
)

from . import factories as f

pytestmark = pytest.mark.django_db

FORMATS = ["xlsx", "csv-bom", "csv-gb18030"]
PEOPLE = ["姓名*", "身份（必填）", "小分队", "聘任日期"]
EVENTS = ["活动名称*", "日期*", "地点", "招商小分队", "活动形式"]
PROJECTS = [
    "项目名称*",
    "投资方",
    "所属产业",
    "项目阶段*",
    "签约日期",
    "协议投资（万元）",
    "到位资金（万元）",
]


def people(*rows, header=PEOPLE, fmt="xlsx", **options):
    return import_rows("investment_people", [["2025年招商人员名册"], [], header, *rows], fmt, **options)


def events(*rows, header=EVENTS, fmt="xlsx", **options):
    return import_rows("investment_events", [["招商活动台账"], header, *rows], fmt, **options)


def projects(*rows, header=PROJECTS, fmt="xlsx", **options):
    return import_rows("investment_projects", [["招商项目台账（2025年）"], header, *rows], fmt, **options)


def appointments():
    return sorted(
        (p.name, p.role, p.team.name if p.team_id else None, p.appointed_on)
        for p in InvestmentPerson.objects.filter(left_on__isnull=True)
    )


# -- 招商人员 ----------------------------------------------------------------------------------------
@pytest.mark.parametrize("fmt", FORMATS)
def test_the_people_ledger_creates_appointments_and_the_teams_it_names(zone, zone_admin, fmt):
    report = people(
        ["李大使", "招商大使", "", "2025-01-15"],
        ["赵顾问", "顾问", None, "2025年3月1日"],
        ["王队长", "小分队队长", "第一招商小分队", "2025/2/1"],
        ["钱队员", "队员", "第一招商小分队", "20250201"],
        ["孙队员", "小分队队员", "第二招商小分队", "2025.02.01"],
        fmt=fmt,
        actor=zone_admin,
    )

    assert report.ok, report.errors
    assert report.header_row == 3
    assert (report.created, report.updated, report.unchanged) == (5, 0, 0)
    assert appointments() == [
        ("孙队员", PersonRole.MEMBER, "第二招商小分队", datetime.date(2025, 2, 1)),
        ("李大使", PersonRole.AMBASSADOR, None, datetime.date(2025, 1, 15)),
        ("王队长", PersonRole.LEADER, "第一招商小分队", datetime.date(2025, 2, 1)),
        ("赵顾问", PersonRole.ADVISOR, None, datetime.date(2025, 3, 1)),
        ("钱队员", PersonRole.MEMBER, "第一招商小分队", datetime.date(2025, 2, 1)),
    ]
    assert sorted(Team.objects.values_list("name", flat=True)) == ["第一招商小分队", "第二招商小分队"]
    # team members get their account and the grant on their team; ambassadors none
    leader = InvestmentPerson.objects.get(name="王队长")
    assert leader.user is not None and leader.grant.object_id == leader.team_id
    assert InvestmentPerson.objects.get(name="李大使").user is None


@pytest.mark.parametrize(
    ("written", "day"),
    [
        ("2023-07-01", datetime.date(2023, 7, 1)),
        ("2023/7/1", datetime.date(2023, 7, 1)),
        ("2023.07.01", datetime.date(2023, 7, 1)),
        ("2023年7月1日", datetime.date(2023, 7, 1)),
        ("20230701", datetime.date(2023, 7, 1)),
        ("２０２３年７月１日", datetime.date(2023, 7, 1)),
        (datetime.date(2023, 1, 1), datetime.date(2023, 1, 1)),
        (datetime.datetime(2023, 12, 31, 0, 0), datetime.date(2023, 12, 31)),
        (Formatted(datetime.date(2023, 7, 1), 'yyyy"年"m"月"d"日"'), datetime.date(2023, 7, 1)),
        (45108, datetime.date(2023, 7, 1)),  # an Excel serial day number
    ],
)
def test_the_appointment_date_is_understood_however_written(zone, written, day):
    report = people(["李大使", "招商大使", None, written])
    assert report.ok, report.errors
    assert InvestmentPerson.objects.get().appointed_on == day


def test_a_month_only_appointment_date_is_an_error(zone):
    report = people(["李大使", "招商大使", None, "2023年7月"])
    assert error_briefs(report) == ["第 4 行 聘任日期：“2023年7月”只到月份，此列需要填写具体日期"]


@pytest.mark.parametrize(
    ("row", "error"),
    [
        (["李大使", "招商大使", "第一招商小分队", None], "第 4 行 小分队：招商大使不属于小分队，请留空"),
        (["赵顾问", "顾问", "第一招商小分队", None], "第 4 行 小分队：招商顾问不属于小分队，请留空"),
        (["钱队员", "小分队队员", None, None], "第 4 行 小分队：小分队队员须填写所在小分队"),
        (["王队长", "队长", "", None], "第 4 行 小分队：小分队队长须填写所在小分队"),
        (
            ["李大使", "招商专员", None, None],
            "第 4 行 身份：“招商专员”不是可选值（招商大使、招商顾问、小分队队员、小分队队长）",
        ),
        (["", "招商大使", None, None], "第 4 行 姓名：必填，不能为空"),
        (["李大使", "招商大使", None, "2023-02-30"], "第 4 行 聘任日期：日期不存在（2023年2月30日）"),
    ],
)
def test_a_bad_person_row_is_an_error_naming_row_and_column(zone, row, error):
    report = people(row)
    assert error_briefs(report) == [error]
    assert not InvestmentPerson.objects.exists()
    assert not Team.objects.exists()  # a team named by a refused row is not made


def test_a_person_with_another_team_moves_to_it(zone):
    people(["钱队员", "队员", "第一招商小分队", "2025-02-01"])
    report = people(["钱队员", "小分队队员", "第二招商小分队", "2025-02-01"])
    assert (report.created, report.updated) == (0, 1)
    [change] = report.rows[0].changes
    assert str(change) == "招商小分队：第一招商小分队 → 第二招商小分队"
    person = InvestmentPerson.objects.get()
    assert person.team.name == "第二招商小分队"
    assert person.grant.object_id == person.team_id  # the grant follows the team


def test_the_same_name_in_two_roles_is_two_appointments(zone):
    report = people(["周某", "招商顾问", None, None], ["周某", "招商大使", None, None])
    assert report.created == 2
    assert InvestmentPerson.objects.filter(name="周某").count() == 2


def test_a_departed_person_is_appointed_again_by_the_ledger(zone):
    person = f.person("李大使", appointed_on=datetime.date(2020, 1, 1))
    services.person_leave(actor=None, person=person, on=datetime.date(2024, 12, 31))
    report = people(["李大使", "招商大使", None, "2025-01-01"])
    assert report.created == 1
    assert InvestmentPerson.objects.filter(name="李大使").count() == 2


def test_the_people_ledger_round_trips_and_leaves_out_departed_people(zone):
    people(
        ["李大使", "大使", None, "2025-01-15"],
        ["王队长", "队长", "第一招商小分队", None],
        ["钱队员", "队员", "第一招商小分队", "2025-02-01"],
    )
    gone = f.person("老顾问", role=PersonRole.ADVISOR, appointed_on=datetime.date(2020, 1, 1))
    services.person_leave(actor=None, person=gone, on=datetime.date(2024, 1, 1))
    assert export_rows("investment_people") == [
        ["姓名", "身份", "招商小分队", "聘任日期"],
        ["李大使", "招商大使", None, datetime.datetime(2025, 1, 15)],
        ["王队长", "小分队队长", "第一招商小分队", None],
        ["钱队员", "小分队队员", "第一招商小分队", datetime.datetime(2025, 2, 1)],
    ]
    assert_round_trip("investment_people")
    assert_round_trip("investment_people", fmt="csv")


def test_the_command_imports_the_people_ledger(zone, tmp_path):
    path = tmp_path / "招商人员.xlsx"
    path.write_bytes(xlsx_bytes([["姓名", "身份", "招商小分队"], ["王队长", "小分队队长", "第三招商小分队"]]))
    call_command("import_ledger", "investment_people", str(path), stdout=io.StringIO())
    assert appointments() == [("王队长", PersonRole.LEADER, "第三招商小分队", None)]


# -- 招商活动 ----------------------------------------------------------------------------------------
@pytest.mark.parametrize("fmt", FORMATS)
def test_the_events_ledger_creates_events_of_existing_teams(zone, fmt):
    f.team("第一招商小分队")
    report = events(
        ["深圳生物医药招商对接会", "2025年5月10日", "深圳", "第一招商小分队", "招商对接"],
        ["赴西安考察学习", "2025/6/1", "西安", "", "考察学习"],
        ["园区项目推介", "20250701", "", None, ""],
        fmt=fmt,
    )
    assert report.ok, report.errors
    assert report.created == 3
    rows = sorted(
        (e.name, e.held_on, e.city, e.team.name if e.team_id else None, e.form)
        for e in InvestmentEvent.objects.all()
    )
    assert rows == [
        ("园区项目推介", datetime.date(2025, 7, 1), "", None, EventForm.OTHER),  # empty form: 其他
        (
            "深圳生物医药招商对接会",
            datetime.date(2025, 5, 10),
            "深圳",
            "第一招商小分队",
            EventForm.MATCHMAKING,
        ),
        ("赴西安考察学习", datetime.date(2025, 6, 1), "西安", None, EventForm.STUDY_TOUR),
    ]


def test_an_event_of_a_team_not_recorded_is_an_error(zone):
    report = events(["深圳对接会", "2025-05-10", "深圳", "第九招商小分队", "招商对接"])
    assert error_briefs(report) == ["第 3 行 招商小分队：找不到招商小分队“第九招商小分队”"]
    assert not InvestmentEvent.objects.exists()


def test_without_the_form_column_a_new_event_is_other_and_an_old_one_keeps_its_form(zone):
    f.event("深圳对接会", held_on=datetime.date(2025, 5, 10), form=EventForm.PROMOTION)
    report = events(
        ["深圳对接会", "2025-05-10", ""],
        ["长沙考察", "2025-05-12", "长沙"],
        header=["活动名称", "日期", "城市"],
    )
    assert (report.created, report.unchanged) == (1, 1)
    forms = dict(InvestmentEvent.objects.values_list("name", "form"))
    assert forms == {"深圳对接会": EventForm.PROMOTION, "长沙考察": EventForm.OTHER}


def test_the_events_are_matched_by_name_and_day(zone):
    events(["深圳对接会", "2025-05-10", "深圳", None, "招商对接"])
    report = events(
        ["深圳对接会", "2025年5月10日", "深圳南山", None, "招商对接"],
        ["深圳对接会", "2025-05-11", "深圳", None, "招商对接"],
    )
    assert (report.created, report.updated) == (1, 1)
    assert [str(c) for c in report.updated_rows[0].changes] == ["城市：深圳 → 深圳南山"]


def test_the_events_ledger_round_trips_with_formula_looking_names_as_text(zone):
    f.team("第一招商小分队")
    events(
        ["=招商对接会", "2025-01-01", "北京", "第一招商小分队", "推介会"],
        ["+长沙考察", "2025-12-31", "-长沙", None, "考察学习"],
        ["@湖南", "2025-06-30", "湖南", None, None],
    )
    rows = export_rows("investment_events")
    assert rows[0] == ["活动名称", "日期", "城市", "招商小分队", "活动形式"]
    assert [r[0] for r in rows[1:]] == ["=招商对接会", "@湖南", "+长沙考察"]
    assert rows[3][2] == "-长沙"
    assert_round_trip("investment_events")
    assert_round_trip("investment_events", fmt="csv")


# -- 招商项目 ----------------------------------------------------------------------------------------
def project_rows():
    return sorted(
        (
            p.name,
            p.investor,
            p.cluster.name if p.cluster_id else None,
            p.stage,
            p.signed_on,
            p.signed_amount,
            p.funds_total,
        )
        for p in InvestmentProject.objects.all()
    )


@pytest.mark.parametrize("fmt", FORMATS)
def test_the_projects_ledger_states_each_projects_stage_and_funds(zone, fmt):
    report = projects(
        [
            "年产千吨原料药项目",
            "某某药业有限公司",
            "生物医药",
            "签约",
            "2025年3月1日",
            "１２，０００",
            "1,234.5",
        ],
        ["锂电池正极材料项目", "某某新能源集团", "新能源", "开工", "2025/1/1", " 50000 ", "３０００"],
        ["光伏组件项目", "", "", "线索", "", "", ""],
        ["食品加工项目", "某某食品", "绿色食品", "洽谈", None, None, None],
        fmt=fmt,
    )
    assert report.ok, report.errors
    assert report.created == 4
    assert project_rows() == [
        ("光伏组件项目", "", None, Stage.LEAD, None, None, Decimal(0)),
        (
            "年产千吨原料药项目",
            "某某药业有限公司",
            "生物医药",
            Stage.SIGNED,
            datetime.date(2025, 3, 1),
            12000,
            Decimal("1234.5"),
        ),
        (
            "锂电池正极材料项目",
            "某某新能源集团",
            "新能源",
            Stage.STARTED,
            datetime.date(2025, 1, 1),
            50000,
            3000,
        ),
        ("食品加工项目", "某某食品", "绿色食品", Stage.NEGOTIATING, None, None, Decimal(0)),
    ]
    # the 到位资金 is one tranche dated on the 签约日期; a new project's 线索日期 is its 签约日期
    project = InvestmentProject.objects.get(name="年产千吨原料药项目")
    assert [(t.received_on, t.amount) for t in project.tranches.all()] == [
        (datetime.date(2025, 3, 1), Decimal("1234.5"))
    ]
    assert project.recorded_on == datetime.date(2025, 3, 1)


def test_a_project_without_a_signing_date_is_recorded_today(zone):
    projects(["光伏组件项目", "", "", "线索", "", "", ""])
    assert InvestmentProject.objects.get().recorded_on == datetime.date.today()


@pytest.mark.parametrize("stage", ["签约", "开工", "投产"])
def test_a_signed_stage_needs_the_signing_date(zone, stage):
    report = projects(["原料药项目", "", "", stage, "", "1000", ""])
    assert error_briefs(report) == [f"第 3 行 签约日期：阶段为“{stage}”时须填写签约日期"]
    assert not InvestmentProject.objects.exists()


@pytest.mark.parametrize("stage", ["线索", "洽谈", "终止"])
def test_a_stage_before_signing_needs_no_signing_date(zone, stage):
    report = projects(["原料药项目", "", "", stage, "", "", ""])
    assert report.ok, report.errors
    assert InvestmentProject.objects.get().stage == Stage(Stage.values[Stage.labels.index(stage)])


def test_funds_without_a_signing_date_are_an_error(zone):
    report = projects(["原料药项目", "", "", "洽谈", "", "", "100"])
    assert error_briefs(report) == ["第 3 行 到位资金（万元）：填写到位资金时须填写签约日期"]
    assert not InvestmentProject.objects.exists()


def test_a_cluster_not_configured_is_an_error(zone):
    report = projects(["原料药项目", "", "人工智能", "线索", "", "", ""])
    [error] = error_briefs(report)
    assert error.startswith("第 3 行 所属产业：“人工智能”不是本区配置的产业（")
    assert "生物医药" in error
    assert not InvestmentProject.objects.exists()


@pytest.mark.parametrize(
    ("row", "error"),
    [
        (
            ["原料药项目", "", "", "立项", "", "", ""],
            "第 3 行 项目阶段：“立项”不是可选值（线索、洽谈、签约、开工、投产、终止）",
        ),
        (
            ["原料药项目", "", "", "签约", "2025-03-01", "很多", ""],
            "第 3 行 协议投资（万元）：“很多”不是数字",
        ),
        (["原料药项目", "", "", "签约", "2025-03-01", "-5", ""], "第 3 行 协议投资（万元）：不能小于 0"),
        (
            ["原料药项目", "", "", "签约", "2025-13-01", "", ""],
            "第 3 行 签约日期：日期不存在（2025年13月1日）",
        ),
        (["原料药项目", "", "", "签约", "2099-01-01", "", ""], "第 3 行 签约日期：线索日期不能晚于今天"),
    ],
)
def test_a_bad_project_cell_is_an_error_naming_row_and_column(zone, row, error):
    report = projects(row)
    assert error_briefs(report) == [error]
    assert not InvestmentProject.objects.exists()


def test_a_second_import_adds_no_tranche_to_a_project_that_has_them(zone):
    projects(["原料药项目", "某药业", "生物医药", "签约", "2025-03-01", "12000", "1000"])
    project = InvestmentProject.objects.get()
    services.tranche_add(
        actor=None, project=project, received_on=datetime.date(2025, 6, 1), amount=Decimal("500")
    )
    before = record_changes()
    report = projects(["原料药项目", "某药业", "生物医药", "签约", "2025-03-01", "12000", "1500"])
    assert (report.updated, report.unchanged) == (0, 1), report.rows
    assert FundTranche.objects.count() == 2 and project.funds_total == Decimal(1500)
    assert record_changes() == before
    # a 到位资金 other than the tranches' total is refused, not silently dropped
    report = projects(["原料药项目", "某药业", "生物医药", "签约", "2025-03-01", "12000", "9999"])
    assert error_briefs(report) == [
        "第 3 行 到位资金（万元）：项目已按笔登记到位资金（合计 1500 万元），台账不能改动；请在项目页登记或更正到位资金"
    ]


@pytest.mark.parametrize(
    ("written", "stage"),
    [
        ("已签约", Stage.SIGNED),
        ("已开工", Stage.STARTED),
        ("已投产", Stage.PRODUCING),
        ("洽谈中", Stage.NEGOTIATING),
    ],
)
def test_the_stage_is_understood_as_files_write_it(zone, written, stage):
    report = projects(["原料药项目", "", "", written, "2025-03-01", "", ""])
    assert report.ok, report.errors
    assert InvestmentProject.objects.get().stage == stage


def test_a_lead_signed_before_it_was_imported_moves_its_lead_date_back(zone):
    projects(["原料药项目", "", "", "线索", "", "", ""])
    assert InvestmentProject.objects.get().recorded_on == datetime.date.today()
    report = projects(["原料药项目", "", "", "签约", "2025-03-01", "1000", "100"])
    assert report.updated == 1
    p = InvestmentProject.objects.get()
    assert (p.recorded_on, p.signed_on, p.stage) == (
        datetime.date(2025, 3, 1),
        datetime.date(2025, 3, 1),
        Stage.SIGNED,
    )
    # the project can still be edited (its 线索日期 is not after its 签约日期)
    services.project_save(actor=None, instance=p, note="已核实")
    assert_round_trip("investment_projects")


def test_zero_funds_make_no_tranche(zone):
    projects(["原料药项目", "", "", "签约", "2025-03-01", "1000", "0"])
    assert not FundTranche.objects.exists()
    assert_round_trip("investment_projects")


def test_a_project_of_the_pipeline_is_stated_by_the_ledger(zone):
    p = f.signed("原料药项目", on=datetime.date(2025, 3, 1), amount=Decimal("10000"))
    report = projects(["原料药项目", "", "", "开工", "2025-03-01", "10000", ""])
    assert report.updated == 1
    assert [str(c) for c in report.rows[0].changes] == ["阶段：签约 → 开工"]
    p.refresh_from_db()
    assert p.stage == Stage.STARTED and p.tranches.count() == 0


def test_one_bad_row_changes_nothing_and_every_error_is_listed(zone):
    f.team("第一招商小分队")
    before = record_changes()
    report = projects(
        ["原料药项目", "", "生物医药", "签约", "2025-03-01", "12000", "1000"],
        ["电池项目", "", "人工智能", "线索", "", "", ""],
        ["光伏项目", "", "", "投产", "", "", ""],
        ["食品项目", "", "", "洽谈", "", "", "50"],
    )
    assert not report.ok
    assert [(e.row, e.column) for e in report.errors] == [
        (4, "所属产业"),
        (5, "签约日期"),
        (6, "到位资金（万元）"),
    ]
    assert report.summary() == "招商项目：发现 3 个错误，未导入任何数据"
    assert not InvestmentProject.objects.exists() and not FundTranche.objects.exists()
    assert record_changes() == before


def test_a_dry_run_counts_and_writes_nothing(zone):
    projects(["原料药项目", "", "生物医药", "签约", "2025-03-01", "12000", "1000"])
    before = record_changes()
    report = projects(
        ["原料药项目", "", "生物医药", "签约", "2025-03-01", "12000", "1000"],
        ["原料药项目二期", "", "生物医药", "线索", "", "", ""],
        ["电池项目", "", "新能源", "签约", "2025-04-01", "8000", "800"],
        dry_run=True,
    )
    assert report.ok, report.errors
    assert (report.created, report.updated, report.unchanged) == (2, 0, 1)
    assert report.summary() == "招商项目：将新增 2 条，将更新 0 条，未变化 1 条（试导入，未写入）"
    assert InvestmentProject.objects.count() == 1 and FundTranche.objects.count() == 1
    assert record_changes() == before


def test_re_importing_the_same_projects_changes_nothing(zone):
    rows = (
        ["原料药项目", "某药业", "生物医药", "签约", "2025年3月1日", "12,000", "１，０００．５"],
        ["电池项目", "", "新能源", "终止", "", "", ""],
        ["光伏项目", "某光伏", "", "投产", "2024-12-31", "3000", "3000"],
    )
    projects(*rows)
    before = record_changes()
    report = projects(*rows)
    assert (report.created, report.updated, report.unchanged) == (0, 0, 3), report.rows
    assert record_changes() == before


def test_the_projects_ledger_round_trips(zone):
    projects(
        ["原料药项目", "=某药业", "生物医药", "签约", "2025-03-01", "12000.25", "1000"],
        ["电池项目", "", "新能源", "终止", "", "", ""],
        ["光伏项目", "", "", "线索", "", "", ""],
    )
    p = InvestmentProject.objects.get(name="原料药项目")
    services.tranche_add(actor=None, project=p, received_on=datetime.date(2025, 5, 1), amount=Decimal("0.5"))
    rows = export_rows("investment_projects")
    assert rows[0] == [
        "项目名称",
        "投资方",
        "所属产业",
        "阶段",
        "签约日期",
        "签约金额（万元）",
        "到位资金（万元）",
    ]
    by_name = {r[0]: r for r in rows[1:]}
    assert by_name["原料药项目"][1] == "=某药业"  # written as text
    assert by_name["原料药项目"][4:] == [datetime.datetime(2025, 3, 1), 12000.25, 1000.5]  # funds_total
    assert by_name["光伏项目"][3:] == ["线索", None, None, None]
    assert_round_trip("investment_projects")
    assert_round_trip("investment_projects", fmt="csv")


def test_the_imported_projects_count_in_the_figures_queries(zone):
    projects(
        ["年初签约项目", "", "", "签约", "2025-01-01", "1000", "100"],
        ["年末签约项目", "", "", "投产", "2025-12-31", "2000", "200.25"],
        ["去年签约项目", "", "", "开工", "2024-12-31", "3000", "300"],
        ["次年签约项目", "", "", "签约", "2026-01-01", "4000", "400"],
        ["终止项目", "", "", "终止", "2025-06-01", "5000", ""],
        ["线索项目", "", "", "线索", "", "", ""],
    )
    signed = selectors.signed_in(InvestmentProject.objects.all(), Period.year(2025))
    assert sorted(signed.values_list("name", flat=True)) == ["年初签约项目", "年末签约项目"]
    assert selectors.funds_of(signed) == Decimal("300.25")
    tranches = selectors.tranches_in(FundTranche.objects.all(), Period.year(2025))
    assert selectors.tranche_sum(tranches) == Decimal("300.25")


# -- the pages ---------------------------------------------------------------------------------------
def test_the_ledger_pages_offer_the_three_ledgers(client, zone_admin):
    names = [lg.name for lg in ledgers()]
    assert names.index("ratings") < names.index("investment_people")
    assert (
        names.index("investment_people")
        < names.index("investment_events")
        < names.index("investment_projects")
    )
    client.force_login(zone_admin)
    index = client.get("/admin/ledgers/").content.decode()
    for name in ("investment_people", "investment_events", "investment_projects"):
        assert f'href="/admin/ledgers/{name}/template/"' in index
    page = client.get("/admin/ledgers/investment_projects/import/")
    assert page.status_code == 200 and "招商项目" in page.content.decode()
    for name in ("investment_people", "investment_events", "investment_projects"):
        assert english_words(client.get(f"/admin/ledgers/{name}/import/").content.decode()) == [], name
    template = client.get("/admin/ledgers/investment_projects/template/")
    assert template.status_code == 200
    book = load_workbook(io.BytesIO(template.content))
    assert book.sheetnames == ["招商项目", "填写说明"]
    assert [c.value for c in book.worksheets[0][1]] == [
        "项目名称",
        "投资方",
        "所属产业",
        "阶段",
        "签约日期",
        "签约金额（万元）",
        "到位资金（万元）",
    ]
    notes = " ".join(str(c.value) for row in book.worksheets[1].iter_rows() for c in row if c.value)
    assert "生物医药" in notes  # the configured clusters
    events_book = load_workbook(io.BytesIO(client.get("/admin/ledgers/investment_events/template/").content))
    notes = " ".join(str(c.value) for row in events_book.worksheets[1].iter_rows() for c in row if c.value)
    assert "留空按“其他”计" in notes


def test_an_upload_through_the_page_imports_the_people(client, zone_admin):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from dangjian.core.testing.ledgers import csv_bytes

    client.force_login(zone_admin)
    data = csv_bytes([["姓名", "身份", "小分队"], ["王队长", "队长", "第一招商小分队"]], encoding="gb18030")
    response = client.post(
        "/admin/ledgers/investment_people/import/",
        {"file": SimpleUploadedFile("招商人员.csv", data, content_type="text/csv")},
    )
    assert response.status_code == 200
    assert "招商人员：将新增 1 条，将更新 0 条，未变化 0 条（试导入，未写入）" in response.content.decode()
    assert not InvestmentPerson.objects.exists()
    token = client.session["ledger_upload"]["token"]
    response = client.post("/admin/ledgers/investment_people/import/", {"confirm": "1", "token": token})
    assert response.status_code == 200
    assert "招商人员：已新增 1 条" in response.content.decode()
    assert appointments() == [("王队长", PersonRole.LEADER, "第一招商小分队", None)]


def test_a_direct_import_as_the_zone_admin_records_the_team(zone, zone_admin):
    data = xlsx_bytes([["姓名", "身份", "招商小分队"], ["王队长", "小分队队长", "第一招商小分队"]])
    report = import_ledger("investment_people", data, "台账.xlsx", actor=zone_admin)
    assert report.ok, report.errors
    assert Team.objects.get().name == "第一招商小分队"


def test_a_team_member_exports_and_imports_only_their_teams_events(zone):
    first, second = f.team("第一招商小分队"), f.team("第二招商小分队")
    leader = f.person("王队长", role=PersonRole.LEADER, team=first, appointed_on=datetime.date(2024, 1, 1))
    f.event("深圳对接会", held_on=datetime.date(2025, 5, 10), team=first)
    f.event("长沙考察", held_on=datetime.date(2025, 5, 12), team=second)
    rows = export_rows("investment_events", user=leader.user)
    assert [r[0] for r in rows[1:]] == ["深圳对接会"]
    report = events(
        ["西安对接会", "2025-06-01", "西安", "第一招商小分队", "招商对接"],
        ["北京推介会", "2025-06-02", "北京", "第二招商小分队", "推介会"],
        actor=leader.user,
    )
    assert [(e.row, e.column) for e in report.errors] == [(4, "整行")]
    assert report.errors[0].reason == "超出您的数据授权范围，操作未执行"
    assert not InvestmentEvent.objects.filter(name__in=["西安对接会", "北京推介会"]).exists()
    report = events(["西安对接会", "2025-06-01", "西安", "第一招商小分队", "招商对接"], actor=leader.user)
    assert report.ok, report.errors
    assert InvestmentEvent.objects.get(name="西安对接会").team == first
