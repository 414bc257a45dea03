"""What an import reports, for every ledger: each error names the row, the record, the column, the
value as written and the reason; a dry run lists the rows it would create, update (each changed
column, old → new, personal data masked) and leave unchanged, and writes nothing."""

import pytest

from dangjian.core.ledgers import get_ledger, import_ledger, ledgers
from dangjian.core.ledgers.changes import Change
from dangjian.core.ledgers.engine import ErrorLine, RowResult
from dangjian.core.testing.ledgers import export_rows, import_rows, record_changes, xlsx_bytes
from dangjian.members.models import Member
from dangjian.organizations.models import Post

from .ledger_samples import MEMBER_ID, SAMPLES, file_rows, prepare

NAMES = sorted(SAMPLES)


def test_every_ledger_has_a_sample_row():
    assert {lg.name for lg in ledgers()} == set(SAMPLES)


# -- error lines -------------------------------------------------------------------------------
@pytest.mark.parametrize("name", NAMES)
def test_a_bad_cell_is_named_by_row_record_column_value_and_reason(zone, name):
    sample = prepare(name, zone)
    header, cell, reason = sample.bad
    before = record_changes()
    report = import_rows(name, file_rows(get_ledger(name), {**sample.row, header: cell}))
    assert not report.ok
    [error] = [e for e in report.errors if e.column == header]
    value = str(cell)
    expected = f"第 2 行 {header}：{reason}；记录：{sample.record}"
    if f"“{value}”" not in reason:
        expected += f"；填写值：“{value}”"
    assert error == expected
    assert (error.row, error.record, error.column, error.value, error.reason) == (
        2,
        sample.record,
        header,
        value,
        reason,
    )
    assert record_changes() == before


def test_an_error_found_when_the_row_is_applied_also_names_the_record(zone):
    report = import_rows("posts", [["名称", "类型", "所属党组织"], ["丙示范岗", "党员示范岗", "丙党支部"]])
    assert report.errors == ["第 2 行 所属党组织：找不到党组织“丙党支部”；记录：丙示范岗"]
    assert report.errors[0].value == "丙党支部"  # already quoted by the reason, so not repeated


def test_a_row_outside_the_users_scope_names_the_record_but_no_value(zone, secretary_a):
    rows = [
        ["名称", "类型", "所属党组织"],
        ["甲岗", "党员示范岗", "甲一党支部"],
        ["乙岗", "党员示范岗", "乙企业党支部"],
    ]
    report = import_rows("posts", rows, actor=secretary_a)
    assert [e.brief for e in report.errors] == ["第 3 行 整行：超出您的数据授权范围，操作未执行"]
    assert report.errors[0] == "第 3 行 整行：超出您的数据授权范围，操作未执行；记录：乙岗"
    assert Post.objects.count() == 0


def test_a_column_the_file_names_by_a_synonym_is_named_as_written(zone):
    sample = prepare("members", zone)
    under_18 = {**sample.row, "入党日期": "2008-05-05", "转正日期": "2009-05-05"}
    [headers, row] = file_rows(get_ledger("members"), under_18)
    headers[headers.index("入党日期")] = "入党时间"
    [error] = import_rows("members", [headers, row]).errors
    assert (
        error == "第 2 行 入党时间：入党时未满 18 周岁（出生于 1990-05-06）；记录：张三；填写值：“2008-05-05”"
    )


def test_a_valid_id_number_in_an_error_is_masked_and_a_wrong_one_shown_as_written(zone):
    sample = prepare("members", zone)
    ledger = get_ledger("members")
    twice = [*file_rows(ledger, sample.row), [*file_rows(ledger, {**sample.row, "姓名": "张三丰"})[1]]]
    [duplicate] = import_rows("members", twice).errors
    assert duplicate == (
        f"第 3 行 公民身份号码：与第 2 行重复，但内容不同；记录：张三丰；填写值：“{'*' * 14}{MEMBER_ID[-4:]}”"
    )
    wrong = MEMBER_ID[:17] + ("0" if MEMBER_ID[17] != "0" else "1")
    [error] = import_rows("members", file_rows(ledger, {**sample.row, "公民身份号码": wrong})).errors
    assert error == f"第 2 行 公民身份号码：校验位错误（不符合 GB 11643）；记录：张三；填写值：“{wrong}”"


