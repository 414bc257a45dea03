"""发展党员 (development) ledger — LEDGERS.md: real .xlsx and .csv files, every rule at its edges,
and the roster record of everyone with a 接收预备党员日期."""

import datetime
import itertools

import pytest

from dangjian.core.crypto import keyed_hash
from dangjian.core.testing.codes import make_id_number
from dangjian.core.testing.ledgers import (
    Formatted,
    assert_round_trip,
    export_rows,
    import_rows,
    record_changes,
)
from dangjian.members.models import (
    DevelopmentCase,
    DevelopmentEvent,
    DevelopmentStage,
    Member,
    MemberCategory,
)
from dangjian.testing.factories import make_member

from .development_cases import case_at

D = datetime.date
HEADER = [
    "姓名",
    "公民身份号码",
    "所在党组织",
    "申请入党日期",
    "确定积极分子日期",
    "确定发展对象日期",
    "接收预备党员日期",
    "转正日期",
    "入党介绍人",
]
BIRTH = D(1996, 8, 8)
_seq = itertools.count(100)
# a region of its own: never the number of a member made by make_member (region 611002, its own count)
REGION = "621004"


def id_for(birth=BIRTH, sex="男"):
    return make_id_number(birth, next(_seq), sex, region=REGION)


def row(**values):
    """A ledger row in HEADER order: by default a person who became a full member, in 甲一党支部.
    Keyword names are the headers; None leaves a cell empty."""
    defaults = {
        "姓名": "周发展",
        "公民身份号码": values.pop("id_number", None) or id_for(),
        "所在党组织": "甲一党支部",
        "申请入党日期": "2020-03-01",
        "确定积极分子日期": "2020-04-01",
        "确定发展对象日期": "2021-04-01",
        "接收预备党员日期": "2021-06-01",
        "转正日期": "2022-06-01",
        "入党介绍人": "张一、李二",
    }
    defaults.update(values)
    return [defaults[h] for h in HEADER]


def ok(report):
    assert report.ok, report.errors
    return report


def only_error(report):
    assert not report.ok
    assert len(report.errors) == 1, report.errors
    return report.errors[0].brief


def stored_case(id_number):
    return DevelopmentCase.objects.get(id_number_hash=keyed_hash(id_number))


# -- a real file -----------------------------------------------------------------------------------
@pytest.mark.parametrize("fmt", ["xlsx", "csv-bom", "csv-utf8", "csv-gb18030"])
def test_a_messy_development_ledger_imports_every_column(zone, fmt):
    full_id, probationary_id, activist_id = id_for(), id_for(D(1999, 1, 2), "女"), id_for(D(2001, 5, 5))
    excel_date = D(2021, 4, 1) if fmt == "xlsx" else "2021-04-01"
    rows = [
        ["甲企业党委2024年发展党员工作台账"],
        [],
        [
            "序号",
            "姓名*",
            "身份证号",
            "所在支部",
            "递交申请书日期",
            "确定为入党积极分子日期",
            "确定发展对象日期（必填）",
            "支部大会接收日期",
            "预备党员转正日期",
            "介绍人",
            "备注",
        ],
        [
            "1",
            "周发展",
            full_id,
            "甲一党支部",
            "2020年3月1日",
            "2020/4/1",
            excel_date,
            "20210601",
            "2022.06.01",
            "张一，李二",
            "",
        ],
        [
            "2",
            "吴预备",
            probationary_id,
            "甲二党支部",
            "2022-05-10",
            "2022-06-01",
            "2023-06-01",
            "2023-09-01",
            "",
            "张一；李二",
            "延期",
        ],
        ["3", "郑积极", activist_id, "甲一党支部", "2024-01-15", "2024-03-01", "", "", "", "", ""],
    ]
    report = ok(import_rows("development", rows, fmt))
    assert (report.header_row, report.created, report.updated, report.unchanged) == (3, 3, 0, 0)
    assert report.unknown_columns == ["序号", "备注"]

    full = stored_case(full_id)
    assert (full.name, full.organization, full.stage) == ("周发展", zone.branch_a1, DevelopmentStage.FULL)
    assert (full.applied_on, full.activist_on, full.candidate_on, full.admitted_on, full.regularized_on) == (
        D(2020, 3, 1),
        D(2020, 4, 1),
        D(2021, 4, 1),
        D(2021, 6, 1),
        D(2022, 6, 1),
    )
    assert full.introducer_names == "张一、李二"
    probationary = stored_case(probationary_id)
    assert (probationary.stage, probationary.organization, probationary.introducer_names) == (
        DevelopmentStage.PROBATIONARY,
        zone.branch_a2,
        "张一、李二",
    )
    activist = stored_case(activist_id)
    assert (activist.stage, activist.member) == (DevelopmentStage.ACTIVIST, None)
    assert Member.objects.count() == 2


