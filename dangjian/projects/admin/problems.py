"""Back office of problems: their timeline and the steps."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils import timezone

from dangjian.cadres.models import Cadre
from dangjian.core.admin_base import (
    ScopedAdmin,
    TimelineInline,
    admin_page,
    form_errors_from,
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
class ProblemAdmin(ScopedAdmin):
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

    def get_urls(self):
        return [
            path(
                "<int:pk>/step/<str:step>/",
                self.admin_site.admin_view(self.step_view),
                name="projects_problem_step",
            ),
            *super().get_urls(),
        ]

    def step_view(self, request, pk, step):
        if step not in services.PROBLEM_STEPS:
            raise PermissionDenied
        problem = get_object_or_404(self.get_queryset(request), pk=pk)
        if not self.has_change_permission(request, problem):
            raise PermissionDenied
        chosen = services.PROBLEM_STEPS[step]
        title = chosen.title
        form = (ReassignForm if step == "reassign" else StepForm)(request.POST or None)
        if step == "reassign":
            form.fields["owner"].queryset = restrict(
                request.user, Cadre.objects.filter(is_active=True), "view"
            )
        if request.method == "POST" and form.is_valid():
            try:
                chosen.run(actor=request.user, problem=problem, data=form.cleaned_data)
            except ValidationError as exc:
                form_errors_from(exc, form)
            else:
                self.message_user(request, f"问题{title}已记录", messages.SUCCESS)
                return HttpResponseRedirect(reverse("admin:projects_problem_change", args=[problem.pk]))
        return admin_page(
            self,
            request,
            "admin/members/member/action.html",
            title,
            subtitle=str(problem),
            form=form,
            back_url=reverse("admin:projects_problem_change", args=[problem.pk]),
        )
