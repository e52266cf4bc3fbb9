"""Every write to reviews: scheduling from the plan, unplanned requests, starting, completing (which
schedules the next) and cancelling. Access is checked without logging, as in the other services."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from assessments.engine import review_routing, ruleset, support_sequence
from carecase.audit.access import require_full_access
from carecase.staff.models import Allocation

from . import schedule
from .models import (
    CLD_OUTCOME,
    OPEN_STATUSES,
    CarerAbleWilling,
    OutcomeStillMet,
    RequestedBy,
    Review,
    ReviewKind,
    ReviewOutcome,
    ReviewResult,
    ReviewStatus,
    Topic,
)

UNPLANNED_KIND = {
    RequestedBy.PERSON: ReviewKind.REQUESTED,
    RequestedBy.CARER: ReviewKind.REQUESTED,
    RequestedBy.PROVIDER: ReviewKind.UNPLANNED,
    RequestedBy.WORKER: ReviewKind.UNPLANNED,
    RequestedBy.HOSPITAL: ReviewKind.POST_DISCHARGE,
}


def _team_for(person, by):
    """The team that holds the person's case, else the team of whoever scheduled the review."""
    allocation = Allocation.objects.filter(person=person, ended_at__isnull=True).select_related("team").first()
    if allocation is not None:
        return allocation.team
    staff = getattr(by, "staff", None)
    return staff.team if staff is not None else None


def _open_review(plan, topic: str = Topic.PLAN) -> Review | None:
    return Review.objects.select_for_update().filter(plan=plan, topic=topic, status__in=OPEN_STATUSES).first()


def _sync_plan(plan, due_on: dt.date | None, topic: str = Topic.PLAN) -> None:
    """The plan shows when its own next review is due; a direct payment's reviews run beside it."""
    if topic != Topic.PLAN:
        return
    plan.review_due_on = due_on
    plan.save(update_fields=["review_due_on", "updated_at"])


@transaction.atomic
def review_schedule_first(*, plan, by) -> Review:
    """The first review of a plan that has just become active: due 8 weeks after it starts."""
    existing = _open_review(plan)
    if existing is not None:
        return existing
    opens, due = schedule.first_review_dates(plan.starts_on)
    review = Review.objects.create(person=plan.person, plan=plan, kind=ReviewKind.FIRST, window_opens_on=opens,
                                   due_on=due, team=_team_for(plan.person, by), created_by=by)
    _sync_plan(plan, due)
    return review


@transaction.atomic
def review_schedule_direct_payment(*, plan, by, first_payment_on: dt.date) -> Review:
    """The first review of a direct payment paying for this plan: within 6 months of the first payment. Safe
    to call again (an open direct payment review is kept); later ones follow each completed review."""
    existing = _open_review(plan, Topic.DIRECT_PAYMENT)
    if existing is not None:
        return existing
    opens, due = schedule.first_direct_payment_review_dates(first_payment_on)
    return Review.objects.create(person=plan.person, plan=plan, kind=ReviewKind.DIRECT_PAYMENT_FIRST,
                                 topic=Topic.DIRECT_PAYMENT, window_opens_on=opens, due_on=due,
                                 team=_team_for(plan.person, by), created_by=by)


@transaction.atomic
def review_request(*, plan, by, requested_by: str, reason: str, due_on: dt.date | None = None,
                   topic: str = Topic.PLAN) -> Review:
    """An unplanned review on request (the person, a carer, a provider, after a hospital stay, or a worker):
    brings the plan's open review forward, or opens one. Due within 10 working days unless a date is set.
    `topic` DIRECT_PAYMENT does the same for the direct payment's review (e.g. a concern about misuse)."""
    require_full_access(by, plan.person)
    if topic not in Topic.values:
        raise ValidationError({"topic": "Choose what is to be reviewed"})
    if requested_by not in RequestedBy.values:
        raise ValidationError({"requested_by": "Choose who asked for the review"})
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "Say why the review is needed"})
    today = timezone.localdate()
    due_on = due_on or schedule.unplanned_due(today)
    if due_on < today:
        raise ValidationError({"due_on": "The review cannot be due before today"})
    kind = UNPLANNED_KIND[requested_by]
    review = _open_review(plan, topic)
    if review is None:
        review = Review(person=plan.person, plan=plan, topic=topic, team=_team_for(plan.person, by), created_by=by,
                        due_on=due_on)
    review.kind, review.requested_by, review.request_reason = kind, requested_by, reason
    review.due_on = min(review.due_on, due_on)
    review.window_opens_on = min(today, review.due_on)  # an overdue review keeps its (earlier) due date
    review.save()
    _sync_plan(plan, review.due_on, topic)
    return review