def test_an_excel_date_cell_with_its_own_format_is_read_as_the_date(zone):
    number = id_for()
    report = import_rows(
        "development",
        [HEADER, row(id_number=number, 申请入党日期=Formatted(D(2020, 3, 1), 'yyyy"年"m"月"d"日"'))],
    )
    ok(report)
    assert stored_case(number).applied_on == D(2020, 3, 1)


# -- every rule at its edges -----------------------------------------------------------------------
APPLICANT_ROW = {
    "确定积极分子日期": None,
    "确定发展对象日期": None,
    "接收预备党员日期": None,
    "转正日期": None,
    "入党介绍人": None,
}


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        pytest.param(
            {"birth": D(2002, 3, 1), "申请入党日期": "2020-02-29", **APPLICANT_ROW},
            "第 2 行 申请入党日期：申请入党时未满 18 周岁（出生于 2002-03-01）",
            id="applied the day before the 18th birthday",
        ),
        pytest.param(
            {"确定积极分子日期": "2020-03-01"},
            "第 2 行 确定积极分子日期：确定积极分子日期应在申请入党之后",
            id="activist on the application day",
        ),
        pytest.param(
            {"确定发展对象日期": "2021-03-31"},
            "第 2 行 确定发展对象日期：确定发展对象应在列为积极分子满 1 年之后（最早 2021-04-01）",
            id="candidate one day short of a year",
        ),
        pytest.param(
            {"确定发展对象日期": "2021-06-01"},
            "第 2 行 接收预备党员日期：接收预备党员日期应在确定发展对象之后",
            id="admitted on the candidate day",
        ),
        pytest.param(
            {"转正日期": "2022-05-31"},
            "第 2 行 转正日期：转正日期应为接收之日满一年（2022-06-01），延长预备期的最迟 2023-06-01",
            id="regularized one day short of a year",
        ),
        pytest.param(
            {"转正日期": "2023-06-02"},
            "第 2 行 转正日期：转正日期应为接收之日满一年（2022-06-01），延长预备期的最迟 2023-06-01",
            id="regularized a day after two years",
        ),
        pytest.param(
            {"接收预备党员日期": None, "入党介绍人": None},
            "第 2 行 转正日期：没有接收预备党员日期，不能有转正日期",
            id="regularized without an admission",
        ),
        pytest.param(
            {"入党介绍人": "张一"},
            "第 2 行 入党介绍人：应为两名入党介绍人，实际 1 名",
            id="one introducer",
        ),
        pytest.param(
            {"入党介绍人": "张一、李二、王三"},
            "第 2 行 入党介绍人：应为两名入党介绍人，实际 3 名",
            id="three introducers",
        ),
        pytest.param(
            {"所在党组织": "不存在的党支部"},
            "第 2 行 所在党组织：找不到党组织“不存在的党支部”",
            id="unknown organization",
        ),
        pytest.param(
            {"申请入党日期": None}, "第 2 行 申请入党日期：必填，不能为空", id="no application date"
        ),
    ],
)
def test_a_row_that_breaks_a_rule_is_refused_with_its_row_and_column(zone, values, expected):
    values = dict(values)
    birth = values.pop("birth", BIRTH)
    before = record_changes()
    report = import_rows("development", [HEADER, row(id_number=id_for(birth), **values)])
    assert only_error(report) == expected
    assert not DevelopmentCase.objects.exists()
    assert not Member.objects.exists()
    assert record_changes() == before


