"""Forms for the assessment pages. They only shape what was typed; the services decide what is valid."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django import forms
from django.utils import timezone
from django.utils.html import format_html

from carecase.web.forms import GovukDateField, GovukForm

from .engine import eligibility
from .models import AssessmentType, EngineKind, WellbeingArea

YES_NO = [("yes", "Yes"), ("no", "No")]
ACHIEVED_LABEL = "They can achieve this"


def _to_bool(value):
    return {"yes": True, "no": False}.get(value)


def _from_bool(value) -> str | None:
    return None if value is None else ("yes" if value else "no")


def yes_no(label: str, help_text: str = "") -> forms.TypedChoiceField:
    """A yes-or-no question as radios. Not answering is allowed: None means not answered yet."""
    return forms.TypedChoiceField(label=label, help_text=help_text, choices=YES_NO, widget=forms.RadioSelect,
                                  coerce=_to_bool, empty_value=None, required=False)


def _text(label: str, help_text: str = "", rows: int = 4) -> forms.CharField:
    return forms.CharField(label=label, help_text=help_text, required=False,
                           widget=forms.Textarea(attrs={"rows": rows}))


class StartForm(GovukForm):
    assessment_type = forms.ChoiceField(label="Type of assessment", choices=AssessmentType.choices,
                                        widget=forms.RadioSelect,
                                        error_messages={"required": "Select the type of assessment"})
    started_on = GovukDateField(label="Start date", past_only=True, help_text="For example, 27 3 2025",
                                error_messages={"required": "Enter the start date"})

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {"started_on": timezone.localdate()})
        super().__init__(*args, **kwargs)


class SectionForm(GovukForm):
    """One section of the task list. `initial_from` fills it from the assessment; `answers()` gives the
    fields the section's service call takes."""

    yes_no_fields: tuple[str, ...] = ()

    def __init__(self, *args, assessment=None, **kwargs):
        self.assessment = assessment
        if assessment is not None and "initial" not in kwargs:
            kwargs["initial"] = {name: self.initial_value(assessment, name) for name in self.base_fields}
        super().__init__(*args, **kwargs)

    def initial_value(self, assessment, name):
        value = getattr(assessment, name)
        return _from_bool(value) if name in self.yes_no_fields else value

    def answers(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.fields}

    def summary(self) -> list[tuple[str, str]]:
        """(question, answer) pairs for a read-only page."""
        rows = []
        for name, field in self.fields.items():
            value = self.initial.get(name)
            if isinstance(field, forms.MultipleChoiceField):
                labels = dict(field.choices)
                shown = "; ".join(str(labels.get(v, v)) for v in value or []) or "None selected"
            elif isinstance(field.widget, forms.RadioSelect):
                shown = dict(field.choices).get(value, "Not answered")
            else:
                shown = value or "Not answered"
            rows.append((field.label, shown))
        return rows


class ConversationForm(SectionForm):
    what_matters = _text("What matters to them?", "In their own words where you can.", rows=5)
    good_day = _text("What does a good day look like?")
    strengths = _text("What are their strengths?", "What they can do, enjoy and know.")
    networks = _text("Who is around them?", "Family, friends, neighbours and community groups.")


class WellbeingForm(SectionForm):
    wellbeing_areas = forms.MultipleChoiceField(
        label="Which areas of their wellbeing are affected?", choices=WellbeingArea.choices, required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="The nine areas of wellbeing in section 1 of the Care Act 2014. Select all that apply.")
    wellbeing_note = _text("Notes about their wellbeing (optional)")


class ConditionsForm(SectionForm):
    yes_no_fields = ("impairment_or_illness", "necessary_care", "health_at_risk",
                     "significant_impact_on_wellbeing", "needs_fluctuate")

    impairment_or_illness = yes_no("Do their needs arise from, or relate to, a physical or mental impairment or "
                                   "illness?")
    impairment_note = _text("Describe the impairment or illness (optional)", rows=3)
    necessary_care = yes_no("Do their needs arise because they provide necessary care to an adult?")
    health_at_risk = yes_no("Is their physical or mental health getting worse, or at risk of getting worse?")
    significant_impact_on_wellbeing = yes_no(
        "Is there, or is there likely to be, a significant impact on their wellbeing?",
        "Because of the outcomes they cannot achieve.")
    wellbeing_impact_note = _text("Describe the impact on their wellbeing (optional)", rows=3)
    needs_fluctuate = yes_no("Do their needs fluctuate?", "For example, better and worse days or weeks.")
    fluctuation_period = forms.CharField(label="If their needs fluctuate, over what period did you look?",
                                         help_text="For example, the last 3 months", required=False, max_length=200)

    ADULT_ONLY = ("impairment_or_illness", "impairment_note")
    CARER_ONLY = ("necessary_care", "health_at_risk")

    def __init__(self, *args, assessment=None, **kwargs):
        super().__init__(*args, assessment=assessment, **kwargs)
        drop = self.CARER_ONLY if assessment is None or assessment.kind == EngineKind.ADULT else self.ADULT_ONLY
        for name in drop:
            del self.fields[name]

    def initial_value(self, assessment, name):
        if name == "needs_fluctuate":  # stored as a plain yes or no; show it unanswered until someone says
            return "yes" if assessment.needs_fluctuate else ("no" if assessment.fluctuation_period else None)
        return super().initial_value(assessment, name)

    def answers(self) -> dict:
        data = super().answers()
        data["needs_fluctuate"] = bool(data["needs_fluctuate"])
        return data


