"""Review reminders to staff: 28 days before the due date, on the due date, then weekly while overdue; each
exactly once, never lost, even with two beats at once or a worker that dies half way.

The mechanism is carecase/outbox.py (rows with a unique key, claimed with SKIP LOCKED, delivered only by the
current claim). Here: which rows to make and what delivering one means.

Making them (`create_reminders`): one INSERT ... SELECT ... ON CONFLICT DO NOTHING per kind, set-based, so a
sweep over a million reviews is a few range scans of the open-review index and a hash join, never a Python
loop. Each open review is, on any day, in at most one reminder "phase":

- before_due: from 28 days before the due date until the day before it (the row is for due - 28 days);
- due: from the due date for a week (the row is for the due date);
- overdue: from a week after the due date, the latest weekly date on or before today (due + 7, + 14, ...),
  so a missed sweep, or the first sweep over old overdue reviews, sends one reminder, not a backlog.

A missed day is caught up the next day (the phase lasts until the next one starts). The recipient is
chosen when the row is made: the allocated worker (an active account), or when no worker is allocated, each
active team leader of the review's team. The key holds the review, kind, due date, the day the reminder is
for and the recipient, so a changed due date (or a newly allocated worker) gives new reminders and the same
reminder is never made twice.

Sending them (`_deliver`, a batch at a time, constant queries per batch): a review that is no longer open,
or whose due date has changed since the row was made, gets no email ("not needed"); a recipient without an
email address is logged and the row is closed ("no email address"). The email leaves the building, so a
crash after the mail server took it but before our commit could send it again: the row's key goes in the
`X-CareCase-Reference` header so a repeat can be recognised. The person is named only to a recipient with
full access to their record, and each naming is written to the access log.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
from collections import defaultdict
from collections.abc import Mapping

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import connection, transaction
from django.template.loader import get_template
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from carecase import outbox
from carecase.audit.access import access_for_pairs
from carecase.audit.models import AccessAction, RecordAccessEvent
from carecase.outbox import BATCH_SIZE, STALE_CLAIM_AFTER
from carecase.staff.models import Allocation, Role, StaffMember

from .models import OPEN_STATUSES, Review, ReviewReminder, ReviewReminderKind, ReviewReminderOutcome

__all__ = ["BATCH_SIZE", "STALE_CLAIM_AFTER", "SweepCounts", "claim_batch", "create_reminders", "deliver_batch",
           "id_ranges", "ids_in",
           "full_access", "render", "review_url", "sweep_due_reminders", "when_due"]

logger = logging.getLogger(__name__)

BEFORE_DUE_DAYS = 28
OVERDUE_EVERY_DAYS = 7
RELATED = ("review", "review__person", "review__team", "recipient")
# What delivery reads of every row (the rest of a listed row is loaded with RELATED).
VALUES = ("key", "due_on", "recipient_id", "review_id", "review__status", "review__due_on", "recipient__email")
SHOWN_PER_EMAIL = 20  # reviews listed by name in one email; the others are counted, and are on the worktray

# For each kind: the day the reminder is for, and which open reviews are in that phase on %(today)s.
_PHASES = {
    ReviewReminderKind.BEFORE_DUE: (
        f"r.due_on - {BEFORE_DUE_DAYS}",
        f"r.due_on > %(today)s::date AND r.due_on <= %(today)s::date + {BEFORE_DUE_DAYS}"),
    ReviewReminderKind.DUE: (
        "r.due_on",
        f"r.due_on <= %(today)s::date AND r.due_on > %(today)s::date - {OVERDUE_EVERY_DAYS}"),
    ReviewReminderKind.OVERDUE: (
        f"r.due_on + {OVERDUE_EVERY_DAYS} * ((%(today)s::date - r.due_on) / {OVERDUE_EVERY_DAYS})",
        f"r.due_on <= %(today)s::date - {OVERDUE_EVERY_DAYS}"),
}


@dataclasses.dataclass
class SweepCounts(outbox.DrainCounts):
    created: int = 0
    created_before_due: int = 0
    created_due: int = 0
    created_overdue: int = 0


def _insert_sql(kind: str) -> str:
    for_date, phase = _PHASES[kind]
    user = StaffMember._meta.get_field("user").related_model._meta.db_table
    # Written out (they are the code's own constants) so the planner can use the open-review partial index.
    open_statuses = ", ".join(f"'{status}'" for status in OPEN_STATUSES)
    # Rows are inserted in recipient order, so a claimed batch (taken in id order) holds few recipients and
    # its access checks are few.
    return f"""
        WITH in_phase AS (
            SELECT r.id AS review_id, r.due_on, {for_date} AS for_date,
                   COALESCE(r.team_id, a.team_id) AS team_id,
                   CASE WHEN wu.is_active THEN w.user_id END AS worker_user_id
              FROM {Review._meta.db_table} r
              LEFT JOIN {Allocation._meta.db_table} a ON a.person_id = r.person_id AND a.ended_at IS NULL
              LEFT JOIN {StaffMember._meta.db_table} w ON w.id = a.worker_id
              LEFT JOIN {user} wu ON wu.id = w.user_id
             WHERE r.status IN ({open_statuses}) AND {phase}
        ), leaders AS (
            SELECT s.team_id, s.user_id
              FROM {StaffMember._meta.db_table} s JOIN {user} u ON u.id = s.user_id
             WHERE s.role = %(team_leader)s AND s.team_id IS NOT NULL AND u.is_active
        ), recipients AS (
            SELECT p.review_id, p.due_on, p.for_date, COALESCE(p.worker_user_id, l.user_id) AS recipient_id,
                   p.worker_user_id IS NULL AS as_team_leader
              FROM in_phase p
              LEFT JOIN leaders l ON p.worker_user_id IS NULL AND l.team_id = p.team_id
        )
        INSERT INTO {ReviewReminder._meta.db_table}
               (review_id, kind, due_on, for_date, recipient_id, as_team_leader, key, status, claimed_by, outcome,
                sent_to, created_at)
        SELECT review_id, %(kind)s, due_on, for_date, recipient_id, as_team_leader,
               'review:' || review_id || ':' || %(kind)s || ':' || to_char(due_on, 'YYYY-MM-DD') || ':'
                   || to_char(for_date, 'YYYY-MM-DD') || ':' || recipient_id,
               %(pending)s, '', '', '', %(now)s
          FROM recipients
         WHERE recipient_id IS NOT NULL
         ORDER BY recipient_id, review_id
        ON CONFLICT (key) DO NOTHING
    """  # noqa: S608 (table names come from the models, values are parameters)


def create_reminders(*, today: dt.date) -> dict[str, int]:
    """The reminder rows due on `today` for every open review, one statement per kind; returns how many of
    each kind were new. Safe to run any number of times, concurrently (the key is unique)."""
    created = {}
    now = timezone.now()
    with transaction.atomic(), connection.cursor() as cursor:
        for kind in ReviewReminderKind.values:
            cursor.execute(_insert_sql(kind), {
                "today": today, "kind": kind, "team_leader": Role.TEAM_LEADER,
                "pending": outbox.OutboxStatus.PENDING, "now": now})
            created[kind] = cursor.rowcount
    return created


def review_url(review_id: int) -> str:
    """The review's page in the portal. Tolerant while the review pages are being built."""
    try:
        path = reverse("review-detail", args=[review_id])
    except NoReverseMatch:
        path = f"/reviews/{review_id}/"
    return settings.PORTAL_URL.rstrip("/") + path


