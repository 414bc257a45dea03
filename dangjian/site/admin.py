"""The security administrator's pages of login lockouts (django-axes' records, see
accounts.lockout): the accounts with failed sign-ins, which are locked and until when, and the
解锁 action; the failure log, read-only. Other roles do not see them."""

from axes.models import AccessAttempt, AccessFailureLog
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_q.models import Failure, OrmQ, Schedule, Success
from unfold.admin import ModelAdmin

from dangjian.accounts.lockout import failure_limit, lock_duration, locked_until, locked_usernames
from dangjian.core import registry
from dangjian.core.admin_base import ReadOnlyAdminMixin
from dangjian.core.jobs import MANAGE_SCHEDULES

from .services import UNLOCK_PERMISSION, unlock_accounts

# where a sign-in was attempted, by its address
SIGN_IN_PAGES = (("/admin/", "后台"), ("/m/", "手机端"), ("/portal/", "企业门户"), ("/api/", "接口令牌"))


@admin.display(description="登录入口")
def sign_in_page(obj):
    return next((name for prefix, name in SIGN_IN_PAGES if obj.path_info.startswith(prefix)), "其他")


class ListOnlyAdmin(ReadOnlyAdminMixin, ModelAdmin):
    """django-axes' records are read in their list; a record has no page of its own (its
    name is django-axes' English), its address leads back to the list."""

    list_display_links = None

    def change_view(self, request, object_id, form_url="", extra_context=None):
        return redirect(f"admin:{self.opts.app_label}_{self.opts.model_name}_changelist")


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
class LockoutAdmin(ListOnlyAdmin):
    """One row per user name, address and browser with failed sign-ins; a user name is locked
    once its rows together reach the limit."""

    list_display = ["username", "state", "failures_since_start", "ip_address", "attempt_time", sign_in_page]
    list_filter = [LockStateFilter]
    search_fields = ["username", "ip_address"]
    ordering = ["-attempt_time"]
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
class FailureLogAdmin(ListOnlyAdmin):
    list_display = ["attempt_time", "username", "ip_address", sign_in_page, "locked_out"]
    list_filter = ["locked_out"]
    search_fields = ["username", "ip_address"]
    date_hierarchy = "attempt_time"
    show_full_result_count = False


registry.nav_items(
    "system",
    {
        "title": "定时任务",
        "icon": "schedule",
        "url": "admin:schedules",
        "permissions": MANAGE_SCHEDULES,
        "order": 30,
    },
    module=__name__,
)
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


# django-otp's own admin pages of devices (English, and showing secrets) are not part of the back
# office: a user's second factor is set up on 双因素认证 (site.second_factor) and reset through
# core.second_factor.second_factor_remove
for model in (TOTPDevice, StaticDevice):
    if admin.site.is_registered(model):
        admin.site.unregister(model)

# django-q2's own pages (its queue, schedules and results) are not part of the back office either:
# the jobs are read on 我的后台任务 and 定时任务 (site.job_views), with their results in Chinese.
for model in (Schedule, Success, Failure, OrmQ):
    if admin.site.is_registered(model):
        admin.site.unregister(model)