class CapacityForm(SectionForm):
    yes_no_fields = ("capacity_doubt", "substantial_difficulty", "appropriate_person")

    capacity_doubt = yes_no("Is there reason to doubt their mental capacity to make decisions about their care "
                            "and support?", "Under the Mental Capacity Act 2005, assume capacity unless there is a "
                                            "reason to doubt it.")
    capacity_outcome = _text("If so, what was the outcome of the capacity assessment?", rows=3)
    substantial_difficulty = yes_no("Would they have substantial difficulty taking part in the assessment?")
    appropriate_person = yes_no("Is there a suitable friend or relative who can support them to take part?",
                                "If they have substantial difficulty and nobody suitable, they need an "
                                "independent advocate (Care Act 2014, section 67).")
    advocacy_note = _text("Notes about advocacy (optional)", rows=3)


class CarersForm(SectionForm):
    yes_no_fields = ("carer_assessment_offered",)

    carer_details = _text("Who cares for them without being paid?",
                          "Names and how they help, including any young carers. Leave blank if nobody.")
    carer_assessment_offered = yes_no("Has each carer been offered a carer's assessment?")


SECTION_FORMS: dict[str, type[SectionForm]] = {
    "conversation": ConversationForm,
    "wellbeing": WellbeingForm,
    "conditions": ConditionsForm,
    "capacity": CapacityForm,
    "carers": CarersForm,
}


class OutcomesForm(GovukForm):
    """For each outcome of the assessment's kind: the ways it is (not) achieved, and a description.
    The statuses field is named after the outcome code, so the service's errors land on it."""

    def __init__(self, *args, assessment, **kwargs):
        super().__init__(*args, **kwargs)
        self.assessment = assessment
        rules = eligibility.current_rules()
        self.achieved = eligibility.achieved_status(rules)
        kind = rules["kinds"][assessment.kind]
        saved = {row.code: row for row in assessment.outcomes.all()}
        choices = [(s, ACHIEVED_LABEL if s == self.achieved else rules["statuses"][s]["meaning"])
                   for s in kind["statuses"]]
        self.outcomes = kind["outcomes"]
        for outcome in self.outcomes:
            code = outcome["code"]
            row = saved.get(code)
            self.fields[code] = forms.MultipleChoiceField(
                label=outcome["outcome"], choices=choices, required=False, widget=forms.CheckboxSelectMultiple,
                error_messages={"invalid_choice": "Choose from the answers listed for this outcome"})
            # Added after GovukFormMixin set up the other widgets, so the GOV.UK attributes are set here.
            self.fields[f"{code}_description"] = forms.CharField(
                label=f"About {outcome['label']}: how does this affect them?", required=False,
                help_text="Needed if they cannot achieve it. In their words where you can.",
                widget=forms.Textarea(attrs={"rows": 2, "class": "govuk-textarea",
                                             "aria-describedby": f"{self.add_prefix(code)}_description-hint"}))
            if row is not None:
                self.initial[code] = list(row.statuses)
                self.initial[f"{code}_description"] = row.description

    def rows(self):
        """For the template: each outcome with its plain-English label and its two bound fields."""
        for outcome in self.outcomes:
            code = outcome["code"]
            yield {"code": code, "outcome": outcome["outcome"], "label": outcome["label"],
                   "reference": outcome["reference"], "statuses": self[code],
                   "description": self[f"{code}_description"]}

    def answers(self) -> dict[str, dict]:
        return {o["code"]: {"statuses": self.cleaned_data[o["code"]],
                            "description": self.cleaned_data[f"{o['code']}_description"]} for o in self.outcomes}

    def posted_statuses(self) -> dict[str, list[str]]:
        """What was ticked, keeping only the answers this kind allows: for the live preview, which must
        answer even while the form is incomplete."""
        allowed = {value for value, _ in next(iter(self.fields.values())).choices} if self.fields else set()
        return {o["code"]: [s for s in self.data.getlist(self.add_prefix(o["code"])) if s in allowed]
                for o in self.outcomes}