def _days(n: int) -> str:
    return "1 day" if n == 1 else f"{n} days"


def when_due(due_on: dt.date, today: dt.date) -> tuple[str, str]:
    """(for the subject, for the body) saying when the review is due, as of the day the email is sent."""
    long = f"{due_on:%A %-d %B %Y}"
    left = (due_on - today).days
    if left > 1:
        return f"due in {_days(left)}", f"is due on {long}, in {_days(left)}"
    if left == 1:
        return "due tomorrow", f"is due tomorrow, {long}"
    if left == 0:
        return "due today", f"is due today, {long}"
    return f"{_days(-left)} overdue", f"was due on {long} and is now {_days(-left)} overdue"


def render(reminder: ReviewReminder, *, named: bool, today: dt.date) -> tuple[str, str, str]:
    """Subject, plain text and HTML of one reminder. The person is named only when `named` (the recipient
    has full access to their record); otherwise only their record number is given."""
    review = reminder.review
    person_label = review.person.display_name if named else f"record {review.person_id}"
    short, long = when_due(review.due_on, today)
    context = {
        "reminder": reminder, "review": review, "recipient": reminder.recipient, "named": named,
        "person_label": person_label, "when": long, "review_url": review_url(review.id),
        "window_opens_later": review.window_opens_on > today, "service_name": settings.SERVICE_NAME,
        "reference": reminder.key,
    }
    subject = f"Review for {person_label}: {short}"
    return (subject, get_template("reviews/email/reminder.txt").render(context),
            get_template("reviews/email/reminder.html").render(context))


