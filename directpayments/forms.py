"""Forms for the direct payment pages. They shape what was typed; the services decide, and their errors come
back onto the form with everything typed kept."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from django import forms
from django.utils import timezone

from carecase import codes
from carecase.web.forms import GovukDateField, GovukForm

from . import pricing
from .models import (
    AccountType,
    AgreementStatus,
    Channel,
    Frequency,
    PaymentKind,
    RecipientKind,
    RecoveryStatus,
    Relationship,
    Weekday,
)

YES_NO = [("yes", "Yes"), ("no", "No")]


class MoneyField(forms.CharField):
    """Pounds and pence typed as people type them: 1250, 1,250.00 or £1,250.50."""

    def __init__(self, *, allow_negative: bool = False, **kwargs):
        self.allow_negative = allow_negative
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "decimal", "class": "govuk-input--width-10",
                                                           "spellcheck": "false"}))
        super().__init__(**kwargs)

    def to_python(self, value):
        value = (value or "").strip().replace("£", "").replace(",", "").replace(" ", "")
        if not value:
            return None
        try:
            amount = Decimal(value)
        except InvalidOperation:
            raise forms.ValidationError("Enter an amount in pounds and pence, like 1250.00") from None
        if not amount.is_finite() or pricing.pennies(amount) != amount:
            raise forms.ValidationError("Enter an amount in pounds and pence, like 1250.00")
        if amount < 0 and not self.allow_negative:
            raise forms.ValidationError("The amount cannot be less than zero")
        if abs(amount) >= Decimal("1000000000"):
            raise forms.ValidationError("Enter an amount less than £1,000,000,000")
        return pricing.pennies(amount)


def _yes(value) -> bool:
    return value == "yes"


class AgreementForm(GovukForm):
    plan = forms.TypedChoiceField(label="Which plan is the direct payment for?", coerce=int, widget=forms.RadioSelect,
                                  error_messages={"required": "Select the plan"})
    recipient_kind = forms.ChoiceField(label="Who will receive the money?", choices=RecipientKind.choices,
                                       widget=forms.RadioSelect, initial=RecipientKind.PERSON,
                                       error_messages={"required": "Select who will receive the money"})
    recipient_name = forms.CharField(label="Their full name (if not the person)", required=False, max_length=200)
    recipient_relationship = forms.CharField(label="Relationship to the person (if not the person)", required=False,
                                             max_length=100, help_text="For example daughter, or attorney")
    recipient_phone = forms.CharField(label="Phone number (optional)", required=False, max_length=30,
                                      widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}))
    recipient_email = forms.EmailField(label="Email address (optional)", required=False,
                                       help_text="Reminders about account returns are sent here",
                                       error_messages={"invalid": "Enter an email address like name@example.org"})
    recipient_address = forms.CharField(label="Postal address (if not the person)", required=False,
                                        widget=forms.Textarea(attrs={"rows": 3}))
    capacity_decided_on = GovukDateField(label="Date of the capacity decision (authorised person only)",
                                         required=False, help_text="For example 27 3 2026")
    capacity_decided_by = forms.CharField(label="Who made the capacity decision (authorised person only)",
                                          required=False, max_length=200)
    capacity_summary = forms.CharField(label="Summary of the capacity decision (authorised person only)",
                                       required=False, widget=forms.Textarea(attrs={"rows": 3}),
                                       help_text="What the person could not decide, and why")
    starts_on = GovukDateField(label="Start date", help_text="For example 5 1 2026",
                               error_messages={"required": "Enter the start date"})
    frequency = forms.ChoiceField(label="How often is it paid?", choices=Frequency.choices, widget=forms.RadioSelect,
                                  initial=Frequency.FOUR_WEEKLY)
    account_type = forms.ChoiceField(label="Where does the money go?", choices=AccountType.choices,
                                     widget=forms.RadioSelect,
                                     error_messages={"required": "Select where the money goes"})
    support_service = forms.CharField(label="Direct payment support service (optional)", required=False,
                                      max_length=200, help_text="Who helps with payroll and employing staff")
    contribution_weekly = MoneyField(label="Weekly contribution, in pounds (optional)", required=False,
                                     help_text="Leave blank to use the contribution in the plan")

    def __init__(self, *args, plans=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.plans = {plan.pk: plan for plan in plans}
        if len(self.plans) > 1:
            self.fields["plan"].choices = [
                (pk, f"Care and support plan {pk}, active from {p.starts_on:%-d %B %Y}" if p.starts_on
                 else f"Care and support plan {pk}") for pk, p in self.plans.items()]
        else:
            del self.fields["plan"]

    def chosen_plan(self):
        if "plan" in self.fields:
            return self.plans[self.cleaned_data["plan"]]
        return next(iter(self.plans.values()))


class ActivateForm(GovukForm):
    first_payment_on = GovukDateField(label="Date of the first payment", help_text="For example 2 2 2026",
                                      error_messages={"required": "Enter the date of the first payment"})


class StatusForm(GovukForm):
    to_status = forms.ChoiceField(label="Change the status to", widget=forms.RadioSelect,
                                  choices=[(AgreementStatus.SUSPENDED, "Suspended: stop payments for now"),
                                           (AgreementStatus.ACTIVE, "Active: payments restart"),
                                           (AgreementStatus.ENDED, "Ended: no more payments")],
                                  error_messages={"required": "Select the new status"})
    reason = forms.CharField(label="Why?", widget=forms.Textarea(attrs={"rows": 3}),
                             error_messages={"required": "Say why the status is changing"})
    ends_on = GovukDateField(label="Last day paid (if ending)", required=False,
                             help_text="Leave blank for today")


class RepriceForm(GovukForm):
    effective_from = GovukDateField(label="The plan change takes effect from", help_text="For example 2 2 2026",
                                    error_messages={"required": "Enter the date the change takes effect"})
    reason = forms.CharField(label="What changed?", max_length=300,
                             error_messages={"required": "Say what changed in the plan"})
    contribution_weekly = MoneyField(label="New weekly contribution, in pounds (optional)", required=False,
                                     help_text="Leave blank to use the contribution in the plan")


class OneOffForm(GovukForm):
    kind = forms.ChoiceField(label="Kind of payment", widget=forms.RadioSelect,
                             choices=[(PaymentKind.START_UP, "Start-up payment"),
                                      (PaymentKind.CONTINGENCY, "Contingency payment"),
                                      (PaymentKind.ADJUSTMENT, "Adjustment (a minus amount takes money back)")],
                             error_messages={"required": "Select the kind of payment"})
    amount = MoneyField(label="Amount, in pounds", allow_negative=True,
                        error_messages={"required": "Enter the amount, in pounds and pence"})
    due_on = GovukDateField(label="Pay on or after", help_text="For example 2 2 2026",
                            error_messages={"required": "Enter the date to pay it"})
    reason = forms.CharField(label="What is it for?", max_length=300,
                             error_messages={"required": "Say what the payment is for"})


class MisuseForm(GovukForm):
    reason = forms.CharField(label="What is the concern?", widget=forms.Textarea(attrs={"rows": 3}),
                             error_messages={"required": "Describe the concern"},
                             help_text="This asks for an unplanned direct payment review, due within 10 working days")


def quarter_choices(agreement, today: dt.date) -> list[tuple[str, str]]:
    """The quarters that have ended since the agreement started, newest first (at most 8)."""
    choices = []
    start = pricing.quarter(today)[0] - dt.timedelta(days=1)
    while len(choices) < 8:
        q_start, q_end = pricing.quarter(start)
        if q_end < agreement.starts_on:
            break
        choices.append((q_start.isoformat(), f"{q_start:%-d %B %Y} to {q_end:%-d %B %Y}"))
        start = q_start - dt.timedelta(days=1)
    return choices


class ReturnForm(GovukForm):
    period_start = forms.ChoiceField(label="Which quarter is the return for?", widget=forms.RadioSelect,
                                     error_messages={"required": "Select the quarter"})
    opening_balance = MoneyField(label="Balance at the start of the quarter, in pounds", allow_negative=True,
                                 error_messages={"required": "Enter the balance at the start of the quarter"})
    closing_balance = MoneyField(label="Balance at the end of the quarter, in pounds", allow_negative=True,
                                 error_messages={"required": "Enter the balance at the end of the quarter"})
    spend = MoneyField(label="Spent in the quarter, in pounds",
                       error_messages={"required": "Enter how much was spent in the quarter"})
    received_on = GovukDateField(label="Date the return came in", help_text="For example 20 4 2026",
                                 error_messages={"required": "Enter the date the return came in"})
    evidence_received = forms.BooleanField(label="Bank statements or receipts came with it", required=False)
    notes = forms.CharField(label="Notes (optional)", required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, agreement, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["period_start"].choices = quarter_choices(agreement, timezone.localdate())

    def clean_period_start(self):
        return dt.date.fromisoformat(self.cleaned_data["period_start"])


class RecoveryForm(GovukForm):
    decision = forms.ChoiceField(label="Your decision", widget=forms.RadioSelect,
                                 choices=[(RecoveryStatus.APPROVED, "Recover the proposed amount"),
                                          (RecoveryStatus.ADJUSTED, "Recover a different amount"),
                                          (RecoveryStatus.WAIVED, "Do not recover anything (waive)")],
                                 error_messages={"required": "Select your decision"})
    amount = MoneyField(label="Amount to recover, in pounds (if different)", required=False)
    reason = forms.CharField(label="Reason (needed to change the amount or waive)", required=False,
                             widget=forms.Textarea(attrs={"rows": 3}),
                             help_text="For example personal assistant holiday pay, or invoices due")


class AssistantForm(GovukForm):
    name = forms.CharField(label="Full name", max_length=200, error_messages={"required": "Enter their full name"})
    email = forms.EmailField(label="Email address", required=False,
                             error_messages={"invalid": "Enter an email address like name@example.org"})
    phone = forms.CharField(label="Phone number (optional)", required=False, max_length=30,
                            widget=forms.TextInput(attrs={"type": "tel"}))
    preferred_channel = forms.ChoiceField(label="How do they prefer to be contacted?", choices=Channel.choices,
                                          widget=forms.RadioSelect, initial=Channel.EMAIL)
    area = forms.CharField(label="Area they work in (optional)", required=False, max_length=80,
                           help_text="For example City East")
    dbs_checked_on = GovukDateField(label="DBS check date (optional)", required=False,
                                    help_text="Disclosure and Barring Service check. For example 1 4 2025")
    dbs_renewal_due_on = GovukDateField(label="DBS renewal date (optional)", required=False,
                                        help_text="For example 1 4 2028")
    training = forms.CharField(label="Training (optional)", required=False, widget=forms.Textarea(attrs={"rows": 3}))
    available_days = forms.MultipleChoiceField(label="Days they are free to work (optional)", required=False,
                                               choices=Weekday.choices, widget=forms.CheckboxSelectMultiple,
                                               help_text="Select all that apply.")
    availability = forms.CharField(label="Times they are free (optional)", required=False, max_length=500,
                                   widget=forms.Textarea(attrs={"rows": 2}),
                                   help_text="In their words, for example mornings only, or not Sunday evenings")
    languages = forms.CharField(label="Languages spoken (optional)", required=False,
                                help_text="Separate them with commas, for example English, Gujarati")
    consent_to_contact = forms.BooleanField(label="They agree to be contacted by the council", required=False)
    ethnicity_consent = forms.BooleanField(label="They agree to their ethnicity being recorded", required=False)
    ethnicity = forms.ChoiceField(label="Ethnicity (only with their agreement)", required=False,
                                  choices=[("", "Not recorded"), *codes.Ethnicity.choices])
    is_active = forms.BooleanField(label="Still working as a personal assistant", required=False)

    def __init__(self, *args, with_active: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if not with_active:
            del self.fields["is_active"]

    def service_fields(self) -> dict:
        data = dict(self.cleaned_data)
        data["languages"] = [x.strip() for x in (data.get("languages") or "").split(",") if x.strip()]
        return data


class EmploymentForm(GovukForm):
    assistant = forms.TypedChoiceField(label="Personal assistant", coerce=int,
                                       error_messages={"required": "Select the personal assistant"})
    starts_on = GovukDateField(label="Start date", help_text="For example 5 1 2026",
                               error_messages={"required": "Enter the start date"})
    ends_on = GovukDateField(label="End date (optional)", required=False, help_text="Leave blank if it carries on")
    hourly_rate = MoneyField(label="Hourly rate, in pounds", error_messages={"required": "Enter the hourly rate"})
    relationship = forms.ChoiceField(label="Are they related to the person?", choices=Relationship.choices,
                                     initial=Relationship.NONE)
    same_household = forms.ChoiceField(label="Do they live in the same household as the person?", choices=YES_NO,
                                       widget=forms.RadioSelect, error_messages={"required": "Select yes or no"})
    necessity_reason = forms.CharField(label="Why is paying this relative necessary?", required=False,
                                       widget=forms.Textarea(attrs={"rows": 3}),
                                       help_text="Needed only for a close relative in the same household")
    necessity_approved_by = forms.TypedChoiceField(label="Who approved the decision?", coerce=int, required=False,
                                                   empty_value=None)
    necessity_review_on = GovukDateField(label="Look at the decision again by", required=False,
                                         help_text="For example 1 9 2026")

    def __init__(self, *args, assistants=(), approvers=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.assistants = {a.pk: a for a in assistants}
        self.approvers = {s.user_id: s for s in approvers}
        self.fields["assistant"].choices = [("", "Choose a personal assistant"),
                                            *((pk, f"{a.name}{', ' + a.area if a.area else ''}")
                                              for pk, a in self.assistants.items())]
        self.fields["necessity_approved_by"].choices = [("", "Choose who approved it"), *(
            (uid, f"{s.full_name}, {s.get_role_display().lower()}") for uid, s in self.approvers.items())]

    def service_fields(self) -> dict:
        d = self.cleaned_data
        approver = self.approvers.get(d.get("necessity_approved_by"))
        return {"assistant": self.assistants[d["assistant"]], "starts_on": d["starts_on"], "ends_on": d.get("ends_on"),
                "hourly_rate": d["hourly_rate"], "relationship": d["relationship"],
                "same_household": _yes(d["same_household"]), "necessity_reason": d.get("necessity_reason", ""),
                "necessity_approved_by": approver.user if approver else None,
                "necessity_review_on": d.get("necessity_review_on")}


class AuditForm(GovukForm):
    done_on = GovukDateField(label="Date of the audit", help_text="For example 5 4 2026",
                             error_messages={"required": "Enter the date of the audit"})
    contribution_paid = forms.ChoiceField(label="Was the contribution paid into the account?", choices=YES_NO,
                                          widget=forms.RadioSelect, error_messages={"required": "Select yes or no"})
    spending_matches_plan = forms.ChoiceField(label="Does the spending match the support plan?", choices=YES_NO,
                                              widget=forms.RadioSelect,
                                              error_messages={"required": "Select yes or no"})
    unspent = MoneyField(label="Unspent money found, in pounds (optional)", required=False)
    findings = forms.CharField(label="What the audit found (needed if anything was wrong)", required=False,
                               widget=forms.Textarea(attrs={"rows": 3}))

    def service_fields(self) -> dict:
        return self.service_fields_of(self.cleaned_data)

    @staticmethod
    def service_fields_of(d) -> dict:
        return {"done_on": d["done_on"], "contribution_paid": _yes(d["contribution_paid"]),
                "spending_matches_plan": _yes(d["spending_matches_plan"]), "unspent": d.get("unspent"),
                "findings": d.get("findings", "")}


class EmploymentEndForm(GovukForm):
    ends_on = GovukDateField(label="Last day of the employment", help_text="For example 27 3 2026",
                             error_messages={"required": "Enter the last day of the employment"})
    reason = forms.CharField(label="Why is it ending?", widget=forms.Textarea(attrs={"rows": 3}),
                             help_text="For example they left for another job, or the person no longer needs them",
                             error_messages={"required": "Say why the employment is ending"})


class EmploymentChangeForm(GovukForm):
    hourly_rate = MoneyField(label="New hourly rate, in pounds (optional)", required=False,
                             help_text="Leave blank to keep the rate")
    rate_from = GovukDateField(label="The new rate starts on", required=False, help_text="For example 6 4 2026")
    reason = forms.CharField(label="Why is the rate changing?", required=False, max_length=300,
                             help_text="For example the yearly pay rise, or the National Living Wage")
    relationship = forms.ChoiceField(label="Are they related to the person?", choices=Relationship.choices)
    same_household = forms.ChoiceField(label="Do they live in the same household as the person?", choices=YES_NO,
                                       widget=forms.RadioSelect, error_messages={"required": "Select yes or no"})
    necessity_reason = forms.CharField(label="Why is paying this relative necessary?", required=False,
                                       widget=forms.Textarea(attrs={"rows": 3}),
                                       help_text="Only for a new necessity decision: a close relative in the same "
                                                 "household whose decision is due to be looked at again")
    necessity_approved_by = forms.TypedChoiceField(label="Who approved the decision?", coerce=int, required=False,
                                                   empty_value=None)
    necessity_review_on = GovukDateField(label="Look at the decision again by", required=False,
                                         help_text="For example 1 9 2026")

    def __init__(self, *args, approvers=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.approvers = {s.user_id: s for s in approvers}
        self.fields["necessity_approved_by"].choices = [("", "Choose who approved it"), *(
            (uid, f"{s.full_name}, {s.get_role_display().lower()}") for uid, s in self.approvers.items())]

    def service_fields(self) -> dict:
        d = self.cleaned_data
        approver = self.approvers.get(d.get("necessity_approved_by"))
        return {"hourly_rate": d.get("hourly_rate"), "rate_from": d.get("rate_from"), "reason": d.get("reason", ""),
                "relationship": d["relationship"], "same_household": _yes(d["same_household"]),
                "necessity_reason": d.get("necessity_reason", ""),
                "necessity_approved_by": approver.user if approver else None,
                "necessity_review_on": d.get("necessity_review_on")}


class BroadcastForm(GovukForm):
    area = forms.ChoiceField(label="Who to send it to", required=False)
    subject = forms.CharField(label="Subject", max_length=200, error_messages={"required": "Enter a subject"})
    body = forms.CharField(label="Message", widget=forms.Textarea(attrs={"rows": 6}),
                           error_messages={"required": "Enter the message"})

    def __init__(self, *args, areas=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].choices = [("", "All active personal assistants who agreed to be contacted"),
                                       *((a, f"Only those in {a}") for a in areas)]


class RunForm(GovukForm):
    run_on = GovukDateField(label="Pay everything due on or before", help_text="For example 2 2 2026",
                            error_messages={"required": "Enter the date of the payment run"})
