"""The yearly assessment: runs, scores and ranks (Excel)."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils import timezone

from dangjian.core.admin_base import (
    ChildInline,
    ReadOnlyAdminMixin,
    ScopedAdmin,
    admin_page,
)
from dangjian.core.files import file_response
from dangjian.core.forms import StyledForm

from .. import exports, services
from ..models import (
    AssessmentRun,
    AssessmentScore,
)
from ..rules import components_text, weights_text


class ScoreInline(ReadOnlyAdminMixin, ChildInline):
    model = AssessmentScore
    fields = ["rank", "cadre", "score", "components_display"]
    readonly_fields = fields
    ordering = ["rank"]

    @admin.display(description="分项")
    def components_display(self, obj):
        return components_text(obj.components)


class YearForm(StyledForm):
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100)


@admin.register(AssessmentRun)
class AssessmentRunAdmin(ScopedAdmin):
    inlines = [ScoreInline]
    list_display = ["year", "created_at", "created_by", "rule", "weights_display"]
    fields = ["year", "rule", "weights_display", "created_at", "created_by"]
    readonly_fields = fields
    change_form_template = "admin/projects/assessmentrun/change_form.html"
    change_list_template = "admin/projects/assessmentrun/change_list.html"

    @admin.display(description="权重")
    def weights_display(self, obj):
        return weights_text(obj.weights)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def get_urls(self):
        return [
            path(
                "compute/", self.admin_site.admin_view(self.compute_view), name="projects_assessment_compute"
            ),
            path(
                "<int:pk>/export/",
                self.admin_site.admin_view(self.export_view),
                name="projects_assessment_export",
            ),
            *super().get_urls(),
        ]

    def compute_view(self, request):
        if not request.user.has_perm("projects.add_assessmentrun"):
            raise PermissionDenied
        form = YearForm(request.POST or {"year": timezone.localdate().year - 1})
        if request.method == "POST" and form.is_valid():
            run = services.assessment_run(actor=request.user, year=form.cleaned_data["year"])
            self.message_user(
                request, f"{run.year} 年度考核已计算（{run.scores.count()} 名干部）", messages.SUCCESS
            )
            return HttpResponseRedirect(reverse("admin:projects_assessmentrun_change", args=[run.pk]))
        return admin_page(
            self,
            request,
            "admin/dangjian_action.html",
            "计算年度考核",
            form=form,
            back_url=reverse("admin:projects_assessmentrun_changelist"),
        )

    def export_view(self, request, pk):
        run = get_object_or_404(self.get_queryset(request), pk=pk)
        return file_response(exports.assessment_xlsx(run), f"{run.year}年度考核.xlsx")