def render_for(reminders: list[ReviewReminder], *, named: dict, today: dt.date,
               more: Mapping[str, int] | None = None) -> tuple[str, str, str, str]:
    """Subject, plain text, HTML and provider reference of the email for one member of staff: a single
    reminder as before, or a list when several reviews need their attention on the same day. `reminders` are
    the ones listed by name (the most urgent); `more` counts the others the email covers, by state ("overdue",
    "due", "coming up"), which are on the worker's worktray."""
    more = {k: v for k, v in (more or {}).items() if v}
    if len(reminders) == 1 and not more:
        (reminder,) = reminders
        return (*render(reminder, named=(reminder.recipient_id, reminder.review.person_id) in named, today=today),
                reminder.key)
    rows = []
    for reminder in reminders:
        review = reminder.review
        shown = (reminder.recipient_id, review.person_id) in named
        rows.append({"reminder": reminder, "review": review, "named": shown, "when": when_due(review.due_on, today)[1],
                     "person_label": review.person.display_name if shown else f"record {review.person_id}",
                     "review_url": review_url(review.id)})
    total = len(reminders) + sum(more.values())
    overdue = sum(1 for r in reminders if r.review.due_on < today) + more.get("overdue", 0)
    recipient = reminders[0].recipient
    context = {"rows": rows, "recipient": recipient, "service_name": settings.SERVICE_NAME,
               "as_team_leader": any(r.as_team_leader for r in reminders), "more": more,
               "more_total": sum(more.values()), "worktray_url": settings.PORTAL_URL.rstrip("/") + reverse("home")}
    subject = f"{total} reviews need your attention" + (f", {overdue} overdue" if overdue else "")
    ids = [r.id for r in reminders]
    reference = f"review-reminders:{recipient.pk}:{today.isoformat()}:{min(ids)}-{max(ids)}:{total}"
    context["reference"] = reference
    return (subject, get_template("reviews/email/reminder_list.txt").render(context),
            get_template("reviews/email/reminder_list.html").render(context), reference)


def full_access(pairs: set[tuple[object, object]]) -> dict[tuple[int, int], str]:
    """For many (user, person) pairs, the basis on which each user may open each person's record in full
    (pairs without full access are left out), from the one access policy."""
    return {key: access.basis for key, access in access_for_pairs(pairs).items() if access.is_full}


def id_ranges(ids) -> str:
    """Row ids written compactly, e.g. "3-7,9,12-40" (a recipient's rows are made together, so they run on)."""
    runs: list[list[int]] = []
    for pk in sorted(ids):
        if runs and pk == runs[-1][1] + 1:
            runs[-1][1] = pk
        else:
            runs.append([pk, pk])
    return ",".join(str(a) if a == b else f"{a}-{b}" for a, b in runs)


def ids_in(ranges: str) -> list[int]:
    """The ids of an `id_ranges` string."""
    ids = []
    for part in filter(None, ranges.split(",")):
        first, _, last = part.partition("-")
        ids += range(int(first), int(last or first) + 1)
    return ids


def _state(due_on: dt.date, today: dt.date) -> str:
    return "overdue" if due_on < today else "due" if due_on == today else "coming_up"


