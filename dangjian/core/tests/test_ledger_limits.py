"""A ledger file's limits: too big, too many rows or cells (an inflated sheet), or not the kind its
name says is refused at once with a Chinese message and nothing imported; a file with very many
bad rows lists the first 200 errors and counts them all."""

import io
import time

from openpyxl import Workbook

from dangjian.core.ledgers import import_ledger
from dangjian.core.ledgers.engine import MAX_ERRORS_LISTED
from dangjian.organizations.models import PartyOrganization


def test_a_file_over_the_size_limit_is_refused_before_reading(db, settings):
    settings.LEDGER_MAX_BYTES = 1024 * 1024
    started = time.monotonic()
    report = import_ledger("organizations", b"a," * (600 * 1024), "big.csv")
    assert report.errors == ["文件：文件大小 1.2 MB，超过 1 MB 的上限"]
    assert time.monotonic() - started < 1


def test_too_many_rows_are_refused_while_reading(db, settings):
    settings.LEDGER_MAX_ROWS = 100
    rows = "\n".join(f"党支部{i},党支部" for i in range(150))
    report = import_ledger("organizations", ("组织名称,组织类别\n" + rows).encode(), "rows.csv")
    assert report.errors == ["文件：文件超过 100 行的上限，请分成几个文件导入"]
    assert not PartyOrganization.objects.exists()


def test_an_inflated_sheet_is_refused_by_its_declared_size(db, settings):
    settings.LEDGER_MAX_CELLS = 10_000
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["组织名称", "组织类别"])
    sheet.cell(row=5000, column=50, value="x")  # 250,000 cells declared
    buffer = io.BytesIO()
    workbook.save(buffer)
    started = time.monotonic()
    report = import_ledger("organizations", buffer.getvalue(), "bomb.xlsx")
    assert report.errors == ["文件：文件超过 10000 个单元格的上限，请删去多余的行列或分成几个文件导入"]
    assert time.monotonic() - started < 5


def test_the_type_is_judged_by_content(db):
    assert import_ledger("organizations", b"\x00\x01binary", "x.csv").errors == [
        "文件：文件内容不是文本（CSV），请另存为 UTF-8 的 CSV 或 .xlsx 后再导入"
    ]
    assert import_ledger("organizations", b"name,kind\n", "x.xlsx").errors == [
        "文件：文件内容不是 Excel（.xlsx）格式，可能已损坏或只是改了扩展名"
    ]


def test_very_many_errors_list_the_first_and_count_all(db):
    rows = "\n".join(f"党支部{i},不存在的类别" for i in range(MAX_ERRORS_LISTED + 50))
    report = import_ledger("organizations", ("组织名称,组织类别\n" + rows).encode(), "bad.csv")
    assert report.error_count >= MAX_ERRORS_LISTED + 50
    assert len(report.errors) == MAX_ERRORS_LISTED
    assert report.summary().startswith(f"党组织：发现 {report.error_count} 个错误（列出前 200 个）")
    assert report.as_dict()["error_count"] == report.error_count
