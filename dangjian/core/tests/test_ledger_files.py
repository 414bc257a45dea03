"""Reading ledger files, finding the header, and the rules every ledger follows (LEDGERS.md,
"Rules for every ledger"): all or nothing, row errors, dry run, re-import, export, commands."""

import datetime
import io
import re
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command

from dangjian.audit.models import AuditEntry
from dangjian.core.ledgers import export_ledger, get_ledger, import_ledger, ledgers
from dangjian.core.ledgers.cells import parse_date
from dangjian.core.ledgers.engine import IMPORT_ORDER
from dangjian.core.ledgers.reader import FileError, find_header, normalize_header, read_table
from dangjian.core.testing.codes import make_credit_code, make_id_number
from dangjian.core.testing.ledgers import (
    Formatted,
    audit_count,
    csv_bytes,
    error_briefs,
    import_rows,
    ledger_file,
    read_export,
    record_changes,
    xlsx_bytes,
)
from dangjian.enterprises.models import Enterprise, EnterpriseYear
from dangjian.members.models import Member
from dangjian.organizations.models import OrgKind, PartyOrganization, Post
from dangjian.testing.factories import make_org

ROOT = "测试高新区党工委"
ERROR = re.compile(r"^第 (\d+) 行 (\S+)：(.+)$")

ALL_FORMATS = ["xlsx", "csv-utf8", "csv-bom", "csv-gb18030"]


def org_rows():
    return [
        ["2023年党组织台账"],
        [],
        ["组织名称", "组织类别", "上级组织", "成立日期"],
        [ROOT, "党工委", "", "2010-05-01"],
        ["甲企业党委", "党委", ROOT, "2015-07-01"],
        ["甲一党支部", "党支部", "甲企业党委", "2016-03-01"],
    ]


def enterprise_rows(*extra):
    return [
        ["企业名称", "统一社会信用代码", "所属产业"],
        ["商洛甲科技有限公司", make_credit_code(101), "新材料"],
        ["商洛乙生物有限公司", make_credit_code(102), "生物医药"],
        *extra,
    ]


# -- reading files ----------------------------------------------------------------------------
def test_xlsx_rows_keep_their_spreadsheet_row_numbers_across_empty_rows():
    data = xlsx_bytes([["标题"], [], [], ["组织名称", "组织类别"], [], ["甲", "党委"]])
    rows = dict(read_table(data, "a.xlsx").rows)
    assert rows[4] == ["组织名称", "组织类别"]
    assert rows[6] == ["甲", "党委"]


def test_only_the_first_sheet_of_an_xlsx_is_read():
    data = xlsx_bytes([["组织名称", "组织类别"]], extra_sheets=[[["另一个表"], ["乙", "党委"]]])
    rows = [cells for _, cells in read_table(data, "a.xlsx").rows]
    assert rows == [["组织名称", "组织类别"]]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030"])
def test_csv_is_read_in_utf8_with_or_without_bom_and_in_gb18030(encoding):
    data = csv_bytes([["组织名称", "组织类别"], ["甲一党支部", "党支部"]], encoding=encoding)
    rows = [cells for _, cells in read_table(data, "台账.csv").rows]
    assert rows == [["组织名称", "组织类别"], ["甲一党支部", "党支部"]]


def test_gb18030_csv_is_not_utf8_so_the_fallback_is_really_used():
    data = csv_bytes([["组织名称"]], encoding="gb18030")
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")


def test_tab_separated_text_is_read_as_columns():
    data = csv_bytes([["组织名称", "组织类别"], ["甲一党支部", "党支部"]], delimiter="\t")
    rows = [cells for _, cells in read_table(data, "台账.csv").rows]
    assert rows[1] == ["甲一党支部", "党支部"]


def test_an_xlsx_with_another_name_is_still_read_as_xlsx():
    data = xlsx_bytes([["组织名称", "组织类别"]])
    assert next(read_table(data, "台账").rows)[1] == ["组织名称", "组织类别"]


