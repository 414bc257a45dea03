from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils.html import format_html, format_html_join
from unfold.widgets import UnfoldAdminSelectWidget

from dangjian.core import registry
from dangjian.core.admin_base import ScopedAdmin
from dangjian.core.scope import restrict

from . import services
from .models import PartyOrganization, Post
from .selectors import warning_rows, with_member_counts


class OrganizationForm(forms.ModelForm):
    takes_user = True
    parent = forms.ModelChoiceField(
        widget=UnfoldAdminSelectWidget,
        label="上级组织",
        queryset=PartyOrganization.objects.none(),
        required=False,
        help_text="只有根组织（党工委）可以不填",
    )

    class Meta:
        model = PartyOrganization
        fields = ["parent", *services.ORG_FIELDS]

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parent"].queryset = restrict(user, PartyOrganization.objects.all(), "view").order_by(
            "path"
        )
        if self.instance.pk:
            self.fields["parent"].initial = self.instance.parent
            for name in ("secretary", "deputy_secretary"):
                if name in self.fields:
                    # the field's own choices are the members app's members: those of this subtree
                    members = self.fields[name].queryset.filter(
                        org_path__startswith=self.instance.path, left_on__isnull=True
                    )
                    self.fields[name].queryset = restrict(user, members, "view")
        else:
            for name in ("secretary", "deputy_secretary"):
                self.fields.pop(name, None)

    def clean(self):
        cleaned = super().clean()
        probe = PartyOrganization(**{k: v for k, v in cleaned.items() if k in services.ORG_FIELDS})
        probe.pk, probe.path, probe.depth = self.instance.pk, self.instance.path, self.instance.depth
        parent = cleaned.get("parent")
        current = self.instance.parent if self.instance.pk else None
        if not self.instance.pk or parent != current or cleaned.get("name") != self.instance.name:
            try:
                services.validate_placement(probe, parent)
            except ValidationError as exc:
                for field, errors in exc.message_dict.items():
                    self.add_error(field if field in self.fields else None, errors)
        return cleaned


@admin.register(PartyOrganization)
class PartyOrganizationAdmin(ScopedAdmin):
    form = OrganizationForm

    @admin.display(description="上级组织")
    def parent(self, obj):  # shown as text to a user who may only view the organization
        parent = obj.parent if obj and obj.pk else None
        return parent.name if parent else "—"

    list_display = ["tree_name", "kind", "unit", "member_count", "standardized", "next_election", "status"]
    list_filter = ["kind", "unit_nature", "standardized", "has_committee"]
    search_fields = ["name", "short_name", "unit_name"]
    ordering = ["path"]
    readonly_fields = ["next_election_due", "warnings"]
    fieldsets = [
        ("组织", {"fields": ["name", "short_name", "kind", "parent"]}),
        ("所在单位", {"fields": ["unit_name", "unit_enterprise", "unit_nature"]}),
        (
            "班子与任期",
            {
                "fields": [
                    "secretary_name",
                    "secretary",
                    "deputy_secretary",
                    "has_committee",
                    "term_started_on",
                    "next_election_due",
                ]
            },
        ),
        ("建设情况", {"fields": ["founded_on", "standardized", "brand", "dissolved_on", "note", "warnings"]}),
    ]

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None:
            return [
                (
                    title,
                    {
                        "fields": [
                            f
                            for f in opts["fields"]
                            if f not in ("secretary", "deputy_secretary", "next_election_due", "warnings")
                        ]
                    },
                )
                for title, opts in fieldsets
            ]
        return fieldsets

    def get_queryset(self, request):
        return with_member_counts(super().get_queryset(request).select_related("unit_enterprise"))

    @admin.display(description="组织名称", ordering="path")
    def tree_name(self, obj):
        indent = "\u3000" * (obj.depth - 1)
        marker = "└ " if obj.depth > 1 else ""
        return format_html("{}{}{}", indent, marker, obj.name)

    @admin.display(description="所在单位")
    def unit(self, obj):
        return obj.unit_enterprise.name if obj.unit_enterprise_id else obj.unit_name

    @admin.display(description="党员数", ordering="member_count")
    def member_count(self, obj):
        return obj.member_count

    @admin.display(description="下次换届")
    def next_election(self, obj):
        due = obj.next_election_due
        return f"{due:%Y-%m-%d}" if due else "—"

    @admin.display(description="状态")
    def status(self, obj):
        return f"已于 {obj.dissolved_on:%Y-%m-%d} 撤销" if obj.is_dissolved() else "存续"

    @admin.display(description="应于此日前换届")
    def next_election_due(self, obj):
        due = obj.next_election_due if obj else None
        return f"{due:%Y-%m-%d}" if due else "—"

    @admin.display(description="预警")
    def warnings(self, obj):
        if obj is None or obj.pk is None:
            return "—"
        found = list(warning_rows(user=None, organizations=PartyOrganization.objects.filter(pk=obj.pk)))
        if not found:
            return "无"
        return format_html(
            "<ul>{}</ul>", format_html_join("", "<li>⚠ {}</li>", ((w.message,) for w in found))
        )

    def save_model(self, request, obj, form, change):
        data = {k: form.cleaned_data[k] for k in services.ORG_FIELDS if k in form.cleaned_data}
        if change:
            services.organization_update(
                actor=request.user, organization=obj, parent=form.cleaned_data.get("parent"), **data
            )
        else:
            created = services.organization_create(
                actor=request.user, parent=form.cleaned_data.get("parent"), **data
            )
            obj.pk, obj.path, obj.depth = created.pk, created.path, created.depth

    def delete_model(self, request, obj):
        services.organization_delete(actor=request.user, organization=obj)


@admin.register(Post)
class PostAdmin(ScopedAdmin):
    list_display = ["name", "kind", "organization", "established_on", "revoked_on"]
    list_filter = ["kind"]
    search_fields = ["name", "organization__name"]
    autocomplete_fields = ["organization"]
    fields = services.POST_FORM_FIELDS

    def save_model(self, request, obj, form, change):
        data = {k: form.cleaned_data[k] for k in self.fields if k in form.cleaned_data}
        if change:
            services.post_update(actor=request.user, post=obj, **data)
        else:
            created = services.post_create(actor=request.user, **data)
            obj.pk = created.pk

    def delete_model(self, request, obj):
        services.post_delete(actor=request.user, post=obj)


registry.nav_section("organizations", "党组织与党员", order=20, module=__name__)
registry.nav_items(
    "organizations",
    {
        "title": "组织体系",
        "icon": "account_tree",
        "url": "admin:organizations_partyorganization_changelist",
        "permissions": "organizations.view_partyorganization",
    },
    {
        "title": "阵地与岗区",
        "icon": "flag",
        "url": "admin:organizations_post_changelist",
        "permissions": "organizations.view_post",
    },
    module=__name__,
)
