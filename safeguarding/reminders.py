"""Reminders to the safeguarding leads about concerns still waiting for a section 42 decision: one on the
decision's due date, and one when it is overdue; each exactly once, never lost (carecase/outbox.py: rows with
a unique key, claimed with SKIP LOCKED, delivered only by the current claim), as reviews/reminders.py does.

Making them (`create_reminders`): for each concern waiting for a decision that is due today ("due") or was
due before today ("overdue"), one row per recipient. The recipients are the active safeguarding leads of the
concern's hub team, or every active safeguarding lead when the concern has no team or its team has none.
The key holds the concern, kind, due date and recipient, so a re-run, two beats at once or a crash between
making and sending never gives a second email; a missed day is caught up the next day (an overdue reminder
goes once, not daily).

Sending them (`_deliver`, a batch at a time): a concern decided since the row was made gets no email ("not
needed"); a recipient without an email address is logged and the row closed. The person is named only to a
recipient who may open the concern under the safeguarding access policy (a restricted concern is sent as
its number only), and each naming is written to the access log. The row's key goes in the
`X-CareCase-Reference` header so a repeat after a crash between the send and the commit can be recognised.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
from collections import defaultdict

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db.models import Q
from django.template.loader import get_template
from django.urls import reverse
from django.utils import timezone

from carecase import outbox
from carecase.audit.access import log_reads_each
from carecase.audit.models import AccessAction
from carecase.outbox import BATCH_SIZE, STALE_CLAIM_AFTER
from carecase.staff.models import Role, StaffMember

from . import access
from .models import Concern, ConcernStatus, ReminderKind, SafeguardingReminder

logger = logging.getLogger(__name__)
RELATED = ("concern", "concern__person", "recipient")


@dataclasses.dataclass
class SweepCounts(outbox.DrainCounts):
    created: int = 0


def _leads() -> dict[int | None, list[int]]:
    """Active safeguarding leads' user ids by team (None: every lead)."""
    by_team: dict[int | None, list[int]] = defaultdict(list)
    for user_id, team_id in StaffMember.objects.filter(role=Role.SAFEGUARDING_LEAD, user__is_active=True) \
            .values_list("user_id", "team_id"):
        by_team[team_id].append(user_id)
        by_team[None].append(user_id)
    return by_team


def create_reminders(*, today: dt.date) -> int:
    """The reminder rows due on `today`; returns how many were new. Safe to run any number of times."""
    leads = _leads()
    rows = []
    due = (Concern.objects.filter(status=ConcernStatus.AWAITING_DECISION)
           .filter(Q(decision_due_on__lte=today)).values_list("id", "decision_due_on", "team_id"))
    for concern_id, due_on, team_id in due:
        kind = ReminderKind.DUE if due_on == today else ReminderKind.OVERDUE
        for recipient_id in leads.get(team_id) or leads.get(None) or []:
            rows.append({"concern_id": concern_id, "kind": kind, "due_on": due_on, "recipient_id": recipient_id,
                         "key": SafeguardingReminder.key_for(concern_id, kind, due_on, recipient_id)})
    rows.sort(key=lambda r: (r["recipient_id"], r["concern_id"]))
    return outbox.insert_new(SafeguardingReminder, rows)


def concern_url(concern_id: int) -> str:
    return settings.PORTAL_URL.rstrip("/") + reverse("safeguarding-concern", args=[concern_id])


def _deliver(reminders: list[SafeguardingReminder]) -> None:
    today = timezone.localdate()
    sending: dict[int, list[SafeguardingReminder]] = defaultdict(list)
    for reminder in reminders:
        concern = reminder.concern
        if concern.status != ConcernStatus.AWAITING_DECISION or concern.decision_due_on != reminder.due_on:
            reminder.outcome = "not needed"
        elif not reminder.recipient.email:
            logger.warning("User %s has no email address: safeguarding reminder %s not sent", reminder.recipient_id,
                           reminder.key)
            reminder.outcome = "no email address"
        else:
            sending[reminder.recipient_id].append(reminder)
    messages = []
    for mine in sending.values():
        recipient = mine[0].recipient
        rows, reads = [], {}
        for reminder in sorted(mine, key=lambda r: (r.due_on, r.concern_id)):
            basis = access.basis_for(recipient, reminder.concern)
            named = basis is not None and not reminder.concern.is_restricted
            if named:
                reads[reminder.concern.person_id] = basis
            rows.append({"reminder": reminder, "url": concern_url(reminder.concern_id),
                         "label": reminder.concern.person.display_name if named
                         else f"safeguarding concern {reminder.concern_id}",
                         "overdue": reminder.due_on < today})
            reminder.outcome, reminder.sent_to = "sent", recipient.email
        overdue = sum(1 for r in rows if r["overdue"])
        subject = (f"{len(rows)} safeguarding decision{'s' if len(rows) != 1 else ''} due"
                   + (f", {overdue} overdue" if overdue else ""))
        keys = " ".join(r.key for r in mine)
        body = get_template("safeguarding/email/reminder.txt").render({
            "recipient": recipient, "rows": rows, "today": today, "service_name": settings.SERVICE_NAME})
        messages.append(EmailMessage(subject, body, to=[recipient.email],
                                     headers={"X-CareCase-Reference": mine[0].key, "X-CareCase-Reminders": keys}))
        # Each person named is a read of their safeguarding record by the lead it went to: one insert each.
        log_reads_each(recipient, reads, action=AccessAction.VIEW, resource=access.RESOURCE, path="reminder email")
    if messages:
        with get_connection() as mail:
            mail.send_messages(messages)
    outbox.record_outcomes(SafeguardingReminder, {r.id: (r.outcome, r.sent_to) for r in reminders})


def claim_batch(*, worker: str, batch_size: int = BATCH_SIZE, stale_after: dt.timedelta = STALE_CLAIM_AFTER,
                now: dt.datetime | None = None):
    return outbox.claim_batch(SafeguardingReminder, worker=worker, batch_size=batch_size, stale_after=stale_after,
                              now=now)


def sweep_due_reminders(*, today: dt.date | None = None, worker: str = "sweep", batch_size: int = BATCH_SIZE,
                        stale_after: dt.timedelta = STALE_CLAIM_AFTER, now: dt.datetime | None = None,
                        pause_after_claim_seconds: float = 0) -> SweepCounts:
    """The daily sweep: make today's reminders, then claim and send them (and any a dead worker left)."""
    today = today or timezone.localdate()
    counts = SweepCounts(created=create_reminders(today=today))
    outbox.drain(SafeguardingReminder, worker=worker, deliver=_deliver, related=RELATED, batch_size=batch_size,
                 stale_after=stale_after, now=now, pause_after_claim_seconds=pause_after_claim_seconds, counts=counts)
    return counts
