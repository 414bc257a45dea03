"""The base of every back-office page for a scoped model: lists, forms and choices read through
`restrict(user)`; writes go through the app's services; an out-of-scope record is a 404."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseRedirect
from unfold.admin import ModelAdmin, TabularInline

from .scope import in_scope, restrict


class ScopedAdmin(ModelAdmin):
    list_per_page = 50
    show_full_result_count = False

    def get_queryset(self, request):
        return restrict(request.user, super().get_queryset(request), "view")

    def get_form(self, request, obj=None, change=False, **kwargs):
        """A form class with `takes_user = True` receives the requesting user, to limit its own
        choices to the user's scope."""
        form = super().get_form(request, obj, change=change, **kwargs)
        if not getattr(form, "takes_user", False):
            return form
        user = request.user

        class UserForm(form):
            def __init__(self, *args, **inner):
                super().__init__(*args, user=user, **inner)

        return UserForm

    def _in_scope(self, request, obj, action):
        return in_scope(request.user, obj, action)

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or self._in_scope(request, obj, "change"))

    def has_delete_permission(self, request, obj=None):
        allowed = super().has_delete_permission(request, obj)
        return allowed and (obj is None or self._in_scope(request, obj, "delete"))

    def _get_obj_does_not_exist_redirect(self, request, opts, object_id):
        raise Http404(f"{opts.verbose_name}不存在，或超出您的数据授权范围")

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if field is not None and getattr(db_field.related_model, "SCOPE", None) is not None:
            field.queryset = restrict(request.user, field.queryset, "view")
        return field

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except ValidationError as exc:  # a service's rule that the form could not check
            self.message_user(request, "；".join(exc.messages), messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())

    # -- writes go through services -----------------------------------------------------------
    def save_model(self, request, obj, form, change):
        raise NotImplementedError("ScopedAdmin subclasses save through their app's services")

    def delete_model(self, request, obj):
        raise NotImplementedError("ScopedAdmin subclasses delete through their app's services")

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            if not self._in_scope(request, obj, "delete"):
                raise PermissionDenied
            self.delete_model(request, obj)


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


class TimelineInline(ReadOnlyAdminMixin, TabularInline):
    """A record's timeline on its change page, oldest first, read-only (written by the steps)."""

    fields = ["on", "kind", "actor_label", "note"]
    extra = 0

    def get_readonly_fields(self, request, obj=None):
        return self.fields
