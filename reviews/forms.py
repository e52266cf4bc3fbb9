"""Forms for the review pages. They only shape what was typed: the services decide (which routes the rules
allow, the dates a review may be due, what a completed review needs) and their errors come back onto the
form, with everything typed kept."""

from __future__ import annotations

import datetime as dt

from dateutil.relativedelta import relativedelta
from django import forms
from django.utils import timezone
from django.utils.html import format_html

from assessments.engine import review_routing, ruleset, support_sequence
from carecase.web.forms import GovukDateField, GovukForm

from .models import CarerAbleWilling, OutcomeStillMet, RequestedBy, ReviewResult

YES_NO = [("yes", "Yes"), ("no", "No")]
MEETS_CHOICES = [("fully", "Fully"), ("partly", "Partly"), ("no", "Not at all")]
DONE_DIFFERENTLY = "done_differently"
# The steps worked through again at a review before "could anything be done differently?" (GUIDE §3.3 R7).
EARLIER_STEPS = [code for code in support_sequence.STEP_CODES if code != DONE_DIFFERENTLY]


def _hidden(text: str, context: str) -> str:
    """A short visible label with its context for screen readers, so every label on the page is unique."""
    return format_html('{}<span class="govuk-visually-hidden"> ({})</span>', text, context)


def _plan_label(plan) -> str:
    started = f"active from {plan.starts_on:%-d %B %Y}" if plan.starts_on else "active"
    return f"Care and support plan {plan.pk}, {started}"


