"""年度考核: the yearly assessment of cadres."""

import datetime

from dangjian.cadres.models import Cadre
from dangjian.core.rules import rules_for
from dangjian.core.services import service

from .. import rules
from ..models import AssessmentRun, AssessmentScore
from ..selectors import assessment_components, rank, weighted_score


@service
def assessment_run(*, actor, year: int, today: datetime.date | None = None):
    """年度考核: each active cadre's score from the weights in force at the year's end, with the
    ranking; the run stores the rule version and the weights it used."""
    rule = rules_for(rules.ASSESSMENT, datetime.date(year, 12, 31))
    weights = rule.values["weights"]
    run = AssessmentRun.objects.create(year=year, rule=rule, weights=weights, created_by=actor)
    scored = []
    for cadre in Cadre.objects.filter(is_active=True).order_by("name"):
        components = assessment_components(cadre, year, today)
        score, used = weighted_score(components, weights)
        scored.append(((cadre, components, used), score))
    for (cadre, components, used), score, position in rank(scored):
        AssessmentScore.objects.create(
            run=run,
            cadre=cadre,
            score=score if score is not None else 0,
            rank=position,
            components={
                **{k: (str(v) if v is not None else None) for k, v in components.items()},
                rules.WEIGHTS_USED: used,
            },
        )
    return run
