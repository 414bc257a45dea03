"""The weekly dispatch board, its meetings and minutes (Word)."""

import datetime

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect
from django.urls import path
from django.utils import timezone

from dangjian.cadres.models import Cadre
from dangjian.core.admin_base import (
    ChildInline,
    ScopedAdmin,
    admin_page,
    form_errors_from,
)
from dangjian.core.files import file_response
from dangjian.core.forms import StyledForm
from dangjian.core.scope import restrict

from .. import exports, services
from ..models import (
    DispatchMeeting,
    FollowUp,
    ProblemCategory,
    Project,
)
from ..selectors import dispatch_board


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


class FollowUpInline(ChildInline):
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
