"""Default rules of investment attraction (versioned; see dangjian.core.rules)."""

from dangjian.core.rules import register_rules
from dangjian.core.structured import DataSpec

FOLLOW_UP = "investment.follow_up"
START = "investment.start"


def _check_follow_up(values):
    days = values["days"]
    return [] if isinstance(days, int) and days >= 1 else ["跟进期限至少 1 天"]


def _check_start(values):
    months = values["months"]
    return [] if isinstance(months, int) and months >= 1 else ["开工期限至少 1 个月"]


# 线索、洽谈中的项目 30 天没有跟进即预警
register_rules(
    FOLLOW_UP,
    "招商线索跟进期限",
    {"days": 30},
    validate=_check_follow_up,
    spec=DataSpec(labels={"days": "未跟进天数"}),
)
# 签约后 6 个月仍未开工即预警
register_rules(
    START,
    "签约项目开工期限",
    {"months": 6},
    validate=_check_start,
    spec=DataSpec(labels={"months": "签约后月数"}),
)
