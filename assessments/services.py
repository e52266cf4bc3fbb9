"""Every write to assessments. Each saves what the practitioner entered, then re-runs the eligibility
engine so the provisional result shown beside the form always matches the answers on record."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, Value
from django.db.models.functions import Greatest
from django.utils import timezone

from carecase import codes
from carecase.audit.access import require_full_access, staff_member
from carecase.staff.models import Role
from reviews import services as review_services

from .engine import approval, eligibility, support_sequence
from .models import (
    ApprovalRequest,
    ApprovalStatus,
    Assessment,
    AssessmentOutcome,
    AssessmentStatus,
    AssessmentTransition,
    AssessmentType,
    EngineKind,
    PlanOutcome,
    PlanStatus,
    SequenceOutcome,
    ServiceLine,
    SupportPlan,
)
from .signals import plan_services_changed

AUTHORISERS = {Role.TEAM_LEADER, Role.SENIOR_MANAGER}

# Fields each section of the task list may change.
SECTION_FIELDS: dict[str, tuple[str, ...]] = {
    "conversation": ("what_matters", "good_day", "strengths", "networks"),
    "wellbeing": ("wellbeing_areas", "wellbeing_note"),
    "conditions": ("impairment_or_illness", "impairment_note", "necessary_care", "health_at_risk",
                   "significant_impact_on_wellbeing", "wellbeing_impact_note", "needs_fluctuate",
                   "fluctuation_period"),
    "capacity": ("capacity_doubt", "capacity_outcome", "substantial_difficulty", "appropriate_person",
                 "advocacy_note"),
    "carers": ("carer_details", "carer_assessment_offered"),
}


def _kind_rules(kind: str) -> Mapping[str, Any]:
    return eligibility.current_rules()["kinds"][kind]


def outcome_codes(kind: str) -> list[str]:
    return [o["code"] for o in _kind_rules(kind)["outcomes"]]


def allowed_statuses(kind: str) -> list[str]:
    return list(_kind_rules(kind)["statuses"])


def _require_editable(assessment: Assessment) -> None:
    if not assessment.is_editable:
        raise ValidationError(f"This assessment is {assessment.get_status_display().lower()} and cannot be changed.")


def _transition(assessment: Assessment, *, to: str, by, reason: str = "") -> None:
    AssessmentTransition.objects.create(assessment=assessment, from_status=assessment.status if assessment.pk else "",
                                        to_status=to, by=by, reason=reason)
    assessment.status = to


def engine_answers(assessment: Assessment) -> eligibility.EligibilityAnswers:
    """The answers on record in the engine's terms. Unanswered questions count as 'no' for the
    provisional result, and the trace says the condition is not met."""
    achieved = eligibility.achieved_status(eligibility.current_rules())
    outcomes = {}
    for row in assessment.outcomes.all():
        unachieved = [s for s in row.statuses if s != achieved]
        if unachieved:
            outcomes[row.code] = unachieved[0]
    if assessment.kind == EngineKind.CARER:
        return eligibility.EligibilityAnswers(
            kind="carer", outcomes=outcomes, necessary_care=bool(assessment.necessary_care),
            health_at_risk=bool(assessment.health_at_risk),
            significant_impact_on_wellbeing=bool(assessment.significant_impact_on_wellbeing))
    return eligibility.EligibilityAnswers(
        kind="adult", outcomes=outcomes, impairment_or_illness=bool(assessment.impairment_or_illness),
        significant_impact_on_wellbeing=bool(assessment.significant_impact_on_wellbeing))


def _refresh_eligibility(assessment: Assessment) -> None:
    result = eligibility.evaluate(engine_answers(assessment))
    changed = result.eligible != assessment.engine_eligible
    assessment.eligibility_result = result.to_dict()
    assessment.eligibility_ruleset_version = result.ruleset_version
    assessment.engine_eligible = result.eligible
    fields = ["eligibility_result", "eligibility_ruleset_version", "engine_eligible", "updated_at"]
    if changed and assessment.practitioner_agrees is not None:
        # A decision made on different answers no longer stands: the practitioner decides again.
        assessment.practitioner_agrees, assessment.disagreement_reason, assessment.eligible = None, "", None
        fields += ["practitioner_agrees", "disagreement_reason", "eligible"]
    assessment.save(update_fields=fields)


@transaction.atomic
def assessment_start(*, person, by, assessment_type: str, started_on: dt.date | None = None) -> Assessment:
    require_full_access(by, person)
    if assessment_type not in AssessmentType.values:
        raise ValidationError({"assessment_type": "Choose the type of assessment"})
    kind = EngineKind.CARER if assessment_type == AssessmentType.CARER else EngineKind.ADULT
    started_on = started_on or timezone.localdate()
    if started_on > timezone.localdate():
        raise ValidationError({"started_on": "The start date cannot be in the future"})
    assessment = Assessment(person=person, assessment_type=assessment_type, kind=kind, started_on=started_on,
                            worker=by)
    assessment.full_clean()
    assessment.save()
    AssessmentOutcome.objects.bulk_create(
        [AssessmentOutcome(assessment=assessment, code=code) for code in outcome_codes(kind)])
    AssessmentTransition.objects.create(assessment=assessment, from_status="", to_status=AssessmentStatus.DRAFT, by=by)
    _refresh_eligibility(assessment)
    return assessment


@transaction.atomic
def assessment_save_section(*, assessment: Assessment, by, section: str, **fields) -> Assessment:
    require_full_access(by, assessment.person)
    _require_editable(assessment)
    allowed = SECTION_FIELDS.get(section)
    if allowed is None:
        raise ValueError(f"Unknown section {section!r}")
    unknown = set(fields) - set(allowed)
    if unknown:
        raise TypeError(f"Section {section} does not hold {sorted(unknown)}")
    for name, value in fields.items():
        setattr(assessment, name, value)
    if assessment.needs_fluctuate and not (assessment.fluctuation_period or "").strip() and section == "conditions":
        raise ValidationError({"fluctuation_period": "Say over what period you looked at their needs"})
    assessment.full_clean()
    assessment.save()
    _refresh_eligibility(assessment)
    return assessment


@transaction.atomic
def assessment_save_outcomes(*, assessment: Assessment, by, answers: Mapping[str, Mapping[str, Any]]) -> Assessment:
    """answers: {code: {"statuses": [status, ...], "description": str}} for some or all outcomes."""
    require_full_access(by, assessment.person)
    _require_editable(assessment)
    rules = eligibility.current_rules()
    achieved = eligibility.achieved_status(rules)
    allowed = set(allowed_statuses(assessment.kind))
    rows = {row.code: row for row in assessment.outcomes.all()}
    errors: dict[str, str] = {}
    for code, answer in answers.items():
        statuses = list(dict.fromkeys(answer.get("statuses") or []))
        if code not in rows:
            errors[code] = "This is not one of the outcomes for this assessment"
        elif any(s not in allowed for s in statuses):
            errors[code] = "Choose from the answers listed for this outcome"
        elif achieved in statuses and len(statuses) > 1:
            errors[code] = "Choose either that they can achieve this, or how they are unable to, not both"
        elif [s for s in statuses if s != achieved] and not (answer.get("description") or "").strip():
            errors[code] = "Describe how they are unable to achieve this, in their words where you can"
        else:
            rows[code].statuses = statuses
            rows[code].description = (answer.get("description") or "").strip()
    if errors:
        raise ValidationError(errors)
    AssessmentOutcome.objects.bulk_update(list(rows.values()), ["statuses", "description"])
    _refresh_eligibility(assessment)
    return assessment


@transaction.atomic
def assessment_decide(*, assessment: Assessment, by, agrees: bool, reason: str = "") -> Assessment:
    """The practitioner confirms the suggested eligibility decision, or records why they disagree."""
    require_full_access(by, assessment.person)
    _require_editable(assessment)
    reason = (reason or "").strip()
    if not agrees and not reason:
        raise ValidationError({"reason": "Say why you disagree with the suggested decision"})
    assessment.practitioner_agrees = agrees
    assessment.disagreement_reason = "" if agrees else reason
    assessment.eligible = assessment.engine_eligible if agrees else not assessment.engine_eligible
    assessment.save(update_fields=["practitioner_agrees", "disagreement_reason", "eligible", "updated_at"])
    return assessment


def missing_for_submission(assessment: Assessment) -> list[str]:
    """What must be recorded before the assessment can be submitted, in plain English."""
    missing = []
    if not assessment.what_matters.strip():
        missing.append("What matters to them, in their own words")
    if assessment.kind == EngineKind.ADULT and assessment.impairment_or_illness is None:
        missing.append("Whether their needs arise from an impairment or illness")
    if assessment.kind == EngineKind.CARER and assessment.necessary_care is None:
        missing.append("Whether their needs arise from providing necessary care")
    if assessment.significant_impact_on_wellbeing is None:
        missing.append("Whether there is a significant impact on their wellbeing")
    unanswered = [row.code for row in assessment.outcomes.all() if not row.statuses]
    if unanswered:
        missing.append(f"An answer for every outcome ({len(unanswered)} not answered)")
    if assessment.capacity_doubt is None:
        missing.append("Whether there is reason to doubt their capacity")
    if assessment.eligible is None:
        missing.append("Your eligibility decision")
    return missing


@transaction.atomic
def assessment_submit(*, assessment: Assessment, by) -> Assessment:
    require_full_access(by, assessment.person)
    _require_editable(assessment)
    missing = missing_for_submission(assessment)
    if missing:
        raise ValidationError("Before you submit, record: " + "; ".join(missing) + ".")
    _transition(assessment, to=AssessmentStatus.SUBMITTED, by=by)
    assessment.save(update_fields=["status", "updated_at"])
    return assessment


def _require_authoriser(by, assessment: Assessment) -> None:
    staff = staff_member(by)
    if staff is None or staff.role not in AUTHORISERS:
        raise PermissionDenied("Only a team leader or senior manager can authorise or return an assessment.")
    if assessment.worker_id == by.pk:
        raise PermissionDenied("Someone else must authorise an assessment you carried out.")


@transaction.atomic
def assessment_authorise(*, assessment: Assessment, by) -> Assessment:
    require_full_access(by, assessment.person)
    _require_authoriser(by, assessment)
    if assessment.status != AssessmentStatus.SUBMITTED:
        raise ValidationError("Only a submitted assessment can be authorised.")
    _transition(assessment, to=AssessmentStatus.AUTHORISED, by=by)
    assessment.completed_on = timezone.localdate()
    assessment.save(update_fields=["status", "completed_on", "updated_at"])
    return assessment


@transaction.atomic
def assessment_return(*, assessment: Assessment, by, reason: str) -> Assessment:
    require_full_access(by, assessment.person)
    _require_authoriser(by, assessment)
    if assessment.status != AssessmentStatus.SUBMITTED:
        raise ValidationError("Only a submitted assessment can be returned.")
    if not (reason or "").strip():
        raise ValidationError({"reason": "Say what needs to change before it can be authorised"})
    _transition(assessment, to=AssessmentStatus.RETURNED, by=by, reason=reason.strip())
    assessment.save(update_fields=["status", "updated_at"])
    return assessment


@transaction.atomic
def assessment_close(*, assessment: Assessment, by, reason: str) -> Assessment:
    """Close an assessment that will not be finished (for example the person declined or died)."""
    require_full_access(by, assessment.person)
    if assessment.status == AssessmentStatus.CLOSED:
        return assessment
    if not (reason or "").strip():
        raise ValidationError({"reason": "Say why the assessment is being closed"})
    _transition(assessment, to=AssessmentStatus.CLOSED, by=by, reason=reason.strip())
    assessment.completed_on = assessment.completed_on or timezone.localdate()
    assessment.save(update_fields=["status", "completed_on", "updated_at"])
    return assessment


# --- the support sequence, inside the assessment ---------------------------------------------------------


def _sequence_request_dict(row) -> dict:
    steps = {code: {"considered": bool(a.get("considered")), "meets": a.get("meets"), "note": a.get("note", "")}
             for code, a in (row.steps or {}).items()}
    done = row.done_differently or {}
    return {
        "code": row.code,
        "existing_support": row.existing_support,
        "steps": steps,
        "done_differently": {"considered": bool(done.get("considered")), "note": done.get("note", "")} if done else None,
        "formal_support_requested": row.formal_support_requested,
        "crisis_override": {"reason": row.crisis_override_reason} if row.crisis_override_reason.strip() else None,
    }


def sequence_steps() -> list[Mapping[str, Any]]:
    """The steps in the current rule file's order, with their names and questions, for the form."""
    from .engine import ruleset

    return list(ruleset.current(support_sequence.ENGINE)["steps"])


