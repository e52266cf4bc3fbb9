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
