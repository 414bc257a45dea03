from django import forms
from django.contrib import admin
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied
from django.urls import reverse

from .admin_base import ConfigAdmin, ScopedAdmin, admin_page
from .forms import style_fields
from .models import Holiday, RuleSet
from .rules import default_values, registered_rules, rule_name, rule_spec, rule_version_add, rules_for
from .structured import data_fields, data_value

VALUES = "values"  # the prefix of the fields of a rule's values


class RuleSetForm(forms.ModelForm):
    """A new version of one rule (`rule_key`): its values entered in a Chinese form, one field for
    each number or choice the rule holds (core.structured), starting from the version in force."""

    key = forms.ChoiceField(label="规则")
    rule_key = ""

    class Meta:
        model = RuleSet
        fields = ["key", "effective_from", "note"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["key"].choices = [(self.rule_key, rule_name(self.rule_key))]
        style_fields([self.fields["key"], *(self.fields[name] for name in value_names(self))])

    @classmethod
    def for_rule(cls, key: str):
        fields = data_fields(default_values(key), rules_for(key).values, rule_spec(key), prefix=VALUES)
        return type("RuleVersionForm", (cls,), {"rule_key": key, **fields})

    def clean(self):
        cleaned = super().clean()
        if any(name in self.errors for name in value_names(self)):
            # the fields say what is wrong; the model checks a whole version (the one in force)
            self.instance.values = rules_for(self.rule_key).values
        else:
            spec = rule_spec(self.rule_key)
            self.instance.values = data_value(default_values(self.rule_key), cleaned, spec, prefix=VALUES)
        return cleaned

    def _update_errors(self, errors):
        # the rule's checks of its values (RuleSet.clean) speak of the whole: shown above the form
        if hasattr(errors, "error_dict") and "values" in errors.error_dict:
            errors.error_dict.setdefault(NON_FIELD_ERRORS, []).extend(errors.error_dict.pop("values"))
        super()._update_errors(errors)


def value_names(form) -> list[str]:
    return [
        name
        for name in (form.base_fields if isinstance(form, type) else form.fields)
        if name.startswith(f"{VALUES}__")
    ]


class RuleFilter(admin.SimpleListFilter):
    title = "规则"
    parameter_name = "key"

    def lookups(self, request, model_admin):
        return list(registered_rules().items())

    def queryset(self, request, queryset):
        return queryset.filter(key=self.value()) if self.value() else queryset


@admin.register(RuleSet)
class RuleSetAdmin(ScopedAdmin):
    """Rules are versioned: a new version applies from its date; an old one is never edited,
    because checks record the version they used. A version's values read as a Chinese table and
    are entered in a Chinese form (the names each rule registers), never as JSON."""

    form = RuleSetForm
    list_display = ["rule_display", "version", "effective_from", "note", "created_at"]
    list_filter = [RuleFilter]

    @admin.display(description="规则", ordering="key")
    def rule_display(self, obj):
        return rule_name(obj.key)

    def _rule_key(self, request):
        key = request.POST.get("key") or request.GET.get("key")
        return key if key in registered_rules() else None

    def add_view(self, request, form_url="", extra_context=None):
        """Which rule first (a page of the rules, each with the version in force), then its form."""
        if self._rule_key(request) is None:
            if not self.has_add_permission(request):
                raise PermissionDenied
            add = reverse("admin:core_ruleset_add")
            rules = [
                {"name": name, "current": rules_for(key), "url": f"{add}?key={key}"}
                for key, name in sorted(registered_rules().items(), key=lambda item: item[1])
            ]
            return admin_page(
                self,
                request,
                "admin/core/ruleset/choose.html",
                "新增规则版本",
                rules=rules,
                back_url=reverse("admin:core_ruleset_changelist"),
            )
        return super().add_view(request, form_url, extra_context)

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is None:
            kwargs["form"] = RuleSetForm.for_rule(self._rule_key(request))
        return super().get_form(request, obj, change=change, **kwargs)

    def get_fieldsets(self, request, obj=None):
        if obj is None:
            form = RuleSetForm.for_rule(self._rule_key(request))
            return [
                (None, {"fields": ["key", "effective_from", "note"]}),
                ("规则内容", {"fields": value_names(form)}),
            ]
        return super().get_fieldsets(request, obj)

    def get_fields(self, request, obj=None):
        return ["rule_display", "version", "effective_from", "values", "note", "created_at"]

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        version = rule_version_add(
            actor=request.user,
            key=obj.key,
            effective_from=obj.effective_from,
            values=obj.values,
            note=obj.note,
        )
        obj.pk, obj.version = version.pk, version.version


@admin.register(Holiday)
class HolidayAdmin(ConfigAdmin):
    list_display = ["day", "name", "is_workday"]
    list_filter = ["is_workday"]
    date_hierarchy = "day"
    fields = ["day", "name", "is_workday"]
