"""Staff pages for Care Act assessments: a GOV.UK task list, one page per section, the live eligibility
panel, the practitioner's decision, submission and authorisation.

Thin, like carecase.web.views: forms shape what was typed, selectors read (access-checked and logged),
services write and re-run the eligibility engine.
"""

from __future__ import annotations

import dataclasses
import functools

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from carecase.audit.access import staff_member
from carecase.web.decorators import person_page
from carecase.web.views import _apply_errors, _person_context, _posted

from . import forms as af
from . import selectors, services
from .engine import eligibility
from .models import Assessment, AssessmentStatus, EngineKind, SequenceOutcome

NOT_STARTED, INCOMPLETE, COMPLETED = "Not yet started", "Incomplete", "Completed"

# The support sequence's statuses in plain words, with their GOV.UK tag colour.
SEQUENCE_STATUSES = {
    "met_without_formal_support": ("Met without formal support", "govuk-tag--green"),
    "formal_support_justified": ("Formal support justified", "govuk-tag--blue"),
    "formal_support_not_justified": ("Formal support not justified: a step meets it fully", "govuk-tag--orange"),
    "incomplete": ("Not finished", "govuk-tag--grey"),
}
SEQUENCE_READY = ("met_without_formal_support", "formal_support_justified")

STATUS_TAGS = {
    AssessmentStatus.DRAFT: "govuk-tag--grey",
    AssessmentStatus.SUBMITTED: "govuk-tag--blue",
    AssessmentStatus.RETURNED: "govuk-tag--orange",
    AssessmentStatus.AUTHORISED: "govuk-tag--green",
    AssessmentStatus.CLOSED: "govuk-tag--grey",
}

SECTION_TITLES = {
    "conversation": "What matters to them",
    "wellbeing": "Wellbeing",
    "conditions": "Needs and conditions",
    "capacity": "Mental capacity and advocacy",
    "carers": "Carers",
}


def assessment_page(view):
    """person_page's handling of access refusals, and a 404 for an assessment that does not exist."""

    @person_page
    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except Assessment.DoesNotExist:
            raise Http404("No assessment with that number") from None
        except SequenceOutcome.DoesNotExist:
            raise Http404("No such outcome in this assessment's support sequence") from None

    return wrapper


def _filled(*values) -> int:
    return sum(1 for v in values if v not in (None, "", []) and not (isinstance(v, str) and not v.strip()))


def _status(filled: int, needed: int) -> str:
    return NOT_STARTED if filled == 0 else COMPLETED if filled >= needed else INCOMPLETE


def section_statuses(assessment: Assessment) -> dict[str, str]:
    """Each task's status, worked out from the answers on record (the outcomes are prefetched)."""
    a = assessment
    carer = a.kind == EngineKind.CARER
    condition_answers = ((a.necessary_care, a.health_at_risk) if carer else (a.impairment_or_illness,)) + (
        a.significant_impact_on_wellbeing,)
    conditions = _status(_filled(*condition_answers), len(condition_answers))
    if conditions == NOT_STARTED and _filled(a.impairment_note, a.wellbeing_impact_note, a.fluctuation_period):
        conditions = INCOMPLETE
    rows = list(a.outcomes.all())
    answered = sum(1 for row in rows if row.statuses)
    capacity_needed = [a.capacity_doubt, a.substantial_difficulty]
    if a.capacity_doubt:
        capacity_needed.append(a.capacity_outcome)
    if a.substantial_difficulty:
        capacity_needed.append(a.appropriate_person)
    capacity = _status(_filled(*capacity_needed), len(capacity_needed))
    if capacity == NOT_STARTED and _filled(a.advocacy_note, a.capacity_outcome):
        capacity = INCOMPLETE
    carers = _status(_filled(a.carer_assessment_offered, a.carer_details), 1)
    sequence_rows = list(a.sequence_outcomes.all())
    sequence = (NOT_STARTED if not sequence_rows else COMPLETED if all(
        r.status in SEQUENCE_READY for r in sequence_rows) else INCOMPLETE)
    if a.carer_details.strip() and a.carer_assessment_offered is None:
        carers = INCOMPLETE
    return {
        "conversation": _status(_filled(a.what_matters, a.strengths, a.networks), 3)
        if _filled(a.what_matters, a.good_day, a.strengths, a.networks) else NOT_STARTED,
        "wellbeing": COMPLETED if _filled(a.wellbeing_areas, a.wellbeing_note) else NOT_STARTED,
        "conditions": conditions,
        "outcomes": _status(answered, len(rows)),
        "sequence": sequence,
        "capacity": capacity,
        "carers": carers,
        "decision": COMPLETED if a.eligible is not None else NOT_STARTED,
        "submit": NOT_STARTED if a.is_editable else COMPLETED,
    }