class DecisionForm(GovukForm):
    agrees = forms.ChoiceField(label="Do you agree with the suggested decision?",
                               choices=[("yes", "I agree"), ("no", "I disagree")], widget=forms.RadioSelect,
                               error_messages={"required": "Select whether you agree with the suggested decision"})
    reason = forms.CharField(label="If you disagree, why?", required=False, widget=forms.Textarea(attrs={"rows": 4}),
                             help_text="Needed only if you disagree. It is kept with the decision.")


class ReturnForm(GovukForm):
    reason = forms.CharField(label="What needs to change?", widget=forms.Textarea(attrs={"rows": 3}),
                             required=False, help_text="The worker sees this on the assessment.")


# ---------------------------------------------------------------- the support sequence

MEETS_CHOICES = [("fully", "Fully"), ("partly", "Partly"), ("no", "Not at all")]
DONE_DIFFERENTLY = "done_differently"


def _hidden(text: str, context: str) -> str:
    """A short visible label with the step's name added for screen readers, so each label is unique."""
    return format_html('{}<span class="govuk-visually-hidden"> ({})</span>', text, context)


class AddGoalForm(GovukForm):
    """The person's own goal, added to the support sequence. The service checks the label."""

    label = forms.CharField(label="Their goal, in their own words", required=False, max_length=300,
                            help_text="For example, \u201cI want to get to the mosque on Fridays\u201d.")
    national_outcome = forms.ChoiceField(label="Which outcome does it relate to? (optional)", required=False)
    existing_support = forms.BooleanField(label="They already have support for this", required=False)

    def __init__(self, *args, assessment, **kwargs):
        super().__init__(*args, **kwargs)
        kind = eligibility.current_rules()["kinds"][assessment.kind]
        self.fields["national_outcome"].choices = [("", "None of these")] + [
            (o["code"], o["outcome"]) for o in kind["outcomes"]]


