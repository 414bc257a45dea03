"""年度考核: a run of the yearly assessment and each cadre's score and rank."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from dangjian.core.scope import ScopeSpec
from dangjian.core.structured import DataSpec

from ..rules import ASSESSMENT_PARTS, WEIGHTS_USED


def _percent(value) -> str:
    return "未计" if value is None else f"{value}%"


# the weights of a run's parts; a score's parts (a part with nothing to measure: 未计) and the
# weights it used
WEIGHTS = DataSpec(labels=ASSESSMENT_PARTS, formats={"*": _percent})
PARTS = DataSpec(
    labels={
        **ASSESSMENT_PARTS,
        WEIGHTS_USED: "计分权重",
        **{f"{WEIGHTS_USED}.{part}": name for part, name in ASSESSMENT_PARTS.items()},
    },
    formats={**dict.fromkeys(ASSESSMENT_PARTS, _percent), f"{WEIGHTS_USED}.*": _percent},
)


class AssessmentRun(models.Model):
    """年度考核: scores computed for a year with the weights in force, stored with them."""

    year = models.PositiveSmallIntegerField("年度")
    rule = models.ForeignKey(
        "core.RuleSet", verbose_name="权重版本", on_delete=models.PROTECT, related_name="+"
    )
    weights = models.JSONField("使用的权重")
    created_at = models.DateTimeField("计算时间", auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="计算人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = "年度考核"
        verbose_name_plural = "年度考核"
        ordering = ["-year", "-created_at"]

    def __str__(self):
        return f"{self.year} 年度考核（{timezone.localtime(self.created_at):%Y-%m-%d %H:%M}）"

    def data_spec(self, name):
        """The weights read as a table of the parts' Chinese names (core.structured)."""
        return WEIGHTS if name == "weights" else None


class AssessmentScore(models.Model):
    run = models.ForeignKey(
        AssessmentRun, verbose_name="考核", on_delete=models.CASCADE, related_name="scores"
    )
    cadre = models.ForeignKey(
        "cadres.Cadre", verbose_name="干部", on_delete=models.PROTECT, related_name="scores"
    )
    components = models.JSONField("分项")
    score = models.DecimalField("得分", max_digits=6, decimal_places=2)
    rank = models.PositiveIntegerField("名次")

    SCOPE = ScopeSpec(
        users=("cadre__user", "cadre__leader"),
        org_path="cadre__org_path",
        permission_model="projects.assessmentrun",
    )

    class Meta:
        verbose_name = "考核得分"
        verbose_name_plural = "考核得分"
        ordering = ["run_id", "rank"]

    def __str__(self):
        return f"{self.cadre} {self.score}"

    def data_spec(self, name):
        return PARTS if name == "components" else None
