"""Reading a ledger file into rows: .xlsx (first sheet) or .csv (UTF-8 with or without BOM,
or GB18030), and finding the header row under any title rows."""

import csv
import datetime
import io
import re
from dataclasses import dataclass, field

from django.conf import settings
from openpyxl import load_workbook

from .cells import CellError


class FileError(Exception):
    """The file as a whole cannot be read; nothing is imported."""


class Table:
    """A ledger file's rows, read as they are used: `rows` yields (spreadsheet row number,
    cells) once, from the file; `head(n)` reads only the first rows (the header search) and
    keeps them for `rows`. `total` is the number of rows the sheet declares (an .xlsx's
    dimension; None when the file does not say). A file that turns out to be broken or over the
    limits while its rows are read raises FileError from `rows`."""

    def __init__(self, rows, total: int | None = None, close=None):
        self._source = iter(rows)
        self._head: list = []
        self.total = total
        self._close = close

    def head(self, count: int) -> list[tuple[int, list]]:
        while len(self._head) < count:
            try:
                self._head.append(next(self._source))
            except StopIteration:
                break
        return self._head[:count]

    @property
    def rows(self):
        while self._head:
            yield self._head.pop(0)
        yield from self._source

    def close(self):
        if self._close is not None:
            self._close()
            self._close = None


def limits() -> tuple[int, int, int]:
    """(bytes, rows, cells) a ledger file may have (settings LEDGER_MAX_BYTES, LEDGER_MAX_ROWS,
    LEDGER_MAX_CELLS): checked before and while reading, so a huge or inflated file is refused
    quickly with memory bounded."""
    return (
        getattr(settings, "LEDGER_MAX_BYTES", 20 * 1024 * 1024),
        getattr(settings, "LEDGER_MAX_ROWS", 200_000),
        getattr(settings, "LEDGER_MAX_CELLS", 5_000_000),
    )


def _megabytes(size: int) -> str:
    return f"{size / 1024 / 1024:.1f}".rstrip("0").rstrip(".")


class _Counter:
    def __init__(self):
        self.max_bytes, self.max_rows, self.max_cells = limits()
        self.cells = 0

    def too_many_rows(self):
        return FileError(f"文件超过 {self.max_rows} 行的上限，请分成几个文件导入")

    def too_many_cells(self):
        return FileError(f"文件超过 {self.max_cells} 个单元格的上限，请删去多余的行列或分成几个文件导入")

    def declared(self, rows: int, columns: int):
        """A sheet's own account of its size, checked before reading a single row."""
        if rows > self.max_rows:
            raise self.too_many_rows()
        if rows * columns > self.max_cells:
            raise self.too_many_cells()

    def row(self, number: int, width: int):
        if number > self.max_rows:
            raise self.too_many_rows()
        self.cells += width
        if self.cells > self.max_cells:
            raise self.too_many_cells()


def read_table(data: bytes, filename: str) -> Table:
    max_bytes = limits()[0]
    if len(data) > max_bytes:
        raise FileError(f"文件大小 {_megabytes(len(data))} MB，超过 {_megabytes(max_bytes)} MB 的上限")
    name = filename.lower()
    is_zip = data[:4] == b"PK\x03\x04"
    if is_zip:
        return _read_xlsx(data)
    if name.endswith(".xlsx") or name.endswith(".xlsm"):
        raise FileError("文件内容不是 Excel（.xlsx）格式，可能已损坏或只是改了扩展名")
    if name.endswith(".csv") or name.endswith(".txt"):
        if b"\x00" in data[:4096]:
            raise FileError("文件内容不是文本（CSV），请另存为 UTF-8 的 CSV 或 .xlsx 后再导入")
        return _read_csv(data)
    if name.endswith(".xls"):
        raise FileError("不支持旧版 .xls 文件，请在 Excel 中另存为 .xlsx 后再导入")
    raise FileError("只支持 .xlsx 或 .csv 文件")


