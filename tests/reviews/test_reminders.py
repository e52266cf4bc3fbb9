"""Review reminders and the team leaders' weekly overdue digest: which reminders go on which days across a
review's life, to whom, naming the person only to someone who may open their record; each exactly once with
two sweeps at once, a claim left by a dead sender, and a real Celery worker killed with SIGKILL half way."""

from __future__ import annotations

import collections
import datetime as dt
import os
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from assessments.models import SupportPlan
from carecase.audit.models import RecordAccessEvent
from carecase.celery import app
from carecase.outbox import STALE_CLAIM_AFTER, OutboxStatus
from carecase.staff.models import Role
from reviews import digest, reminders
from reviews import services as rs
from reviews.models import Review, ReviewDigest, ReviewKind, ReviewReminder, ReviewStatus
from reviews.tasks import DIGEST_TASK, SWEEP_TASK
from tests.factories import AllocationFactory, PersonFactory, StaffFactory, TeamFactory, UserFactory
from tests.infra.conftest import at_the_same_time, kill_worker_after_claim, private_redis  # noqa: F401 (fixture)

D = dt.date
LONDON = ZoneInfo("Europe/London")
NO_WORKER = object()


def at(day: dt.date, hour: int = 6, minute: int = 45):
    """Travel to that morning in London, clock stopped: the sweep and the email's wording both use it."""
    return time_machine.travel(dt.datetime.combine(day, dt.time(hour, minute), tzinfo=LONDON), tick=False)


def days(start: dt.date, end: dt.date):
    while start <= end:
        yield start
        start += dt.timedelta(days=1)


@pytest.fixture
def source_plan(active_plan):
    """A plan whose assessment the reviews made here hang from; its own first review is cancelled so it
    sends nothing."""
    Review.objects.filter(plan=active_plan).update(status=ReviewStatus.CANCELLED)
    return active_plan


def make_review(source_plan, *, team, due, worker=NO_WORKER, person=None, status=ReviewStatus.SCHEDULED):
    """An open review due on `due` for a new person allocated to `team` and `worker` (the plan's
    practitioner unless given; None: allocated to the team only)."""
    person = person or PersonFactory()
    if worker is NO_WORKER:
        worker = None
    AllocationFactory(person=person, team=team, worker=worker)
    plan = SupportPlan.objects.create(person=person, assessment=source_plan.assessment, status=source_plan.status,
                                      starts_on=source_plan.starts_on, created_by=source_plan.created_by)
    return Review.objects.create(person=person, plan=plan, kind=ReviewKind.PLANNED, status=status,
                                 window_opens_on=due - dt.timedelta(weeks=8), due_on=due, team=team,
                                 created_by=source_plan.created_by)


def leader(team, **user):
    return StaffFactory(role=Role.TEAM_LEADER, team=team, user=UserFactory(**user))


def references(messages=None) -> list[str]:
    """The reminder keys the emails carried (an email may carry several of one person's reminders)."""
    ids = [pk for m in (mail.outbox if messages is None else messages)
           for pk in reminders.ids_in(m.extra_headers["X-CareCase-Reminders"])]
    keys = dict(ReviewReminder.objects.filter(id__in=ids).values_list("id", "key"))
    return [keys[pk] for pk in ids]


def assert_each_sent_once(reviews):
    sent = collections.Counter(references())
    assert all(c == 1 for c in sent.values()), {k: c for k, c in sent.items() if c > 1}
    rows = ReviewReminder.objects.filter(review__in=reviews)
    assert rows.count() == len(reviews)
    assert set(sent) == set(rows.values_list("key", flat=True))
    assert set(rows.values_list("status", "outcome")) == {(OutboxStatus.DONE, "sent")}


# Which reminders, on which days


