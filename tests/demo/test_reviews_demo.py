"""Care and support plans and reviews in the demo data (GUIDE §2.4-§2.7, §6.1, §6.4): everyone on long-term
support has an authorised assessment, one active plan that could have been approved through the ordinary
services, and a review history that follows reviews.schedule, with exactly one open review; Leicester's
published 2,463 people supported for over a year and not reviewed in the last 12 months."""

from __future__ import annotations

import statistics
from collections import Counter
from datetime import timedelta
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.db.models import Count, Prefetch
from django.test import Client
from django.urls import NoReverseMatch, reverse

from assessments import services as assessment_services
from assessments.engine import approval, eligibility
from assessments.models import ApprovalRequest, Assessment, PlanStatus, ServiceLine, SupportPlan
from carecase import codes
from carecase.demo import plans as demo_plans
from carecase.demo.generator import generate
from carecase.demo.profiles import PROFILES
from carecase.people.models import Person
from reviews import schedule
from reviews.figures import people_overdue_leicester_definition
from reviews.models import CLD_OUTCOME, OPEN_STATUSES, Review, ReviewKind, ReviewResult, ReviewStatus, Topic

from .conftest import AS_OF

YEAR_AGO = AS_OF - demo_plans.ONE_YEAR


@pytest.fixture(scope="module")
def small():
    return generate(PROFILES["small"], seed=1, as_of=AS_OF)


# ----------------------------------------------------------------- the small profile, in the database


@pytest.mark.django_db
def test_everyone_on_long_term_support_has_one_active_plan_and_one_open_review(seeded, small):
    long_term = {row.uuid for row in small.people if row.cohort == "long_term"}
    planned = SupportPlan.objects.filter(status=PlanStatus.ACTIVE)
    assert {p.person.uuid for p in planned.select_related("person")} == long_term
    assert planned.count() == len(long_term) == PROFILES["small"].long_term
    assert not planned.values("person_id").annotate(n=Count("id")).filter(n__gt=1).exists()
    open_reviews = Review.objects.filter(status__in=OPEN_STATUSES, topic=Topic.PLAN)
    assert open_reviews.count() == len(long_term)
    assert set(open_reviews.values_list("status", flat=True)) == {ReviewStatus.SCHEDULED}
    assert set(open_reviews.values_list("plan_id", flat=True)) == set(planned.values_list("id", flat=True))
    assert "support plans" in seeded and "reviews" in seeded
    # Each direct payment being paid (or suspended) has its own open review beside the plan's, within 6 months of the first payment.
    from directpayments.models import AgreementStatus, DirectPaymentAgreement

    active = DirectPaymentAgreement.objects.filter(status__in=[AgreementStatus.ACTIVE, AgreementStatus.SUSPENDED])
    dp_reviews = Review.objects.filter(status__in=OPEN_STATUSES, topic=Topic.DIRECT_PAYMENT)
    assert active.exists() and dp_reviews.count() == active.count()
    assert {(r.plan_id, r.due_on) for r in dp_reviews} == {
        (a.plan_id, schedule.first_direct_payment_review_dates(a.first_payment_on)[1]) for a in active}


@pytest.mark.django_db
def test_review_dates_follow_the_schedule(seeded):
    plans = SupportPlan.objects.prefetch_related(Prefetch("reviews", Review.objects.filter(topic=Topic.PLAN)))
    kinds = Counter()
    for plan in plans:
        reviews = sorted(plan.reviews.all(), key=lambda r: (r.completed_on is None, r.due_on))
        *done, current = reviews
        assert current.is_open and all(r.status == ReviewStatus.COMPLETED for r in done)
        assert plan.review_due_on == current.due_on
        previous = None
        for review in reviews:
            review.full_clean()  # choices and every constraint, including "a completed review is whole"
            kinds[review.kind] += 1
            if previous is None:
                assert review.kind == ReviewKind.FIRST
                assert (review.window_opens_on, review.due_on) == schedule.first_review_dates(plan.starts_on)
            else:
                assert review.kind == ReviewKind.PLANNED
                assert (review.window_opens_on, review.due_on) == schedule.next_review_dates(
                    previous.completed_on, previous.next_review_due_on)
            if review.completed_on is not None:
                assert review.window_opens_on <= review.completed_on < AS_OF
                assert review.completed_on < review.next_review_due_on <= schedule.latest_next_review(
                    review.completed_on)
                assert review.completed_by_id and review.reviewer_id == review.completed_by_id
                assert review.outcomes.count() == plan.outcomes.count()  # each outcome still met, or not
            previous = review
        assert review.created_at.date() <= AS_OF
    assert kinds[ReviewKind.FIRST] == plans.count() and kinds[ReviewKind.PLANNED] > plans.count()


