"""Celery entry points for waiting lists: thin wrappers around carecase/waiting/reminders.py."""

from __future__ import annotations

import dataclasses

from celery import shared_task

from carecase.audit.history import acting_as

from . import reminders

SWEEP_TASK = "carecase.waiting.tasks.sweep_keep_in_touch_reminders"


@shared_task(bind=True, name=SWEEP_TASK, acks_late=True, reject_on_worker_lost=True, ignore_result=True)
def sweep_keep_in_touch_reminders(self, *, pause_after_claim_seconds: float = 0, follow_up: bool = False) -> dict:
    """The daily sweep (beat, 06:30 London time). Idempotent: running it again, or twice at once, creates and
    delivers nothing twice. If another worker's claims were still fresh when it finished (a worker may have
    died holding them), one follow-up runs once those claims have gone stale, so they are delivered the same
    day rather than at the next daily sweep. `pause_after_claim_seconds` is for the killed-worker test only.
    """
    worker = f"{self.request.hostname or 'celery'}/{(self.request.id or 'local')[:8]}"
    with acting_as(source="task:keep_in_touch_sweep"):
        counts = reminders.sweep_due_reminders(worker=worker, pause_after_claim_seconds=pause_after_claim_seconds)
    if counts.claimed_elsewhere and not follow_up:
        # A short countdown, well inside the broker's visibility timeout (1 hour): never a long ETA.
        self.apply_async(kwargs={"follow_up": True},
                         countdown=int(reminders.STALE_CLAIM_AFTER.total_seconds()) + 60)
    return dataclasses.asdict(counts)
