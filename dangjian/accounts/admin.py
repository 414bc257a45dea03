from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.cache import add_never_cache_headers
from django.utils.html import format_html
from unfold.admin import ModelAdmin
from unfold.forms import UserCreationForm

from dangjian.core import registry
from dangjian.core.admin_base import ServiceErrorsMixin, admin_viewer, form_errors_from
from dangjian.core.second_factor import enrolled

from . import services
from .forms import PasswordResetForm, PermissionChoiceField, UserChangeForm, product_app_labels
from .models import Grant, Role, User

admin.site.unregister(Group)


@admin.register(User)
class UserAdmin(ServiceErrorsMixin, DjangoUserAdmin, ModelAdmin):
    form = UserChangeForm
    add_form = UserCreationForm
    list_display = ["username", "full_name", "title", "is_active", "last_login"]
    list_filter = ["is_active"]
    search_fields = ["username", "full_name"]
    ordering = ["username"]
    fieldsets = [
        (None, {"fields": ["username", "password"]}),
        ("个人信息", {"fields": ["full_name", "title", "email"]}),
        (
            "状态",
            {
                "fields": [
                    "is_active",
                    "must_change_password",
                    "password_changed_at",
                    "second_factor",
                    "last_login",
                    "date_joined",
                ]
            },
        ),
    ]
    add_fieldsets = [
        (None, {"classes": ["wide"], "fields": ["username", "full_name", "password1", "password2"]})
    ]
    readonly_fields = [
        "must_change_password",
        "password_changed_at",
        "second_factor",
        "last_login",
        "date_joined",
    ]

    @admin.display(description="双因素认证")
    def second_factor(self, obj):
        if not obj.pk:
            return "—"
        if not enrolled(obj):
            return "未启用"
        viewer = admin_viewer()
        if viewer is None or viewer.pk == obj.pk or not viewer.has_perm("accounts.change_user"):
            return "已启用"
        url = reverse("admin:accounts_user_second_factor", args=[obj.pk])
        return format_html('已启用 · <a class="text-primary-600" href="{}">重置双因素认证</a>', url)

    def get_urls(self):
        return [
            path(
                "<path:object_id>/second-factor/",
                self.admin_site.admin_view(self.second_factor_view),
                name="accounts_user_second_factor",
            ),
            *super().get_urls(),
        ]

    def second_factor_view(self, request, object_id):
        """<id>/second-factor/: 重置双因素认证 of another user (a lost phone), after confirming."""
        user = self.get_object(request, unquote(object_id))
        if user is None:
            raise Http404("该用户不存在")
        if not self.has_change_permission(request, user):
            raise PermissionDenied
        done, error = False, None
        if request.method == "POST":
            try:
                services.second_factor_reset(actor=request.user, user=user)
            except ValidationError as exc:
                error = "；".join(exc.messages)
            else:
                done = True
        return TemplateResponse(
            request,
            "admin/accounts/user/reset_second_factor.html",
            {
                **self.admin_site.each_context(request),
                "title": f"重置双因素认证：{user}",
                "opts": self.opts,
                "original": user,
                "enrolled": enrolled(user),
                "done": done,
                "error": error,
            },
            status=400 if error else 200,
        )

    def has_delete_permission(self, request, obj=None):
        return False  # accounts are deactivated, never deleted: the audit log refers to them

    def save_model(self, request, obj, form, change):
        services.user_save(actor=request.user, user=obj)

    def user_change_password(self, request, id, form_url=""):
        """<id>/password/: 重置密码 of another user (accounts.services.password_reset), the temporary
        password shown on this page once and never stored in clear; one's own password is changed
        on the 修改密码 page, with the old one."""
        user = self.get_object(request, unquote(id))
        if user is None:
            raise Http404("该用户不存在")
        if user.pk == request.user.pk:
            return redirect("admin:password_change")
        if not self.has_change_permission(request, user):
            raise PermissionDenied
        form = PasswordResetForm(request.POST if request.method == "POST" else None)
        new_password = None
        if form.is_bound and form.is_valid():
            chosen = form.cleaned_data["password1"] or None
            try:
                new_password = services.password_reset(actor=request.user, user=user, password=chosen)
            except ValidationError as exc:
                form_errors_from(exc, form)
            else:
                form = None
                if chosen:
                    new_password = ""  # the administrator chose it: not shown again
        response = TemplateResponse(
            request,
            "admin/accounts/user/reset_password.html",
            {
                **self.admin_site.each_context(request),
                "title": f"重置密码：{user}",
                "opts": self.opts,
                "original": user,
                "form": form,
                "new_password": new_password,
            },
        )
        add_never_cache_headers(response)
        return response


