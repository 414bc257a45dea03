"""Back office of the star rating (评星晋级): the rubric versions as Chinese tables, the campaigns
with their steps and 公示, each organization's assessment as its work page (the secretary's self
scores, the reviewer's scores, the committee's stars, the objections), and the named stars,
also on the organization's own page. Every write goes through ratings.services."""

import os

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils import timezone
from unfold.admin import TabularInline
from unfold.widgets import CHECKBOX_CLASSES, UnfoldAdminCheckboxSelectMultipleWidget

from dangjian.core import registry
from dangjian.core.admin_base import (
    ChildInline,
    ReadOnlyAdminMixin,
    ScopedAdmin,
    StepsAdminMixin,
    TimelineInline,
    admin_page,
    form_errors_from,
    formset_rows,
)
from dangjian.core.exports import export_response, wants_xlsx
from dangjian.core.files import file_response
from dangjian.core.forms import StyledForm, style_fields
from dangjian.core.indicators import FIRST_YEAR, LAST_YEAR
from dangjian.core.scope import in_scope, restrict
from dangjian.organizations.admin import PartyOrganizationAdmin
from dangjian.organizations.models import OrgKind, PartyOrganization, UnitNature

from . import docs, scoring, selectors, services
from .figures import MEASURE_CHOICES, measure_label
from .models import (
    STAR_CHOICES,
    Assessment,
    AssessmentEvent,
    AssessmentFile,
    AssessmentStatus,
    Campaign,
    CampaignEvent,
    CampaignStep,
    CheckMethod,
    FileStage,
    Objection,
    RatingSource,
    Rubric,
    RubricItem,
    StarRating,
    Threshold,
    VetoItem,
    methods_label,
    stars_label,
)

A, C = AssessmentStatus, CampaignStep


def _boxes(label, choices, **kwargs):
    return forms.MultipleChoiceField(
        label=label,
        choices=choices,
        required=False,
        widget=UnfoldAdminCheckboxSelectMultipleWidget,
        **kwargs,
    )


def change_text(change) -> str:
    """Stars up or down against the last named result: ↑1, ↓2, 持平, —."""
    if change is None:
        return "—"
    if change > 0:
        return f"↑{change}"
    if change < 0:
        return f"↓{-change}"
    return "持平"


def previous_text(assessment) -> str:
    if not assessment.previous_stars:
        return "—"
    return f"{assessment.previous_year}年 {stars_label(assessment.previous_stars)}"


class StepPermissionsMixin(StepsAdminMixin):
    """Steps that another permission than changing the record allows (the leader decides the
    stars without changing the assessment): `step_permissions` names it per step."""

    step_permissions: dict = {}

    def step_view(self, request, pk, step):
        request.ratings_step = step  # read by has_change_permission while the step is taken
        return super().step_view(request, pk, step)

    def has_change_permission(self, request, obj=None):
        needed = self.step_permissions.get(getattr(request, "ratings_step", None))
        if needed and obj is not None:
            return request.user.has_perm(needed) and in_scope(request.user, obj, "view")
        return super().has_change_permission(request, obj)


def _day(label="日期"):
    return forms.DateField(label=label, initial=timezone.localdate)


class DayForm(StyledForm):
    on = _day()


class NameForm(StyledForm):
    on = _day("命名日期")
    document_number = forms.CharField(label="命名文号", max_length=100, required=False)


