"""Direct payment reviews run on their own schedule beside the plan's (GUIDE §2.8): within 6 months of the
first payment, then within 12 months of each completed one; a concern about misuse brings one forward."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from reviews import schedule
from reviews import services as rs
from reviews.models import Review, ReviewKind, ReviewStatus, Topic

D = dt.date


@pytest.mark.parametrize(("first_payment", "opens", "due"), [
    (D(2026, 1, 5), D(2026, 5, 10), D(2026, 7, 5)),
    (D(2026, 8, 31), D(2027, 1, 3), D(2027, 2, 28)),   # 31 August + 6 months ends on the last day of February
    (D(2027, 2, 1), D(2027, 6, 6), D(2027, 8, 1)),
])
def test_first_direct_payment_review_dates(first_payment, opens, due):
    assert schedule.first_direct_payment_review_dates(first_payment) == (opens, due)


@pytest.mark.django_db
def test_direct_payment_review_runs_beside_the_plan_review(active_plan, practitioner):
    plan_review = Review.objects.get(plan=active_plan)
    dp = rs.review_schedule_direct_payment(plan=active_plan, by=practitioner.user, first_payment_on=D(2026, 1, 19))
    assert (dp.topic, dp.kind, dp.window_opens_on, dp.due_on) == (Topic.DIRECT_PAYMENT,
                                                                  ReviewKind.DIRECT_PAYMENT_FIRST,
                                                                  D(2026, 5, 24), D(2026, 7, 19))
    assert str(dp) == "First direct payment review (within 6 months of the first payment) due 19 Jul 2026"
    # Asking again keeps the one open direct payment review; the plan's own review and due date are untouched.
    again = rs.review_schedule_direct_payment(plan=active_plan, by=practitioner.user, first_payment_on=D(2026, 2, 2))
    assert again.pk == dp.pk
    active_plan.refresh_from_db()
    assert active_plan.review_due_on == plan_review.due_on == D(2026, 3, 2)
    assert Review.objects.filter(plan=active_plan, status=ReviewStatus.SCHEDULED).count() == 2


@pytest.mark.django_db
def test_one_open_direct_payment_review_per_plan_in_the_database(active_plan, practitioner):
    rs.review_schedule_direct_payment(plan=active_plan, by=practitioner.user, first_payment_on=D(2026, 1, 19))
    with pytest.raises(IntegrityError), transaction.atomic():
        Review.objects.create(person=active_plan.person, plan=active_plan, kind="planned", topic=Topic.DIRECT_PAYMENT,
                              window_opens_on=D(2026, 5, 1), due_on=D(2026, 6, 1), created_by=practitioner.user)


@pytest.mark.django_db
@time_machine.travel(dt.datetime(2026, 3, 10, 10, 0), tick=False)
def test_misuse_concern_brings_the_direct_payment_review_forward_not_the_plan_review(active_plan, practitioner):
    dp = rs.review_schedule_direct_payment(plan=active_plan, by=practitioner.user, first_payment_on=D(2026, 1, 19))
    concern = rs.review_request(plan=active_plan, by=practitioner.user, requested_by="worker",
                                reason="Payments to a relative not named on the agreement", topic=Topic.DIRECT_PAYMENT)
    assert concern.pk == dp.pk
    assert (concern.kind, concern.due_on) == (ReviewKind.UNPLANNED, D(2026, 3, 24))  # 10 working days
    plan_review = Review.objects.get(plan=active_plan, topic=Topic.PLAN)
    assert plan_review.due_on == D(2026, 3, 2)
    active_plan.refresh_from_db()
    assert active_plan.review_due_on == D(2026, 3, 2)
    with pytest.raises(ValidationError, match="Choose what is to be reviewed"):
        rs.review_request(plan=active_plan, by=practitioner.user, requested_by="worker", reason="x", topic="car")


@pytest.mark.django_db
@time_machine.travel(dt.datetime(2026, 7, 1, 10, 0), tick=False)
def test_completing_a_direct_payment_review_schedules_the_next_one_and_leaves_the_plan_date(active_plan, practitioner):
    dp = rs.review_schedule_direct_payment(plan=active_plan, by=practitioner.user, first_payment_on=D(2026, 1, 19))
    outcomes = {o.id: ("yes", "") for o in active_plan.outcomes.all()}
    rs.review_complete(review=dp, by=practitioner.user, outcomes=outcomes, result="no_change")
    following = Review.objects.get(plan=active_plan, topic=Topic.DIRECT_PAYMENT, status=ReviewStatus.SCHEDULED)
    assert (following.kind, following.due_on) == (ReviewKind.PLANNED, D(2027, 7, 1))
    assert str(following) == "Planned review of the direct payment due 01 Jul 2027"
    active_plan.refresh_from_db()
    assert active_plan.review_due_on == D(2026, 3, 2)
    rs.review_cancel(review=following, by=practitioner.user, reason="The direct payment has ended")
    active_plan.refresh_from_db()
    assert active_plan.review_due_on == D(2026, 3, 2)


@pytest.mark.django_db
@time_machine.travel(dt.datetime(2026, 3, 10, 10, 0), tick=False)
def test_the_persons_reviews_page_shows_both_schedules(staff_client, active_plan, practitioner):
    from django.urls import reverse

    rs.review_schedule_direct_payment(plan=active_plan, by=practitioner.user, first_payment_on=D(2026, 1, 19))
    html = staff_client.get(reverse("person-reviews", args=[active_plan.person_id])).content.decode()
    assert "First review (6 to 8 weeks after the plan starts)" in html
    assert "First direct payment review (within 6 months of the first payment)" in html
    assert "19 July 2026" in html
