from django.contrib import admin, messages
from django.shortcuts import redirect
from django.utils.html import format_html, format_html_join
from unfold.admin import ModelAdmin
from unfold.decorators import action

from dangjian.core import registry
from dangjian.core.admin_base import ReadOnlyAdminMixin
from dangjian.core.structured import data_spec, data_table

from . import integrity
from .models import AuditEntry


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdminMixin, ModelAdmin):
    list_display = ["at", "actor_label", "action", "content_type", "object_repr", "source", "ip"]
    # the kinds of record the log has entries of (not every installed model, some named in English)
    list_filter = ["action", "source", ("content_type", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["actor_label", "object_repr", "object_id", "message"]
    date_hierarchy = "at"
    list_select_related = ["content_type"]
    fields = [
        "at",
        "action",
        "actor_label",
        "source",
        "ip",
        "content_type",
        "object_id",
        "object_repr",
        "message",
        "change_table",
        "seq",
        "prev_hash",
        "hash",
    ]
    readonly_fields = fields
    show_full_result_count = False
    actions_list = ["verify_chain"]

    @action(description="校验审计链", permissions=["view"], url_path="verify-chain", icon="verified")
    def verify_chain(self, request):
        """The same check as `manage.py audit_verify`: the whole chain and the anchors."""
        result = integrity.verify_database()
        if not result.ok:
            messages.error(request, f"审计链校验失败：{result.problem}")
        elif result.last is None:
            messages.success(request, "审计链完整：库中没有审计记录")
        else:
            messages.success(
                request,
                f"审计链完整：共 {result.count} 条记录（第 {result.first.id}—{result.last.id} 号），"
                f"链头哈希 {result.last.hash}",
            )
        return redirect("admin:audit_auditentry_changelist")

    @admin.display(description="修改内容")
    def change_table(self, obj):
        changes = obj.changes
        if not changes:
            return "—"
        model = obj.content_type.model_class() if obj.content_type_id else None

        def label(name):
            try:
                return str(model._meta.get_field(name).verbose_name) if model else name
            except Exception:
                return name

        # structured values (a rule's values, a list's items, the ids added to a relation) as
        # tables, named as the record names them where it still exists; yes and no in Chinese
        try:
            current = (
                model._base_manager.filter(pk=obj.object_id).first() if model and obj.object_id else None
            )
        except (ValueError, TypeError):
            current = None

        def shown(name, value):
            if value is None:
                return ""
            if isinstance(value, dict | list | bool):
                return data_table(value, data_spec(current, name))
            return value

        rows = ((label(k), shown(k, b), shown(k, a)) for k, (b, a) in changes.items())
        return format_html(
            "<table><thead><tr><th>字段</th><th>修改前</th><th>修改后</th></tr></thead><tbody>{}</tbody></table>",
            format_html_join("", "<tr><td>{}</td><td>{}</td><td>{}</td></tr>", rows),
        )


registry.nav_items(
    "system",
    {
        "title": "审计日志",
        "icon": "policy",
        "url": "admin:audit_auditentry_changelist",
        "permissions": "audit.view_auditentry",
        "order": 10,
    },
    module=__name__,
)