class SequenceForm(GovukForm):
    """One outcome worked through the support sequence: for each step in the rule file's order, whether it
    was looked at, whether it meets the outcome and a note. Field names are `<step>_considered`,
    `<step>_meets` and `<step>_note`; `answers()` gives what sequence_outcome_save takes."""

    def __init__(self, *args, row, steps, **kwargs):
        self.row = row
        self.steps = [s for s in steps if s["code"] != DONE_DIFFERENTLY]
        self.done_step = next((s for s in steps if s["code"] == DONE_DIFFERENTLY), None)
        kwargs.setdefault("initial", self._initial(row))
        super().__init__(*args, **kwargs)
        for step in steps:
            code, name = step["code"], step["name"]
            self.fields[f"{code}_considered"] = yes_no(_hidden("Looked at?", name))
            if step.get("records_meets", True) and code != DONE_DIFFERENTLY:
                self.fields[f"{code}_meets"] = forms.ChoiceField(
                    label=_hidden("Does it meet the outcome?", name), choices=MEETS_CHOICES,
                    widget=forms.RadioSelect, required=False)
            self.fields[f"{code}_note"] = forms.CharField(
                label=_hidden("What did you find?", name), required=False,
                widget=forms.Textarea(attrs={"rows": 3, "class": "govuk-textarea"}))
        self.fields["existing_support"] = forms.BooleanField(
            label="They already have support for this outcome", required=False,
            help_text="Then \u201cCould anything be done differently?\u201d must be answered too.",
            widget=forms.CheckboxInput(attrs={"aria-describedby": f"{self.add_prefix('existing_support')}-hint"}))
        self.fields["formal_support_requested"] = yes_no("Is formal support requested?")
        self.fields["formal_option"] = forms.CharField(
            label="Formal support being considered (optional)", required=False, max_length=200,
            help_text="For example: home care, 45 minutes each morning")
        self.fields["formal_units_per_week"] = forms.DecimalField(
            label="Hours, visits or days a week (optional)", required=False, min_value=Decimal("0.01"),
            max_digits=7, decimal_places=2,
            error_messages={"invalid": "Enter how many a week as a number, like 7 or 3.5",
                            "min_value": "Enter how many a week, more than zero"})
        self.fields["formal_unit_cost"] = forms.DecimalField(
            label="Cost of each, in pounds (optional)", required=False, min_value=Decimal("0"),
            max_digits=8, decimal_places=2,
            error_messages={"invalid": "Enter the cost in pounds, like 20.31",
                            "min_value": "The cost cannot be less than zero"})
        self.fields["crisis_override_reason"] = forms.CharField(
            label="Crisis override: why long-term decisions cannot wait (optional)", required=False,
            help_text="Only if formal support is needed now, before every step can be looked at. "
                      "The support is then interim and the case is audited.",
            widget=forms.Textarea(attrs={"rows": 3, "class": "govuk-textarea",
                                         "aria-describedby": f"{self.add_prefix('crisis_override_reason')}-hint"}))

    @staticmethod
    def _initial(row) -> dict:
        initial = {"existing_support": row.existing_support,
                   "formal_support_requested": _from_bool(row.formal_support_requested),
                   "crisis_override_reason": row.crisis_override_reason,
                   "formal_option": row.formal_option, "formal_units_per_week": row.formal_units_per_week,
                   "formal_unit_cost": row.formal_unit_cost}
        answers = dict(row.steps or {})
        if row.done_differently:
            answers[DONE_DIFFERENTLY] = row.done_differently
        for code, answer in answers.items():
            initial[f"{code}_considered"] = _from_bool(bool(answer.get("considered")))
            initial[f"{code}_meets"] = answer.get("meets") or ""
            initial[f"{code}_note"] = answer.get("note", "")
        return initial

    def step_rows(self):
        """For the template: each step (not 'done differently') with its bound fields."""
        for step in self.steps:
            code = step["code"]
            yield {"code": code, "name": step["name"], "question": step["question"],
                   "considered": self[f"{code}_considered"], "meets": self[f"{code}_meets"],
                   "note": self[f"{code}_note"]}

    def done_row(self):
        if self.done_step is None:
            return None
        return {"code": DONE_DIFFERENTLY, "name": self.done_step["name"], "question": self.done_step["question"],
                "considered": self[f"{DONE_DIFFERENTLY}_considered"], "note": self[f"{DONE_DIFFERENTLY}_note"]}

    def _answers_from(self, get) -> dict:
        """The answers in the service's shape. A step nobody touched is left out."""
        steps = {}
        for step in self.steps:
            code = step["code"]
            considered, meets, note = get(f"{code}_considered"), get(f"{code}_meets") or None, get(f"{code}_note")
            if considered is not None or meets or note.strip():
                steps[code] = {"considered": bool(considered), "meets": meets, "note": note}
        done = None
        if self.done_step is not None:
            considered, note = get(f"{DONE_DIFFERENTLY}_considered"), get(f"{DONE_DIFFERENTLY}_note")
            if considered is not None or note.strip():
                done = {"considered": bool(considered), "note": note}
        return {"steps": steps, "done_differently": done,
                "formal_support_requested": bool(get("formal_support_requested")),
                "crisis_override_reason": get("crisis_override_reason"),
                "existing_support": bool(get("existing_support")),
                "formal_option": get("formal_option") or "",
                "formal_units_per_week": get("formal_units_per_week"),
                "formal_unit_cost": get("formal_unit_cost")}

    def answers(self) -> dict:
        return self._answers_from(self.cleaned_data.get)

    def posted_answers(self) -> dict:
        """What was posted, for the live preview, which must answer even while the form is incomplete:
        unknown answers are dropped rather than refused."""
        data = self.data

        def get(name):
            value = data.get(self.add_prefix(name))
            if name.endswith("_considered") or name == "formal_support_requested":
                return _to_bool(value)
            if name.endswith("_meets"):
                return value if value in dict(MEETS_CHOICES) else None
            if name == "existing_support":
                return value in ("on", "true", "1")
            if name in ("formal_units_per_week", "formal_unit_cost"):
                try:
                    number = Decimal(str(value).strip())
                except (InvalidOperation, ValueError):
                    return None
                return number if number.is_finite() and number >= 0 else None
            return value or ""

        return self._answers_from(get)

    def apply_service_errors(self, exc) -> None:
        """The service's errors are keyed by step code: put each on the field it is about."""
        if not hasattr(exc, "error_dict"):
            self.add_error(None, exc.messages)
            return
        for key, messages in exc.message_dict.items():
            if key in self.fields:
                target = key
            elif f"{key}_meets" in self.fields and not self.data.get(self.add_prefix(f"{key}_meets")):
                target = f"{key}_meets"
            elif f"{key}_note" in self.fields:
                target = f"{key}_note"
            else:
                target = None
            self.add_error(target, messages)
            if target is not None:  # as GovukFormMixin.full_clean does for the form's own errors
                widget = self.fields[target].widget
                ids = [widget.attrs.get("aria-describedby", ""), f"{self.add_prefix(target)}-error"]
                widget.attrs["aria-describedby"] = " ".join(i for i in ids if i)
                if "govuk-textarea" in widget.attrs.get("class", ""):
                    widget.attrs["class"] += " govuk-textarea--error"
