"""Plain Django forms on custom back-office pages, dressed in the theme's input classes."""

from django import forms
from unfold.widgets import CHECKBOX_CLASSES, FILE_CLASSES, INPUT_CLASSES, SELECT_CLASSES


class StyledForm(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
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
