"""Back office for cadres: the cadre (and their user account) with their assignments."""

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from unfold.widgets import UnfoldAdminTextInputWidget

from dangjian.core import registry
from dangjian.core.admin_base import ChildInline, ReadOnlyAdminMixin, ScopedAdmin
from dangjian.core.validators import normalize_phone

from . import services
from .models import Assignment, Cadre


class CadreForm(forms.ModelForm):
    phone = forms.CharField(
        label="手机号码", max_length=30, required=False, widget=UnfoldAdminTextInputWidget
    )

    class Meta:
        model = Cadre
        fields = services.CADRE_FORM_FIELDS

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:  # personal data is not put back into the page, only its mask
            self.initial["phone"] = ""
            self.fields["phone"].help_text = f"当前：{self.instance.phone_masked}；留空表示不修改"
            if "birth_date" in self.fields:
                self.initial["birth_date"] = None
                current = self.instance.birth_date_masked or "未填写"
                self.fields["birth_date"].help_text = f"当前：{current}；留空表示不修改"
        else:
            self.fields["phone"].required = True

    def clean_phone(self):
        value = self.cleaned_data.get("phone", "").strip()
        return value or (self.instance.phone if self.instance.pk else "")

    def clean_birth_date(self):
        value = self.cleaned_data.get("birth_date")
        return value or (self.instance.birth_date if self.instance.pk else None)


class AssignmentInline(ReadOnlyAdminMixin, ChildInline):
    model = Assignment
    fk_name = "cadre"
    fields = ["project", "enterprise", "is_lead", "start_on", "end_on"]
    readonly_fields = fields
    verbose_name_plural = "包抓关系（含历史）"


@admin.register(Cadre)
class CadreAdmin(ScopedAdmin):
    form = CadreForm
    inlines = [AssignmentInline]
    list_display = ["name", "title", "phone_masked", "organization", "leader", "is_active", "user"]
    list_filter = ["is_active"]
    search_fields = ["name", "title"]
    hashed_search = {"phone_hash": normalize_phone}  # a phone is found by its keyed hash
    list_select_related = ["organization", "leader", "user"]
    autocomplete_fields = ["organization"]

    readonly_fields = ["phone_masked", "birth_masked"]

    def get_fields(self, request, obj=None):
        fields = list(services.CADRE_FORM_FIELDS)
        if obj is not None and not self.has_change_permission(request, obj):  # read-only: masked
            fields[fields.index("phone")] = "phone_masked"
            fields[fields.index("birth_date")] = "birth_masked"
        return fields

    @admin.display(description="手机号码")
    def phone_masked(self, obj):
        return obj.phone_masked

    @admin.display(description="出生年份")
    def birth_masked(self, obj):
        return obj.birth_date_masked or "—"

    def save_model(self, request, obj, form, change):
        data = {k: form.cleaned_data[k] for k in services.CADRE_FORM_FIELDS if k in form.cleaned_data}
        # a birth date left as it was keeps whether it was known only to the month
        kept = change and "birth_date" not in form.changed_data
        obj.pk = services.cadre_save(
            actor=request.user,
            instance=obj if change else None,
            birth_month_only=obj.birth_month_only if kept else False,
            **data,
        ).pk

    def delete_model(self, request, obj):
        raise PermissionDenied("干部不删除，请改为“不在岗”")


# cadres are listed with the projects they take charge of (the projects app's section)
registry.nav_items(
    "projects",
    {
        "title": "包抓干部",
        "icon": "badge",
        "url": "admin:cadres_cadre_changelist",
        "permissions": "cadres.view_cadre",
        "order": 100,
    },
    module=__name__,
)
