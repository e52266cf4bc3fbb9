"""Celery entry points for waiting lists: thin wrappers around reminders.py, digest.py and figures.py."""

from __future__ import annotations

import dataclasses

from celery import shared_task

from carecase.audit.history import acting_as
from carecase.outbox import STALE_CLAIM_AFTER

from . import digest, figures, reminders

SWEEP_TASK = "carecase.waiting.tasks.sweep_keep_in_touch_reminders"
DIGEST_TASK = "carecase.waiting.tasks.send_team_leader_digests"
SNAPSHOT_TASK = "carecase.waiting.tasks.take_waiting_list_snapshot"


def _worker_name(task) -> str:
    return f"{task.request.hostname or 'celery'}/{(task.request.id or 'local')[:8]}"


def _follow_up_if_claims_left(task, counts, follow_up: bool) -> None:
    """If another worker's claims were still fresh when this run finished (it may have died holding them),
    run once more after they have gone stale, so they are delivered the same day rather than the next.
    A short countdown, well inside the broker's visibility timeout (1 hour): never a long ETA."""
    if counts.claimed_elsewhere and not follow_up:
        task.apply_async(kwargs={"follow_up": True}, countdown=int(STALE_CLAIM_AFTER.total_seconds()) + 60)


@shared_task(bind=True, name=SWEEP_TASK, acks_late=True, reject_on_worker_lost=True, ignore_result=True)
def sweep_keep_in_touch_reminders(self, *, pause_after_claim_seconds: float = 0, follow_up: bool = False) -> dict:
    """The daily sweep (beat, 06:30 London time). Idempotent: running it again, or twice at once, creates and
    delivers nothing twice. `pause_after_claim_seconds` is for the killed-worker test only."""
    with acting_as(source="task:keep_in_touch_sweep"):
        counts = reminders.sweep_due_reminders(worker=_worker_name(self),
                                               pause_after_claim_seconds=pause_after_claim_seconds)
    _follow_up_if_claims_left(self, counts, follow_up)
    return dataclasses.asdict(counts)


@shared_task(bind=True, name=DIGEST_TASK, acks_late=True, reject_on_worker_lost=True, ignore_result=True)
def send_team_leader_digests(self, *, pause_after_claim_seconds: float = 0, follow_up: bool = False) -> dict:
    """The team leaders' daily digest (beat, 07:00 London time, working days): once per leader, team and day."""
    with acting_as(source="task:waiting_digest"):
        counts = digest.send_due_digests(worker=_worker_name(self), pause_after_claim_seconds=pause_after_claim_seconds)
    _follow_up_if_claims_left(self, counts, follow_up)
    return dataclasses.asdict(counts)


@shared_task(name=SNAPSHOT_TASK, acks_late=True, reject_on_worker_lost=True, ignore_result=True)
def take_waiting_list_snapshot() -> int:
    """The nightly snapshot for the dashboard's trend (beat, 23:45 London time). Running it again the same
    day replaces that day's rows, so a doubled beat leaves one snapshot."""
    return figures.take_snapshot()