def formal_costs(row) -> tuple[Decimal, Decimal] | None:
    """The weekly and yearly cost of the formal option being considered for a row, if it has one."""
    weekly = row.formal_weekly_cost
    if weekly is None:
        return None
    return weekly, approval.yearly_cost(weekly)


def sequence_evaluate(rows) -> support_sequence.SequenceResult:
    """The engine's answer for these rows together (ready_for_approval covers them all)."""
    request = support_sequence.request_from_dict({"outcomes": [_sequence_request_dict(r) for r in rows]})
    return support_sequence.evaluate(request)


def _store_result(row) -> None:
    result = sequence_evaluate([row])
    outcome = result.to_dict()["outcomes"][0]
    row.status, row.result, row.ruleset_version = outcome["status"], outcome, result.ruleset_version


@transaction.atomic
def sequence_outcome_add(*, assessment: Assessment, by, label: str, national_outcome: str = "",
                         existing_support: bool = False) -> SequenceOutcome:
    from django.utils.text import slugify

    require_full_access(by, assessment.person)
    _require_editable(assessment)
    label = " ".join((label or "").split())
    if not label:
        raise ValidationError({"label": "Write the outcome, in the person's words where you can"})
    if national_outcome and national_outcome not in outcome_codes(assessment.kind):
        raise ValidationError({"national_outcome": "Choose one of the outcomes in the list"})
    base = slugify(label)[:50] or "outcome"
    taken = set(assessment.sequence_outcomes.values_list("code", flat=True))
    code, n = base, 2
    while code in taken:
        code, n = f"{base}-{n}", n + 1
    row = SequenceOutcome(assessment=assessment, code=code, label=label, national_outcome=national_outcome,
                          existing_support=existing_support)
    _store_result(row)
    row.save()
    return row


