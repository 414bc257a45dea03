import datetime

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils import timezone
from unfold.admin import TabularInline

from dangjian.cadres.models import Assignment, Cadre
from dangjian.cadres.services import assignment_set
from dangjian.core import registry
from dangjian.core.admin_base import (
    ReadOnlyAdminMixin,
    ScopedAdmin,
    TimelineInline,
    admin_page,
    form_errors_from,
)
from dangjian.core.files import file_response
from dangjian.core.forms import MonthField, StyledForm
from dangjian.core.scope import restrict

from . import exports, services
from .models import (
    Approval,
    AssessmentRun,
    AssessmentScore,
    DailyRecord,
    DispatchMeeting,
    FollowUp,
    Milestone,
    Problem,
    ProblemCategory,
    ProblemEvent,
    Project,
)
from .selectors import dispatch_board, monthly_summary


# -- projects -----------------------------------------------------------------------------------------------
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


class MilestoneInline(TabularInline):
    model = Milestone
    extra = 0
    fields = ["name", "planned_on", "actual_on", "note"]


class ApprovalInline(TabularInline):
    model = Approval
    extra = 0
    fields = ["item", "submitted_on", "approved_on", "days_taken", "note"]
    readonly_fields = ["days_taken"]

    @admin.display(description="用时（天）")
    def days_taken(self, obj):
        return obj.days if obj.pk and obj.days else "—"


class ProjectAssignmentInline(ReadOnlyAdminMixin, TabularInline):
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

    @admin.display(description="包抓干部")
    def cadres_display(self, obj):
        current = obj.assignments.filter(end_on__isnull=True).select_related("cadre").order_by("-is_lead")
        return "、".join(a.cadre.name for a in current) or "—"

    @admin.display(description="审批用时")
    def approvals_days(self, obj):
        from .selectors import approvals_span

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


# -- problems -----------------------------------------------------------------------------------------------
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


# -- daily records, monthly summary ------------------------------------------------------------------------------
class MonthForm(StyledForm):
    month = MonthField()


@admin.register(DailyRecord)
class DailyRecordAdmin(ScopedAdmin):
    list_display = ["day", "cadre", "content_short", "is_visit"]
    list_filter = ["is_visit"]
    search_fields = ["cadre__name", "content"]
    date_hierarchy = "day"
    list_select_related = ["cadre"]
    change_list_template = "admin/projects/dailyrecord/change_list.html"
    fields = ["cadre", "day", "content", "is_visit", "projects", "enterprises"]
    readonly_fields = fields

    @admin.display(description="工作纪实")
    def content_short(self, obj):
        return obj.content[:50]

    def has_add_permission(self, request):
        return False  # cadres write their records on the phone page

    def get_urls(self):
        return [
            path("monthly/", self.admin_site.admin_view(self.monthly_view), name="projects_monthly"),
            *super().get_urls(),
        ]

    def monthly_view(self, request):
        if not self.has_view_permission(request):
            raise PermissionDenied
        today = timezone.localdate()
        form = MonthForm(request.GET or {"month": f"{today:%Y-%m}"})
        summary = None
        if form.is_valid():
            summary = monthly_summary(user=request.user, month=form.cleaned_data["month"])
            fmt = request.GET.get("export")
            if fmt == "docx":
                return file_response(
                    exports.monthly_summary_docx(summary), f"月总结-{summary.month:%Y-%m}.docx"
                )
            if fmt == "xlsx":
                return file_response(
                    exports.monthly_summary_xlsx(summary), f"月总结-{summary.month:%Y-%m}.xlsx"
                )
        mine = getattr(request.user, "cadre", None) if hasattr(request.user, "cadre") else None
        if request.method == "POST" and mine is not None and summary is not None:
            services.monthly_note_save(
                actor=request.user, cadre=mine, month=summary.month, text=request.POST.get("note", "")
            )
            self.message_user(request, "本月小结已保存", messages.SUCCESS)
            return HttpResponseRedirect(request.get_full_path())
        return admin_page(
            self,
            request,
            "admin/projects/monthly.html",
            "包抓干部月总结",
            form=form,
            summary=summary,
            mine=mine,
            query=request.GET.urlencode(),
        )


