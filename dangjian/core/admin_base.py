"""The base of every back-office page for a scoped model: lists, forms and choices read through
`restrict(user)`; writes go through the app's services; an out-of-scope record is a 404."""

import datetime
from contextvars import ContextVar
from decimal import Decimal

from django import forms
from django.contrib import messages
from django.contrib.admin import SimpleListFilter
from django.contrib.admin.options import IncorrectLookupParameters
from django.core.exceptions import FieldDoesNotExist, PermissionDenied, ValidationError
from django.db import models
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.utils import timezone
from unfold.admin import ModelAdmin, TabularInline
from unfold.fields import UnfoldAdminReadonlyField

from . import registry
from .crypto import keyed_hash
from .exports import changelist_table, export_response, record_url
from .scope import in_scope, permission_name, restrict
from .services import config_delete, config_save
from .structured import data_spec, data_table

# Who is looking at the change page being drawn: a related record shown read-only is a link only
# when that user may open it (Django and unfold link it whenever it has an admin page).
_viewer: ContextVar = ContextVar("dangjian_admin_viewer", default=None)


def admin_viewer():
    """The user whose change page is being rendered (ServiceErrorsMixin.changeform_view), or None:
    for a read-only field that shows a link only to those who may follow it."""
    return _viewer.get()


def _may_view(user, obj) -> bool:
    if not user.has_perm(permission_name(type(obj), "view")):
        return False
    return getattr(type(obj), "SCOPE", None) is None or in_scope(user, obj, "view")


def _linked_only_if_allowed(get_admin_url):
    def linked(self, remote_field, remote_obj):
        user = _viewer.get()
        if user is not None and not _may_view(user, remote_obj):
            return str(remote_obj)
        return get_admin_url(self, remote_field, remote_obj)

    return linked


UnfoldAdminReadonlyField.get_admin_url = _linked_only_if_allowed(UnfoldAdminReadonlyField.get_admin_url)


class ServiceErrorsMixin:
    """A service's Chinese ValidationError (a rule the form could not check, a record still in
    use) is shown as a message on the page; nothing is written."""

    def _refused(self, request, exc, back):
        self.message_user(request, "；".join(exc.messages), messages.ERROR)
        return HttpResponseRedirect(back)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        token = _viewer.set(request.user)
        try:
            response = super().changeform_view(request, object_id, form_url, extra_context)
            if hasattr(response, "render") and not getattr(response, "is_rendered", True):
                response.render()  # while the viewer is known
            return response
        except ValidationError as exc:
            return self._refused(request, exc, request.get_full_path())
        finally:
            _viewer.reset(token)

    def delete_view(self, request, object_id, extra_context=None):
        try:
            return super().delete_view(request, object_id, extra_context)
        except ValidationError as exc:
            return self._refused(request, exc, request.path.rsplit("delete/", 1)[0])

    def changelist_view(self, request, extra_context=None):
        try:
            return super().changelist_view(request, extra_context)
        except ValidationError as exc:  # a list-editable row or a bulk delete the rules refuse
            return self._refused(request, exc, request.get_full_path())


def number_text(value, places: int) -> str:
    """A stored number as people read it: thousands separated, money in 元 to the fen (1,234.50),
    amounts kept exact to more places (万元) without their trailing zeros (32,000; 1,234.5)."""
    if value is None:
        return "—"
    value = Decimal(value)
    if places > 2:
        return f"{value.normalize():,f}"
    return f"{value:,.{places}f}"


class NumbersReadableMixin:
    """Decimal columns of a list show separated and without the zeros of exact storage; their
    form inputs show the plain number (32000, not 32000.000000)."""

    def get_list_display(self, request):
        shown = []
        for name in super().get_list_display(request):
            field = _decimal_field(self.model, name) if isinstance(name, str) else None
            shown.append(_number_column(field) if field else name)
        return shown

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        formfield = super().formfield_for_dbfield(db_field, request, **kwargs)
        if (
            isinstance(db_field, models.DecimalField)
            and formfield is not None
            and db_field.decimal_places > 2
        ):
            formfield.widget.format_value = _plain_number
        return formfield


