"""API of the yearly assessment."""

from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from dangjian.core.scope import restrict

from .. import services
from ..models import AssessmentRun


class AssessmentRunSerializer(serializers.ModelSerializer):
    scores = serializers.SerializerMethodField()

    class Meta:
        model = AssessmentRun
        fields = ["id", "year", "rule", "weights", "created_at", "scores"]

    def get_scores(self, obj) -> list:
        user = self.context["request"].user
        scores = restrict(user, obj.scores.select_related("cadre"), "view")
        return [
            {
                "rank": s.rank,
                "cadre": s.cadre_id,
                "name": s.cadre.name,
                "score": s.score,
                "components": s.components,
            }
            for s in scores
        ]


class YearSerializer(serializers.Serializer):
    year = serializers.IntegerField(min_value=2000, max_value=2100, label="年度")


class AssessmentRunViewSet(viewsets.ReadOnlyModelViewSet):
    """年度考核：按当年有效的权重计算得分与名次（POST compute，year=2025）。"""

    queryset = AssessmentRun.objects.all()
    serializer_class = AssessmentRunSerializer

    @action(detail=False, methods=["post"], serializer_class=YearSerializer)
    def compute(self, request):
        payload = YearSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        run = services.assessment_run(actor=request.user, year=payload.validated_data["year"])
        return Response(AssessmentRunSerializer(run, context=self.get_serializer_context()).data, status=201)
