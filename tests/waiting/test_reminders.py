"""Keep-in-touch reminders: one per entry and due date, delivered exactly once, with two sweeps at once, a
claim left by a dead worker, and a real Celery worker killed with SIGKILL half way through a sweep."""

from __future__ import annotations

import collections
import datetime as dt
import os
import threading

import pytest
from django.utils import timezone

from carecase.waiting import reminders
from carecase.waiting.models import KeepInTouchReminder, ReminderStatus, WaitingListEntry
from carecase.waiting.tasks import SWEEP_TASK
from tests.factories import PersonFactory, TeamFactory, UserFactory
from tests.infra.conftest import at_the_same_time, kill_worker_after_claim, private_redis  # noqa: F401 (fixture)

TODAY = dt.date(2025, 3, 10)


def make_entries(n, *, team, due, left_on=None, queue="assessment"):
    by = UserFactory()
    return [
        WaitingListEntry.objects.create(
            person=PersonFactory(), queue=queue, team=team, waiting_since=dt.date(2024, 6, 1), band="medium",
            suggested_band="medium", next_contact_due=due, left_on=left_on,
            exit_reason="allocated" if left_on else "", created_by=by)
        for _ in range(n)
    ]


@pytest.fixture
def deliveries(monkeypatch):
    """Every reminder id handed to delivery, from any thread."""
    seen: list[int] = []
    lock = threading.Lock()

    def record(batch):
        with lock:
            seen.extend(r.id for r in batch)

    monkeypatch.setattr(reminders, "_deliver", record)
    return seen


def assert_each_delivered_once(seen, entries):
    counts = collections.Counter(seen)
    assert all(c == 1 for c in counts.values()), {k: c for k, c in counts.items() if c > 1}
    rows = KeepInTouchReminder.objects.filter(entry__in=entries)
    assert rows.count() == len(entries)
    assert set(counts) == set(rows.values_list("id", flat=True))
    assert set(rows.values_list("status", flat=True)) == {ReminderStatus.DONE}
    assert not rows.filter(done_at__isnull=True).exists()


@pytest.mark.django_db
def test_one_reminder_per_entry_and_due_date_and_none_for_the_left_or_not_yet_due(deliveries):
    team = TeamFactory()
    due = make_entries(3, team=team, due=TODAY) + make_entries(2, team=team, due=TODAY - dt.timedelta(days=9),
                                                                queue="review")
    make_entries(2, team=team, due=TODAY + dt.timedelta(days=1), queue="occupational_therapy")
    make_entries(2, team=team, due=TODAY - dt.timedelta(days=3), left_on=dt.date(2025, 1, 2), queue="dp_setup")

    counts = reminders.sweep_due_reminders(today=TODAY, worker="test")

    assert (counts.created, counts.claimed, counts.delivered, counts.reclaimed) == (5, 5, 5, 0)
    assert_each_delivered_once(deliveries, due)
    assert KeepInTouchReminder.objects.count() == 5
    r = KeepInTouchReminder.objects.get(entry=due[-1])
    assert r.key == f"{due[-1].id}:{TODAY - dt.timedelta(days=9):%Y-%m-%d}" == KeepInTouchReminder.key_for(
        due[-1].id, r.due_on)
    assert (r.due_on, r.team, r.claimed_by) == (TODAY - dt.timedelta(days=9), team, "test")


@pytest.mark.django_db
def test_sweeping_again_creates_and_delivers_nothing_twice_but_a_new_due_date_gets_a_new_reminder(deliveries):
    team = TeamFactory()
    entries = make_entries(4, team=team, due=TODAY)
    reminders.sweep_due_reminders(today=TODAY, worker="first")
    again = reminders.sweep_due_reminders(today=TODAY, worker="second")
    assert (again.created, again.claimed, again.delivered) == (0, 0, 0)
    assert_each_delivered_once(deliveries, entries)

    # The contact was not made and the date was moved on: the new date is a new reminder, on its day.
    entries[0].next_contact_due = TODAY + dt.timedelta(days=28)
    entries[0].save(update_fields=["next_contact_due"])
    assert reminders.sweep_due_reminders(today=TODAY + dt.timedelta(days=27)).created == 0
    later = reminders.sweep_due_reminders(today=TODAY + dt.timedelta(days=28))
    assert (later.created, later.delivered) == (1, 1)
    assert KeepInTouchReminder.objects.filter(entry=entries[0]).count() == 2


@pytest.mark.django_db(transaction=True)
def test_two_sweeps_at_the_same_time_create_and_deliver_each_reminder_once(deliveries):
    team = TeamFactory()
    entries = make_entries(60, team=team, due=TODAY)
    results = at_the_same_time(lambda name: reminders.sweep_due_reminders(today=TODAY, worker=name, batch_size=4))
    assert sum(r.created for r in results.values()) == 60
    assert sum(r.delivered for r in results.values()) == 60
    assert all(r.lost_claims == 0 for r in results.values())
    assert_each_delivered_once(deliveries, entries)


