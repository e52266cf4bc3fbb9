"""Celery entry points for reviews: thin wrappers around reminders.py and digest.py."""

from __future__ import annotations

import dataclasses

from celery import shared_task

from carecase.audit.history import acting_as
from carecase.waiting.tasks import _follow_up_if_claims_left, _worker_name

from . import digest, reminders

SWEEP_TASK = "reviews.tasks.sweep_review_reminders"
DIGEST_TASK = "reviews.tasks.send_overdue_review_digests"


@shared_task(bind=True, name=SWEEP_TASK, acks_late=True, reject_on_worker_lost=True, ignore_result=True)
def sweep_review_reminders(self, *, pause_after_claim_seconds: float = 0, follow_up: bool = False) -> dict:
    """The daily sweep (beat, 06:45 London time): reminders 28 days before, on the due date and weekly while
    overdue. Idempotent: running it again, or twice at once, makes and sends nothing twice.
    `pause_after_claim_seconds` is for the killed-worker test only."""
    with acting_as(source="task:review_reminder_sweep"):
        counts = reminders.sweep_due_reminders(worker=_worker_name(self),
                                               pause_after_claim_seconds=pause_after_claim_seconds)
    _follow_up_if_claims_left(self, counts, follow_up)
    return dataclasses.asdict(counts)


@shared_task(bind=True, name=DIGEST_TASK, acks_late=True, reject_on_worker_lost=True, ignore_result=True)
def send_overdue_review_digests(self, *, pause_after_claim_seconds: float = 0, follow_up: bool = False) -> dict:
    """The team leaders' weekly overdue-reviews digest (beat, daily at 07:15 London time; it goes on the
    week's first working day): once per leader, team and week."""
    with acting_as(source="task:review_digest"):
        counts = digest.send_due_digests(worker=_worker_name(self), pause_after_claim_seconds=pause_after_claim_seconds)
    _follow_up_if_claims_left(self, counts, follow_up)
    return dataclasses.asdict(counts)
