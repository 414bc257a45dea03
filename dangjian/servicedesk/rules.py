"""Default time limits of the service desk (versioned; a category may set its own)."""

from dangjian.core.rules import register_rules

DESK = "servicedesk.deadlines"


def _check(values):
    return [f"“{k}”应为不小于 1 的整数" for k, v in values.items() if not isinstance(v, int) or v < 1]


# Working days to accept and to close a request, and calendar days after closing within which
# the enterprise confirms and rates it (after that it is confirmed automatically).
register_rules(
    DESK, "企业服务时限", {"accept_workdays": 2, "close_workdays": 15, "confirm_days": 7}, validate=_check
)