@pytest.mark.django_db
def test_28_days_before_on_the_due_date_then_weekly_while_overdue(active_plan, practitioner):
    review = Review.objects.get(plan=active_plan)
    assert review.due_on == D(2026, 3, 2)
    sent = {}
    for day in days(D(2026, 1, 20), D(2026, 4, 12)):
        with at(day):
            before = len(mail.outbox)
            reminders.sweep_due_reminders(worker="test")
            if subjects := [m.subject for m in mail.outbox[before:]]:
                sent[day] = " | ".join(subjects)
    assert sent == {
        D(2026, 2, 2): "Review for Mohan Patel: due in 28 days",
        D(2026, 3, 2): "Review for Mohan Patel: due today",
        D(2026, 3, 9): "Review for Mohan Patel: 7 days overdue",
        D(2026, 3, 16): "Review for Mohan Patel: 14 days overdue",
        D(2026, 3, 23): "Review for Mohan Patel: 21 days overdue",
        D(2026, 3, 30): "Review for Mohan Patel: 28 days overdue",
        D(2026, 4, 6): "Review for Mohan Patel: 35 days overdue",
    }
    assert {m.to[0] for m in mail.outbox} == {practitioner.user.email}  # not the team leader: a worker holds it
    first = mail.outbox[0]
    row = ReviewReminder.objects.get(kind="before_due")
    assert first.extra_headers["X-CareCase-Reference"] == row.key == (
        f"review:{review.id}:before_due:2026-03-02:2026-02-02:{practitioner.user.id}")
    assert (row.for_date, row.due_on, row.recipient, row.as_team_leader, row.sent_to) == (
        D(2026, 2, 2), D(2026, 3, 2), practitioner.user, False, practitioner.user.email)
    assert "is due on Monday 2 March 2026, in 28 days. It can be done from Monday 16 February 2026." in first.body
    assert f"{settings.PORTAL_URL}/reviews/{review.id}/" in first.body
    assert "allocated to you" in first.body and row.key in first.body
    html = first.alternatives[0]
    assert html[1] == "text/html" and "Mohan Patel" in html[0] and f"/reviews/{review.id}/" in html[0]
    assert list(ReviewReminder.objects.order_by("for_date").values_list("kind", flat=True)) == [
        "before_due", "due"] + ["overdue"] * 5


@pytest.mark.django_db
def test_a_missed_week_sends_one_overdue_reminder_not_a_backlog(source_plan, team, practitioner):
    review = make_review(source_plan, team=team, worker=practitioner, due=D(2026, 1, 5))
    with at(D(2026, 2, 13)):  # 39 days overdue, and no sweep has ever run
        counts = reminders.sweep_due_reminders()
    assert (counts.created_before_due, counts.created_due, counts.created_overdue, counts.delivered) == (0, 0, 1, 1)
    assert ReviewReminder.objects.get(review=review).for_date == D(2026, 2, 9)  # due + 35: the latest weekly date
    assert mail.outbox[0].subject.endswith(": 39 days overdue")
    for day in days(D(2026, 2, 14), D(2026, 2, 15)):
        with at(day):
            assert reminders.sweep_due_reminders().created == 0
    with at(D(2026, 2, 16)):
        assert reminders.sweep_due_reminders().created_overdue == 1
    assert len(mail.outbox) == 2


@pytest.mark.django_db
def test_a_due_date_brought_forward_gives_new_reminders_and_the_old_one_is_not_sent(active_plan, practitioner):
    review = Review.objects.get(plan=active_plan)
    with at(D(2026, 2, 2)):
        assert reminders.create_reminders(today=D(2026, 2, 2))["before_due"] == 1  # made, not yet sent
    with at(D(2026, 2, 3), hour=11):
        rs.review_request(plan=active_plan, by=practitioner.user, requested_by="carer",
                          reason="Her daughter says she is not managing the stairs", due_on=D(2026, 2, 13))
    sent = {}
    for day in days(D(2026, 2, 3), D(2026, 3, 10)):
        with at(day):
            before = len(mail.outbox)
            reminders.sweep_due_reminders()
            if subjects := [m.subject for m in mail.outbox[before:]]:
                sent[day] = " | ".join(subjects)
    assert sent == {
        D(2026, 2, 3): "Review for Mohan Patel: due in 10 days",
        D(2026, 2, 13): "Review for Mohan Patel: due today",
        D(2026, 2, 20): "Review for Mohan Patel: 7 days overdue",
        D(2026, 2, 27): "Review for Mohan Patel: 14 days overdue",
        D(2026, 3, 6): "Review for Mohan Patel: 21 days overdue",
    }  # and nothing for the old date of 2 March
    old = ReviewReminder.objects.get(review=review, due_on=D(2026, 3, 2))
    assert (old.status, old.outcome, old.sent_to) == (OutboxStatus.DONE, "not needed", "")
    assert ReviewReminder.objects.filter(review=review, due_on=D(2026, 2, 13)).count() == 5