@pytest.mark.parametrize(
    ("filename", "message"), [("台账.xls", "另存为 .xlsx"), ("台账.docx", "只支持 .xlsx 或 .csv")]
)
def test_an_unsupported_file_is_refused_with_a_reason(filename, message):
    with pytest.raises(FileError, match=message):
        read_table(b"\xd0\xcf\x11\xe0 not a zip", filename)


def test_a_broken_xlsx_is_refused():
    with pytest.raises(FileError, match="无法读取 Excel 文件"):
        read_table(b"PK\x03\x04 broken", "台账.xlsx")


def test_a_csv_in_an_unknown_encoding_is_refused():
    with pytest.raises(FileError, match="编码"):
        read_table(b"\xff\xfe\xff\xfe", "台账.csv")


@pytest.mark.parametrize(
    "number_format", ['yyyy"年"m"月"', "mmm-yy", "yyyy.mm", "yyyy/m;@", "[$-804]yyyy年m月"]
)
def test_an_excel_date_cell_shown_only_to_the_month_is_read_as_a_month_only_date(number_format):
    data = xlsx_bytes([["入驻日期"], [Formatted(datetime.datetime(2019, 7, 1), number_format)]])
    assert list(read_table(data, "a.xlsx").rows)[1][1] == ["2019.07"]


@pytest.mark.parametrize(
    "number_format", ['yyyy"年"m"月"d"日"', "yyyy-mm-dd", "m/d/yy", "yyyy/m/d h:mm", 'm"月"d"日"', "General"]
)
def test_an_excel_date_cell_shown_with_its_day_is_read_as_that_date(number_format):
    data = xlsx_bytes([["入驻日期"], [Formatted(datetime.datetime(2019, 7, 5), number_format)]])
    [value] = list(read_table(data, "a.xlsx").rows)[1][1]
    assert parse_date(value) == datetime.date(2019, 7, 5)  # "General" leaves the serial number 43651


@pytest.mark.django_db
def test_an_excel_month_cell_is_accepted_where_the_column_says_month_ok():
    rows = [
        ["企业名称", "统一社会信用代码", "所属产业", "入驻日期"],
        [
            "商洛甲科技有限公司",
            make_credit_code(101),
            "新材料",
            Formatted(datetime.datetime(2019, 7, 1), 'yyyy"年"m"月"'),
        ],
    ]
    report = import_rows("enterprises", rows)
    assert report.ok, report.errors
    enterprise = Enterprise.objects.get()
    assert (enterprise.settled_on, enterprise.settled_month_only) == (datetime.date(2019, 7, 1), True)


@pytest.mark.django_db
def test_an_excel_month_cell_is_rejected_where_the_column_needs_a_day():
    rows = [
        ["组织名称", "组织类别", "撤销日期"],
        [ROOT, "党工委", Formatted(datetime.datetime(2019, 7, 1), "mmm-yy")],
    ]
    report = import_rows("organizations", rows)
    assert error_briefs(report) == ["第 2 行 撤销日期：“2019.07”只到月份，此列需要填写具体日期"]


@pytest.mark.django_db
def test_an_excel_month_cell_is_the_first_of_the_month_where_the_column_takes_months():
    rows = [
        ["组织名称", "组织类别", "成立日期"],
        [ROOT, "党工委", Formatted(datetime.datetime(2019, 7, 1), "mmm-yy")],
    ]
    report = import_rows("organizations", rows)
    assert report.ok, report.errors
    assert PartyOrganization.objects.get().founded_on == datetime.date(2019, 7, 1)


@pytest.mark.django_db
def test_an_unreadable_file_is_a_file_error_in_the_report_not_an_exception():
    report = import_ledger("organizations", b"PK\x03\x04 broken", "台账.xlsx")
    assert not report.ok
    assert error_briefs(report) == ["文件：无法读取 Excel 文件：文件已损坏，或不是 .xlsx 格式"]


