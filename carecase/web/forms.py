"""GOV.UK Design System markup for Django forms, from project-owned templates.

`{{ form.field.as_field_group }}` renders templates/forms/field.html, which picks the GOV.UK pattern
for the widget (text input, textarea, select, radios, checkboxes, date input). Errors use the GOV.UK
error message and the page shows an error summary (templates/includes/error_summary.html).
"""

from __future__ import annotations

import datetime

from django import forms
from django.forms.renderers import TemplatesSetting


class GovukFormRenderer(TemplatesSetting):
    form_template_name = "forms/form.html"
    field_template_name = "forms/field.html"


class GovukDateInput(forms.MultiWidget):
    """The GOV.UK date input: separate day, month and year boxes."""

    template_name = "forms/widgets/date.html"

    def __init__(self, attrs=None):
        widgets = {
            "day": forms.TextInput(attrs={"inputmode": "numeric", "class": "govuk-input--width-2", "autocomplete": "off"}),
            "month": forms.TextInput(attrs={"inputmode": "numeric", "class": "govuk-input--width-2", "autocomplete": "off"}),
            "year": forms.TextInput(attrs={"inputmode": "numeric", "class": "govuk-input--width-4", "autocomplete": "off"}),
        }
        super().__init__(widgets, attrs)

    def decompress(self, value):
        if isinstance(value, datetime.date):
            return [value.day, value.month, value.year]
        return [None, None, None]


class GovukDateField(forms.MultiValueField):
    """A date from day, month and year boxes, with GOV.UK's plain-English error messages."""

    widget = GovukDateInput

    def __init__(self, *, past_only: bool = False, **kwargs):
        self.past_only = past_only
        fields = (forms.CharField(), forms.CharField(), forms.CharField())
        kwargs.setdefault("require_all_fields", False)
        super().__init__(fields=fields, **kwargs)

    def compress(self, data_list):
        if not data_list or not any(data_list):
            return None
        day, month, year = (str(v or "").strip() for v in data_list)
        label = (self.label or "the date").lower()
        missing = [n for n, v in (("day", day), ("month", month), ("year", year)) if not v]
        if missing:
            raise forms.ValidationError(f"{self.label or 'The date'} must include a {' and '.join(missing)}")
        if not (day.isdigit() and month.isdigit() and year.isdigit()):
            raise forms.ValidationError(f"Enter {label} using numbers only, for example 27 3 1948")
        if len(year) != 4:
            raise forms.ValidationError("Enter the year as 4 numbers, for example 1948")
        try:
            value = datetime.date(int(year), int(month), int(day))
        except ValueError:
            raise forms.ValidationError(f"{self.label or 'The date'} must be a real date") from None
        if self.past_only and value > datetime.date.today():
            raise forms.ValidationError(f"{self.label or 'The date'} must be today or in the past")
        if value.year < 1900:
            raise forms.ValidationError(f"{self.label or 'The date'} must be after 1900")
        return value
