"""Back office of the innovation platforms (创新平台): recognised and withdrawn (撤销认定, a step),
and the enterprises an incubating platform incubates (在孵企业), whose flag 孵化企业 follows.

Every write goes through talent.services; every list starts from the user's scope."""

from django import forms
from django.contrib import admin
from django.urls import reverse

from dangjian.core.admin_base import ChildInline, OnDayFilter, ScopedAdmin, StepsAdminMixin, save_rows
from dangjian.core.forms import StyledForm
from dangjian.core.scope import restrict
from dangjian.core.services import Step
from dangjian.enterprises.models import Enterprise

from .. import selectors, services
from ..models import Incubation, Platform
from .common import today

FORM_FIELDS = [
    f
    for f in services.PLATFORM_FIELDS
    if f not in ("recognised_month_only", "withdrawn_on", "withdrawn_reason")
]


class InForceOnFilter(OnDayFilter):
    """有效于某日: the platforms recognised by a day and not withdrawn by then (?in_force_on=…)."""

    title = "有效于某日"
    parameter_name = "in_force_on"

    def on_day(self, queryset, day):
        return selectors.platforms_on(queryset, day)


class WithdrawForm(StyledForm):
    on = forms.DateField(label="撤销日期", initial=today, help_text="自该日起不再计入")
    reason = forms.CharField(label="撤销原因", max_length=200)


class IncubationInline(ChildInline):
    """在孵企业: written through services.incubation_save and incubation_delete, which keep each
    enterprise's flag 孵化企业."""

    model = Incubation
    fk_name = "platform"
    fields = ["enterprise", "entered_on", "left_on", "note", "incubated_flag"]
    readonly_fields = ["incubated_flag"]
    verbose_name_plural = "在孵企业（登记后该企业即标为孵化企业）"

    @admin.display(description="企业标识")
    def incubated_flag(self, obj):
        if obj is None or obj.pk is None:
            return "—"
        return "孵化企业" if obj.enterprise.is_incubated else "—"

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if db_field.name == "enterprise" and field is not None:
            field.queryset = restrict(request.user, Enterprise.objects.order_by("name"), "view")
        return field


@admin.register(Platform)
class PlatformAdmin(StepsAdminMixin, ScopedAdmin):
    change_form_template = "admin/talent/change_form.html"
    list_display = ["name", "kind", "level", "host", "recognised_on", "withdrawn_on", "incubation_count"]
    list_filter = ["kind", "level", InForceOnFilter]
    search_fields = ["name", "host"]
    list_select_related = ["enterprise"]
    readonly_fields = ["withdrawn_on", "withdrawn_reason"]
    steps = {"withdraw": Step("撤销认定", services.platform_withdraw, (("on", "on"), "reason"))}
    step_forms = {"withdraw": WithdrawForm}
    step_record = "platform"
    step_url_name = "talent_platform_step"

    def get_fieldsets(self, request, obj=None):
        recognition = ["recognised_on"]
        if obj is not None:
            recognition += ["withdrawn_on", "withdrawn_reason"]
        return [
            ("平台", {"fields": ["name", "kind", "level"]}),
            (
                "依托单位",
                {"fields": ["enterprise", "host"], "description": "依托单位是园区企业时选择依托企业"},
            ),
            ("认定与撤销", {"fields": [*recognition, "note"]}),
        ]

    def get_inlines(self, request, obj):
        # only the platforms that incubate have enterprises in incubation
        return [IncubationInline] if obj is not None and obj.incubates else []

    def get_queryset(self, request):
        from django.db.models import Count

        return super().get_queryset(request).annotate(incubations_total=Count("incubations"))

    @admin.display(description="在孵企业数", ordering="incubations_total")
    def incubation_count(self, obj):
        return getattr(obj, "incubations_total", 0) if obj.incubates else "—"

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if db_field.name == "enterprise" and field is not None:
            field.queryset = restrict(request.user, Enterprise.objects.order_by("name"), "view")
        return field

    def offered_steps(self, request, obj) -> list[tuple[str, str]]:
        if obj.withdrawn_on or not self.has_change_permission(request, obj):
            return []
        return [(reverse(f"admin:{self.step_url_name}", args=[obj.pk, "withdraw"]), "撤销认定")]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        context = dict(extra_context or {})
        obj = self.get_object(request, object_id)
        if obj is not None:
            context["steps_offered"] = self.offered_steps(request, obj)
        return super().change_view(request, object_id, form_url, context)

    def step_subject(self, obj):
        return obj.name

    def save_model(self, request, obj, form, change):
        data = {k: form.cleaned_data[k] for k in FORM_FIELDS if k in form.cleaned_data}
        obj.pk = services.platform_save(actor=request.user, instance=obj if change else None, **data).pk
        obj._state.adding = False

    def save_children(self, request, form, formsets, change):
        rows = formsets.get(Incubation)
        if rows is None:
            return
        platform = Platform.objects.get(pk=form.instance.pk)

        def save(stored, row):
            data = {name: row.get(name) for name in ("enterprise", "entered_on", "left_on")}
            data["note"] = row.get("note") or ""
            if stored is None:
                services.incubation_save(actor=request.user, platform=platform, **data)
            else:
                services.incubation_save(actor=request.user, instance=stored, **data)

        save_rows(
            rows,
            delete=lambda stored: services.incubation_delete(actor=request.user, incubation=stored),
            save=save,
        )

    def delete_model(self, request, obj):
        services.platform_delete(actor=request.user, platform=obj)
