from django import forms
from django.contrib import admin

from .admin_base import ConfigAdmin, ScopedAdmin
from .models import Holiday, RuleSet
from .rules import registered_rules, rule_version_add


class RuleSetForm(forms.ModelForm):
    key = forms.ChoiceField(label="规则")

    class Meta:
        model = RuleSet
        fields = ["key", "effective_from", "values", "note"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["key"].choices = list(registered_rules().items())


@admin.register(RuleSet)
class RuleSetAdmin(ScopedAdmin):
    """Rules are versioned: a new version applies from its date; an old one is never edited,
    because checks record the version they used."""

    form = RuleSetForm
    list_display = ["key", "version", "effective_from", "note", "created_at"]
    list_filter = ["key"]

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
