"""A person has one active plan: approving a newer plan ends the one before (the day before the new one starts,
with its services), cancels the old plan's open review (the new plan has its own first review) and moves an
open direct payment review to the new plan, because the direct payment carries on."""

from __future__ import annotations

import datetime as dt

import pytest

from assessments.models import PlanStatus, SupportPlan
from carecase.staff.models import Role
from reviews.models import Review, ReviewStatus, Topic
from tests.directpayments.conftest import active_agreement, make_dp_plan
from tests.factories import StaffFactory

from .conftest import make_active_plan

pytestmark = pytest.mark.django_db
D = dt.date


def test_approving_a_new_plan_ends_the_old_one_and_its_review(person, practitioner, team_leader):
    old = make_active_plan(person, practitioner, team_leader, starts_on=D(2026, 1, 5))
    old_review = Review.objects.get(plan=old)
    new = make_active_plan(person, practitioner, team_leader, starts_on=D(2026, 6, 1))

    old.refresh_from_db()
    assert (old.status, old.ends_on, old.review_due_on) == (PlanStatus.ENDED, D(2026, 5, 31), None)
    assert set(old.services.values_list("ends_on", flat=True)) == {D(2026, 5, 31)}
    assert list(SupportPlan.objects.filter(person=person, status=PlanStatus.ACTIVE)) == [new]
    old_review.refresh_from_db()
    assert old_review.status == ReviewStatus.CANCELLED
    assert f"replaced by a newer care and support plan (plan {new.pk})" in old_review.request_reason
    (first,) = Review.objects.filter(plan=new, status=ReviewStatus.SCHEDULED)
    assert first.due_on == D(2026, 7, 27)  # 8 weeks after the new plan starts


def test_a_plan_as_a_carer_is_not_replaced_by_the_persons_own(person, practitioner, team_leader):
    from assessments.models import Assessment

    as_carer = make_active_plan(person, practitioner, team_leader, starts_on=D(2026, 1, 5))
    Assessment.objects.filter(plans=as_carer).update(kind="carer")  # noqa: TID251 (test data)
    own = make_active_plan(person, practitioner, team_leader, starts_on=D(2026, 6, 1))
    assert set(SupportPlan.objects.filter(person=person, status=PlanStatus.ACTIVE)) == {as_carer, own}


def test_a_replacement_starting_on_the_same_day_ends_the_old_plan_that_day(person, practitioner, team_leader):
    old = make_active_plan(person, practitioner, team_leader, starts_on=D(2026, 1, 5))
    make_active_plan(person, practitioner, team_leader, starts_on=D(2026, 1, 5))
    old.refresh_from_db()
    assert (old.status, old.ends_on) == (PlanStatus.ENDED, D(2026, 1, 5))


def test_the_direct_payment_review_moves_to_the_new_plan(person, practitioner, team_leader, team):
    dp_officer = StaffFactory(role=Role.DP_OFFICER, team=team)
    old = make_dp_plan(person, practitioner, team_leader, starts_on=D(2026, 1, 5))
    active_agreement(old, dp_officer, first_payment_on=D(2026, 1, 5))
    dp_review = Review.objects.get(plan=old, topic=Topic.DIRECT_PAYMENT, status=ReviewStatus.SCHEDULED)
    new = make_dp_plan(person, practitioner, team_leader, starts_on=D(2026, 4, 6), hours="12")

    dp_review.refresh_from_db()
    assert (dp_review.plan_id, dp_review.status, dp_review.due_on) == (new.pk, ReviewStatus.SCHEDULED, D(2026, 7, 5))
    assert not Review.objects.filter(plan=old, status__in=[ReviewStatus.SCHEDULED]).exists()
    assert Review.objects.filter(plan=new, topic=Topic.PLAN, status=ReviewStatus.SCHEDULED).count() == 1
