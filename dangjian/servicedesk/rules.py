"""Default time limits of the service desk (versioned; a category may set its own)."""

from dangjian.core.rules import register_rules
from dangjian.core.structured import DataSpec

DESK = "servicedesk.deadlines"
LABELS = {
    "accept_workdays": "受理时限（工作日）",
    "close_workdays": "办结时限（工作日）",
    "confirm_days": "办结后企业确认评价的期限（天，逾期自动确认）",
}


def _check(values):
    return [
        f"“{LABELS.get(k, k)}”应为不小于 1 的整数"
        for k, v in values.items()
        if not isinstance(v, int) or v < 1
    ]


# Working days to accept and to close a request, and calendar days after closing within which
# the enterprise confirms and rates it (after that it is confirmed automatically).
register_rules(
    DESK,
    "企业服务时限",
    {"accept_workdays": 2, "close_workdays": 15, "confirm_days": 7},
    validate=_check,
    spec=DataSpec(labels=LABELS),
)