@transaction.atomic
def sequence_from_eligibility(*, assessment: Assessment, by) -> list[SequenceOutcome]:
    """Add a row for each outcome the person cannot achieve that has no row yet, labelled in plain words."""
    require_full_access(by, assessment.person)
    _require_editable(assessment)
    labels = {o["code"]: o["label"] for o in _kind_rules(assessment.kind)["outcomes"]}
    have = set(assessment.sequence_outcomes.values_list("national_outcome", flat=True))
    added = []
    for code in assessment.eligibility_result.get("unachieved_outcomes", []):
        if code not in have:
            label = labels.get(code, code)
            added.append(sequence_outcome_add(assessment=assessment, by=by, label=label[:1].upper() + label[1:],
                                              national_outcome=code,
                                              existing_support=assessment.assessment_type == AssessmentType.REASSESSMENT))
    return added


@transaction.atomic
def sequence_outcome_save(*, row: SequenceOutcome, by, steps: Mapping[str, Mapping[str, Any]],
                          done_differently: Mapping[str, Any] | None, formal_support_requested: bool,
                          crisis_override_reason: str = "", existing_support: bool | None = None,
                          formal_option: str = "", formal_units_per_week: Decimal | None = None,
                          formal_unit_cost: Decimal | None = None) -> SequenceOutcome:
    require_full_access(by, row.assessment.person)
    _require_editable(row.assessment)
    known = {c for c in support_sequence.STEP_CODES if c != "done_differently"}
    unknown = set(steps) - known
    if unknown:
        raise ValidationError({"steps": f"Unknown steps: {', '.join(sorted(unknown))}"})
    errors = {}
    clean_steps = {}
    for code, answer in steps.items():
        considered = bool(answer.get("considered"))
        meets = answer.get("meets") or None
        note = (answer.get("note") or "").strip()
        if considered and meets not in ("fully", "partly", "no"):
            errors[code] = "Say whether this meets the outcome fully, partly or not at all"
        elif considered and not note:
            errors[code] = "Say what you found: a step counts as looked at only with a note"
        clean_steps[code] = {"considered": considered, "meets": meets if considered else None, "note": note}
    done = dict(done_differently or {})
    if done:
        done = {"considered": bool(done.get("considered")), "note": (done.get("note") or "").strip()}
        if done["considered"] and not done["note"]:
            errors["done_differently"] = "Say what could be done differently, or that nothing could"
    if (formal_units_per_week is None) != (formal_unit_cost is None):
        errors["formal_unit_cost"] = "Enter both how many a week and the cost of each, or neither"
    elif formal_units_per_week is not None and (formal_units_per_week <= 0 or formal_unit_cost < 0):
        errors["formal_unit_cost"] = "Enter how many a week (more than zero) and a cost of zero or more"
    if errors:
        raise ValidationError(errors)
    row.formal_option = (formal_option or "").strip()
    row.formal_units_per_week, row.formal_unit_cost = formal_units_per_week, formal_unit_cost
    row.steps, row.done_differently = clean_steps, done
    row.formal_support_requested = formal_support_requested
    row.crisis_override_reason = (crisis_override_reason or "").strip()
    if existing_support is not None:
        row.existing_support = existing_support
    _store_result(row)
    row.save()
    return row


