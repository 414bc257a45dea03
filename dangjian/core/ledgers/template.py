"""The blank template of a ledger, and what each column accepts, read from the ledger's own
column definitions (their parsers and notes), so the instructions say what the import does."""

import functools
import io

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.worksheet.datavalidation import DataValidation

from . import cells

INSTRUCTIONS = "填写说明"
DATE_FORMS = "2023-07-01、2023/7/1、2023.07.01、2023年7月1日、20230701 或 Excel 日期"
BOOL_FORMS = "是/否（也可填 Y/N、√/×、1/0、对/不是、有/无 或 Excel 逻辑值）"
REQUIRED_FILL = PatternFill("solid", fgColor="FDE2E2")
OPTIONAL_FILL = PatternFill("solid", fgColor="F3F4F6")


def _unwrap(parse):
    """The parser function and its fixed keyword arguments (through functools.partial)."""
    keywords = {}
    while isinstance(parse, functools.partial):
        keywords = {**parse.keywords, **keywords}
        parse = parse.func
    return parse, keywords


def choice_words(parse) -> list[str]:
    """The words a choice column accepts, for a drop-down; [] for other columns."""
    func, keywords = _unwrap(parse)
    if func is cells.parse_choice:
        return [label for _, label in keywords["choices"].choices]
    if func is cells.parse_bool:
        return ["是", "否"]
    return list(getattr(func, "accepted", []))


def describe_parse(parse) -> str:
    """What a cell parser accepts, in Chinese."""
    func, kw = _unwrap(parse)
    if getattr(func, "describe", ""):
        return func.describe
    if func is cells.text:
        return f"文字，不超过 {kw['max_length']} 个字" if kw.get("max_length") else "文字"
    if func is cells.parse_choice:
        text = "可选：" + "、".join(label for _, label in kw["choices"].choices)
        aliases = kw.get("aliases") or {}
        if aliases:
            text += "；也可写作：" + "、".join(f"{word}（即{meant}）" for word, meant in aliases.items())
        return text
    if func is cells.parse_date:
        text = f"日期，如 {DATE_FORMS}"
        if kw.get("month_ok"):
            return text + "；可只填到月份（如 2019.07、2019年7月），视为当月1日"
        return text + "；须填到日"
    if func is cells.parse_bool:
        return BOOL_FORMS
    if func is cells.parse_int:
        text = "整数"
        low, high = kw.get("min_value", 0), kw.get("max_value")
        if low is not None and high is not None:
            return f"{text}，{low}～{high}"
        return text + (f"，不小于 {low}" if low is not None else "")
    if func is cells.parse_decimal:
        text = "数字" + (f"（单位：{kw['unit']}）" if kw.get("unit") else "")
        text += "，可带千位分隔符"
        if kw.get("places") is not None:
            text += f"，最多 {kw['places']} 位小数"
        if kw.get("min_value") is not None:
            text += f"，不小于 {kw['min_value']}"
        return text
    if func is cells.parse_year:
        return "四位年份，如 2024"
    if func is cells.parse_list:
        return "可填多个，用 、 , ， ; ； 或换行分隔"
    accepted = getattr(func, "accepted", None)
    if accepted:
        return "可选：" + "、".join(accepted)
    return ""


def rows_of(ledger) -> list[tuple[str, str, str, str]]:
    """(列名, 是否必填, 也可写作, 填写要求) for each column of the ledger."""
    return [
        (
            column.header,
            "必填" if column.required else "选填",
            "、".join(column.synonyms),
            ledger.describe_column(column),
        )
        for column in ledger.columns
    ]


def blank_template(ledger) -> bytes:
    """An .xlsx with the ledger's header row (the first sheet, which the import reads) and a second
    sheet 填写说明 listing each column: required or not, its synonyms and what it accepts."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = ledger.title[:31]
    sheet.append([column.header for column in ledger.columns])
    for cell, column in zip(sheet[1], ledger.columns, strict=True):
        cell.font = Font(bold=True, color="B91C1C" if column.required else None)
        cell.fill = REQUIRED_FILL if column.required else OPTIONAL_FILL
        cell.comment = Comment(
            ("必填。" if column.required else "选填。") + ledger.describe_column(column), "党建引领发展平台"
        )
        letter = cell.column_letter
        sheet.column_dimensions[letter].width = max(12, len(column.header) * 2 + 4)
        if getattr(column.parse, "mask", None) or getattr(column.parse, "describe", ""):
            # codes and phone numbers stay text: Excel would turn 18 digits into 6.1E+17
            sheet.column_dimensions[letter].number_format = "@"
        words = choice_words(column.parse)
        if words and len(",".join(words)) < 250:
            validation = DataValidation(
                type="list", formula1='"' + ",".join(words) + '"', allow_blank=True, showErrorMessage=False
            )
            validation.add(f"{letter}2:{letter}1000")
            sheet.add_data_validation(validation)
    sheet.freeze_panes = "A2"

    notes = workbook.create_sheet(INSTRUCTIONS)
    notes.append([f"{ledger.title}（{ledger.name}）填写说明"])
    notes["A1"].font = Font(bold=True, size=13)
    for line in ledger.template_notes():
        notes.append([line])
    notes.append([])
    notes.append(["列名", "是否必填", "也可写作", "填写要求"])
    header_row = notes.max_row
    for cell in notes[header_row]:
        cell.font = Font(bold=True)
        cell.fill = REQUIRED_FILL
    for row in rows_of(ledger):
        notes.append(list(row))
        if row[1] == "必填":
            notes.cell(row=notes.max_row, column=2).font = Font(bold=True, color="B91C1C")
    for letter, width in zip("ABCD", (22, 10, 30, 80), strict=True):
        notes.column_dimensions[letter].width = width
    for row in notes.iter_rows(min_row=header_row + 1):
        row[3].alignment = Alignment(wrap_text=True, vertical="top")
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
