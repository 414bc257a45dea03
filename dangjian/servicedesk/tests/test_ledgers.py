"""企业诉求与服务事项 (requests) ledger — LEDGERS.md: real .xlsx and .csv files, the natural key
(事项编号 when present, otherwise 企业名称 + 事项名称 + 受理日期), every rule, all or nothing,
re-import and round trip."""

import io

import pytest
from openpyxl import load_workbook

from dangjian.core.ledgers import export_ledger, import_ledger
from dangjian.core.testing.ledgers import (
    assert_round_trip,
    error_briefs,
    export_rows,
    import_rows,
    record_changes,
    xlsx_bytes,
)
from dangjian.projects.tests.factories import make_cadre
from dangjian.servicedesk import services
from dangjian.servicedesk.models import Handling, RequestEvent, RequestKind, RequestStatus, ServiceRequest

from .factories import ONE_DAY, D, accept, close, designate, fresh, rate, start, submit, today

pytestmark = pytest.mark.django_db

S = RequestStatus
FORMATS = ["xlsx", "csv-bom", "csv-gb18030"]
HEADER = [
    "事项编号",
    "企业名称",
    "事项类型",
    "事项名称",
    "办理方式",
    "受理日期",
    "办结日期",
    "办理状态",
    "承办人",
    "满意度",
]


def row(**values):
    defaults = {
        "企业名称": "甲企业",
        "事项类型": "审批事项",
        "事项名称": "代办环评批复",
        "受理日期": "2025-03-03",
        "办理状态": "已受理",
    }
    merged = {**defaults, **values}
    return [merged.get(h, "") for h in HEADER]


def load(*rows, fmt="xlsx", **options):
    return import_rows("requests", [HEADER, *rows], fmt, **options)


@pytest.fixture
def cadre(zone):
    return make_cadre("王承办")


# -- creating ----------------------------------------------------------------------------------------
@pytest.mark.parametrize("fmt", FORMATS)
def test_a_requests_file_creates_the_requests_it_states(zone, cadre, fmt):
    report = load(
        row(
            事项编号="SQ2025-0100",
            办理方式="代办",
            办结日期="2025/3/20",
            办理状态="已办结",
            承办人="王承办",
            满意度="5",
        ),
        row(
            企业名称="乙企业",
            事项类型="服务事项",
            事项名称="政策申报辅导",
            受理日期="2025年4月1日",
            办理状态="办理中",
        ),
        fmt=fmt,
    )
    assert report.ok, report.errors
    assert (report.created, report.updated, report.unchanged) == (2, 0, 0)
    done = ServiceRequest.objects.get(number="SQ2025-0100")
    assert (done.enterprise, done.kind, done.title, done.handling, done.handler) == (
        zone.enterprise_a,
        RequestKind.APPROVAL,
        "代办环评批复",
        Handling.PROXY,
        cadre,
    )
    assert (done.submitted_on, done.accepted_on, done.closed_on, done.rating) == (
        D(2025, 3, 3),
        D(2025, 3, 3),
        D(2025, 3, 20),
        5,
    )
    other = ServiceRequest.objects.get(title="政策申报辅导")
    assert (other.enterprise, other.kind, other.status, other.accepted_on) == (
        zone.enterprise_b,
        RequestKind.SERVICE,
        S.IN_PROGRESS,
        D(2025, 4, 1),
    )
    assert other.number == "SQ2025-0101"  # numbered after the year's highest number
    assert other.org_path == zone.branch_b.path


def test_an_imported_request_has_an_import_event_on_its_timeline(zone):
    load(row())
    request = ServiceRequest.objects.get()
    assert list(request.events.values_list("kind", flat=True)) == [RequestEvent.Kind.IMPORTED]


def test_title_rows_and_the_synonym_of_the_number_column_are_understood(zone):
    header = ["编号", *HEADER[1:]]
    data = xlsx_bytes([["2025年企业诉求与服务事项台账"], [], header, row(事项编号="SQ-7")])
    report = import_ledger("requests", data, "台账.xlsx")
    assert report.ok, report.errors
    assert report.header_row == 3
    assert ServiceRequest.objects.get().number == "SQ-7"


def test_a_file_without_a_required_column_is_rejected_before_any_row(zone):
    header = [h for h in HEADER if h != "办理状态"]
    report = import_rows("requests", [header, row()[:7] + row()[8:]])
    assert error_briefs(report) == ["文件：缺少必填列 办理状态"]
    assert not ServiceRequest.objects.exists()