BROKEN_XLSX = "无法读取 Excel 文件：文件已损坏，或不是 .xlsx 格式"


def _read_xlsx(data: bytes) -> Table:
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds for a broken file
        raise FileError(BROKEN_XLSX) from None
    counter = _Counter()
    try:
        sheet = workbook.worksheets[0]
        declared = sheet.max_row
        counter.declared(declared or 0, sheet.max_column or 0)
    except FileError:
        workbook.close()
        raise
    except Exception:
        workbook.close()
        raise FileError(BROKEN_XLSX) from None
    return Table(_xlsx_rows(workbook, sheet, counter), total=declared, close=workbook.close)


def _xlsx_rows(workbook, sheet, counter):
    try:
        for number, cells in enumerate(sheet.iter_rows(), start=1):
            counter.row(number, len(cells))
            yield number, [_xlsx_value(cell) for cell in cells]
    except FileError:
        raise
    except Exception:
        raise FileError(BROKEN_XLSX) from None
    finally:
        workbook.close()


FORMAT_LITERALS = re.compile(r'"[^"]*"|\[[^\]]*\]|\\.')


def _xlsx_value(cell):
    """The cell's value; a date cell whose format shows only year and month (Excel turns a typed
    2019年7月 or 2019-07 into one) becomes the month-only text "2019.07"."""
    value = cell.value
    if isinstance(value, datetime.date) and cell.number_format:
        code = FORMAT_LITERALS.sub("", cell.number_format).lower()
        if "y" in code and "m" in code and not any(c in code for c in "dhs"):
            return f"{value.year}.{value.month:02d}"
    return value


def _decode(data: bytes) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030")
    except UnicodeDecodeError:
        raise FileError("无法识别 CSV 文件的编码（支持 UTF-8 和 GB18030）") from None


def _read_csv(data: bytes) -> Table:
    content = _decode(data)
    head = "\n".join(content[:65536].splitlines()[:20])
    delimiter = "\t" if head.count("\t") > head.count(",") else ","
    return Table(_csv_rows(content, delimiter))


def _csv_rows(content: str, delimiter: str):
    reader = csv.reader(io.StringIO(content, newline=""), delimiter=delimiter)
    counter = _Counter()
    for number, row in enumerate(reader, start=1):
        counter.row(number, len(row))
        yield number, row


HEADER_NOISE = re.compile(r"[\s\u3000]+")
REQUIRED_MARK = re.compile(r"(\*|＊|[（(]必填[）)])+$")


def normalize_header(cell) -> str:
    if cell is None:
        return ""
    text = HEADER_NOISE.sub("", str(cell))
    text = REQUIRED_MARK.sub("", text)
    return text.replace("(", "（").replace(")", "）")


@dataclass
class HeaderMatch:
    row_number: int
    columns: dict  # column key -> cell index
    headers: dict  # column key -> header text as written (normalized)
    unknown: list = field(default_factory=list)
    duplicates: list = field(default_factory=list)


def find_header(table: Table, lookup: dict[str, str], scan_rows: int = 30) -> HeaderMatch | None:
    """The first row whose cells match at least two known headers (or every column of a
    one-column ledger). `lookup` maps a normalized header or synonym to a column key."""
    needed = min(2, len(set(lookup.values())))
    for number, cells in table.head(scan_rows):
        keys = [lookup.get(normalize_header(cell)) for cell in cells]
        if len({k for k in keys if k}) < needed:
            continue
        match = HeaderMatch(row_number=number, columns={}, headers={})
        for index, (cell, key) in enumerate(zip(cells, keys, strict=True)):
            header = normalize_header(cell)
            if not header:
                continue
            if key is None:
                match.unknown.append(header)
            elif key in match.columns:
                match.duplicates.append(header)
            else:
                match.columns[key] = index
                match.headers[key] = header
        return match
    return None


__all__ = ["CellError", "FileError", "HeaderMatch", "Table", "find_header", "normalize_header", "read_table"]