def _decimal_field(model, name):
    try:
        field = model._meta.get_field(name)
    except FieldDoesNotExist:
        return None
    return field if isinstance(field, models.DecimalField) else None


def _number_column(field):
    def column(obj):
        return number_text(getattr(obj, field.name), field.decimal_places)

    column.short_description = field.verbose_name
    column.admin_order_field = field.name
    column.__name__ = field.name
    return column


def _plain_number(value):
    if value in (None, ""):
        return value
    try:
        return f"{Decimal(value).normalize():f}"
    except (ArithmeticError, ValueError, TypeError):
        return value


class StructuredDataMixin:
    """Structured data (a JSONField) is never shown as JSON: where it is read-only (a page the
    user may only view, a field the admin makes read-only, a list column) it is a Chinese table
    with the names the model's `data_spec(name)` gives (core.structured)."""

    def _structured_fields(self) -> dict:
        cached = self.__dict__.get("_structured")
        if cached is None:
            cached = {
                f.name: _table_column(f)
                for f in self.model._meta.concrete_fields
                if isinstance(f, models.JSONField)
            }
            self.__dict__["_structured"] = cached
        return cached

    def _as_tables(self, names, which):
        tables = self._structured_fields()

        def swap(name):
            if isinstance(name, list | tuple):
                return type(name)(swap(n) for n in name)
            return tables[name] if isinstance(name, str) and name in tables and name in which else name

        return [swap(name) for name in names]

    def get_readonly_fields(self, request, obj=None):
        fields = super().get_readonly_fields(request, obj)
        return self._as_tables(fields, set(fields) & set(self._structured_fields()))

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        tables = self._structured_fields()
        if not tables:
            return fieldsets
        if obj is not None and not self.has_change_permission(request, obj):
            shown = set(tables)  # the whole page is read-only
        else:
            shown = set(super().get_readonly_fields(request, obj)) & set(tables)
        if not shown:
            return fieldsets
        return [
            (title, {**options, "fields": self._as_tables(options["fields"], shown)})
            for title, options in fieldsets
        ]

    def get_list_display(self, request):
        shown = super().get_list_display(request)
        return self._as_tables(shown, set(self._structured_fields()))


def _table_column(field):
    def table(obj):
        return data_table(getattr(obj, field.name), data_spec(obj, field.name))

    table.short_description = field.verbose_name
    table.__name__ = f"{field.name}_table"  # not the field's name: its help text is about JSON
    return table


def keep_current_choices(form):
    """A record's present value of a scoped choice stays a valid choice though the user's scope
    does not reach it (the cadre of a project saves it with the enterprise that owns it); the
    user still cannot pick any other record out of their scope."""
    instance = form.instance
    if instance.pk is None:
        return
    for name, field in form.fields.items():
        queryset = getattr(field, "queryset", None)
        if queryset is None or isinstance(field, forms.ModelMultipleChoiceField):
            continue
        try:
            model_field = instance._meta.get_field(name)
        except FieldDoesNotExist:
            continue
        if not model_field.many_to_one or getattr(model_field.related_model, "SCOPE", None) is None:
            continue
        current = getattr(instance, model_field.attname)
        if current is not None:
            field.queryset = queryset | queryset.model._default_manager.filter(pk=current)


def _panel_cell(user, value):
    """A cell of a change panel as (text, link): a record links to its page when the user may
    open it; dates as 2025-12-31, yes/no in Chinese, nothing as —."""
    if isinstance(value, tuple):
        return value
    if isinstance(value, models.Model):
        return str(value), record_url(user, value)
    if value is None or value == "":
        return "—", ""
    if isinstance(value, bool):
        return ("是" if value else "否"), ""
    if isinstance(value, datetime.datetime):
        return f"{timezone.localtime(value):%Y-%m-%d %H:%M}", ""
    if isinstance(value, datetime.date):
        return f"{value:%Y-%m-%d}", ""
    if isinstance(value, Decimal):
        return number_text(value, 6), ""
    return str(value), ""