@pytest.mark.django_db
def test_completing_the_review_stops_its_reminders_even_one_already_made(active_plan, practitioner):
    review = Review.objects.get(plan=active_plan)
    with at(D(2026, 3, 9)):
        reminders.sweep_due_reminders()  # 7 days overdue: sent
        assert len(mail.outbox) == 1
    with at(D(2026, 3, 16)):
        reminders.create_reminders(today=D(2026, 3, 16))  # made by one sweep...
    with at(D(2026, 3, 16), hour=10):
        rs.review_complete(review=review, by=practitioner.user, result="no_change",
                           outcomes={o.id: ("yes", "Going well") for o in active_plan.outcomes.all()})
        counts = reminders.sweep_due_reminders()  # ...and not sent by the next, after the review was done
    assert (counts.delivered, len(mail.outbox)) == (1, 1)
    assert ReviewReminder.objects.get(for_date=D(2026, 3, 16)).outcome == "not needed"
    for day in days(D(2026, 3, 17), D(2026, 5, 1)):
        with at(day):
            reminders.sweep_due_reminders()
    assert len(mail.outbox) == 1  # the next review is due on 16 March 2027: nothing until February
    nxt = Review.objects.get(plan=active_plan, status=ReviewStatus.SCHEDULED)
    with at(D(2027, 2, 16)):
        reminders.sweep_due_reminders()
    assert ReviewReminder.objects.filter(review=nxt).get().kind == "before_due" and len(mail.outbox) == 2


# To whom, and what they are told


@pytest.mark.django_db
def test_with_no_worker_allocated_each_team_leader_of_the_reviews_team_is_reminded(source_plan, team, team_leader):
    second = leader(team, first_name="Ade")
    away = leader(team)
    away.user.is_active = False
    away.user.save()
    leader(TeamFactory())  # another team's
    gone = StaffFactory(role=Role.PRACTITIONER, team=team)
    gone.user.is_active = False
    gone.user.save()
    unallocated = make_review(source_plan, team=team, due=D(2026, 3, 2), worker=None)
    left = make_review(source_plan, team=team, due=D(2026, 3, 2), worker=gone)  # their worker has left
    with at(D(2026, 3, 2)):
        counts = reminders.sweep_due_reminders()
    assert (counts.created_due, counts.delivered) == (4, 4)
    rows = ReviewReminder.objects.all()
    assert {(r.review_id, r.recipient_id) for r in rows} == {
        (review.id, user.id) for review in (unallocated, left) for user in (team_leader.user, second.user)}
    assert all(r.as_team_leader for r in rows)
    # One email each, listing both reviews.
    assert sorted(m.to[0] for m in mail.outbox) == sorted([team_leader.user.email, second.user.email])
    assert all(m.subject == "2 reviews need your attention" for m in mail.outbox)
    assert "because you lead the team and no current worker is allocated" in mail.outbox[0].body
    assert sorted(references()) == sorted(rows.values_list("key", flat=True))


@pytest.mark.django_db
def test_a_restricted_person_is_not_named_and_a_named_person_is_logged(source_plan, team, team_leader):
    hidden = PersonFactory(given_name="Zephyrine", family_name="Quillfeather", is_restricted=True)
    shown = PersonFactory(given_name="Ravi", family_name="Shown")
    make_review(source_plan, team=team, due=D(2026, 3, 2), worker=None, person=hidden)
    with at(D(2026, 3, 2)):
        reminders.sweep_due_reminders()
    (restricted,) = mail.outbox
    assert restricted.subject == f"Review for record {hidden.id}: due today"
    for text in (restricted.subject, restricted.body, restricted.alternatives[0][0]):
        assert "Zephyrine" not in text and "Quillfeather" not in text
    assert "The person is not named because you may not open their full record" in restricted.body
    # In a list with someone they may see: that one named, the restricted one by record number only.
    also_hidden = PersonFactory(given_name="Zephyrine", family_name="Quillfeather", is_restricted=True)
    make_review(source_plan, team=team, due=D(2026, 3, 9), worker=None, person=also_hidden)
    make_review(source_plan, team=team, due=D(2026, 3, 9), worker=None, person=shown)
    with at(D(2026, 3, 9)):
        reminders.sweep_due_reminders()
    listed = mail.outbox[-1]
    assert listed.subject.startswith("3 reviews need your attention")
    for text in (listed.body, listed.alternatives[0][0]):
        assert "Ravi Shown" in text and f"record {also_hidden.id}" in text and "Zephyrine" not in text
    assert not RecordAccessEvent.objects.filter(person=hidden).exists()
    (event,) = RecordAccessEvent.objects.filter(person=shown)
    assert (event.user, event.resource, event.action, event.basis) == (team_leader.user, "review reminder email",
                                                                       "view", "team")


