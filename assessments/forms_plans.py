"""Forms for the care and support plan and approval pages. They shape what was typed, with plain messages
for numbers and dates; the services decide what is valid. Lists show the code lists' labels only."""

from __future__ import annotations

from decimal import Decimal

from django import forms

from carecase import codes
from carecase.web.forms import GovukDateField, GovukForm


def _choose(label: str, choices) -> list[tuple[str, str]]:
    return [("", label), *[(value, str(text)) for value, text in choices]]


def _money(label: str, help_text: str, *, required: bool = True, what: str) -> forms.DecimalField:
    return forms.DecimalField(
        label=label, help_text=help_text, required=required, min_value=Decimal("0"), max_digits=8,
        decimal_places=2, widget=forms.TextInput(attrs={"inputmode": "decimal", "class": "govuk-input--width-5",
                                                        "spellcheck": "false"}),
        error_messages={
            "required": f"Enter {what}",
            "invalid": f"Enter {what} in pounds and pence, for example 20.50",
            "min_value": f"{what[0].upper()}{what[1:]} cannot be less than zero",
            "max_decimal_places": f"Enter {what} with no more than 2 numbers after the point, for example 20.50",
            "max_digits": f"{what[0].upper()}{what[1:]} must be less than £1,000,000",
            "max_whole_digits": f"{what[0].upper()}{what[1:]} must be less than £1,000,000",
        })


class OutcomeForm(GovukForm):
    """How one outcome of the plan will be met, and by whom. Prefixed by the outcome, several to a page."""

    how_met = forms.CharField(label="How will it be met?", required=False, widget=forms.Textarea(attrs={"rows": 3}))
    by_whom = forms.CharField(label="By whom?", required=False, max_length=300,
                              help_text="For example, the person themselves, their daughter, or a home care provider")

    def __init__(self, *args, outcome, **kwargs):
        kwargs.setdefault("prefix", f"outcome-{outcome.pk}")
        kwargs.setdefault("initial", {"how_met": outcome.how_met, "by_whom": outcome.by_whom})
        super().__init__(*args, **kwargs)
        self.outcome = outcome
        # Several outcome forms on one page: each label names its outcome for screen readers.
        for name, text in (("how_met", "How will it be met?"), ("by_whom", "By whom?")):
            self.fields[name].label = f"{text} ({outcome.label})"


class ServiceForm(GovukForm):
    service_type = forms.ChoiceField(label="Type of service", choices=_choose("Choose a type", codes.ServiceType.choices),
                                     error_messages={"required": "Select the type of service",
                                                     "invalid_choice": "Select a type of service from the list"})
    component = forms.ChoiceField(label="What the service is", choices=_choose("Choose one", codes.ServiceComponent.choices),
                                  error_messages={"required": "Select what the service is",
                                                  "invalid_choice": "Select what the service is from the list"})
    provider = forms.CharField(label="Provider (optional)", required=False, max_length=200,
                               help_text="Leave blank if not chosen yet, or if the person will employ someone")
    units_per_week = forms.DecimalField(
        label="How many a week", max_digits=7, decimal_places=2,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "class": "govuk-input--width-5", "spellcheck": "false"}),
        error_messages={
            "required": "Enter how many a week",
            "invalid": "Enter how many a week as a number, for example 10 or 7.5",
            "max_decimal_places": "Enter how many a week with no more than 2 numbers after the point",
            "max_digits": "How many a week must be less than 100,000",
            "max_whole_digits": "How many a week must be less than 100,000",
        })
    unit = forms.ChoiceField(label="Counted in", choices=_choose("Choose one", codes.ServiceUnit.choices),
                             error_messages={"required": "Select what the service is counted in",
                                             "invalid_choice": "Select what the service is counted in from the list"})
    unit_cost = _money("Cost of each one, in pounds", "For example, 20.50 for an hour of home care",
                       what="the cost of each one")
    delivery_mechanism = forms.ChoiceField(
        label="How it is delivered", choices=codes.DeliveryMechanism.choices, widget=forms.RadioSelect,
        error_messages={"required": "Select how the service is delivered",
                        "invalid_choice": "Select how the service is delivered from the list"})
    starts_on = GovukDateField(label="Start date", help_text="For example, 1 12 2026",
                               error_messages={"required": "Enter the start date"})
    ends_on = GovukDateField(label="End date (optional)", required=False,
                             help_text="Leave blank if it carries on until the next review")
    outcome = forms.TypedChoiceField(label="Which outcome it meets (optional)", required=False, coerce=int,
                                     empty_value=None,
                                     error_messages={"invalid_choice": "Select an outcome from the list"})

    def __init__(self, *args, plan, **kwargs):
        kwargs.setdefault("prefix", "service")
        super().__init__(*args, **kwargs)
        self.outcomes = {o.pk: o for o in plan.outcomes.all()}
        self.fields["outcome"].choices = [("", "Not linked to one outcome")] + [
            (pk, o.label) for pk, o in self.outcomes.items()]

    def clean_units_per_week(self):
        value = self.cleaned_data["units_per_week"]
        if value is not None and value <= 0:
            raise forms.ValidationError("Enter how many a week, more than zero")
        return value

    def clean(self):
        data = super().clean()
        starts, ends = data.get("starts_on"), data.get("ends_on")
        if starts and ends and ends < starts:
            self.add_error("ends_on", "The end date must be on or after the start date")
        return data

    def answers(self) -> dict:
        data = dict(self.cleaned_data)
        data["outcome"] = self.outcomes.get(data.get("outcome"))
        return data


class ContributionForm(GovukForm):
    weekly = _money("Assessed contribution a week, in pounds",
                    "What the person pays each week towards their personal budget, from the financial assessment. "
                    "Enter 0 if they pay nothing.", what="the contribution")

    def __init__(self, *args, plan, **kwargs):
        kwargs.setdefault("prefix", "contribution")
        kwargs.setdefault("initial", {"weekly": plan.assessed_contribution_weekly})
        super().__init__(*args, **kwargs)


class ApproveForm(GovukForm):
    starts_on = GovukDateField(label="Start date (optional)", required=False,
                               help_text="When the support starts. Leave blank to start today, or on the date "
                                         "already in the plan. For example, 1 12 2026")

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("prefix", "approve")
        super().__init__(*args, **kwargs)


class ReturnPlanForm(GovukForm):
    reason = forms.CharField(label="What needs to change before the plan can be approved?",
                             widget=forms.Textarea(attrs={"rows": 4}),
                             error_messages={"required": "Say what needs to change before the plan can be approved"})

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("prefix", "return")
        super().__init__(*args, **kwargs)