@transaction.atomic
def sequence_outcome_remove(*, row: SequenceOutcome, by) -> None:
    require_full_access(by, row.assessment.person)
    _require_editable(row.assessment)
    row.delete()


# --- care and support plans, personal budget and approval ---------------------------------------------


def plan_weekly_cost(plan: SupportPlan) -> Decimal:
    return sum((line.weekly_cost for line in plan.services.all()), Decimal("0.00"))


def plan_is_long_term(plan: SupportPlan) -> bool:
    return any(line.service_type in codes.LONG_TERM_SERVICE_TYPES for line in plan.services.all())


def _require_plan_editable(plan: SupportPlan) -> None:
    if plan.status not in (PlanStatus.DRAFT, PlanStatus.RETURNED):
        raise ValidationError(f"This plan is {plan.get_status_display().lower()} and cannot be changed.")


@transaction.atomic
def plan_create(*, assessment: Assessment, by) -> SupportPlan:
    """Start a plan from an assessment with eligible needs: one plan outcome per support-sequence row."""
    require_full_access(by, assessment.person)
    if assessment.eligible is not True:
        raise ValidationError("A care and support plan needs an assessment with a decision that there are "
                              "eligible needs.")
    plan = SupportPlan.objects.create(person=assessment.person, assessment=assessment, created_by=by)
    PlanOutcome.objects.bulk_create([
        PlanOutcome(plan=plan, sequence_outcome=row, label=row.label) for row in assessment.sequence_outcomes.all()
    ])
    return plan