def test_a_dry_run_reports_and_writes_nothing(zone):
    report = load(row(), row(事项名称="代办施工许可"), dry_run=True)
    assert (report.ok, report.created) == (True, 2)
    assert not ServiceRequest.objects.exists()


# -- the natural key ---------------------------------------------------------------------------------
def test_with_a_number_the_number_is_the_key(zone):
    load(row(事项编号="SQ2025-0100", 事项名称="代办环评批复"))
    report = load(row(事项编号="SQ2025-0100", 事项名称="代办环评批复（补充）", 受理日期="2025-03-04"))
    assert (report.created, report.updated) == (0, 1)
    request = ServiceRequest.objects.get()
    assert (request.number, request.title, request.accepted_on) == (
        "SQ2025-0100",
        "代办环评批复（补充）",
        D(2025, 3, 4),
    )


def test_with_a_number_the_same_name_and_day_under_another_number_is_another_request(zone):
    load(row(事项编号="SQ2025-0100"), row(事项编号="SQ2025-0101"))
    assert ServiceRequest.objects.count() == 2


def test_without_a_number_the_key_is_enterprise_name_and_day(zone):
    load(row())
    report = load(row(办理状态="办理中"))
    assert (report.created, report.updated) == (0, 1)
    assert ServiceRequest.objects.get().status == S.IN_PROGRESS
    report = load(row(受理日期="2025-03-04"), row(企业名称="乙企业"))
    assert (report.created, report.updated) == (2, 0)
    assert ServiceRequest.objects.count() == 3


def test_the_same_row_twice_in_a_file_is_one_request(zone):
    report = load(row(), row())
    assert (report.created, report.unchanged) == (1, 1)
    assert ServiceRequest.objects.count() == 1


def test_two_different_rows_with_the_same_number_are_an_error(zone):
    report = load(row(事项编号="SQ-1"), row(事项编号="SQ-1", 事项名称="代办施工许可"))
    assert error_briefs(report) == ["第 3 行 事项编号：与第 2 行重复，但内容不同"]
    assert not ServiceRequest.objects.exists()


# -- the rules -------------------------------------------------------------------------------------------
def test_a_closing_day_before_the_acceptance_day_is_an_error(zone):
    report = load(row(受理日期="2025-03-03", 办结日期="2025-03-02", 办理状态="已办结"))
    assert error_briefs(report) == ["第 2 行 办结日期：办结日期不能早于受理日期"]
    assert not ServiceRequest.objects.exists()


def test_closing_on_the_acceptance_day_is_allowed(zone):
    assert load(row(受理日期="2025-03-03", 办结日期="2025-03-03", 办理状态="已办结")).ok


@pytest.mark.parametrize(
    ("value", "error"), [("0", "不能小于 1"), ("6", "不能大于 5"), ("4.5", "“4.5”应为整数"), ("很好", None)]
)
def test_a_satisfaction_outside_one_to_five_is_an_error(zone, value, error):
    report = load(row(办结日期="2025-03-20", 办理状态="已办结", 满意度=value))
    assert len(report.errors) == 1
    assert report.errors[0].startswith("第 2 行 满意度：")
    if error:
        assert report.errors[0].brief == f"第 2 行 满意度：{error}"
    assert not ServiceRequest.objects.exists()


@pytest.mark.parametrize("value", ["1", "5", "５"])
def test_a_satisfaction_from_one_to_five_is_accepted(zone, value):
    assert load(row(办结日期="2025-03-20", 办理状态="已办结", 满意度=value)).ok
    assert 1 <= ServiceRequest.objects.get().rating <= 5


def test_a_closed_request_with_a_satisfaction_becomes_rated_and_without_stays_closed(zone):
    load(
        row(事项名称="有评价", 办结日期="2025-03-20", 办理状态="已办结", 满意度="4"),
        row(事项名称="未评价", 办结日期="2025-03-20", 办理状态="已办结"),
    )
    rated = ServiceRequest.objects.get(title="有评价")
    assert (rated.status, rated.rating, rated.confirmed_on) == (S.RATED, 4, D(2025, 3, 20))
    assert ServiceRequest.objects.get(title="未评价").status == S.CLOSED