def _deliver(rows: list[dict]) -> None:
    """Email each member of staff once for all their reminders in the batch (the claim takes all of a
    recipient's rows together), listing the most urgent SHOWN_PER_EMAIL by name and counting the rest, which
    are on their worktray; record what became of each row. Rows come as plain values, and only the listed
    ones are loaded as objects, access-checked and logged, so a first sweep of hundreds of thousands of
    reminders costs little more per row than the row itself. A constant number of queries per batch."""
    today = timezone.localdate()
    outcome: dict[int, tuple[str, str]] = {}
    by_recipient: dict[int, list[dict]] = defaultdict(list)
    for row in rows:
        if row["review__status"] not in OPEN_STATUSES or row["review__due_on"] != row["due_on"]:
            outcome[row["id"]] = (ReviewReminderOutcome.NOT_NEEDED, "")
        elif not row["recipient__email"]:
            logger.warning("User %s has no email address: review reminder %s not sent", row["recipient_id"],
                           row["key"])
            outcome[row["id"]] = (ReviewReminderOutcome.NO_EMAIL, "")
        else:
            by_recipient[row["recipient_id"]].append(row)
    listed_ids = []
    for mine in by_recipient.values():
        mine.sort(key=lambda r: (r["due_on"], r["review_id"]))
        listed_ids += [r["id"] for r in mine[:SHOWN_PER_EMAIL]]
    listed = ReviewReminder.objects.select_related(*RELATED).in_bulk(listed_ids)
    named = full_access({(r.recipient, r.review.person) for r in listed.values()})
    messages = []
    for mine in by_recipient.values():
        more: dict[str, int] = defaultdict(int)
        for row in mine[SHOWN_PER_EMAIL:]:
            more[_state(row["due_on"], today)] += 1
        subject, text, html, reference = render_for([listed[r["id"]] for r in mine[:SHOWN_PER_EMAIL]], named=named,
                                                    today=today, more=more)
        email = mine[0]["recipient__email"]
        # The provider reference names the email; the second header gives every reminder row it carries, as
        # id ranges (a team leader's first-day email can carry thousands, too many to list keys in a header).
        message = EmailMultiAlternatives(subject, text, to=[email], headers={
            "X-CareCase-Reference": reference, "X-CareCase-Reminders": id_ranges(r["id"] for r in mine)})
        message.attach_alternative(html, "text/html")
        messages.append(message)
        outcome.update((r["id"], (ReviewReminderOutcome.SENT, email)) for r in mine)
    # Each person named is a read of their record by the member of staff it went to.
    RecordAccessEvent.objects.bulk_create(
        RecordAccessEvent(user_id=user_id, person_id=person_id, action=AccessAction.VIEW,
                          resource="review reminder email", basis=basis)
        for (user_id, person_id), basis in named.items())
    if messages:
        with get_connection() as mail:
            mail.send_messages(messages)
    # Closed in the same write that records the outcome (one write per row).
    outbox.record_outcomes(ReviewReminder, outcome, done=True)


def claim_batch(*, worker: str, batch_size: int = BATCH_SIZE, stale_after: dt.timedelta = STALE_CLAIM_AFTER,
                now: dt.datetime | None = None) -> tuple[list[int], dt.datetime, int]:
    return outbox.claim_batch(ReviewReminder, worker=worker, batch_size=batch_size, stale_after=stale_after,
                              now=now, group_by="recipient_id")


def deliver_batch(*, ids: list[int], worker: str, claimed_at: dt.datetime) -> int:
    return outbox.deliver_batch(ReviewReminder, ids=ids, worker=worker, claimed_at=claimed_at,
                                deliver=lambda rows: _deliver(rows), values=VALUES)


def sweep_due_reminders(*, today: dt.date | None = None, worker: str = "sweep", batch_size: int = BATCH_SIZE,
                        stale_after: dt.timedelta = STALE_CLAIM_AFTER, now: dt.datetime | None = None,
                        pause_after_claim_seconds: float = 0) -> SweepCounts:
    """The daily sweep: make today's reminders, then claim and send them (and any left by a worker that
    died) until none is left to claim."""
    today = today or timezone.localdate()
    created = create_reminders(today=today)
    counts = SweepCounts(created=sum(created.values()),
                         created_before_due=created[ReviewReminderKind.BEFORE_DUE],
                         created_due=created[ReviewReminderKind.DUE],
                         created_overdue=created[ReviewReminderKind.OVERDUE])
    outbox.drain(ReviewReminder, worker=worker, deliver=lambda rows: _deliver(rows), values=VALUES,
                 group_by="recipient_id",
                 batch_size=batch_size, stale_after=stale_after, now=now,
                 pause_after_claim_seconds=pause_after_claim_seconds, counts=counts)
    return counts
