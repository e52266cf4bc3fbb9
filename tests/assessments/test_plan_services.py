"""Care and support plans: services, the personal budget, and approval by yearly cost."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from assessments import services as s
from assessments.models import ApprovalStatus, PlanStatus
from carecase import codes
from tests.factories import StaffFactory

pytestmark = pytest.mark.django_db
NOTE = "Talked it through with her and her daughter"


def eligible_assessment(person, practitioner, *, sequence_done: bool = True):
    a = s.assessment_start(person=person, by=practitioner.user, assessment_type="needs")
    s.assessment_save_section(assessment=a, by=practitioner.user, section="conditions", impairment_or_illness=True,
                              significant_impact_on_wellbeing=True)
    s.assessment_save_outcomes(assessment=a, by=practitioner.user, answers={
        "nutrition": {"statuses": ["unable_without_assistance"], "description": "Cannot stand to cook"},
        "personal_hygiene": {"statuses": ["endangers_health_safety"], "description": "Falls in the bath"}})
    s.assessment_decide(assessment=a, by=practitioner.user, agrees=True)
    for row in s.sequence_from_eligibility(assessment=a, by=practitioner.user):
        step = {"considered": sequence_done, "meets": "no", "note": NOTE}
        s.sequence_outcome_save(row=row, by=practitioner.user, steps=dict.fromkeys(
            ("own_strengths", "technology_equipment", "family_friends", "community_universal"), step),
            done_differently=None, formal_support_requested=True)
    a.refresh_from_db()
    return a


def home_care(plan, practitioner, hours="10", rate="20.50"):
    return s.service_line_add(plan=plan, by=practitioner.user, service_type=codes.ServiceType.LTS_COMMUNITY,
                              component=codes.ServiceComponent.HOME_CARE, units_per_week=Decimal(hours),
                              unit=codes.ServiceUnit.HOUR, unit_cost=Decimal(rate),
                              delivery_mechanism=codes.DeliveryMechanism.COMMISSIONED,
                              starts_on=dt.date(2026, 12, 1), provider="Highfields Home Care")


def planned(person, practitioner, **kwargs):
    plan = s.plan_create(assessment=eligible_assessment(person, practitioner, **kwargs), by=practitioner.user)
    for outcome in plan.outcomes.all():
        s.plan_outcome_save(outcome=outcome, by=practitioner.user, how_met="Morning and evening calls",
                            by_whom="Highfields Home Care")
    return plan


def test_plan_needs_an_eligible_decision(person, practitioner):
    a = s.assessment_start(person=person, by=practitioner.user, assessment_type="needs")
    with pytest.raises(ValidationError, match="eligible needs"):
        s.plan_create(assessment=a, by=practitioner.user)


def test_budget_is_the_sum_of_weekly_costs(person, practitioner):
    plan = planned(person, practitioner)
    assert [o.label for o in plan.outcomes.all()] == ["Getting food and drink", "Washing and keeping clean"]
    home_care(plan, practitioner)
    home_care(plan, practitioner, hours="3", rate="19.23")
    assert s.plan_weekly_cost(plan) == Decimal("262.69")
    assert s.plan_is_long_term(plan)


def test_bad_service_lines_are_refused_plainly(person, practitioner):
    plan = planned(person, practitioner)
    with pytest.raises(ValidationError) as err:
        home_care(plan, practitioner, hours="0")
    assert "more than zero" in str(err.value)
    with pytest.raises(ValidationError):
        s.service_line_add(plan=plan, by=practitioner.user, service_type=codes.ServiceType.LTS_COMMUNITY,
                           component="home_care", units_per_week=Decimal(1), unit="hour", unit_cost=Decimal(1),
                           delivery_mechanism="", starts_on=dt.date(2026, 12, 1))


def test_long_term_support_waits_for_the_support_sequence(person, practitioner):
    plan = planned(person, practitioner, sequence_done=False)
    home_care(plan, practitioner)
    with pytest.raises(ValidationError, match="support sequence is complete"):
        s.plan_request_approval(plan=plan, by=practitioner.user)


def test_approval_goes_to_the_level_the_yearly_cost_needs(person, practitioner, team_leader, senior_manager):
    plan = planned(person, practitioner)
    home_care(plan, practitioner, hours="40", rate="20.00")  # 800 a week, 41,600 a year
    request = s.plan_request_approval(plan=plan, by=practitioner.user)
    assert (request.weekly_cost, request.yearly_cost, request.level) == (Decimal("800.00"), Decimal("41600.00"),
                                                                         "head_of_service")
    assert request.long_term and request.sequence_result["ready_for_approval"] is True
    with pytest.raises(PermissionDenied, match="Head of service"):
        s.approval_decide(request=request, by=team_leader.user, approve=True)
    with pytest.raises(ValidationError):
        s.service_line_add(plan=plan, by=practitioner.user, service_type=codes.ServiceType.ST_LOW_LEVEL,
                           component="equipment", units_per_week=Decimal(1), unit="item", unit_cost=Decimal(5),
                           delivery_mechanism=codes.DeliveryMechanism.COMMISSIONED, starts_on=dt.date(2026, 12, 1))
    s.approval_decide(request=request, by=senior_manager.user, approve=True, starts_on=dt.date(2026, 12, 1))
    plan.refresh_from_db()
    assert plan.status == PlanStatus.ACTIVE and plan.review_due_on == dt.date(2027, 1, 26)  # 8 weeks


def test_return_needs_a_reason_and_reopens_the_plan(person, practitioner, team_leader):
    plan = planned(person, practitioner)
    home_care(plan, practitioner)  # 205 a week: a team leader decides
    request = s.plan_request_approval(plan=plan, by=practitioner.user)
    assert request.level == "team_leader"
    with pytest.raises(ValidationError):
        s.approval_decide(request=request, by=team_leader.user, approve=False, reason=" ")
    s.approval_decide(request=request, by=team_leader.user, approve=False,
                      reason="Could a shower chair replace the evening call?")
    plan.refresh_from_db()
    request.refresh_from_db()
    assert plan.status == PlanStatus.RETURNED and request.status == ApprovalStatus.RETURNED
    with pytest.raises(ValidationError, match="already been decided"):
        s.approval_decide(request=request, by=team_leader.user, approve=True)


def test_nobody_approves_their_own_request(person, team):
    leader = StaffFactory(user__username="leader_who_assesses", role="team_leader", team=team)
    plan = planned(person, leader)
    home_care(plan, leader)
    request = s.plan_request_approval(plan=plan, by=leader.user)
    with pytest.raises(PermissionDenied):
        s.approval_decide(request=request, by=leader.user, approve=True)


def test_queue_shows_what_the_user_may_decide(person, practitioner, team_leader, senior_manager):
    from assessments.selectors import approval_queue

    plan = planned(person, practitioner)
    home_care(plan, practitioner)
    request = s.plan_request_approval(plan=plan, by=practitioner.user)
    assert [r.id for r, _ in approval_queue(user=team_leader.user)] == [request.id]
    assert [r.id for r, _ in approval_queue(user=senior_manager.user)] == [request.id]
    assert approval_queue(user=practitioner.user) == []


def test_waiting_count_names_nobody_and_logs_nothing(person, practitioner, team_leader):
    from assessments.selectors import approval_queue_count
    from carecase.audit.models import RecordAccessEvent

    plan = planned(person, practitioner)
    home_care(plan, practitioner)
    s.plan_request_approval(plan=plan, by=practitioner.user)
    before = RecordAccessEvent.objects.count()
    assert approval_queue_count(user=team_leader.user) == 1
    assert approval_queue_count(user=practitioner.user) == 0
    assert RecordAccessEvent.objects.count() == before