def change_panel_tables(request, obj) -> list[dict]:
    """The panels other apps registered for `obj`'s change page (core.registry.change_panel),
    each as a title, its headers and its rows of (text, link) cells."""
    tables = []
    for panel in registry.change_panels(obj._meta.label_lower):
        found = panel.rows(request, obj)
        if found is None:
            continue
        headers, rows = found
        tables.append(
            {
                "title": panel.title,
                "headers": list(headers),
                "rows": [[_panel_cell(request.user, cell) for cell in row] for row in rows],
            }
        )
    return tables


class ScopedAdmin(StructuredDataMixin, NumbersReadableMixin, ServiceErrorsMixin, ModelAdmin):
    list_per_page = 50
    # below the form: the records of other apps that belong to this one (core.registry.change_panel)
    change_form_outer_after_template = "admin/change_panels.html"
    show_full_result_count = False
    exportable = True  # the list offers 导出 Excel: its columns, filters and order, every page
    # personal data stored encrypted, searched by its keyed hash: {hash field: normalizer}; a search
    # term the normalizer accepts finds the records with that hash (the first normalizer wins)
    hashed_search: dict = {}

    def get_search_results(self, request, queryset, search_term):
        for hash_field, normalize in self.hashed_search.items():
            try:
                value = normalize(search_term.strip())
            except ValidationError:
                continue
            return queryset.filter(**{hash_field: keyed_hash(value)}), False
        return super().get_search_results(request, queryset, search_term)

    def get_urls(self):
        from django.urls import path

        name = f"{self.opts.app_label}_{self.opts.model_name}_export"
        return [
            path("export/", self.admin_site.admin_view(self.list_export_view), name=name),
            *super().get_urls(),
        ]

    def list_export_view(self, request):
        """The list as shown (its search, filters and order) over all its pages, as Excel."""
        if not self.exportable or not self.has_view_permission(request):
            raise PermissionDenied
        try:
            _changelist, headers, rows = changelist_table(self, request)
        except IncorrectLookupParameters:
            self.message_user(request, "筛选条件无效，未导出", messages.ERROR)
            return HttpResponseRedirect(request.path.rsplit("export/", 1)[0])
        title = str(self.opts.verbose_name_plural)
        return export_response(request.user, title, headers, rows, what=f"{title}列表")

    def get_queryset(self, request):
        return restrict(request.user, super().get_queryset(request), "view")

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None and obj.pk is not None:
            context["change_panels"] = change_panel_tables(request, obj)
        return super().render_change_form(request, context, add, change, form_url, obj)

    def get_form(self, request, obj=None, change=False, **kwargs):
        """A form class with `takes_user = True` receives the requesting user, to limit its own
        choices to the user's scope."""
        form = super().get_form(request, obj, change=change, **kwargs)
        user = request.user
        takes_user = getattr(form, "takes_user", False)

        class ScopedForm(form):
            def __init__(self, *args, **inner):
                super().__init__(*args, **({"user": user, **inner} if takes_user else inner))
                keep_current_choices(self)

        ScopedForm.__name__ = form.__name__
        return ScopedForm

    def _in_scope(self, request, obj, action):
        return in_scope(request.user, obj, action)

    # the permissions of the model that governs this one (a duty item's are its duty list's)
    def _may(self, request, action):
        return request.user.has_perm(permission_name(self.model, action))

    def has_view_permission(self, request, obj=None):
        return self._may(request, "view") or self._may(request, "change")

    def has_add_permission(self, request):
        return self._may(request, "add")

    def has_change_permission(self, request, obj=None):
        return self._may(request, "change") and (obj is None or self._in_scope(request, obj, "change"))

    def has_delete_permission(self, request, obj=None):
        return self._may(request, "delete") and (obj is None or self._in_scope(request, obj, "delete"))

    def _get_obj_does_not_exist_redirect(self, request, opts, object_id):
        raise Http404(f"{opts.verbose_name}不存在，或超出您的数据授权范围")

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if field is not None and getattr(db_field.related_model, "SCOPE", None) is not None:
            field.queryset = restrict(request.user, field.queryset, "view")
        return field

    # -- writes go through services -----------------------------------------------------------
    def save_model(self, request, obj, form, change):
        if change and not form.has_changed():
            return  # a page of read-only fields (the record changes through its steps)
        raise NotImplementedError("ScopedAdmin subclasses save through their app's services")

    def delete_model(self, request, obj):
        raise NotImplementedError("ScopedAdmin subclasses delete through their app's services")

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            if not self._in_scope(request, obj, "delete"):
                raise PermissionDenied
            self.delete_model(request, obj)

    def save_related(self, request, form, formsets, change):
        """A record's children (inline rows) are written by the app's services in
        `save_children`, given the formsets the user was shown; many-to-many fields are passed to
        the service by `save_model`. The admin's change message still lists what changed."""
        self.save_children(request, form, {formset.model: formset for formset in formsets}, change)
        for formset in formsets:
            note_formset_changes(formset)

    def save_children(self, request, form, formsets: dict, change):
        """By default each formset goes to `save_formset`, which an admin with editable
        children overrides to call its services."""
        for formset in formsets.values():
            self.save_formset(request, form, formset, change=change)

    def save_formset(self, request, form, formset, change):
        if formset.has_changed():
            raise NotImplementedError(
                f"{type(self).__name__}: write {formset.model.__name__} through services"
            )


