from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from unfold.admin import ModelAdmin
from unfold.forms import AdminPasswordChangeForm, UserCreationForm

from dangjian.core import registry

from . import services
from .forms import PermissionChoiceField, UserChangeForm, product_app_labels
from .models import Grant, Role, User

admin.site.unregister(Group)


@admin.register(User)
class UserAdmin(DjangoUserAdmin, ModelAdmin):
    form = UserChangeForm
    add_form = UserCreationForm
    change_password_form = AdminPasswordChangeForm
    list_display = ["username", "full_name", "title", "is_active", "last_login"]
    list_filter = ["is_active"]
    search_fields = ["username", "full_name"]
    ordering = ["username"]
    fieldsets = [
        (None, {"fields": ["username", "password"]}),
        ("个人信息", {"fields": ["full_name", "title", "email"]}),
        ("状态", {"fields": ["is_active", "last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (None, {"classes": ["wide"], "fields": ["username", "full_name", "password1", "password2"]})
    ]
    readonly_fields = ["last_login", "date_joined"]

    def has_delete_permission(self, request, obj=None):
        return False  # accounts are deactivated, never deleted: the audit log refers to them

    def save_model(self, request, obj, form, change):
        services.user_save(actor=request.user, user=obj)


@admin.register(Role)
class RoleAdmin(ModelAdmin):
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

    def save_model(self, request, obj, form, change):
        pass  # saved with its permissions in save_related, through the service

    def save_related(self, request, form, formsets, change):
        chosen = list(form.cleaned_data.get("permissions") or [])
        offered = form.fields["permissions"].queryset if "permissions" in form.fields else None
        if form.instance.pk and offered is not None:  # permissions the form does not offer stay
            chosen += list(form.instance.permissions.exclude(pk__in=offered.values("pk")))
        services.role_save(actor=request.user, role=form.instance, permissions=chosen)

    def delete_model(self, request, obj):
        services.role_delete(actor=request.user, role=obj)

    def delete_queryset(self, request, queryset):
        for role in queryset:
            services.role_delete(actor=request.user, role=role)


@admin.register(Grant)
class GrantAdmin(ModelAdmin):
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
        form = super().get_form(request, obj, change=change, **kwargs)
        actor = request.user

        class GrantForm(form):
            def clean(self):
                cleaned = super().clean()
                if (
                    cleaned.get("user") is not None
                    and cleaned["user"].pk == actor.pk
                    and not actor.is_superuser
                ):
                    self.add_error("user", "不能给自己授权或修改自己的授权")
                return cleaned

        return GrantForm


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