@pytest.mark.django_db
def test_a_recipient_without_an_email_address_is_logged_and_the_reminder_closed(source_plan, team, caplog):
    worker = StaffFactory(role=Role.PRACTITIONER, team=team, user=UserFactory(email=""))
    review = make_review(source_plan, team=team, due=D(2026, 3, 30), worker=worker)
    with at(D(2026, 3, 2)):
        assert reminders.sweep_due_reminders().delivered == 1
    assert mail.outbox == []
    row = ReviewReminder.objects.get(review=review)
    assert (row.status, row.outcome) == (OutboxStatus.DONE, "no email address")
    assert "has no email address: review reminder" in caplog.text


@pytest.mark.django_db
def test_sending_takes_the_same_queries_for_3_reminders_or_30(source_plan, team, practitioner):
    def sweep_queries(n, day):
        for _ in range(n):
            make_review(source_plan, team=team, due=day, worker=practitioner)
        with at(day), CaptureQueriesContext(connection) as queries:
            counts = reminders.sweep_due_reminders()
        assert counts.delivered == n
        return len(queries)

    assert sweep_queries(3, D(2026, 3, 2)) == sweep_queries(30, D(2026, 3, 3))
    # One email a day to the worker, listing their reviews, not one per review.
    assert len(mail.outbox) == 2 and mail.outbox[1].subject == "30 reviews need your attention"
    assert len(references()) == 33


@pytest.mark.django_db
def test_the_batched_access_check_agrees_with_the_access_policy(team, other_team, practitioner, team_leader,
                                                                other_practitioner, senior_manager, administrator):
    from carecase.audit.access import access_levels
    from carecase.audit.models import AccessReason, RestrictedAccessGrant
    from carecase.waiting.models import WaitingListEntry

    allocated, elsewhere, unallocated = PersonFactory(), PersonFactory(), PersonFactory()
    restricted, granted, waiting = (PersonFactory(is_restricted=True), PersonFactory(is_restricted=True),
                                    PersonFactory())
    AllocationFactory(person=allocated, team=team, worker=practitioner)
    AllocationFactory(person=elsewhere, team=other_team, worker=other_practitioner)
    AllocationFactory(person=restricted, team=team, worker=None)
    AllocationFactory(person=granted, team=team, worker=practitioner)
    RestrictedAccessGrant.objects.create(person=granted, user=practitioner.user, granted_by=team_leader.user,
                                         reason="Allocated worker")
    AccessReason.objects.create(user=other_practitioner.user, person=allocated, reason="Duty cover",
                                expires_at=timezone.now() + dt.timedelta(hours=8))
    AccessReason.objects.create(user=practitioner.user, person=elsewhere, reason="Long ago",
                                expires_at=timezone.now() - dt.timedelta(hours=1))
    WaitingListEntry.objects.create(person=waiting, queue="assessment", team=team, waiting_since=D(2026, 6, 1),
                                    band="medium", suggested_band="medium", created_by=team_leader.user)
    left = StaffFactory(role=Role.PRACTITIONER, team=team)
    left.user.is_active = False
    left.user.save()
    users = [s.user for s in (practitioner, team_leader, other_practitioner, senior_manager, administrator, left)]
    users.append(UserFactory())  # no staff role at all
    people = [allocated, elsewhere, unallocated, restricted, granted, waiting]

    expected = {(user.id, pid): access.basis for user in users
                for pid, access in access_levels(user, people).items() if access.is_full}
    assert reminders.full_access({(user, person) for user in users for person in people}) == expected
    assert {basis for basis in expected.values()} == {"team", "grant", "reason", "senior", "waiting"}


# One email per member of staff, whatever the volume


def test_reminder_ids_are_written_as_ranges_and_read_back():
    assert reminders.id_ranges([9, 3, 4, 5, 7, 12, 13]) == "3-5,7,9,12-13"
    assert reminders.ids_in("3-5,7,9,12-13") == [3, 4, 5, 7, 9, 12, 13]
    assert reminders.id_ranges([]) == "" and reminders.ids_in("") == []


