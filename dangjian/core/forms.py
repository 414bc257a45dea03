"""Plain Django forms on custom back-office pages, dressed in the theme's input classes."""

import datetime

from django import forms
from django.core.exceptions import ValidationError
from unfold.widgets import CHECKBOX_CLASSES, FILE_CLASSES, INPUT_CLASSES, SELECT_CLASSES


def style_fields(fields):
    """Dress plain form fields in the theme's input classes."""
    for field in fields:
        widget = field.widget
        if isinstance(widget, forms.CheckboxInput):
            classes = CHECKBOX_CLASSES
        elif isinstance(widget, forms.Select):
            classes = SELECT_CLASSES
        elif isinstance(widget, forms.FileInput):
            classes = FILE_CLASSES
        else:
            classes = INPUT_CLASSES
        if isinstance(widget, forms.DateInput):
            widget.input_type = "date"
            widget.format = "%Y-%m-%d"  # the only form a date input accepts
        widget.attrs["class"] = " ".join(classes)


class StyledForm(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style_fields(self.fields.values())


class MonthField(forms.CharField):
    """A month written as 2026-10; cleans to the first day of that month."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label", "月份")
        kwargs.setdefault("help_text", "如 2026-10")
        super().__init__(*args, **kwargs)

    def clean(self, value):
        value = super().clean(value)
        if not value:
            return None
        try:
            return datetime.datetime.strptime(value.strip(), "%Y-%m").date()
        except ValueError:
            raise ValidationError("月份格式应为 2026-10") from None


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one field (documents and photos alike, unless the widget says otherwise)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, list | tuple):
            return [super(MultipleFileField, self).clean(item, initial) for item in data]
        return [super().clean(data, initial)] if data else []
