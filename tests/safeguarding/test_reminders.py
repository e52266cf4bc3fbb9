"""Reminders to the safeguarding leads about undecided concerns: one on the due date, one when overdue; each
exactly once, with re-runs, two sweeps at once, a sender that died after claiming, and a crash half way through
a batch."""

from __future__ import annotations

import collections
import datetime as dt
from unittest import mock
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from carecase.audit.models import RecordAccessEvent
from carecase.celery import app
from carecase.outbox import STALE_CLAIM_AFTER, OutboxStatus
from carecase.staff.models import Role
from safeguarding import reminders, services
from safeguarding.models import ReminderKind, SafeguardingReminder
from safeguarding.tasks import SWEEP_TASK
from tests.factories import PersonFactory, StaffFactory
from tests.infra.conftest import at_the_same_time

from .conftest import decide, make_concern

LONDON = ZoneInfo("Europe/London")
D = dt.date
RECEIVED = dt.datetime(2026, 3, 2, 10, 0, tzinfo=LONDON)  # Monday: due Wednesday 4 March


def at(day: dt.date, hour: int = 7, minute: int = 5):
    return time_machine.travel(dt.datetime.combine(day, dt.time(hour, minute), tzinfo=LONDON), tick=False)


def concerns(lead, n=1):
    with at(D(2026, 3, 2), 11):
        return [make_concern(PersonFactory(), lead, received_at=RECEIVED) for _ in range(n)]


def keys() -> list[str]:
    return [key for m in mail.outbox for key in m.extra_headers["X-CareCase-Reminders"].split()]


def assert_each_sent_once():
    sent = collections.Counter(keys())
    assert sent and all(c == 1 for c in sent.values()), sent
    assert set(sent) == set(SafeguardingReminder.objects.values_list("key", flat=True))
    assert set(SafeguardingReminder.objects.values_list("status", "outcome")) == {(OutboxStatus.DONE, "sent")}


@pytest.mark.django_db
def test_nothing_before_the_due_date_one_on_it_and_one_when_overdue(lead):
    (concern,) = concerns(lead)
    assert concern.decision_due_on == D(2026, 3, 4)
    with at(D(2026, 3, 3)):
        assert reminders.sweep_due_reminders().created == 0
    with at(D(2026, 3, 4)):
        assert reminders.sweep_due_reminders().delivered == 1
        assert reminders.sweep_due_reminders().created == 0  # re-run the same day: nothing new
    assert mail.outbox[0].subject == "1 safeguarding decision due"
    assert "is due today" in mail.outbox[0].body and concern.person.display_name in mail.outbox[0].body
    for day in (D(2026, 3, 5), D(2026, 3, 6), D(2026, 3, 9)):
        with at(day):
            reminders.sweep_due_reminders()
    assert [m.subject for m in mail.outbox] == ["1 safeguarding decision due", "1 safeguarding decision due, 1 overdue"]
    assert set(SafeguardingReminder.objects.values_list("kind", flat=True)) == {ReminderKind.DUE, ReminderKind.OVERDUE}
    assert RecordAccessEvent.objects.filter(user=lead.user, person=concern.person, resource="safeguarding").exists()
    assert_each_sent_once()


@pytest.mark.django_db
def test_a_decision_made_after_the_reminder_was_made_stops_it(lead):
    (concern,) = concerns(lead)
    with at(D(2026, 3, 4)):
        reminders.create_reminders(today=D(2026, 3, 4))
        decide(concern, lead)
        counts = reminders.sweep_due_reminders()
    assert counts.delivered == 1 and mail.outbox == []
    assert SafeguardingReminder.objects.get().outcome == "not needed"


@pytest.mark.django_db
def test_a_restricted_concern_is_sent_by_number_not_name(lead, hub_worker):
    (concern,) = concerns(lead)
    services.concern_restrict(concern=concern, by=lead.user, restricted=True)
    with at(D(2026, 3, 4)):
        reminders.sweep_due_reminders()
    assert concern.person.display_name not in mail.outbox[0].body
    assert f"safeguarding concern {concern.id}" in mail.outbox[0].body


@pytest.mark.django_db
def test_each_lead_of_the_hub_gets_one_email_for_all_their_concerns(lead, hub):
    second = StaffFactory(role=Role.SAFEGUARDING_LEAD, team=hub)
    concerns(lead, 3)
    with at(D(2026, 3, 4)):
        reminders.sweep_due_reminders()
    assert sorted(m.to[0] for m in mail.outbox) == sorted([lead.user.email, second.user.email])
    assert all(m.subject == "3 safeguarding decisions due" for m in mail.outbox)
    assert_each_sent_once()


