"""Forms for the staff pages about people, contacts and case notes."""

from __future__ import annotations

import datetime

from django import forms
from django.utils import timezone

from carecase import codes
from carecase.people.identifiers import (
    normalise_nhs_number,
    normalise_postcode,
    validate_nhs_number,
    validate_postcode,
)
from carecase.people.models import Person, RelationshipKind
from carecase.records.models import CaseNoteKind, ContactChannel, ContactMadeBy, Urgency
from carecase.staff.models import StaffMember, Team

from .forms import GovukDateField, GovukForm, GovukModelForm, TimeField

YES_NO = [("yes", "Yes"), ("no", "No")]


def _yes_no(value) -> bool:
    return value == "yes"


class SearchForm(GovukForm):
    name = forms.CharField(label="Name", required=False, max_length=200,
                           help_text="Any part of their name, in any order. Small spelling mistakes are fine.")
    dob = GovukDateField(label="Date of birth", required=False, past_only=True, help_text="For example, 27 3 1948")
    postcode = forms.CharField(label="Postcode", required=False, max_length=8,
                               help_text="A full postcode, or just the first part, like LE2")
    nhs_number = forms.CharField(label="NHS number", required=False, max_length=14)

    def clean_nhs_number(self):
        value = normalise_nhs_number(self.cleaned_data["nhs_number"])
        if value and (not value.isdigit() or len(value) != 10):
            raise forms.ValidationError("Enter an NHS number with 10 digits, like 943 476 5919")
        return value

    def clean_postcode(self):
        value = normalise_postcode(self.cleaned_data["postcode"])
        if value and " " not in value and not (2 <= len(value) <= 4 and value[0].isalpha()):
            raise forms.ValidationError("Enter a postcode like LE1 6ZG, or the first part, like LE1")
        if " " in value:
            validate_postcode(value)
        return value

    def clean(self):
        data = super().clean()
        if not self.errors and not any(data.get(k) for k in ("name", "dob", "postcode", "nhs_number")):
            raise forms.ValidationError("Enter a name, date of birth, postcode or NHS number to search")
        return data