@transaction.atomic
def review_start(*, review: Review, by) -> Review:
    require_full_access(by, review.person)
    if not review.is_open:
        raise ValidationError("This review has already been completed or cancelled.")
    if review.status == ReviewStatus.SCHEDULED:
        review.status, review.reviewer = ReviewStatus.IN_PROGRESS, by
        review.save(update_fields=["status", "reviewer"])
    return review


def _done_differently(answers: Mapping[int, Mapping]) -> dict:
    """The support sequence applied again to the plan's outcomes ("could anything be done differently?"),
    by the assessments engine, as for someone with existing support. `answers` maps a plan outcome's id to
    its steps in the API's shape ({"steps": {...}, "done_differently": {...}, "formal_support_requested":
    bool}). Kept with the engine's answer and rule-set version."""
    if not answers:
        return {}
    outcomes = [{"code": f"outcome-{pk}", "existing_support": True, "steps": dict(a.get("steps") or {}),
                 "done_differently": a.get("done_differently"),
                 "formal_support_requested": bool(a.get("formal_support_requested", True))}
                for pk, a in answers.items()]
    try:
        result = support_sequence.evaluate(support_sequence.request_from_dict({"outcomes": outcomes}))
    except (KeyError, ValueError, TypeError) as exc:
        raise ValidationError({"done_differently": f"The support sequence answers are not complete: {exc}"}) from None
    return {"answers": {str(pk): dict(a) for pk, a in answers.items()}, "result": result.to_dict()}


@transaction.atomic
def review_complete(*, review: Review, by, outcomes: Mapping[int, tuple[str, str]], result: str,
                    what_works: str = "", what_does_not: str = "", changes: str = "",
                    carer_able_willing: str = "", done_differently: Mapping[str, Mapping] | None = None,
                    next_review_due_on: dt.date | None = None, completed_on: dt.date | None = None) -> Review:
    """Complete the review with an answer for each outcome of the plan; schedules the next review (within
    12 months, or the date the reviewer sets) unless support ends."""
    require_full_access(by, review.person)
    review = Review.objects.select_for_update().get(pk=review.pk)
    if not review.is_open:
        raise ValidationError("This review has already been completed or cancelled.")
    errors: dict[str, str] = {}
    plan_outcomes = {o.id: o for o in review.plan.outcomes.all()}
    missing = [o.label for pk, o in plan_outcomes.items() if pk not in outcomes]
    unknown = sorted(set(outcomes) - set(plan_outcomes))
    if missing:
        errors["outcomes"] = "Say whether each outcome is still being met: " + "; ".join(missing)
    if unknown:
        errors["outcomes"] = "These outcomes are not in this plan: " + ", ".join(str(u) for u in unknown)
    if any(still not in OutcomeStillMet.values for still, _note in outcomes.values()):
        errors["outcomes"] = "Answer yes, partly or no for each outcome"
    if result not in ReviewResult.values:
        errors["result"] = "Choose the result of the review"
    if carer_able_willing and carer_able_willing not in CarerAbleWilling.values:
        errors["carer_able_willing"] = "Choose an answer about the carer"
    today = timezone.localdate()
    completed_on = completed_on or today
    if completed_on > today:
        errors["completed_on"] = "The review cannot be completed on a future date"
    next_dates = None
    if result != ReviewResult.SUPPORT_ENDS and "result" not in errors:
        try:
            next_dates = schedule.next_review_dates(completed_on, next_review_due_on)
        except ValueError as exc:
            errors["next_review_due_on"] = str(exc)
    if errors:
        raise ValidationError(errors)

    review.done_differently = _done_differently(done_differently or {})
    for pk, (still, note) in outcomes.items():
        ReviewOutcome.objects.create(review=review, plan_outcome=plan_outcomes[pk], still_met=still,
                                     note=(note or "").strip())
    review.what_works, review.what_does_not, review.changes = what_works.strip(), what_does_not.strip(), changes.strip()
    review.carer_able_willing = carer_able_willing
    review.result, review.cld_outcome = result, CLD_OUTCOME[result]
    review.status, review.completed_on, review.completed_by = ReviewStatus.COMPLETED, completed_on, by
    review.reviewer = review.reviewer or by
    review.next_review_due_on = next_dates[1] if next_dates else None
    review.save()
    if next_dates:
        Review.objects.create(person=review.person, plan=review.plan, kind=ReviewKind.PLANNED, topic=review.topic,
                              window_opens_on=next_dates[0], due_on=next_dates[1], team=review.team, created_by=by)
    _sync_plan(review.plan, review.next_review_due_on, review.topic)
    return review