@pytest.mark.django_db
def test_a_claim_takes_all_of_a_recipients_reminders_so_they_get_one_email(source_plan, team, practitioner):
    other = StaffFactory(role=Role.PRACTITIONER, team=team)
    for i in range(7):
        make_review(source_plan, team=team, due=D(2026, 3, 2), worker=practitioner if i % 2 else other)
    with at(D(2026, 3, 2)):
        reminders.create_reminders(today=D(2026, 3, 2))
        first, _, _ = reminders.claim_batch(worker="a", batch_size=1)
        recipient = ReviewReminder.objects.get(id=first[0]).recipient_id
        assert set(ReviewReminder.objects.filter(id__in=first).values_list("recipient_id", flat=True)) == {recipient}
        assert len(first) == ReviewReminder.objects.filter(recipient_id=recipient).count() in (3, 4)
        counts = reminders.sweep_due_reminders(worker="b", batch_size=1)
        assert counts.delivered == 7 - len(first)
    assert len(mail.outbox) == 1  # the other worker's four or three, in one email


@pytest.mark.django_db
def test_a_long_list_names_the_20_most_urgent_and_counts_the_rest(source_plan, team, practitioner):
    names = iter(f"Zephyrine Quill{a}{b}" for a in "ABCDEF" for b in "ghijk")  # no random name can share these

    def review(due):
        given, family = next(names).split()
        return make_review(source_plan, team=team, due=due, worker=practitioner,
                           person=PersonFactory(given_name=given, family_name=family))

    overdue = [review(D(2026, 2, 2) + dt.timedelta(days=i)) for i in range(22)]  # each over a week overdue on 3 March
    due_today = [review(D(2026, 3, 3)) for _ in range(2)]
    coming_up = [review(D(2026, 3, 31)) for _ in range(3)]
    with at(D(2026, 3, 3)):
        counts = reminders.sweep_due_reminders(batch_size=5)
    assert counts.delivered == 27 and len(mail.outbox) == 1
    (message,) = mail.outbox
    assert message.subject == "27 reviews need your attention, 22 overdue"
    assert len(references()) == 27
    listed = [r.person.display_name for r in overdue[:20]]
    assert all(name in message.body for name in listed)
    assert not any(r.person.display_name in message.body for r in overdue[20:] + due_today + coming_up)
    assert "And 7 more: 2 overdue, 2 due today, 3 due in the next 28 days." in message.body
    assert "http://testserver/" in message.body or "/\n" in message.body
    html = message.alternatives[0][0]
    assert "Your worktray lists them all" in html and "20 most urgent" in html
    # Only the 20 people named are written to the access log, and each row is closed as sent.
    logged = RecordAccessEvent.objects.filter(resource="review reminder email")
    assert sorted(logged.values_list("person_id", flat=True)) == sorted(r.person_id for r in overdue[:20])
    assert set(ReviewReminder.objects.values_list("status", "outcome")) == {(OutboxStatus.DONE, "sent")}


# Exactly once


@pytest.mark.django_db(transaction=True)
def test_two_sweeps_at_the_same_time_make_and_send_each_reminder_once(source_plan, team):
    workers = [StaffFactory(role=Role.PRACTITIONER, team=team) for _ in range(4)]
    reviews = [make_review(source_plan, team=team, due=D(2026, 3, 2), worker=workers[i % 4]) for i in range(40)]
    results = at_the_same_time(
        lambda name: reminders.sweep_due_reminders(today=D(2026, 3, 2), worker=name, batch_size=4))
    assert sum(r.created for r in results.values()) == 40
    assert sum(r.delivered for r in results.values()) == 40
    assert all(r.lost_claims == 0 for r in results.values())
    assert_each_sent_once(reviews)


