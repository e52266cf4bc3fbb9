"""Account returns, surplus and recovery (with the letter), and the overdue-return reminders: exactly once,
even when two sweeps run at once or a sender dies half way."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import override_settings
from django.utils import timezone

from carecase.audit.models import RecordAccessEvent
from carecase.outbox import STALE_CLAIM_AFTER, OutboxStatus
from directpayments import letters, reminders
from directpayments import services as dps
from directpayments.models import AccountReturn, Recovery, RecoveryStatus, ReturnReminder, ReturnStatus
from tests.infra.conftest import at_the_same_time

from .conftest import D, M


def record(agreement, officer, closing, **kwargs):
    values = {"period_start": D(2026, 1, 1), "opening_balance": M("0.00"), "closing_balance": closing,
              "spend": M("1200.00"), "received_on": D(2026, 4, 20), "evidence_received": True}
    values.update(kwargs)
    return dps.return_record(agreement=agreement, by=officer.user, **values)


pytestmark = [pytest.mark.usefixtures("in_may")]


@pytest.mark.django_db
def test_a_return_within_8_weeks_proposes_nothing(agreement, dp_officer):
    ret = record(agreement, dp_officer, M("1120.00"))  # exactly 8 weeks of £140
    assert (ret.status, ret.period_start, ret.period_end, ret.due_on) == (
        ReturnStatus.RECEIVED, D(2026, 1, 1), D(2026, 3, 31), D(2026, 4, 28))
    assert not Recovery.objects.exists()


@pytest.mark.django_db
def test_a_surplus_proposes_recovery_of_the_balance_less_4_weeks(agreement, dp_officer):
    ret = record(agreement, dp_officer, M("2000.00"))
    recovery = ret.recovery
    assert (recovery.status, recovery.net_weekly, recovery.proposed_amount) == (RecoveryStatus.PROPOSED,
                                                                               M("140.00"), M("1440.00"))


@pytest.mark.django_db
@override_settings(DP_SURPLUS_WEEKS=12, DP_CONTINGENCY_WEEKS=6)
def test_surplus_weeks_are_settings(agreement, dp_officer):
    assert not hasattr(record(agreement, dp_officer, M("1680.00")), "recovery")  # 12 weeks exactly
    ret = record(agreement, dp_officer, M("2000.00"))  # the same return, corrected
    assert ret.recovery.proposed_amount == M("1160.00")  # 2000 - 6 x 140


@pytest.mark.django_db
def test_return_input_is_checked(agreement, dp_officer):
    with pytest.raises(ValidationError) as err:
        record(agreement, dp_officer, None, spend=M("-1"), received_on=D(2026, 6, 1))
    assert set(err.value.message_dict) == {"closing_balance", "spend", "received_on"}


@pytest.mark.django_db
def test_approve_adjust_or_waive(agreement, dp_officer):
    recovery = record(agreement, dp_officer, M("2000.00")).recovery
    with pytest.raises(ValidationError) as err:
        dps.recovery_decide(recovery=recovery, by=dp_officer.user, decision=RecoveryStatus.ADJUSTED,
                            amount=M("900.00"))
    assert "reason" in err.value.message_dict
    with pytest.raises(ValidationError, match="more than the balance"):
        dps.recovery_decide(recovery=recovery, by=dp_officer.user, decision=RecoveryStatus.ADJUSTED,
                            amount=M("2500.00"), reason="x")
    decided = dps.recovery_decide(recovery=recovery, by=dp_officer.user, decision=RecoveryStatus.ADJUSTED,
                                  amount=M("900.00"), reason="£540 of personal assistant holiday pay is due in June")
    assert (decided.status, decided.amount, decided.decided_by) == ("adjusted", M("900.00"), dp_officer.user)
    with pytest.raises(ValidationError, match="already been decided"):
        dps.recovery_decide(recovery=decided, by=dp_officer.user, decision=RecoveryStatus.WAIVED, reason="x")


@pytest.mark.django_db
def test_waive_needs_a_reason(agreement, dp_officer):
    recovery = record(agreement, dp_officer, M("2000.00")).recovery
    with pytest.raises(ValidationError):
        dps.recovery_decide(recovery=recovery, by=dp_officer.user, decision=RecoveryStatus.WAIVED)
    waived = dps.recovery_decide(recovery=recovery, by=dp_officer.user, decision=RecoveryStatus.WAIVED,
                                 reason="Saving for a short break agreed in the plan")
    assert waived.amount is None
    with pytest.raises(letters.LetterRefused):
        letters.render_recovery(waived, dp_officer.user)


@pytest.mark.django_db
def test_the_recovery_letter_explains_the_amount(agreement, dp_officer):
    recovery = record(agreement, dp_officer, M("2000.00")).recovery
    recovery = dps.recovery_decide(recovery=recovery, by=dp_officer.user, decision=RecoveryStatus.APPROVED)
    recovery.agreement.person = agreement.person
    context = letters.recovery_context(recovery, dp_officer.user)
    assert (context["threshold"], context["contingency"], context["left"]) == (M("1120.00"), M("560.00"),
                                                                               M("560.00"))
    html = letters.render_to_string("directpayments/letters/recovery.html", context)
    for figure in ("£2,000.00", "£140.00", "£1,120.00", "£560.00", "£1,440.00", "prepaid card", "Sunita Chauhan",
                   "0116 454 2000"):
        assert figure in html
    for banned in ("service user", "client", "customer"):
        assert banned not in html.lower()
    pdf = letters.render_recovery(recovery, dp_officer.user)
    assert pdf.startswith(b"%PDF")


@pytest.mark.django_db
def test_the_agreement_letter(agreement, dp_officer):
    pdf = letters.render_agreement(agreement, dp_officer.user)
    assert pdf.startswith(b"%PDF")
    html = letters.render_to_string("directpayments/letters/agreement.html",
                                    letters.agreement_context(agreement, dp_officer.user))
    assert "£140.00" in html and "Every 4 weeks".lower() in html.lower() and "Signed by Mohan Patel" in html


# Overdue returns and their reminders

TODAY = D(2026, 5, 5)  # the return for January to March was due on 28 April; 4 weeks overdue on 26 May


def sweep(today, **kwargs):
    return reminders.sweep_return_reminders(today=today, **kwargs)


@pytest.mark.django_db
def test_a_return_4_weeks_overdue_reminds_the_recipient_and_the_officer_once(agreement, dp_officer, person):
    person_email = "mohan.patel@example.org"
    agreement.recipient_email = person_email
    agreement.save()
    counts = sweep(TODAY)
    assert (counts.returns_expected, counts.created) == (1, 0)
    ret = AccountReturn.objects.get()
    assert (ret.period_start, ret.due_on, ret.status) == (D(2026, 1, 1), D(2026, 4, 28), ReturnStatus.EXPECTED)
    assert sweep(D(2026, 5, 25)).created == 0
    counts = sweep(D(2026, 5, 26))
    assert (counts.created, counts.delivered) == (2, 2)
    for later in (D(2026, 5, 26), D(2026, 5, 27), D(2026, 6, 30)):
        assert sweep(later).delivered == 0
    by_address = {m.to[0]: m for m in mail.outbox}
    assert set(by_address) == {person_email, dp_officer.user.email}
    to_recipient = by_address[person_email]
    assert "account return" in to_recipient.body and "Sunita Chauhan" in to_recipient.body
    assert "0116 454 2000" in to_recipient.body
    assert "Mohan Patel" in by_address[dp_officer.user.email].subject  # the officer may open the record
    assert RecordAccessEvent.objects.filter(user=dp_officer.user, resource__startswith="direct payment return").exists()
    assert {(r.to, r.status, r.outcome) for r in ReturnReminder.objects.all()} == {
        ("recipient", OutboxStatus.DONE, "sent"), ("officer", OutboxStatus.DONE, "sent")}


@pytest.mark.django_db
def test_a_return_received_in_time_is_not_reminded(agreement, dp_officer):
    sweep(TODAY)
    record(agreement, dp_officer, M("500.00"))
    assert sweep(D(2026, 6, 1)).created == 0 and mail.outbox == []


@pytest.mark.django_db
def test_no_email_address_is_recorded_not_lost(agreement):
    sweep(TODAY)
    counts = sweep(D(2026, 5, 26))
    assert counts.delivered == 2 and len(mail.outbox) == 1  # the officer only
    assert ReturnReminder.objects.get(to="recipient").outcome == "no email address"


@pytest.mark.django_db
def test_a_sender_that_died_mid_batch_loses_nothing(agreement, dp_officer):
    agreement.recipient_email = "mohan.patel@example.org"
    agreement.save()
    sweep(TODAY)
    reminders.create_reminders(today=D(2026, 5, 26))
    from carecase import outbox

    ids, _, _ = outbox.claim_batch(ReturnReminder, worker="died", batch_size=1)  # ...and then it died
    assert len(ids) == 1
    fresh = sweep(D(2026, 5, 26), worker="next")
    assert (fresh.delivered, fresh.claimed_elsewhere) == (1, 1)  # the dead claim is not yet stale
    later = timezone.now() + STALE_CLAIM_AFTER + dt.timedelta(minutes=1)
    stale = sweep(D(2026, 5, 26), worker="next", now=later)
    assert (stale.reclaimed, stale.delivered) == (1, 1)
    assert sorted(m.to[0] for m in mail.outbox) == sorted(["mohan.patel@example.org", dp_officer.user.email])


@pytest.mark.django_db(transaction=True)
def test_two_sweeps_at_once_send_each_reminder_once(agreement, dp_officer):
    agreement.recipient_email = "mohan.patel@example.org"
    agreement.save()
    results = list(at_the_same_time(lambda name: sweep(D(2026, 5, 26), worker=name, batch_size=1)).values())
    assert sum(r.created for r in results) == 2 and sum(r.delivered for r in results) == 2
    assert len(mail.outbox) == 2 and ReturnReminder.objects.count() == 2


@pytest.mark.django_db
def test_the_celery_tasks_send_once_however_often_they_run(agreement, dp_officer):
    from directpayments.tasks import send_assistant_messages, sweep_return_reminders

    agreement.recipient_email = "mohan.patel@example.org"
    agreement.save()
    with time_machine.travel(dt.datetime(2026, 5, 26, 6, 10, tzinfo=dt.UTC), tick=False):
        first = sweep_return_reminders.apply().get()
        again = sweep_return_reminders.apply().get()
    assert (first["returns_expected"], first["created"], first["delivered"]) == (1, 2, 2)
    assert (again["created"], again["delivered"]) == (0, 0)
    assert len(mail.outbox) == 2
    assert send_assistant_messages.apply().get()["delivered"] == 0


def test_the_beat_entries():
    from carecase.celery import app
    from directpayments.tasks import MESSAGES_TASK, RETURNS_TASK

    jobs = {job["task"]: job for job in app.conf.beat_schedule.values()}
    assert jobs[RETURNS_TASK]["schedule"].hour == {7} and jobs[RETURNS_TASK]["schedule"].minute == {10}
    assert MESSAGES_TASK in jobs