def _can_authorise(user, assessment: Assessment) -> bool:
    staff = staff_member(user)
    return (staff is not None and staff.role in services.AUTHORISERS and assessment.worker_id != user.pk
            and assessment.status == AssessmentStatus.SUBMITTED)


def _assessment_context(request, assessment: Assessment, **extra) -> dict:
    return {**_person_context(request, assessment.person, "assessments"), "assessment": assessment,
            "editable": assessment.is_editable, "result": assessment.eligibility_result, **extra}


# ---------------------------------------------------------------- the person's assessments


@person_page
def person_assessments(request, person_id: int):
    person, assessments = selectors.assessments_for(user=request.user, person_id=person_id, path=request.path)
    form = af.StartForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            assessment = services.assessment_start(person=person, by=request.user,
                                                   assessment_type=form.cleaned_data["assessment_type"],
                                                   started_on=form.cleaned_data["started_on"])
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, f"The {assessment.get_assessment_type_display().lower()} has been started.")
            return redirect("assessment-detail", assessment.id)
    rows = [(a, STATUS_TAGS.get(a.status, "govuk-tag--grey")) for a in assessments]
    return render(request, "assessments/person_assessments.html",
                  {**_person_context(request, person, "assessments"), "rows": rows, "form": form})


# ---------------------------------------------------------------- the task list


def _tasks(assessment: Assessment) -> list[dict]:
    statuses = section_statuses(assessment)
    conditions_hint = ("Necessary care, health at risk" if assessment.kind == EngineKind.CARER
                       else "Impairment or illness") + ", impact on wellbeing, fluctuating needs"
    tasks = [
        ("conversation", SECTION_TITLES["conversation"], "In their own words: a good day, strengths, people around them"),
        ("wellbeing", SECTION_TITLES["wellbeing"], "The nine areas of wellbeing in the Care Act"),
        ("conditions", SECTION_TITLES["conditions"], conditions_hint),
        ("outcomes", "Outcomes", "What they can and cannot achieve"),
        ("sequence", "Support sequence", "For each outcome: strengths, equipment, family and community before "
                                         "formal support"),
        ("capacity", SECTION_TITLES["capacity"], "Mental Capacity Act 2005 and independent advocacy"),
        ("carers", SECTION_TITLES["carers"], "Unpaid carers and carer's assessments"),
        ("decision", "Eligibility decision", "Agree with the suggested decision, or say why not"),
        ("submit", "Submit", "Send to your team leader to authorise"),
    ]
    urls = {"outcomes": "assessment-outcomes", "sequence": "assessment-sequence", "decision": "assessment-decision", "submit": "assessment-submit"}
    return [{"key": key, "title": title, "hint": hint, "status": statuses[key],
             "url_name": urls.get(key, f"assessment-{key}")} for key, title, hint in tasks]


