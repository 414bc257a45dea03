"""Cell parsers. Each takes the raw cell (str, number, bool, date, datetime or None) and
returns a Python value, or raises CellError with the reason in Chinese. Empty cells give None."""

import datetime
import re
from decimal import Decimal, InvalidOperation

from openpyxl.utils.datetime import from_excel

from dangjian.core.crypto import mask_id_number, mask_phone
from dangjian.core.validators import (
    FULLWIDTH,
    normalize_credit_code,
    normalize_id_number,
    normalize_mobile,
    normalize_phone,
)


class CellError(ValueError):
    pass


PUNCT = str.maketrans({"．": ".", "／": "/", "，": ",", "；": ";", "：": ":", "　": " ", "\u00a0": " "})


def clean_text(raw) -> str:
    """Trimmed text with full-width digits, letters and punctuation folded; '' for empty."""
    if raw is None:
        return ""
    if isinstance(raw, float) and raw.is_integer():
        raw = int(raw)
    text = str(raw).translate(FULLWIDTH).translate(PUNCT).strip()
    if len(text) > 1 and text[0] == "'" and text[1] in "=+-@\t\r":
        text = text[1:]  # our own CSV export's guard against formula injection
    return text


# What real files put in a cell that has no value.
PLACEHOLDERS = {"", "-", "--", "—", "——", "－", "/", "／", "\\"}


def is_empty(raw) -> bool:
    return raw is None or (isinstance(raw, str) and raw.strip().strip("\u3000").strip() in PLACEHOLDERS)


def written(raw, limit=60) -> str:
    """The cell as a person reads it in the file, for a message: '' for an empty cell, a date cell
    as 2023-07-01, a whole number without '.0', a long text cut at `limit` characters."""
    if is_empty(raw):
        return ""
    if isinstance(raw, bool):
        return "TRUE" if raw else "FALSE"
    if isinstance(raw, datetime.datetime):
        value = raw.date().isoformat() if raw.time() == datetime.time() else raw.isoformat(" ")
    elif isinstance(raw, datetime.date):
        value = raw.isoformat()
    elif isinstance(raw, float) and raw.is_integer():
        value = str(int(raw))
    else:
        value = re.sub(r"\s+", " ", str(raw)).strip()
    return value if len(value) <= limit else value[: limit - 1] + "…"


def text(raw, max_length=None):
    if is_empty(raw):
        return ""
    value = str(raw).strip().strip("\u3000").strip()
    if len(value) > 1 and value[0] == "'" and value[1] in "=+-@\t\r":
        value = value[1:]
    if max_length and len(value) > max_length:
        raise CellError(f"超过 {max_length} 个字")
    return value


# -- dates ---------------------------------------------------------------------------------
FULL_DATE = [
    re.compile(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})"),
    re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})[日号]?"),
    re.compile(r"(\d{4})(\d{2})(\d{2})"),
]
MONTH_ONLY = [
    re.compile(r"(\d{4})[-/.](\d{1,2})"),
    re.compile(r"(\d{4})年(\d{1,2})月?(份)?"),
    re.compile(r"(\d{4})(\d{2})"),
]
TIME_SUFFIX = re.compile(r"(?:[T ]+\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)$")


class ParsedDate(datetime.date):
    """A date that remembers whether the cell gave only a month (then it is the 1st)."""

    month_only = False

    @classmethod
    def make(cls, year, month, day, month_only=False):
        value = cls(year, month, day)
        value.month_only = month_only
        return value


def _build(year, month, day, month_only=False):
    year, month, day = int(year), int(month), int(day)
    if not 1900 <= year <= 2100:
        raise CellError(f"年份 {year} 不合理")
    try:
        return ParsedDate.make(year, month, day, month_only)
    except ValueError:
        raise CellError(f"日期不存在（{year}年{month}月{day}日）") from None


def parse_date(raw, month_ok=False):
    """2023-07-01, 2023/7/1, 2023.07.01, 2023年7月1日, 20230701, Excel date cells and serials;
    with `month_ok`, also 2019.07, 2019年7月, 201907 (the first of the month)."""
    if is_empty(raw):
        return None
    if isinstance(raw, datetime.datetime):
        return _build(raw.year, raw.month, raw.day)
    if isinstance(raw, datetime.date):
        return _build(raw.year, raw.month, raw.day)
    if isinstance(raw, bool):
        raise CellError("不是日期")
    if isinstance(raw, int | float) and not isinstance(raw, bool):
        number = float(raw)
        if number.is_integer() and 1900 <= number <= 2100:
            raise CellError(f"“{int(number)}”只有年份，请填写日期")
        # Excel serial day numbers from 1927 on (earlier ones are rarer than typing slips)
        if number.is_integer() and 10000 <= number < 100000:
            day = from_excel(number)
            return _build(day.year, day.month, day.day)
        raw = repr(raw) if isinstance(raw, float) else str(raw)
    value = re.sub(r"\s+", " ", clean_text(raw))
    value = TIME_SUFFIX.sub("", value).replace(" ", "")
    for pattern in FULL_DATE:
        match = pattern.fullmatch(value)
        if match:
            return _build(*match.groups())
    for pattern in MONTH_ONLY:
        match = pattern.fullmatch(value)
        if match:
            if not month_ok:
                raise CellError(f"“{value}”只到月份，此列需要填写具体日期")
            year, month = match.group(1), match.group(2)
            if not 1 <= int(month) <= 12:
                raise CellError(f"月份 {int(month)} 不存在")
            return _build(year, month, 1, month_only=True)
    raise CellError(f"“{value}”不是可识别的日期（如 2023-07-01、2023年7月1日）")


