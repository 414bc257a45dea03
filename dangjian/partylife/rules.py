"""Default rules for party life (versioned; see dangjian.core.rules)."""

from dangjian.core.rules import register_rules
from dangjian.core.structured import DataSpec

FREQUENCY = "partylife.frequency"
QUORUM = "partylife.quorum"
QUORUM_MODES = {"more_than": "超过", "at_least": "达到"}


# 《中国共产党支部工作条例（试行）》: 支部党员大会 once a quarter, 支委会 once a month (branches with a
# committee), 党小组会 once a month (per party group), 党课 once a quarter, 主题党日 once a month,
# 组织生活会 and 民主评议党员 once a year.
def _check_frequency(values):
    return [
        f"“{kind}”的频次应为 month、quarter 或 year"
        for kind, every in values.items()
        if every not in ("month", "quarter", "year")
    ]


def _check_quorum(values):
    problems = []
    for kind, (numerator, denominator, mode) in values.items():
        if not (isinstance(numerator, int) and isinstance(denominator, int) and 0 < numerator <= denominator):
            problems.append(f"“{kind}”的比例应为两个正整数，且分子不大于分母")
        if mode not in ("more_than", "at_least"):
            problems.append(f"“{kind}”的方式应为 more_than（超过）或 at_least（达到）")
    return problems


register_rules(
    FREQUENCY,
    "组织生活频次",
    {
        "branch_general_meeting": "quarter",
        "committee_meeting": "month",
        "group_meeting": "month",
        "party_lecture": "quarter",
        "theme_day": "month",
        "life_meeting": "year",
        "member_review": "year",
    },
    validate=_check_frequency,
    spec=DataSpec(
        labels={
            "branch_general_meeting": "支部党员大会",
            "committee_meeting": "支委会",
            "group_meeting": "党小组会",
            "party_lecture": "党课",
            "theme_day": "主题党日",
            "life_meeting": "组织生活会",
            "member_review": "民主评议党员",
        },
        choices={"*": {"month": "每月一次", "quarter": "每季度一次", "year": "每年一次"}},
    ),
)
# A vote needs more than half of those entitled to attend; an election at least four fifths.
register_rules(
    QUORUM,
    "会议有效人数",
    {"vote": [1, 2, "more_than"], "election": [4, 5, "at_least"]},
    validate=_check_quorum,
    spec=DataSpec(
        labels={"vote": "表决", "election": "选举", "*.0": "分子", "*.1": "分母", "*.2": "方式"},
        choices={"*.2": QUORUM_MODES},
        formats={
            "*": lambda share: (
                f"实到人数{QUORUM_MODES.get(share[2], share[2])}应到人数的 {share[0]}/{share[1]}"
            )
        },
    ),
)
