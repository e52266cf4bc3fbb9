"""Account returns expected each quarter, the reminder when one is 4 weeks overdue (to the recipient and to
the direct payments officer, each exactly once), the reminder to the direct payments officers 30 days before a
personal assistant's DBS renewal date (exactly once per assistant and renewal date), and broadcasts to
personal assistants.

The mechanism is carecase/outbox.py: rows with a unique key, made with INSERT ... ON CONFLICT DO NOTHING (so
two beats at once, or the same sweep twice, make each row once), claimed with SKIP LOCKED and delivered only by
the current claim (so a worker that dies half way loses nothing and a re-run sends nothing twice). Emails
carry the row's key in `X-CareCase-Reference`, so a repeat after a crash between send and commit can be
recognised. The officer's email names the person only if the officer may open the record in full, and each
naming is logged as a read.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
import os

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import connection, transaction
from django.template.loader import render_to_string
from django.utils import timezone

from carecase import outbox
from carecase.audit.access import access_for_pairs
from carecase.audit.models import AccessAction, RecordAccessEvent

from . import conf
from .models import (
    AccountReturn,
    AgreementStatus,
    AssistantMessage,
    DbsReminder,
    DirectPaymentAgreement,
    Employment,
    PersonalAssistant,
    ReturnReminder,
    ReturnReminderTo,
    ReturnStatus,
)

logger = logging.getLogger(__name__)


@dataclasses.dataclass
class SweepCounts(outbox.DrainCounts):
    returns_expected: int = 0
    created: int = 0


def create_expected_returns(*, today: dt.date) -> int:
    """The return for the last full quarter before `today`, for every active or suspended agreement whose
    payments had started by the quarter's end. One statement; safe to repeat."""
    sql = f"""
        INSERT INTO {AccountReturn._meta.db_table}
               (agreement_id, period_start, period_end, due_on, status, evidence_received, notes)
        SELECT a.id, q.start, q.stop, q.stop + %(due_days)s, %(expected)s, false, ''
          FROM {DirectPaymentAgreement._meta.db_table} a,
               LATERAL (SELECT date_trunc('quarter', %(today)s::date - interval '3 months')::date AS start,
                               (date_trunc('quarter', %(today)s::date) - interval '1 day')::date AS stop) q
         WHERE a.status IN (%(active)s, %(suspended)s) AND a.first_payment_on <= q.stop
        ON CONFLICT (agreement_id, period_start) DO NOTHING
    """  # noqa: S608 (table names come from the models)
    with connection.cursor() as cursor:
        cursor.execute(sql, {"today": today, "due_days": conf.get("DP_RETURN_DUE_DAYS"),
                             "expected": ReturnStatus.EXPECTED, "active": AgreementStatus.ACTIVE,
                             "suspended": AgreementStatus.SUSPENDED})
        return cursor.rowcount


def create_reminders(*, today: dt.date) -> int:
    """A reminder to the recipient and one to the officer for each return still expected 4 weeks (the
    setting) after it was due. Keys per return and recipient, so each is made once, ever."""
    overdue_by = conf.get("DP_RETURN_REMINDER_AFTER_DAYS")
    sql = f"""
        INSERT INTO {ReturnReminder._meta.db_table}
               (key, status, claimed_by, created_at, account_return_id, "to", sent_to, outcome)
        SELECT 'dp-return:' || r.id || ':' || t.who, %(pending)s, '', %(now)s, r.id, t.who, '', ''
          FROM {AccountReturn._meta.db_table} r
          JOIN {DirectPaymentAgreement._meta.db_table} a ON a.id = r.agreement_id
         CROSS JOIN (VALUES (%(recipient)s), (%(officer)s)) AS t(who)
         WHERE r.status = %(expected)s AND r.due_on <= %(today)s::date - %(overdue_by)s
           AND a.status IN (%(active)s, %(suspended)s)
           AND (t.who = %(recipient)s OR a.officer_id IS NOT NULL)
         ORDER BY r.id, t.who
        ON CONFLICT (key) DO NOTHING
    """  # noqa: S608 (table names come from the models)
    with connection.cursor() as cursor:
        cursor.execute(sql, {"pending": outbox.OutboxStatus.PENDING, "now": timezone.now(), "today": today,
                             "overdue_by": overdue_by, "expected": ReturnStatus.EXPECTED,
                             "recipient": ReturnReminderTo.RECIPIENT, "officer": ReturnReminderTo.OFFICER,
                             "active": AgreementStatus.ACTIVE, "suspended": AgreementStatus.SUSPENDED})
        return cursor.rowcount


def _contact(agreement) -> dict:
    officer = agreement.officer
    staff = getattr(officer, "staff", None) if officer else None
    return {
        "name": officer.get_full_name() if officer else "",
        "phone": (staff.direct_phone if staff else "") or "",
        "team": staff.team.name if staff and staff.team else "",
        "team_phone": staff.team.phone if staff and staff.team else settings.COUNCIL_PHONE,
        "hours": settings.COUNCIL_OPENING_HOURS,
    }


