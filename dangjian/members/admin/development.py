"""Back office for 发展党员: the cases, each step as its own form (with the rule's Chinese error
when a step comes too early), date corrections with a reason, and the pipeline per organization."""

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.urls import path
from django.utils import timezone

from dangjian.core.admin_base import (
    ChildInline,
    ReadOnlyAdminMixin,
    ScopedAdmin,
    StepsAdminMixin,
    TimelineInline,
    admin_page,
)
from dangjian.core.exports import export_response, wants_xlsx
from dangjian.core.forms import StyledForm
from dangjian.core.scope import restrict
from dangjian.organizations.models import MEMBER_HOLDING_KINDS, PartyOrganization

from .. import services
from ..models import DateCorrection, DevelopmentCase, DevelopmentEvent, Member, MemberCategory
from ..selectors import development_pipeline


class ApplyForm(forms.ModelForm):
    takes_user = True
    id_number = forms.CharField(label="公民身份号码", max_length=30)

    class Meta:
        model = DevelopmentCase
        fields = ["organization", "name", "id_number", "applied_on"]

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = restrict(
            user, PartyOrganization.objects.filter(kind__in=MEMBER_HOLDING_KINDS), "view"
        ).order_by("path")


class EventInline(TimelineInline):
    model = DevelopmentEvent
    fields = ["on", "step", "actor_label", "note", "rule"]
    verbose_name_plural = "发展环节记录"


class CorrectionInline(ReadOnlyAdminMixin, ChildInline):
    model = DateCorrection
    fields = ["at", "field", "old_value", "new_value", "reason", "actor"]
    readonly_fields = fields
    verbose_name_plural = "日期更正记录"


def _date_field(label="日期"):
    return forms.DateField(label=label, initial=timezone.localdate)


class DateStepForm(StyledForm):
    on = _date_field()
    note = forms.CharField(label="说明", required=False, max_length=200)


class TrainingStepForm(StyledForm):
    completed_on = _date_field("结业日期")
    days = forms.DecimalField(label="培训天数", required=False, min_value=0, max_digits=5, decimal_places=1)
    hours = forms.DecimalField(label="培训学时", required=False, min_value=0, max_digits=6, decimal_places=1)


class AdmitStepForm(StyledForm):
    on = _date_field("支部大会日期")
    introducers = forms.ModelMultipleChoiceField(
        label="入党介绍人（两名正式党员）", queryset=Member.objects.none()
    )


class ExtendStepForm(StyledForm):
    on = _date_field("决定日期")
    months = forms.IntegerField(label="延长（月）", min_value=1, max_value=24)


class CancelStepForm(StyledForm):
    on = _date_field("取消日期")
    reason = forms.CharField(label="原因", max_length=200)


class CorrectForm(StyledForm):
    field = forms.ChoiceField(label="更正哪个日期")
    value = forms.DateField(label="正确的日期", required=False)
    reason = forms.CharField(label="更正原因", max_length=300)


STEP_FORMS = {
    "talk": DateStepForm,
    "activist": DateStepForm,
    "candidate": DateStepForm,
    "training": TrainingStepForm,
    "admit": AdmitStepForm,
    "approve": DateStepForm,
    "extend": ExtendStepForm,
    "regularize": DateStepForm,
    "cancel": CancelStepForm,
    "correct": CorrectForm,
}


PIPELINE_HEADERS = ["阶段", "姓名", "党组织", "下一步", "期限", "已逾期"]


@admin.register(DevelopmentCase)
class DevelopmentCaseAdmin(StepsAdminMixin, ScopedAdmin):
    steps = services.DEVELOPMENT_STEPS
    step_forms = STEP_FORMS
    step_record = "case"
    step_url_name = "members_developmentcase_step"
    inlines = [EventInline, CorrectionInline]
    list_display = [
        "name",
        "organization",
        "stage",
        "applied_on",
        "activist_on",
        "candidate_on",
        "admitted_on",
        "regularized_on",
    ]
    list_filter = ["stage"]
    search_fields = ["name", "organization__name"]
    list_select_related = ["organization"]
    change_form_template = "admin/members/developmentcase/change_form.html"
    change_list_template = "admin/members/developmentcase/change_list.html"
    readonly_fields = [
        "id_masked",
        "organization",
        "stage",
        *services.DATE_FIELDS,
        *services.STEP_FIELDS,
    ]

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is None:
            kwargs["form"] = ApplyForm
        return super().get_form(request, obj, change=change, **kwargs)

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["organization", "name", "id_number", "applied_on"]
        return [
            "name",
            "id_masked",
            "organization",
            "stage",
            *services.DATE_FIELDS,
            "training_days",
            "training_hours",
            "introducer_names",
            "extended_months",
            "cancel_reason",
            "member",
        ]

    def get_readonly_fields(self, request, obj=None):
        return self.readonly_fields if obj is not None else []

    @admin.display(description="公民身份号码")
    def id_masked(self, obj):
        return obj.id_number_masked

    def save_model(self, request, obj, form, change):
        if change:
            case = DevelopmentCase.objects.get(pk=obj.pk)
            if case.name != obj.name:
                services.development_rename(actor=request.user, case=case, name=obj.name)
            return
        obj.pk = services.development_apply(
            actor=request.user,
            organization=form.cleaned_data["organization"],
            name=form.cleaned_data["name"],
            id_number=form.cleaned_data["id_number"],
            applied_on=form.cleaned_data["applied_on"],
        ).pk

    def delete_model(self, request, obj):
        services.development_delete(actor=request.user, case=obj)

    def get_urls(self):
        return [
            path(
                "pipeline/",
                self.admin_site.admin_view(self.pipeline_view),
                name="members_developmentcase_pipeline",
            ),
            *super().get_urls(),
        ]

    def prepare_step_form(self, request, step, obj, form):
        if step == "admit":
            form.fields["introducers"].queryset = restrict(
                request.user,
                Member.objects.filter(category=MemberCategory.FULL, left_on__isnull=True),
                "view",
            ).order_by("org_path", "name")
        if step == "correct":
            form.fields["field"].choices = [
                (f, DevelopmentCase._meta.get_field(f).verbose_name) for f in services.DATE_FIELDS
            ]

    def step_data(self, step, data):
        if step == "admit":
            data["introducers"] = list(data["introducers"])
        return data

    def step_subject(self, obj):
        return obj.name

    def pipeline_view(self, request):
        if not self.has_view_permission(request):
            raise PermissionDenied
        organizations = restrict(
            request.user, PartyOrganization.objects.filter(kind__in=MEMBER_HOLDING_KINDS), "view"
        ).order_by("path")
        wanted = request.GET.get("organization") or ""
        chosen = organizations.filter(pk=wanted).first() if wanted.isdigit() else None
        columns = development_pipeline(user=request.user, organization=chosen)
        if wants_xlsx(request):
            rows = (
                [
                    column["label"],
                    entry.case.name,
                    entry.case.organization.name,
                    entry.next_step,
                    entry.due,
                    "是" if entry.overdue else "",
                ]
                for column in columns
                for entry in column["entries"]
            )
            note = chosen.name if chosen else "我的全部范围"
            return export_response(request.user, "发展党员流程", PIPELINE_HEADERS, rows, note=note)
        return admin_page(
            self,
            request,
            "admin/members/developmentcase/pipeline.html",
            "发展党员流程",
            organizations=organizations,
            chosen=chosen,
            columns=columns,
            query=request.GET.urlencode(),
        )
