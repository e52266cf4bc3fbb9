"""Forms for the waiting-list pages. They only shape what was typed: the services decide (priority rules,
the note needed for an override, one open entry per queue) and their errors come back onto the form."""

from __future__ import annotations

from django import forms

from assessments.engine import waiting_priority
from carecase.records.models import CaseNoteKind
from carecase.staff.models import Team
from carecase.web.forms import GovukDateField, GovukForm

from .models import ChangeReason, ExitReason, KeepInTouchResult, Queue

YES_NO = [("yes", "Yes"), ("no", "No")]
USE_SUGGESTION = ""


def band_choices() -> list[tuple[str, str]]:
    """The rated bands, highest first, worded by the rule file; the first choice takes the suggestion."""
    rated = [(b.code, b.label) for b in waiting_priority.bands() if b.code != waiting_priority.NOT_RATED]
    return [(USE_SUGGESTION, "The suggested priority"), *rated]


def checklist_choices() -> list[tuple[str, str]]:
    return list(waiting_priority.checklist())


class ChecklistForm(GovukForm):
    """The risk checklist (questions from the rule file) and the chosen priority: shared by joining and by
    looking at the priority again, and on its own what the live panel reads."""

    risks = forms.MultipleChoiceField(
        label="Risk checklist", required=False, widget=forms.CheckboxSelectMultiple, choices=checklist_choices,
        help_text="Select every statement that is true for them now. Leave the rest unselected.")
    band = forms.ChoiceField(
        label="Priority", required=False, choices=band_choices, widget=forms.RadioSelect, initial=USE_SUGGESTION,
        help_text="Take the suggested priority, or choose another and say why.")
    note = forms.CharField(
        label="Why you chose a different priority", required=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Needed only when you choose a priority other than the one suggested.")

    def answers(self) -> dict[str, bool]:
        """Every question answered: yes for the ticked ones, no for the rest (the checklist was done)."""
        ticked = set(self.cleaned_data.get("risks") or [])
        return {code: code in ticked for code, _question in waiting_priority.checklist()}

    def posted_answers(self) -> dict[str, bool]:
        """The answers as they stand on the page, valid or not (for the live panel and the first render)."""
        known = [code for code, _question in waiting_priority.checklist()]
        if self.is_bound:
            ticked = set(self.data.getlist(self.add_prefix("risks")))
        else:
            ticked = set(self.initial.get("risks") or self.fields["risks"].initial or [])
        return {code: code in ticked for code in known}

    def chosen_band(self) -> str | None:
        return self.cleaned_data.get("band") or None


class EntryCreateForm(ChecklistForm):
    queue = forms.ChoiceField(label="Which waiting list?", choices=Queue.choices, widget=forms.RadioSelect,
                              error_messages={"required": "Select a waiting list"})
    team = forms.ModelChoiceField(label="Team", queryset=Team.objects.none(), empty_label=None,
                                  error_messages={"required": "Select a team",
                                                  "invalid_choice": "Select a team from the list"})
    waiting_since = GovukDateField(label="When did they start waiting?", required=False, past_only=True,
                                   help_text="Leave blank for today. For example, 27 3 2026")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = Team.objects.filter(is_active=True).order_by("name")
        self.order_fields(["queue", "team", "waiting_since", "risks", "band", "note"])


class ReprioritiseForm(ChecklistForm):
    reason = forms.ChoiceField(
        label="Why are you looking at the priority again?",
        choices=[("", "Choose a reason"), *[c for c in ChangeReason.choices if c[0] != ChangeReason.TRIAGE]],
        error_messages={"required": "Select why you are looking at the priority again"})

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["note"].label = "Note"
        self.fields["note"].help_text = ("What has changed. Needed when you choose a priority other than the one "
                                         "suggested.")
        self.order_fields(["reason", "risks", "band", "note"])


class KeepInTouchForm(GovukForm):
    made_contact = forms.ChoiceField(label="Did you speak to them (or their representative)?", choices=YES_NO,
                                     widget=forms.RadioSelect,
                                     error_messages={"required": "Select yes if you spoke to them"})
    method = forms.ChoiceField(
        label="How did you get in touch?", widget=forms.RadioSelect, initial=CaseNoteKind.PHONE,
        choices=[(CaseNoteKind.PHONE, "Phone call"), (CaseNoteKind.VISIT, "Visit"), (CaseNoteKind.EMAIL, "Email"),
                 (CaseNoteKind.OTHER, "Letter, text or another way")],
        error_messages={"required": "Select how you got in touch"})
    result = forms.ChoiceField(label="What was the result?", choices=KeepInTouchResult.choices,
                               widget=forms.RadioSelect,
                               error_messages={"required": "Select the result of the contact"})
    summary = forms.CharField(label="Summary", max_length=200, required=False,
                              help_text="A few words for the chronology. Leave blank for "
                                        "\"Keep-in-touch contact while waiting\".",
                              error_messages={"max_length": "The summary must be 200 characters or fewer"})
    body = forms.CharField(label="What was said", widget=forms.Textarea(attrs={"rows": 5}),
                           help_text="Any change in their needs, risks or their carer's situation, and the "
                                     "information you gave.",
                           error_messages={"required": "Enter what was said"})

    def made_contact_value(self) -> bool:
        return self.cleaned_data["made_contact"] == "yes"


class LeaveForm(GovukForm):
    reason = forms.ChoiceField(label="Why are they leaving the list?", choices=ExitReason.choices,
                               widget=forms.RadioSelect,
                               error_messages={"required": "Select why they are leaving the list"})
    left_on = GovukDateField(label="Date they left the list", required=False, past_only=True,
                             help_text="Leave blank for today. For example, 27 3 2026")
    note = forms.CharField(label="Note", required=False, widget=forms.Textarea(attrs={"rows": 3}),
                           help_text="Needed when the reason is \"Other\".")
