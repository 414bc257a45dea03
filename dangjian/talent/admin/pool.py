"""Back office of the talent pool (人才库): the talents with their policy payments (人才政策兑现),
出库 as a step, the full numbers revealed and logged; the zone's talent policies; the experts.

Every write goes through talent.services; every list starts from the user's scope. The ID number
and the phone are stored encrypted and shown masked (list, page, export) unless revealed."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from unfold.widgets import UnfoldAdminTextInputWidget

from dangjian.core.admin_base import (
    ChildInline,
    ConfigAdmin,
    OnDayFilter,
    ScopedAdmin,
    StepsAdminMixin,
    admin_page,
    admin_viewer,
    number_text,
    save_rows,
)
from dangjian.core.forms import StyledForm
from dangjian.core.scope import restrict
from dangjian.core.services import Step, config_delete
from dangjian.core.validators import normalize_id_number, normalize_phone
from dangjian.enterprises.models import Enterprise

from .. import selectors, services
from ..models import Expert, PolicySupport, Review, Talent, TalentPolicy
from .common import has_submission, review_state, today

# the talent's own fields on its form: its exit is the step 出库
FORM_FIELDS = [f for f in services.TALENT_FIELDS if f not in ("exit_on", "exit_reason")]


def _masked(talent, name) -> str:
    value = getattr(talent, name)
    return Talent._meta.get_field(name).masked(value) if value else ""


class TalentForm(forms.ModelForm):
    """The ID number and the phone are never put back into the page: shown masked and kept when
    left empty."""

    id_number = forms.CharField(
        label="公民身份号码", max_length=30, required=False, widget=UnfoldAdminTextInputWidget
    )
    phone = forms.CharField(
        label="联系电话", max_length=30, required=False, widget=UnfoldAdminTextInputWidget
    )

    class Meta:
        model = Talent
        fields = FORM_FIELDS

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            for name in ("id_number", "phone"):
                if name in self.fields:
                    self.initial[name] = ""
                    current = _masked(self.instance, name) or "未填写"
                    self.fields[name].help_text = f"当前：{current}；留空表示不修改"
        elif "id_number" in self.fields:
            self.fields["id_number"].help_text = "没有身份证号的人才按姓名和工作单位识别"

    def _kept(self, name, normalize, label):
        value = self.cleaned_data.get(name, "").strip()
        if not value:
            return getattr(self.instance, name) if self.instance.pk else ""
        try:
            return normalize(value)
        except ValidationError as exc:
            raise ValidationError(f"{label}{exc.messages[0]}") from None

    def clean_id_number(self):
        return self._kept("id_number", normalize_id_number, "公民身份号码")

    def clean_phone(self):
        return self._kept("phone", normalize_phone, "联系电话")


class InPoolOnFilter(OnDayFilter):
    """在库于某日: the talents in the pool on a day (?in_pool_on=2025-12-31)."""

    title = "在库于某日"
    parameter_name = "in_pool_on"

    def on_day(self, queryset, day):
        return selectors.in_pool_on(queryset, day)


class ExitForm(StyledForm):
    on = forms.DateField(label="出库日期", initial=today, help_text="自该日起不在人才库")
    reason = forms.CharField(label="出库原因", max_length=200, required=False)


class SupportInline(ChildInline):
    """人才政策兑现: the payments to the talent, written through services.support_save and
    support_delete."""

    model = PolicySupport
    fields = ["policy", "paid_on", "amount", "evidence", "note"]
    verbose_name_plural = "人才政策兑现"
    ordering = ["-paid_on", "-id"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if db_field.name == "policy" and field is not None:
            field.queryset = TalentPolicy.objects.filter(is_active=True)
        return field


@admin.register(Talent)
class TalentAdmin(StepsAdminMixin, ScopedAdmin):
    form = TalentForm
    change_form_template = "admin/talent/change_form.html"
    list_display = [
        "name",
        "category",
        "source",
        "employer",
        "intake_on",
        "exit_on",
        "review",
        "id_masked",
        "phone_masked",
    ]
    list_filter = ["category", "source", "review", InPoolOnFilter]
    search_fields = ["name", "employer"]
    # the ID number, exact, found by its keyed hash
    hashed_search = {"id_number_hash": normalize_id_number}
    list_select_related = ["enterprise"]
    readonly_fields = ["id_masked", "phone_masked", "exit_on", "exit_reason", "support_total", review_state]
    steps = {"exit": Step("出库", services.talent_exit, (("on", "on"), "reason"))}
    step_forms = {"exit": ExitForm}
    step_record = "talent"
    step_url_name = "talent_talent_step"

    def get_fieldsets(self, request, obj=None):
        person = ["name", "id_number", "phone", "category", "source"]
        if obj is not None and not self.has_change_permission(request, obj):  # read-only: masked
            person[1:3] = ["id_masked", "phone_masked"]
        pool = ["intake_on", "note"]
        if obj is not None:
            pool[1:1] = ["exit_on", "exit_reason"]
        fieldsets = [
            ("基本信息", {"fields": person}),
            ("工作单位与专业", {"fields": ["enterprise", "employer", "education", "title", "field"]}),
            ("入库与出库", {"fields": pool}),
        ]
        if obj is not None:
            fieldsets.append(("人才政策兑现", {"fields": ["support_total"]}))
        if has_submission(obj):
            fieldsets.insert(0, ("企业提交", {"fields": [review_state]}))
        return fieldsets

    def get_inlines(self, request, obj):
        return [SupportInline] if obj is not None else []  # paid to a talent already recorded

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if db_field.name == "enterprise" and field is not None:
            field.queryset = restrict(request.user, Enterprise.objects.order_by("name"), "view")
        return field

    # -- columns and read-only values -----------------------------------------------------------
    @admin.display(description="公民身份号码")
    def id_masked(self, obj):
        return _masked(obj, "id_number") or "—"

    @admin.display(description="联系电话")
    def phone_masked(self, obj):
        return _masked(obj, "phone") or "—"

    @admin.display(description="兑现金额合计（元）")
    def support_total(self, obj):
        if obj is None or obj.pk is None:
            return "—"
        supports = restrict(admin_viewer(), PolicySupport, "view").filter(talent=obj)
        total = selectors.support_total(supports)
        return f"{number_text(total or 0, 2)}（{supports.count()} 笔）"

    # -- the steps and the reveal ---------------------------------------------------------------
    def offered_steps(self, request, obj) -> list[tuple[str, str]]:
        offered = []
        if request.user.has_perm("talent.reveal_personal_data") and (obj.id_number or obj.phone):
            offered.append((reverse("admin:talent_talent_reveal", args=[obj.pk]), "查看完整号码"))
        if not obj.exit_on and self.has_change_permission(request, obj):
            offered.append((reverse(f"admin:{self.step_url_name}", args=[obj.pk, "exit"]), "出库"))
        return offered

    def change_view(self, request, object_id, form_url="", extra_context=None):
        context = dict(extra_context or {})
        obj = self.get_object(request, object_id)
        if obj is not None:
            context["steps_offered"] = self.offered_steps(request, obj)
        return super().change_view(request, object_id, form_url, context)

    def get_urls(self):
        from .overview import overview_view

        view = self.admin_site.admin_view
        return [
            path("<int:pk>/reveal/", view(self.reveal_view), name="talent_talent_reveal"),
            path("overview/", view(overview_view), name="talent_overview"),
            *super().get_urls(),
        ]

    def reveal_view(self, request, pk):
        """查看完整号码: the full ID and phone numbers, for who has the permission, logged."""
        talent = get_object_or_404(self.get_queryset(request), pk=pk)
        context = {
            "subtitle": talent.name,
            "back_url": reverse("admin:talent_talent_change", args=[talent.pk]),
        }
        if request.method == "POST":
            values = services.talent_reveal(
                actor=request.user, talent=talent, purpose=request.POST.get("purpose", "")[:100]
            )
            context["revealed"] = [
                ("公民身份号码", values["id_number"], "revealed-id"),
                ("联系电话", values["phone"], "revealed-phone"),
            ]
        elif not request.user.has_perm("talent.reveal_personal_data"):
            services.talent_reveal(actor=request.user, talent=talent)  # refused: says why
        return admin_page(
            self,
            request,
            "admin/reveal.html",
            "查看完整身份证号和手机号码",
            revealed_names="公民身份号码和联系电话",
            **context,
        )

    def step_subject(self, obj):
        return obj.name

    # -- writes through the services ------------------------------------------------------------
    def save_model(self, request, obj, form, change):
        data = {k: form.cleaned_data[k] for k in FORM_FIELDS if k in form.cleaned_data}
        talent = services.talent_save(actor=request.user, instance=obj if change else None, **data)
        obj.pk = talent.pk
        if not change:
            obj._state.adding = False
            if talent.review != Review.CONFIRMED:
                messages.info(request, f"“{talent.name}”已提交，待园区确认后入库")

    def save_children(self, request, form, formsets, change):
        rows = formsets.get(PolicySupport)
        if rows is None:
            return
        talent = Talent.objects.get(pk=form.instance.pk)

        def save(stored, row):
            data = {name: row.get(name) for name in ("policy", "paid_on", "amount")}
            data.update(note=row.get("note") or "", evidence=row.get("evidence") or "")
            if stored is None:
                services.support_save(actor=request.user, talent=talent, **data)
            else:
                services.support_save(actor=request.user, instance=stored, **data)

        save_rows(
            rows, delete=lambda stored: services.support_delete(actor=request.user, support=stored), save=save
        )

    def delete_model(self, request, obj):
        services.talent_delete(actor=request.user, talent=obj)


# -- 人才政策 ----------------------------------------------------------------------------------------
@admin.register(TalentPolicy)
class TalentPolicyAdmin(ConfigAdmin):
    list_display = ["name", "is_active", "sort_order", "support_count"]
    list_editable = ["is_active", "sort_order"]
    search_fields = ["name"]
    fields = ["name", "description", "is_active", "sort_order"]

    @admin.display(description="兑现笔数")
    def support_count(self, obj):
        return obj.supports.count()

    def save_model(self, request, obj, form, change):
        services.policy_save(actor=request.user, instance=obj)

    def delete_model(self, request, obj):
        config_delete(actor=request.user, instance=obj)


# -- 院士专家 ----------------------------------------------------------------------------------------
@admin.register(Expert)
class ExpertAdmin(ScopedAdmin):
    list_display = ["name", "honour", "institution", "enterprise", "topic", "agreed_on", "agreed_until"]
    list_filter = [("enterprise", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["name", "institution", "topic", "enterprise__name"]
    list_select_related = ["enterprise"]
    fieldsets = [
        ("专家", {"fields": ["name", "honour", "institution"]}),
        ("合作", {"fields": ["enterprise", "topic", "agreed_on", "agreed_until", "note"]}),
    ]

    def save_model(self, request, obj, form, change):
        data = {k: form.cleaned_data[k] for k in services.EXPERT_FIELDS if k in form.cleaned_data}
        obj.pk = services.expert_save(actor=request.user, instance=obj if change else None, **data).pk

    def delete_model(self, request, obj):
        services.expert_delete(actor=request.user, expert=obj)