class ReasonForm(StyledForm):
    on = _day()
    reason = forms.CharField(
        label="退回原因", max_length=300, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class DecideForm(StyledForm):
    on = _day("评定日期")
    stars = forms.TypedChoiceField(label="评定星级", choices=STAR_CHOICES, coerce=int)
    reason = forms.CharField(
        label="调整或跨级理由",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="评定星级与按标准计算的不同、或与上次相比跨越一级以上时必须填写",
    )


class ObjectionForm(StyledForm):
    received_on = _day("收到日期")
    raised_by = forms.CharField(label="异议人", max_length=100, required=False, help_text="可匿名")
    content = forms.CharField(label="异议内容", widget=forms.Textarea(attrs={"rows": 4}))


class AnswerForm(StyledForm):
    answered_on = _day("答复日期")
    answer = forms.CharField(label="答复", widget=forms.Textarea(attrs={"rows": 4}))
    upheld = forms.TypedChoiceField(
        label="异议是否成立",
        choices=[("", "请选择"), ("1", "成立"), ("0", "不成立")],
        coerce=lambda v: v == "1",
        empty_value=None,
        required=False,
    )
    stars = forms.TypedChoiceField(
        label="改为星级",
        choices=[("", "不改变"), *STAR_CHOICES],
        coerce=int,
        empty_value=None,
        required=False,
    )
    reason = forms.CharField(label="改变星级的理由", required=False, widget=forms.Textarea(attrs={"rows": 2}))


class FileForm(StyledForm):
    file = forms.FileField(label="文件")
    name = forms.CharField(label="名称", max_length=200, required=False)
    item = forms.ModelChoiceField(label="对应评分项", queryset=None, required=False, empty_label="整体材料")

    def __init__(self, *args, assessment, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["item"].queryset = assessment.items.select_related("item")
        self.fields["item"].label_from_instance = lambda entry: str(entry.item)


# -- 评星标准 --------------------------------------------------------------------------------------
class RubricItemForm(forms.ModelForm):
    methods = _boxes("核查方式", CheckMethod.choices)
    measures = _boxes("带入的系统数据", MEASURE_CHOICES)

    class Meta:
        model = RubricItem
        fields = services.ITEM_FIELDS
        widgets = {
            "name": forms.Textarea(attrs={"rows": 2}),
            "evidence": forms.Textarea(attrs={"rows": 2}),
            "deductions": forms.Textarea(attrs={"rows": 2}),
        }


class RubricRowsInline(ChildInline):
    """A rubric's rows; read-only once a campaign uses the version."""

    def _editable(self, request, obj):
        return obj is None or obj.pk is None or not obj.in_use

    def has_add_permission(self, request, obj=None):
        return super().has_add_permission(request, obj) and self._editable(request, obj)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and self._editable(request, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and self._editable(request, obj)


class RubricItemInline(RubricRowsInline):
    model = RubricItem
    form = RubricItemForm
    fields = list(services.ITEM_FIELDS)
    shown = ["position", "area", "name", "points", "evidence", "methods_text", "deductions", "measures_text"]

    def get_fields(self, request, obj=None):
        return self.fields if self.has_change_permission(request, obj) else self.shown

    def get_readonly_fields(self, request, obj=None):
        return [] if self.has_change_permission(request, obj) else self.shown

    @admin.display(description="核查方式")
    def methods_text(self, item):
        return methods_label(item.methods) or "—"

    @admin.display(description="带入的系统数据")
    def measures_text(self, item):
        return "、".join(str(measure_label(m)) for m in item.measures or ()) or "—"


class ThresholdInline(RubricRowsInline):
    model = Threshold
    fields = list(services.THRESHOLD_FIELDS)


class VetoItemInline(RubricRowsInline):
    model = VetoItem
    fields = list(services.VETO_FIELDS)


@admin.register(Rubric)
class RubricAdmin(ScopedAdmin):
    inlines = [RubricItemInline, ThresholdInline, VetoItemInline]
    list_display = ["name", "version", "item_count", "total", "used_by", "based_on"]
    search_fields = ["name"]
    fields = ["name", "version", "based_on", "description", "summary"]
    readonly_fields = ["version", "based_on", "summary"]
    change_form_template = "admin/ratings/rubric/change_form.html"

    @admin.display(description="评分细则")
    def item_count(self, obj):
        return obj.items.count()

    @admin.display(description="总分")
    def total(self, obj):
        return f"{obj.total_points():g}"

    @admin.display(description="使用情况")
    def used_by(self, obj):
        return "、".join(c.name for c in obj.campaigns.all()) or "未使用"

    @admin.display(description="分项与总分")
    def summary(self, obj):
        from django.template.loader import render_to_string

        if obj is None or obj.pk is None:
            return "—"
        return render_to_string(
            "admin/ratings/rubric/summary.html",
            {"areas": obj.areas(), "total": obj.total_points(), "problems": scoring.rubric_problems(obj)},
        )

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and (obj is None or not obj.in_use)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and (obj is None or not obj.in_use)

    def save_model(self, request, obj, form, change):
        if not change:  # the new version first; its rows follow in save_children
            obj.pk = services.rubric_save(
                actor=request.user,
                name=form.cleaned_data["name"],
                description=form.cleaned_data.get("description") or "",
            ).pk
            obj.refresh_from_db()

    def save_children(self, request, form, formsets, change):
        """The rubric and all its rows at once, through rubric_save."""
        rows = {}
        for model, key, names in (
            (RubricItem, "items", services.ITEM_FIELDS),
            (Threshold, "thresholds", services.THRESHOLD_FIELDS),
            (VetoItem, "vetoes", services.VETO_FIELDS),
        ):
            if model in formsets:
                rows[key] = [
                    {"id": row["id"].pk if row.get("id") else None, **{n: row.get(n) for n in names}}
                    for row in formset_rows(formsets[model])
                ]
                for row in rows[key]:
                    for name in ("evidence", "deductions"):
                        if name in row and row[name] is None:
                            row[name] = ""
        services.rubric_save(
            actor=request.user,
            rubric=Rubric.objects.get(pk=form.instance.pk),
            name=form.cleaned_data["name"],
            description=form.cleaned_data.get("description") or "",
            **rows,
        )

    def delete_model(self, request, obj):
        services.rubric_delete(actor=request.user, rubric=obj)

    def get_urls(self):
        return [
            path("<int:pk>/copy/", self.admin_site.admin_view(self.copy_view), name="ratings_rubric_copy"),
            *super().get_urls(),
        ]

    def copy_view(self, request, pk):
        """复制为新版本 (a POST), then the new version's page."""
        if request.method != "POST" or not self.has_add_permission(request):
            raise PermissionDenied
        rubric = get_object_or_404(self.get_queryset(request), pk=pk)
        copy = services.rubric_copy(actor=request.user, rubric=rubric)
        self.message_user(request, f"已复制为“{copy}”，可修改后用于新的评星活动", messages.SUCCESS)
        return HttpResponseRedirect(reverse("admin:ratings_rubric_change", args=[copy.pk]))


# -- 评星活动 --------------------------------------------------------------------------------------
class CampaignForm(forms.ModelForm):
    kinds = _boxes("参评组织类别", OrgKind.choices, help_text="不选为全部类别")
    natures = _boxes("参评单位性质", UnitNature.choices, help_text="不选为全部单位性质")

    class Meta:
        model = Campaign
        fields = services.CAMPAIGN_FIELDS


class CampaignEventInline(TimelineInline):
    model = CampaignEvent
    verbose_name_plural = "活动进程"


CAMPAIGN_STEP_FORMS = {name: NameForm if name == "name" else DayForm for name in services.CAMPAIGN_STEPS}
# which steps are offered at which step of the campaign
CAMPAIGN_STEPS_AT = {
    C.PREPARING: ["open_self_assessment"],
    C.SELF_ASSESSMENT: ["open_review"],
    C.REVIEW: ["open_decision"],
    C.DECISION: ["decide_all", "open_notice"],
    C.NOTICE: ["name"],
    C.NAMED: [],
}


def documents_offered(campaign) -> dict:
    """Which Word documents the campaign has: the 公示 notice from its 公示 on, the 命名文件 once named."""
    return {
        "notice_doc": campaign.step in (C.NOTICE, C.NAMED),
        "naming_doc": campaign.step == C.NAMED,
    }


@admin.register(Campaign)
class CampaignAdmin(StepPermissionsMixin, ScopedAdmin):
    form = CampaignForm
    steps = services.CAMPAIGN_STEPS
    step_forms = CAMPAIGN_STEP_FORMS
    step_permissions = {"decide_all": "ratings.decide_assessment"}
    step_record = "campaign"
    step_url_name = "ratings_campaign_step"
    inlines = [CampaignEventInline]
    list_display = ["year", "name", "rubric", "step", "status_counts"]
    list_filter = ["year", "step"]
    search_fields = ["name"]
    list_select_related = ["rubric"]
    change_form_template = "admin/ratings/campaign/change_form.html"
    fieldsets = [
        ("活动", {"fields": ["name", "year", "rubric", "step_text", "kinds", "natures"]}),
        (
            "日期",
            {
                "fields": [
                    "period_start",
                    "period_end",
                    "self_start",
                    "self_end",
                    "review_end",
                    "notice_text",
                    "named_text",
                    "document_number",
                ]
            },
        ),
        ("备注", {"fields": ["note"]}),
    ]
    readonly_fields = ["step_text", "notice_text", "named_text"]

    @admin.display(description="当前环节")
    def step_text(self, obj):
        return obj.get_step_display() if obj and obj.pk else "筹备"

    @admin.display(description="公示期")
    def notice_text(self, obj):
        if not obj or not obj.notice_start:
            return "—"
        return f"{obj.notice_start:%Y-%m-%d} 至 {obj.notice_end:%Y-%m-%d}"

    @admin.display(description="命名日期")
    def named_text(self, obj):
        return f"{obj.named_on:%Y-%m-%d}" if obj and obj.named_on else "—"

    @admin.display(description="参评组织（按状态）")
    def status_counts(self, obj):
        counts = {}
        for status in obj.assessments.values_list("status", flat=True):
            counts[status] = counts.get(status, 0) + 1
        return "，".join(f"{A(s).label} {n}" for s, n in counts.items()) or "—"

    def get_fieldsets(self, request, obj=None):
        fieldsets = self.fieldsets
        if obj is not None and (obj.step != C.PREPARING or not self.has_change_permission(request, obj)):
            # a reader, or anyone once the campaign is under way (who takes part is settled),
            # sees the kinds and natures by their Chinese names (not as a table of codes)
            swap = {"kinds": "kinds_label", "natures": "natures_label"}
            fieldsets = [
                (
                    title,
                    {**opts, "fields": [swap.get(f, f) if isinstance(f, str) else f for f in opts["fields"]]},
                )
                for title, opts in fieldsets
            ]
        return fieldsets

    def get_readonly_fields(self, request, obj=None):
        fields = [*super().get_readonly_fields(request, obj), "kinds_label", "natures_label"]
        if obj is not None and obj.step != C.PREPARING:
            # the year, rubric and who takes part of a campaign under way stay (campaign_save)
            fields += ["year", "rubric"]
        return fields

    @admin.display(description="参评组织类别")
    def kinds_label(self, obj):
        return obj.kinds_label

    @admin.display(description="参评单位性质")
    def natures_label(self, obj):
        return obj.natures_label

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if db_field.name == "rubric":
            field.label_from_instance = str
        return field

    def save_model(self, request, obj, form, change):
        data = {k: form.cleaned_data[k] for k in services.CAMPAIGN_FIELDS if k in form.cleaned_data}
        campaign = Campaign.objects.get(pk=obj.pk) if change else None  # as stored, not as edited
        obj.pk = services.campaign_save(actor=request.user, campaign=campaign, **data).pk

    def has_delete_permission(self, request, obj=None):
        started = obj is not None and (obj.step != C.PREPARING or obj.assessments.exists())
        return super().has_delete_permission(request, obj) and not started  # campaign_delete

    def delete_model(self, request, obj):
        services.campaign_delete(actor=request.user, campaign=obj)

    def prepare_step_form(self, request, step, obj, form):
        if step == "name":
            form.fields["document_number"].initial = obj.document_number

    def offered_steps(self, request, obj):
        """The steps of the campaign's present step that this user may take: (url, title)."""
        offered = []
        for name in CAMPAIGN_STEPS_AT[obj.step]:
            needed = self.step_permissions.get(name, "ratings.change_campaign")
            if request.user.has_perm(needed):
                url = reverse("admin:ratings_campaign_step", args=[obj.pk, name])
                offered.append((url, self.steps[name].title))
        return offered

    def change_view(self, request, object_id, form_url="", extra_context=None):
        obj = self.get_object(request, unquote(object_id))
        context = dict(extra_context or {})
        if obj is not None:
            context.update(
                steps_offered=self.offered_steps(request, obj),
                assessments=[
                    (a, change_text(a.change), previous_text(a))
                    for a in selectors.assessment_list(user=request.user, campaign=obj)
                ],
                **documents_offered(obj),
            )
        return super().change_view(request, object_id, form_url, context)

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("<int:pk>/notice/", view(self.notice_view), name="ratings_campaign_notice"),
            path("<int:pk>/notice.docx", view(self.notice_document_view), name="ratings_notice_document"),
            path("<int:pk>/naming.docx", view(self.naming_document_view), name="ratings_naming_document"),
            *super().get_urls(),
        ]

    def _viewable(self, request, pk):
        if not self.has_view_permission(request):
            raise PermissionDenied
        return get_object_or_404(self.get_queryset(request), pk=pk)

    def notice_view(self, request, pk):
        """公示: the stars proposed for each organization of the campaign."""
        campaign = self._viewable(request, pk)
        rows = [
            {
                "assessment": a,
                "change": change_text(a.change),
                "previous": previous_text(a),
                "objections": a.objections.count(),
            }
            for a in selectors.assessment_list(user=request.user, campaign=campaign).filter(
                stars__isnull=False
            )
        ]
        return admin_page(
            self,
            request,
            "admin/ratings/campaign/notice.html",
            "公示名单",
            subtitle=campaign.name,
            campaign=campaign,
            rows=rows,
            **documents_offered(campaign),
            back_url=reverse("admin:ratings_campaign_change", args=[campaign.pk]),
        )

    def _document(self, request, pk, make, filename):
        campaign = self._viewable(request, pk)
        try:
            content = make(campaign)
        except ValidationError as exc:
            self.message_user(request, "；".join(exc.messages), messages.ERROR)
            return HttpResponseRedirect(reverse("admin:ratings_campaign_change", args=[campaign.pk]))
        return file_response(content, filename(campaign))

    def notice_document_view(self, request, pk):
        return self._document(request, pk, docs.notice_document, docs.notice_filename)

    def naming_document_view(self, request, pk):
        return self._document(request, pk, docs.naming_document, docs.naming_filename)


# -- 评星申报 --------------------------------------------------------------------------------------
class AssessmentEventInline(TimelineInline):
    model = AssessmentEvent
    verbose_name_plural = "申报进程"


ASSESSMENT_STEP_FORMS = {"submit": DayForm, "refresh": DayForm, "return": ReasonForm, "decide": DecideForm}
SELF, REVIEW = "self", "review"


class CompactBoxes(forms.CheckboxSelectMultiple):
    """Check boxes one under another, narrow enough for a table cell."""

    def __init__(self, attrs=None, choices=()):
        classes = ["inline-block" if c == "block" else c for c in CHECKBOX_CLASSES]
        super().__init__({"class": " ".join(classes), **(attrs or {})}, choices)


class WorkForm(forms.Form):
    """The work page's inputs: the secretary's (self scores and notes, brand, summary) or the
    reviewer's (scores, how each item was checked, notes, veto findings, brand, opinion)."""

    def __init__(self, *args, assessment, mode, **kwargs):
        super().__init__(*args, **kwargs)
        self.assessment, self.mode = assessment, mode
        self.entries = list(assessment.items.select_related("item"))
        self.findings = list(assessment.vetoes.select_related("veto"))
        text = forms.Textarea(attrs={"rows": 2})
        self.fields["brand"] = forms.CharField(
            label="创新或品牌名称", max_length=200, required=False, initial=assessment.brand
        )
        if mode == SELF:
            self.fields["self_summary"] = forms.CharField(
                label="自评说明",
                required=False,
                widget=forms.Textarea(attrs={"rows": 4}),
                initial=assessment.self_summary,
            )
            for e in self.entries:
                self.fields[f"self_score-{e.pk}"] = forms.DecimalField(
                    label="自评分", required=False, decimal_places=1, initial=e.self_score
                )
                self.fields[f"self_note-{e.pk}"] = forms.CharField(
                    label="自评说明", required=False, widget=text, initial=e.self_note
                )
        if mode == REVIEW:
            self.fields["review_note"] = forms.CharField(
                label="评审意见",
                required=False,
                widget=forms.Textarea(attrs={"rows": 4}),
                initial=assessment.review_note,
            )
            for e in self.entries:
                self.fields[f"review_score-{e.pk}"] = forms.DecimalField(
                    label="评审分", required=False, decimal_places=1, initial=e.review_score
                )
                self.fields[f"review_methods-{e.pk}"] = forms.MultipleChoiceField(
                    label="核查方式",
                    choices=CheckMethod.choices,
                    required=False,
                    initial=e.review_methods,
                    widget=CompactBoxes,
                )
                self.fields[f"review_note-{e.pk}"] = forms.CharField(
                    label="评审意见", required=False, widget=text, initial=e.review_note
                )
            for f in self.findings:
                self.fields[f"found-{f.pk}"] = forms.BooleanField(
                    label="存在", required=False, initial=f.found
                )
                self.fields[f"finding_note-{f.pk}"] = forms.CharField(
                    label="核实情况", max_length=300, required=False, initial=f.note
                )
        style_fields(f for f in self.fields.values() if not isinstance(f.widget, CompactBoxes))

    def bound(self, name):
        return self[name] if name in self.fields else None

    def rows(self, figures):
        """The items by area, each with its figures and its inputs."""
        by_measure = {f.measure: f for f in figures}
        areas: dict[str, dict] = {}
        for e in self.entries:
            area = areas.setdefault(e.item.area, {"name": e.item.area, "points": 0, "entries": []})
            area["points"] += e.item.points
            area["entries"].append(
                {
                    "entry": e,
                    "figures": [by_measure[m] for m in e.item.measures or () if m in by_measure],
                    "self_score": self.bound(f"self_score-{e.pk}"),
                    "self_note": self.bound(f"self_note-{e.pk}"),
                    "review_score": self.bound(f"review_score-{e.pk}"),
                    "review_methods": self.bound(f"review_methods-{e.pk}"),
                    "review_note": self.bound(f"review_note-{e.pk}"),
                    "review_methods_text": methods_label(e.review_methods) or "—",
                }
            )
        return list(areas.values())

    def vetoes(self):
        return [
            {"finding": f, "found": self.bound(f"found-{f.pk}"), "note": self.bound(f"finding_note-{f.pk}")}
            for f in self.findings
        ]

    def given(self, name):
        """The cleaned value of `name` if the page sent it, else None (left as it is)."""
        return self.cleaned_data[name] if name in self.data else None

    def row(self, entry, names):
        """An item's values that the page sent (a score or a note not sent stays as it is)."""
        return {
            "item": entry.pk,
            **{
                name: self.cleaned_data[f"{name}-{entry.pk}"]
                for name in names
                if f"{name}-{entry.pk}" in self.data
            },
        }

    def save(self, actor):
        data, a = self.cleaned_data, self.assessment
        if self.mode == SELF:
            services.assessment_save(
                actor=actor,
                assessment=a,
                brand=self.given("brand"),
                self_summary=self.given("self_summary"),
                items=[self.row(e, ("self_score", "self_note")) for e in self.entries],
            )
        else:
            services.assessment_review(
                actor=actor,
                assessment=a,
                brand=self.given("brand"),
                review_note=self.given("review_note"),
                items=[
                    # check boxes left empty are not sent: the methods are always the page's
                    {
                        **self.row(e, ("review_score", "review_note")),
                        "review_methods": data[f"review_methods-{e.pk}"],
                    }
                    for e in self.entries
                ],
                vetoes=[
                    {"finding": f.pk, "found": data[f"found-{f.pk}"], "note": data[f"finding_note-{f.pk}"]}
                    for f in self.findings
                ],
            )


@admin.register(Assessment)
class AssessmentAdmin(StepPermissionsMixin, ScopedAdmin):
    steps = services.ASSESSMENT_STEPS
    step_forms = ASSESSMENT_STEP_FORMS
    step_permissions = {"decide": "ratings.decide_assessment"}
    step_record = "assessment"
    step_url_name = "ratings_assessment_step"
    inlines = [AssessmentEventInline]
    list_display = [
        "organization",
        "campaign",
        "status",
        "self_score",
        "review_score",
        "computed_stars",
        "stars",
        "previous",
    ]
    list_filter = ["campaign", "status"]
    search_fields = ["organization__name"]
    list_select_related = ["organization", "campaign"]
    change_form_template = "admin/ratings/assessment/change_form.html"
    fieldsets = [
        ("申报", {"fields": ["campaign", "organization", "status", "previous", "returned_reason"]}),
        (
            "结果",
            {
                "fields": [
                    "self_score",
                    "submitted_on",
                    "review_score",
                    "veto",
                    "computed_stars",
                    "stars",
                    "decision_reason",
                ]
            },
        ),
    ]
    readonly_fields = [
        "campaign",
        "organization",
        "status",
        "previous",
        "returned_reason",
        "self_score",
        "submitted_on",
        "review_score",
        "veto",
        "computed_stars",
        "stars",
        "decision_reason",
    ]

    @admin.display(description="上次星级")
    def previous(self, obj):
        return previous_text(obj)

    def has_add_permission(self, request):
        return False  # each taking part gets its assessment when the self-assessment opens

    def has_delete_permission(self, request, obj=None):
        return False

    def prepare_step_form(self, request, step, obj, form):
        if step == "decide":
            form.fields["stars"].initial = obj.stars or obj.computed_stars

    def step_subject(self, obj):
        return obj.organization.name

    # -- who may do what on the work page ------------------------------------------------------
    def work_mode(self, request, obj):
        """SELF while the secretary may file, REVIEW for the reviewer in the review step, else None."""
        if not self.has_change_permission(request, obj):
            return None
        reviewing = obj.campaign.step == C.REVIEW and obj.status in (A.PENDING, A.SUBMITTED, A.REVIEWED)
        if reviewing and request.user.has_perm("ratings.review_assessment"):
            return REVIEW
        # the secretary's, and the zone's who may fill it in for them (assessment_save allows it)
        return SELF if services.may_file(obj) else None

    def actions_offered(self, request, obj, mode):
        """The buttons of the page: (url, title), only those the user may take now."""
        user, campaign = request.user, obj.campaign

        def step(name):
            return reverse("admin:ratings_assessment_step", args=[obj.pk, name]), self.steps[name].title

        offered = []
        if mode == SELF:
            offered += [step("submit"), step("refresh")]
        reviewer = user.has_perm("ratings.review_assessment") and self.has_change_permission(request, obj)
        if (
            reviewer
            and campaign.step in (C.SELF_ASSESSMENT, C.REVIEW)
            and obj.status in (A.SUBMITTED, A.REVIEWED)
        ):
            offered.append(step("return"))
        if (
            user.has_perm("ratings.decide_assessment")
            and campaign.step == C.DECISION
            and obj.status in (A.REVIEWED, A.DECIDED)
        ):
            offered.append(step("decide"))
        if reviewer and campaign.step == C.NOTICE:
            offered.append((reverse("admin:ratings_objection_add", args=[obj.pk]), "登记异议"))
        return offered

    def may_answer(self, request, obj):
        """答复异议: the reviewer, or who decides the stars (an objection upheld may change them)."""
        user = request.user
        reviewer = user.has_perm("ratings.review_assessment") and self.has_change_permission(request, obj)
        return obj.campaign.step == C.NOTICE and (reviewer or user.has_perm("ratings.decide_assessment"))

    def change_view(self, request, object_id, form_url="", extra_context=None):
        obj = self.get_object(request, unquote(object_id))
        if obj is None:
            return super().change_view(request, object_id, form_url, extra_context)
        mode = self.work_mode(request, obj)
        work = WorkForm(request.POST if request.method == "POST" else None, assessment=obj, mode=mode)
        if request.method == "POST":
            if mode is None:
                raise PermissionDenied
            if work.is_valid():
                try:
                    work.save(request.user)
                except ValidationError as exc:
                    form_errors_from(exc, work)
                else:
                    done = "自评已保存" if mode == SELF else "评审已保存"
                    self.message_user(request, f"{obj.organization.name}：{done}", messages.SUCCESS)
                    if "_save" in request.POST:  # the admin's 保存: back to the list
                        return self.response_post_save_change(request, obj)
                    return HttpResponseRedirect(request.path)
            # the page again, with what was entered and why it was not saved (nothing was): the
            # admin's own form holds no inputs here (every field read-only), so the change view
            # draws the page as for a GET, with this bound work form
            request.method = "GET"
        figures = list(obj.figures.all())
        context = {
            **(extra_context or {}),
            "mode": mode,
            "work": work,
            "areas": work.rows(figures),
            "vetoes": work.vetoes(),
            "figures": figures,
            "files": [
                (f, f.name or os.path.basename(f.file.name))
                for f in obj.files.select_related("item__item", "uploaded_by")
            ],
            "file_form": FileForm(assessment=obj) if mode else None,
            "file_stage": self.file_stage(mode),
            "objections": list(obj.objections.all()),
            "may_answer": self.may_answer(request, obj),
            "actions_offered": self.actions_offered(request, obj, mode),
        }
        return super().change_view(request, object_id, form_url, context)

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("<int:pk>/files/", view(self.file_view), name="ratings_assessment_file"),
            path(
                "<int:pk>/files/<int:record>/delete/",
                view(self.file_delete_view),
                name="ratings_assessment_file_delete",
            ),
            path("<int:pk>/objection/", view(self.objection_view), name="ratings_objection_add"),
            path(
                "<int:pk>/objection/<int:objection>/answer/",
                view(self.answer_view),
                name="ratings_objection_answer",
            ),
            *super().get_urls(),
        ]

    def _changeable(self, request, pk):
        obj = get_object_or_404(self.get_queryset(request), pk=pk)
        if not self.has_change_permission(request, obj):
            raise PermissionDenied
        return obj

    def _back(self, obj):
        return reverse("admin:ratings_assessment_change", args=[obj.pk])

    def file_view(self, request, pk):
        """An evidence file: the secretary's while filing, the reviewer's in review."""
        obj = self._changeable(request, pk)
        mode = self.work_mode(request, obj)
        if request.method != "POST" or mode is None:
            raise PermissionDenied
        form = FileForm(request.POST, request.FILES, assessment=obj)
        if form.is_valid():
            try:
                services.file_add(
                    actor=request.user,
                    assessment=obj,
                    file=form.cleaned_data["file"],
                    name=form.cleaned_data["name"],
                    item=form.cleaned_data["item"],
                    stage=self.file_stage(mode),
                )
            except ValidationError as exc:
                self.message_user(request, "；".join(exc.messages), messages.ERROR)
            else:
                self.message_user(request, "材料已上传", messages.SUCCESS)
        else:
            errors = [
                f"{form.fields[k].label}：{'；'.join(v)}" for k, v in form.errors.items() if k in form.fields
            ]
            self.message_user(request, "；".join(errors) or "上传失败", messages.ERROR)
        return HttpResponseRedirect(self._back(obj))

    def file_delete_view(self, request, pk, record):
        """Remove a file of the present stage (the secretary's while filing, the reviewer's in review)."""
        obj = self._changeable(request, pk)
        mode = self.work_mode(request, obj)
        record = get_object_or_404(AssessmentFile, pk=record, assessment=obj)
        if request.method != "POST" or self.file_stage(mode) != record.stage:
            raise PermissionDenied
        try:
            services.file_delete(actor=request.user, record=record)
        except ValidationError as exc:
            self.message_user(request, "；".join(exc.messages), messages.ERROR)
        else:
            self.message_user(request, f"已删除材料“{record}”", messages.SUCCESS)
        return HttpResponseRedirect(self._back(obj))

    @staticmethod
    def file_stage(mode):
        """The files a work mode adds and removes."""
        return {SELF: FileStage.SELF, REVIEW: FileStage.REVIEW}.get(mode)

    def objection_view(self, request, pk):
        """登记异议 received during 公示."""
        obj = self._changeable(request, pk)
        if not request.user.has_perm("ratings.review_assessment"):
            raise PermissionDenied
        form = ObjectionForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                services.objection_add(actor=request.user, assessment=obj, **form.cleaned_data)
            except ValidationError as exc:
                form_errors_from(exc, form)
            else:
                self.message_user(request, f"{obj.organization.name}：异议已登记", messages.SUCCESS)
                return HttpResponseRedirect(self._back(obj))
        return admin_page(
            self,
            request,
            "admin/dangjian_action.html",
            "登记异议",
            subtitle=obj.organization.name,
            form=form,
            back_url=self._back(obj),
        )

    def answer_view(self, request, pk, objection):
        """答复异议; with the right to decide, an objection upheld may change the stars."""
        obj = get_object_or_404(self.get_queryset(request), pk=pk)
        if not self.may_answer(request, obj):
            raise PermissionDenied
        record = get_object_or_404(Objection, pk=objection, assessment=obj)
        form = AnswerForm(request.POST or None)
        if not request.user.has_perm("ratings.decide_assessment"):
            del form.fields["stars"], form.fields["reason"]
        if request.method == "POST" and form.is_valid():
            try:
                services.objection_answer(actor=request.user, objection=record, **form.cleaned_data)
            except ValidationError as exc:
                form_errors_from(exc, form)
            else:
                self.message_user(request, f"{obj.organization.name}：异议已答复", messages.SUCCESS)
                return HttpResponseRedirect(self._back(obj))
        return admin_page(
            self,
            request,
            "admin/dangjian_action.html",
            "答复异议",
            subtitle=f"{obj.organization.name} · {record.content[:30]}",
            form=form,
            back_url=self._back(obj),
        )


# -- 评星结果 --------------------------------------------------------------------------------------
@admin.register(StarRating)
class StarRatingAdmin(ScopedAdmin):
    """The named stars: those of a campaign as named; a past year's result (台账导入) is added
    and corrected here or by the 评星结果 ledger, both through rating_import."""

    list_display = ["year", "organization", "stars", "score", "rubric_label", "source", "named_on"]
    list_filter = ["year", "stars", "source"]
    search_fields = ["organization__name"]
    list_select_related = ["organization"]
    fields = ["organization", "year", "stars", "score", "rubric_label", "source", "campaign", "named_on"]
    readonly_fields = ["rubric_label", "source", "campaign", "named_on"]

    def get_readonly_fields(self, request, obj=None):
        fields = super().get_readonly_fields(request, obj)
        return [*fields, "organization", "year"] if obj is not None else fields

    def get_fields(self, request, obj=None):
        return ["organization", "year", "stars", "score"] if obj is None else self.fields

    def has_change_permission(self, request, obj=None):
        if obj is not None and obj.source == RatingSource.CAMPAIGN:
            return False  # as named by its campaign
        return super().has_change_permission(request, obj)

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        existing = StarRating.objects.get(pk=obj.pk) if change else None  # as stored
        obj.pk = services.rating_import(
            actor=request.user,
            existing=existing,
            organization=existing.organization if existing else data["organization"],
            year=existing.year if existing else data["year"],
            stars=data["stars"],
            score=data.get("score"),
        ).pk

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.source == RatingSource.CAMPAIGN:
            return False  # a named result stays (rating_delete)
        return super().has_delete_permission(request, obj)

    def delete_model(self, request, obj):
        services.rating_delete(actor=request.user, rating=obj)

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("statistics/", view(self.statistics_view), name="ratings_statistics"),
            *super().get_urls(),
        ]

    def statistics_view(self, request):
        """评星统计: the stars of a year in the user's scope or a part of it, and who moved."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        form = StatisticsForm(request.GET or {"year": timezone.localdate().year - 1}, user=request.user)
        stats = None
        if form.is_valid():
            stats = selectors.statistics(
                user=request.user, year=form.cleaned_data["year"], scope=form.cleaned_data["scope"]
            )
            if wants_xlsx(request):
                scope = stats.scope.name if stats.scope else "我的全部范围"
                return export_response(
                    request.user,
                    "评星统计",
                    ["分组", "党组织或星级", "数量或得分", "占比（%）或上次"],
                    statistics_rows(stats),
                    note=f"{stats.year}年 · {scope}",
                )
        return admin_page(
            self,
            request,
            "admin/ratings/starrating/statistics.html",
            "评星统计",
            form=form,
            stats=stats,
            moves=[("升星", stats.up, "up"), ("降星", stats.down, "down")] if stats else [],
            may_drill=request.user.has_perm("indicators.view_indicators"),
            query=request.GET.urlencode(),
        )


class StatisticsForm(StyledForm):
    year = forms.IntegerField(label="年度", min_value=FIRST_YEAR, max_value=LAST_YEAR)
    scope = forms.ModelChoiceField(label="范围", queryset=None, required=False, empty_label="我的全部范围")

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["scope"].queryset = restrict(
            user, PartyOrganization.objects.exclude(kind=OrgKind.PARTY_GROUP), "view"
        ).order_by("path")


def statistics_rows(stats):
    for _stars, label, count, share in stats.levels:
        yield ["星级分布", label, count, share]
    for _code, name, value, unit in stats.figures:
        yield ["指标", name, value, unit]
    for title, pairs in (("升星", stats.up), ("降星", stats.down)):
        for rating, previous in pairs:
            yield [
                title,
                rating.organization.name,
                rating.stars_label,
                f"{previous.year}年{previous.stars_label}",
            ]


class StarHistoryInline(ReadOnlyAdminMixin, TabularInline):
    """An organization's named stars, newest first, on its page."""

    model = StarRating
    fk_name = "organization"
    extra = 0
    verbose_name_plural = "评星结果（历年）"
    fields = ["year", "stars", "score", "rubric_label", "source"]
    readonly_fields = fields
    ordering = ["-year"]

    def has_view_permission(self, request, obj=None):
        # not on the page of an organization being added: it has no stars yet
        return obj is not None and super().has_view_permission(request, obj)

    def get_queryset(self, request):
        # not the inline's own, which asks for the view permission without the organization
        return restrict(request.user, StarRating.objects.all(), "view").order_by("-year")


