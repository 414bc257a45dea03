"""Default rules for party life (versioned; see dangjian.core.rules)."""

from dangjian.core.rules import register_rules

FREQUENCY = "partylife.frequency"
QUORUM = "partylife.quorum"

# 《中国共产党支部工作条例（试行）》: 支部党员大会 once a quarter, 支委会 once a month (branches with a
# committee), 党小组会 once a month (per party group), 党课 once a quarter, 主题党日 once a month,
# 组织生活会 and 民主评议党员 once a year.
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
)
# A vote needs more than half of those entitled to attend; an election at least four fifths.
register_rules(QUORUM, "会议有效人数", {"vote": [1, 2, "more_than"], "election": [4, 5, "at_least"]})