# -- dispatch -------------------------------------------------------------------------------------------------------
class MeetingForm(StyledForm):
    held_on = forms.DateField(label="召开日期", initial=timezone.localdate)
    host = forms.CharField(label="主持人", required=False, max_length=50)
    attendees = forms.CharField(label="参会人员", required=False, max_length=500)
    minutes = forms.CharField(label="会议纪要", required=False, widget=forms.Textarea(attrs={"rows": 5}))


class FollowUpForm(StyledForm):
    text = forms.CharField(label="决定事项", max_length=300)
    kind = forms.ChoiceField(label="类型", choices=FollowUp.Kind.choices)
    owner = forms.ModelChoiceField(label="责任人", queryset=Cadre.objects.none())
    deadline = forms.DateField(label="完成时限")
    category = forms.ChoiceField(
        label="问题类别（形成问题时）", choices=[("", "—"), *ProblemCategory.choices], required=False
    )
    project = forms.ModelChoiceField(label="关联项目", queryset=Project.objects.none(), required=False)


class FollowUpInline(TabularInline):
    model = FollowUp
    extra = 0
    fields = ["text", "kind", "owner", "deadline", "problem", "done_on"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(DispatchMeeting)
class DispatchMeetingAdmin(ScopedAdmin):
    inlines = [FollowUpInline]
    list_display = ["week_start", "held_on", "host", "follow_up_count"]
    date_hierarchy = "week_start"
    change_list_template = "admin/projects/dispatchmeeting/change_list.html"
    fields = ["week_start", "held_on", "host", "attendees", "minutes"]

    @admin.display(description="议定事项")
    def follow_up_count(self, obj):
        return obj.follow_ups.count()

    def has_add_permission(self, request):
        return False  # meetings are recorded on the board

    def save_model(self, request, obj, form, change):
        services.dispatch_meeting_save(
            actor=request.user, **{k: form.cleaned_data[k] for k in self.fields if k in form.cleaned_data}
        )

    def delete_model(self, request, obj):
        services.dispatch_meeting_delete(actor=request.user, meeting=obj)

    def get_urls(self):
        return [
            path("board/", self.admin_site.admin_view(self.board_view), name="projects_dispatch_board"),
            *super().get_urls(),
        ]

    def board_view(self, request):
        if not self.has_view_permission(request):
            raise PermissionDenied
        today = timezone.localdate()
        try:
            week = (
                datetime.date.fromisoformat(request.GET.get("week", "")) if request.GET.get("week") else today
            )
        except ValueError:
            week = today
        monday = week - datetime.timedelta(days=week.weekday())
        board = dispatch_board(user=request.user, week_start=monday)
        meeting = DispatchMeeting.objects.filter(week_start=monday).first()
        may_record = request.user.has_perm("projects.add_dispatchmeeting")
        meeting_form = MeetingForm(
            request.POST if "save_meeting" in request.POST else None,
            initial={
                "held_on": meeting.held_on if meeting else today,
                "host": meeting.host if meeting else "",
                "attendees": meeting.attendees if meeting else "",
                "minutes": meeting.minutes if meeting else "",
            },
        )
        follow_form = FollowUpForm(request.POST if "add_follow_up" in request.POST else None)
        follow_form.fields["owner"].queryset = restrict(
            request.user, Cadre.objects.filter(is_active=True), "view"
        )
        follow_form.fields["project"].queryset = restrict(request.user, Project.objects.all(), "view")
        if request.method == "POST":
            if not may_record:
                raise PermissionDenied
            try:
                if "save_meeting" in request.POST and meeting_form.is_valid():
                    services.dispatch_meeting_save(
                        actor=request.user, week_start=monday, **meeting_form.cleaned_data
                    )
                    self.message_user(request, "调度会已记录", messages.SUCCESS)
                    return HttpResponseRedirect(f"{request.path}?week={monday:%Y-%m-%d}")
                if "add_follow_up" in request.POST and follow_form.is_valid():
                    if meeting is None:
                        raise ValidationError("请先记录本周调度会")
                    data = follow_form.cleaned_data
                    services.follow_up_add(
                        actor=request.user,
                        meeting=meeting,
                        text=data["text"],
                        kind=data["kind"],
                        owner=data["owner"],
                        deadline=data["deadline"],
                        category=data["category"] or None,
                        project=data["project"],
                    )
                    self.message_user(request, "议定事项已添加", messages.SUCCESS)
                    return HttpResponseRedirect(f"{request.path}?week={monday:%Y-%m-%d}")
            except ValidationError as exc:
                form_errors_from(exc, follow_form if "add_follow_up" in request.POST else meeting_form)
        if request.GET.get("export") == "docx" and meeting is not None:
            return file_response(
                exports.dispatch_minutes_docx(meeting, board), f"周调度纪要-{monday:%Y-%m-%d}.docx"
            )
        return admin_page(
            self,
            request,
            "admin/projects/board.html",
            "周调度",
            board=board,
            meeting=meeting,
            meeting_form=meeting_form,
            follow_form=follow_form,
            may_record=may_record,
            previous=monday - datetime.timedelta(days=7),
            following=monday + datetime.timedelta(days=7),
        )


# -- assessment ---------------------------------------------------------------------------------------------------
class ScoreInline(ReadOnlyAdminMixin, TabularInline):
    model = AssessmentScore
    fields = ["rank", "cadre", "score", "components"]
    readonly_fields = fields
    ordering = ["rank"]


class YearForm(StyledForm):
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100)


