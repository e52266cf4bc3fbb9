"""Self-review invitations 6 weeks before the due date, exactly once: emailed when there is an address, else
on the team's letters-to-print list, where printing makes the code."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
import time_machine
from django.core import mail
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from carecase.outbox import STALE_CLAIM_AFTER, claim_batch
from portal import invites
from portal.models import Invitation, InvitationDue
from reviews.models import Review
from tests.reviews.conftest import make_active_plan

pytestmark = pytest.mark.django_db
DUE = dt.date(2026, 3, 2)  # the first review of a plan starting 5 January 2026


def self_review_route(plan, email="mohan@example.org"):
    review = Review.objects.get(plan=plan)
    review.route = "self_review"
    review.save(update_fields=["route"])
    plan.person.email = email
    plan.person.save()
    return review


def test_invited_6_weeks_before_and_once(active_plan, django_capture_on_commit_callbacks):
    review = self_review_route(active_plan)
    with django_capture_on_commit_callbacks(execute=True):
        assert invites.sweep(today=DUE - dt.timedelta(weeks=6, days=1)).delivered == 0
        first = invites.sweep(today=DUE - dt.timedelta(weeks=6))
        again = invites.sweep(today=DUE - dt.timedelta(weeks=5))
    assert (first.delivered, again.delivered) == (1, 0)
    (message,) = mail.outbox
    assert message.to == ["mohan@example.org"] and "Review your care and support online" == message.subject
    row = InvitationDue.objects.get()
    assert row.key == f"self-review-invite:{review.id}:2026-03-02" and row.invitation is not None


def test_worker_route_reviews_are_not_invited(active_plan):
    Review.objects.filter(plan=active_plan).update(route="worker")
    assert invites.sweep(today=DUE - dt.timedelta(weeks=1)).claimed == 0


@time_machine.travel(dt.datetime(2026, 1, 20, 9, tzinfo=dt.UTC), tick=False)
def test_without_an_email_the_letter_waits_to_be_printed_and_prints_once(client, active_plan, practitioner):
    self_review_route(active_plan, email="")
    active_plan.person.address_line_1, active_plan.person.postcode = "12 Narborough Road", "LE3 0BQ"
    active_plan.person.save()
    invites.sweep(today=DUE - dt.timedelta(weeks=6))
    assert mail.outbox == [] and not Invitation.objects.exists()  # no code exists until printing
    client.force_login(practitioner.user)
    page = client.get(reverse("portal-letters")).content.decode()
    assert "1 letter waiting" in page and "Mohan Patel" in page
    response = client.post(reverse("portal-letters"))
    assert response["Content-Type"] == "application/pdf" and response.content.startswith(b"%PDF")
    assert Invitation.objects.get().channel == "letter"
    assert "There are no letters to print" in client.get(reverse("portal-letters")).content.decode()


@pytest.mark.django_db(transaction=True)
def test_two_sweeps_at_once_invite_once(person, practitioner, team_leader, django_capture_on_commit_callbacks):
    plan = make_active_plan(person, practitioner, team_leader)
    self_review_route(plan)
    start, errors = threading.Barrier(2), []

    def sweep(name):
        try:
            start.wait(timeout=10)
            invites.sweep(today=DUE - dt.timedelta(weeks=6), worker=name)
        except Exception as exc:  # pragma: no cover
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=sweep, args=(f"beat-{i}",)) for i in (1, 2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert not errors and Invitation.objects.count() == 1 and InvitationDue.objects.count() == 1


def test_a_claim_left_by_a_dead_worker_is_sent_later_once(active_plan):
    self_review_route(active_plan)
    invites.create_due(today=DUE - dt.timedelta(weeks=6))
    claim_batch(InvitationDue, worker="died")
    assert invites.sweep(today=DUE - dt.timedelta(weeks=6)).delivered == 0
    later = timezone.now() + STALE_CLAIM_AFTER + dt.timedelta(minutes=1)
    assert invites.sweep(today=DUE - dt.timedelta(weeks=6), now=later).delivered == 1
    assert Invitation.objects.count() == 1


def test_the_invitation_sweep_is_on_the_beat_schedule():
    from carecase.celery import app
    from portal.tasks import INVITES_TASK

    (entry,) = [e for e in app.conf.beat_schedule.values() if e["task"] == INVITES_TASK]
    assert entry["schedule"].hour == {7} and entry["schedule"].minute == {30}
