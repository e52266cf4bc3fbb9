"""Celery entry points for safeguarding: thin wrappers around reminders.py."""

from __future__ import annotations

import dataclasses

from celery import shared_task

from carecase.audit.history import acting_as
from carecase.waiting.tasks import _follow_up_if_claims_left, _worker_name

from . import reminders

SWEEP_TASK = "safeguarding.tasks.sweep_decision_reminders"


@shared_task(bind=True, name=SWEEP_TASK, acks_late=True, reject_on_worker_lost=True, ignore_result=True)
def sweep_decision_reminders(self, *, pause_after_claim_seconds: float = 0, follow_up: bool = False) -> dict:
    """The daily sweep (beat, 07:05 London time): a reminder to the safeguarding leads on the due date of each
    undecided concern, and once when it is overdue. Idempotent: re-running it sends nothing twice."""
    with acting_as(source="task:safeguarding_decision_reminders"):
        counts = reminders.sweep_due_reminders(worker=_worker_name(self),
                                               pause_after_claim_seconds=pause_after_claim_seconds)
    _follow_up_if_claims_left(self, counts, follow_up)
    return dataclasses.asdict(counts)
