from django import forms
from django.contrib import admin
from unfold.admin import TabularInline
from unfold.widgets import UnfoldAdminTextInputWidget

from dangjian.core import registry
from dangjian.core.admin_base import ConfigAdmin, ScopedAdmin
from dangjian.core.validators import normalize_phone

from . import services
from .models import Enterprise, EnterpriseYear, IndustryCluster


@admin.register(IndustryCluster)
class IndustryClusterAdmin(ConfigAdmin):
    list_display = ["name", "sort_order", "is_active", "enterprise_count"]
    list_editable = ["sort_order", "is_active"]
    fields = ["name", "sort_order", "is_active", "note"]

    @admin.display(description="企业数")
    def enterprise_count(self, obj):
        return obj.enterprises.count()


class EnterpriseForm(forms.ModelForm):
    """The contact phone is never put back into the page: it is shown masked and kept when
    left empty."""

    contact_phone = forms.CharField(
        label="联系电话", max_length=30, required=False, widget=UnfoldAdminTextInputWidget
    )

    class Meta:
        model = Enterprise
        fields = services.ENTERPRISE_FORM_FIELDS

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and "contact_phone" in self.fields:
            self.initial["contact_phone"] = ""
            current = self.instance.contact_phone_masked or "未填写"
            self.fields["contact_phone"].help_text = f"当前：{current}；留空表示不修改"

    def clean_contact_phone(self):
        value = self.cleaned_data.get("contact_phone", "").strip()
        return value or (self.instance.contact_phone if self.instance.pk else "")


class EnterpriseYearInline(TabularInline):
    model = EnterpriseYear
    extra = 0
    fields = ["year", "revenue", "profit_tax", "new_jobs"]
    ordering = ["-year"]


@admin.register(Enterprise)
class EnterpriseAdmin(ScopedAdmin):
    form = EnterpriseForm
    inlines = [EnterpriseYearInline]
    list_display = [
        "name",
        "credit_code",
        "cluster",
        "is_high_tech",
        "is_tech_sme",
        "is_incubated",
        "employees",
        "contact_cadre",
        "party_organizations_display",
    ]
    list_filter = [
        "cluster",
        "is_high_tech",
        "is_tech_sme",
        "is_above_scale",
        "is_chain_leader",
        "is_incubated",
    ]
    search_fields = ["name", "credit_code"]
    hashed_search = {"contact_phone_hash": normalize_phone}  # 联系电话, found by its keyed hash
    list_select_related = ["cluster", "contact_cadre"]
    readonly_fields = ["contact_phone_masked"]

    def get_fieldsets(self, request, obj=None):
        phone = "contact_phone"
        if obj is not None and not self.has_change_permission(request, obj):  # read-only: masked
            phone = "contact_phone_masked"
        return [
            ("基本信息", {"fields": ["name", "credit_code", "cluster", "settled_on", "employees"]}),
            (
                "认定与标识",
                {
                    "fields": [
                        "is_high_tech",
                        "is_tech_sme",
                        "is_above_scale",
                        "is_chain_leader",
                        "is_incubated",
                    ]
                },
            ),
            ("联系", {"fields": ["contact_name", phone, "contact_cadre", "note"]}),
        ]

    @admin.display(description="联系电话")
    def contact_phone_masked(self, obj):
        return obj.contact_phone_masked or "—"

    @admin.display(description="党组织")
    def party_organizations_display(self, obj):
        return "、".join(o.name for o in obj.party_organizations.all()) or "—"

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("party_organizations")

    def save_model(self, request, obj, form, change):
        data = {k: form.cleaned_data[k] for k in services.ENTERPRISE_FORM_FIELDS if k in form.cleaned_data}
        if change:
            services.enterprise_update(actor=request.user, enterprise=obj, **data)
        else:
            created = services.enterprise_create(actor=request.user, **data)
            obj.pk = created.pk

    def save_formset(self, request, form, formset, change):
        instances = formset.save(commit=False)
        for obj in formset.deleted_objects:
            services.enterprise_year_delete(actor=request.user, instance=obj)
        for obj in instances:
            data = {k: getattr(obj, k) for k in services.YEAR_FIELDS if k != "enterprise"}
            services.enterprise_year_save(
                actor=request.user, instance=obj if obj.pk else None, enterprise=form.instance, **data
            )

    def delete_model(self, request, obj):
        services.enterprise_delete(actor=request.user, enterprise=obj)


@admin.register(EnterpriseYear)
class EnterpriseYearAdmin(ScopedAdmin):
    list_display = ["enterprise", "year", "revenue", "profit_tax", "new_jobs"]
    list_filter = ["year"]
    search_fields = ["enterprise__name", "enterprise__credit_code"]
    list_select_related = ["enterprise"]
    autocomplete_fields = ["enterprise"]
    fields = services.YEAR_FIELDS

    def save_model(self, request, obj, form, change):
        data = {k: form.cleaned_data[k] for k in self.fields}
        saved = services.enterprise_year_save(actor=request.user, instance=obj if change else None, **data)
        obj.pk = saved.pk

    def delete_model(self, request, obj):
        services.enterprise_year_delete(actor=request.user, instance=obj)


registry.nav_section("enterprises", "企业", order=70, module=__name__)
registry.nav_items(
    "enterprises",
    {
        "title": "企业名录",
        "icon": "factory",
        "url": "admin:enterprises_enterprise_changelist",
        "permissions": "enterprises.view_enterprise",
    },
    {
        "title": "企业年度数据",
        "icon": "bar_chart",
        "url": "admin:enterprises_enterpriseyear_changelist",
        "permissions": "enterprises.view_enterpriseyear",
    },
    {
        "title": "产业集群",
        "icon": "category",
        "url": "admin:enterprises_industrycluster_changelist",
        "permissions": "enterprises.change_industrycluster",
    },
    module=__name__,
)
