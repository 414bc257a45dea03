"""站内消息 in the back office: each signed-in user's own messages, newest first, 未读/已读,
opened from the list (read, and on to the record) or all marked read; the bell in the header
(templatetags) leads here."""

from django.contrib import admin, messages
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.html import format_html
from unfold.admin import ModelAdmin

from dangjian.accounts.backends import has_back_office_access
from dangjian.core import registry

from . import services
from .models import Notification


class ReadFilter(admin.SimpleListFilter):
    title = "状态"
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return [("unread", "未读"), ("read", "已读")]

    def queryset(self, request, queryset):
        if self.value() == "unread":
            return queryset.filter(read_at__isnull=True)
        if self.value() == "read":
            return queryset.filter(read_at__isnull=False)
        return queryset


@admin.register(Notification)
class NotificationAdmin(ModelAdmin):
    list_display = ["message", "kind", "created_at", "state"]
    list_display_links = None
    list_filter = [ReadFilter, "kind"]
    search_fields = ["title", "body"]
    actions = ["mark_selected_read"]
    list_per_page = 50
    show_full_result_count = False
    change_list_template = "admin/notifications/notification/change_list.html"

    # only the user's own messages, whatever their grants (the model carries no permissions)
    def get_queryset(self, request):
        return services.inbox(request.user).select_related("actor")

    def has_module_permission(self, request):
        return has_back_office_access(request.user)

    def has_view_permission(self, request, obj=None):
        return has_back_office_access(request.user) and (obj is None or obj.recipient_id == request.user.pk)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description="消息")
    def message(self, obj):
        link = reverse("notification-open", args=[obj.pk])
        weight = "font-normal" if obj.is_read else "font-semibold"
        if obj.body:
            return format_html(
                '<a class="{} text-primary-600" href="{}">{}</a><div class="text-subtle text-xs">{}</div>',
                weight,
                link,
                obj.title,
                obj.body[:120],
            )
        return format_html('<a class="{} text-primary-600" href="{}">{}</a>', weight, link, obj.title)

    @admin.display(description="状态")
    def state(self, obj):
        return "已读" if obj.is_read else "未读"

    @admin.action(description="标为已读")
    def mark_selected_read(self, request, queryset):
        count = 0
        for message in queryset.filter(read_at__isnull=True):
            services.mark_read(actor=request.user, notification=message)
            count += 1
        self.message_user(request, f"已将 {count} 条消息标为已读", messages.SUCCESS)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        """A message is opened, not edited: on to its record (only the user's own)."""
        if not str(object_id).isdigit() or not services.inbox(request.user).filter(pk=object_id).exists():
            raise Http404("没有这条消息")
        return redirect("notification-open", pk=object_id)


registry.nav_items(
    "workbench",
    {
        "title": "站内消息",
        "icon": "notifications",
        "url": "admin:notifications_notification_changelist",
        "visible": has_back_office_access,
        "order": 10,
    },
    module=__name__,
)