@pytest.mark.parametrize(
    ("values", "stage"),
    [
        pytest.param(
            {"birth": D(2002, 3, 1), "申请入党日期": "2020-03-01", **APPLICANT_ROW},
            DevelopmentStage.APPLICANT,
            id="applied on the 18th birthday",
        ),
        pytest.param(
            {"确定积极分子日期": "2020-03-02", "确定发展对象日期": "2021-03-02"},
            DevelopmentStage.FULL,
            id="activist the day after applying, candidate exactly a year later",
        ),
        pytest.param(
            {"确定发展对象日期": "2021-05-31"},
            DevelopmentStage.FULL,
            id="admitted the day after becoming a candidate",
        ),
        pytest.param({"入党介绍人": None}, DevelopmentStage.FULL, id="no introducers given"),
        pytest.param({"入党介绍人": "张一\n李二"}, DevelopmentStage.FULL, id="introducers on two lines"),
    ],
)
def test_a_row_at_the_edge_of_every_rule_is_accepted(zone, values, stage):
    values = dict(values)
    birth = values.pop("birth", BIRTH)
    number = id_for(birth)
    ok(import_rows("development", [HEADER, row(id_number=number, **values)]))
    assert stored_case(number).stage == stage


@pytest.mark.parametrize(
    ("regularized", "extended"),
    [("2022-06-01", False), ("2022-06-02", True), ("2023-06-01", True)],
)
def test_a_full_member_is_regularized_one_year_after_admission_or_up_to_a_year_later_if_extended(
    zone, regularized, extended
):
    number = id_for()
    ok(import_rows("development", [HEADER, row(id_number=number, 转正日期=regularized)]))
    member = stored_case(number).member
    assert (member.category, member.joined_on, member.regularized_on, member.probation_extended) == (
        MemberCategory.FULL,
        D(2021, 6, 1),
        datetime.date.fromisoformat(regularized),
        extended,
    )


# -- the roster ------------------------------------------------------------------------------------
def test_someone_admitted_becomes_a_probationary_member_who_joined_on_the_admission_day(zone):
    number = id_for()
    ok(import_rows("development", [HEADER, row(id_number=number, 转正日期=None)]))
    case = stored_case(number)
    member = Member.objects.get()
    assert case.member == member
    assert (member.name, member.id_number, member.organization) == ("周发展", number, zone.branch_a1)
    assert (member.category, member.joined_on, member.regularized_on) == (
        MemberCategory.PROBATIONARY,
        D(2021, 6, 1),
        None,
    )


def test_someone_not_yet_admitted_is_not_on_the_roster(zone):
    ok(import_rows("development", [HEADER, row(接收预备党员日期=None, 转正日期=None)]))
    assert DevelopmentCase.objects.get().stage == DevelopmentStage.CANDIDATE
    assert not Member.objects.exists()


def test_someone_already_on_the_roster_is_matched_by_id_number_and_never_duplicated(zone):
    number = id_for()
    existing = make_member(
        zone.branch_a1, name="周发展", id_number=number, joined=D(2021, 6, 10), regularized_on=D(2022, 6, 10)
    )
    other = make_member(zone.branch_a1)
    ok(import_rows("development", [HEADER, row(id_number=number)]))
    assert Member.objects.count() == 2
    existing.refresh_from_db()
    assert stored_case(number).member == existing
    assert (existing.joined_on, existing.regularized_on, existing.category) == (
        D(2021, 6, 1),
        D(2022, 6, 1),
        MemberCategory.FULL,
    )
    other_before = other.joined_on
    other.refresh_from_db()
    assert other.joined_on == other_before


def test_a_month_only_joining_day_on_the_roster_becomes_the_admission_day(zone):
    roster = [
        ["姓名", "公民身份号码", "人员类别", "入党日期", "转正日期", "所在党组织"],
        ["周发展", number := id_for(), "预备党员", "2021.06", "", "甲一党支部"],
    ]
    ok(import_rows("members", roster))
    member = Member.objects.get()
    assert member.joined_month_only is True
    ok(import_rows("development", [HEADER, row(id_number=number, 转正日期=None)]))
    member.refresh_from_db()
    assert (Member.objects.count(), member.joined_on, member.joined_month_only) == (1, D(2021, 6, 1), False)


