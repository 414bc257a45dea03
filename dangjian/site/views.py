"""Custom back-office pages: ledger import (upload, dry run, errors, confirm) and export,
the list of organization warnings, and the indicator table with drill-down to records."""

import calendar
import datetime
import time
import uuid

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.core.paginator import Paginator
from django.http import Http404, JsonResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone

from dangjian.core import indicators as registry
from dangjian.core import registry as core_registry
from dangjian.core.exports import export_response, record_url, wants_xlsx
from dangjian.core.files import file_response
from dangjian.core.forms import StyledForm
from dangjian.core.jobs import enqueue
from dangjian.core.ledgers import blank_template, export_ledger, get_ledger, import_ledger, ledgers
from dangjian.core.scope import restrict
from dangjian.organizations.models import OrgKind, PartyOrganization
from dangjian.organizations.selectors import warning_counts, warning_rows
from dangjian.organizations.warnings import WARNINGS_PERMISSION, warning_groups

from .jobs import EXPORT_KIND, IMPORT_KIND, background_import, estimated_rows

PENDING_MAX_AGE = 3600  # seconds a dry-run upload waits for its confirmation


def _render(request, template, title, **context):
    return TemplateResponse(
        request, template, {**admin.site.each_context(request), "title": title, **context}
    )


def ledger_index(request):
    rows = [
        {"ledger": lg, "may_import": lg.may(request.user), "may_export": lg.may(request.user, export=True)}
        for lg in ledgers()
    ]
    rows = [r for r in rows if r["may_import"] or r["may_export"]]
    if not rows:
        raise PermissionDenied
    return _render(request, "admin/ledgers/index.html", "台账导入与导出", rows=rows)


class UploadForm(StyledForm):
    file = forms.FileField(
        label="台账文件", help_text="Excel（.xlsx，读取第一个工作表）或 CSV（UTF-8 或 GB18030）"
    )


def _ledger_or_404(name):
    try:
        return get_ledger(name)
    except KeyError:
        raise Http404("没有这个台账") from None


PENDING_STORAGE = "ledger_pending"


def pending_storage():
    """Where a dry-run upload waits for its confirmation (settings STORAGES["ledger_pending"]):
    outside the media files (it may hold clear ID numbers), on a mount every web machine shares (the
    confirmation may reach another machine than the upload), named by its token, deleted when
    confirmed, cancelled, replaced or an hour old."""
    return storages[PENDING_STORAGE]


def _forget_upload(request):
    pending = request.session.pop("ledger_upload", None)
    token = str(pending.get("token", "")) if pending else ""
    if token.isalnum() and pending_storage().exists(token):
        pending_storage().delete(token)


def purge_stale_uploads(now=None):
    """Delete the dry-run uploads older than an hour (run on every upload and by the daily job)."""
    storage = pending_storage()
    try:
        names = storage.listdir("")[1]
    except FileNotFoundError:  # nothing uploaded yet: the folder is made by the first upload
        return 0
    now = now or time.time()
    removed = 0
    for name in names:
        try:
            stale = now - storage.get_modified_time(name).timestamp() > PENDING_MAX_AGE
        except FileNotFoundError:  # deleted meanwhile by another request or machine
            continue
        if stale:
            storage.delete(name)
            removed += 1
    return removed