# -- header -----------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "written",
    [
        "组织名称",
        " 组织名称 ",
        "\u3000组织名称\u3000",
        "组织 名称",
        "组织名称*",
        "组织名称＊",
        "组织名称 *",
        "组织名称（必填）",
        "组织名称(必填)",
    ],
)
def test_header_cells_are_matched_after_trimming_spaces_and_required_marks(written):
    assert normalize_header(written) == "组织名称"


def test_half_width_parentheses_in_a_header_match_the_full_width_header():
    assert normalize_header("营业收入(万元)") == "营业收入（万元）"
    assert normalize_header("营业收入（万元）*") == "营业收入（万元）"


def test_the_header_row_is_the_first_row_matching_known_headers_under_title_rows():
    table = read_table(
        xlsx_bytes(
            [["2023年党员花名册"], ["填报单位：甲企业党委", None, "填报日期：2023-12-31"], [], org_rows()[2]]
        ),
        "a.xlsx",
    )
    match = find_header(table, get_ledger("organizations").header_lookup())
    assert match.row_number == 4
    assert match.columns == {"name": 0, "kind": 1, "parent": 2, "founded_on": 3}


def test_a_title_row_that_names_one_known_header_is_not_taken_for_the_header():
    table = read_table(xlsx_bytes([["组织名称"], ["组织名称", "组织类别"]]), "a.xlsx")
    match = find_header(table, get_ledger("organizations").header_lookup())
    assert match.row_number == 2


@pytest.mark.django_db
@pytest.mark.parametrize("fmt", ALL_FORMATS)
def test_a_file_with_title_rows_empty_rows_and_messy_headers_imports(fmt):
    rows = [
        ["2023年党组织台账"],
        [],
        ["  组织名称* ", "\u3000组织类别（必填）", "上级党组织", "建立日期(必填)"],
        [ROOT, "党工委", "", "2010年5月1日"],
        [],
        ["甲企业党委", " 党委 ", ROOT, "2015/7/1"],
        ["", "", "", ""],
        ["甲一党支部", "党支部", "甲企业党委", "20160301"],
    ]
    report = import_rows("organizations", rows, fmt)
    assert report.ok, report.errors
    assert report.header_row == 3
    assert report.created == 3
    branch = PartyOrganization.objects.get(name="甲一党支部")
    assert branch.parent.name == "甲企业党委"
    assert branch.founded_on == datetime.date(2016, 3, 1)
    assert PartyOrganization.objects.get(name=ROOT).founded_on == datetime.date(2010, 5, 1)


@pytest.mark.django_db
def test_header_synonyms_are_read_as_their_column():
    rows = [["党组织全称", "组织类型", "上级党组织", "建立日期", "党组织书记", "换届日期", "简称"]]
    rows.append([ROOT, "党工委", "", "2010-05-01", "王书记", "2021-06-01", "党工委"])
    report = import_rows("organizations", rows)
    assert report.ok, report.errors
    root = PartyOrganization.objects.get()
    assert (root.secretary_name, root.term_started_on, root.short_name) == (
        "王书记",
        datetime.date(2021, 6, 1),
        "党工委",
    )


@pytest.mark.django_db
def test_unknown_columns_are_ignored_and_listed_in_the_report():
    rows = [["序号", "组织名称", "备注", "组织类别", ""], [1, ROOT, "随便写点什么", "党工委", None]]
    report = import_rows("organizations", rows)
    assert report.ok, report.errors
    assert report.unknown_columns == ["序号", "备注"]
    assert PartyOrganization.objects.get().note == ""


@pytest.mark.django_db
def test_a_repeated_column_is_ignored_and_listed_and_the_first_one_is_read():
    rows = [["组织名称", "组织类别", "党组织名称"], [ROOT, "党工委", "别的名字"]]
    report = import_rows("organizations", rows)
    assert report.ok, report.errors
    assert report.unknown_columns == ["党组织名称（重复列，已忽略）"]
    assert PartyOrganization.objects.get().name == ROOT