@pytest.mark.django_db
def test_a_lead_without_an_email_address_is_logged_and_the_row_closed(lead, caplog):
    lead.user.email = ""
    lead.user.save()
    concerns(lead)
    with at(D(2026, 3, 4)):
        reminders.sweep_due_reminders()
    assert mail.outbox == [] and SafeguardingReminder.objects.get().outcome == "no email address"
    assert "has no email address" in caplog.text


@pytest.mark.django_db
def test_a_sender_that_died_after_claiming_leaves_nothing_lost_or_doubled(lead, hub):
    leads = [lead, *(StaffFactory(role=Role.SAFEGUARDING_LEAD, team=hub) for _ in range(2))]
    concerns(lead, 2)
    with at(D(2026, 3, 4)):
        reminders.create_reminders(today=D(2026, 3, 4))
        ids, _, _ = reminders.claim_batch(worker="died", batch_size=2)  # ...and then the sender died
        assert len(ids) == 2
        fresh = reminders.sweep_due_reminders(worker="next")
        assert (fresh.delivered, fresh.claimed_elsewhere) == (4, 2)
        later = timezone.now() + STALE_CLAIM_AFTER + dt.timedelta(minutes=1)
        stale = reminders.sweep_due_reminders(worker="next", now=later)
        assert (stale.reclaimed, stale.delivered, stale.claimed_elsewhere) == (2, 2, 0)
    assert len(keys()) == 2 * len(leads)
    assert_each_sent_once()


@pytest.mark.django_db
def test_a_crash_half_way_through_sending_a_batch_sends_nothing_twice(lead, hub):
    StaffFactory(role=Role.SAFEGUARDING_LEAD, team=hub)
    concerns(lead, 2)
    real = reminders.get_connection
    calls = {"n": 0}

    def flaky(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 2:
            raise ConnectionError("the mail server went away")
        return real(*args, **kwargs)

    with at(D(2026, 3, 4)), mock.patch.object(reminders, "get_connection", flaky):
        with pytest.raises(ConnectionError):
            reminders.sweep_due_reminders(batch_size=2)  # the first batch went; the second failed
        sent_before = len(keys())
        assert SafeguardingReminder.objects.filter(status=OutboxStatus.CLAIMED).count() == 2
        later = timezone.now() + STALE_CLAIM_AFTER + dt.timedelta(minutes=1)
        again = reminders.sweep_due_reminders(now=later)
        assert again.reclaimed == 2 and again.delivered == 2
        assert reminders.sweep_due_reminders(now=later).delivered == 0
    assert sent_before == 2 and len(keys()) == 4
    assert_each_sent_once()


@pytest.mark.django_db(transaction=True)
def test_two_sweeps_at_once_send_each_reminder_once(lead, hub):
    for _ in range(3):
        StaffFactory(role=Role.SAFEGUARDING_LEAD, team=hub)
    concerns(lead, 5)
    results = at_the_same_time(
        lambda name: reminders.sweep_due_reminders(today=D(2026, 3, 4), worker=name, batch_size=3))
    assert sum(r.created for r in results.values()) == 20
    assert sum(r.delivered for r in results.values()) == 20
    assert_each_sent_once()


@pytest.mark.django_db
def test_the_task_runs_the_sweep_and_is_on_the_beat_schedule(lead):
    from safeguarding.tasks import sweep_decision_reminders

    concerns(lead)
    with at(D(2026, 3, 4)):
        result = sweep_decision_reminders.apply().get()
    assert (result["created"], result["delivered"]) == (1, 1)
    tasks = {e["task"]: e for e in app.conf.beat_schedule.values()}
    assert tasks[SWEEP_TASK]["schedule"].hour == {7} and tasks[SWEEP_TASK]["schedule"].minute == {5}


@pytest.mark.django_db
def test_the_worktray_shows_due_and_overdue_decisions(client, lead, adult):
    with at(D(2026, 3, 2), 11):
        overdue = make_concern(adult, lead, received_at=RECEIVED - dt.timedelta(days=7))
        due = make_concern(adult, lead, received_at=RECEIVED)
    client.force_login(lead.user)
    with at(D(2026, 3, 4), 9):
        page = client.get("/safeguarding/").content.decode()
        dashboard = client.get("/safeguarding/dashboard/").content.decode()
    assert page.index(f"/safeguarding/concerns/{overdue.id}/") < page.index(f"/safeguarding/concerns/{due.id}/")
    assert "Overdue" in page and "Due today" in page
    assert 'id="overdue">1<' in dashboard
