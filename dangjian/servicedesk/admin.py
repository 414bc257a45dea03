import datetime

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.urls import path
from django.utils import timezone

from dangjian.cadres.models import Cadre
from dangjian.core import registry
from dangjian.core.admin_base import (
    ChildInline,
    ConfigAdmin,
    ReadOnlyAdminMixin,
    ScopedAdmin,
    StepsAdminMixin,
    TimelineInline,
    admin_page,
)
from dangjian.core.exports import export_response, wants_xlsx
from dangjian.core.forms import StyledForm
from dangjian.core.indicators import rate
from dangjian.core.scope import restrict
from dangjian.enterprises.models import Enterprise

from . import services
from .models import Handling, RequestCategory, RequestEvent, RequestFile, ServiceRequest
from .selectors import enterprise_service_record, on_time_rates

RATE_HEADERS = [
    "分组",
    "类别或承办人",
    "按时受理",
    "应受理",
    "按时受理率（%）",
    "按时办结",
    "应办结",
    "按时办结率（%）",
]


def rate_rows(tables):
    """The rows of the on-time page, each count in its own column."""
    for title, rows in tables.items():
        for name, row in rows.items():
            accept, close = row.get("accept") or (None, None, None), row.get("close") or (None, None, None)
            yield [title, name, *accept, *close]


@admin.register(RequestCategory)
class RequestCategoryAdmin(ConfigAdmin):
    list_display = ["name", "accept_workdays", "close_workdays", "is_immediate", "is_active", "sort_order"]
    list_editable = ["accept_workdays", "close_workdays", "is_active", "sort_order"]


class EventInline(TimelineInline):
    model = RequestEvent
    verbose_name_plural = "办理过程"


class FileInline(ReadOnlyAdminMixin, ChildInline):
    model = RequestFile
    fields = ["file", "name", "uploaded_at"]
    readonly_fields = fields


def _day():
    return forms.DateField(label="日期", initial=timezone.localdate)


class AcceptForm(StyledForm):
    on = _day()
    handling = forms.ChoiceField(label="办理方式", choices=Handling.choices)
    handler = forms.ModelChoiceField(label="承办人", queryset=Cadre.objects.none(), required=False)


class NoteForm(StyledForm):
    on = _day()
    text = forms.CharField(
        label="说明", required=False, max_length=300, widget=forms.Textarea(attrs={"rows": 3})
    )


class TransferForm(StyledForm):
    on = _day()
    department = forms.CharField(label="转办部门", max_length=100)
    text = forms.CharField(label="说明", required=False, max_length=200)


class DayForm(StyledForm):
    on = _day()


# the form of each step the back office offers (the enterprise's own steps are on the portal)
STEP_FORMS = {
    "accept": AcceptForm,
    "start": DayForm,
    "return": NoteForm,
    "transfer": TransferForm,
    "reply": NoteForm,
    "suspend": NoteForm,
    "resume": DayForm,
    "close": NoteForm,
}


class RatesForm(StyledForm):
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100)


@admin.register(ServiceRequest)
class ServiceRequestAdmin(StepsAdminMixin, ScopedAdmin):
    steps = services.REQUEST_STEPS
    step_forms = STEP_FORMS
    step_record = "request"
    step_url_name = "servicedesk_request_step"
    inlines = [EventInline, FileInline]
    list_display = [
        "number",
        "title",
        "enterprise",
        "kind",
        "category",
        "status",
        "handler",
        "accept_due",
        "close_due",
        "late",
        "rating",
    ]
    list_filter = ["status", "kind", "category", "handling", "accepted_late", "closed_late"]
    search_fields = ["number", "title", "enterprise__name", "handler__name"]
    list_select_related = ["enterprise", "handler", "category"]
    date_hierarchy = "submitted_on"
    change_form_template = "admin/servicedesk/servicerequest/change_form.html"
    change_list_template = "admin/servicedesk/servicerequest/change_list.html"
    fields = services.REQUEST_FIELDS
    readonly_fields = fields

    @admin.display(description="超时", boolean=True)
    def late(self, obj):
        return obj.accepted_late or obj.closed_late or bool(obj.escalated_on)

    def has_add_permission(self, request):
        return False  # enterprises submit on their portal; imports come through the ledger

    def delete_model(self, request, obj):
        services.request_delete(actor=request.user, request=obj)

    def get_urls(self):
        return [
            path("rates/", self.admin_site.admin_view(self.rates_view), name="servicedesk_rates"),
            path(
                "enterprise/<int:pk>/",
                self.admin_site.admin_view(self.enterprise_view),
                name="servicedesk_enterprise",
            ),
            *super().get_urls(),
        ]

    def prepare_step_form(self, request, step, obj, form):
        if step == "accept":
            form.fields["handler"].queryset = restrict(
                request.user, Cadre.objects.filter(is_active=True), "view"
            )
            form.fields["handler"].initial = obj.handler_id

    def step_subject(self, obj):
        return obj.number

    def rates_view(self, request):
        if not self.has_view_permission(request):
            raise PermissionDenied
        form = RatesForm(request.GET or {"year": timezone.localdate().year})
        tables = None
        if form.is_valid():
            year = form.cleaned_data["year"]
            start, end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
            tables = {
                title: {
                    name: {part: (*pair, rate(*pair)) for part, pair in row.items()}
                    for name, row in on_time_rates(user=request.user, start=start, end=end, by=by).items()
                }
                for title, by in (("按类别", "category"), ("按承办人", "handler"))
            }
            if wants_xlsx(request):
                return export_response(
                    request.user, "按时受理率与按时办结率", RATE_HEADERS, rate_rows(tables), note=f"{year}年"
                )
        return admin_page(
            self,
            request,
            "admin/servicedesk/rates.html",
            "按时受理率与按时办结率",
            form=form,
            tables=tables,
            query=request.GET.urlencode(),
        )

    def enterprise_view(self, request, pk):
        """企业服务档案: the desk seen from one enterprise's side, for a year."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        enterprise = get_object_or_404(restrict(request.user, Enterprise.objects.all(), "view"), pk=pk)
        form = RatesForm(request.GET or {"year": timezone.localdate().year})
        year = form.cleaned_data["year"] if form.is_valid() else timezone.localdate().year
        record = enterprise_service_record(
            user=request.user,
            enterprise=enterprise,
            start=datetime.date(year, 1, 1),
            end=datetime.date(year, 12, 31),
        )
        figures = record["figures"]
        return admin_page(
            self,
            request,
            "admin/servicedesk/enterprise.html",
            "企业服务档案",
            subtitle=f"{enterprise.name} · {year}年",
            enterprise=enterprise,
            form=form,
            year=year,
            **record,
            accept_rate=rate(figures["accept"]["on_time"], figures["accept"]["total"]),
            close_rate=rate(figures["close"]["on_time"], figures["close"]["total"]),
        )


registry.nav_section("servicedesk", "企业服务", order=60, module=__name__)
registry.nav_items(
    "servicedesk",
    {
        "title": "诉求与服务事项",
        "icon": "support_agent",
        "url": "admin:servicedesk_servicerequest_changelist",
        "permissions": "servicedesk.view_servicerequest",
    },
    {
        "title": "按时率",
        "icon": "timer",
        "url": "admin:servicedesk_rates",
        "permissions": "servicedesk.view_servicerequest",
    },
    {
        "title": "诉求类别与时限",
        "icon": "tune",
        "url": "admin:servicedesk_requestcategory_changelist",
        "permissions": "servicedesk.change_requestcategory",
    },
    module=__name__,
)