def ledger_import(request, name):
    """Step 1: upload → dry run and report. Step 2: confirm → import the same file."""
    ledger = _ledger_or_404(name)
    if not ledger.may(request.user):
        raise PermissionDenied
    form = UploadForm()
    report = None
    token = None
    purge_stale_uploads()
    if request.method == "POST" and "cancel" in request.POST:
        _forget_upload(request)
        messages.info(request, "已取消本次导入，上传的文件已删除")
        return redirect("admin:ledger_import", name=name)
    if request.method == "POST" and "confirm" in request.POST:
        pending = request.session.get("ledger_upload", {})
        token = request.POST.get("token", "")
        storage = pending_storage()
        if (
            pending.get("token") != token
            or pending.get("ledger") != name
            or not (token.isalnum() and storage.exists(token))
        ):
            _forget_upload(request)
            return _render(
                request,
                "admin/ledgers/import.html",
                f"导入{ledger.title}",
                ledger=ledger,
                form=form,
                expired=True,
            )
        with storage.open(token, "rb") as stored:
            data = stored.read()
        report = import_ledger(
            name,
            data,
            pending["filename"],
            actor=request.user,
            dry_run=False,
            source="import",
            label=f"后台导入{ledger.title}",
        )
        storage.delete(token)
        request.session.pop("ledger_upload", None)
        token = None
    elif request.method == "POST":
        form = UploadForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            data = upload.read()
            if background_import(estimated_rows(data, upload.name)):
                _forget_upload(request)
                job = enqueue(
                    IMPORT_KIND,
                    user=request.user,
                    title=f"试导入{ledger.title}（{upload.name}）",
                    params={"ledger": name, "dry_run": True},
                    upload=(data, upload.name),
                )
                messages.info(request, "文件较大，正在后台试导入：完成后在本页查看结果并确认导入")
                return redirect("admin:job", pk=job.pk)
            report = import_ledger(name, data, upload.name, actor=request.user, dry_run=True, source="import")
            _forget_upload(request)  # a new upload replaces one still waiting
            if report.ok:
                token = pending_storage().save(uuid.uuid4().hex, ContentFile(data))
                request.session["ledger_upload"] = {"token": token, "ledger": name, "filename": upload.name}
    return _render(
        request,
        "admin/ledgers/import.html",
        f"导入{ledger.title}",
        ledger=ledger,
        form=form,
        report=report,
        token=token,
        columns=[(column, ledger.describe_column(column)) for column in ledger.columns],
    )


def ledger_template(request, name):
    """The ledger's blank .xlsx template: its header row and a sheet 填写说明."""
    ledger = _ledger_or_404(name)
    if not ledger.may(request.user):
        raise PermissionDenied
    return file_response(blank_template(name), f"{ledger.title}-空白模板.xlsx")


class RevealConfirmForm(StyledForm):
    format = forms.ChoiceField(label="文件格式", choices=[("xlsx", "Excel（.xlsx）"), ("csv", "CSV（.csv）")])
    confirm_reveal = forms.BooleanField()

    def __init__(self, *args, revealed="", **kwargs):
        super().__init__(*args, **kwargs)
        label = f"确认导出完整的{revealed}"
        self.fields["confirm_reveal"].label = label
        self.fields["confirm_reveal"].error_messages["required"] = f"请勾选“{label}”后再导出"


def ledger_export(request, name):
    """Export the ledger. One that writes full ID numbers first shows what will be exported and
    exports only once 确认导出完整身份证号 is ticked (a POST); that export is logged as a reveal."""
    ledger = _ledger_or_404(name)
    if not ledger.may(request.user, export=True):
        raise PermissionDenied
    fmt = "csv" if request.GET.get("format") == "csv" else "xlsx"
    confirmed = False
    if ledger.reveals:
        form = RevealConfirmForm(
            request.POST or None, initial={"format": fmt}, revealed="和".join(ledger.reveals)
        )
        if request.method != "POST" or not form.is_valid():
            return _render(
                request,
                "admin/ledgers/export_confirm.html",
                f"导出{ledger.title}",
                ledger=ledger,
                form=form,
                count=ledger.export_queryset(request.user).count(),
                headers="、".join(column.header for column in ledger.columns),
                revealed="和".join(ledger.reveals),
            )
        fmt, confirmed = form.cleaned_data["format"], True
    if ledger.export_queryset(request.user).count() > settings.JOBS_EXPORT_ROWS:
        job = enqueue(
            EXPORT_KIND,
            user=request.user,
            title=f"导出{ledger.title}",
            params={"ledger": name, "format": fmt, "reveal_confirmed": confirmed},
        )
        messages.info(request, "记录较多，正在后台导出：完成后在本页下载")
        return redirect("admin:job", pk=job.pk)
    data = export_ledger(name, user=request.user, fmt=fmt, source="web", reveal_confirmed=confirmed)
    return file_response(data, f"{ledger.title}-{timezone.localdate():%Y%m%d}.{fmt}")


