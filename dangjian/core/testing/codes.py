"""Valid national codes for tests and the demo zone."""

import datetime

from dangjian.core.validators import CREDIT_CHARS, credit_check_char, id_check_digit


def make_id_number(birth: datetime.date, seq: int = 1, sex: str = "男", region: str = "611002") -> str:
    """A GB 11643 ID number: region, birth date, a 3-digit sequence whose last digit is odd for
    men and even for women, and the check digit."""
    order = (seq * 2) % 1000
    if sex == "男":
        order = order + 1 if order % 2 == 0 else order
    else:
        order = order if order % 2 == 0 else order - 1
    order %= 1000
    first17 = f"{region}{birth:%Y%m%d}{order:03d}"
    return first17 + id_check_digit(first17)


def make_credit_code(seq: int, region: str = "611000") -> str:
    """A GB 32100 unified social credit code for a company (registration 9, type 1)."""
    body = ""
    n = seq
    for _ in range(9):
        body = CREDIT_CHARS[n % 31] + body
        n //= 31
    first17 = f"91{region}{body}"
    return first17 + credit_check_char(first17)
