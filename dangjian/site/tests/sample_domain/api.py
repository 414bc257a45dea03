from rest_framework import viewsets
from rest_framework.response import Response

from dangjian.core.registry import api_route


class SampleViewSet(viewsets.ViewSet):
    def list(self, request):
        return Response([])


api_route("samples", SampleViewSet, basename="sample")