class WarningFilterForm(StyledForm):
    scope = forms.ModelChoiceField(label="范围", queryset=None, required=False, empty_label="我的全部范围")
    group = forms.ChoiceField(label="类别", required=False)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["scope"].queryset = restrict(
            user, PartyOrganization.objects.exclude(kind=OrgKind.PARTY_GROUP), "view"
        ).order_by("path")
        self.fields["group"].choices = [("", "全部"), *warning_groups().items()]


WARNINGS_PER_PAGE = 100
WARNING_HEADERS = ["党组织", "组织类别", "预警类别", "预警"]


def warning_list(request):
    """组织预警 for the user's scope or a part of it, counted by group, a page at a time."""
    if not request.user.has_perm(WARNINGS_PERMISSION):
        raise PermissionDenied
    form = WarningFilterForm(request.GET or None, user=request.user)
    scope, group = None, ""
    if form.is_bound and form.is_valid():
        scope, group = form.cleaned_data["scope"], form.cleaned_data["group"]
    counts = warning_counts(user=request.user, root=scope)
    shown = warning_rows(user=request.user, root=scope, group=group or None)
    if wants_xlsx(request):
        note = f"{scope.name if scope else '我的全部范围'}{' · ' + warning_groups()[group] if group else ''}"
        rows = (
            [w.organization.name, w.organization.get_kind_display(), w.group_label, w.message]
            for w in shown.iterator(chunk_size=2000)
        )
        return export_response(request.user, "组织预警", WARNING_HEADERS, rows, note=note)
    total = sum(counts.values())
    shown_count = counts.get(group, 0) if group else total
    paginator = Paginator(shown, WARNINGS_PER_PAGE)
    paginator.count = shown_count  # counted by the GROUP BY above: no second count
    page = paginator.get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    query.pop("format", None)
    return _render(
        request,
        "admin/warnings.html",
        "组织预警",
        form=form,
        total=total,
        groups=[(key, label, counts.get(key, 0)) for key, label in warning_groups().items()],
        group=group,
        shown=shown_count,
        page=page,
        query=query.urlencode(),
        headers=WARNING_HEADERS,
    )


def warning_count(request):
    """The number of warnings in the user's scope, for the dashboard to load after it is shown
    (a province's take seconds to work out)."""
    if not request.user.has_perm(WARNINGS_PERMISSION):
        raise PermissionDenied
    return JsonResponse({"count": sum(warning_counts(user=request.user).values())})


def todo_list(request):
    """我的待办, for the first page to load after it is shown (each kind reads the user's records);
    as a fragment of the page, or the whole page with ?page=1."""
    groups = core_registry.todos(request.user, timezone.localdate(), limit=TODOS_SHOWN)
    if request.GET.get("page"):
        return _render(request, "admin/todos_page.html", "我的待办", groups=groups)
    return TemplateResponse(request, "admin/todos.html", {"groups": groups})


TODOS_SHOWN = 8


class IndicatorForm(StyledForm):
    year = forms.IntegerField(label="年度", min_value=registry.FIRST_YEAR, max_value=registry.LAST_YEAR)
    month = forms.TypedChoiceField(
        label="月份",
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", "全年"), *((m, f"{m}月") for m in range(1, 13))],
    )
    quarter = forms.TypedChoiceField(
        label="季度",
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", "全年"), *((q, f"第{q}季度") for q in range(1, 5))],
    )
    scope = forms.ModelChoiceField(label="范围", queryset=None, required=False, empty_label="我的全部范围")

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["scope"].queryset = restrict(
            user, PartyOrganization.objects.exclude(kind=OrgKind.PARTY_GROUP), "view"
        ).order_by("path")


