"""The security administrator's pages of login lockouts (django-axes' records, see
accounts.lockout): the accounts with failed sign-ins, which are locked and until when, and the
解锁 action; the failure log, read-only. Other roles do not see them."""

from axes.models import AccessAttempt, AccessFailureLog
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.utils import timezone
from unfold.admin import ModelAdmin

from dangjian.accounts.lockout import failure_limit, lock_duration, locked_until, locked_usernames
from dangjian.core import registry
from dangjian.core.admin_base import ReadOnlyAdminMixin

from .services import UNLOCK_PERMISSION, unlock_accounts


class LockStateFilter(admin.SimpleListFilter):
    title = "状态"
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return [("locked", "已锁定"), ("open", "未锁定")]

    def queryset(self, request, queryset):
        if self.value() == "locked":
            return queryset.filter(username__in=locked_usernames())
        if self.value() == "open":
            return queryset.exclude(username__in=locked_usernames())
        return queryset


@admin.register(AccessAttempt)
class LockoutAdmin(ReadOnlyAdminMixin, ModelAdmin):
    """One row per user name, address and browser with failed sign-ins; a user name is locked
    once its rows together reach the limit."""

    list_display = ["username", "state", "failures_since_start", "ip_address", "attempt_time", "path_info"]
    list_filter = [LockStateFilter]
    search_fields = ["username", "ip_address"]
    ordering = ["-attempt_time"]
    fields = [
        "username",
        "state",
        "failures_since_start",
        "ip_address",
        "user_agent",
        "attempt_time",
        "path_info",
    ]
    readonly_fields = fields
    actions = ["unlock"]

    def get_queryset(self, request):
        # rows whose lock or count has run out are not shown (django-axes deletes them at the next attempt)
        return super().get_queryset(request).filter(attempt_time__gte=timezone.now() - lock_duration())

    @admin.display(description="状态")
    def state(self, obj):
        until = locked_until(obj.username)
        if until is not None:
            return f"已锁定，至 {timezone.localtime(until):%Y-%m-%d %H:%M}"
        return f"未锁定（{failure_limit()} 次失败即锁定）"

    def has_unlock_permission(self, request):
        return request.user.has_perm(UNLOCK_PERMISSION)

    @admin.action(description="解锁所选账号", permissions=["unlock"])
    def unlock(self, request, queryset):
        try:
            lifted = unlock_accounts(
                actor=request.user, usernames=queryset.values_list("username", flat=True)
            )
        except PermissionDenied as exc:
            self.message_user(request, str(exc), messages.ERROR)
            return
        if lifted:
            self.message_user(request, f"已解锁：{'、'.join(lifted)}", messages.SUCCESS)
        else:
            self.message_user(request, "所选账号没有需要解除的锁定", messages.WARNING)


@admin.register(AccessFailureLog)
class FailureLogAdmin(ReadOnlyAdminMixin, ModelAdmin):
    list_display = ["attempt_time", "username", "ip_address", "path_info", "locked_out"]
    list_filter = ["locked_out"]
    search_fields = ["username", "ip_address"]
    date_hierarchy = "attempt_time"
    fields = ["attempt_time", "username", "ip_address", "user_agent", "path_info", "locked_out"]
    readonly_fields = fields
    show_full_result_count = False


registry.nav_items(
    "system",
    {
        "title": "登录锁定",
        "icon": "lock_person",
        "url": "admin:axes_accessattempt_changelist",
        "permissions": "axes.view_accessattempt",
        "order": 20,
    },
    {
        "title": "登录失败记录",
        "icon": "gpp_maybe",
        "url": "admin:axes_accessfailurelog_changelist",
        "permissions": "axes.view_accessfailurelog",
        "order": 21,
    },
    module=__name__,
)
