"""Reads of assessments: through the person's access check, and logged."""

from __future__ import annotations

from django.db.models import Prefetch

from carecase.audit.models import AccessAction
from carecase.people.selectors import person_for_user

from .models import Assessment, AssessmentOutcome, AssessmentTransition


def assessments_for(*, user, person_id: int, path: str = "", action: str = AccessAction.VIEW):
    person = person_for_user(user=user, person_id=person_id, resource="assessments", path=path, action=action)
    return person, list(Assessment.objects.filter(person=person).select_related("worker"))


def assessment_for(*, user, assessment_id: int, path: str = "", action: str = AccessAction.VIEW) -> Assessment:
    assessment = (
        Assessment.objects.select_related("worker")
        .prefetch_related(
            Prefetch("outcomes", queryset=AssessmentOutcome.objects.order_by("id")),
            Prefetch("transitions", queryset=AssessmentTransition.objects.select_related("by").order_by("at", "id")),
            "plans",
        )
        .get(pk=assessment_id)
    )
    assessment.person = person_for_user(user=user, person_id=assessment.person_id, resource="assessment",
                                        path=path, action=action)
    return assessment


def sequence_outcome_for(*, user, assessment_id: int, row_id: int, path: str = "",
                         action: str = AccessAction.VIEW):
    """One outcome of an assessment's support sequence, through assessment_for's access check and log.
    Raises SequenceOutcome.DoesNotExist for a row of another assessment."""
    from .models import SequenceOutcome

    assessment = assessment_for(user=user, assessment_id=assessment_id, path=path, action=action)
    row = SequenceOutcome.objects.get(pk=row_id, assessment=assessment)
    row.assessment = assessment
    return assessment, row


def plan_for(*, user, plan_id: int, path: str = "", action: str = AccessAction.VIEW):
    """A care and support plan with its outcomes, services and approval requests, opened and logged."""
    from .models import ApprovalRequest, PlanOutcome, ServiceLine, SupportPlan

    plan = (
        SupportPlan.objects.select_related("assessment", "created_by", "approved_by")
        .prefetch_related(
            Prefetch("outcomes", queryset=PlanOutcome.objects.order_by("id")),
            Prefetch("services", queryset=ServiceLine.objects.select_related("outcome").order_by("id")),
            Prefetch("approvals", queryset=ApprovalRequest.objects.select_related("requested_by", "decided_by")),
        )
        .get(pk=plan_id)
    )
    plan.person = person_for_user(user=user, person_id=plan.person_id, resource="support plan", path=path,
                                  action=action)
    return plan


def plans_for(*, user, person_id: int, path: str = ""):
    from .models import SupportPlan

    person = person_for_user(user=user, person_id=person_id, resource="support plans", path=path)
    return person, list(SupportPlan.objects.filter(person=person).prefetch_related("services"))


def approval_queue(*, user):
    """Plans waiting for a decision that this user may make, oldest first, with the people it names
    (only those the user may open in full; each listing is logged)."""
    from carecase.audit.access import staff_member
    from carecase.people.selectors import people_listing

    from .engine import approval
    from .models import ApprovalRequest, ApprovalStatus

    staff = staff_member(user)
    if staff is None:
        return []
    pending = [r for r in ApprovalRequest.objects.filter(status=ApprovalStatus.PENDING)
               .select_related("plan", "requested_by").order_by("requested_at")
               if r.requested_by_id != user.pk and approval.can_decide(staff.role, r.level)]
    visible = people_listing(user=user, person_ids=[r.plan.person_id for r in pending])
    return [(r, visible[r.plan.person_id]) for r in pending if r.plan.person_id in visible]


def approval_queue_count(*, user) -> int:
    """How many plans wait for this user's decision. A number only: no person is named, so nothing is logged.
    Counts every request the user's role may decide, which can include people they would need a reason
    to open; the queue page itself shows only those they may open."""
    from carecase.audit.access import staff_member

    from .engine import approval
    from .models import ApprovalRequest, ApprovalStatus

    staff = staff_member(user)
    if staff is None:
        return 0
    return sum(1 for level, requester in ApprovalRequest.objects.filter(status=ApprovalStatus.PENDING)
               .values_list("level", "requested_by_id")
               if requester != user.pk and approval.can_decide(staff.role, level))