@pytest.mark.django_db
def test_a_reminder_claimed_by_a_sender_that_died_is_sent_once_the_claim_is_stale(source_plan, team, practitioner):
    # Three workers: a claim takes all of one recipient's reminders together, so a batch of 2 takes two workers'.
    workers = [practitioner, *(StaffFactory(role=Role.PRACTITIONER, team=team) for _ in range(2))]
    reviews = [make_review(source_plan, team=team, due=D(2026, 3, 2), worker=w) for w in workers]
    with at(D(2026, 3, 2)):
        reminders.create_reminders(today=D(2026, 3, 2))
        ids, _, _ = reminders.claim_batch(worker="died", batch_size=2)  # ...and then the sender died
        assert len(ids) == 2
        fresh = reminders.sweep_due_reminders(worker="next")
        assert (fresh.delivered, fresh.reclaimed, fresh.claimed_elsewhere) == (1, 0, 2)  # not yet stale
        later = timezone.now() + STALE_CLAIM_AFTER + dt.timedelta(minutes=1)
        stale = reminders.sweep_due_reminders(worker="next", now=later)
        assert (stale.claimed, stale.reclaimed, stale.delivered, stale.claimed_elsewhere) == (2, 2, 2, 0)
    assert_each_sent_once(reviews)


@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_half_way_through_a_sweep_loses_and_doubles_nothing(source_plan, team, practitioner,
                                                                              private_redis, tmp_path):  # noqa: F811
    reviews = [make_review(source_plan, team=team, due=timezone.localdate() - dt.timedelta(days=1),
                           worker=practitioner) for _ in range(12)]
    kill_worker_after_claim(
        task=SWEEP_TASK, expected=len(reviews), redis_url=private_redis, log_path=tmp_path / "worker.log",
        hostname=f"review-kill-{os.getpid()}",
        claimed=lambda host: ReviewReminder.objects.filter(status=OutboxStatus.CLAIMED, claimed_by__startswith=host))

    assert not ReviewReminder.objects.filter(status=OutboxStatus.DONE).exists()  # the dead worker sent nothing
    assert ReviewReminder.objects.filter(status=OutboxStatus.CLAIMED).count() == len(reviews)

    # A second worker leaves the fresh claims alone, then takes them up once stale; each is sent once.
    first = reminders.sweep_due_reminders(worker="second")
    assert (first.created, first.delivered, first.claimed_elsewhere) == (0, 0, len(reviews))
    later = timezone.now() + STALE_CLAIM_AFTER + dt.timedelta(minutes=1)
    counts = reminders.sweep_due_reminders(worker="second", now=later)
    assert (counts.created, counts.reclaimed, counts.delivered) == (0, len(reviews), len(reviews))
    assert reminders.sweep_due_reminders(worker="third", now=later).delivered == 0
    assert_each_sent_once(reviews)


# The team leaders' weekly overdue digest

MONDAY = D(2026, 11, 23)


@pytest.mark.django_db
def test_the_weekly_digest_lists_the_teams_overdue_reviews_by_worker(source_plan, team, practitioner, team_leader):
    other_worker = StaffFactory(role=Role.PRACTITIONER, team=team, user=UserFactory(first_name="Zoe",
                                                                                    last_name="Young"))
    oldest = make_review(source_plan, team=team, due=MONDAY - dt.timedelta(days=40), worker=practitioner)
    make_review(source_plan, team=team, due=MONDAY - dt.timedelta(days=3), worker=practitioner)
    unallocated = make_review(source_plan, team=team, due=MONDAY - dt.timedelta(days=10), worker=None)
    make_review(source_plan, team=team, due=MONDAY - dt.timedelta(days=1), worker=other_worker)
    make_review(source_plan, team=team, due=MONDAY, worker=practitioner)  # due today: not overdue
    make_review(source_plan, team=team, due=MONDAY - dt.timedelta(days=90), worker=practitioner,
                status=ReviewStatus.CANCELLED)
    make_review(source_plan, team=TeamFactory(), due=MONDAY - dt.timedelta(days=90))  # another team's

    counts = digest.send_due_digests(today=MONDAY, worker="test")
    assert counts.delivered == 1
    (message,) = mail.outbox
    row = ReviewDigest.objects.get()
    assert row.key == f"review-digest:{team.id}:{team_leader.user.id}:2026-11-23"
    assert message.extra_headers["X-CareCase-Reference"] == row.key and message.to == [team_leader.user.email]
    assert message.subject == f"Overdue reviews for {team.name}: week of Monday 23 November 2026"
    assert f"{team.name} has 4 overdue reviews on Monday 23 November 2026." in message.body
    assert f"- {practitioner.full_name}: 2 overdue, the longest by 40 days" in message.body
    assert "- Zoe Young: 1 overdue, the longest by 1 day" in message.body
    assert "- Not allocated to a worker: 1 overdue, the longest by 10 days" in message.body
    assert message.body.index(oldest.person.display_name) < message.body.index(unallocated.person.display_name)
    assert f"due 14 Oct 2026, 40 days overdue, {practitioner.full_name}" in message.body
    assert f"/reviews/{oldest.id}/" in message.body and message.alternatives[0][1] == "text/html"
    assert row.counts == {"overdue": 4, "by_worker": {str(practitioner.id): 2, str(other_worker.id): 1, "none": 1}}
    assert row.review_ids[0] == oldest.id and len(row.review_ids) == 4
    assert (row.status, row.sent_to, row.week_of, row.for_date) == (OutboxStatus.DONE, team_leader.user.email,
                                                                     MONDAY, MONDAY)
    logged = set(RecordAccessEvent.objects.filter(user=team_leader.user, resource="overdue reviews digest email")
                 .values_list("person_id", flat=True))
    assert len(logged) == 4 and oldest.person_id in logged