@pytest.mark.parametrize(
    ("column", "value", "error"),
    [
        ("办理状态", "已提交", "“已提交”不是可选值（已受理、办理中、已办结、已退回）"),
        ("事项类型", "投诉", "“投诉”不是可选值（诉求、审批事项、服务事项）"),
        ("办理方式", "自办", "“自办”不是可选值（领办、包办、代办）"),
        ("受理日期", "下周一", None),
        ("受理日期", "", "必填，不能为空"),
        ("事项名称", "", "必填，不能为空"),
    ],
)
def test_a_value_that_is_not_allowed_is_an_error_of_its_column(zone, column, value, error):
    report = load(row(**{column: value}))
    assert len(report.errors) == 1, report.errors
    assert report.errors[0].startswith(f"第 2 行 {column}：")
    if error:
        assert report.errors[0].brief == f"第 2 行 {column}：{error}"
    assert not ServiceRequest.objects.exists()


def test_an_unknown_enterprise_is_an_error(zone):
    report = load(row(企业名称="丙企业"))
    assert error_briefs(report) == ["第 2 行 企业名称：找不到企业“丙企业”（请先导入企业名录）"]


def test_an_unknown_or_ambiguous_cadre_is_an_error(zone, cadre):
    make_cadre("李重名")
    make_cadre("李重名")
    report = load(row(承办人="查无此人"), row(事项名称="代办施工许可", 承办人="李重名"))
    assert error_briefs(report) == [
        "第 2 行 承办人：找不到承办人（干部）“查无此人”（请先导入干部名册）",
        "第 3 行 承办人：名为“李重名”的承办人（干部）有多个，无法确定是哪一个",
    ]


def test_a_bad_row_among_good_ones_imports_nothing_and_reports_only_the_bad_row(zone, cadre):
    before = record_changes()
    report = load(
        row(事项名称="第一项"),
        row(事项名称="第二项", 满意度="9", 办理状态="已办结", 办结日期="2025-03-10"),
        row(事项名称="第三项", 承办人="王承办"),
    )
    assert error_briefs(report) == ["第 3 行 满意度：不能大于 5"]
    assert not ServiceRequest.objects.exists()
    assert record_changes() == before


# -- re-import and round trip --------------------------------------------------------------------------
def rows_of_a_year():
    return [
        row(事项编号="SQ2025-0100", 办理方式="代办", 承办人="王承办"),
        row(事项名称="代办施工许可", 办理状态="办理中", 承办人="王承办"),
        row(
            事项名称="政策申报辅导", 事项类型="服务事项", 办结日期="2025-03-20", 办理状态="已办结", 满意度="5"
        ),
        row(事项名称="协调用电增容", 事项类型="诉求", 办结日期="2025-03-21", 办理状态="已办结"),
        row(企业名称="乙企业", 事项名称="代办排污许可", 办理状态="已退回"),
    ]


@pytest.mark.parametrize("fmt", FORMATS)
def test_reimporting_the_same_file_changes_nothing(zone, cadre, fmt):
    assert load(*rows_of_a_year(), fmt=fmt).ok
    before = record_changes()
    events = RequestEvent.objects.count()
    report = load(*rows_of_a_year(), fmt=fmt)
    assert (report.created, report.updated, report.unchanged) == (0, 0, 5)
    assert record_changes() == before
    assert RequestEvent.objects.count() == events


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_an_imported_ledger_exports_and_imports_back_unchanged(zone, cadre, fmt):
    assert load(*rows_of_a_year()).ok
    assert_round_trip("requests", fmt)


def test_the_export_writes_the_ledgers_words(zone, cadre):
    load(*rows_of_a_year())
    rows = export_rows("requests")
    assert rows[0] == HEADER
    by_title = {r[3]: r for r in rows[1:]}
    assert by_title["代办环评批复"][:10] == [
        "SQ2025-0100",
        "甲企业",
        "审批事项",
        "代办环评批复",
        "代办",
        by_title["代办环评批复"][5],
        None,
        "已受理",
        "王承办",
        None,
    ]
    assert by_title["政策申报辅导"][7:] == ["已办结", None, 5]  # 已评价 is written as 已办结 with its 满意度
    assert by_title["代办排污许可"][7] == "已退回"


