"""Exactly-once reminders and messages: database rows, claimed in batches, delivered by the current claim only.

Every kind of reminder (keep-in-touch contacts, the team leaders' daily digest, and later reviews, direct
payment returns and safeguarding clocks) is a model inheriting `OutboxItem`, with a unique `key` per thing
to send (for example entry and due date). The broker never holds the only copy of anything:

1. Create: the caller inserts rows with ON CONFLICT DO NOTHING on the key, so two beats at once, or the
   same sweep twice, create each row once.
2. Claim (`claim_batch`): pending rows, and rows claimed longer than `STALE_CLAIM_AFTER` ago (their worker
   died), are taken with `SELECT ... FOR UPDATE SKIP LOCKED` and marked claimed by this worker, in a
   transaction of their own. Two sweeps never claim the same row; a dead worker's claim is taken up again.
3. Deliver (`deliver_batch`): in a second transaction, only the rows still held by *this* claim (same
   worker, same claimed_at) are handed to `deliver` and marked done. A row re-claimed by someone else after
   our claim went stale is not ours any more, so it is never delivered twice; a done row is never claimed.

When delivery is a database change (a worktray row), marking done in the same transaction makes it exactly
once. When it leaves the building (an email, GOV.UK Notify), a crash between the send and the commit can
only be made at-least-once on our side, so `deliver` must pass the row's `key` to the provider as its
reference, letting the provider (or a reader) recognise a repeat.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import time
from collections.abc import Callable, Mapping

from django.db import connection, models, transaction
from django.db.models import Q
from django.utils import timezone

# Longer than CELERY_TASK_TIME_LIMIT (300 s) with room to spare: a claim this old cannot belong to a task
# that is still running, so taking it over can never race a live worker into delivering twice.
STALE_CLAIM_AFTER = dt.timedelta(minutes=15)
BATCH_SIZE = 500


class OutboxStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    CLAIMED = "claimed", "Claimed by a worker"
    DONE = "done", "Delivered"


class OutboxItem(models.Model):
    key = models.CharField(max_length=80, unique=True)
    status = models.CharField(max_length=10, choices=OutboxStatus.choices, default=OutboxStatus.PENDING)
    claimed_at = models.DateTimeField(null=True, blank=True)
    claimed_by = models.CharField(max_length=200, blank=True)
    done_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True


@dataclasses.dataclass
class DrainCounts:
    claimed: int = 0
    reclaimed: int = 0  # of `claimed`, rows taken over from a worker that died
    delivered: int = 0
    lost_claims: int = 0  # rows we claimed that someone else took over before we delivered (should be 0)
    claimed_elsewhere: int = 0  # rows left claimed by another, live-looking worker when we finished


def insert_new(model: type[OutboxItem], rows: list[dict]) -> int:
    """Add outbox rows, leaving out any whose unique key (or other unique constraint) is already there; returns
    how many were new. `rows` give field values by attribute name; the other fields take their defaults.
    One INSERT ... ON CONFLICT DO NOTHING, so concurrent callers create each row once (for a set-based
    INSERT ... SELECT, write the statement in the caller, as the keep-in-touch reminders do)."""
    if not rows:
        return 0
    now = timezone.now()
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    params = []
    for row in rows:
        for field in fields:
            value = row[field.attname] if field.attname in row else now if field.name == "created_at" else (
                field.get_default())
            params.append(field.get_db_prep_save(value, connection))
    one = "(" + ", ".join(["%s"] * len(fields)) + ")"
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {connection.ops.quote_name(model._meta.db_table)} ({columns}) "  # noqa: S608 (model names)
            f"VALUES {', '.join([one] * len(rows))} ON CONFLICT DO NOTHING", params)
        return cursor.rowcount


@models.BigAutoField.register_lookup
class AnyOf(models.Lookup):
    """`id__any_of=[...]`: `id = ANY(%s::bigint[])`, one array parameter however many ids, where `id__in`
    writes a placeholder per id (thousands, in a large batch)."""

    lookup_name = "any_of"
    prepare_rhs = False

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        return f"{lhs} = ANY(%s::bigint[])", [*lhs_params, list(self.rhs)]


def _claimable(now: dt.datetime, stale_after: dt.timedelta) -> Q:
    return Q(status=OutboxStatus.PENDING) | Q(status=OutboxStatus.CLAIMED, claimed_at__lt=now - stale_after)


def claim_batch(model: type[OutboxItem], *, worker: str, batch_size: int = BATCH_SIZE,
                stale_after: dt.timedelta = STALE_CLAIM_AFTER, now: dt.datetime | None = None,
                group_by: str | None = None) -> tuple[list[int], dt.datetime, int]:
    """Claim up to `batch_size` rows for `worker`, skipping rows another sweep has locked.
    With `group_by` (a field, e.g. the recipient), the claim also takes every other claimable row that shares
    a value of it with those rows, so one delivery sees all of a recipient's rows (one email, not several).
    Returns (ids, the claim's timestamp, how many of them were stale claims taken over)."""
    claimed_at = now or timezone.now()
    with transaction.atomic():
        claimable = model.objects.select_for_update(skip_locked=True).filter(_claimable(claimed_at, stale_after))
        if group_by is None:
            rows = list(claimable.order_by("id").values_list("id", "status")[:batch_size])
        else:
            first = list(claimable.order_by("id").values_list("id", "status", group_by)[:batch_size])
            groups = {group for _, _, group in first}
            seen = {pk for pk, _, _ in first}
            rows = [(pk, status) for pk, status, _ in first] + [
                (pk, status) for pk, status in claimable.filter(**{f"{group_by}__in": groups})
                .order_by("id").values_list("id", "status") if pk not in seen]
        ids = [pk for pk, _ in rows]
        if ids:
            model.objects.filter(id__any_of=ids).update(
                status=OutboxStatus.CLAIMED, claimed_at=claimed_at, claimed_by=worker[:200])
    return ids, claimed_at, sum(1 for _, status in rows if status == OutboxStatus.CLAIMED)


def deliver_batch(model: type[OutboxItem], *, ids: list[int], worker: str, claimed_at: dt.datetime,
                  deliver: Callable[[list], None], related: tuple[str, ...] = (),
                  values: tuple[str, ...] = ()) -> int:
    """Hand the rows of `ids` still held by this claim to `deliver` and mark them done; returns how many.
    Rows are model instances (with `related` joined), or with `values` plain dicts of those fields (and
    "id"), which is much cheaper when a batch holds thousands of rows. `deliver` may mark rows done itself
    in the same statement that records their outcome (one write per row instead of two)."""
    with transaction.atomic():
        held = (model.objects.select_for_update(of=("self",))
                .filter(id__any_of=ids, status=OutboxStatus.CLAIMED, claimed_by=worker[:200], claimed_at=claimed_at)
                .order_by("id"))
        mine = list(held.values("id", *values) if values else held.select_related(*related))
        ids = [r["id"] if values else r.id for r in mine]
        deliver(mine)
        model.objects.filter(id__any_of=ids).exclude(status=OutboxStatus.DONE).update(
            status=OutboxStatus.DONE, done_at=timezone.now())
        return len(ids)  # every row held by this claim, locked until this transaction ends


def record_outcomes(model: type[OutboxItem], outcomes: Mapping[int, tuple[str, str]], *, done: bool = False) -> None:
    """What became of each row of a batch: {id: (outcome, sent_to)} into the model's `outcome` and `sent_to`
    fields, in one UPDATE however many rows. With `done`, the rows are marked delivered in the same write
    (one write per row instead of two: `deliver_batch` leaves rows already done)."""
    if not outcomes:
        return
    table = connection.ops.quote_name(model._meta.db_table)
    also = ", status = %s, done_at = %s" if done else ""
    with connection.cursor() as cursor:
        cursor.execute(
            f"""UPDATE {table} r SET outcome = v.outcome, sent_to = v.sent_to{also}
                  FROM unnest(%s::bigint[], %s::text[], %s::text[]) AS v(id, outcome, sent_to)
                 WHERE r.id = v.id""",  # noqa: S608 (the table name comes from the model)
            [*([OutboxStatus.DONE, timezone.now()] if done else []), list(outcomes),
             [o for o, _ in outcomes.values()], [e for _, e in outcomes.values()]])


def drain(model: type[OutboxItem], *, worker: str, deliver: Callable[[list], None], related: tuple[str, ...] = (),
          batch_size: int = BATCH_SIZE, stale_after: dt.timedelta = STALE_CLAIM_AFTER, now: dt.datetime | None = None,
          pause_after_claim_seconds: float = 0, counts: DrainCounts | None = None, group_by: str | None = None,
          values: tuple[str, ...] = ()) -> DrainCounts:
    """Claim and deliver batch by batch until nothing is left to claim. `now` lets a test (or a catch-up run)
    treat claims as older than they are; `pause_after_claim_seconds` is a fault-injection hook for the
    killed-worker tests only."""
    counts = counts or DrainCounts()
    while True:
        ids, claimed_at, reclaimed = claim_batch(model, worker=worker, batch_size=batch_size,
                                                 stale_after=stale_after, now=now, group_by=group_by)
        if not ids:
            break
        counts.claimed += len(ids)
        counts.reclaimed += reclaimed
        if pause_after_claim_seconds:
            time.sleep(pause_after_claim_seconds)
        delivered = deliver_batch(model, ids=ids, worker=worker, claimed_at=claimed_at, deliver=deliver,
                                  related=related, values=values)
        counts.delivered += delivered
        counts.lost_claims += len(ids) - delivered
    counts.claimed_elsewhere = model.objects.filter(status=OutboxStatus.CLAIMED).count()
    return counts