def checked_by_service(form_class, check):
    """`form_class` whose validation also runs the service's rules, `check(form)`, so they are said
    on the form beside its fields (the service checks them again when saving)."""

    class CheckedForm(form_class):
        def _post_clean(self):
            super()._post_clean()
            try:
                check(self)
            except ValidationError as exc:
                self._update_errors(exc)

    CheckedForm.__name__ = form_class.__name__
    return CheckedForm


def chosen_permissions(form) -> list | None:
    """The permissions a role form gives its role: those ticked, and those it does not offer."""
    if "permissions" not in form.fields or not hasattr(form, "cleaned_data"):
        return None
    chosen = list(form.cleaned_data.get("permissions") or [])
    offered = form.fields["permissions"].queryset
    if form.instance.pk:  # permissions the form does not offer stay
        chosen += list(form.instance.permissions.exclude(pk__in=offered.values("pk")))
    return chosen


@admin.register(Role)
class RoleAdmin(ServiceErrorsMixin, ModelAdmin):
    list_display = ["name", "scope_kind", "builtin", "grant_count"]  # the code is an identifier, not shown
    fields = ["name", "code", "scope_kind", "description", "permissions"]
    search_fields = ["name", "code"]

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "permissions":
            return PermissionChoiceField(label="权限", required=False)
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    @admin.display(description="授权数")
    def grant_count(self, obj):
        return obj.grants.count()

    def get_readonly_fields(self, request, obj=None):
        return ["code", "scope_kind"] if obj is not None and obj.builtin else []

    def has_delete_permission(self, request, obj=None):
        if obj is not None and services.role_delete_blocker(obj):
            return False
        return super().has_delete_permission(request, obj)

    def get_form(self, request, obj=None, change=False, **kwargs):
        actor = request.user
        return checked_by_service(
            super().get_form(request, obj, change=change, **kwargs),
            lambda form: services.check_role(
                actor=actor, role=form.instance, permissions=chosen_permissions(form)
            ),
        )

    def save_model(self, request, obj, form, change):
        pass  # saved with its permissions in save_related, through the service

    def save_related(self, request, form, formsets, change):
        services.role_save(actor=request.user, role=form.instance, permissions=chosen_permissions(form))

    def delete_model(self, request, obj):
        services.role_delete(actor=request.user, role=obj)

    def delete_queryset(self, request, queryset):
        for role in queryset:
            services.role_delete(actor=request.user, role=role)


@admin.register(Grant)
class GrantAdmin(ServiceErrorsMixin, ModelAdmin):
    list_display = ["user", "role", "scope_label", "valid_from", "valid_until", "note"]
    list_filter = ["role"]
    search_fields = ["user__username", "user__full_name", "organization__name", "enterprise__name"]
    autocomplete_fields = ["user", "organization", "enterprise"]
    list_select_related = ["user", "role", "organization", "enterprise", "content_type"]
    fields = services.GRANT_FIELDS

    @admin.display(description="范围")
    def scope_label(self, obj):
        return obj.scope_label

    def save_model(self, request, obj, form, change):
        services.grant_save(actor=request.user, grant=obj)

    def delete_model(self, request, obj):
        services.grant_delete(actor=request.user, grant=obj)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "content_type":
            # an assigned record is one of the product's own, never a library's (django-otp's devices)
            kwargs["queryset"] = ContentType.objects.filter(app_label__in=product_app_labels())
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_form(self, request, obj=None, change=False, **kwargs):
        actor = request.user
        return checked_by_service(
            super().get_form(request, obj, change=change, **kwargs),
            lambda form: services.check_grant(actor=actor, grant=form.instance),
        )


registry.nav_section("system", "系统", order=90, module=__name__)
registry.nav_items(
    "system",
    {
        "title": "用户",
        "icon": "person",
        "url": "admin:accounts_user_changelist",
        "permissions": "accounts.view_user",
    },
    {
        "title": "角色",
        "icon": "badge",
        "url": "admin:accounts_role_changelist",
        "permissions": "accounts.view_role",
    },
    {
        "title": "授权",
        "icon": "key",
        "url": "admin:accounts_grant_changelist",
        "permissions": "accounts.view_grant",
    },
    module=__name__,
)
