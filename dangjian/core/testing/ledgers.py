"""Making ledger files for tests, as messy as the ones a zone keeps, and reading exports back.

Rows are lists of cells; an empty list is an empty row. In .xlsx a cell keeps its Python type
(str, int, float, bool, date, datetime); in .csv every cell is written as text."""

import csv
import datetime
import io
from typing import NamedTuple

from openpyxl import Workbook, load_workbook

from dangjian.audit.services import AuditEntry
from dangjian.core.ledgers import export_ledger, import_ledger


class Formatted(NamedTuple):
    """An .xlsx cell with its own number format, e.g. a date shown as 2019年7月:
    Formatted(datetime.date(2019, 7, 1), 'yyyy"年"m"月"')."""

    value: object
    number_format: str


def xlsx_bytes(rows, *, sheet_title="Sheet1", extra_sheets=()) -> bytes:
    """An .xlsx whose first sheet holds `rows` from row 1 (an empty list leaves the row empty).
    `extra_sheets` are further sheets (lists of rows) that the import must not read."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = sheet_title
    _fill(sheet, rows)
    for index, extra in enumerate(extra_sheets, start=2):
        _fill(workbook.create_sheet(f"Sheet{index}"), extra)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _fill(sheet, rows):
    for row_number, row in enumerate(rows, start=1):
        for column, value in enumerate(row, start=1):
            if value is None:
                continue
            if isinstance(value, Formatted):
                sheet.cell(
                    row=row_number, column=column, value=value.value
                ).number_format = value.number_format
                continue
            cell = sheet.cell(row=row_number, column=column, value=value)
            if isinstance(value, str) and value.startswith("="):
                cell.data_type = "s"  # a test's literal text, not a formula
            elif isinstance(value, datetime.datetime | datetime.date):
                cell.number_format = "yyyy-mm-dd"


def csv_bytes(rows, encoding="utf-8-sig", delimiter=",") -> bytes:
    """A .csv in `encoding` (utf-8-sig is UTF-8 with BOM, as Excel saves; also utf-8, gb18030)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    for row in rows:
        writer.writerow(["" if value is None else _csv_text(value) for value in row])
    return buffer.getvalue().encode(encoding)


def _csv_text(value):
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


FORMATS = {
    "xlsx": lambda rows: xlsx_bytes(rows),
    "csv": lambda rows: csv_bytes(rows),
    "csv-utf8": lambda rows: csv_bytes(rows, encoding="utf-8"),
    "csv-bom": lambda rows: csv_bytes(rows, encoding="utf-8-sig"),
    "csv-gb18030": lambda rows: csv_bytes(rows, encoding="gb18030"),
}


def ledger_file(rows, fmt="xlsx"):
    """(bytes, filename) of `rows` in `fmt`: xlsx, csv (UTF-8 with BOM), csv-utf8, csv-bom,
    csv-gb18030."""
    data = FORMATS[fmt](rows)
    return data, "台账.xlsx" if fmt == "xlsx" else "台账.csv"


def import_rows(ledger, rows, fmt="xlsx", **options):
    """Import `rows` written as a `fmt` file into `ledger`; returns the ImportReport."""
    data, filename = ledger_file(rows, fmt)
    return import_ledger(ledger, data, filename, **options)


def error_briefs(report) -> list[str]:
    """The report's errors without the record and the value each line also names (第 N 行
    〈列名〉：〈原因〉), for tests of a rule's reason."""
    return [error.brief for error in report.errors]


def read_export(data: bytes, fmt="xlsx") -> list[list]:
    """The rows of an exported file: cell values for .xlsx, strings for .csv."""
    if fmt == "xlsx":
        workbook = load_workbook(io.BytesIO(data))
        return [[cell.value for cell in row] for row in workbook.worksheets[0].iter_rows()]
    text = data.decode("utf-8-sig")
    return [row for row in csv.reader(io.StringIO(text, newline=""))]


def export_rows(ledger, fmt="xlsx", **options) -> list[list]:
    """The rows `ledger` exports; a ledger with full ID numbers as if the export was confirmed
    (tests of the confirmation itself call export_ledger)."""
    options.setdefault("reveal_confirmed", True)
    return read_export(export_ledger(ledger, fmt=fmt, **options), fmt)


def audit_count(*actions) -> int:
    """How many audit entries there are (of `actions`, when given)."""
    entries = AuditEntry.objects.all()
    if actions:
        entries = entries.filter(action__in=actions)
    return entries.count()


def record_changes() -> int:
    """Audit entries that record a created, changed or deleted record."""
    return audit_count(AuditEntry.Action.CREATE, AuditEntry.Action.UPDATE, AuditEntry.Action.DELETE)


def assert_round_trip(ledger, fmt="xlsx"):
    """Export `ledger`, import the file back: every row unchanged, no record touched."""
    data = export_ledger(ledger, fmt=fmt, reveal_confirmed=True)
    before = record_changes()
    report = import_ledger(ledger, data, f"导出.{fmt}")
    assert report.ok, report.errors
    assert (report.created, report.updated) == (0, 0), report.rows
    assert report.unchanged == len(read_export(data, fmt)) - 1
    assert report.unknown_columns == []
    assert record_changes() == before
    return report
