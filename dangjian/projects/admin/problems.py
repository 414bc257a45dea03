"""Back office of problems: their timeline and the steps."""

from django import forms
from django.contrib import admin
from django.utils import timezone

from dangjian.cadres.models import Cadre
from dangjian.core.admin_base import (
    ScopedAdmin,
    StepsAdminMixin,
    TimelineInline,
)
from dangjian.core.forms import StyledForm
from dangjian.core.scope import restrict

from .. import services
from ..models import (
    Problem,
    ProblemEvent,
)


class EventInline(TimelineInline):
    model = ProblemEvent
    verbose_name_plural = "办理记录"


class StepForm(StyledForm):
    on = forms.DateField(label="日期", initial=timezone.localdate)
    text = forms.CharField(
        label="说明", required=False, max_length=300, widget=forms.Textarea(attrs={"rows": 3})
    )


class ReassignForm(StyledForm):
    owner = forms.ModelChoiceField(label="新的责任人", queryset=Cadre.objects.none())
    deadline = forms.DateField(label="新的办理时限", required=False)


@admin.register(Problem)
class ProblemAdmin(StepsAdminMixin, ScopedAdmin):
    steps = services.PROBLEM_STEPS
    step_forms = {step: ReassignForm if step == "reassign" else StepForm for step in services.PROBLEM_STEPS}
    step_record = "problem"
    step_url_name = "projects_problem_step"
    inlines = [EventInline]
    list_display = [
        "number_display",
        "description_short",
        "source",
        "category",
        "owner",
        "raised_on",
        "deadline",
        "status",
        "overdue",
    ]
    list_filter = ["status", "source", "category"]
    search_fields = ["number", "description", "owner__name", "project__name", "enterprise__name"]
    list_select_related = ["owner", "project", "enterprise"]
    autocomplete_fields = ["project", "enterprise", "owner", "source_activity"]
    change_form_template = "admin/projects/problem/change_form.html"
    date_hierarchy = "raised_on"

    def get_fields(self, request, obj=None):
        base = list(services.PROBLEM_FORM_FIELDS)
        return (
            base
            if obj is None
            else [*base, "status", "closed_on", "result", "unsolvable_reason", "escalated_on"]
        )

    def get_readonly_fields(self, request, obj=None):
        return [] if obj is None else ["status", "closed_on", "result", "unsolvable_reason", "escalated_on"]

    @admin.display(description="编号")
    def number_display(self, obj):
        return obj.number or f"#{obj.pk}"

    @admin.display(description="问题描述")
    def description_short(self, obj):
        return obj.description[:40]

    @admin.display(description="逾期", boolean=True)
    def overdue(self, obj):
        return obj.is_overdue()

    def save_model(self, request, obj, form, change):
        data = {k: form.cleaned_data[k] for k in services.PROBLEM_FORM_FIELDS if k in form.cleaned_data}
        if change:
            services.problem_update(actor=request.user, problem=obj, **data)
        else:
            obj.pk = services.problem_raise(actor=request.user, **data).pk

    def delete_model(self, request, obj):
        services.problem_delete(actor=request.user, problem=obj)

    def prepare_step_form(self, request, step, obj, form):
        if step == "reassign":
            form.fields["owner"].queryset = restrict(
                request.user, Cadre.objects.filter(is_active=True), "view"
            )

    def step_subject(self, obj):
        return f"问题{obj.number or obj.pk}"