@admin.register(AssessmentRun)
class AssessmentRunAdmin(ScopedAdmin):
    inlines = [ScoreInline]
    list_display = ["year", "created_at", "created_by", "rule", "weights"]
    fields = ["year", "rule", "weights", "created_at", "created_by"]
    readonly_fields = fields
    change_form_template = "admin/projects/assessmentrun/change_form.html"
    change_list_template = "admin/projects/assessmentrun/change_list.html"

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
            "admin/members/member/action.html",
            "计算年度考核",
            form=form,
            back_url=reverse("admin:projects_assessmentrun_changelist"),
        )

    def export_view(self, request, pk):
        run = get_object_or_404(self.get_queryset(request), pk=pk)
        return file_response(exports.assessment_xlsx(run), f"{run.year}年度考核.xlsx")


registry.nav_section("projects", "项目包抓", order=50, module=__name__)
registry.nav_items(
    "projects",
    {
        "title": "周调度",
        "icon": "event_note",
        "url": "admin:projects_dispatch_board",
        "permissions": "projects.view_dispatchmeeting",
    },
    {
        "title": "重点项目",
        "icon": "construction",
        "url": "admin:projects_project_changelist",
        "permissions": "projects.view_project",
    },
    {
        "title": "堵点难点问题",
        "icon": "report",
        "url": "admin:projects_problem_changelist",
        "permissions": "projects.view_problem",
    },
    {
        "title": "日纪实",
        "icon": "edit_calendar",
        "url": "admin:projects_dailyrecord_changelist",
        "permissions": "projects.view_dailyrecord",
    },
    {
        "title": "月总结",
        "icon": "summarize",
        "url": "admin:projects_monthly",
        "permissions": "projects.view_dailyrecord",
    },
    {
        "title": "年度考核",
        "icon": "leaderboard",
        "url": "admin:projects_assessmentrun_changelist",
        "permissions": "projects.view_assessmentrun",
    },
    module=__name__,
)
