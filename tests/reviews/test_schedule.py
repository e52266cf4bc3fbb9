"""Review scheduling: first review 8 weeks after the plan starts, the next within 12 months of each
completed review, unplanned requests bringing the open review forward; due, due soon and overdue in one
function and its queryset twin, which agree on generated data."""

from __future__ import annotations

import datetime as dt
import random

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from reviews import schedule
from reviews import services as rs
from reviews.models import Review, ReviewKind, ReviewStatus
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
D = dt.date


def test_approving_a_plan_schedules_its_first_review_8_weeks_after_it_starts(active_plan, practitioner):
    (review,) = Review.objects.filter(plan=active_plan)
    assert (review.kind, review.status, review.window_opens_on, review.due_on) == (
        ReviewKind.FIRST, ReviewStatus.SCHEDULED, D(2026, 2, 16), D(2026, 3, 2))
    assert active_plan.review_due_on == D(2026, 3, 2) and review.team == practitioner.team
    assert rs.review_schedule_first(plan=active_plan, by=practitioner.user) == review  # once


@pytest.mark.parametrize(("starts", "opens", "due"), [
    (D(2026, 1, 5), D(2026, 2, 16), D(2026, 3, 2)),
    (D(2026, 12, 28), D(2027, 2, 8), D(2027, 2, 22)),
    (D(2028, 1, 3), D(2028, 2, 14), D(2028, 2, 28)),  # leap year
])
def test_first_review_dates(starts, opens, due):
    assert schedule.first_review_dates(starts) == (opens, due)


@pytest.mark.parametrize(("completed", "chosen", "expected"), [
    (D(2026, 3, 1), None, (D(2027, 1, 4), D(2027, 3, 1))),
    (D(2024, 2, 29), None, (D(2025, 1, 3), D(2025, 2, 28))),  # 12 months from 29 February
    (D(2026, 3, 1), D(2026, 9, 1), (D(2026, 7, 7), D(2026, 9, 1))),
    (D(2026, 3, 1), D(2026, 3, 20), (D(2026, 3, 2), D(2026, 3, 20))),  # the window never opens before tomorrow
])
def test_next_review_dates(completed, chosen, expected):
    assert schedule.next_review_dates(completed, chosen) == expected


def test_next_review_cannot_be_later_than_12_months_or_not_after_today():
    with pytest.raises(ValueError, match="due by 1 March 2027, within 12 months"):
        schedule.next_review_dates(D(2026, 3, 1), D(2027, 3, 2))
    with pytest.raises(ValueError, match="after the day"):
        schedule.next_review_dates(D(2026, 3, 1), D(2026, 3, 1))


@time_machine.travel(dt.datetime(2026, 2, 20, 10, tzinfo=dt.UTC), tick=False)
def test_completing_schedules_the_next_review_and_keeps_the_record(active_plan, practitioner):
    review = Review.objects.get(plan=active_plan)
    outcomes = {o.id: ("yes", "Going well") for o in active_plan.outcomes.all()}
    rs.review_complete(review=review, by=practitioner.user, outcomes=outcomes, result="no_change",
                       what_works="Morning calls", carer_able_willing="yes")
    review.refresh_from_db()
    assert (review.status, review.completed_on, review.cld_outcome) == (
        ReviewStatus.COMPLETED, D(2026, 2, 20), "No change in package")
    assert review.next_review_due_on == D(2027, 2, 20)
    nxt = Review.objects.get(plan=active_plan, status=ReviewStatus.SCHEDULED)
    assert (nxt.kind, nxt.window_opens_on, nxt.due_on) == (ReviewKind.PLANNED, D(2026, 12, 26), D(2027, 2, 20))
    active_plan.refresh_from_db()
    assert active_plan.review_due_on == D(2027, 2, 20)
    assert review.outcomes.count() == active_plan.outcomes.count()