@pytest.mark.django_db
def test_a_missing_required_column_rejects_the_file_before_any_row_is_read():
    rows = [["组织名称", "上级组织", "成立日期"], [ROOT, "", "不是日期"], ["乙", "不存在的组织", "2019.07"]]
    before = audit_count()
    report = import_rows("organizations", rows)
    assert not report.ok
    assert error_briefs(report) == ["文件：缺少必填列 组织类别"]
    assert PartyOrganization.objects.count() == 0
    assert audit_count() == before


@pytest.mark.django_db
def test_every_missing_required_column_is_named():
    report = import_rows("members", [["姓名", "民族", "性别"], ["张三", "汉族", "男"]])
    assert error_briefs(report) == ["文件：缺少必填列 公民身份号码、人员类别、入党日期、所在党组织"]


@pytest.mark.django_db
def test_a_file_without_a_header_row_is_rejected_naming_the_required_columns():
    report = import_rows("organizations", [["2023年党组织台账"], ["甲", "党委"]])
    assert error_briefs(report) == ["文件：未找到表头行（应包含 组织名称、组织类别 等列）"]
    assert report.header_row is None


# -- all or nothing and row errors ------------------------------------------------------------
@pytest.mark.django_db
@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_one_bad_row_among_good_ones_writes_nothing_and_names_the_spreadsheet_row(fmt):
    rows = org_rows()
    rows.insert(4, [])  # an empty row between the root and the committee
    rows.append(["甲二党支部", "党支部", "甲企业党委", "2016-13-01"])  # row 8
    rows.append(["甲三党支部", "党支部", "甲企业党委", "2017-01-01"])
    before = record_changes()
    report = import_rows("organizations", rows, fmt)
    assert not report.ok
    assert error_briefs(report) == ["第 8 行 成立日期：日期不存在（2016年13月1日）"]
    assert PartyOrganization.objects.count() == 0
    assert record_changes() == before


@pytest.mark.django_db
def test_every_error_of_every_row_is_returned_in_the_ledger_format():
    rows = [
        ["党组织名称", "组织类别", "上级组织", "撤销日期", "标准化规范化达标"],
        [ROOT, "党工委", "", "", "是"],
        ["甲企业党委", "委员会", ROOT, "2015.07", "也许"],  # row 3: three cell errors
        ["", "党支部", ROOT, "", ""],  # row 4: required cell empty
        ["乙企业党支部", "党支部", "不存在的党委", "", ""],  # row 5: reference to nothing
    ]
    report = import_rows("organizations", rows)
    assert not report.ok
    assert error_briefs(report) == [
        "第 3 行 组织类别：“委员会”不是可选值（党工委、党委、党总支、党支部、联合党支部、临时党支部、党小组）",
        "第 3 行 标准化规范化达标：“也许”应为 是/否",
        "第 3 行 撤销日期：“2015.07”只到月份，此列需要填写具体日期",
        "第 4 行 党组织名称：必填，不能为空",
        "第 5 行 上级组织：找不到上级组织“不存在的党委”（须在本文件前面的行或系统中已有）",
    ]
    for error in report.errors:
        assert ERROR.match(error)
    assert PartyOrganization.objects.count() == 0


@pytest.mark.django_db
def test_a_rejected_import_is_logged_once_and_changes_no_record():
    rows = [*org_rows(), ["乙", "党支部", "没有", ""]]
    before_changes = record_changes()
    before_imports = audit_count(AuditEntry.Action.IMPORT)
    report = import_rows("organizations", rows)
    assert not report.ok
    assert record_changes() == before_changes
    assert audit_count(AuditEntry.Action.IMPORT) == before_imports + 1
    entry = AuditEntry.objects.filter(action=AuditEntry.Action.IMPORT).first()
    assert "导入被拒绝" in entry.message
    assert "1 个错误" in entry.message


@pytest.mark.django_db
def test_a_row_repeated_identically_in_the_file_counts_once_and_then_as_unchanged():
    rows = [*enterprise_rows(), ["商洛甲科技有限公司", make_credit_code(101), "新材料"]]
    report = import_rows("enterprises", rows)
    assert report.ok, report.errors
    assert (report.created, report.unchanged) == (2, 1)
    assert Enterprise.objects.count() == 2


