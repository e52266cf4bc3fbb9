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


_WIDGET_CLASSES = {
    "text": "govuk-input",
    "email": "govuk-input",
    "number": "govuk-input",
    "password": "govuk-input",
    "tel": "govuk-input",
    "url": "govuk-input",
    "textarea": "govuk-textarea",
    "select": "govuk-select",
}
_ERROR_CLASSES = {
    "govuk-input": "govuk-input--error",
    "govuk-textarea": "govuk-textarea--error",
    "govuk-select": "govuk-select--error",
}


def _required_message(field) -> str:
    """A plain default for a required field, from its label: "Enter your username", "Select a team"."""
    label = str(field.label or "an answer").rstrip("?")
    label = label[0].lower() + label[1:] if label[:2] != label[:2].upper() else label
    verb = "Select" if isinstance(field.widget, forms.Select | forms.RadioSelect | forms.CheckboxInput) else "Enter"
    return f"{verb} {label}"


class GovukFormMixin:
    """Adds GOV.UK classes, hint and error ids to every widget, and the error summary's links."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            widget = field.widget
            if field.error_messages.get("required") == forms.Field.default_error_messages["required"]:
                field.error_messages["required"] = _required_message(field)
            base = _WIDGET_CLASSES.get(getattr(widget, "input_type", None) or "", "")
            if isinstance(widget, forms.Textarea):
                base = "govuk-textarea"
                widget.attrs.setdefault("rows", 5)
            elif isinstance(widget, forms.Select) and not isinstance(widget, forms.RadioSelect):
                base = "govuk-select"
            if base:
                widget.attrs["class"] = f"{base} {widget.attrs.get('class', '')}".strip()
            if field.help_text:
                widget.attrs["aria-describedby"] = f"{self.add_prefix(name)}-hint"

    def full_clean(self):
        super().full_clean()
        for name in self.errors:
            if name not in self.fields:
                continue
            widget = self.fields[name].widget
            if isinstance(widget, forms.MultiWidget):
                widget.attrs["has_error"] = True
            classes = widget.attrs.get("class", "")
            for base, error_class in _ERROR_CLASSES.items():
                if base in classes.split() and error_class not in classes:
                    widget.attrs["class"] = f"{classes} {error_class}"
            ids = [widget.attrs.get("aria-describedby", ""), f"{self.add_prefix(name)}-error"]
            widget.attrs["aria-describedby"] = " ".join(i for i in ids if i)

    def error_anchors(self) -> list[tuple[str, str]]:
        """(anchor, message) pairs for the GOV.UK error summary, in field order."""
        out = []
        for message in self.non_field_errors():
            out.append(("", message))
        for name, field in self.fields.items():
            if name not in self.errors:
                continue
            bound = self[name]
            anchor = bound.auto_id
            if isinstance(field.widget, forms.MultiWidget):
                anchor = f"{bound.auto_id}_0"
            elif isinstance(field.widget, forms.RadioSelect | forms.CheckboxSelectMultiple):
                anchor = f"{bound.auto_id}_0"
            for message in self.errors[name]:
                out.append((anchor, message))
        return out


class GovukForm(GovukFormMixin, forms.Form):
    pass


class GovukModelForm(GovukFormMixin, forms.ModelForm):
    pass


class TimeField(forms.CharField):
    """A 24-hour or 12-hour time typed in one box, like 14:30 or 2:30pm."""

    def to_python(self, value):
        value = (value or "").strip().lower().replace(".", ":")
        if not value:
            return None
        import re

        match = re.fullmatch(r"(\d{1,2})(?::(\d{2}))?\s*(am|pm)?", value)
        if not match:
            raise forms.ValidationError("Enter a time like 14:30 or 2:30pm")
        hour, minute, meridiem = int(match.group(1)), int(match.group(2) or 0), match.group(3)
        if meridiem:
            if not 1 <= hour <= 12:
                raise forms.ValidationError("Enter a time like 14:30 or 2:30pm")
            hour = hour % 12 + (12 if meridiem == "pm" else 0)
        if hour > 23 or minute > 59:
            raise forms.ValidationError("Enter a real time, like 14:30")
        return datetime.time(hour, minute)
