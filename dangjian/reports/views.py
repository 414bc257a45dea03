"""The reports' pages: 驾驶舱 (the leader's first page), 大屏 (the office's display) and
年度综述 (the year and the scope; the document is written in the background and downloaded from
its job's page). Thin: the figures are the cockpit's and the summary's."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import JsonResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone

from dangjian.core.exports import export_response, wants_xlsx
from dangjian.core.forms import StyledForm
from dangjian.core.models import Job
from dangjian.organizations.selectors import organization_list

from . import cockpit, tables
from .models import SummaryTemplate
from .services import COCKPIT, GENERATE, SUMMARY_JOB, summary_start
from .summary import NAMES, known_codes, years_choice

DEPTH_OFFERED = 2  # the scope offered: the user's organizations and two levels below them


def _page(request, template, title, **context):
    return TemplateResponse(
        request, template, {**admin.site.each_context(request), "title": title, **context}
    )


class SummaryForm(StyledForm):
    year = forms.TypedChoiceField(label="年度", coerce=int)
    scope = forms.ModelChoiceField(label="范围", queryset=None, required=False, empty_label=None)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [(year, f"{year}年") for year in years_choice()]
        organizations = organization_list(user=user)
        top = organizations.order_by("depth").values_list("depth", flat=True).first() or 1
        self.fields["scope"].queryset = organizations.filter(depth__lte=top + DEPTH_OFFERED)
        self.fields["scope"].label_from_instance = lambda org: "　" * (org.depth - top) + org.name
        self.fields["scope"].help_text = "综述只含所选党组织及其下级的记录；选最上级即为全部"


class CockpitForm(StyledForm):
    year = forms.TypedChoiceField(label="年度", coerce=int, required=False)
    scope = forms.ModelChoiceField(label="范围", queryset=None, required=False, empty_label="我的全部范围")

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [(year, f"{year}年") for year in years_choice()]
        self.fields["scope"].queryset = cockpit.scope_choices(user)


def _scope(form):
    scope = form.cleaned_data["scope"]
    return scope if scope is not None and scope.depth > 1 else None


def summary_view(request):
    """年度综述: choose the year and the scope; the document is written in the background."""
    user = request.user
    if not user.has_perm(GENERATE):
        raise PermissionDenied
    form = SummaryForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        try:
            job = summary_start(user=user, year=form.cleaned_data["year"], scope=_scope(form))
        except (PermissionDenied, ValidationError) as exc:
            messages.error(request, "；".join(getattr(exc, "messages", [str(exc)])))
        else:
            messages.success(request, "正在后台生成综述，完成后在本页下载")
            return redirect("admin:job", pk=job.pk)
    return _page(
        request,
        "admin/reports/summary.html",
        "年度综述",
        form=form,
        in_use=SummaryTemplate.objects.filter(in_use=True).first(),
        recent=Job.objects.filter(user=user, kind=SUMMARY_JOB).order_by("-created_at")[:10],
        names=NAMES,
        codes=sorted(f"{prefix}.{name}" for prefix, names in known_codes().items() for name in names),
    )


# -- the cockpit and the big screen -------------------------------------------------------
def _cockpit_request(request):
    user = request.user
    if not user.has_perm(COCKPIT):
        raise PermissionDenied
    form = CockpitForm(request.GET or None, user=user)
    year, scope = timezone.localdate().year, None
    if form.is_valid():
        year = form.cleaned_data["year"] or year
        scope = cockpit.scope_of(user, form.cleaned_data["scope"] and form.cleaned_data["scope"].pk)
    return form, cockpit.cockpit(user=user, year=year, scope=scope)


def cockpit_view(request):
    """驾驶舱: the leader's first page."""
    form, data = _cockpit_request(request)
    return _page(
        request,
        "admin/reports/cockpit.html",
        "驾驶舱",
        subtitle=f"{data['scope_name']} · {data['year']}年",
        form=form,
        data=data,
        query=request.GET.urlencode(),
    )


def cockpit_data(request):
    """The cockpit's figures as JSON, for the big screen's refresh."""
    _form, data = _cockpit_request(request)
    return JsonResponse(data)


def screen_view(request):
    """大屏: the same figures, full screen and dark, refreshing itself."""
    _form, data = _cockpit_request(request)
    return TemplateResponse(
        request,
        "reports/screen.html",
        {"data": data, "query": request.GET.urlencode(), "title": f"{data['scope_name']}党建引领发展大屏"},
    )


# -- statistics tables ---------------------------------------------------------------------------
class StatisticsForm(StyledForm):
    table = forms.ChoiceField(label="报表", choices=[(kind.key, kind.title) for kind in tables.TABLES])
    year = forms.TypedChoiceField(label="年度", coerce=int)
    part = forms.ChoiceField(label="期间", choices=tables.PERIODS, required=False)
    scope = forms.ModelChoiceField(label="范围", queryset=None, required=False, empty_label="我的全部范围")

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [(year, f"{year}年") for year in years_choice()]
        self.fields["scope"].queryset = cockpit.scope_choices(user)


def statistics_view(request):
    """统计报表: a domain's figures by the organizations below the scope, for a period; each cell
    opens its records; exported to Excel with the same columns and printed."""
    user = request.user
    if not user.has_perm(COCKPIT):
        raise PermissionDenied
    form = StatisticsForm(
        request.GET or {"table": tables.TABLES[0].key, "year": timezone.localdate().year}, user=user
    )
    table = None
    if form.is_valid():
        scope = form.cleaned_data["scope"]
        table = tables.statistics_table(
            form.cleaned_data["table"],
            user=user,
            year=form.cleaned_data["year"],
            part=form.cleaned_data["part"] or "year",
            scope=scope if scope is not None and scope.depth > 1 else None,
        )
        if wants_xlsx(request):
            return export_response(
                user,
                f"统计报表-{table['title']}",
                tables.export_headers(table),
                tables.table_rows_for_export(table),
                note=f"{table['scope_name']} · {table['year']}年{table['period_label']}",
            )
    query = request.GET.copy()
    query.pop("format", None)
    return _page(
        request,
        "admin/reports/statistics.html",
        "统计报表",
        subtitle=f"{table['title']} · {table['scope_name']} · {table['year']}年{table['period_label']}"
        if table
        else "",
        form=form,
        table=table,
        query=query.urlencode(),
    )