@transaction.atomic
def plan_outcome_save(*, outcome: PlanOutcome, by, how_met: str, by_whom: str) -> PlanOutcome:
    require_full_access(by, outcome.plan.person)
    _require_plan_editable(outcome.plan)
    outcome.how_met, outcome.by_whom = (how_met or "").strip(), (by_whom or "").strip()
    outcome.save(update_fields=["how_met", "by_whom"])
    return outcome


@transaction.atomic
def service_line_add(*, plan: SupportPlan, by, service_type: str, component: str, units_per_week: Decimal,
                     unit: str, unit_cost: Decimal, delivery_mechanism: str, starts_on: dt.date,
                     provider: str = "", ends_on: dt.date | None = None, outcome: PlanOutcome | None = None
                     ) -> ServiceLine:
    require_full_access(by, plan.person)
    _require_plan_editable(plan)
    if outcome is not None and outcome.plan_id != plan.id:
        raise ValidationError({"outcome": "Choose an outcome from this plan"})
    line = ServiceLine(plan=plan, outcome=outcome, service_type=service_type, component=component,
                       provider=(provider or "").strip(), units_per_week=units_per_week, unit=unit,
                       unit_cost=unit_cost, delivery_mechanism=delivery_mechanism, starts_on=starts_on,
                       ends_on=ends_on)
    line.full_clean()
    line.save()
    return line


@transaction.atomic
def service_line_remove(*, line: ServiceLine, by) -> None:
    require_full_access(by, line.plan.person)
    _require_plan_editable(line.plan)
    line.delete()


@transaction.atomic
def plan_set_contribution(*, plan: SupportPlan, by, weekly: Decimal) -> SupportPlan:
    require_full_access(by, plan.person)
    _require_plan_editable(plan)
    plan.assessed_contribution_weekly = weekly
    plan.full_clean()
    plan.save(update_fields=["assessed_contribution_weekly", "updated_at"])
    return plan


def plan_not_ready(plan: SupportPlan) -> list[str]:
    """Why the plan cannot go for approval yet, in plain English (empty when it can)."""
    problems = []
    if not plan.services.exists():
        problems.append("Add at least one service to the plan")
    if any(not o.how_met.strip() for o in plan.outcomes.all()):
        problems.append("Say how each outcome will be met")
    if plan_is_long_term(plan):
        rows = list(plan.assessment.sequence_outcomes.all())
        result = sequence_evaluate(rows) if rows else None
        if result is None or not result.ready_for_approval:
            problems.append("Long-term support can go for approval only when the support sequence is complete "
                            "for every outcome (or a crisis override is recorded)")
    return problems


