"""Forms for the safeguarding pages. They only shape what was typed; the services decide what a concern, a
decision, a strategy discussion, a plan or a closure needs, and their errors come back onto these forms with
everything typed kept. So most fields are optional here and required by the service."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils import timezone
from django.utils.html import format_html

from assessments.engine import ruleset, support_sequence
from carecase.web.forms import GovukDateField, GovukForm, TimeField

from .codes import (
    AbuseType,
    AdvocacySupport,
    Capacity,
    LocationOfRisk,
    OutcomesAchieved,
    OutcomesAsked,
    RiskAssessmentOutcome,
    RiskResult,
    SourceOfRisk,
)
from .models import AllegedKnown, DecisionResult, FeedbackAnswer, RaisedByRole, YesNoNotKnown
from .services import PLAN_STEPS

YES_NO = [("yes", "Yes"), ("no", "No")]
MEETS_CHOICES = [("fully", "Fully"), ("partly", "Partly"), ("no", "Not at all")]
PLAN_OUTCOME_SLOTS = 3


def yes_no(value: str | None) -> bool | None:
    return {"yes": True, "no": False}.get(value or "")


def _radio(label: str, choices, **kwargs) -> forms.ChoiceField:
    return forms.ChoiceField(label=label, choices=choices, widget=forms.RadioSelect, required=False, **kwargs)


def _text(label: str, rows: int = 3, **kwargs) -> forms.CharField:
    return forms.CharField(label=label, required=False, widget=forms.Textarea(attrs={"rows": rows}), **kwargs)


def _hidden(text: str, context: str) -> str:
    return format_html('{}<span class="govuk-visually-hidden"> ({})</span>', text, context)


class ExistingPersonForm(GovukForm):
    person_id = forms.IntegerField(label="CareCase ID", min_value=1,
                                   help_text="Find the person first if you do not know their ID.",
                                   widget=forms.TextInput(attrs={"inputmode": "numeric", "class": "govuk-input--width-10"}),
                                   error_messages={"required": "Enter the adult's CareCase ID",
                                                   "invalid": "Enter the CareCase ID as a number, like 1042",
                                                   "min_value": "Enter the CareCase ID as a number, like 1042"})


class NewPersonForm(GovukForm):
    given_name = forms.CharField(label="First name", max_length=100,
                                 error_messages={"required": "Enter their first name"})
    family_name = forms.CharField(label="Last name", max_length=100,
                                  error_messages={"required": "Enter their last name"})
    date_of_birth = GovukDateField(label="Date of birth (if known)", required=False, past_only=True,
                                   help_text="For example, 27 3 1948")
    postcode = forms.CharField(label="Postcode (if known)", max_length=8, required=False,
                               widget=forms.TextInput(attrs={"class": "govuk-input--width-10"}))
    confirm_not_duplicate = forms.BooleanField(
        label="I have checked: none of these is the adult at risk, so add a new record", required=False)


class ConcernForm(GovukForm):
    received_on = GovukDateField(label="Date the concern was received", past_only=True,
                                 help_text="For example, 27 3 2026",
                                 error_messages={"required": "Enter the date the concern was received"})
    received_time = TimeField(label="Time it was received", help_text="For example, 14:30",
                              widget=forms.TextInput(attrs={"class": "govuk-input--width-5"}),
                              error_messages={"required": "Enter the time the concern was received"})
    raised_by_role = _radio("Who raised the concern?", RaisedByRole.choices)
    raised_by_name = forms.CharField(label="Their name (optional)", max_length=200, required=False)
    raised_by_organisation = forms.CharField(label="Their organisation (optional)", max_length=200, required=False)
    abuse_types = forms.MultipleChoiceField(label="Type of abuse or neglect", choices=AbuseType.choices,
                                            widget=forms.CheckboxSelectMultiple, required=False,
                                            help_text="Select all that apply.")
    location_of_risk = _radio("Where is the risk?", LocationOfRisk.choices)
    source_of_risk = _radio("Who is the risk from?", SourceOfRisk.choices)
    what_happened = _text("What happened?", rows=6)
    immediate_risk = _radio("Is the adult at immediate risk?", YES_NO)
    protection_actions = _text("What has been done to protect them?",
                               help_text="If they are at immediate risk and you do not know yet, leave this blank: "
                                         "the safeguarding hub must check and record it the same working day.")
    police_informed = _radio("Have the police been told?", YES_NO)
    alleged_known = _radio("Is the person alleged to cause harm known?", AllegedKnown.choices)
    alleged_name = forms.CharField(label="Their name", max_length=200, required=False,
                                   help_text="Needed when they are known.")
    alleged_description = _text("Describe them", help_text="Needed when they are not known: for example what they "
                                                           "look like, or where the adult met them.")
    alleged_relationship = forms.CharField(label="Their relationship to the adult", max_length=200, required=False,
                                           help_text="For example nephew, neighbour, paid carer. Needed when they "
                                                     "are known.")
    alleged_position_of_trust = _radio("Are they in a position of trust?", YES_NO,
                                       help_text="For example a paid carer, a nurse or another professional.")
    alleged_care_needs = _radio("Do they have care and support needs themselves?", YesNoNotKnown.choices)
    others_at_risk = _radio("Are any other adults or children at risk?", YES_NO)
    others_at_risk_details = _text("Who else is at risk, and how?")
    children_at_risk = _radio("Are any children at risk?", YES_NO)
    children_referral_made = _radio("Has a referral been made to children’s services?", YES_NO)
    children_referral_reason = _text("Why has no referral been made to children’s services?")
    outcomes_asked = _radio("Was the adult (or their representative) asked what they want to happen?",
                            OutcomesAsked.choices)
    desired_outcomes = _text("What do they want to happen, in their own words?",
                             help_text="Write down what they said, for example “I want my son to stop taking "
                                       "my pension”.")
    capacity = _radio("Do they have mental capacity to make decisions about this concern?", Capacity.choices)
    advocacy = _radio("Is an advocate, family member or friend supporting them?", AdvocacySupport.choices,
                      help_text="Needed when they lack capacity for this decision.")

    def clean(self):
        data = super().clean()
        day, time = data.get("received_on"), data.get("received_time")
        if day and time:
            at = timezone.make_aware(dt.datetime.combine(day, time))
            if at > timezone.now() + dt.timedelta(minutes=5):
                self.add_error("received_time", "The time the concern was received cannot be in the future")
            data["received_at"] = at
        return data

    def service_kwargs(self) -> dict:
        d = self.cleaned_data
        return {"received_at": d.get("received_at"), "raised_by_role": d["raised_by_role"],
                "raised_by_name": d["raised_by_name"], "raised_by_organisation": d["raised_by_organisation"],
                "abuse_types": d["abuse_types"], "location_of_risk": d["location_of_risk"],
                "source_of_risk": d["source_of_risk"], "what_happened": d["what_happened"],
                "immediate_risk": yes_no(d["immediate_risk"]), "protection_actions": d["protection_actions"],
                "police_informed": yes_no(d["police_informed"]), "outcomes_asked": d["outcomes_asked"],
                "desired_outcomes": d["desired_outcomes"], "capacity": d["capacity"], "advocacy": d["advocacy"],
                "alleged_known": d["alleged_known"], "alleged_name": d["alleged_name"],
                "alleged_description": d["alleged_description"], "alleged_relationship": d["alleged_relationship"],
                "alleged_position_of_trust": yes_no(d["alleged_position_of_trust"]),
                "alleged_care_needs": d["alleged_care_needs"], "others_at_risk": yes_no(d["others_at_risk"]),
                "others_at_risk_details": d["others_at_risk_details"],
                "children_at_risk": yes_no(d["children_at_risk"]),
                "children_referral_made": yes_no(d["children_referral_made"]),
                "children_referral_reason": d["children_referral_reason"]}


class ProtectionForm(GovukForm):
    protection_actions = _text("What has been done to protect them?")


class DecisionForm(GovukForm):
    has_care_needs = _radio("(a) Does the adult have needs for care and support (whether or not they are being "
                            "met)?", YES_NO)
    has_care_needs_reason = _text(_hidden("Why?", "care and support needs"))
    at_risk = _radio("(b) Are they experiencing, or at risk of, abuse or neglect?", YES_NO)
    at_risk_reason = _text(_hidden("Why?", "abuse or neglect"))
    cannot_protect = _radio("(c) Because of those needs, are they unable to protect themselves from the abuse or "
                            "neglect, or the risk of it?", YES_NO)
    cannot_protect_reason = _text(_hidden("Why?", "able to protect themselves"))
    result = _radio("What happens next?", DecisionResult.choices)
    strategy_needed = _radio("Is a strategy discussion needed?", YES_NO,
                             help_text="Needed for a section 42 enquiry. If yes, it is due within 5 working days.")
    advice_given = _text("Advice or signposting given", help_text="Needed for no further safeguarding action.")
    referred_to = forms.CharField(label="Referred to", max_length=200, required=False,
                                  help_text="Needed for a referral elsewhere: the organisation or team.")
    lead_enquirer = forms.TypedChoiceField(label="Lead enquirer", coerce=int, empty_value=None, required=False,
                                           help_text="For an enquiry: who in the safeguarding team leads it.")
    caused_organisation = forms.CharField(
        label="Or the organisation asked to make the enquiry", max_length=200, required=False,
        help_text="When the council causes another organisation (for example the NHS trust) to make it.")

    def __init__(self, *args, staff=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.staff = {s.pk: s for s in staff}
        self.fields["lead_enquirer"].choices = [("", "Choose a lead enquirer")] + [
            (s.pk, f"{s.full_name} ({s.job_title})") for s in staff]

    def service_kwargs(self) -> dict:
        d = self.cleaned_data
        return {"has_care_needs": yes_no(d["has_care_needs"]), "has_care_needs_reason": d["has_care_needs_reason"],
                "at_risk": yes_no(d["at_risk"]), "at_risk_reason": d["at_risk_reason"],
                "cannot_protect": yes_no(d["cannot_protect"]), "cannot_protect_reason": d["cannot_protect_reason"],
                "result": d["result"], "advice_given": d["advice_given"], "referred_to": d["referred_to"],
                "lead_enquirer": self.staff.get(d["lead_enquirer"]), "caused_organisation": d["caused_organisation"],
                "strategy_needed": yes_no(d["strategy_needed"])}


class StrategyForm(GovukForm):
    held_on = GovukDateField(label="Date of the discussion", past_only=True, required=False,
                             help_text="For example, 27 3 2026")
    is_meeting = forms.BooleanField(label="This was a strategy meeting, not a discussion", required=False)
    attendees = _text("Who took part?", help_text="Names, roles and organisations.")
    police_attended = _radio("Did the police take part?", YES_NO)
    crime_possible = _radio("Could a crime have been committed?", YES_NO,
                            help_text="You must answer this. If a crime may have been committed, the police "
                                      "should be told or invited.")
    police_informed = _radio("Were the police informed or invited?", YES_NO)
    no_police_reason = _text("If the police are not involved, why not?")
    decisions = _text("What was decided?", rows=5)

    def service_kwargs(self) -> dict:
        d = self.cleaned_data
        return {"held_on": d["held_on"], "is_meeting": d["is_meeting"], "attendees": d["attendees"],
                "police_attended": yes_no(d["police_attended"]), "crime_possible": yes_no(d["crime_possible"]),
                "police_informed": yes_no(d["police_informed"]), "no_police_reason": d["no_police_reason"],
                "decisions": d["decisions"]}


class ActionForm(GovukForm):
    description = _text("What needs to be done?")
    owner = forms.CharField(label="Who will do it?", max_length=200, required=False,
                            help_text="A name, role or organisation.")
    due_on = GovukDateField(label="Due by", required=False, help_text="For example, 27 3 2026")


class PlanForm(GovukForm):
    """The safeguarding plan, built with the support sequence: up to three outcomes the adult wants, and for
    each the first four steps (own strengths, technology and equipment, family and friends, community
    services); then what the council and other organisations will do, and the review date."""

    formal_actions = _text("What will the council and other organisations do?", rows=4)
    review_on = GovukDateField(label="Review the plan by", required=False,
                               help_text="Within 3 months. For example, 27 3 2026")

    def __init__(self, *args, **kwargs):
        names = {step["code"]: step["name"] for step in ruleset.current(support_sequence.ENGINE)["steps"]}
        self.step_names = names
        fields = {}
        for n in range(1, PLAN_OUTCOME_SLOTS + 1):
            fields[f"outcome_{n}"] = forms.CharField(
                label=f"Outcome {n}: what do they want, in their words?" + ("" if n == 1 else " (optional)"),
                required=False, widget=forms.Textarea(attrs={"rows": 2}))
            for code in PLAN_STEPS:
                context = f"{names[code]}, outcome {n}"
                fields[f"o{n}_{code}_considered"] = _radio(_hidden("Considered?", context), YES_NO)
                fields[f"o{n}_{code}_meets"] = _radio(_hidden("Does it meet the outcome?", context), MEETS_CHOICES)
                fields[f"o{n}_{code}_note"] = _text(_hidden("What was found or agreed?", context), rows=2)
        self.base_fields = {**fields, **dict(self.base_fields)}
        super().__init__(*args, **kwargs)

    @staticmethod
    def initial_from(plan) -> dict:
        if plan is None:
            return {}
        initial = {"formal_actions": plan.formal_actions, "review_on": plan.review_on}
        for n, outcome in enumerate((plan.sequence or {}).get("outcomes", []), start=1):
            initial[f"outcome_{n}"] = outcome.get("text", "")
            for code, answer in (outcome.get("steps") or {}).items():
                initial[f"o{n}_{code}_considered"] = "yes" if answer.get("considered") else "no"
                initial[f"o{n}_{code}_meets"] = answer.get("meets") or ""
                initial[f"o{n}_{code}_note"] = answer.get("note") or ""
        return initial

    def outcome_rows(self):
        for n in range(1, PLAN_OUTCOME_SLOTS + 1):
            steps = [{"code": code, "name": self.step_names[code], "considered": self[f"o{n}_{code}_considered"],
                      "meets": self[f"o{n}_{code}_meets"], "note": self[f"o{n}_{code}_note"]} for code in PLAN_STEPS]
            yield {"n": n, "text": self[f"outcome_{n}"], "steps": steps}

    def outcomes(self) -> list[dict]:
        d = self.cleaned_data
        out = []
        for n in range(1, PLAN_OUTCOME_SLOTS + 1):
            steps = {}
            for code in PLAN_STEPS:
                considered, meets, note = (d.get(f"o{n}_{code}_considered") or "", d.get(f"o{n}_{code}_meets") or None,
                                           (d.get(f"o{n}_{code}_note") or "").strip())
                if considered or meets or note:
                    steps[code] = {"considered": considered == "yes", "meets": meets, "note": note}
            out.append({"text": (d.get(f"outcome_{n}") or "").strip(), "steps": steps})
        return out


class CloseForm(GovukForm):
    risk_outcome = _radio("What was the outcome of the risk assessment?", RiskAssessmentOutcome.choices)
    risk_result = _radio("Risk identified and action taken: what became of the risk?", RiskResult.choices)
    no_action_reason = _text("Risk identified and no action taken: why?")
    outcomes_achieved = _radio("Were the outcomes they wanted achieved?", OutcomesAchieved.choices,
                               help_text="Needed when they said what they wanted to happen.")
    feedback_offered = _radio("Were they offered the chance to give feedback on the enquiry?", YES_NO)
    closure_summary = _text("Summary (optional)", rows=4)
    concluded_on = GovukDateField(label="Date the enquiry concluded", required=False, past_only=True,
                                  help_text="Leave blank for today. For example, 27 3 2026")

    def service_kwargs(self) -> dict:
        d = self.cleaned_data
        return {"risk_outcome": d["risk_outcome"], "risk_result": d["risk_result"],
                "no_action_reason": d["no_action_reason"], "outcomes_achieved": d["outcomes_achieved"],
                "feedback_offered": yes_no(d["feedback_offered"]), "closure_summary": d["closure_summary"],
                "concluded_on": d["concluded_on"]}


class GrantForm(GovukForm):
    user = forms.TypedChoiceField(label="Member of staff", coerce=int, empty_value=None, required=False)
    reason = forms.CharField(label="Why do they need to see this concern?", required=False, max_length=500)

    def __init__(self, *args, staff=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.users = {s.user_id: s.user for s in staff}
        self.fields["user"].choices = [("", "Choose a member of staff")] + [
            (s.user_id, f"{s.full_name}, {s.job_title}") for s in staff]


class OrganisationalForm(GovukForm):
    provider_name = forms.CharField(label="Provider", max_length=200, required=False)
    summary = _text("What is the enquiry about?")
    opened_on = GovukDateField(label="Date opened", required=False, past_only=True, help_text="For example, 27 3 2026")
    lead = forms.TypedChoiceField(label="Who leads it?", coerce=int, empty_value=None, required=False)

    def __init__(self, *args, staff=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.staff = {s.pk: s for s in staff}
        self.fields["lead"].choices = [("", "Choose a lead")] + [(s.pk, s.full_name) for s in staff]


class OrganisationalCloseForm(GovukForm):
    closure_summary = _text("Summary: what the enquiry found and what changed", rows=5)
    closed_on = GovukDateField(label="Date it closed", required=False, past_only=True,
                               help_text="Leave blank for today. For example, 27 3 2026")


class FeedbackForm(GovukForm):
    agreed = _radio("Did they agree to give feedback?", YES_NO)
    listened_to = _radio("Did they feel listened to?", FeedbackAnswer.choices)
    got_outcomes = _radio("Did they get the outcomes they wanted?", FeedbackAnswer.choices)
    feels_safer = _radio("Do they feel safer?", FeedbackAnswer.choices)
    comment = _text("Anything else they said, in their words (optional)")
    given_on = GovukDateField(label="Date they gave feedback", required=False, past_only=True,
                              help_text="Leave blank for today. For example, 27 3 2026")

    def service_kwargs(self) -> dict:
        d = self.cleaned_data
        return {"agreed": yes_no(d["agreed"]), "listened_to": d["listened_to"], "got_outcomes": d["got_outcomes"],
                "feels_safer": d["feels_safer"], "comment": d["comment"], "given_on": d["given_on"]}


class LinkForm(GovukForm):
    enquiry = forms.TypedChoiceField(label="Enquiry to link", coerce=int, empty_value=None, required=False)

    def __init__(self, *args, concerns=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["enquiry"].choices = [("", "Choose an open enquiry")] + [
            (c.enquiry.pk, f"{c.person.display_name} (CareCase ID {c.person_id}), enquiry {c.enquiry.pk}")
            for c in concerns]


class IncidentForm(GovukForm):
    provider_name = forms.CharField(label="Provider", max_length=200, required=False)
    person_id = forms.IntegerField(label="CareCase ID of the person involved (optional)", required=False,
                                   min_value=1, widget=forms.TextInput(attrs={"inputmode": "numeric",
                                                                              "class": "govuk-input--width-10"}),
                                   error_messages={"invalid": "Enter the CareCase ID as a number, like 1042",
                                                   "min_value": "Enter the CareCase ID as a number, like 1042"})
    occurred_on = GovukDateField(label="Date of the incident", required=False, past_only=True,
                                 help_text="For example, 27 3 2026")
    description = _text("What happened?")
    harm_caused = _radio("Was anyone harmed?", YES_NO)


class TriageForm(GovukForm):
    triage = forms.ChoiceField(label="Is this a safeguarding concern?", widget=forms.RadioSelect, choices=[
        ("notifiable_only", "No: notifiable only. Record it and count it apart from concerns"),
        ("raise_concern", "Yes: raise a safeguarding concern")],
        error_messages={"required": "Select whether this is a safeguarding concern"})
    triage_note = _text("Why? (needed for notifiable only)")


class YearForm(GovukForm):
    year = forms.TypedChoiceField(label="Financial year", coerce=int, required=False)

    def __init__(self, *args, years=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [(y, f"April {y} to March {y + 1}") for y in years]