def _indicator_context(request):
    if not request.user.has_perm("indicators.view_indicators"):
        raise PermissionDenied
    form = IndicatorForm(request.GET or {"year": timezone.localdate().year}, user=request.user)
    year = timezone.localdate().year
    scope = None
    period = registry.Period.year(year)
    if form.is_valid():
        year = form.cleaned_data["year"]
        scope = form.cleaned_data["scope"]
        period = registry.Period.year(year)
        if form.cleaned_data.get("month"):
            period = month_period(year, form.cleaned_data["month"])
        elif form.cleaned_data.get("quarter"):
            last = 3 * form.cleaned_data["quarter"]
            period = registry.Period(month_period(year, last - 2).start, month_period(year, last).end)
    return form, registry.Context(period=period, scope=scope, user=request.user)


def month_period(year: int, month: int) -> registry.Period:
    return registry.Period(
        datetime.date(year, month, 1), datetime.date(year, month, calendar.monthrange(year, month)[1])
    )


def _scope_note(ctx):
    scope = ctx.scope.name if ctx.scope is not None else "我的全部范围"
    return f"{ctx.period.label} · {scope}"


def _exported(request, title, headers, rows, ctx, what):
    return export_response(request.user, title, headers, rows, note=_scope_note(ctx), what=what)


def indicator_table(request):
    form, ctx = _indicator_context(request)
    rows = [{"indicator": ind, "value": ind(ctx).value} for ind in registry.all_indicators()]
    if request.GET.get("format") == "xlsx":
        return _exported(
            request,
            "指标",
            ["代码", "指标", "数值", "单位"],
            ([r["indicator"].code, r["indicator"].name, r["value"], r["indicator"].unit] for r in rows),
            ctx,
            "指标",
        )
    return _render(
        request,
        "admin/indicators/table.html",
        "指标",
        form=form,
        rows=rows,
        query=_without(request.GET, "format"),
    )


def _without(query, *keys):
    query = query.copy()
    for key in keys:
        query.pop(key, None)
    return query.urlencode()


def indicator_records(request, code):
    try:
        indicator = registry.get(code)
    except KeyError:
        raise Http404("没有这个指标") from None
    form, ctx = _indicator_context(request)
    # the figure's own filters (问题来源, 平台类型, …) as the address names them: a chart's point
    ctx.filters = {name: request.GET[name] for name in indicator.filters if request.GET.get(name)}
    result = indicator(ctx)
    records = result.records if result.records is not None else []
    headers = ["序号", "记录", *(part.label for part in result.parts)]
    if request.GET.get("format") == "xlsx":
        rows = (
            [index, str(record), *(part.value(record) for part in result.parts)]
            for index, record in enumerate(
                records.iterator(chunk_size=2000) if hasattr(records, "iterator") else records, start=1
            )
        )
        return _exported(request, indicator.name, headers, rows, ctx, f"指标“{indicator.name}”的记录")
    page = Paginator(records, 100).get_page(request.GET.get("page"))
    rows = [
        {
            "number": index,
            "record": record,
            "url": record_url(request.user, record),
            "parts": [part.value(record) for part in result.parts],
        }
        for index, record in enumerate(page, start=page.start_index())
    ]
    return _render(
        request,
        "admin/indicators/records.html",
        indicator.name,
        indicator=indicator,
        result=result,
        page=page,
        rows=rows,
        headers=headers,
        form=form,
        query=_without(request.GET, "page", "format"),
        back=redirect("admin:indicators").url,
        subtitle=" · ".join([ctx.period.label, *(f"{k}：{v}" for k, v in ctx.filters.items())]),
    )