class OnDayFilter(SimpleListFilter):
    """Records in force on a day (?<parameter_name>=2025-12-31; any day may be given), through
    the selector `on_day(queryset, day)`; a day that is not one is refused, never a 500."""

    def on_day(self, queryset, day):
        raise NotImplementedError

    def lookups(self, request, model_admin):
        now = timezone.localdate()
        ends = [datetime.date(now.year - n, 12, 31) for n in (1, 2, 3)]
        return [(f"{now:%Y-%m-%d}", "今天"), *((f"{d:%Y-%m-%d}", f"{d.year}年末") for d in ends)]

    def queryset(self, request, queryset):
        value = self.value()
        if not value:
            return queryset
        try:
            day = datetime.date.fromisoformat(value)
        except ValueError:
            raise IncorrectLookupParameters("日期应写作 2025-12-31") from None
        return self.on_day(queryset, day)


def save_rows(formset, *, delete, save):
    """A formset's rows written by the app's services: `delete(stored)` for each stored row marked
    for deletion, then `save(stored, data)` for each new (stored None) or changed row, `stored`
    being the row as it is in the database (not the form's edited instance), `data` the row's
    cleaned data."""
    model = formset.model
    deleted = set(formset.deleted_forms)
    for row in deleted:
        if row.instance.pk:
            delete(model._default_manager.get(pk=row.instance.pk))
    for row in formset.forms:
        if row in deleted or not row.has_changed() or not getattr(row, "cleaned_data", None):
            continue
        save(model._default_manager.get(pk=row.instance.pk) if row.instance.pk else None, row.cleaned_data)


def note_formset_changes(formset):
    """What a formset's save would have reported (new, changed and deleted rows), for the
    admin's change message when the rows were written by services instead."""
    if hasattr(formset, "new_objects"):
        return
    deleted = set(formset.deleted_forms) if formset.can_delete else set()
    formset.new_objects = [f.instance for f in formset.extra_forms if f.has_changed() and f not in deleted]
    formset.changed_objects = [
        (f.instance, f.changed_data) for f in formset.initial_forms if f.has_changed() and f not in deleted
    ]
    formset.deleted_objects = [f.instance for f in deleted if f.instance.pk]