@pytest.mark.django_db
def test_a_key_repeated_in_the_file_with_different_content_is_a_row_error():
    rows = [*enterprise_rows(), ["别的名字", make_credit_code(101), "新材料"]]
    report = import_rows("enterprises", rows)
    assert error_briefs(report) == ["第 4 行 统一社会信用代码：与第 2 行重复，但内容不同"]
    assert Enterprise.objects.count() == 0


@pytest.mark.django_db
def test_the_report_summary_says_nothing_was_imported_when_rejected():
    report = import_rows("enterprises", [*enterprise_rows(), ["丙", "123", "新材料"]])
    assert report.summary() == "企业名录：发现 1 个错误，未导入任何数据"
    assert report.as_dict()["ok"] is False


# -- dry run and re-import --------------------------------------------------------------------
@pytest.mark.django_db
def test_dry_run_reports_created_updated_and_unchanged_and_writes_nothing():
    import_rows("enterprises", enterprise_rows())
    rows = [
        ["企业名称", "统一社会信用代码", "所属产业"],
        ["商洛甲科技有限公司", make_credit_code(101), "新材料"],  # unchanged
        ["商洛乙生物有限公司（更名）", make_credit_code(102), "生物医药"],  # updated
        ["商洛丙能源有限公司", make_credit_code(103), "新能源"],  # created
    ]
    before = audit_count()
    report = import_rows("enterprises", rows, dry_run=True)
    assert report.ok, report.errors
    assert (report.created, report.updated, report.unchanged) == (1, 1, 1)
    assert report.summary() == "企业名录：将新增 1 条，将更新 1 条，未变化 1 条（试导入，未写入）"
    assert sorted(Enterprise.objects.values_list("name", flat=True)) == [
        "商洛乙生物有限公司",
        "商洛甲科技有限公司",
    ]
    assert audit_count() == before


@pytest.mark.django_db
def test_dry_run_of_a_bad_file_returns_the_errors_and_writes_nothing():
    before = audit_count()
    report = import_rows("organizations", [*org_rows(), ["乙", "党支部", "没有", ""]], dry_run=True)
    assert error_briefs(report) == [
        "第 7 行 上级组织：找不到上级组织“没有”（须在本文件前面的行或系统中已有）"
    ]
    assert PartyOrganization.objects.count() == 0
    assert audit_count() == before


@pytest.mark.django_db
def test_dry_run_follows_references_to_earlier_rows_of_the_same_file():
    report = import_rows("organizations", org_rows(), dry_run=True)
    assert report.ok, report.errors
    assert report.created == 3
    assert PartyOrganization.objects.count() == 0


@pytest.mark.django_db
@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_reimporting_the_same_file_changes_nothing(fmt):
    data, filename = ledger_file(org_rows(), fmt)
    first = import_ledger("organizations", data, filename)
    assert first.created == 3
    stamps = dict(PartyOrganization.objects.values_list("pk", "updated_at"))
    before_changes, before_all = record_changes(), audit_count()
    again = import_ledger("organizations", data, filename)
    assert again.ok, again.errors
    assert (again.created, again.updated, again.unchanged) == (0, 0, 3)
    assert record_changes() == before_changes
    # the only new entry is the log line of the import itself
    assert audit_count() == before_all + 1
    assert AuditEntry.objects.first().action == AuditEntry.Action.IMPORT
    assert dict(PartyOrganization.objects.values_list("pk", "updated_at")) == stamps


@pytest.mark.django_db
def test_a_successful_import_logs_its_summary():
    import_rows("enterprises", enterprise_rows())
    entry = AuditEntry.objects.filter(action=AuditEntry.Action.IMPORT).get()
    assert entry.message == "台账.xlsx：企业名录：已新增 2 条，已更新 0 条，未变化 0 条"
    assert entry.source == AuditEntry.Source.IMPORT