class PersonForm(GovukModelForm):
    nhs_number = forms.CharField(label="NHS number (optional)", required=False, max_length=14,
                                 help_text="10 digits, like 943 476 5919")
    date_of_birth = GovukDateField(label="Date of birth", required=False, past_only=True,
                                   help_text="For example, 27 3 1948")
    date_of_death = GovukDateField(label="Date of death", required=False, past_only=True)
    communication_needs = forms.MultipleChoiceField(
        label="Communication needs", required=False, choices=codes.CommunicationNeed.choices,
        widget=forms.CheckboxSelectMultiple, help_text="Select all that apply.",
    )
    interpreter_needed = forms.TypedChoiceField(
        label="Do they need an interpreter?", choices=YES_NO, widget=forms.RadioSelect, coerce=_yes_no,
        initial="no", error_messages={"required": "Select yes if they need an interpreter"},
    )
    has_unpaid_carer = forms.TypedChoiceField(
        label="Do they have an unpaid carer?", choices=YES_NO, widget=forms.RadioSelect, coerce=_yes_no,
        initial="no", error_messages={"required": "Select yes if they have an unpaid carer"},
    )

    class Meta:
        model = Person
        fields = [
            "given_name", "family_name", "preferred_name", "date_of_birth", "nhs_number", "address_line_1",
            "address_line_2", "town", "postcode", "phone", "email", "preferred_contact_method", "gender",
            "ethnicity", "first_language", "interpreter_needed", "communication_needs", "communication_notes",
            "primary_support_reason", "accommodation_status", "has_unpaid_carer", "date_of_death",
        ]
        labels = {
            "given_name": "First name",
            "family_name": "Last name",
            "preferred_name": "Preferred name (optional)",
            "nhs_number": "NHS number (optional)",
            "address_line_1": "Address line 1",
            "address_line_2": "Address line 2 (optional)",
            "town": "Town or city",
            "phone": "Phone number",
            "email": "Email address (optional)",
            "preferred_contact_method": "How do they prefer to be contacted?",
            "communication_notes": "Anything else about how to communicate with them (optional)",
            "primary_support_reason": "Primary support reason",
        }
        help_texts = {"postcode": "For example, LE1 6ZG"}
        widgets = {"preferred_contact_method": forms.RadioSelect, "gender": forms.RadioSelect,
                   "communication_notes": forms.Textarea(attrs={"rows": 3})}
        error_messages = {
            "given_name": {"required": "Enter their first name"},
            "family_name": {"required": "Enter their last name"},
            "preferred_contact_method": {"required": "Select how they prefer to be contacted"},
            "gender": {"required": "Select their gender, or 'Not known'"},
            "ethnicity": {"required": "Select their ethnicity, or 'Not yet recorded'"},
            "first_language": {"required": "Enter their first language"},
            "primary_support_reason": {"required": "Select their primary support reason, or 'Not yet known'"},
            "accommodation_status": {"required": "Select where they live, or 'Unknown'"},
            "email": {"invalid": "Enter an email address like name@example.com"},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial["interpreter_needed"] = "yes" if self.instance.interpreter_needed else "no"
            self.initial["has_unpaid_carer"] = "yes" if self.instance.has_unpaid_carer else "no"
        else:
            del self.fields["date_of_death"]
        self.fields["nhs_number"].widget.attrs.update({"inputmode": "numeric", "spellcheck": "false",
                                                       "class": "govuk-input govuk-input--width-10"})
        self.fields["postcode"].widget.attrs.update({"class": "govuk-input govuk-input--width-10",
                                                     "autocomplete": "off"})

    def clean_nhs_number(self):
        value = normalise_nhs_number(self.cleaned_data.get("nhs_number", ""))
        if value:
            validate_nhs_number(value)
        return value

    def clean_postcode(self):
        value = normalise_postcode(self.cleaned_data.get("postcode", ""))
        if value:
            validate_postcode(value)
        return value

    def clean(self):
        data = super().clean()
        dob, dod = data.get("date_of_birth"), data.get("date_of_death")
        if dob and dod and dod < dob:
            self.add_error("date_of_death", "Date of death must be on or after the date of birth")
        return data

    def _post_clean(self):
        # The services run full_clean on save; here we keep model validation for field errors only.
        super()._post_clean()


class DuplicateConfirmForm(GovukForm):
    confirm_not_duplicate = forms.BooleanField(
        label="None of these is the person: create a new record", required=True,
        error_messages={"required": "Check the possible matches. Select the box if none of them is this person"},
    )


class ReasonForm(GovukForm):
    reason = forms.CharField(
        label="Why do you need to open this record?", widget=forms.Textarea(attrs={"rows": 4}), min_length=10,
        help_text="For example: duty call from the person's daughter about a fall. Your reason is kept with "
        "your name and the time, and team leaders can see it.",
        error_messages={"required": "Say why you need to open this record",
                        "min_length": "Say why you need to open this record, in at least 10 characters"},
    )


class CaseNoteForm(GovukForm):
    occurred_on = GovukDateField(label="Date", past_only=True, help_text="When the visit, call or meeting happened",
                                 error_messages={"required": "Enter the date of the visit, call or meeting"})
    occurred_time = TimeField(label="Time (optional)", required=False, help_text="For example, 14:30",
                              widget=forms.TextInput(attrs={"class": "govuk-input--width-5"}))
    kind = forms.ChoiceField(label="Type of note", choices=CaseNoteKind.choices, widget=forms.RadioSelect,
                             error_messages={"required": "Select the type of note"})
    summary = forms.CharField(label="Summary", max_length=200, help_text="One line that will show in the chronology",
                              error_messages={"required": "Enter a one-line summary"})
    body = forms.CharField(label="Note", widget=forms.Textarea(attrs={"rows": 10}),
                           help_text="Use the person's own words where you can.",
                           error_messages={"required": "Enter the note"})
    is_significant = forms.BooleanField(label="This is a significant event", required=False,
                                        help_text="Significant events show on the person's summary.")

    def clean(self):
        data = super().clean()
        day = data.get("occurred_on")
        if day:
            at = timezone.make_aware(datetime.datetime.combine(day, data.get("occurred_time") or datetime.time(12, 0)))
            if at > timezone.now() + datetime.timedelta(minutes=5):
                self.add_error("occurred_time", "The time cannot be in the future")
            data["occurred_at"] = at
        return data

    @classmethod
    def initial_from(cls, note) -> dict:
        local = timezone.localtime(note.occurred_at)
        return {"occurred_on": local.date(), "occurred_time": local.strftime("%H:%M"), "kind": note.kind,
                "summary": note.summary, "body": note.body, "is_significant": note.is_significant}


class AddendumForm(GovukForm):
    body = forms.CharField(label="Addendum", widget=forms.Textarea(attrs={"rows": 6}),
                           help_text="Your addendum is added below the original note, with your name and the time. "
                           "The original note does not change.",
                           error_messages={"required": "Enter the addendum"})


class ContactForm(GovukForm):
    received_on = GovukDateField(label="Date of contact", past_only=True,
                                 error_messages={"required": "Enter the date of the contact"})
    made_by = forms.ChoiceField(label="Who made contact?", choices=ContactMadeBy.choices, widget=forms.RadioSelect,
                                error_messages={"required": "Select who made contact"})
    made_by_name = forms.CharField(label="Their name (optional)", required=False, max_length=120)
    channel = forms.ChoiceField(label="How did they get in touch?", choices=ContactChannel.choices,
                                widget=forms.RadioSelect, initial=ContactChannel.PHONE)
    route_of_access = forms.ChoiceField(label="Route of access", choices=codes.RouteOfAccess.choices,
                                        initial=codes.RouteOfAccess.COMMUNITY)
    reason = forms.CharField(label="Reason for contact", widget=forms.Textarea(attrs={"rows": 5}),
                             help_text="In the person's own words where possible.",
                             error_messages={"required": "Enter the reason for contact"})
    urgency = forms.ChoiceField(label="How urgent is it?", choices=Urgency.choices, widget=forms.RadioSelect,
                                initial=Urgency.ROUTINE)
    immediate_risk = forms.TypedChoiceField(label="Is anyone at immediate risk?", choices=YES_NO,
                                            widget=forms.RadioSelect, coerce=_yes_no,
                                            error_messages={"required": "Select yes if anyone is at immediate risk"})
    has_carer = forms.TypedChoiceField(label="Do they have an unpaid carer?", choices=YES_NO,
                                       widget=forms.RadioSelect, coerce=_yes_no,
                                       error_messages={"required": "Select yes if they have an unpaid carer"})
    # Choice values are the code names, not the national code values: those (such as "Self-funded
    # client") stay in code and exports and never reach a page.
    outcome = forms.ChoiceField(label="Outcome (optional)", required=False,
                                choices=[("", "Not decided yet")] + [(o.name, o.label) for o in codes.REQUEST_OUTCOMES],
                                help_text="Leave it undecided if the contact is still being looked at.")
    layer = forms.ChoiceField(label="Prevent, reduce, delay or meet (optional)", required=False,
                              choices=[("", "Set from the outcome")] + list(codes.Layer.choices))


    def clean_outcome(self):
        name = self.cleaned_data["outcome"]
        return codes.EventOutcome[name].value if name else ""


class ContactOutcomeForm(GovukForm):
    outcome = forms.ChoiceField(label="Outcome", choices=[(o.name, o.label) for o in codes.REQUEST_OUTCOMES],
                                widget=forms.RadioSelect, error_messages={"required": "Select the outcome"})
    layer = forms.ChoiceField(label="Prevent, reduce, delay or meet (optional)", required=False,
                              choices=[("", "Set from the outcome")] + list(codes.Layer.choices))

    def clean_outcome(self):
        return codes.EventOutcome[self.cleaned_data["outcome"]].value


class RelationshipForm(GovukForm):
    DIRECTIONS = [("from", "This person is the … of the other person"), ("to", "The other person is the … of this person")]

    other_person_id = forms.IntegerField(
        label="CareCase ID of the other person", min_value=1,
        help_text="Find it with Search; it is shown under each person's name.",
        error_messages={"required": "Enter the CareCase ID of the other person",
                        "invalid": "Enter the CareCase ID as a number, like 1042"},
    )
    kind = forms.ChoiceField(label="Relationship", choices=RelationshipKind.choices,
                             error_messages={"required": "Select the relationship"})
    direction = forms.ChoiceField(label="Which way round?", choices=DIRECTIONS, widget=forms.RadioSelect, initial="to")
    family_relationship = forms.CharField(label="Family relationship (optional)", required=False, max_length=60,
                                          help_text="For example: daughter, husband, brother")
    lives_in_same_household = forms.BooleanField(label="They live in the same household", required=False)
    started_on = GovukDateField(label="Start date (optional)", required=False)
    notes = forms.CharField(label="Notes (optional)", required=False, widget=forms.Textarea(attrs={"rows": 3}))


class AllocationForm(GovukForm):
    team = forms.ModelChoiceField(label="Team", queryset=Team.objects.filter(is_active=True),
                                  error_messages={"required": "Select a team"})
    worker = forms.ModelChoiceField(label="Worker (optional)", required=False, empty_label="Team only (no named worker)",
                                    queryset=StaffMember.objects.select_related("user").filter(user__is_active=True))
    reason = forms.CharField(label="Reason (optional)", required=False, max_length=200)

    def clean(self):
        data = super().clean()
        team, worker = data.get("team"), data.get("worker")
        if team and worker and worker.team_id != team.id:
            self.add_error("worker", f"{worker.full_name} is not in {team.name}. Choose someone in that team")
        return data


class GrantForm(GovukForm):
    username = forms.CharField(label="Username of the member of staff", max_length=150,
                               error_messages={"required": "Enter the username of the member of staff"})
    reason = forms.CharField(label="Why do they need access?", widget=forms.Textarea(attrs={"rows": 3}),
                             error_messages={"required": "Say why they need access"})


class RestrictForm(GovukForm):
    reason = forms.CharField(
        label="Why must this record be restricted?", widget=forms.Textarea(attrs={"rows": 3}),
        help_text="For example: the person is a member of staff, or someone who may harm them works here.",
        error_messages={"required": "Say why the record must be restricted"})