@pytest.fixture
def handled_in_dangjian(zone):
    """Requests in every state, made through the service desk rather than a ledger."""
    designate(zone.enterprise_a, make_cadre("王联系"))
    base = today() - ONE_DAY * 60
    submit(zone.enterprise_a, on=base, title="待受理")
    accepted = submit(zone.enterprise_a, on=base, title="已受理")
    accept(accepted, on=base + ONE_DAY * 2)
    working = submit(zone.enterprise_a, on=base, title="办理中")
    accept(working, on=base + ONE_DAY)
    start(working, on=base + ONE_DAY * 2)
    suspended = submit(zone.enterprise_a, on=base, title="挂起")
    accept(suspended, on=base)
    services.request_suspend(actor=None, request=fresh(suspended), on=base + ONE_DAY, reason="等待")
    rated = submit(zone.enterprise_a, on=base, title="已评价", kind=RequestKind.SERVICE)
    accept(rated, on=base + ONE_DAY)
    close(rated, on=base + ONE_DAY * 5)
    rate(rated, 4)
    confirmed = submit(zone.enterprise_a, on=base, title="自动确认", kind=RequestKind.APPROVAL)
    accept(confirmed, on=base + ONE_DAY)
    close(confirmed, on=base + ONE_DAY * 5)
    services.requests_auto_confirm(actor=None, today=today())
    returned = submit(zone.enterprise_a, on=base, title="已退回")
    services.request_return(actor=None, request=fresh(returned), on=base + ONE_DAY, reason="补材料")
    return {r.title: r for r in ServiceRequest.objects.all()}


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_requests_handled_in_dangjian_export_and_import_back_unchanged(handled_in_dangjian, fmt):
    states = {
        title: (fresh(r).status, fresh(r).submitted_on, fresh(r).accepted_on)
        for title, r in handled_in_dangjian.items()
    }
    assert_round_trip("requests", fmt)
    after = {
        title: (fresh(r).status, fresh(r).submitted_on, fresh(r).accepted_on)
        for title, r in handled_in_dangjian.items()
    }
    assert after == states


def test_an_exported_cell_that_looks_like_a_formula_is_written_as_text(zone):
    load(row(事项名称='=HYPERLINK("http://x")'))
    data = export_ledger("requests", fmt="xlsx")

    cell = load_workbook(io.BytesIO(data)).worksheets[0]["D2"]
    assert (cell.value, cell.data_type) == ('=HYPERLINK("http://x")', "s")


def test_a_row_changed_in_excel_keeps_the_finer_state_dangjian_knows(handled_in_dangjian):
    rows = export_rows("requests")
    for line in rows[1:]:
        line[3] = f"{line[3]}（改）"
        line[5] = line[5].date() if hasattr(line[5], "date") else line[5]
    report = import_rows("requests", rows)
    assert (report.ok, report.updated) == (True, 7), report.errors
    waiting = fresh(handled_in_dangjian["待受理"])
    assert (waiting.title, waiting.status, waiting.accepted_on) == ("待受理（改）", S.SUBMITTED, None)
    assert waiting.submitted_on == handled_in_dangjian["待受理"].submitted_on
    assert fresh(handled_in_dangjian["挂起"]).status == S.SUSPENDED
    assert fresh(handled_in_dangjian["已退回"]).status == S.RETURNED
    confirmed = fresh(handled_in_dangjian["自动确认"])
    assert (confirmed.status, confirmed.auto_confirmed, confirmed.rating) == (S.RATED, True, None)
    accepted = fresh(handled_in_dangjian["已受理"])
    assert accepted.submitted_on == handled_in_dangjian["已受理"].submitted_on < accepted.accepted_on


def test_a_ledger_row_closes_and_rates_a_request_made_in_dangjian(handled_in_dangjian):
    working = fresh(handled_in_dangjian["办理中"])
    closed_on = working.accepted_on + ONE_DAY * 3
    report = load(
        row(
            事项编号=working.number,
            事项类型="诉求",
            事项名称="办理中",
            受理日期=working.accepted_on,
            办结日期=closed_on,
            办理状态="已办结",
            承办人="王联系",
            满意度="3",
        )
    )
    assert (report.ok, report.updated) == (True, 1), report.errors
    request = fresh(working)
    assert (request.status, request.closed_on, request.rating, request.confirmed_on) == (
        S.RATED,
        closed_on,
        3,
        closed_on,
    )
    assert request.submitted_on == working.submitted_on
