"""The summary templates the office uploads (the default one to download and edit; an uploaded
one is checked, and the one in use writes every summary), and the reports' sidebar entries (their
pages are reports.views)."""

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.http import content_disposition_header
from unfold.admin import ModelAdmin

from dangjian.core import registry
from dangjian.core.admin_base import ServiceErrorsMixin

from .default_template import default_template
from .models import SummaryTemplate
from .services import COCKPIT, GENERATE, template_upload, template_use
from .summary import check_template

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


class TemplateAddForm(forms.ModelForm):
    file = forms.FileField(
        label="模板文件", help_text="Word 文件（.docx），占位符为指标代码（写法见“年度综述”页的说明）"
    )

    class Meta:
        model = SummaryTemplate
        fields = ["name", "file", "note", "in_use"]

    def clean_file(self):
        """Checked here too, so the refusal (naming the unknown codes) stands by the file's field."""
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(".docx"):
            raise forms.ValidationError("模板应为 Word 文件（.docx）")
        data = upload.read()
        upload.seek(0)
        try:
            check_template(data)
        except ValidationError as exc:
            raise forms.ValidationError(exc.messages) from None
        return upload


@admin.register(SummaryTemplate)
class SummaryTemplateAdmin(ServiceErrorsMixin, ModelAdmin):
    list_display = ["name", "in_use", "uploaded_by", "uploaded_at", "note", "download"]
    list_display_links = ["name"]
    fields = ["name", "file_name", "note", "in_use", "uploaded_by", "uploaded_at"]
    readonly_fields = ["file_name", "uploaded_by", "uploaded_at"]
    list_before_template = "admin/reports/summarytemplate/before_list.html"

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is None:
            kwargs["form"] = TemplateAddForm
            kwargs["fields"] = ["name", "file", "note", "in_use"]
        return super().get_form(request, obj, change, **kwargs)

    def get_fields(self, request, obj=None):
        return ["name", "file", "note", "in_use"] if obj is None else self.fields

    def get_readonly_fields(self, request, obj=None):
        return [] if obj is None else self.readonly_fields

    @admin.display(description="模板文件")
    def file_name(self, obj):
        return format_html(
            '<a class="text-primary-600" href="{}">{}</a>',
            reverse("admin:reports_summarytemplate_download", args=[obj.pk]),
            obj.file.name.rsplit("/", 1)[-1],
        )

    @admin.display(description="下载")
    def download(self, obj):
        return format_html(
            '<a class="text-primary-600" href="{}">下载</a>',
            reverse("admin:reports_summarytemplate_download", args=[obj.pk]),
        )

    def save_model(self, request, obj, form, change):
        if change:
            obj.save(update_fields=["name", "note"])
            if "in_use" in form.changed_data:
                template_use(actor=request.user, template=obj if obj.in_use else None)
            return
        upload = form.cleaned_data["file"]
        saved = template_upload(
            actor=request.user,
            name=obj.name,
            data=upload.read(),
            filename=upload.name,
            note=obj.note,
            use=obj.in_use,
        )
        obj.pk, obj.file = saved.pk, saved.file

    def changelist_view(self, request, extra_context=None):
        context = {"in_use": SummaryTemplate.objects.filter(in_use=True).first(), **(extra_context or {})}
        return super().changelist_view(request, context)

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("default/", view(self.default_view), name="reports_summarytemplate_default"),
            path("<int:pk>/download/", view(self.download_view), name="reports_summarytemplate_download"),
            *super().get_urls(),
        ]

    def download_view(self, request, pk):
        if not self.has_view_permission(request):
            raise PermissionDenied
        template = get_object_or_404(SummaryTemplate, pk=pk)
        response = FileResponse(template.file.open("rb"), content_type=DOCX)
        response["Content-Disposition"] = content_disposition_header(True, f"{template.name}.docx")
        return response

    def default_view(self, request):
        if not (self.has_view_permission(request) or request.user.has_perm(GENERATE)):
            raise PermissionDenied
        response = HttpResponse(default_template(), content_type=DOCX)
        response["Content-Disposition"] = content_disposition_header(True, "年度综述默认模板.docx")
        return response


registry.nav_section("reports", "报表与综述", order=5, module=__name__)
registry.nav_items(
    "reports",
    {"title": "驾驶舱", "icon": "speed", "url": "admin:reports_cockpit", "permissions": COCKPIT},
    {"title": "大屏", "icon": "tv", "url": "admin:reports_screen", "permissions": COCKPIT},
    {"title": "统计报表", "icon": "table_chart", "url": "admin:reports_statistics", "permissions": COCKPIT},
    {"title": "年度综述", "icon": "description", "url": "admin:reports_summary", "permissions": GENERATE},
    {
        "title": "综述模板",
        "icon": "edit_document",
        "url": "admin:reports_summarytemplate_changelist",
        "permissions": "reports.view_summarytemplate",
    },
    module=__name__,
)