def _deliver(reminders: list[ReturnReminder]) -> None:
    """Email each reminder still needed; record what became of each row."""
    named = {key: access.basis for key, access in access_for_pairs(
        {(r.account_return.agreement.officer, r.account_return.agreement.person) for r in reminders
         if r.to == ReturnReminderTo.OFFICER}).items() if access.is_full}
    messages, reads = [], {}
    for reminder in reminders:
        ret = reminder.account_return
        agreement = ret.agreement
        if ret.status != ReturnStatus.EXPECTED:
            reminder.outcome = "not needed: the return came in"
            continue
        if reminder.to == ReturnReminderTo.RECIPIENT:
            address = agreement.recipient_email
            template = "directpayments/email/return_reminder_recipient.txt"
            shown = True
        else:
            address = agreement.officer.email if agreement.officer else ""
            template = "directpayments/email/return_reminder_officer.txt"
            shown = (agreement.officer_id, agreement.person_id) in named
        if not address:
            logger.warning("No email address: direct payment return reminder %s not sent", reminder.key)
            reminder.outcome = "no email address"
            continue
        context = {"ret": ret, "agreement": agreement, "person_label": agreement.person.display_name if shown
                   else f"record {agreement.person_id}", "contact": _contact(agreement),
                   "council_name": settings.COUNCIL_NAME, "reference": reminder.key}
        subject = ("Your direct payment account return is overdue" if reminder.to == ReturnReminderTo.RECIPIENT
                   else f"Direct payment return overdue for {context['person_label']}")
        messages.append(EmailMessage(subject, render_to_string(template, context), to=[address],
                                     headers={"X-CareCase-Reference": reminder.key}))
        reminder.outcome, reminder.sent_to = "sent", address
        if reminder.to == ReturnReminderTo.OFFICER and shown:
            key = (agreement.officer_id, agreement.person_id)
            reads[key] = named[key]
    # Each person named to the officer is a read of their record, logged with the basis it rests on.
    RecordAccessEvent.objects.bulk_create(
        RecordAccessEvent(user_id=user_id, person_id=person_id, action=AccessAction.VIEW,
                          resource="direct payment return reminder email", basis=basis)
        for (user_id, person_id), basis in reads.items())
    if messages:
        with get_connection() as mail:
            mail.send_messages(messages)
    outbox.record_outcomes(ReturnReminder, {r.id: (r.outcome, r.sent_to) for r in reminders})


RELATED = ("account_return__agreement__person", "account_return__agreement__officer__staff__team")


def sweep_return_reminders(*, today: dt.date | None = None, worker: str = "sweep",
                           batch_size: int = outbox.BATCH_SIZE, now: dt.datetime | None = None,
                           pause_after_claim_seconds: float = 0) -> SweepCounts:
    """The daily sweep: expected returns for the last quarter, reminders for those 4 weeks overdue, then
    send them (and any left by a worker that died)."""
    today = today or timezone.localdate()
    counts = SweepCounts()
    with transaction.atomic():
        counts.returns_expected = create_expected_returns(today=today)
        counts.created = create_reminders(today=today)
    outbox.drain(ReturnReminder, worker=worker, deliver=_deliver, related=RELATED, batch_size=batch_size, now=now,
                 pause_after_claim_seconds=pause_after_claim_seconds, counts=counts)
    return counts


def _deliver_messages(rows: list[AssistantMessage]) -> None:
    messages = []
    for row in rows:
        assistant = row.assistant
        if not (assistant.is_active and assistant.consent_to_contact and assistant.email):
            row.outcome = "not sent: no longer active, no consent or no email address"
            continue
        body = render_to_string("directpayments/email/assistant_broadcast.txt",
                                {"broadcast": row.broadcast, "assistant": assistant,
                                 "council_name": settings.COUNCIL_NAME, "council_phone": settings.COUNCIL_PHONE,
                                 "hours": settings.COUNCIL_OPENING_HOURS})
        messages.append(EmailMessage(row.broadcast.subject, body, to=[assistant.email],
                                     headers={"X-CareCase-Reference": row.key}))
        row.outcome, row.sent_to = "sent", assistant.email
    if messages:
        with get_connection() as mail:
            mail.send_messages(messages)
    outbox.record_outcomes(AssistantMessage, {r.id: (r.outcome, r.sent_to) for r in rows})


def send_assistant_messages(*, worker: str = "sweep", batch_size: int = outbox.BATCH_SIZE,
                            now: dt.datetime | None = None, pause_after_claim_seconds: float = 0) -> outbox.DrainCounts:
    return outbox.drain(AssistantMessage, worker=worker, deliver=_deliver_messages,
                        related=("broadcast", "assistant"), batch_size=batch_size, now=now,
                        pause_after_claim_seconds=pause_after_claim_seconds)