def format_date(value, month_only=False):
    if value is None:
        return None
    if month_only:
        return f"{value.year}.{value.month:02d}"
    return value


# -- numbers ---------------------------------------------------------------------------------
def parse_decimal(raw, *, places=6, unit="", min_value=None):
    if is_empty(raw):
        return None
    if isinstance(raw, bool):
        raise CellError("应为数字")
    if isinstance(raw, int):
        number = Decimal(raw)
    elif isinstance(raw, float):
        number = Decimal(repr(raw))
    else:
        value = clean_text(raw).replace(" ", "").replace(",", "")
        for suffix in filter(None, (unit, "元" if unit == "万元" else "")):
            if value.endswith(suffix) and not (suffix == "元" and value.endswith("万元")):
                value = value[: -len(suffix)]
                break
        value = value.lstrip("¥￥")
        try:
            number = Decimal(value)
        except InvalidOperation:
            raise CellError(f"“{clean_text(raw)}”不是数字") from None
        if not number.is_finite():
            raise CellError(f"“{clean_text(raw)}”不是数字")
    normalized = number.normalize()
    exponent = normalized.as_tuple().exponent
    if exponent < 0 and -exponent > places:
        raise CellError(f"小数位数超过 {places} 位")
    if min_value is not None and number < min_value:
        raise CellError(f"不能小于 {min_value}")
    return normalized if exponent < 0 else number.quantize(Decimal(1))


def parse_int(raw, *, min_value=0, max_value=None):
    if is_empty(raw):
        return None
    number = parse_decimal(raw, places=20)
    if number != number.to_integral_value():
        raise CellError(f"“{clean_text(raw)}”应为整数")
    number = int(number)
    if min_value is not None and number < min_value:
        raise CellError(f"不能小于 {min_value}")
    if max_value is not None and number > max_value:
        raise CellError(f"不能大于 {max_value}")
    return number


def parse_year(raw):
    if is_empty(raw):
        return None
    value = clean_text(raw).removesuffix("年度").removesuffix("年")
    if not re.fullmatch(r"\d{4}", value):
        raise CellError(f"“{clean_text(raw)}”应为四位年份")
    year = int(value)
    if not 1949 <= year <= 2100:
        raise CellError(f"年份 {year} 不合理")
    return year


# -- yes / no, choices, lists ----------------------------------------------------------------
YES = {"是", "y", "yes", "√", "✓", "✔", "1", "true", "t", "对", "有"}
NO = {"否", "n", "no", "×", "✗", "✘", "x", "0", "false", "f", "无", "不是"}


def parse_bool(raw):
    if is_empty(raw):
        return None
    if isinstance(raw, bool):
        return raw
    value = clean_text(raw).lower()
    if value in YES:
        return True
    if value in NO:
        return False
    raise CellError(f"“{clean_text(raw)}”应为 是/否")


def parse_choice(raw, choices, aliases=None):
    """`choices` is a TextChoices class (labels are the ledger words); returns the value."""
    if is_empty(raw):
        return None
    value = re.sub(r"\s+", "", clean_text(raw))
    by_label = {label: val for val, label in choices.choices}
    if aliases and value in aliases:
        value = aliases[value]
    if value in by_label:
        return by_label[value]
    raise CellError(f"“{value}”不是可选值（{'、'.join(by_label)}）")


LIST_SEPARATORS = re.compile(r"[、,，;；\n\r]+")


def parse_list(raw):
    if is_empty(raw):
        return []
    return [item.strip() for item in LIST_SEPARATORS.split(str(raw).replace("\u3000", " ")) if item.strip()]


# What each national-code check accepts (for the blank template's instructions) and how its
# value is masked where personal data is shown without being revealed (a dry run's changes).
CODE_CHECKS = {
    normalize_id_number: ("18 位公民身份号码（末位按 GB 11643 校验，可为 X）", mask_id_number),
    normalize_mobile: ("11 位大陆手机号码", mask_phone),
    normalize_phone: ("手机号码或固定电话（如 0914-2345678）", mask_phone),
    normalize_credit_code: ("18 位统一社会信用代码（末位按 GB 32100 校验）", None),
}


def validated(normalize):
    """A cell parser from a national-code check such as normalize_id_number: the normalized
    value, None for an empty cell, or the check's Chinese reason as a CellError. The parser
    carries what it accepts (`describe`) and the mask of personal data (`mask`, or None)."""
    from django.core.exceptions import ValidationError

    def parse(raw):
        if is_empty(raw):
            return None
        try:
            return normalize(clean_text(raw))
        except ValidationError as exc:
            raise CellError(exc.messages[0]) from None

    parse.__name__ = f"parse_{normalize.__name__.removeprefix('normalize_')}"
    parse.describe, parse.mask = CODE_CHECKS.get(normalize, ("", None))
    return parse