# organizations knows nothing of the star rating (a lower layer, it may not import ratings): the
# rating adds the organization's named stars to the organization's registered page from here.
_organization_admin = admin.site._registry[PartyOrganization]
assert isinstance(_organization_admin, PartyOrganizationAdmin)
_organization_admin.inlines = [*_organization_admin.inlines, StarHistoryInline]


registry.nav_section("ratings", "评星晋级", order=45, module=__name__)
registry.nav_items(
    "ratings",
    {
        "title": "评星申报",
        "icon": "star",
        "url": "admin:ratings_assessment_changelist",
        "permissions": "ratings.view_assessment",
    },
    {
        "title": "评星活动",
        "icon": "military_tech",
        "url": "admin:ratings_campaign_changelist",
        "permissions": "ratings.view_campaign",
    },
    {
        "title": "评星结果",
        "icon": "workspace_premium",
        "url": "admin:ratings_starrating_changelist",
        "permissions": "ratings.view_starrating",
    },
    {
        "title": "评星统计",
        "icon": "bar_chart",
        "url": "admin:ratings_statistics",
        "permissions": "ratings.view_starrating",
    },
    {
        "title": "评星标准",
        "icon": "rule",
        "url": "admin:ratings_rubric_changelist",
        "permissions": "ratings.view_rubric",
    },
    module=__name__,
)
