"""Keep-in-touch reminders: exactly once into the team's duty worktray, even with two beats or a dead worker.

The mechanism is carecase/outbox.py (rows with a unique key, claimed with SKIP LOCKED, delivered only by the
current claim). Here: which rows to create (one per open entry and due date, in one INSERT ... SELECT ... ON
CONFLICT DO NOTHING, so it is fast and counts exactly) and what delivery means. Delivery is the duty worktray,
which is a query over delivered reminders (`duty_worktray`), so marking a row done in the delivering
transaction *is* the delivery: exactly once.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone

from carecase import outbox
from carecase.outbox import BATCH_SIZE, STALE_CLAIM_AFTER

from .models import KeepInTouchReminder, ReminderStatus, WaitingListEntry

__all__ = ["BATCH_SIZE", "STALE_CLAIM_AFTER", "SweepCounts", "claim_batch", "create_due_reminders", "deliver_batch",
           "duty_worktray", "sweep_due_reminders"]


@dataclasses.dataclass
class SweepCounts(outbox.DrainCounts):
    created: int = 0


def create_due_reminders(*, today: dt.date) -> int:
    """A reminder row for every open entry whose next contact is due on or before `today`; returns how many
    were new. Safe to run any number of times, concurrently."""
    reminder = KeepInTouchReminder._meta.db_table
    entry = WaitingListEntry._meta.db_table
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            f"""
            INSERT INTO {reminder} (entry_id, due_on, team_id, key, status, claimed_by, created_at)
            SELECT e.id, e.next_contact_due, e.team_id,
                   e.id::text || ':' || to_char(e.next_contact_due, 'YYYY-MM-DD'),
                   %s, '', %s
              FROM {entry} e
             WHERE e.left_on IS NULL AND e.next_contact_due IS NOT NULL AND e.next_contact_due <= %s
               AND NOT EXISTS (SELECT 1 FROM {reminder} r
                                WHERE r.entry_id = e.id AND r.due_on = e.next_contact_due)
            ON CONFLICT DO NOTHING
            """,  # noqa: S608 (table names come from the models, values are parameters)
            [ReminderStatus.PENDING, timezone.now(), today],
        )
        return cursor.rowcount


def claim_batch(*, worker: str, batch_size: int = BATCH_SIZE, stale_after: dt.timedelta = STALE_CLAIM_AFTER,
                now: dt.datetime | None = None) -> tuple[list[int], dt.datetime, int]:
    return outbox.claim_batch(KeepInTouchReminder, worker=worker, batch_size=batch_size, stale_after=stale_after,
                              now=now)


def _deliver(reminders: list[KeepInTouchReminder]) -> None:
    """Put the reminders into their team's duty worktray. The worktray is `duty_worktray`, a query over done
    reminders, so there is nothing to send; marking them done (in the caller's transaction) is the delivery."""


def deliver_batch(*, ids: list[int], worker: str, claimed_at: dt.datetime) -> int:
    return outbox.deliver_batch(KeepInTouchReminder, ids=ids, worker=worker, claimed_at=claimed_at,
                                deliver=lambda rows: _deliver(rows), related=("entry", "team"))


def sweep_due_reminders(*, today: dt.date | None = None, worker: str = "sweep", batch_size: int = BATCH_SIZE,
                        stale_after: dt.timedelta = STALE_CLAIM_AFTER, now: dt.datetime | None = None,
                        pause_after_claim_seconds: float = 0) -> SweepCounts:
    """The daily sweep: create due reminders, then claim and deliver them until none is left to claim."""
    today = today or timezone.localdate()
    counts = SweepCounts(created=create_due_reminders(today=today))
    outbox.drain(KeepInTouchReminder, worker=worker, deliver=lambda rows: _deliver(rows), related=("entry", "team"),
                 batch_size=batch_size, stale_after=stale_after, now=now,
                 pause_after_claim_seconds=pause_after_claim_seconds, counts=counts)
    return counts


def duty_worktray(team, *, today: dt.date | None = None):
    """The team's keep-in-touch contacts that are due and not yet made: reminders delivered to the worktray
    whose entry is still open and still has that contact date (recording the contact moves the date on and
    the reminder drops out). By the entry's current team, so a transferred entry follows its team."""
    today = today or timezone.localdate()
    return (
        KeepInTouchReminder.objects.filter(
            status=ReminderStatus.DONE, entry__team=team, entry__left_on__isnull=True,
            entry__next_contact_due=F("due_on"), due_on__lte=today)
        .select_related("entry", "entry__person")
        .order_by("due_on", "entry__waiting_since", "entry_id", "id")
    )