def test_an_id_number_written_with_a_lower_case_x_matches_the_roster(zone):
    number = next(n for n in (make_id_number(BIRTH, seq) for seq in range(1, 400)) if n.endswith("X"))
    make_member(zone.branch_a1, name="周发展", id_number=number, joined=D(2021, 6, 1))
    ok(import_rows("development", [HEADER, row(id_number=f" {number[:-1]}x ")]))
    assert Member.objects.count() == 1
    assert stored_case(number).member == Member.objects.get()


def test_a_changed_admission_day_moves_the_members_joining_day(zone):
    number = id_for()
    ok(import_rows("development", [HEADER, row(id_number=number, 转正日期=None)]))
    report = ok(
        import_rows(
            "development", [HEADER, row(id_number=number, 接收预备党员日期="2021-06-05", 转正日期=None)]
        )
    )
    assert (report.created, report.updated) == (0, 1)
    assert Member.objects.get().joined_on == D(2021, 6, 5)
    assert Member.objects.count() == 1


def test_a_later_file_with_the_regularization_makes_the_probationary_member_full(zone):
    number = id_for()
    ok(import_rows("development", [HEADER, row(id_number=number, 转正日期=None)]))
    ok(import_rows("development", [HEADER, row(id_number=number)]))
    member = Member.objects.get()
    assert (member.category, member.regularized_on) == (MemberCategory.FULL, D(2022, 6, 1))
    assert stored_case(number).stage == DevelopmentStage.FULL


# -- re-import, round trip, all or nothing --------------------------------------------------------
def three_rows():
    return [
        HEADER,
        row(姓名="甲", id_number=id_for()),
        row(姓名="乙", id_number=id_for(), 转正日期=None),
        row(姓名="丙", id_number=id_for(), 接收预备党员日期=None, 转正日期=None, 入党介绍人=None),
    ]


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_reimporting_the_same_file_changes_nothing(zone, fmt):
    rows = three_rows()
    ok(import_rows("development", rows, fmt))
    before = (record_changes(), DevelopmentEvent.objects.count(), Member.objects.count())
    report = ok(import_rows("development", rows, fmt))
    assert (report.created, report.updated, report.unchanged) == (0, 0, 3)
    assert (record_changes(), DevelopmentEvent.objects.count(), Member.objects.count()) == before


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_an_exported_ledger_imports_back_unchanged(zone, fmt):
    ok(import_rows("development", three_rows()))
    case_at(zone.branch_a2, "approved", name="服务录入")  # a case recorded step by step
    assert_round_trip("development", fmt)


def test_the_export_writes_the_ledgers_headers_and_dates(zone):
    number = id_for()
    ok(import_rows("development", [HEADER, row(id_number=number)]))
    exported = export_rows("development")
    assert exported[0] == HEADER
    assert exported[1][:2] == ["周发展", number]
    assert exported[1][2] == "甲一党支部"
    assert exported[1][6] == datetime.datetime(2021, 6, 1)
    assert exported[1][8] == "张一、李二"


def test_a_bad_row_among_good_ones_writes_nothing(zone):
    roster_before = Member.objects.count()
    rows = three_rows()
    rows.insert(2, row(姓名="坏", id_number=id_for(), 确定发展对象日期="2021-03-31"))
    before = record_changes()
    report = import_rows("development", rows)
    assert only_error(report).startswith("第 3 行 确定发展对象日期：")
    assert not DevelopmentCase.objects.exists()
    assert Member.objects.count() == roster_before
    assert not DevelopmentEvent.objects.exists()
    assert record_changes() == before


def test_the_same_person_twice_with_different_dates_is_an_error(zone):
    number = id_for()
    report = import_rows(
        "development", [HEADER, row(id_number=number), row(id_number=number, 申请入党日期="2020-03-02")]
    )
    assert "第 3 行" in only_error(report)
    assert "与第 2 行重复" in only_error(report)
    assert not DevelopmentCase.objects.exists()
