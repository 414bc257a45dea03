"""National code checks: GB 11643 citizen ID numbers, GB 32100 unified social credit codes,
and mainland phone numbers. Each `normalize_*` returns the canonical form or raises
ValidationError with a Chinese message."""

import datetime
import re

from django.core.exceptions import ValidationError
from django.utils import timezone

FULLWIDTH = str.maketrans(
    "０１２３４５６７８９ＡＢＣＤＥＦＧＨＩＪＫＬＭＮＯＰＱＲＳＴＵＶＷＸＹＺａｂｃｄｅｆｇｈｉｊｋｌｍｎｏｐｑｒｓｔｕｖｗｘｙｚ"
    "－＋（）　",
    "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-+() ",
)

ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECK = "10X98765432"


def id_check_digit(first17: str) -> str:
    total = sum(int(d) * w for d, w in zip(first17, ID_WEIGHTS, strict=True))
    return ID_CHECK[total % 11]


def normalize_id_number(value) -> str:
    text = re.sub(r"\s+", "", str(value or "").translate(FULLWIDTH)).upper()
    if len(text) != 18:
        raise ValidationError(f"应为 18 位，实际为 {len(text)} 位")
    if not re.fullmatch(r"\d{17}[\dX]", text):
        raise ValidationError("前 17 位应为数字，最后一位为数字或 X")
    if id_check_digit(text[:17]) != text[17]:
        raise ValidationError("校验位错误（不符合 GB 11643）")
    try:
        id_birth_date(text)
    except ValueError:
        raise ValidationError("出生日期码无效") from None
    return text


def id_birth_date(id_number: str) -> datetime.date:
    return datetime.date(int(id_number[6:10]), int(id_number[10:12]), int(id_number[12:14]))


def id_sex(id_number: str) -> str:
    return "男" if int(id_number[16]) % 2 == 1 else "女"


CREDIT_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
CREDIT_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def credit_check_char(first17: str) -> str:
    total = sum(CREDIT_CHARS.index(c) * w for c, w in zip(first17, CREDIT_WEIGHTS, strict=True))
    return CREDIT_CHARS[(31 - total % 31) % 31]


def normalize_credit_code(value) -> str:
    text = re.sub(r"\s+", "", str(value or "").translate(FULLWIDTH)).upper()
    if len(text) != 18:
        raise ValidationError(f"应为 18 位，实际为 {len(text)} 位")
    bad = [c for c in text if c not in CREDIT_CHARS]
    if bad:
        raise ValidationError(f"含有不允许的字符 {''.join(dict.fromkeys(bad))}（不使用 I、O、S、V、Z）")
    if credit_check_char(text[:17]) != text[17]:
        raise ValidationError("校验码错误（不符合 GB 32100）")
    return text


def _phone_digits(value) -> str:
    text = str(value or "").translate(FULLWIDTH)
    return re.sub(r"[\s\-()]", "", text)


def normalize_mobile(value) -> str:
    digits = _phone_digits(value)
    if digits.startswith("+86"):
        digits = digits[3:]
    elif digits.startswith("0086"):
        digits = digits[4:]
    elif digits.startswith("86") and len(digits) == 13:
        digits = digits[2:]
    if not re.fullmatch(r"1[3-9]\d{9}", digits):
        raise ValidationError("应为 11 位大陆手机号码")
    return digits


LANDLINE = re.compile(r"(0\d{2,3}-?)?[1-9]\d{6,7}(-\d{1,6})?|[48]00-?\d{3}-?\d{4}")


def normalize_phone(value) -> str:
    """A mobile number, or a landline such as 0914-2345678 (with an optional extension)."""
    try:
        return normalize_mobile(value)
    except ValidationError:
        pass
    text = re.sub(r"[\s()]", "", str(value or "").translate(FULLWIDTH))
    text = text.replace("转", "-")
    if LANDLINE.fullmatch(text):
        return text
    raise ValidationError("应为手机号码或固定电话（如 0914-2345678）")


def add_years(day: datetime.date, years: int) -> datetime.date:
    """The same calendar day `years` later; 29 February becomes 28 February."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day `months` later, or the month's last day where it has no such day."""
    month = day.month - 1 + months
    year = day.year + month // 12
    month = month % 12 + 1
    for candidate in (day.day, 30, 29, 28):
        try:
            return datetime.date(year, month, min(day.day, candidate))
        except ValueError:
            continue
    raise ValueError(day)


def last_day_of_month(day: datetime.date) -> datetime.date:
    nxt = day.replace(day=28) + datetime.timedelta(days=4)
    return nxt - datetime.timedelta(days=nxt.day)


CHINESE_DIGITS = "零一二三四五六七八九"


def chinese_number(n: int) -> str:
    """0–99 in Chinese numerals, as rules are worded (一个月, 十二个月, 二十四个学时)."""
    if not 0 <= n < 100:
        return str(n)
    tens, ones = divmod(n, 10)
    if tens == 0:
        return CHINESE_DIGITS[ones]
    return (CHINESE_DIGITS[tens] if tens > 1 else "") + "十" + (CHINESE_DIGITS[ones] if ones else "")


def past_day(day, field: str = "on"):
    """A day a step was taken on: given, and not after today (a ValidationError on `field`)."""
    if day is None:
        raise ValidationError({field: "请填写日期"})
    if day > timezone.localdate():
        raise ValidationError({field: "日期不能晚于今天"})
    return day


def period_text(months: int) -> str:
    """A period as rules word it: 一年, 两年, 六个月, 十八个月."""
    if months and months % 12 == 0:
        years = months // 12
        return f"{'两' if years == 2 else chinese_number(years)}年"
    return f"{'两' if months == 2 else chinese_number(months)}个月"