@pytest.mark.django_db
def test_completed_reviews_carry_a_result_and_its_client_level_data_outcome(seeded):
    done = Review.objects.filter(status=ReviewStatus.COMPLETED)
    assert done.count() > 100
    for review in done:
        assert review.result in ReviewResult.values and review.result != ReviewResult.SUPPORT_ENDS  # plans go on
        assert review.cld_outcome == CLD_OUTCOME[review.result]
        assert review.cld_outcome in codes.EventOutcome.values
    assert set(done.values_list("result", flat=True)) == {ReviewResult.NO_CHANGE, ReviewResult.PLAN_CHANGED}


@pytest.mark.django_db
def test_not_reviewed_in_12_months_is_leicesters_figure_scaled(seeded, small):
    expected = PROFILES["small"].reviews_overdue
    assert expected == 36  # 2,463 of 5,079, at 75 people on long-term support
    assert people_overdue_leicester_definition(AS_OF) == expected
    assert demo_plans.people_overdue(small.plans.plans, AS_OF) == expected  # the generated rows agree
    # The open review of each of them is overdue by the schedule; plenty of others are due or not yet due.
    states = Counter(schedule.annotate_state(Review.objects.filter(status__in=OPEN_STATUSES), AS_OF)
                     .values_list("review_state", flat=True))
    assert states[schedule.OVERDUE] >= expected and states[schedule.NOT_DUE] > 10


@pytest.mark.django_db
def test_assessments_and_plans_are_what_the_services_would_have_made(seeded):
    """The engine agrees with every stored decision, every plan could be sent for approval today, and the
    person who decided each approval was allowed to."""
    for assessment in Assessment.objects.prefetch_related("outcomes", "sequence_outcomes", "transitions"):
        assessment.full_clean()
        result = eligibility.evaluate(assessment_services.engine_answers(assessment))
        assert result.eligible and assessment.eligible and assessment.practitioner_agrees
        assert result.to_dict() == assessment.eligibility_result
        assert [t.to_status for t in assessment.transitions.all()] == ["draft", "submitted", "authorised"]
        assert assessment.transitions.all()[2].by_id != assessment.worker_id
        assert assessment_services.sequence_evaluate(list(assessment.sequence_outcomes.all())).ready_for_approval
    for plan in SupportPlan.objects.select_related("assessment").prefetch_related("services", "outcomes"):
        plan.full_clean()
        assert plan.status == PlanStatus.ACTIVE and plan.assessment.status == "authorised"
        assert plan.assessment.completed_on <= plan.starts_on < AS_OF
        assert assessment_services.plan_not_ready(plan) == []
        assert 1 <= plan.outcomes.count() <= 3 and 1 <= plan.services.count() <= 2
        assert plan.assessed_contribution_weekly <= assessment_services.plan_weekly_cost(plan)
        request = ApprovalRequest.objects.get(plan=plan)
        assert request.status == "approved" and request.decided_by_id == plan.approved_by_id
        assert request.weekly_cost == assessment_services.plan_weekly_cost(plan)
        assert request.level == approval.required_level(request.yearly_cost).code
        assert assessment_services.can_decide_approval(request.decided_by, request)
    for line in ServiceLine.objects.all():
        line.full_clean()
        assert line.service_type in codes.LONG_TERM_SERVICE_TYPES and line.delivery_mechanism


@pytest.mark.django_db
def test_pages_render_for_people_with_plans_and_reviews(seeded):
    manager = get_user_model().objects.get(username="senior.manager")
    client = Client()
    client.force_login(manager)
    plans = list(SupportPlan.objects.filter(person__is_restricted=False).order_by("id")[::15])
    assert len(plans) >= 4
    for plan in plans:
        urls = [f"/people/{plan.person_id}/", reverse("person-assessments", args=[plan.person_id]),
                reverse("assessment-detail", args=[plan.assessment_id]),
                reverse("assessment-sequence", args=[plan.assessment_id]), reverse("plan-detail", args=[plan.id])]
        try:
            urls.append(reverse("person-reviews", args=[plan.person_id]))
        except NoReverseMatch:  # the reviews pages arrive separately
            pass
        for url in urls:
            response = client.get(url)
            assert response.status_code == 200, url


