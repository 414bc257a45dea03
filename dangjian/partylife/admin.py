import datetime
import re

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.options import HORIZONTAL
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from unfold.decorators import action
from unfold.widgets import UnfoldAdminRadioSelectWidget

from dangjian.core import registry
from dangjian.core.admin_base import ChildInline, ScopedAdmin, admin_page, formset_rows
from dangjian.core.exports import export_response, wants_xlsx
from dangjian.core.forms import StyledForm
from dangjian.core.scope import restrict
from dangjian.core.services import config_delete, config_save
from dangjian.members.models import Member
from dangjian.organizations.models import OrgKind, PartyOrganization

from . import services
from .models import (
    Activity,
    ActivityParticipant,
    AttendanceStatus,
    Document,
    DutyEvidence,
    DutyItem,
    DutyList,
    DutyProgress,
    Meeting,
    MeetingAgendaItem,
    MeetingAttachment,
    MeetingAttendance,
    StandardDutyList,
    Training,
    TrainingParticipant,
)
from .selectors import compliance, expected_members


class MemberChoiceInline(ChildInline):
    """Inline rows that pick members: only members the user may see."""

    extra = 0

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if db_field.name == "member":
            field.queryset = restrict(request.user, Member.objects.filter(left_on__isnull=True), "view")
        return field


class ComplianceForm(StyledForm):
    organization = forms.ModelChoiceField(
        label="范围", queryset=None, required=False, empty_label="我的全部范围"
    )
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100)


class AgendaInline(ChildInline):
    model = MeetingAgendaItem
    extra = 0
    fields = ["position", "title", "is_first_topic"]


class AttendanceForm(forms.ModelForm):
    class Meta:
        model = MeetingAttendance
        fields = ["member", "status", "absence_reason"]
        widgets = {"status": UnfoldAdminRadioSelectWidget(radio_style=HORIZONTAL)}

    def has_changed(self):
        # a row prefilled from the roster counts as entered even if left as it was
        return bool(self["member"].value()) or super().has_changed()


class AttendanceInline(MemberChoiceInline):
    """出席 per person. A meeting without attendance opens with the members who should attend
    (selectors.expected_members) listed as 出席, so the secretary marks who was on leave or
    absent; 应到 and 实到 are then counted from the rows."""

    model = MeetingAttendance
    form = AttendanceForm
    fields = ["member", "status", "absence_reason"]
    autocomplete_fields = ["member"]

    def roster(self, request, obj):
        if obj is None or obj.pk is None or obj.attendance.exists():
            return []
        if not self.has_change_permission(request, obj):
            return []
        return list(restrict(request.user, expected_members(obj), "view").values_list("pk", flat=True))

    def get_extra(self, request, obj=None, **kwargs):
        return len(self.roster(request, obj))


class AttachmentInline(ChildInline):
    model = MeetingAttachment
    extra = 0
    fields = ["file", "name"]