@pytest.mark.django_db
def test_an_import_records_one_create_entry_per_new_record_attributed_to_the_import():
    import_rows("enterprises", enterprise_rows())
    creates = AuditEntry.objects.filter(action=AuditEntry.Action.CREATE, object_repr__startswith="商洛")
    assert creates.count() == 2
    assert {e.source for e in creates} == {AuditEntry.Source.IMPORT}
    assert {e.actor_label for e in creates} == {"导入企业名录"}


# -- export and formula injection -------------------------------------------------------------
DANGEROUS = ['=HYPERLINK("http://x","点我")', "+86党建", "-1+2", "@SUM(A1)", "\t=1+1", "\r=1+1"]


def _dangerous_orgs():
    root = make_org(ROOT, OrgKind.WORKING_COMMITTEE, brand=DANGEROUS[0], short_name=DANGEROUS[1])
    make_org("甲企业党委", OrgKind.COMMITTEE, root, secretary_name=DANGEROUS[2], unit_name=DANGEROUS[3])
    make_org(DANGEROUS[4], OrgKind.COMMITTEE, root, brand=DANGEROUS[5])


@pytest.mark.django_db
def test_export_writes_cells_that_begin_like_a_formula_as_text_in_xlsx():
    _dangerous_orgs()
    data = export_ledger("organizations", fmt="xlsx")
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(data)).worksheets[0]
    found = {}
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            if isinstance(cell.value, str) and cell.value.startswith(("=", "+", "-", "@", "\t", "\r")):
                found[cell.value] = cell.data_type
    assert set(found) == set(DANGEROUS)
    assert set(found.values()) == {"s"}


@pytest.mark.django_db
def test_export_writes_cells_that_begin_like_a_formula_behind_an_apostrophe_in_csv():
    _dangerous_orgs()
    rows = read_export(export_ledger("organizations", fmt="csv"), "csv")
    cells = [cell for row in rows[1:] for cell in row]
    for value in DANGEROUS:
        assert "'" + value in cells
    assert not [c for c in cells if c.startswith(("=", "+", "-", "@", "\t", "\r"))]


@pytest.mark.django_db
@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_cells_neutralised_on_export_import_back_as_the_original_text(fmt):
    _dangerous_orgs()
    # the name with a leading tab cannot come from a ledger (cells are trimmed); keep it out
    PartyOrganization.objects.filter(name=DANGEROUS[4]).delete()
    data = export_ledger("organizations", fmt=fmt)
    PartyOrganization.objects.filter(depth=2).delete()
    PartyOrganization.objects.filter(depth=1).update(brand="", short_name="")
    report = import_ledger("organizations", data, f"导出.{fmt}")
    assert report.ok, report.errors
    root = PartyOrganization.objects.get(depth=1)
    committee = PartyOrganization.objects.get(name="甲企业党委")
    assert (root.brand, root.short_name) == (DANGEROUS[0], DANGEROUS[1])
    assert (committee.secretary_name, committee.unit_name) == (DANGEROUS[2], DANGEROUS[3])


@pytest.mark.django_db
def test_export_writes_the_same_headers_the_import_reads():
    for ledger in ledgers():
        if ledger.name not in ("organizations", "posts", "members", "enterprises", "enterprise_years"):
            continue
        rows = read_export(export_ledger(ledger.name, fmt="xlsx", reveal_confirmed=True), "xlsx")
        assert rows[0] == [c.header for c in ledger.columns]
        csv_data = export_ledger(ledger.name, fmt="csv", reveal_confirmed=True)
        match = find_header(read_table(csv_data, "a.csv"), ledger.header_lookup())
        assert match.row_number == 1
        assert match.unknown == []
        assert set(match.columns) == {c.key for c in ledger.columns}


@pytest.mark.django_db
def test_export_is_logged():
    make_org(ROOT, OrgKind.WORKING_COMMITTEE)
    export_ledger("organizations", fmt="csv")
    entry = AuditEntry.objects.filter(action=AuditEntry.Action.EXPORT).get()
    assert entry.message == "导出党组织 1 条（csv）"