@pytest.mark.django_db
def test_the_weekly_digest_does_not_name_a_restricted_person(source_plan, team, team_leader):
    hidden = PersonFactory(given_name="Zephyrine", family_name="Quillfeather", is_restricted=True)
    make_review(source_plan, team=team, due=MONDAY - dt.timedelta(days=8), worker=None, person=hidden)
    digest.send_due_digests(today=MONDAY)
    (message,) = mail.outbox
    assert "Hidden" not in message.body and "Hidden" not in message.alternatives[0][0]
    assert f"Record {hidden.id} (restricted)" in message.body
    assert not RecordAccessEvent.objects.filter(person=hidden).exists()


@pytest.mark.django_db
def test_one_digest_per_leader_team_and_week_and_not_on_a_bank_holiday_monday(source_plan, team, team_leader):
    make_review(source_plan, team=team, due=D(2026, 1, 5), worker=None)
    for day in days(MONDAY - dt.timedelta(days=2), MONDAY + dt.timedelta(days=6)):  # Saturday to Sunday
        digest.send_due_digests(today=day)
    assert len(mail.outbox) == 1 and ReviewDigest.objects.get().for_date == MONDAY

    # Early May bank holiday, Monday 4 May 2026: nothing that day; it goes on Tuesday, once.
    for day in days(D(2026, 5, 2), D(2026, 5, 8)):
        digest.send_due_digests(today=day)
    may = ReviewDigest.objects.get(week_of=D(2026, 5, 4))
    assert (may.for_date, may.key) == (D(2026, 5, 5), f"review-digest:{team.id}:{team_leader.user.id}:2026-05-04")
    assert len(mail.outbox) == 2 and "week of Monday 4 May 2026" in mail.outbox[1].subject
    digest.send_due_digests(today=MONDAY + dt.timedelta(days=7))
    assert len(mail.outbox) == 3


@pytest.mark.django_db
def test_nothing_overdue_sends_no_digest(source_plan, team, team_leader):
    make_review(source_plan, team=team, due=MONDAY + dt.timedelta(days=3), worker=None)
    counts = digest.send_due_digests(today=MONDAY)
    assert counts.delivered == 1 and mail.outbox == []
    assert ReviewDigest.objects.get().counts == {"overdue": 0, "by_worker": {}}


@pytest.mark.django_db
def test_the_tasks_run_the_sweep_and_the_digest(source_plan, team, practitioner, team_leader):
    from reviews.tasks import send_overdue_review_digests, sweep_review_reminders

    make_review(source_plan, team=team, worker=practitioner, due=MONDAY - dt.timedelta(days=1))
    with at(MONDAY):
        swept = sweep_review_reminders.apply().get()
        sent = send_overdue_review_digests.apply().get()
    assert (swept["created_due"], swept["delivered"], sent["delivered"]) == (1, 1, 1)
    assert sorted(m.to[0] for m in mail.outbox) == sorted([practitioner.user.email, team_leader.user.email])


def test_the_sweep_and_the_digest_check_are_on_the_beat_schedule():
    tasks = {e["task"]: e for e in app.conf.beat_schedule.values()}
    assert tasks[SWEEP_TASK]["schedule"].hour == {6} and tasks[SWEEP_TASK]["schedule"].minute == {45}
    assert tasks[DIGEST_TASK]["schedule"].hour == {7} and tasks[DIGEST_TASK]["schedule"].minute == {15}
    assert tasks[DIGEST_TASK]["schedule"].day_of_week == set(range(7))  # daily: it decides which day sends
