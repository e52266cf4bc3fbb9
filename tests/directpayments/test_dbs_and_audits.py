"""The DBS renewal reminder to the direct payments officers, 30 days before the renewal date, exactly once per
personal assistant and renewal date; the financial audit schedule (first at 3 months, then yearly) on the
agreement page and the dashboard."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import override_settings
from django.urls import reverse

from carecase.outbox import OutboxStatus
from directpayments import audits, reminders, selectors
from directpayments import services as dps
from directpayments.models import DbsReminder, DirectPaymentAgreement

from .conftest import D, M
from .test_assistants import add
from .test_pages import date_fields, text

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("on_2_march_2026")]


@pytest.fixture
def employed(agreement, dp_officer):
    """Grace, DBS renewal due 1 April 2026, employed through Mohan's agreement (officer Sunita Chauhan)."""
    pa = add(dp_officer)
    dps.employment_add(agreement=agreement, assistant=pa, by=dp_officer.user, starts_on=D(2026, 1, 5),
                       hourly_rate=M("12.50"))
    return pa


def test_the_reminder_goes_30_days_before_the_renewal_once(employed, dp_officer):
    assert reminders.sweep_dbs_reminders(today=D(2026, 3, 1)).created == 0  # 31 days before
    counts = reminders.sweep_dbs_reminders(today=D(2026, 3, 2))              # 30 days before
    assert (counts.created, counts.delivered) == (1, 1)
    again = reminders.sweep_dbs_reminders(today=D(2026, 3, 3))
    assert (again.created, again.delivered) == (0, 0)
    (email,) = mail.outbox
    assert email.to == ["sunita.chauhan@example.org"]
    assert email.subject == "DBS renewal due on 1 April 2026: Grace Okafor"
    assert email.extra_headers["X-CareCase-Reference"] == DbsReminder.key_for(employed.pk, D(2026, 4, 1))
    assert "Mohan" not in email.body and "1 direct payment agreement you look after" in email.body
    assert list(DbsReminder.objects.values_list("status", "outcome", "sent_to")) == [
        (OutboxStatus.DONE, "sent", "sunita.chauhan@example.org")]


def test_a_new_renewal_date_is_a_new_reminder(employed, dp_officer):
    reminders.sweep_dbs_reminders(today=D(2026, 3, 2))
    dps.assistant_update(assistant=employed, by=dp_officer.user, dbs_checked_on=D(2026, 3, 2),
                         dbs_renewal_due_on=D(2029, 3, 2))
    assert reminders.sweep_dbs_reminders(today=D(2026, 3, 2)).created == 0
    assert reminders.sweep_dbs_reminders(today=D(2029, 1, 31)).created == 1
    assert len(mail.outbox) == 2


def test_a_changed_date_before_sending_sends_nothing(employed, dp_officer):
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(reminders.outbox, "drain", lambda *a, **k: None)
        reminders.sweep_dbs_reminders(today=D(2026, 3, 2))
    dps.assistant_update(assistant=employed, by=dp_officer.user, dbs_renewal_due_on=D(2029, 3, 2))
    reminders.sweep_dbs_reminders(today=D(2026, 3, 2))
    assert mail.outbox == []
    assert DbsReminder.objects.get().outcome.startswith("not needed")


def test_without_an_employer_the_team_address_or_nothing(dp_officer):
    add(dp_officer, name="Unemployed")
    reminders.sweep_dbs_reminders(today=D(2026, 3, 2))
    assert mail.outbox == [] and DbsReminder.objects.get().outcome == (
        "no direct payments officer with an email address")
    add(dp_officer, name="Second", dbs_renewal_due_on=D(2026, 3, 20))
    with override_settings(DP_TEAM_EMAIL="direct.payments@example.gov.uk"):
        reminders.sweep_dbs_reminders(today=D(2026, 3, 2))
    assert [m.to for m in mail.outbox] == [["direct.payments@example.gov.uk"]]


def test_the_task_and_its_beat_entry(employed):
    from carecase.celery import app
    from directpayments.tasks import DBS_TASK, sweep_dbs_reminders

    with time_machine.travel(dt.datetime(2026, 3, 2, 7, 20, tzinfo=dt.UTC), tick=False):
        assert sweep_dbs_reminders.apply().get()["delivered"] == 1
        assert sweep_dbs_reminders.apply().get()["delivered"] == 0
    jobs = {job["task"]: job for job in app.conf.beat_schedule.values()}
    assert jobs[DBS_TASK]["schedule"].hour == {7} and jobs[DBS_TASK]["schedule"].minute == {20}