def _task_list(request, assessment: Assessment, *, return_form=None, status: int = 200):
    can_authorise = _can_authorise(request.user, assessment)
    if can_authorise and return_form is None:
        return_form = af.ReturnForm()
    last_return = next((t for t in reversed(assessment.transitions.all())
                        if t.to_status == AssessmentStatus.RETURNED), None)
    return render(request, "assessments/task_list.html", _assessment_context(
        request, assessment, tasks=_tasks(assessment), can_authorise=can_authorise, form=return_form,
        status_tag=STATUS_TAGS.get(assessment.status), last_return=last_return), status=status)


@assessment_page
def assessment_detail(request, assessment_id: int):
    assessment = selectors.assessment_for(user=request.user, assessment_id=assessment_id, path=request.path)
    return _task_list(request, assessment)


# ---------------------------------------------------------------- the sections


@assessment_page
def assessment_section(request, assessment_id: int, section: str):
    form_class = af.SECTION_FORMS.get(section)
    if form_class is None:
        raise Http404("No such section")
    assessment = selectors.assessment_for(user=request.user, assessment_id=assessment_id, path=request.path)
    form = form_class(_posted(request), assessment=assessment)
    if request.method == "POST" and form.is_valid():
        try:
            services.assessment_save_section(assessment=assessment, by=request.user, section=section,
                                             **form.answers())
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, f"{SECTION_TITLES[section]} has been saved.")
            return redirect("assessment-detail", assessment.id)
    return render(request, "assessments/section.html", _assessment_context(
        request, assessment, form=form, title=SECTION_TITLES[section]))


@assessment_page
def assessment_outcomes(request, assessment_id: int):
    assessment = selectors.assessment_for(user=request.user, assessment_id=assessment_id, path=request.path)
    form = af.OutcomesForm(_posted(request), assessment=assessment)
    if request.method == "POST" and form.is_valid():
        try:
            services.assessment_save_outcomes(assessment=assessment, by=request.user, answers=form.answers())
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, "The outcomes have been saved.")
            return redirect("assessment-detail", assessment.id)
    return render(request, "assessments/outcomes.html", _assessment_context(request, assessment, form=form))


def preview_result(assessment: Assessment, statuses: dict[str, list[str]]) -> dict:
    """The engine's answer for the ticked outcomes and the conditions on record, without saving anything.
    The conditions come from services.engine_answers, so the preview and the saved result cannot drift."""
    achieved = eligibility.achieved_status(eligibility.current_rules())
    outcomes = {}
    for code, ticked in statuses.items():
        unachieved = [s for s in ticked if s != achieved]
        if unachieved:
            outcomes[code] = unachieved[0]
    answers = dataclasses.replace(services.engine_answers(assessment), outcomes=outcomes)
    return eligibility.evaluate(answers).to_dict()


@require_POST
@assessment_page
def eligibility_preview(request, assessment_id: int):
    """The live panel for the outcomes page (htmx): evaluates the posted answers, saves nothing."""
    assessment = selectors.assessment_for(user=request.user, assessment_id=assessment_id, path=request.path)
    form = af.OutcomesForm(request.POST, assessment=assessment)
    result = preview_result(assessment, form.posted_statuses())
    return render(request, "assessments/_eligibility_result.html",
                  {"result": result, "preview": True, "assessment": assessment})


# ---------------------------------------------------------------- decision, submission, authorisation