@admin.register(Meeting)
class MeetingAdmin(ScopedAdmin):
    inlines = [AgendaInline, AttendanceInline, AttachmentInline]
    list_display = ["held_on", "kind", "organization", "theme", "expected_count", "present_count", "validity"]
    list_filter = ["kind", "vote_kind", "lecturer_role"]
    search_fields = ["theme", "organization__name", "host", "lecturer"]
    date_hierarchy = "held_on"
    list_select_related = ["organization"]
    autocomplete_fields = ["organization"]
    readonly_fields = ["validity"]
    fieldsets = [
        (None, {"fields": ["organization", "kind", "held_on", "theme", "host"]}),
        ("党课", {"fields": ["lecturer", "lecturer_role"]}),
        (
            "出席",
            {
                "fields": ["expected_count", "present_count"],
                "description": "在下方“出席记录”中按人登记出席、请假、缺席后，应到、实到由出席记录计算；"
                "保存会议后，出席记录按本组织党员名单预填",
            },
        ),
        ("记录与决议", {"fields": ["minutes", "vote_kind", "resolution", "validity"]}),
    ]

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if obj is not None and obj.attendance_recorded:
            fields += ["expected_count", "present_count"]
        return fields

    def get_formset_kwargs(self, request, obj, inline, prefix):
        kwargs = super().get_formset_kwargs(request, obj, inline, prefix)
        if isinstance(inline, AttendanceInline) and request.method != "POST":
            kwargs["initial"] = [
                {"member": pk, "status": AttendanceStatus.PRESENT} for pk in inline.roster(request, obj)
            ]
        return kwargs

    def response_add(self, request, obj, post_url_continue=None):
        """A new meeting opens again with its members listed, to mark attendance."""
        if (
            "_addanother" not in request.POST
            and "_continue" not in request.POST
            and expected_members(obj).exists()
        ):
            self.message_user(
                request, "会议已保存。请在“出席记录”中登记每位党员的出席、请假或缺席，然后保存。"
            )
            return redirect(reverse("admin:partylife_meeting_change", args=[obj.pk]))
        return super().response_add(request, obj, post_url_continue)

    @admin.display(description="决议")
    def validity(self, obj):
        if obj is None or obj.resolution_valid is None:
            return "—"
        if obj.resolution_valid:
            return "有效"
        return format_html('<span class="text-red-600">无效：{}</span>', obj.resolution_invalid_reason)

    def save_model(self, request, obj, form, change):
        data = {k: form.cleaned_data[k] for k in services.MEETING_FORM_FIELDS if k in form.cleaned_data}
        if change:
            services.meeting_update(actor=request.user, meeting=obj, **data)
        else:
            obj.pk = services.meeting_create(actor=request.user, **data).pk

    def save_children(self, request, form, formsets, change):
        """The agenda and the attendance as they now stand, and the attachments, through the
        services (which count 应到 and 实到 from the attendance and judge the quorum)."""
        meeting = Meeting.objects.get(pk=form.instance.pk)
        children = {}
        if MeetingAgendaItem in formsets:
            agenda = sorted(
                formset_rows(formsets[MeetingAgendaItem]), key=lambda row: row.get("position") or 0
            )
            children["agenda"] = [row["title"] for row in agenda if not row.get("is_first_topic")]
            children["first_topic"] = next(
                (row["title"] for row in agenda if row.get("is_first_topic")), None
            )
        if MeetingAttendance in formsets:
            children["attendance"] = [
                {
                    "member": row["member"],
                    "status": row["status"],
                    "absence_reason": row.get("absence_reason") or "",
                }
                for row in formset_rows(formsets[MeetingAttendance])
            ]
        if children:
            services.meeting_update(actor=request.user, meeting=meeting, **children)
        attachments = formsets.get(MeetingAttachment)
        if attachments is None:
            return
        for row in attachments.deleted_forms:
            if row.instance.pk:
                services.meeting_attachment_delete(actor=request.user, attachment=row.instance)
        for row in formset_rows(attachments):
            existing = row.get("id")
            new_file = row.get("file") if existing is None or row.get("file") != existing.file else None
            if existing is None or new_file is not None or (row.get("name") or "") != existing.name:
                services.meeting_attachment_save(
                    actor=request.user,
                    meeting=meeting,
                    instance=existing,
                    file=new_file,
                    name=row.get("name") or "",
                )

    def delete_model(self, request, obj):
        services.meeting_delete(actor=request.user, meeting=obj)

    change_list_template = "admin/partylife/meeting/change_list.html"

    def get_urls(self):
        return [
            path(
                "compliance/", self.admin_site.admin_view(self.compliance_view), name="partylife_compliance"
            ),
            *super().get_urls(),
        ]

    def compliance_view(self, request):
        """三会一课 and the other required meetings: required, held and overdue per organization."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        today = timezone.localdate()
        organizations = restrict(request.user, PartyOrganization.objects.all(), "view")
        form = ComplianceForm(request.GET or {"year": today.year})
        form.fields["organization"].queryset = organizations.exclude(kind=OrgKind.PARTY_GROUP).order_by(
            "path"
        )
        result = None
        if form.is_valid():
            year, chosen = form.cleaned_data["year"], form.cleaned_data["organization"]
            scope = organizations.filter(path__startswith=chosen.path) if chosen else organizations
            result = compliance(
                organizations=scope, start=datetime.date(year, 1, 1), end=datetime.date(year, 12, 31)
            )
        headers, rows = compliance_table(result) if result is not None else (COMPLIANCE_HEADERS, [])
        if result is not None and wants_xlsx(request):
            chosen = form.cleaned_data["organization"]
            note = f"{form.cleaned_data['year']}年 · {chosen.name if chosen else '我的全部范围'}"
            return export_response(request.user, "组织生活落实情况", headers, rows, note=note)
        return admin_page(
            self,
            request,
            "admin/partylife/meeting/compliance.html",
            "组织生活落实情况",
            form=form,
            result=result,
            headers=headers,
            rows=rows,
            query=request.GET.urlencode(),
        )


COMPLIANCE_HEADERS = ["党组织", "会议", "频次", "应开", "已开", "逾期未开", "本期"]


def compliance_table(result):
    """The rows of 组织生活落实情况 as the page shows them and the export writes them."""
    rows = []
    for r in result.requirements:
        if r.current:
            current = f"{r.current.label}：" + (
                "已开" if r.current_held else f"待开（{r.current.end:%Y-%m-%d} 前）"
            )
        else:
            current = "—"
        overdue = "、".join(slot.label for slot in r.overdue) or "—"
        rows.append(
            [
                r.organization.name,
                r.kind_label,
                r.frequency_label,
                len(r.required),
                len(r.held),
                overdue,
                current,
            ]
        )
    return COMPLIANCE_HEADERS, rows


class TrainingParticipantInline(MemberChoiceInline):
    model = TrainingParticipant
    fields = ["member", "hours"]
    autocomplete_fields = ["member"]


@admin.register(Training)
class TrainingAdmin(ScopedAdmin):
    inlines = [TrainingParticipantInline]
    list_display = ["start_on", "name", "kind", "host_name", "attendance_count", "hours"]
    list_filter = ["kind"]
    search_fields = ["name", "host_name"]
    date_hierarchy = "start_on"
    autocomplete_fields = ["organization"]
    fields = services.TRAINING_FORM_FIELDS

    def save_model(self, request, obj, form, change):
        data = {k: form.cleaned_data[k] for k in self.fields if k in form.cleaned_data}
        obj.pk = services.training_save(actor=request.user, instance=obj if change else None, **data).pk

    def save_children(self, request, form, formsets, change):
        if TrainingParticipant not in formsets:  # not shown to this user
            return
        training = Training.objects.get(pk=form.instance.pk)
        services.training_save(
            actor=request.user,
            instance=training,
            attendance_count=training.attendance_count,  # 参训人次 as entered on the form
            participants=[
                {"member": row["member"], "hours": row.get("hours")}
                for row in formset_rows(formsets[TrainingParticipant])
            ],
        )

    def delete_model(self, request, obj):
        services.record_delete(actor=request.user, record=obj)


class ActivityParticipantInline(MemberChoiceInline):
    model = ActivityParticipant
    fields = ["member", "place", "content", "hours"]
    autocomplete_fields = ["member"]
    verbose_name_plural = "参与党员（在职党员进基层须逐人登记服务社区和内容）"


@admin.register(Activity)
class ActivityAdmin(ScopedAdmin):
    inlines = [ActivityParticipantInline]
    list_display = ["held_on", "name", "kind", "organizer_name", "participant_count", "donation"]
    list_filter = ["kind"]
    search_fields = ["name", "organizer_name"]
    date_hierarchy = "held_on"
    autocomplete_fields = ["organization", "enterprises"]
    fields = [*services.ACTIVITY_FORM_FIELDS, "enterprises"]

    def save_model(self, request, obj, form, change):
        data = {k: form.cleaned_data[k] for k in services.ACTIVITY_FORM_FIELDS if k in form.cleaned_data}
        obj.pk = services.activity_save(
            actor=request.user,
            instance=obj if change else None,
            enterprises=form.cleaned_data.get("enterprises"),
            **data,
        ).pk

    def save_children(self, request, form, formsets, change):
        if ActivityParticipant not in formsets:  # not shown to this user
            return
        services.activity_save(
            actor=request.user,
            instance=Activity.objects.get(pk=form.instance.pk),
            participants=[
                {
                    "member": row["member"],
                    "place": row.get("place") or "",
                    "content": row.get("content") or "",
                    "hours": row.get("hours"),
                }
                for row in formset_rows(formsets[ActivityParticipant])
            ],
        )

    def delete_model(self, request, obj):
        services.record_delete(actor=request.user, record=obj)


@admin.register(Document)
class DocumentAdmin(ScopedAdmin):
    list_display = ["issued_on", "number", "title", "category"]
    list_filter = ["category"]
    search_fields = ["number", "title"]
    date_hierarchy = "issued_on"
    autocomplete_fields = ["organization"]
    fields = services.DOCUMENT_FORM_FIELDS

    def save_model(self, request, obj, form, change):
        data = {k: form.cleaned_data[k] for k in self.fields if k in form.cleaned_data}
        obj.pk = services.document_save(actor=request.user, instance=obj if change else None, **data).pk

    def delete_model(self, request, obj):
        services.record_delete(actor=request.user, record=obj)


# -- duty lists ----------------------------------------------------------------------------------
class DutyItemInline(ChildInline):
    model = DutyItem
    extra = 0
    fields = ["title", "deadline", "owner", "led_by_secretary", "status", "completed_on", "state_display"]
    readonly_fields = ["state_display"]
    show_change_link = True

    @admin.display(description="当前状态")
    def state_display(self, obj):
        return obj.state if obj.pk else "—"


@admin.register(DutyList)
class DutyListAdmin(ScopedAdmin):
    inlines = [DutyItemInline]
    list_display = ["organization", "year", "title", "completion", "overdue_count"]
    list_filter = ["year"]
    search_fields = ["organization__name", "title"]
    autocomplete_fields = ["organization"]
    fields = ["organization", "year", "title"]

    @admin.display(description="完成率")
    def completion(self, obj):
        from .selectors import duty_completion

        done, total = duty_completion(obj)
        return f"{done}/{total}（{done * 100 // total if total else 0}%）"

    @admin.display(description="逾期事项")
    def overdue_count(self, obj):
        return sum(1 for item in obj.items.all() if item.state == "逾期")

    def get_readonly_fields(self, request, obj=None):
        return ["organization", "year"] if obj else []

    def save_model(self, request, obj, form, change):
        if change:
            services.duty_list_rename(actor=request.user, duty_list=obj, title=form.cleaned_data["title"])
        else:
            obj.pk = services.duty_list_create(
                actor=request.user,
                organization=form.cleaned_data["organization"],
                year=form.cleaned_data["year"],
                title=form.cleaned_data["title"],
            ).pk

    def save_formset(self, request, form, formset, change):
        items = formset.save(commit=False)
        for deleted in formset.deleted_objects:
            services.duty_item_delete(actor=request.user, item=deleted)
        for item in items:
            data = {k: getattr(item, k) for k in services.DUTY_ITEM_FIELDS}
            services.duty_item_save(
                actor=request.user, duty_list=form.instance, instance=item if item.pk else None, **data
            )

    def delete_model(self, request, obj):
        services.record_delete(actor=request.user, record=obj)


class ProgressInline(ChildInline):
    model = DutyProgress
    extra = 0
    fields = ["noted_on", "text", "actor"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


class EvidenceInline(ChildInline):
    model = DutyEvidence
    extra = 0
    fields = ["file", "name", "uploaded_at"]
    readonly_fields = ["uploaded_at"]


class ProgressForm(forms.ModelForm):
    new_progress = forms.CharField(label="新增进展", required=False, widget=forms.Textarea(attrs={"rows": 2}))

    class Meta:
        model = DutyItem
        fields = services.DUTY_ITEM_FIELDS


@admin.register(DutyItem)
class DutyItemAdmin(ScopedAdmin):
    form = ProgressForm
    inlines = [ProgressInline, EvidenceInline]
    list_display = ["title", "duty_list", "deadline", "owner", "led_by_secretary", "state_display"]
    list_filter = ["led_by_secretary", "status", "duty_list__year"]
    search_fields = ["title", "duty_list__organization__name"]
    list_select_related = ["duty_list__organization"]
    fields = [*services.DUTY_ITEM_FIELDS, "new_progress"]

    @admin.display(description="状态")
    def state_display(self, obj):
        return obj.state

    def has_add_permission(self, request):
        return False  # items are added on their duty list

    def save_model(self, request, obj, form, change):
        data = {k: form.cleaned_data[k] for k in services.DUTY_ITEM_FIELDS if k in form.cleaned_data}
        services.duty_item_save(actor=request.user, duty_list=obj.duty_list, instance=obj, **data)
        if form.cleaned_data.get("new_progress"):
            services.duty_item_progress(actor=request.user, item=obj, text=form.cleaned_data["new_progress"])

    def save_children(self, request, form, formsets, change):
        """New evidence files, and removed ones, through the services (progress is read-only:
        it is added with 新增进展)."""
        evidence = formsets.get(DutyEvidence)
        if evidence is None:
            return
        for row in evidence.deleted_forms:
            if row.instance.pk:
                services.duty_evidence_delete(actor=request.user, evidence=row.instance)
        for row in formset_rows(evidence):
            if row.get("id") is None and row.get("file"):
                services.duty_evidence_add(
                    actor=request.user, item=form.instance, file=row["file"], name=row.get("name") or ""
                )

    def delete_model(self, request, obj):
        services.duty_item_delete(actor=request.user, item=obj)


YES = {"是", "书记领办", "领办", "y", "yes", "1", "√"}


class DutyLinesField(forms.CharField):
    """A standard list's items as lines people write: 事项，完成时限，是否书记领办 (one item a line,
    separated by ，or , or |); kept as the list the rule reads."""

    widget = forms.Textarea(attrs={"rows": 10})

    def prepare_value(self, value):
        if isinstance(value, list):
            return "\n".join(
                f"{item.get('title', '')}，{item.get('deadline', '')}，{'是' if item.get('led_by_secretary') else '否'}"
                for item in value
            )
        return value

    def to_python(self, value):
        items = []
        for number, line in enumerate((value or "").splitlines(), start=1):
            if not line.strip():
                continue
            parts = [p.strip() for p in re.split(r"[，,|｜]", line)]
            if len(parts) < 2:
                raise ValidationError(f"第 {number} 行应写成：事项，完成时限（如 2026-06-30），是否书记领办")
            items.append(
                {
                    "title": parts[0],
                    "deadline": parts[1],
                    "led_by_secretary": len(parts) > 2 and parts[2].lower() in YES,
                }
            )
        return items


class StandardDutyListForm(forms.ModelForm):
    items = DutyLinesField(
        label="事项",
        help_text="每行一项：事项，完成时限，是否书记领办。例如：召开专题组织生活会，2026-06-30，是",
    )

    class Meta:
        model = StandardDutyList
        fields = ["title", "year", "org_kind", "items"]


@admin.register(StandardDutyList)
class StandardDutyListAdmin(ScopedAdmin):
    form = StandardDutyListForm
    list_display = ["year", "title", "org_kind", "item_count", "issued_at"]
    fields = ["title", "year", "org_kind", "items"]
    actions = ["issue"]

    @admin.display(description="事项数")
    def item_count(self, obj):
        return len(obj.items or [])

    @action(description="下发到该类别的全部党组织")
    def issue(self, request, queryset):
        for standard in queryset:
            created = services.standard_list_issue(actor=request.user, standard=standard)
            self.message_user(request, f"“{standard}”已下发，新建 {created} 份责任清单", messages.SUCCESS)

    def save_model(self, request, obj, form, change):
        config_save(actor=request.user, instance=obj)

    def delete_model(self, request, obj):
        config_delete(actor=request.user, instance=obj)


registry.nav_section("partylife", "组织生活", order=30, module=__name__)
registry.nav_items(
    "partylife",
    {
        "title": "会议",
        "icon": "groups_3",
        "url": "admin:partylife_meeting_changelist",
        "permissions": "partylife.view_meeting",
    },
    {
        "title": "落实情况",
        "icon": "fact_check",
        "url": "admin:partylife_compliance",
        "permissions": "partylife.view_meeting",
    },
    {
        "title": "教育培训",
        "icon": "school",
        "url": "admin:partylife_training_changelist",
        "permissions": "partylife.view_training",
    },
    {
        "title": "活动",
        "icon": "volunteer_activism",
        "url": "admin:partylife_activity_changelist",
        "permissions": "partylife.view_activity",
    },
    {
        "title": "发文",
        "icon": "description",
        "url": "admin:partylife_document_changelist",
        "permissions": "partylife.view_document",
    },
    {
        "title": "责任清单",
        "icon": "checklist",
        "url": "admin:partylife_dutylist_changelist",
        "permissions": "partylife.view_dutylist",
    },
    {
        "title": "标准责任清单",
        "icon": "playlist_add_check",
        "url": "admin:partylife_standarddutylist_changelist",
        "permissions": "partylife.add_standarddutylist",
    },
    module=__name__,
)
