"""Back office of investment projects: the pipeline, follow-ups, funds in place, the steps."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Q, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join

from dangjian.core.admin_base import (
    ChildInline,
    ScopedAdmin,
    StepsAdminMixin,
    TimelineInline,
    admin_viewer,
    number_text,
)
from dangjian.core.forms import StyledForm
from dangjian.core.scope import in_scope, permission_name
from dangjian.projects.admin.projects import ProjectAdmin
from dangjian.projects.models import Project

from .. import services
from ..models import (
    SIGNED_STAGES,
    FollowUp,
    FundTranche,
    InvestmentProject,
    ProjectEvent,
    Stage,
)

CARRY_PERMISSIONS = ("investment.carry_investmentproject", "projects.add_project")
# the stage and its days: moved only by the steps, shown on the change page
STAGE_FIELDS = [
    "stage",
    "negotiating_on",
    "signed_on",
    "signed_amount",
    "started_on",
    "producing_on",
    "terminated_on",
    "termination_reason",
    "last_activity_on",
]


def may_carry(user) -> bool:
    """Who may carry a signed project into the key projects (项目包抓)."""
    return all(user.has_perm(name) for name in CARRY_PERMISSIONS)


def _change_url(obj) -> str:
    opts = obj._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])


def _viewable(user, obj) -> bool:
    return (
        user is not None and user.has_perm(permission_name(type(obj), "view")) and in_scope(user, obj, "view")
    )


def _link(obj, user=None):
    """The record's name, a link to its page for a user who may open it."""
    user = user if user is not None else admin_viewer()
    if _viewable(user, obj):
        return format_html('<a class="text-primary-600" href="{}">{}</a>', _change_url(obj), obj)
    return str(obj)


def _links(objs, user=None):
    return format_html_join("、", "{}", ((_link(o, user),) for o in objs)) if objs else "—"


# -- the steps' forms -----------------------------------------------------------------------------
def _day():
    return forms.DateField(label="日期", initial=timezone.localdate)


class AdvanceForm(StyledForm):
    # the stage services.next_stage gives, shown, not chosen (set in prepare_step_form)
    stage = forms.ChoiceField(label="转入阶段", choices=Stage.choices, required=False, disabled=True)
    on = _day()
    signed_amount = forms.DecimalField(
        label="签约金额（万元）", required=False, max_digits=20, decimal_places=6
    )
    note = forms.CharField(
        label="说明", required=False, max_length=300, widget=forms.Textarea(attrs={"rows": 3})
    )


class TerminateForm(StyledForm):
    on = _day()
    reason = forms.CharField(
        label="终止原因", required=False, max_length=300, widget=forms.Textarea(attrs={"rows": 3})
    )


class ResumeForm(StyledForm):
    on = _day()
    note = forms.CharField(
        label="说明", required=False, max_length=300, widget=forms.Textarea(attrs={"rows": 3})
    )


class CarryForm(StyledForm):
    """转入重点项目 asks nothing: the key project is made from the signed project."""


STEP_FORMS = {
    "advance": AdvanceForm,
    "terminate": TerminateForm,
    "resume": ResumeForm,
    "carry": CarryForm,
}


# -- the list's filter ----------------------------------------------------------------------------
class SignedYearFilter(admin.SimpleListFilter):
    title = "签约年度"
    parameter_name = "signed_year"

    def lookups(self, request, model_admin):
        days = model_admin.get_queryset(request).filter(signed_on__isnull=False).dates("signed_on", "year")
        return [(str(day.year), f"{day.year}年") for day in days.reverse()]

    def queryset(self, request, queryset):
        value = self.value()
        if not value:
            return queryset
        if not value.isdigit():
            return queryset.none()
        return queryset.filter(signed_on__year=int(value))


# -- the child records ----------------------------------------------------------------------------
class AddOnlyInline(ChildInline):
    """Rows that are added and deleted through services, never edited: the rows already there are
    read-only, a new row is a form."""

    def has_change_permission(self, request, obj=None):
        return False


class FollowUpInline(AddOnlyInline):
    model = FollowUp
    fields = ["on", "way", "content", "next_step", "by"]
    readonly_fields = ["by"]
    verbose_name_plural = "跟进记录"