# ---------------------------------------------------------------- DBS renewals of personal assistants


def create_dbs_reminders(*, today: dt.date) -> int:
    """A reminder for each active personal assistant whose DBS renewal date is today or in the next 30 days
    (the setting DP_DBS_REMINDER_DAYS). The key holds the assistant and the renewal date, so each is made once,
    ever; a new renewal date makes a new one. A date already passed when first seen makes none: the dashboard
    lists it among the DBS renewals due."""
    sql = f"""
        INSERT INTO {DbsReminder._meta.db_table}
               (key, status, claimed_by, created_at, assistant_id, renewal_due_on, sent_to, outcome)
        SELECT 'pa-dbs:' || pa.id || ':' || to_char(pa.dbs_renewal_due_on, 'YYYY-MM-DD'), %(pending)s, '', %(now)s,
               pa.id, pa.dbs_renewal_due_on, '', ''
          FROM {PersonalAssistant._meta.db_table} pa
         WHERE pa.is_active AND pa.dbs_renewal_due_on BETWEEN %(today)s::date AND %(today)s::date + %(days)s
         ORDER BY pa.id
        ON CONFLICT (key) DO NOTHING
    """  # noqa: S608 (table names come from the models)
    with connection.cursor() as cursor:
        cursor.execute(sql, {"pending": outbox.OutboxStatus.PENDING, "now": timezone.now(), "today": today,
                             "days": conf.get("DP_DBS_REMINDER_DAYS")})
        return cursor.rowcount


def dbs_officers(assistant_ids, *, today: dt.date) -> dict[int, list]:
    """The direct payments officers of the live agreements that employ each personal assistant now."""
    officers: dict[int, dict] = {}
    rows = (Employment.objects.filter(assistant_id__in=assistant_ids, agreement__officer__isnull=False,
                                      agreement__status__in=(AgreementStatus.SET_UP, AgreementStatus.ACTIVE,
                                                             AgreementStatus.SUSPENDED))
            .exclude(ends_on__lt=today).select_related("agreement__officer").order_by("agreement__officer_id"))
    for employment in rows:
        officer = employment.agreement.officer
        entry = officers.setdefault(employment.assistant_id, {}).setdefault(officer.pk, [officer, 0])
        entry[1] += 1
    return {pa: list(by_officer.values()) for pa, by_officer in officers.items()}


def _deliver_dbs(rows: list[DbsReminder]) -> None:
    """Email each officer of the assistant's employers; without one, the direct payments team's address
    (DP_TEAM_EMAIL), if set. The email names the personal assistant only, never the people who employ them."""
    today = timezone.localdate()
    officers = dbs_officers({r.assistant_id for r in rows}, today=today)
    team_email = getattr(settings, "DP_TEAM_EMAIL", "") or os.environ.get("CARECASE_DP_TEAM_EMAIL", "")
    messages = []
    for row in rows:
        assistant = row.assistant
        if not assistant.is_active or assistant.dbs_renewal_due_on != row.renewal_due_on:
            row.outcome = "not needed: no longer active, or the renewal date changed"
            continue
        targets = [(o.email, n) for o, n in officers.get(assistant.pk, []) if o.email]
        if not targets and team_email:
            targets = [(team_email, 0)]
        if not targets:
            logger.warning("No officer email: DBS renewal reminder %s not sent", row.key)
            row.outcome = "no direct payments officer with an email address"
            continue
        for address, count in targets:
            body = render_to_string("directpayments/email/dbs_renewal_officer.txt", {
                "assistant": assistant, "renewal_due_on": row.renewal_due_on, "employers": count,
                "reference": row.key})
            messages.append(EmailMessage(f"DBS renewal due on {row.renewal_due_on:%-d %B %Y}: {assistant.name}",
                                         body, to=[address], headers={"X-CareCase-Reference": row.key}))
        row.outcome, row.sent_to = "sent", ", ".join(a for a, _ in targets)[:1000]
    if messages:
        with get_connection() as mail:
            mail.send_messages(messages)
    outbox.record_outcomes(DbsReminder, {r.id: (r.outcome, r.sent_to) for r in rows})


def sweep_dbs_reminders(*, today: dt.date | None = None, worker: str = "sweep",
                        batch_size: int = outbox.BATCH_SIZE, now: dt.datetime | None = None,
                        pause_after_claim_seconds: float = 0) -> SweepCounts:
    """The daily sweep: reminders for DBS renewals due within 30 days, then send them (and any left by a
    worker that died)."""
    today = today or timezone.localdate()
    counts = SweepCounts()
    with transaction.atomic():
        counts.created = create_dbs_reminders(today=today)
    outbox.drain(DbsReminder, worker=worker, deliver=_deliver_dbs, related=("assistant",), batch_size=batch_size,
                 now=now, pause_after_claim_seconds=pause_after_claim_seconds, counts=counts)
    return counts