def recorded_routing_facts(review: Review) -> dict[str, bool]:
    """The routing facts behind the route recorded on the review, read back from its reasons under the rule
    set it was routed with: each reason belongs to one rule, and the rule names its facts. Facts that fired
    no rule are not recorded, so they read as not known (left out)."""
    if not review.routing_ruleset_version or not review.route_reasons:
        return {}
    try:
        rules = review_routing.rules_for(review.routing_ruleset_version)
    except ruleset.RuleSetError:  # a rule file no longer shipped: nothing can be read back
        return {}
    reasons = set(review.route_reasons)
    return {code: True for rule in rules["rules"] if rule["reason"] in reasons and not rule.get("any_of")
            for code in rule.get("all_of") or ()}


@transaction.atomic
def review_set_route(*, review: Review, by, facts: Mapping[str, bool], route: str | None = None) -> Review:
    """Record who leads the review: the route the routing rules suggest from these facts (yes or no each), or
    another route they allow. Keeps the reasons and the rule-set version. A worker-only routing (an open
    safeguarding enquiry, a safety concern, a self-review reporting a change, lacking capacity with no one
    to speak for them) cannot be overridden, and a worker-only fact already recorded on this review cannot
    be taken off it here: the review stays with a worker."""
    require_full_access(by, review.person)
    review = Review.objects.select_for_update().get(pk=review.pk)
    if not review.is_open:
        raise ValidationError("This review has already been completed or cancelled.")
    facts = dict(facts)
    try:
        routing = review_routing.route(facts)
    except ValueError as exc:
        raise ValidationError({"facts": str(exc)}) from None
    worker_only = review_routing.worker_only_facts()
    dropped = [code for code in recorded_routing_facts(review) if code in worker_only and not facts.get(code)]
    if dropped:
        rules = review_routing.current_rules()["rules"]
        why = [next(r["reason"] for r in rules if tuple(r.get("all_of") or ()) == (code,)) for code in dropped]
        raise ValidationError({"facts": " ".join(why) + " This was recorded earlier for this review and cannot be "
                                                        "taken off it here."})
    chosen = route or routing.route
    if chosen not in routing.allowed:
        if routing.allowed == (review_routing.WORKER,):
            message = f"Only a worker may lead this review. {routing.reasons[0]}"
        else:
            labels = [review_routing.route_label(code) for code in routing.allowed]
            message = "Choose one of the routes on offer: " + "; ".join(labels)
        raise ValidationError({"route": message})
    reasons = list(routing.reasons)
    if chosen != routing.route:
        reasons.append(f"The worker chose: {review_routing.route_label(chosen)}, rather than the suggested "
                       f"{review_routing.route_label(routing.route).lower()}.")
    review.route, review.route_reasons, review.routing_ruleset_version = chosen, reasons, routing.ruleset_version
    review.save(update_fields=["route", "route_reasons", "routing_ruleset_version"])
    return review


@transaction.atomic
def reviews_follow_replaced_plan(*, old_plan, new_plan) -> None:
    """A newer plan has replaced `old_plan`: its open plan review is cancelled (the new plan has its own first
    review), and an open direct payment review moves to the new plan, because the direct payment carries on
    (unless the new plan already has one, when the old one is cancelled)."""
    for review in Review.objects.select_for_update().filter(plan=old_plan, status__in=OPEN_STATUSES):
        if review.topic == Topic.DIRECT_PAYMENT and _open_review(new_plan, Topic.DIRECT_PAYMENT) is None:
            review.plan = new_plan
            review.save(update_fields=["plan"])
            continue
        review.status = ReviewStatus.CANCELLED
        review.request_reason = (f"{review.request_reason}\nCancelled: the plan was replaced by a newer care and "
                                 f"support plan (plan {new_plan.pk}).").strip()
        review.save(update_fields=["status", "request_reason"])
    _sync_plan(old_plan, None)


@transaction.atomic
def review_cancel(*, review: Review, by, reason: str) -> Review:
    require_full_access(by, review.person)
    if not review.is_open:
        raise ValidationError("This review has already been completed or cancelled.")
    if not (reason or "").strip():
        raise ValidationError({"reason": "Say why the review is no longer needed"})
    review.status, review.request_reason = ReviewStatus.CANCELLED, f"{review.request_reason}\nCancelled: {reason}".strip()
    review.save(update_fields=["status", "request_reason"])
    _sync_plan(review.plan, None, review.topic)
    return review
