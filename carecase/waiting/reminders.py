"""Keep-in-touch reminders: exactly once into the team's duty worktray, even with two beats or a dead worker.

Reminders are database rows, one per entry and due date (a unique key), so the broker never holds the only
copy of anything. The daily sweep does three things:

1. Create: one INSERT ... SELECT ... ON CONFLICT DO NOTHING (what `bulk_create(ignore_conflicts=True)`
   compiles to, done as one statement so it is fast and counts exactly) adds a row for every open entry
   whose next contact is due. Two sweeps at once, or the same sweep twice, create each row once.
2. Claim: pending rows, and rows claimed longer than `STALE_CLAIM_AFTER` ago (their worker died), are taken
   in batches with `SELECT ... FOR UPDATE SKIP LOCKED` and marked claimed by this worker, in a transaction
   of their own. Two sweeps never claim the same row; a crashed claim is taken up again later.
3. Deliver: in a second transaction per batch, only the rows still claimed by *this* claim (same worker,
   same claimed_at) are delivered and marked done. A row re-claimed by someone else after our claim went
   stale is not ours any more, so it is never delivered twice; a done row is never claimed again.

Delivery for now is the duty worktray, which is a query over done reminders (`duty_worktray`), so marking
done in the same transaction *is* the delivery: exactly once. A later external channel (email, Notify)
goes in `_deliver` and should pass `reminder.key` as its idempotency reference, because an external send
followed by a crash before the commit can only be made at-least-once on our side.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import time

from django.db import connection, transaction
from django.db.models import F, Q
from django.utils import timezone

from .models import KeepInTouchReminder, ReminderStatus, WaitingListEntry

# Longer than CELERY_TASK_TIME_LIMIT (300 s) with room to spare: a claim this old cannot belong to a task
# that is still running, so taking it over can never race a live worker into delivering twice.
STALE_CLAIM_AFTER = dt.timedelta(minutes=15)
BATCH_SIZE = 500


@dataclasses.dataclass
class SweepCounts:
    created: int = 0
    claimed: int = 0
    reclaimed: int = 0  # of `claimed`, rows taken over from a worker that died
    delivered: int = 0
    lost_claims: int = 0  # rows we claimed that someone else took over before we delivered (should be 0)
    claimed_elsewhere: int = 0  # rows left claimed by another, live-looking worker when we finished


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


def _claimable(now: dt.datetime, stale_after: dt.timedelta) -> Q:
    return Q(status=ReminderStatus.PENDING) | Q(status=ReminderStatus.CLAIMED, claimed_at__lt=now - stale_after)


def claim_batch(*, worker: str, batch_size: int = BATCH_SIZE, stale_after: dt.timedelta = STALE_CLAIM_AFTER,
                now: dt.datetime | None = None) -> tuple[list[int], dt.datetime, int]:
    """Claim up to `batch_size` reminders for `worker`, skipping rows another sweep has locked.
    Returns (ids, the claim's timestamp, how many of them were stale claims taken over)."""
    claimed_at = now or timezone.now()
    with transaction.atomic():
        rows = list(
            KeepInTouchReminder.objects.select_for_update(skip_locked=True)
            .filter(_claimable(claimed_at, stale_after))
            .order_by("id")
            .values_list("id", "status")[:batch_size]
        )
        ids = [pk for pk, _ in rows]
        if ids:
            KeepInTouchReminder.objects.filter(id__in=ids).update(
                status=ReminderStatus.CLAIMED, claimed_at=claimed_at, claimed_by=worker[:200])
    return ids, claimed_at, sum(1 for _, status in rows if status == ReminderStatus.CLAIMED)


def _deliver(reminders: list[KeepInTouchReminder]) -> None:
    """Put the reminders into their team's duty worktray. The worktray is `duty_worktray`, a query over done
    reminders, so there is nothing to send yet; marking them done (by the caller, in this transaction) is
    the delivery."""


def deliver_batch(*, ids: list[int], worker: str, claimed_at: dt.datetime) -> int:
    """Deliver and mark done the rows of `ids` that are still held by this claim; returns how many."""
    with transaction.atomic():
        mine = list(
            KeepInTouchReminder.objects.select_for_update()
            .filter(id__in=ids, status=ReminderStatus.CLAIMED, claimed_by=worker[:200], claimed_at=claimed_at)
            .select_related("entry", "team")
            .order_by("id")
        )
        _deliver(mine)
        return KeepInTouchReminder.objects.filter(id__in=[r.id for r in mine]).update(
            status=ReminderStatus.DONE, done_at=timezone.now())


def sweep_due_reminders(*, today: dt.date | None = None, worker: str = "sweep", batch_size: int = BATCH_SIZE,
                        stale_after: dt.timedelta = STALE_CLAIM_AFTER, now: dt.datetime | None = None,
                        pause_after_claim_seconds: float = 0) -> SweepCounts:
    """The daily sweep: create due reminders, then claim and deliver them batch by batch until none is left
    to claim. `now` lets a test (or a catch-up run) treat claims as older than they are;
    `pause_after_claim_seconds` is a fault-injection hook for the killed-worker test only."""
    today = today or timezone.localdate()
    counts = SweepCounts(created=create_due_reminders(today=today))
    while True:
        ids, claimed_at, reclaimed = claim_batch(worker=worker, batch_size=batch_size, stale_after=stale_after,
                                                 now=now)
        if not ids:
            break
        counts.claimed += len(ids)
        counts.reclaimed += reclaimed
        if pause_after_claim_seconds:
            time.sleep(pause_after_claim_seconds)
        delivered = deliver_batch(ids=ids, worker=worker, claimed_at=claimed_at)
        counts.delivered += delivered
        counts.lost_claims += len(ids) - delivered
    counts.claimed_elsewhere = KeepInTouchReminder.objects.filter(status=ReminderStatus.CLAIMED).count()
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
        .order_by("due_on", "entry__waiting_since", "id")
    )
