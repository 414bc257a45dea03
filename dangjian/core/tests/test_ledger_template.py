"""The blank template of every ledger: an .xlsx whose first sheet is the header row (the columns
as LEDGERS.md names them) and whose second sheet 填写说明 lists each column, whether it is
required, its synonyms and what it accepts, read from the ledger's own column definitions; the
template filled with one row imports."""

import io

import pytest
from openpyxl import load_workbook

from dangjian.core.ledgers import blank_template, get_ledger, import_ledger, ledgers
from dangjian.core.ledgers.template import INSTRUCTIONS
from dangjian.core.services import config_save
from dangjian.enterprises.models import IndustryCluster

from .ledger_samples import SAMPLES, prepare

NAMES = sorted(SAMPLES)


def workbook(name):
    return load_workbook(io.BytesIO(blank_template(name)))


def instructions(book) -> dict[str, tuple]:
    """{列名: (是否必填, 也可写作, 填写要求)} from the sheet 填写说明."""
    rows = list(book[INSTRUCTIONS].iter_rows(values_only=True))
    start = rows.index(("列名", "是否必填", "也可写作", "填写要求"))
    return {row[0]: (row[1], row[2] or "", row[3] or "") for row in rows[start + 1 :]}


@pytest.mark.parametrize("name", NAMES)
def test_the_template_opens_with_the_header_row_and_the_instructions(db, name):
    ledger = get_ledger(name)
    book = workbook(name)
    assert book.sheetnames == [ledger.title, INSTRUCTIONS]
    rows = list(book.worksheets[0].iter_rows(values_only=True))
    assert rows == [tuple(column.header for column in ledger.columns)]  # no data, no 必填 marks
    listed = instructions(book)
    assert list(listed) == [column.header for column in ledger.columns]
    for column in ledger.columns:
        required, synonyms, accepts = listed[column.header]
        assert required == ("必填" if column.required else "选填")
        assert synonyms == "、".join(column.synonyms)
        assert accepts, f"{name} {column.header} says nothing of what it accepts"


def test_the_instructions_give_choices_synonyms_date_forms_and_units(db):
    members = instructions(workbook("members"))
    assert members["学历"][2].startswith(
        "可选：研究生、大学本科、大学专科、中专、高中、初中及以下；也可写作：博士（即研究生）"
    )
    assert members["公民身份号码"][1:] == (
        "身份证号、身份证号码",
        "18 位公民身份号码（末位按 GB 11643 校验，可为 X）",
    )
    assert "可只填到月份（如 2019.07、2019年7月），视为当月1日" in members["入党日期"][2]
    assert "入党时须年满 18 周岁" in members["入党日期"][2]
    assert "须填到日" in members["出生日期"][2]
    assert members["是否流动党员"][2].startswith("是/否（也可填 Y/N、√/×、1/0")
    projects = instructions(workbook("projects"))
    assert projects["总投资（万元）"][2].startswith("数字（单位：万元）")
    assert projects["包抓干部"][2].startswith("可填多个，用 、 , ， ; ； 或换行分隔")
    requests = instructions(workbook("requests"))
    assert requests["办理状态"][2] == "可选：已受理、办理中、已办结、已退回"
    assert requests["满意度"][2] == "整数，1～5"
    notes = [row[0] for row in workbook("members")[INSTRUCTIONS].iter_rows(values_only=True) if row[0]]
    assert "按 公民身份号码 匹配系统中已有的记录：已有则更新，没有则新增。" in notes


def test_the_instructions_follow_the_zones_clusters(db):
    config_save(actor=None, instance=IndustryCluster(name="数字经济", sort_order=99))
    assert "数字经济" in instructions(workbook("enterprises"))["所属产业"][2]


def test_the_header_cells_of_required_columns_stand_out_and_codes_stay_text(db):
    sheet = workbook("members").worksheets[0]
    cells = {cell.value: cell for cell in sheet[1]}
    assert cells["姓名"].font.b and cells["姓名"].comment.text.startswith("必填。")
    assert cells["民族"].comment.text.startswith("选填。")
    assert sheet.column_dimensions[cells["公民身份号码"].column_letter].number_format == "@"
    choices = [v for v in sheet.data_validations.dataValidation if "研究生" in (v.formula1 or "")]
    assert choices and not choices[0].showErrorMessage  # a drop-down that still takes synonyms


@pytest.mark.parametrize("name", NAMES)
def test_the_template_filled_with_one_row_imports(zone, name):
    sample = prepare(name, zone)
    book = workbook(name)
    sheet = book.worksheets[0]
    for index, header in enumerate(next(sheet.iter_rows(values_only=True)), start=1):
        if sample.row.get(header) is not None:
            sheet.cell(row=2, column=index, value=sample.row[header])
    buffer = io.BytesIO()
    book.save(buffer)
    report = import_ledger(name, buffer.getvalue(), f"{get_ledger(name).title}-空白模板.xlsx")
    assert report.ok, report.errors
    assert (report.header_row, report.created, report.unknown_columns) == (1, 1, [])


def test_the_empty_template_imports_nothing_and_says_so(db):
    for ledger in ledgers():
        report = import_ledger(ledger.name, blank_template(ledger.name), "模板.xlsx", dry_run=True)
        assert report.ok and (report.created, report.updated, report.unchanged) == (0, 0, 0)
