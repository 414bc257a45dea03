"""Default rules for the yearly assessment of cadres (versioned; see dangjian.core.rules)."""

from dangjian.core.rules import register_rules

ASSESSMENT = "projects.assessment"


def _check_weights(values):
    weights = values["weights"]
    problems = [f"“{k}”的权重不能为负数" for k, v in weights.items() if v < 0]
    if not problems and abs(sum(weights.values()) - 100) > 1e-9:
        problems.append(f"各项权重之和应为 100（现为 {sum(weights.values())}）")
    return problems


# Weights in percent. Enterprise satisfaction counts once the service desk records ratings; until
# then its weight is shared out among the others in proportion.
register_rules(
    ASSESSMENT,
    "包抓干部年度考核权重",
    {
        "weights": {
            "record_completeness": 30,
            "problems_on_time": 30,
            "milestones_met": 20,
            "satisfaction": 20,
        }
    },
    validate=_check_weights,
)