# --- financial audits ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(("first", "last", "today", "due", "state"), [
    (None, None, D(2026, 3, 2), None, None),
    (D(2026, 1, 5), None, D(2026, 3, 2), D(2026, 4, 5), "scheduled"),      # 34 days away
    (D(2026, 1, 5), None, D(2026, 3, 6), D(2026, 4, 5), "due"),            # 30 days away
    (D(2026, 1, 5), None, D(2026, 4, 6), D(2026, 4, 5), "overdue"),
    (D(2025, 11, 30), None, D(2026, 3, 2), D(2026, 2, 28), "overdue"),     # 30 November + 3 months
    (D(2026, 1, 5), D(2026, 4, 1), D(2026, 4, 6), D(2027, 4, 1), "scheduled"),
    (D(2024, 1, 5), D(2024, 2, 29), D(2025, 3, 1), D(2025, 2, 28), "overdue"),
])
def test_the_audit_schedule(first, last, today, due, state):
    found = audits.next_audit(first_payment_on=first, last_done_on=last, today=today)
    assert (found.due_on, found.state) == (due, state) if due else found is None


def test_python_and_sql_agree_on_the_due_date(agreement, dp_officer):
    def sql_due():
        return audits.with_audit_due(DirectPaymentAgreement.objects.filter(pk=agreement.pk)).get().audit_due_on

    assert sql_due() == D(2026, 4, 5)
    dps.audit_record(agreement=agreement, by=dp_officer.user, done_on=D(2026, 2, 28), contribution_paid=True,
                     spending_matches_plan=True)
    assert sql_due() == D(2027, 2, 28) == audits.next_audit(first_payment_on=agreement.first_payment_on,
                                                            last_done_on=D(2026, 2, 28), today=D(2026, 3, 2)).due_on


def test_recording_an_audit_is_checked(agreement, dp_officer, practitioner):
    with pytest.raises(ValidationError) as err:
        dps.audit_record(agreement=agreement, by=dp_officer.user, done_on=D(2026, 3, 3), contribution_paid=False,
                         spending_matches_plan=True, unspent=M("-1"))
    assert err.value.message_dict == {"done_on": ["The audit date must be today or in the past"],
                                      "unspent": ["The unspent money cannot be less than zero"],
                                      "findings": ["Say what the audit found and what happens next"]}
    with pytest.raises(PermissionDenied):
        dps.audit_record(agreement=agreement, by=practitioner.user, done_on=D(2026, 3, 2), contribution_paid=True,
                         spending_matches_plan=True)
    audit = dps.audit_record(agreement=agreement, by=dp_officer.user, done_on=D(2026, 3, 2),
                             contribution_paid=True, spending_matches_plan=True)
    assert audit.unspent == M("0.00")


def test_audits_due_on_the_dashboard_and_the_agreement_page(officer_client, agreement, dp_officer):
    assert selectors.audits_due(user=dp_officer.user) == []   # due 5 April: not yet within 30 days
    with time_machine.travel(D(2026, 4, 6), tick=False):
        officer_client.force_login(dp_officer.user)   # a month later the session has timed out
        (item,) = selectors.audits_due(user=dp_officer.user)
        assert (item.row.audit.state, item.row.audit_due_on) == ("overdue", D(2026, 4, 5))
        page = text(officer_client.get(reverse("dp-dashboard")))
        assert "Financial audits due" in page and "5 April 2026" in page and "Overdue" in page
        url = reverse("dp-agreement", args=[agreement.id])
        assert "The first financial audit is due by 5 April 2026" in text(officer_client.get(url))
        r = officer_client.post(reverse("dp-agreement-audit", args=[agreement.id]), {
            **date_fields("audit-done_on", D(2026, 4, 6)), "audit-contribution_paid": "no",
            "audit-spending_matches_plan": "yes"})
        assert r.status_code == 400 and "Say what the audit found and what happens next" in text(r)
        r = officer_client.post(reverse("dp-agreement-audit", args=[agreement.id]), {
            **date_fields("audit-done_on", D(2026, 4, 6)), "audit-contribution_paid": "no",
            "audit-spending_matches_plan": "yes", "audit-unspent": "120.00",
            "audit-findings": "Contribution for March missed; a payment plan agreed"})
        assert r.status_code == 302
        page = text(officer_client.get(url))
        assert "The next financial audit is due by 6 April 2027" in page and "£120.00 unspent" in page
        assert selectors.audits_due(user=dp_officer.user) == []


def test_necessity_decisions_due_on_the_dashboard(officer_client, agreement, dp_officer):
    pa = add(dp_officer, name="Priya Patel", dbs_renewal_due_on=D(2028, 4, 1))
    dps.employment_add(agreement=agreement, assistant=pa, by=dp_officer.user, starts_on=D(2026, 1, 5),
                       hourly_rate=M("12.50"), relationship="child", same_household=True,
                       necessity_reason="Night cover", necessity_approved_by=dp_officer.user,
                       necessity_review_on=D(2026, 4, 1))
    assert "Necessity decisions to look at again" in (page := text(officer_client.get(reverse("dp-dashboard"))))
    assert "Priya Patel" not in page
    with time_machine.travel(D(2026, 4, 1), tick=False):
        officer_client.force_login(dp_officer.user)
        page = text(officer_client.get(reverse("dp-dashboard")))
        assert "Priya Patel, son or daughter" in page and "1 April 2026" in page