@pytest.mark.django_db
def test_wording_and_history_of_plans_and_reviews(seeded):
    words = [f"{o.label} {o.how_met} {o.by_whom}" for p in SupportPlan.objects.prefetch_related("outcomes")
             for o in p.outcomes.all()]
    words += [f"{r.what_works} {r.what_does_not} {r.changes}" for r in Review.objects.all()]
    words += [f"{a.what_matters} {a.strengths} {a.networks}" for a in Assessment.objects.all()]
    for text in words:
        lowered = text.lower()
        assert "service user" not in lowered and "client" not in lowered and "customer" not in lowered, text
        assert "{" not in text and "}" not in text, text
    for model in (Assessment, SupportPlan, Review):
        events = model.pgh_event_model.objects.filter(pgh_label="insert")
        assert events.count() == model.objects.count()
        assert set(events.values_list("pgh_context__metadata__command", flat=True)) == {"seed_demo"}
    assert Person.objects.filter(support_plans__isnull=False).distinct().count() == PROFILES["small"].long_term


# ----------------------------------------------------------------- Leicester and the county, generated in memory


def _due_within_30_days(plans) -> float:
    return sum(AS_OF <= p.open_review.due_on <= AS_OF + timedelta(days=30) for p in plans) / len(plans)


def test_leicester_reproduces_2463_people_not_reviewed_in_12_months():
    """About 4,000 people supported for over a year (published: 1,503 reviewed and 2,463 not), 2,463 of them
    with no review in the last 12 months; about 10% of open reviews due within 30 days (GUIDE §6.4)."""
    data = generate(PROFILES["leicester"], seed=1, as_of=AS_OF)
    plans = data.plans.plans
    assert len(plans) == 5079
    over_a_year = [p for p in plans if p.starts_on < YEAR_AGO]
    assert 3900 <= len(over_a_year) <= 4300
    assert demo_plans.people_overdue(plans, AS_OF) == 2463
    assert 0.08 <= _due_within_30_days(plans) <= 0.12
    # The backlog has a spread of ages, not one cliff: every overdue band is there.
    ages = Counter(schedule.overdue_band((AS_OF - p.open_review.due_on).days) for p in plans
                   if p.open_review.due_on < AS_OF)
    assert all(ages[key] > 100 for key, *_ in schedule.OVERDUE_BANDS)

    # Services (GUIDE §6.1, §6.4): home care hours and rates, double-handed care, direct payments.
    home_care = [s for p in plans for s in p.services if s.component == codes.ServiceComponent.HOME_CARE]
    hours = [s.units_per_week for s in home_care]
    assert statistics.median(hours) == Decimal("10.00") and max(hours) <= 56 and max(hours) >= 40
    assert 0.12 <= sum(s.double_handed for s in home_care) / len(home_care) <= 0.18
    assert all(Decimal("19.23") <= s.unit_cost <= Decimal("21.11") for s in home_care)
    community = [p for p in plans if not p.person.care_home]
    direct = [p for p in community if any(s.delivery_mechanism == codes.DeliveryMechanism.DIRECT_PAYMENT
                                          for s in p.services)]
    assert 0.40 <= len(direct) / len(community) <= 0.50  # 46% published
    assert 1100 <= len(plans) - len(community) <= 1320  # 1,206 in residential or nursing care
    crisis = sum(p.crisis_override for p in plans) / len(plans)
    assert 0.06 <= crisis <= 0.10  # 8% of long-term approvals (GUIDE §6.4)


def test_county_uses_leicestershires_share_not_reviewed():
    """Leicestershire published 68% reviewed within 12 months (3,433 of 5,048): 32% not."""
    plans = generate(PROFILES["county"], seed=1, as_of=AS_OF).plans.plans
    over_a_year = sum(p.starts_on < YEAR_AGO for p in plans)
    assert demo_plans.people_overdue(plans, AS_OF) == round((1 - 3433 / 5048) * over_a_year)


def test_the_schedule_shortcuts_agree_with_reviews_schedule():
    """plans.py adds months without dateutil for speed: the same dates as reviews.schedule, month ends too."""
    day = AS_OF - timedelta(days=800)
    for _ in range(900):
        assert demo_plans.add_months(day, 12) == schedule.latest_next_review(day)
        assert demo_plans.next_review(day) == schedule.next_review_dates(day)
        assert demo_plans.add_months(day, -12) == day - demo_plans.ONE_YEAR
        day += timedelta(days=1)