class RequestReviewForm(GovukForm):
    """An unplanned review: who asked, why, and (if sooner than 10 working days) when it is due."""

    plan = forms.TypedChoiceField(label="Which plan is to be reviewed?", coerce=int, widget=forms.RadioSelect,
                                  error_messages={"required": "Select the plan to be reviewed",
                                                  "invalid_choice": "Select one of the plans shown"})
    requested_by = forms.ChoiceField(label="Who asked for the review?", choices=RequestedBy.choices,
                                     widget=forms.RadioSelect,
                                     error_messages={"required": "Select who asked for the review"})
    reason = forms.CharField(label="Why is a review needed?", widget=forms.Textarea(attrs={"rows": 4}),
                             help_text="What has changed, in the words of whoever asked if you can.",
                             error_messages={"required": "Say why the review is needed"})
    due_on = GovukDateField(label="Due date (optional)", required=False,
                            help_text="Leave blank for within 10 working days. For example, 27 3 2026",
                            error_messages={"incomplete": "Enter the due date as a day, month and year, or leave "
                                                          "it blank"})

    def __init__(self, *args, plans=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.plans = {plan.pk: plan for plan in plans}
        if len(self.plans) > 1:
            self.fields["plan"].choices = [(pk, _plan_label(plan)) for pk, plan in self.plans.items()]
        else:  # one plan (or none): nothing to choose
            del self.fields["plan"]

    def clean(self):
        cleaned = super().clean()
        if not self.plans:
            raise forms.ValidationError("There is no active care and support plan to review.")
        return cleaned

    def chosen_plan(self):
        if "plan" in self.fields:
            return self.plans[self.cleaned_data["plan"]]
        return next(iter(self.plans.values()))


def route_choices() -> list[tuple[str, str]]:
    return [(r.code, r.label) for r in review_routing.routes()]


class RouteForm(GovukForm):
    """The routing facts (questions from the rule file) and the route chosen among those the rules allow."""

    facts = forms.MultipleChoiceField(
        label="What applies now?", required=False, widget=forms.CheckboxSelectMultiple,
        choices=lambda: list(review_routing.facts()),
        help_text="Select every statement that is true now. Leave the rest unselected.")
    route = forms.ChoiceField(label="Who will lead the review?", required=False, choices=route_choices,
                              widget=forms.RadioSelect,
                              error_messages={"invalid_choice": "Choose one of the routes on offer"})

    def answers(self) -> dict[str, bool]:
        """Every fact answered: yes for the ticked ones, no for the rest."""
        ticked = set(self.cleaned_data.get("facts") or [])
        return {code: code in ticked for code, _question in review_routing.facts()}

    def posted_answers(self) -> dict[str, bool]:
        """The facts as they stand on the page, valid or not (for the live panel and the first render);
        unknown codes are dropped."""
        if self.is_bound:
            ticked = set(self.data.getlist(self.add_prefix("facts")))
        else:
            ticked = set(self.initial.get("facts") or [])
        return {code: code in ticked for code, _question in review_routing.facts()}

    def posted_route(self) -> str:
        return (self.data.get(self.add_prefix("route")) if self.is_bound else self.initial.get("route")) or ""


class RecordForm(GovukForm):
    """The worker-led review record. For each outcome of the plan: still met, a note, the support sequence's
    earlier steps again (filled in from last time) and "could anything be done differently?"; then what works,
    what does not, what has changed, the carer, the result and the next review date.

    Field names per outcome are `o<id>_still_met`, `o<id>_note`, `o<id>_<step>_considered|meets|note` and
    `o<id>_done_differently`."""

    what_works = forms.CharField(label="What is working well?", required=False,
                                 widget=forms.Textarea(attrs={"rows": 4}))
    what_does_not = forms.CharField(label="What is not working?", required=False,
                                    widget=forms.Textarea(attrs={"rows": 4}))
    changes = forms.CharField(label="What has changed in their needs, health or circumstances?", required=False,
                              widget=forms.Textarea(attrs={"rows": 4}))
    carer_able_willing = forms.ChoiceField(
        label="Is their unpaid carer still able and willing to help?", choices=CarerAbleWilling.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether their carer is still able and willing to help"})
    result = forms.ChoiceField(label="What is the result of the review?", choices=ReviewResult.choices,
                               widget=forms.RadioSelect,
                               error_messages={"required": "Select the result of the review"})
    next_review_due_on = GovukDateField(label="Next review due by", required=False)

    def __init__(self, *args, outcomes, earlier_steps=None, today: dt.date | None = None, **kwargs):
        """`outcomes` are the plan's outcomes; `earlier_steps` maps an outcome's id to the step answers to
        start from ({step: {"considered", "meets", "note"}}), from the last review or the assessment."""
        self.outcomes = list(outcomes)
        today = today or timezone.localdate()
        latest = today + relativedelta(months=12)
        initial = {"next_review_due_on": latest, **kwargs.pop("initial", {})}
        for outcome in self.outcomes:
            for code, answer in ((earlier_steps or {}).get(outcome.pk) or {}).items():
                if code in EARLIER_STEPS and isinstance(answer, dict):
                    considered = answer.get("considered")
                    initial[f"o{outcome.pk}_{code}_considered"] = "" if considered is None else (
                        "yes" if considered else "no")
                    initial[f"o{outcome.pk}_{code}_meets"] = answer.get("meets") or ""
                    initial[f"o{outcome.pk}_{code}_note"] = answer.get("note") or ""
        names = {step["code"]: step["name"] for step in ruleset.current(support_sequence.ENGINE)["steps"]}
        self.step_names = names
        # The outcome fields go into this form's own copy of base_fields, before the GOV.UK mixin styles them.
        fields = {}
        for outcome in self.outcomes:
            o, label = f"o{outcome.pk}", outcome.label
            fields[f"{o}_still_met"] = forms.ChoiceField(
                label=_hidden("Is this still being met?", label), choices=OutcomeStillMet.choices,
                widget=forms.RadioSelect,
                error_messages={"required": f"Say whether “{label}” is still being met"})
            fields[f"{o}_note"] = forms.CharField(
                label=_hidden("How well is it being met?", label), required=False,
                widget=forms.Textarea(attrs={"rows": 3}))
            for code in EARLIER_STEPS:
                context = f"{names[code]}, {label}"
                fields[f"{o}_{code}_considered"] = forms.ChoiceField(
                    label=_hidden("Looked at again?", context), choices=YES_NO, widget=forms.RadioSelect,
                    required=False)
                fields[f"{o}_{code}_meets"] = forms.ChoiceField(
                    label=_hidden("Does it meet the outcome?", context), choices=MEETS_CHOICES,
                    widget=forms.RadioSelect, required=False)
                fields[f"{o}_{code}_note"] = forms.CharField(
                    label=_hidden("What did you find?", context), required=False,
                    widget=forms.Textarea(attrs={"rows": 2}))
            fields[f"{o}_{DONE_DIFFERENTLY}"] = forms.CharField(
                label=_hidden("Could anything be done differently?", label),
                help_text="Less, more, or another way: for example, equipment instead of a second carer, or a "
                          "community group instead of a day-centre session. If nothing could, say why.",
                widget=forms.Textarea(attrs={"rows": 3}),
                error_messages={"required": f"Say whether anything could be done differently for “{label}”"})
        common = dict(self.base_fields)
        common["next_review_due_on"] = GovukDateField(
            label="Next review due by", required=False,
            help_text=f"Within 12 months: by {latest:%-d %B %Y} at the latest. It may be earlier. Not needed if "
                      f"support ends.",
            error_messages={"incomplete": "Enter the next review date as a day, month and year"})
        self.base_fields = {**fields, **common}
        super().__init__(*args, initial=initial, **kwargs)

    def outcome_rows(self):
        """For the template: each outcome with its bound fields."""
        for outcome in self.outcomes:
            o = f"o{outcome.pk}"
            steps = [{"code": code, "name": self.step_names[code], "considered": self[f"{o}_{code}_considered"],
                      "meets": self[f"{o}_{code}_meets"], "note": self[f"{o}_{code}_note"]} for code in EARLIER_STEPS]
            yield {"outcome": outcome, "still_met": self[f"{o}_still_met"], "note": self[f"{o}_note"],
                   "steps": steps, "steps_have_errors": any(s[k].errors for s in steps for k in
                                                            ("considered", "meets", "note")),
                   "done_differently": self[f"{o}_{DONE_DIFFERENTLY}"]}

    def clean(self):
        cleaned = super().clean()
        for outcome in self.outcomes:
            for code in EARLIER_STEPS:
                name = f"o{outcome.pk}_{code}"
                if cleaned.get(f"{name}_considered") == "yes" and not (cleaned.get(f"{name}_note") or "").strip():
                    self.add_error(f"{name}_note", f"Say what you found for {self.step_names[code].lower()} "
                                                   f"(“{outcome.label}”), or select no for looked at again")
        return cleaned

    def still_met(self) -> dict[int, tuple[str, str]]:
        d = self.cleaned_data
        return {o.pk: (d[f"o{o.pk}_still_met"], d[f"o{o.pk}_note"]) for o in self.outcomes}

    def sequence_answers(self) -> dict[int, dict]:
        """Per outcome, the support sequence in the API's shape (reviews.services._done_differently). A step
        nobody touched is left out; "could anything be done differently?" is answered for every outcome."""
        d = self.cleaned_data
        out = {}
        for outcome in self.outcomes:
            o = f"o{outcome.pk}"
            steps = {}
            for code in EARLIER_STEPS:
                considered, meets, note = (d.get(f"{o}_{code}_considered") or "", d.get(f"{o}_{code}_meets") or None,
                                           d.get(f"{o}_{code}_note") or "")
                if considered or meets or note.strip():
                    steps[code] = {"considered": considered == "yes", "meets": meets, "note": note.strip()}
            out[outcome.pk] = {"steps": steps,
                               "done_differently": {"considered": True, "note": d[f"{o}_{DONE_DIFFERENTLY}"].strip()},
                               "formal_support_requested": True}
        return out


class OverdueFilterForm(GovukForm):
    team = forms.TypedChoiceField(label="Team", coerce=int, empty_value=None, required=False,
                                  error_messages={"invalid_choice": "Select a team from the list"})

    def __init__(self, *args, teams=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].choices = [("", "All teams"), *[(t.id, t.name) for t in teams]]
