"""Tables handed out as Excel: every list, statistics page and drill-down exports the columns it
shows, through the user's scope, with text that looks like a formula kept as text."""

import datetime
import io
from decimal import Decimal

from django.contrib.admin.utils import label_for_field, lookup_field
from django.db import models
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.html import strip_tags
from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill

from dangjian.audit.services import AuditEntry, audit_context, audit_record

from .files import file_response
from .scope import permission_name

# a cell starting with one of these would be read by Excel as a formula
DANGEROUS_START = ("=", "+", "-", "@", "\t", "\r")


def neutral(value):
    """(value, True) when `value` is text that a spreadsheet would take for a formula."""
    if isinstance(value, str) and value.startswith(DANGEROUS_START):
        return value, True
    return value, False


def cell_value(value):
    """A value as a spreadsheet cell: yes/no in Chinese, exact amounts as numbers, records as text."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).replace(tzinfo=None) if timezone.is_aware(value) else value
    if isinstance(value, int | float | datetime.date | str):
        return value
    return str(value)


def xlsx_table(title: str, headers, rows, *, note: str = "") -> bytes:
    """One sheet named `title`: a bold header row, then the rows (dates as dates, numbers as
    numbers, formula-like text as text); `note` (the scope, the period) goes above the table."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = (title or "导出")[:31].replace("/", "／")
    first = 1
    if note:
        sheet.cell(row=1, column=1, value=note)
        first = 3
    for index, header in enumerate(headers, start=1):
        cell = sheet.cell(row=first, column=index, value=header)
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="FDE2E2")
    for row_number, row in enumerate(rows, start=first + 1):
        for index, raw in enumerate(row, start=1):
            value, dangerous = neutral(cell_value(raw))
            cell = sheet.cell(row=row_number, column=index, value=value)
            if dangerous:
                cell.data_type = "s"
                cell.quotePrefix = True
            elif isinstance(value, datetime.datetime):
                cell.number_format = "yyyy-mm-dd hh:mm"
            elif isinstance(value, datetime.date):
                cell.number_format = "yyyy-mm-dd"
    for index, header in enumerate(headers, start=1):
        letter = sheet.cell(row=first, column=index).column_letter
        sheet.column_dimensions[letter].width = max(12, len(str(header)) * 2 + 4)
    sheet.freeze_panes = sheet.cell(row=first + 1, column=1)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def export_response(user, title: str, headers, rows, *, note: str = "", what: str = ""):
    """A statistics table as an Excel download named after `title`, logged as an export by `user`
    (`what`: how the log names it; the title by default)."""
    rows = list(rows)
    what = what or title
    with audit_context(source="web", label=f"导出{what}", user=user):
        audit_record(AuditEntry.Action.EXPORT, message=f"导出{what} {len(rows)} 条（xlsx）")
    stamp = f"导出时间 {timezone.localtime():%Y-%m-%d %H:%M}"
    data = xlsx_table(title, headers, rows, note=f"{note}（{stamp}）" if note else f"{title}（{stamp}）")
    return file_response(data, f"{title}-{timezone.localdate():%Y%m%d}.xlsx")


def wants_xlsx(request) -> bool:
    """The page was asked for as Excel (?format=xlsx)."""
    return request.GET.get("format") == "xlsx"


def record_url(user, obj) -> str:
    """The back-office page of `obj` if it has one and `user` may open it, else ''. The records
    given here were read through the user's scope; the model permission decides the rest."""
    if obj is None or not isinstance(obj, models.Model) or obj.pk is None:
        return ""
    if user is not None and not user.has_perm(permission_name(type(obj), "view")):
        return ""
    opts = obj._meta
    try:
        return reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])
    except NoReverseMatch:
        return ""


def _list_value(field, attr, value):
    if field is not None and callable(getattr(field, "masked", None)):  # personal data (core.crypto)
        return field.masked(value) or None
    if field is not None and getattr(field, "flatchoices", None):
        return dict(field.flatchoices).get(value, value)
    if isinstance(value, str):
        return strip_tags(value).strip()
    if isinstance(value, models.Model):
        return str(value)
    if isinstance(value, models.Manager):
        return "、".join(str(item) for item in value.all())
    return value


def changelist_table(model_admin, request):
    """The headers and rows of a back-office list as the user sees it: its columns, its filters,
    search and order, over every page (not only the one shown), through the admin's scoped
    queryset."""
    changelist = model_admin.get_changelist_instance(request)
    names = [name for name in changelist.list_display if name != "action_checkbox"]
    headers = [
        strip_tags(str(label_for_field(name, model_admin.model, model_admin=model_admin))) for name in names
    ]

    def rows():
        for obj in changelist.get_queryset(request).iterator(chunk_size=2000):
            row = []
            for name in names:
                try:
                    field, attr, value = lookup_field(name, obj, model_admin)
                except (AttributeError, models.ObjectDoesNotExist):
                    field, attr, value = None, None, None
                row.append(_list_value(field, attr, value))
            yield row

    return changelist, headers, rows()