@assessment_page
def assessment_decision(request, assessment_id: int):
    assessment = selectors.assessment_for(user=request.user, assessment_id=assessment_id, path=request.path)
    initial = {}
    if assessment.practitioner_agrees is not None:
        initial = {"agrees": "yes" if assessment.practitioner_agrees else "no",
                   "reason": assessment.disagreement_reason}
    form = af.DecisionForm(_posted(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.assessment_decide(assessment=assessment, by=request.user,
                                       agrees=form.cleaned_data["agrees"] == "yes", reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, "Your eligibility decision has been saved.")
            return redirect("assessment-detail", assessment.id)
    return render(request, "assessments/decision.html", _assessment_context(request, assessment, form=form))


@assessment_page
def assessment_submit(request, assessment_id: int):
    assessment = selectors.assessment_for(user=request.user, assessment_id=assessment_id, path=request.path)
    errors = []
    if request.method == "POST":
        try:
            services.assessment_submit(assessment=assessment, by=request.user)
        except ValidationError as exc:
            errors = exc.messages
        else:
            messages.success(request, "The assessment has been submitted for authorisation.")
            return redirect("assessment-detail", assessment.id)
    return render(request, "assessments/submit.html", _assessment_context(
        request, assessment, missing=services.missing_for_submission(assessment), errors=errors))


@require_POST
@assessment_page
def assessment_authorise(request, assessment_id: int):
    assessment = selectors.assessment_for(user=request.user, assessment_id=assessment_id, path=request.path)
    try:
        services.assessment_authorise(assessment=assessment, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, "The assessment has been authorised.")
    return redirect("assessment-detail", assessment.id)


@require_POST
@assessment_page
def assessment_return(request, assessment_id: int):
    assessment = selectors.assessment_for(user=request.user, assessment_id=assessment_id, path=request.path)
    form = af.ReturnForm(request.POST)
    if form.is_valid():  # the reason itself is checked by the service, with the other rules
        try:
            services.assessment_return(assessment=assessment, by=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            if not hasattr(exc, "error_dict"):  # for example, it is no longer waiting to be authorised
                messages.error(request, " ".join(exc.messages))
                return redirect("assessment-detail", assessment.id)
            _apply_errors(form, exc)
        else:
            messages.success(request, "The assessment has been returned to the worker.")
            return redirect("assessment-detail", assessment.id)
    return _task_list(request, assessment, return_form=form)


# ---------------------------------------------------------------- the support sequence


def _step_names() -> dict[str, dict]:
    return {s["code"]: s for s in services.sequence_steps()}


def _outcome_view(outcome: dict, steps: dict[str, dict]) -> dict:
    """One engine outcome as the pages show it: plain-word status, the next step's name and question,
    the missing steps' names."""
    label, tag = SEQUENCE_STATUSES.get(outcome["status"], (outcome["status"], "govuk-tag--grey"))
    next_step = steps.get(outcome["next_step"]) if outcome["next_step"] else None
    return {**outcome, "status_label": label, "status_tag": tag, "next": next_step,
            "missing_names": [steps[c]["name"] if c in steps else c for c in outcome["missing"]],
            "crisis": "crisis_override" in outcome["flags"]}


def _readiness(rows, result) -> list[str]:
    """Why the sequence is, or is not, ready for approval, in plain words."""
    if not rows:
        return ["Add at least one outcome to be met."]
    if result.ready_for_approval:
        return ["Every outcome is met without formal support, or formal support is justified for it."]
    reasons = []
    for row, outcome in zip(rows, result.outcomes, strict=True):
        if outcome.status not in SEQUENCE_READY:
            reasons.append(f"\u201c{row.label}\u201d: {SEQUENCE_STATUSES[outcome.status][0].lower()}.")
    return reasons


@assessment_page
def assessment_sequence(request, assessment_id: int):
    """The outcomes to be met and where each is in the support sequence; add the person's own goal."""
    assessment = selectors.assessment_for(user=request.user, assessment_id=assessment_id, path=request.path)
    form = af.AddGoalForm(_posted(request), assessment=assessment)
    if request.method == "POST" and form.is_valid():
        try:
            row = services.sequence_outcome_add(assessment=assessment, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, f"\u201c{row.label}\u201d has been added.")
            return redirect("assessment-sequence", assessment.id)
    rows = list(assessment.sequence_outcomes.all())
    result = services.sequence_evaluate(rows)
    steps = _step_names()
    labels = {o["code"]: o["outcome"] for o in eligibility.current_rules()["kinds"][assessment.kind]["outcomes"]}
    have = {r.national_outcome for r in rows}
    to_add = [labels.get(c, c) for c in assessment.eligibility_result.get("unachieved_outcomes", []) if c not in have]
    return render(request, "assessments/sequence.html", _assessment_context(
        request, assessment, form=form, to_add=to_add,
        rows=[(row, _outcome_view(o.to_dict(), steps), labels.get(row.national_outcome, ""))
              for row, o in zip(rows, result.outcomes, strict=True)],
        ready=bool(rows) and result.ready_for_approval, readiness=_readiness(rows, result)))


@require_POST
@assessment_page
def sequence_from_eligibility(request, assessment_id: int):
    assessment = selectors.assessment_for(user=request.user, assessment_id=assessment_id, path=request.path)
    try:
        added = services.sequence_from_eligibility(assessment=assessment, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        if added:
            messages.success(request, f"{len(added)} outcome{'s' if len(added) != 1 else ''} added from the "
                                      "eligibility result.")
        else:
            messages.info(request, "Every outcome they cannot achieve is already in the list.")
    return redirect("assessment-sequence", assessment.id)


@require_POST
@assessment_page
def sequence_remove(request, assessment_id: int, row_id: int):
    _, row = selectors.sequence_outcome_for(user=request.user, assessment_id=assessment_id, row_id=row_id,
                                            path=request.path)
    try:
        services.sequence_outcome_remove(row=row, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, f"\u201c{row.label}\u201d has been removed.")
    return redirect("assessment-sequence", assessment_id)


def _preview_row(row: SequenceOutcome, answers: dict) -> SequenceOutcome:
    """An unsaved copy of the row with the posted answers, for the engine."""
    return SequenceOutcome(code=row.code, label=row.label, existing_support=answers["existing_support"],
                           steps=answers["steps"], done_differently=answers["done_differently"] or {},
                           formal_support_requested=answers["formal_support_requested"],
                           crisis_override_reason=answers["crisis_override_reason"] or "",
                           formal_option=answers.get("formal_option") or "",
                           formal_units_per_week=answers.get("formal_units_per_week"),
                           formal_unit_cost=answers.get("formal_unit_cost"))


@assessment_page
def sequence_outcome(request, assessment_id: int, row_id: int):
    """One outcome through the steps, with the live panel."""
    assessment, row = selectors.sequence_outcome_for(user=request.user, assessment_id=assessment_id,
                                                     row_id=row_id, path=request.path)
    steps = services.sequence_steps()
    form = af.SequenceForm(_posted(request), row=row, steps=steps)
    shown = row
    if request.method == "POST":
        if form.is_valid():
            try:
                services.sequence_outcome_save(row=row, by=request.user, **form.answers())
            except ValidationError as exc:
                form.apply_service_errors(exc)
            else:
                messages.success(request, f"\u201c{row.label}\u201d has been saved.")
                return redirect("assessment-sequence", assessment.id)
        shown = _preview_row(row, form.posted_answers())
    outcome = services.sequence_evaluate([shown]).outcomes[0].to_dict()
    return render(request, "assessments/sequence_outcome.html", _assessment_context(
        request, assessment, form=form, row=row, outcome=_outcome_view(outcome, _step_names()),
        preview=request.method == "POST", costs=services.formal_costs(shown), shown=shown))


@require_POST
@assessment_page
def sequence_preview(request, assessment_id: int, row_id: int):
    """The live panel for one outcome (htmx): evaluates the posted answers, saves nothing."""
    assessment, row = selectors.sequence_outcome_for(user=request.user, assessment_id=assessment_id,
                                                     row_id=row_id, path=request.path)
    form = af.SequenceForm(request.POST, row=row, steps=services.sequence_steps())
    shown = _preview_row(row, form.posted_answers())
    outcome = services.sequence_evaluate([shown]).outcomes[0].to_dict()
    return render(request, "assessments/_sequence_result.html",
                  {"outcome": _outcome_view(outcome, _step_names()), "preview": True, "row": row,
                   "costs": services.formal_costs(shown), "shown": shown})