def test_errors_of_a_file_as_a_whole_have_no_row():
    report = import_ledger("organizations", b"not a workbook", "a.xlsx")
    assert report.errors == ["文件：文件内容不是 Excel（.xlsx）格式，可能已损坏或只是改了扩展名"]
    assert isinstance(report.errors[0], ErrorLine) and report.errors[0].row is None
    assert report.as_dict()["error_details"] == []


# -- the dry run -------------------------------------------------------------------------------
@pytest.mark.parametrize("name", NAMES)
def test_the_dry_run_names_each_changed_column_with_its_old_and_new_value(zone, name):
    sample = prepare(name, zone)
    ledger = get_ledger(name)
    assert import_rows(name, file_rows(ledger, sample.row)).created == 1
    header, cell, old, new = sample.change
    exported, before = export_rows(name), record_changes()

    report = import_rows(name, file_rows(ledger, {**sample.row, header: cell}), dry_run=True)

    assert report.ok, report.errors
    assert report.rows == [RowResult(2, "updated", sample.record, [Change(header, old, new)])]
    assert (report.created, report.updated, report.unchanged) == (0, 1, 0)
    assert export_rows(name) == exported and record_changes() == before  # nothing written
    confirmed = import_rows(name, file_rows(ledger, {**sample.row, header: cell}))
    assert confirmed.rows == report.rows  # the import does what the dry run said
    assert import_rows(name, file_rows(ledger, {**sample.row, header: cell}), dry_run=True).rows == [
        RowResult(2, "unchanged", sample.record)
    ]


def test_the_dry_run_lists_rows_created_updated_and_unchanged(zone):
    rows = [
        ["组织名称", "组织类别", "上级组织", "党建品牌"],
        ["甲一党支部", "党支部", "甲企业党委", "红色引擎"],  # exists: 党建品牌 changes
        ["甲二党支部", "党支部", "甲企业党委", ""],  # exists, the same
        ["丙党支部", "党支部", "测试高新区党工委", ""],  # new
        ["丙党支部", "党支部", "测试高新区党工委", ""],  # the same row again
    ]
    report = import_rows("organizations", rows, dry_run=True)
    assert report.rows == [
        RowResult(2, "updated", "甲一党支部", [Change("党建品牌", "", "红色引擎")]),
        RowResult(3, "unchanged", "甲二党支部"),
        RowResult(4, "created", "丙党支部"),
        RowResult(5, "unchanged", "丙党支部", note="与第 4 行相同"),
    ]
    assert [str(r) for r in report.updated_rows] == [
        "第 2 行 甲一党支部：更新（党建品牌：（空） → 红色引擎）"
    ]
    assert report.summary() == "党组织：将新增 1 条，将更新 1 条，未变化 2 条（试导入，未写入）"


def test_a_member_moved_to_another_organization_shows_the_move_and_the_phone_masked(zone):
    sample = prepare("members", zone)
    ledger = get_ledger("members")
    import_rows("members", file_rows(ledger, sample.row))
    moved = {**sample.row, "所在党组织": "甲二党支部", "手机号码": "13900139000"}
    report = import_rows("members", file_rows(ledger, moved), dry_run=True)
    assert report.rows[0].changes == [
        Change("所在党组织", "甲一党支部", "甲二党支部"),
        Change("手机号码", "*******8000", "*******9000"),
    ]
    assert Member.objects.get().organization == zone.branch_a1
    shown = str(report.as_dict())
    assert "13800138000" not in shown and "13900139000" not in shown and MEMBER_ID not in shown


def test_a_file_with_one_bad_row_lists_no_rows_to_confirm_and_writes_nothing(zone):
    rows = [
        ["名称", "类型", "所属党组织"],
        ["甲岗", "党员示范岗", "甲一党支部"],
        ["乙岗", "先锋岗", "甲一党支部"],
    ]
    report = import_ledger("posts", xlsx_bytes(rows), "a.xlsx", dry_run=True)
    assert not report.ok and report.summary() == "阵地与岗区：发现 1 个错误，未导入任何数据"
    assert Post.objects.count() == 0