class StepsAdminMixin:
    """The steps of a workflow in the back office, one page each at …/<id>/step/<step>/ (URL name
    `<step_url_name>`): the step's form, and on submit the step (a core.services.Step) taken by
    its service; a refusal shows the service's Chinese reasons on the form and changes nothing."""

    steps: dict = {}  # name → Step
    step_forms: dict = {}  # name → the form the back office offers for it
    step_record = "record"  # the service's keyword for the record
    step_url_name = ""

    def get_urls(self):
        from django.urls import path

        return [
            path(
                "<int:pk>/step/<str:step>/",
                self.admin_site.admin_view(self.step_view),
                name=self.step_url_name,
            ),
            *super().get_urls(),
        ]

    def prepare_step_form(self, request, step, obj, form):
        """Limit a step form's choices to what the user may see (a hook)."""

    def step_data(self, step, data: dict) -> dict:
        return data

    def step_subject(self, obj) -> str:
        return str(obj)

    def step_view(self, request, pk, step):
        from django.shortcuts import get_object_or_404
        from django.urls import reverse

        if step not in self.step_forms:
            raise PermissionDenied
        obj = get_object_or_404(self.get_queryset(request), pk=pk)
        if not self.has_change_permission(request, obj):
            raise PermissionDenied
        chosen, form = self.steps[step], self.step_forms[step](request.POST or None)
        self.prepare_step_form(request, step, obj, form)
        opts = self.model._meta
        back = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])
        if request.method == "POST" and form.is_valid():
            try:
                chosen.run(
                    actor=request.user,
                    data=self.step_data(step, dict(form.cleaned_data)),
                    **{self.step_record: obj},
                )
            except ValidationError as exc:
                form_errors_from(exc, form)
            else:
                self.message_user(
                    request, f"{self.step_subject(obj)}：{chosen.title}已记录", messages.SUCCESS
                )
                return HttpResponseRedirect(back)
        return admin_page(
            self,
            request,
            "admin/dangjian_action.html",
            chosen.title,
            subtitle=self.step_subject(obj),
            form=form,
            back_url=back,
        )


def admin_page(model_admin, request, template: str, title: str, **context):
    """A custom page of `model_admin` (a step form, a board, a ledger) in the back office's frame."""
    return TemplateResponse(
        request,
        template,
        {
            **model_admin.admin_site.each_context(request),
            "title": title,
            "opts": model_admin.model._meta,
            **context,
        },
    )


def formset_rows(formset) -> list[dict]:
    """The rows an inline formset ends with, in form order: the cleaned data of the kept and the
    new forms, without the deleted ones and the empty extra ones (for a service that takes all
    of a record's children at once)."""
    rows = []
    for form in formset.forms:
        data = getattr(form, "cleaned_data", None)
        if not data or (formset.can_delete and formset._should_delete_form(form)):
            continue
        rows.append(data)
    return rows


def form_errors_from(exc: ValidationError, form):
    """Attach a service's ValidationError to a bound form."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


class ReadOnlyAdminMixin:
    """Records written only by the system (history, the audit log): nobody adds, edits or
    deletes them in the back office."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ChildInline(TabularInline):
    """Rows that are part of their parent record (a meeting's agenda and attendance, a project's
    milestones): whoever may view the parent sees them, whoever may change the parent edits them
    (the parent's admin writes them through its services, see ScopedAdmin.save_children). The
    roles carry no permission of their own on such rows."""

    extra = 0

    def _parent_may(self, request, action, obj=None):
        if not request.user.has_perm(permission_name(self.parent_model, action)):
            return False
        return obj is None or obj.pk is None or in_scope(request.user, obj, action)

    def has_view_permission(self, request, obj=None):
        return self._parent_may(request, "view", obj) or self._parent_may(request, "change", obj)

    def has_add_permission(self, request, obj=None):
        return self._parent_may(request, "change", obj)

    def has_change_permission(self, request, obj=None):
        return self._parent_may(request, "change", obj)

    def has_delete_permission(self, request, obj=None):
        return self._parent_may(request, "change", obj)


class TimelineInline(ReadOnlyAdminMixin, ChildInline):
    """A record's timeline on its change page, oldest first, read-only (written by the steps)."""

    fields = ["on", "kind", "actor_label", "note"]
    extra = 0

    def get_readonly_fields(self, request, obj=None):
        return self.fields


class ConfigAdmin(ServiceErrorsMixin, ModelAdmin):
    """Configuration records (industry clusters, request categories, holidays): not scoped; saved
    and deleted through core's configuration services, so the model's rules and the audit log
    apply, and a record still in use is not deleted (a Chinese message says what uses it)."""

    def save_model(self, request, obj, form, change):
        config_save(actor=request.user, instance=obj)

    def delete_model(self, request, obj):
        config_delete(actor=request.user, instance=obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self.delete_model(request, obj)
