"""The team leaders' daily waiting-list digest: what it lists, to whom, and exactly once per leader, team and
working day, with two senders at once and a sender that died after claiming."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from carecase.audit.models import RecordAccessEvent
from carecase.celery import app
from carecase.outbox import STALE_CLAIM_AFTER, OutboxStatus, claim_batch
from carecase.staff.models import Role
from carecase.waiting import digest
from carecase.waiting.models import PriorityChange, TeamLeaderDigest, WaitingListEntry
from carecase.waiting.tasks import DIGEST_TASK, SNAPSHOT_TASK
from tests.factories import PersonFactory, StaffFactory, TeamFactory, UserFactory
from tests.infra.conftest import at_the_same_time

MONDAY = dt.date(2026, 11, 23)


def leader(team, email="lead@example.gov.uk"):
    return StaffFactory(role=Role.TEAM_LEADER, team=team, user=UserFactory(email=email, first_name="Priya"))


def entry(team, *, band="medium", since=dt.date(2026, 10, 1), due=None, person=None, queue="assessment"):
    by = UserFactory()
    e = WaitingListEntry.objects.create(person=person or PersonFactory(), queue=queue, team=team, waiting_since=since,
                                        band=band, suggested_band=band, next_contact_due=due, created_by=by)
    PriorityChange.objects.create(entry=e, from_band="", to_band=band, suggested_band=band, reason="triage", by=by)
    return e


@pytest.fixture
def team(db):
    return TeamFactory(name="Older Adults: City East", waiting_target_days=28)


@pytest.mark.usefixtures("db")
def test_the_digest_lists_overdue_contacts_urgent_entries_not_allocated_and_waits_beyond_target(team):
    lead = leader(team)
    overdue = entry(team, band="high", since=MONDAY - dt.timedelta(days=10), due=MONDAY - dt.timedelta(days=7))
    on_time = entry(team, band="high", since=MONDAY - dt.timedelta(days=10), due=MONDAY - dt.timedelta(days=1))
    long_wait = entry(team, band="low", since=MONDAY - dt.timedelta(days=29), due=MONDAY + dt.timedelta(days=20))
    at_target = entry(team, band="low", since=MONDAY - dt.timedelta(days=28), due=MONDAY + dt.timedelta(days=20))
    # Became urgent on Wednesday 18th: 2 working days is Friday 20th, so late on Monday 23rd. Friday's has
    # until Tuesday.
    with time_machine.travel(dt.datetime(2026, 11, 18, 10, tzinfo=dt.UTC)):
        recent_urgent = entry(team, band="urgent", since=dt.date(2026, 11, 18), due=MONDAY + dt.timedelta(days=2))
    with time_machine.travel(dt.datetime(2026, 11, 20, 10, tzinfo=dt.UTC)):
        friday_urgent = entry(team, band="urgent", since=dt.date(2026, 11, 20), due=MONDAY + dt.timedelta(days=2))
    entry(TeamFactory(), band="urgent", since=dt.date(2026, 1, 5), due=dt.date(2026, 2, 1))  # another team's

    content = digest.content_for(team, today=MONDAY)
    assert [e.id for e in content.overdue.entries] == [overdue.id]
    assert on_time.id not in content.entry_ids
    assert {e.id for e in content.urgent.entries} == {recent_urgent.id}  # Friday's has until Tuesday
    assert friday_urgent.id not in [e.id for e in content.urgent.entries]
    assert long_wait.id in [e.id for e in content.beyond_target.entries]
    assert at_target.id not in [e.id for e in content.beyond_target.entries]
    assert content.beyond_target.title == "Waiting longer than the team's target of 28 days"

    with time_machine.travel(dt.datetime(2026, 11, 23, 7, tzinfo=dt.UTC)):
        counts = digest.send_due_digests(worker="test")
    assert counts.delivered == 1
    (message,) = mail.outbox
    assert message.to == [lead.user.email]
    assert message.subject == "Waiting list for Older Adults: City East: Monday 23 November 2026"
    row = TeamLeaderDigest.objects.get()
    assert message.extra_headers["X-CareCase-Reference"] == row.key
    assert row.key == f"waiting-digest:{team.id}:{lead.user.id}:2026-11-23"
    assert overdue.person.display_name in message.body and f"/waiting/{overdue.id}/" in message.body
    assert "Keep-in-touch contacts overdue: 1" in message.body
    assert message.alternatives[0][1] == "text/html"
    assert row.counts == {"overdue_keep_in_touch": 1, "urgent_not_allocated": 1, "beyond_target": 1}
    assert row.status == OutboxStatus.DONE and row.sent_to == lead.user.email
    # Each person named was a read of their record by the team leader who received it.
    named = set(RecordAccessEvent.objects.filter(user=lead.user, resource="waiting-list digest email")
                .values_list("person_id", flat=True))
    assert named == {overdue.person_id, recent_urgent.person_id, long_wait.person_id}


def test_a_restricted_person_is_not_named(team):
    leader(team)
    hidden = PersonFactory(is_restricted=True)
    entry(team, band="high", due=MONDAY - dt.timedelta(days=10), person=hidden)
    digest.send_due_digests(today=MONDAY)
    (message,) = mail.outbox
    assert hidden.display_name not in message.body and hidden.display_name not in message.alternatives[0][0]
    assert f"Record {hidden.id} (restricted)" in message.body
    assert not RecordAccessEvent.objects.filter(person=hidden).exists()


def test_nothing_to_report_sends_nothing_and_no_email_address_is_logged(team, caplog):
    leader(team)
    other = TeamFactory()
    leader(other, email="")
    entry(other, band="high", due=MONDAY - dt.timedelta(days=10))
    digest.send_due_digests(today=MONDAY)
    assert mail.outbox == []
    assert TeamLeaderDigest.objects.filter(status=OutboxStatus.DONE).count() == 2
    assert "has no email address" in caplog.text


def test_no_digest_on_a_weekend_or_bank_holiday_and_one_per_day(team):
    leader(team)
    entry(team, band="high", due=MONDAY - dt.timedelta(days=10))
    for day in (dt.date(2026, 11, 21), dt.date(2026, 11, 22), dt.date(2026, 12, 25), dt.date(2026, 12, 28)):
        digest.send_due_digests(today=day)
    assert TeamLeaderDigest.objects.count() == 0
    digest.send_due_digests(today=MONDAY)
    digest.send_due_digests(today=MONDAY)
    assert len(mail.outbox) == 1 and TeamLeaderDigest.objects.count() == 1


def test_only_active_team_leaders_with_a_team_get_one(team):
    leader(team)
    StaffFactory(role=Role.PRACTITIONER, team=team)
    StaffFactory(role=Role.TEAM_LEADER, team=None)
    gone = leader(team, email="gone@example.gov.uk")
    gone.user.is_active = False
    gone.user.save()
    assert digest.create_digests(today=MONDAY) == 1


@pytest.mark.django_db(transaction=True)
def test_two_senders_at_once_send_each_digest_once():
    teams = [TeamFactory() for _ in range(6)]
    for i, t in enumerate(teams):
        leader(t, email=f"lead{i}@example.gov.uk")
        entry(t, band="high", due=MONDAY - dt.timedelta(days=10))
    at_the_same_time(lambda name: digest.send_due_digests(today=MONDAY, worker=name))
    assert sorted(m.to[0] for m in mail.outbox) == sorted(f"lead{i}@example.gov.uk" for i in range(6))
    assert TeamLeaderDigest.objects.filter(status=OutboxStatus.DONE).count() == 6


def test_a_digest_claimed_by_a_sender_that_died_is_sent_once_its_claim_is_stale(team):
    leader(team)
    entry(team, band="high", due=MONDAY - dt.timedelta(days=10))
    digest.create_digests(today=MONDAY)
    ids, _, _ = claim_batch(TeamLeaderDigest, worker="died")  # ...and then the worker died
    assert len(ids) == 1
    fresh = digest.send_due_digests(today=MONDAY, worker="next")
    assert (fresh.delivered, fresh.claimed_elsewhere, len(mail.outbox)) == (0, 1, 0)
    later = timezone.now() + STALE_CLAIM_AFTER + dt.timedelta(minutes=1)
    stale = digest.send_due_digests(today=MONDAY, worker="next", now=later)
    assert (stale.reclaimed, stale.delivered, len(mail.outbox)) == (1, 1, 1)


def test_the_digest_and_the_snapshot_are_on_the_beat_schedule():
    tasks = {e["task"]: e for e in app.conf.beat_schedule.values()}
    assert tasks[DIGEST_TASK]["schedule"].hour == {7}
    assert tasks[SNAPSHOT_TASK]["schedule"].hour == {23}
