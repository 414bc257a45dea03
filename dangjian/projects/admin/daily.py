"""Back office of daily records and the monthly summary (Word and Excel)."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.urls import path
from django.utils import timezone

from dangjian.cadres.models import Cadre
from dangjian.core.admin_base import (
    ScopedAdmin,
    admin_page,
)
from dangjian.core.files import file_response
from dangjian.core.forms import MonthField, StyledForm

from .. import exports, services
from ..models import (
    DailyRecord,
)
from ..selectors import monthly_summary


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

    def changelist_view(self, request, extra_context=None):
        # the phone page is for cadres only
        is_cadre = Cadre.objects.filter(user=request.user).exists()
        return super().changelist_view(request, {**(extra_context or {}), "is_cadre": is_cadre})

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
