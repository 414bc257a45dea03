"""Back office of key projects: milestones, approvals and the cadres in charge."""

from django import forms
from django.contrib import admin
from django.utils import timezone

from dangjian.cadres.models import Assignment, Cadre
from dangjian.cadres.services import assignment_set
from dangjian.core.admin_base import (
    ChildInline,
    ReadOnlyAdminMixin,
    ScopedAdmin,
)
from dangjian.core.scope import restrict

from .. import services
from ..models import (
    Approval,
    Milestone,
    Project,
)


class ProjectForm(forms.ModelForm):
    lead_cadre = forms.ModelChoiceField(label="牵头包抓干部", queryset=Cadre.objects.none(), required=False)
    other_cadres = forms.ModelMultipleChoiceField(
        label="其他包抓干部", queryset=Cadre.objects.none(), required=False
    )
    takes_user = True

    class Meta:
        model = Project
        fields = services.PROJECT_FORM_FIELDS

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        cadres = restrict(user, Cadre.objects.filter(is_active=True), "view").order_by("name")
        self.fields["lead_cadre"].queryset = cadres
        self.fields["other_cadres"].queryset = cadres
        if self.instance.pk:
            current = list(
                Assignment.objects.filter(project=self.instance, end_on__isnull=True).order_by("-is_lead")
            )
            if current:
                self.fields["lead_cadre"].initial = current[0].cadre_id
                self.fields["other_cadres"].initial = [a.cadre_id for a in current[1:]]
        if not restrict(user, Cadre, "change").exists():
            # who is in charge is the zone's to set (cadres.services.assignment_set): shown, not
            # changed (the names only of those in charge now, as the 包抓关系 rows show them)
            in_charge = (
                Cadre.objects.filter(assignments__project=self.instance, assignments__end_on__isnull=True)
                if self.instance.pk
                else Cadre.objects.none()  # a project being added has nobody in charge yet
            )
            for name in ("lead_cadre", "other_cadres"):
                self.fields[name].queryset = in_charge
                self.fields[name].disabled = True
                self.fields[name].help_text = "包抓干部由党工委设置"


class MilestoneInline(ChildInline):
    model = Milestone
    extra = 0
    fields = ["name", "planned_on", "actual_on", "note"]


class ApprovalInline(ChildInline):
    model = Approval
    extra = 0
    fields = ["item", "submitted_on", "approved_on", "days_taken", "note"]
    readonly_fields = ["days_taken"]

    @admin.display(description="用时（天）")
    def days_taken(self, obj):
        return obj.days if obj.pk and obj.days else "—"


class ProjectAssignmentInline(ReadOnlyAdminMixin, ChildInline):
    model = Assignment
    fk_name = "project"
    fields = ["cadre", "is_lead", "start_on", "end_on"]
    readonly_fields = fields
    verbose_name_plural = "包抓关系（含历史）"


@admin.register(Project)
class ProjectAdmin(ScopedAdmin):
    form = ProjectForm
    inlines = [MilestoneInline, ApprovalInline, ProjectAssignmentInline]
    list_display = [
        "name",
        "category",
        "status",
        "owner_name",
        "total_investment",
        "cadres_display",
        "approvals_days",
    ]
    list_filter = ["category", "status"]
    search_fields = ["name", "owner_name"]
    autocomplete_fields = ["owner_enterprise", "temp_branch"]
    fieldsets = [
        ("项目", {"fields": ["name", "category", "status", "owner_name", "owner_enterprise", "temp_branch"]}),
        (
            "投资与进度",
            {"fields": ["total_investment", "annual_investment", "started_on", "completed_on", "note"]},
        ),
        ("包抓", {"fields": ["lead_cadre", "other_cadres"]}),
    ]

    # a user who may only view the project sees these (the form's fields) as text
    @admin.display(description="牵头包抓干部")
    def lead_cadre(self, obj):
        lead = obj.assignments.filter(end_on__isnull=True, is_lead=True).select_related("cadre").first()
        return lead.cadre.name if lead else "—"

    @admin.display(description="其他包抓干部")
    def other_cadres(self, obj):
        others = obj.assignments.filter(end_on__isnull=True, is_lead=False).select_related("cadre")
        return "、".join(a.cadre.name for a in others) or "—"

    @admin.display(description="包抓干部")
    def cadres_display(self, obj):
        current = obj.assignments.filter(end_on__isnull=True).select_related("cadre").order_by("-is_lead")
        return "、".join(a.cadre.name for a in current) or "—"

    @admin.display(description="审批用时")
    def approvals_days(self, obj):
        from ..selectors import approvals_span

        span = approvals_span(obj)
        return f"{span['count']} 项 {span['days']} 天" if span["days"] else "—"

    def save_model(self, request, obj, form, change):
        data = {k: form.cleaned_data[k] for k in services.PROJECT_FORM_FIELDS if k in form.cleaned_data}
        project = services.project_save(actor=request.user, instance=obj if change else None, **data)
        obj.pk = project.pk
        lead, others = form.cleaned_data.get("lead_cadre"), list(form.cleaned_data.get("other_cadres") or [])
        cadres = ([lead] if lead else []) + [c for c in others if c != lead]
        current = list(
            Assignment.objects.filter(project=project, end_on__isnull=True)
            .order_by("-is_lead", "id")
            .values_list("cadre_id", flat=True)
        )
        if [c.pk for c in cadres] != current:
            assignment_set(actor=request.user, project=project, cadres=cadres, on=timezone.localdate())

    def save_formset(self, request, form, formset, change):
        instances = formset.save(commit=False)
        for deleted in formset.deleted_objects:
            if isinstance(deleted, Milestone):
                services.milestone_delete(actor=request.user, milestone=deleted)
            else:
                services.approval_delete(actor=request.user, approval=deleted)
        for item in instances:
            if isinstance(item, Milestone):
                services.milestone_save(
                    actor=request.user,
                    project=form.instance,
                    instance=item if item.pk else None,
                    name=item.name,
                    planned_on=item.planned_on,
                    actual_on=item.actual_on,
                    note=item.note,
                )
            elif isinstance(item, Approval):
                services.approval_save(
                    actor=request.user,
                    project=form.instance,
                    instance=item if item.pk else None,
                    item=item.item,
                    submitted_on=item.submitted_on,
                    approved_on=item.approved_on,
                    note=item.note,
                )

    def delete_model(self, request, obj):
        services.project_delete(actor=request.user, project=obj)