# -- a complete zone on an empty database -----------------------------------------------------
def test_ledgers_import_in_the_order_of_the_contract():
    names = [lg.name for lg in ledgers()]
    expected = ["organizations", "posts", "enterprises", "enterprise_years", "members"]
    assert [n for n in names if n in expected] == expected
    assert IMPORT_ORDER[:5] == expected


@pytest.mark.django_db
def test_a_zone_imports_in_order_on_an_empty_database_with_nothing_else_set_up():
    credit_a, credit_b = make_credit_code(201), make_credit_code(202)
    files = {
        "organizations": [
            ["2024年高新区党组织台账"],
            ["组织名称*", "组织类别*", "上级组织", "所在单位", "单位性质"],
            [ROOT, "党工委", "", "", "机关"],
            ["商洛甲科技有限公司党委", "党委", ROOT, "商洛甲科技有限公司", "非公企业"],
            ["甲科技第一党支部", "党支部", "商洛甲科技有限公司党委", "商洛甲科技有限公司", "非公企业"],
            ["第一党小组", "党小组", "甲科技第一党支部", "", ""],
            ["商洛乙生物有限公司党支部", "党支部", ROOT, "商洛乙生物有限公司", "非公企业"],
        ],
        "posts": [
            ["名称", "类型", "所属党组织", "设立日期"],
            ["甲科技党员活动室", "党员活动室", "商洛甲科技有限公司党委", "2019.07"],
            ["生产车间党员示范岗", "党员示范岗", "甲科技第一党支部", "2020-03-01"],
        ],
        "enterprises": [
            ["企业名称", "统一社会信用代码", "所属产业", "入驻日期", "高新技术企业", "从业人数"],
            ["商洛甲科技有限公司", credit_a, "新材料", "2015年3月", "是", "1,200"],
            ["商洛乙生物有限公司", credit_b, "生物医药", "2018-06-01", "否", "86"],
        ],
        "enterprise_years": [
            ["统一社会信用代码", "年度", "营业收入（万元）", "利税（万元）", "新增就业（人）"],
            [credit_a, "2023", "56,100.25", "1,234.5", "35"],
            [credit_b, "2023年", "３２００", "-12.5", "0"],
        ],
        "members": [
            ["姓名", "公民身份号码", "人员类别", "入党日期", "转正日期", "所在党组织", "所在党小组"],
            [
                "张三",
                make_id_number(datetime.date(1985, 4, 2), 1),
                "正式党员",
                "2010-07-01",
                "2011-07-01",
                "甲科技第一党支部",
                "第一党小组",
            ],
            [
                "李四",
                make_id_number(datetime.date(1995, 9, 9), 2, "女"),
                "预备党员",
                "2024-06-30",
                "",
                "商洛乙生物有限公司党支部",
                "",
            ],
        ],
    }
    for name in IMPORT_ORDER[:5]:
        report = import_rows(name, files[name], "xlsx")
        assert report.ok, (name, report.errors)
        assert report.created == len(files[name]) - (2 if name == "organizations" else 1)
    enterprise = Enterprise.objects.get(credit_code=credit_a)
    committee = PartyOrganization.objects.get(name="商洛甲科技有限公司党委")
    # organizations imported before the enterprises are linked to them when those arrive
    assert committee.unit_enterprise == enterprise
    assert enterprise.org_path == committee.path
    assert EnterpriseYear.objects.get(enterprise=enterprise).revenue == Decimal("56100.25")
    assert Post.objects.count() == 2
    zhang = Member.objects.get(name="张三")
    assert zhang.party_group.name == "第一党小组"
    assert zhang.org_path == PartyOrganization.objects.get(name="甲科技第一党支部").path


# -- commands ---------------------------------------------------------------------------------
@pytest.mark.django_db
def test_import_ledger_command_imports_a_file_and_prints_the_summary(tmp_path):
    path = tmp_path / "党组织.xlsx"
    path.write_bytes(xlsx_bytes([*org_rows()[:3], [*org_rows()[3], "多余"]]))
    out = io.StringIO()
    call_command("import_ledger", "organizations", str(path), stdout=out)
    assert "党组织：已新增 1 条，已更新 0 条，未变化 0 条" in out.getvalue()
    assert PartyOrganization.objects.count() == 1
    entry = AuditEntry.objects.filter(action=AuditEntry.Action.IMPORT).get()
    assert entry.source == AuditEntry.Source.COMMAND