@time_machine.travel(dt.datetime(2026, 2, 20, 10, tzinfo=dt.UTC), tick=False)
def test_completing_checks_every_outcome_and_the_next_date(active_plan, practitioner):
    review = Review.objects.get(plan=active_plan)
    with pytest.raises(ValidationError) as err:
        rs.review_complete(review=review, by=practitioner.user, outcomes={}, result="maybe",
                           next_review_due_on=D(2028, 1, 1))
    assert "Say whether each outcome is still being met" in str(err.value)
    assert "Choose the result of the review" in str(err.value)
    outcomes = {o.id: ("no", "") for o in active_plan.outcomes.all()}
    with pytest.raises(ValidationError, match="within 12 months"):
        rs.review_complete(review=review, by=practitioner.user, outcomes=outcomes, result="plan_changed",
                           next_review_due_on=D(2028, 1, 1))
    assert Review.objects.get(pk=review.pk).status == ReviewStatus.SCHEDULED  # nothing half-saved
    rs.review_complete(review=review, by=practitioner.user, outcomes=outcomes, result="support_ends")
    assert not Review.objects.filter(plan=active_plan, status=ReviewStatus.SCHEDULED).exists()


@time_machine.travel(dt.datetime(2026, 1, 20, 10, tzinfo=dt.UTC), tick=False)
def test_an_unplanned_request_brings_the_open_review_forward(active_plan, practitioner):
    review = rs.review_request(plan=active_plan, by=practitioner.user, requested_by="hospital",
                               reason="Home from the Royal Infirmary after a fall")
    assert Review.objects.filter(plan=active_plan).count() == 1
    # 10 working days from Tuesday 20 January 2026
    assert (review.kind, review.window_opens_on, review.due_on) == (ReviewKind.POST_DISCHARGE, D(2026, 1, 20),
                                                                    D(2026, 2, 3))
    with pytest.raises(ValidationError, match="Say why"):
        rs.review_request(plan=active_plan, by=practitioner.user, requested_by="person", reason=" ")


def test_one_open_review_per_plan_in_the_database(active_plan, practitioner):
    with pytest.raises(IntegrityError), transaction.atomic():
        Review.objects.create(person=active_plan.person, plan=active_plan, kind="planned",
                              window_opens_on=D(2026, 5, 1), due_on=D(2026, 6, 1), created_by=practitioner.user)


def test_state_and_its_queryset_twin_agree_on_generated_data(active_plan):
    rng = random.Random(7)
    by = UserFactory()
    Review.objects.all().delete()
    today = D(2026, 6, 15)
    from assessments.models import SupportPlan

    copies = SupportPlan.objects.bulk_create([
        SupportPlan(person=active_plan.person, assessment=active_plan.assessment, status="active",
                    starts_on=active_plan.starts_on, created_by=by) for _ in range(300)])
    plans = []
    for copy in copies:
        due = today + dt.timedelta(days=rng.randint(-400, 200))
        opens = due - dt.timedelta(days=rng.choice([0, 1, 14, 29, 30, 31, 56]))
        status = rng.choice([*["scheduled"] * 6, "in_progress", "awaiting_triage", "completed", "cancelled"])
        plans.append(Review(person=active_plan.person, plan=copy, kind="planned", status=status,
                            window_opens_on=opens, due_on=due, created_by=by,
                            completed_on=today if status == "completed" else None,
                            result="no_change" if status == "completed" else "",
                            cld_outcome="No change in package" if status == "completed" else "",
                            next_review_due_on=today + dt.timedelta(days=300) if status == "completed" else None))
    Review.objects.bulk_create(plans)
    for day in (today, today + dt.timedelta(days=29), today + dt.timedelta(days=30), today - dt.timedelta(days=1)):
        annotated = dict(schedule.annotate_state(Review.objects.all(), day).values_list("id", "review_state"))
        assert annotated == {r.id: schedule.state(r, day) for r in Review.objects.all()}
        assert len(set(annotated.values())) == 6  # every state occurs
        for name in (schedule.OVERDUE, schedule.DUE, schedule.DUE_SOON, schedule.NOT_DUE):
            ids = set(Review.objects.filter(schedule.state_q(name, day)).values_list("id", flat=True))
            assert ids == {pk for pk, s in annotated.items() if s == name}


def test_overdue_bands():
    assert [schedule.overdue_band(d) for d in (0, 1, 28, 29, 91, 92, 182, 183, 365, 366)] == [
        None, "up_to_4_weeks", "up_to_4_weeks", "1_to_3_months", "1_to_3_months", "3_to_6_months",
        "3_to_6_months", "6_to_12_months", "6_to_12_months", "over_12_months"]


def test_nobody_else_can_request(active_plan, other_practitioner):
    from carecase.audit.access import ReasonRequired

    with pytest.raises(ReasonRequired):
        rs.review_request(plan=active_plan, by=other_practitioner.user, requested_by="person", reason="Asked")
