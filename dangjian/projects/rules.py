"""Default rules for the yearly assessment of cadres (versioned; see dangjian.core.rules)."""

from dangjian.core.rules import register_rules
from dangjian.core.structured import DataSpec

ASSESSMENT = "projects.assessment"


def _check_weights(values):
    weights = values["weights"]
    problems = [f"“{ASSESSMENT_PARTS.get(k, k)}”的权重不能为负数" for k, v in weights.items() if v < 0]
    if not problems and abs(sum(weights.values()) - 100) > 1e-9:
        problems.append(f"各项权重之和应为 100（现为 {sum(weights.values())}）")
    return problems


# what a score's parts keep beside them: the weights of the parts measured, as the score used them
WEIGHTS_USED = "weights_used"

# The parts of a cadre's yearly score, in Chinese.
ASSESSMENT_PARTS = {
    "record_completeness": "日纪实完整率",
    "problems_on_time": "问题按期办结率",
    "milestones_met": "节点按期完成率",
    "satisfaction": "企业满意度",
}


def weights_text(weights: dict) -> str:
    """日纪实完整率 30%、问题按期办结率 30%、…"""
    return "、".join(
        f"{ASSESSMENT_PARTS.get(part, part)} {weight}%" for part, weight in (weights or {}).items()
    )


def components_text(components: dict) -> str:
    """日纪实完整率 95.00%、…、企业满意度 未计 (a part with nothing to measure), then the weights
    the score used (those of the parts measured): （计分权重：日纪实完整率 37.5%、…）."""
    parts = {part: value for part, value in (components or {}).items() if part != WEIGHTS_USED}
    text = "、".join(
        f"{ASSESSMENT_PARTS.get(part, part)} {'未计' if value is None else f'{value}%'}"
        for part, value in parts.items()
    )
    used = (components or {}).get(WEIGHTS_USED)
    return f"{text}（计分权重：{weights_text(used)}）" if used else text


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
    spec=DataSpec(
        labels={
            "weights": "各项权重（%）",
            **{f"weights.{part}": name for part, name in ASSESSMENT_PARTS.items()},
        }
    ),
)