@pytest.mark.django_db
def test_import_ledger_command_lists_unknown_columns(tmp_path):
    path = tmp_path / "党组织.csv"
    path.write_bytes(csv_bytes([["序号", "组织名称", "组织类别"], ["1", ROOT, "党工委"]]))
    out = io.StringIO()
    call_command("import_ledger", "organizations", str(path), stdout=out)
    assert "未识别的列（已忽略）：序号" in out.getvalue()


@pytest.mark.django_db
def test_import_ledger_command_dry_run_writes_nothing(tmp_path):
    path = tmp_path / "党组织.xlsx"
    path.write_bytes(xlsx_bytes(org_rows()))
    out = io.StringIO()
    call_command("import_ledger", "organizations", str(path), "--dry-run", stdout=out)
    assert "将新增 3 条" in out.getvalue()
    assert "试导入，未写入" in out.getvalue()
    assert PartyOrganization.objects.count() == 0


@pytest.mark.django_db
def test_import_ledger_command_fails_with_every_row_error_printed_when_the_file_is_rejected(tmp_path):
    rows = [*org_rows(), ["乙", "党支部", "没有", ""], ["丙", "支部", ROOT, "2020-02-30"]]
    path = tmp_path / "党组织.xlsx"
    path.write_bytes(xlsx_bytes(rows))
    err = io.StringIO()
    with pytest.raises(CommandError, match="发现 3 个错误，未导入任何数据"):
        call_command("import_ledger", "organizations", str(path), stdout=io.StringIO(), stderr=err)
    printed = err.getvalue()
    assert "第 7 行 上级组织：找不到上级组织“没有”" in printed
    assert "第 8 行 组织类别：“支部”不是可选值" in printed
    assert "第 8 行 成立日期：日期不存在（2020年2月30日）" in printed
    assert PartyOrganization.objects.count() == 0


@pytest.mark.django_db
def test_import_ledger_command_fails_on_a_missing_required_column(tmp_path):
    path = tmp_path / "党组织.csv"
    path.write_bytes(csv_bytes([["组织名称", "上级组织", "备注"], [ROOT, "", ""]]))
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_ledger", "organizations", str(path), stdout=io.StringIO(), stderr=err)
    assert "文件：缺少必填列 组织类别" in err.getvalue()


@pytest.mark.django_db
def test_import_ledger_command_refuses_an_unknown_ledger_or_a_missing_file(tmp_path):
    with pytest.raises(CommandError, match="没有名为 nosuch 的台账"):
        call_command("import_ledger", "nosuch", str(tmp_path / "a.xlsx"))
    with pytest.raises(CommandError, match="找不到文件"):
        call_command("import_ledger", "organizations", str(tmp_path / "a.xlsx"))


@pytest.mark.django_db
@pytest.mark.parametrize("suffix", ["xlsx", "csv"])
def test_export_ledger_command_writes_a_file_that_imports_back_unchanged(tmp_path, suffix):
    import_rows("organizations", org_rows())
    path = tmp_path / f"导出.{suffix}"
    out = io.StringIO()
    call_command("export_ledger", "organizations", str(path), stdout=out)
    assert f"已导出到 {path}" in out.getvalue()
    data = path.read_bytes()
    assert data.startswith(b"PK" if suffix == "xlsx" else "\ufeff组织名称".encode())
    call_command("import_ledger", "organizations", str(path), stdout=(out := io.StringIO()))
    assert "已新增 0 条，已更新 0 条，未变化 3 条" in out.getvalue()


@pytest.mark.django_db
def test_export_ledger_command_refuses_an_unknown_ledger(tmp_path):
    with pytest.raises(CommandError, match="没有名为 nosuch 的台账"):
        call_command("export_ledger", "nosuch", str(tmp_path / "a.xlsx"))