@pytest.mark.django_db
def test_a_reminder_claimed_by_a_dead_worker_is_taken_up_again_once_the_claim_is_stale(deliveries):
    team = TeamFactory()
    entries = make_entries(3, team=team, due=TODAY)
    reminders.create_due_reminders(today=TODAY)
    ids, _, _ = reminders.claim_batch(worker="died", batch_size=2)  # ...and then the worker died
    assert len(ids) == 2

    fresh = reminders.sweep_due_reminders(today=TODAY, worker="next")
    assert (fresh.delivered, fresh.reclaimed, fresh.claimed_elsewhere) == (1, 0, 2)  # not yet stale: left alone

    later = timezone.now() + reminders.STALE_CLAIM_AFTER + dt.timedelta(minutes=1)
    stale = reminders.sweep_due_reminders(today=TODAY, worker="next", now=later)
    assert (stale.claimed, stale.reclaimed, stale.delivered, stale.claimed_elsewhere) == (2, 2, 2, 0)
    assert_each_delivered_once(deliveries, entries)


@pytest.mark.django_db
def test_a_slow_worker_whose_claim_was_taken_over_does_not_deliver_it_again(deliveries):
    entries = make_entries(2, team=TeamFactory(), due=TODAY)
    reminders.create_due_reminders(today=TODAY)
    ids, claimed_at, _ = reminders.claim_batch(worker="slow")
    later = timezone.now() + reminders.STALE_CLAIM_AFTER + dt.timedelta(minutes=1)
    assert reminders.sweep_due_reminders(today=TODAY, worker="other", now=later).delivered == 2

    assert reminders.deliver_batch(ids=ids, worker="slow", claimed_at=claimed_at) == 0  # it wakes up at last
    assert_each_delivered_once(deliveries, entries)


@pytest.mark.django_db
def test_the_duty_worktray_holds_delivered_contacts_until_they_are_made():
    team, other = TeamFactory(), TeamFactory()
    waiting = make_entries(3, team=team, due=TODAY)
    elsewhere = make_entries(1, team=other, due=TODAY)
    reminders.sweep_due_reminders(today=TODAY)
    assert [r.entry for r in reminders.duty_worktray(team, today=TODAY)] == waiting
    assert [r.entry for r in reminders.duty_worktray(other, today=TODAY)] == elsewhere

    waiting[0].next_contact_due = TODAY + dt.timedelta(days=28)  # the contact was made
    waiting[0].save(update_fields=["next_contact_due"])
    waiting[1].left_on, waiting[1].exit_reason, waiting[1].next_contact_due = TODAY, "allocated", None
    waiting[1].save(update_fields=["left_on", "exit_reason", "next_contact_due"])
    assert [r.entry for r in reminders.duty_worktray(team, today=TODAY)] == [waiting[2]]


def test_the_daily_sweep_is_on_the_beat_schedule():
    from carecase.celery import app

    (entry,) = [e for e in app.conf.beat_schedule.values() if e["task"] == SWEEP_TASK]
    assert entry["schedule"].hour == {6} and entry["schedule"].minute == {30}
    assert app.conf.timezone == "Europe/London"


# The real worker, killed with SIGKILL after it has claimed a batch and before it delivers it.


@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_half_way_through_a_sweep_loses_and_doubles_nothing(deliveries, private_redis,  # noqa: F811
                                                                              tmp_path):
    entries = make_entries(12, team=TeamFactory(), due=timezone.localdate() - dt.timedelta(days=1))
    kill_worker_after_claim(
        task=SWEEP_TASK, expected=len(entries), redis_url=private_redis, log_path=tmp_path / "worker.log",
        hostname=f"remind-kill-{os.getpid()}",
        claimed=lambda host: KeepInTouchReminder.objects.filter(status=ReminderStatus.CLAIMED,
                                                                 claimed_by__startswith=host))

    assert deliveries == []  # in this process; and the dead worker delivered nothing before it died:
    assert not KeepInTouchReminder.objects.filter(status=ReminderStatus.DONE).exists()
    assert KeepInTouchReminder.objects.filter(status=ReminderStatus.CLAIMED).count() == len(entries)

    # The next sweep leaves the fresh claims alone, then takes them up once they are stale; nothing is lost.
    assert reminders.sweep_due_reminders(worker="next").claimed_elsewhere == len(entries)
    later = timezone.now() + reminders.STALE_CLAIM_AFTER + dt.timedelta(minutes=1)
    counts = reminders.sweep_due_reminders(worker="next", now=later)
    assert (counts.created, counts.reclaimed, counts.delivered) == (0, len(entries), len(entries))
    assert_each_delivered_once(deliveries, entries)
