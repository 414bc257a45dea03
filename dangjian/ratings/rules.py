"""Default rules of the star rating (versioned; see dangjian.core.rules)."""

from dangjian.core.rules import register_rules
from dangjian.core.structured import DataSpec

NOTICE = "ratings.notice"


def _check_notice(values):
    days = values["workdays"]
    return [] if isinstance(days, int) and days >= 1 else ["公示期至少 1 个工作日"]


# 评星结果公示 5 个工作日 (Shaanxi's and most provinces' rules for 评星定级 and 表彰).
register_rules(
    NOTICE,
    "评星结果公示期",
    {"workdays": 5},
    validate=_check_notice,
    spec=DataSpec(labels={"workdays": "公示期（工作日）"}),
)