class FundTrancheInline(AddOnlyInline):
    model = FundTranche
    fields = ["received_on", "amount", "evidence", "evidence_note"]
    verbose_name_plural = "到位资金"

    def has_add_permission(self, request, obj=None):
        # funds come in after 签约 (services.tranche_add says so when asked otherwise)
        return obj is not None and obj.stage in SIGNED_STAGES and super().has_add_permission(request, obj)


class ProjectEventInline(TimelineInline):
    model = ProjectEvent
    fields = ["on", "kind", "stage", "actor_label", "note"]
    verbose_name_plural = "项目进展"


# -- the project ----------------------------------------------------------------------------------
class InvestmentProjectForm(forms.ModelForm):
    class Meta:
        model = InvestmentProject
        fields = services.PROJECT_FIELDS


@admin.register(InvestmentProject)
class InvestmentProjectAdmin(StepsAdminMixin, ScopedAdmin):
    form = InvestmentProjectForm
    steps = services.STAGE_STEPS
    step_forms = STEP_FORMS
    step_record = "project"
    step_url_name = "investment_project_step"
    change_form_template = "admin/investment/investmentproject/change_form.html"
    list_display = [
        "name",
        "investor",
        "cluster",
        "stage",
        "signed_on",
        "signed_amount",
        "funds",
        "team",
        "follower",
        "last_activity_on",
        "duplicate_marker",
    ]
    list_filter = ["stage", "cluster", "team", SignedYearFilter]
    search_fields = ["name", "investor"]
    list_select_related = ["cluster", "team", "follower"]
    fieldsets = [
        (
            "项目",
            {"fields": ["name", "investor", "cluster", "planned_investment", "content", "note"]},
        ),
        (
            "来源与跟进",
            {"fields": ["recorded_on", "source_event", "source_person", "team", "follower", "organization"]},
        ),
    ]
    # on the change page only: the stage and what came of it, written by the steps
    readonly_fields = [*STAGE_FIELDS, "funds_display", "key_project", "duplicates"]
    stage_fieldset = ("阶段与进展", {"fields": readonly_fields})

    def get_queryset(self, request):
        # a possible duplicate is marked on both projects, the one flagged and the one it resembles
        pairs = InvestmentProject.possible_duplicates.through.objects
        return (
            super()
            .get_queryset(request)
            .annotate(
                funds_sum=Sum("tranches__amount"),
                has_duplicates=Exists(pairs.filter(from_investmentproject=OuterRef("pk")))
                | Exists(pairs.filter(to_investmentproject=OuterRef("pk"))),
            )
        )

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        return fieldsets if obj is None else [*fieldsets, self.stage_fieldset]

    def get_inlines(self, request, obj):
        if obj is None:
            return []  # a lead is recorded first; its follow-ups and funds come on its page
        return [FollowUpInline, FundTrancheInline, ProjectEventInline]

    # -- columns and read-only values -----------------------------------------------------------
    @admin.display(description="到位资金（万元）", ordering="funds_sum")
    def funds(self, obj):
        return number_text(getattr(obj, "funds_sum", None) or 0, 6)  # annotated in get_queryset

    @admin.display(description="到位资金合计（万元）")
    def funds_display(self, obj):
        return number_text(obj.funds_total, 6)

    @admin.display(description="疑似重复", boolean=True)
    def duplicate_marker(self, obj):
        return bool(getattr(obj, "has_duplicates", False))

    @admin.display(description="疑似重复项目")
    def duplicates(self, obj):
        # zone-wide on purpose, as the duplicate check: each is a link only for who may open it
        pairs = InvestmentProject.possible_duplicates.through.objects
        similar = InvestmentProject.objects.filter(
            Q(pk__in=pairs.filter(from_investmentproject=obj).values("to_investmentproject"))
            | Q(pk__in=pairs.filter(to_investmentproject=obj).values("from_investmentproject"))
        )
        return _links(list(similar.order_by("name")))

    # -- the steps on the change page ---------------------------------------------------------------
    def offered_steps(self, request, obj) -> list[tuple[str, str]]:
        """The steps' buttons for this project and this user: (url, title)."""
        if not self.has_change_permission(request, obj):
            return []

        def url(step):
            return reverse(f"admin:{self.step_url_name}", args=[obj.pk, step])

        offered = []
        following = services.next_stage(obj)
        if following is not None:
            offered.append((url("advance"), f"转入{following.label}"))
        if obj.stage == Stage.TERMINATED:
            offered.append((url("resume"), "恢复跟进"))
        elif obj.stage != Stage.PRODUCING:
            offered.append((url("terminate"), "终止"))
        if obj.stage in SIGNED_STAGES and not obj.key_project_id and may_carry(request.user):
            offered.append((url("carry"), "转入重点项目"))
        return offered

    def change_view(self, request, object_id, form_url="", extra_context=None):
        context = dict(extra_context or {})
        obj = self.get_object(request, object_id)
        if obj is not None:
            context["steps_offered"] = self.offered_steps(request, obj)
        return super().change_view(request, object_id, form_url, context)

    def step_view(self, request, pk, step):
        if step == "carry" and not may_carry(request.user):
            raise PermissionDenied
        return super().step_view(request, pk, step)

    def prepare_step_form(self, request, step, obj, form):
        if step == "advance":
            following = services.next_stage(obj)
            form.fields["stage"].initial = following.value if following else None
            if following != Stage.SIGNED:
                del form.fields["signed_amount"]

    # -- writes through the services ---------------------------------------------------------------
    def save_model(self, request, obj, form, change):
        data = {k: form.cleaned_data[k] for k in services.PROJECT_FIELDS if k in form.cleaned_data}
        project = services.project_save(actor=request.user, instance=obj if change else None, **data)
        obj.pk = project.pk
        if not change:
            obj._state.adding = False
            similar = list(project.possible_duplicates.order_by("name"))
            if similar:
                messages.warning(
                    request,
                    format_html(
                        "“{}”可能与已有项目重复（投资方相同或名称相近），请核实：{}",
                        project.name,
                        _links(similar, request.user),
                    ),
                )

    def save_formset(self, request, form, formset, change):
        project = InvestmentProject.objects.get(pk=form.instance.pk)
        for row in formset.deleted_forms:
            item = row.instance
            if not item.pk:
                continue
            if isinstance(item, FollowUp):
                services.follow_up_delete(actor=request.user, follow_up=item)
            elif isinstance(item, FundTranche):
                services.tranche_delete(actor=request.user, tranche=item)
        for row in formset.extra_forms:
            if not row.has_changed() or row in formset.deleted_forms:
                continue
            data = row.cleaned_data
            if formset.model is FollowUp:
                services.follow_up_add(
                    actor=request.user,
                    project=project,
                    on=data.get("on"),
                    content=data.get("content"),
                    way=data.get("way") or "",
                    next_step=data.get("next_step") or "",
                )
            elif formset.model is FundTranche:
                services.tranche_add(
                    actor=request.user,
                    project=project,
                    received_on=data.get("received_on"),
                    amount=data.get("amount"),
                    evidence=data.get("evidence") or None,
                    evidence_note=data.get("evidence_note") or "",
                )

    def delete_model(self, request, obj):
        services.project_delete(actor=request.user, project=obj)


# -- the key project's page shows where it came from ----------------------------------------------------
# projects knows nothing of investment (a lower layer, it may not import it): the investment
# project adds the link back to the key project's registered page from here.
@admin.display(description="来源招商项目")
def source_investment_project(project):
    # found whoever looks; shown as a link only to those who may open it
    source = InvestmentProject.objects.filter(key_project=project).first() if project.pk else None
    return _link(source) if source is not None else "—"


_key_project_admin = admin.site._registry[Project]
assert isinstance(_key_project_admin, ProjectAdmin)
_key_project_fieldsets = _key_project_admin.get_fieldsets


def _key_project_fieldsets_with_source(request, obj=None):
    fieldsets = _key_project_fieldsets(request, obj)
    if obj is None or not InvestmentProject.objects.filter(key_project=obj).exists():
        return fieldsets
    return [*fieldsets, ("招商来源", {"fields": [source_investment_project]})]


_key_project_admin.get_fieldsets = _key_project_fieldsets_with_source
_key_project_admin.readonly_fields = [*_key_project_admin.readonly_fields, source_investment_project]