@transaction.atomic
def plan_request_approval(*, plan: SupportPlan, by) -> ApprovalRequest:
    require_full_access(by, plan.person)
    _require_plan_editable(plan)
    problems = plan_not_ready(plan)
    if problems:
        raise ValidationError("Before you send the plan for approval: " + "; ".join(problems) + ".")
    weekly = plan_weekly_cost(plan)
    yearly = approval.yearly_cost(weekly)
    level = approval.required_level(yearly)
    rows = list(plan.assessment.sequence_outcomes.all())
    result = sequence_evaluate(rows) if rows else None
    request = ApprovalRequest.objects.create(
        plan=plan, requested_by=by, weekly_cost=weekly, yearly_cost=yearly, level=level.code,
        limits_version=approval.current_rules()["version"], long_term=plan_is_long_term(plan),
        sequence_result=result.to_dict() if result else {},
        sequence_ruleset_version=result.ruleset_version if result else "",
        crisis_override=bool(result and any("crisis_override" in o.flags for o in result.outcomes)),
    )
    plan.status = PlanStatus.AWAITING_APPROVAL
    plan.save(update_fields=["status", "updated_at"])
    return request


def can_decide_approval(user, request: ApprovalRequest) -> bool:
    staff = staff_member(user)
    return (staff is not None and request.requested_by_id != user.pk
            and approval.can_decide(staff.role, request.level))


def _end_replaced_plans(plan: SupportPlan) -> None:
    """A person has one active plan of each kind (their own, and another as a carer if they are one too):
    approving a new one ends the one before, the day before the new one starts (or the day it started, if
    later), with its services; its reviews follow (reviews app)."""
    older = (SupportPlan.objects.select_for_update()
             .filter(person=plan.person, status=PlanStatus.ACTIVE, assessment__kind=plan.assessment.kind)
             .exclude(pk=plan.pk))
    for old in older:
        old.status = PlanStatus.ENDED
        old.ends_on = max(old.starts_on or plan.starts_on, plan.starts_on - dt.timedelta(days=1))
        old.save(update_fields=["status", "ends_on", "updated_at"])
        ServiceLine.objects.filter(plan=old, ends_on__isnull=True).update(
            ends_on=Greatest(F("starts_on"), Value(old.ends_on)))
        review_services.reviews_follow_replaced_plan(old_plan=old, new_plan=plan)


@transaction.atomic
def approval_decide(*, request: ApprovalRequest, by, approve: bool, reason: str = "",
                    starts_on: dt.date | None = None) -> ApprovalRequest:
    """Approve the plan (it becomes active, with its first review due 8 weeks after it starts) or
    return it with a reason."""
    require_full_access(by, request.plan.person)
    request = ApprovalRequest.objects.select_for_update().get(pk=request.pk)
    if request.status != ApprovalStatus.PENDING:
        raise ValidationError("This request has already been decided.")
    if not can_decide_approval(by, request):
        raise PermissionDenied(f"This plan needs a decision from: {approval.level_label(request.level)}. "
                               "You cannot decide a plan you sent for approval.")
    reason = (reason or "").strip()
    plan = request.plan
    if approve:
        plan.status = PlanStatus.ACTIVE
        plan.approved_by, plan.approved_at = by, timezone.now()
        plan.starts_on = starts_on or plan.starts_on or timezone.localdate()
        request.status = ApprovalStatus.APPROVED
    else:
        if not reason:
            raise ValidationError({"reason": "Say what needs to change before the plan can be approved"})
        plan.status = PlanStatus.RETURNED
        request.status = ApprovalStatus.RETURNED
    request.decided_by, request.decided_at, request.reason = by, timezone.now(), reason
    request.save(update_fields=["status", "decided_by", "decided_at", "reason"])
    plan.save()
    if approve:
        _end_replaced_plans(plan)
        review_services.review_schedule_first(plan=plan, by=by)  # due 8 weeks after the plan starts
        # In this transaction, so a direct payment repriced from the plan's start commits with the approval.
        plan_services_changed.send(sender=SupportPlan, plan=plan, by=by, effective_from=plan.starts_on)
    return request
