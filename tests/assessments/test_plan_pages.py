"""The care and support plan pages: start, outcomes, services and costs, send for approval, the approval
queue and the decision page."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from assessments import services as s
from assessments.models import ApprovalRequest, ApprovalStatus, PlanStatus, ServiceLine, SupportPlan
from carecase import codes

from .test_plan_services import NOTE, eligible_assessment, home_care, planned  # noqa: F401 - shared set-up

pytestmark = pytest.mark.django_db

def text(response) -> str:
    """What a person reads on the page: the HTML without tags, attributes or the page's head."""
    html = response.content.decode()
    html = re.sub(r"<head>.*?</head>|<script.*?</script>", " ", html, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


SERVICE = {
    "service-service_type": codes.ServiceType.LTS_COMMUNITY, "service-component": "home_care",
    "service-provider": "Highfields Home Care", "service-units_per_week": "10", "service-unit": "hour",
    "service-unit_cost": "20.50", "service-delivery_mechanism": codes.DeliveryMechanism.DIRECT_PAYMENT,
    "service-starts_on_day": "1", "service-starts_on_month": "12", "service-starts_on_year": "2026",
}


@pytest.fixture
def leader_client(client, team_leader):
    client.force_login(team_leader.user)
    return client


def test_start_a_plan_from_the_task_list(staff_client, person, practitioner):
    a = eligible_assessment(person, practitioner)
    page = staff_client.get(f"/assessments/{a.id}/")
    assert "Start a care and support plan" in text(page)
    response = staff_client.post(f"/assessments/{a.id}/plan/start/")
    plan = SupportPlan.objects.get(assessment=a)
    assert response.status_code == 302 and response["Location"] == f"/plans/{plan.id}/"
    page = staff_client.get(f"/plans/{plan.id}/")
    assert page.status_code == 200
    body = text(page)
    assert "Getting food and drink" in body and "Washing and keeping clean" in body
    assert "Draft" in body and "Add a service" in body
    assert "Add at least one service to the plan" in body and "Say how each outcome will be met" in body
    assert "Send for approval" not in body


def test_no_plan_without_eligible_needs(staff_client, person, practitioner):
    a = s.assessment_start(person=person, by=practitioner.user, assessment_type="needs")
    assert "Start a care and support plan" not in text(staff_client.get(f"/assessments/{a.id}/"))
    response = staff_client.post(f"/assessments/{a.id}/plan/start/", follow=True)
    assert "eligible needs" in text(response) and not SupportPlan.objects.exists()


def test_outcome_saved(staff_client, person, practitioner):
    plan = s.plan_create(assessment=eligible_assessment(person, practitioner), by=practitioner.user)
    outcome = plan.outcomes.first()
    response = staff_client.post(f"/plans/{plan.id}/outcomes/{outcome.id}/", {
        f"outcome-{outcome.id}-how_met": "Daughter cooks; a meal service at lunch",
        f"outcome-{outcome.id}-by_whom": "Her daughter"})
    assert response.status_code == 302
    outcome.refresh_from_db()
    assert (outcome.how_met, outcome.by_whom) == ("Daughter cooks; a meal service at lunch", "Her daughter")


def test_add_a_service_with_errors_kept_then_costs(staff_client, person, practitioner):
    plan = planned(person, practitioner)
    bad = {**SERVICE, "service-units_per_week": "ten", "service-unit_cost": "-1", "service-delivery_mechanism": ""}
    page = staff_client.post(f"/plans/{plan.id}/services/", bad)
    assert page.status_code == 200 and not ServiceLine.objects.exists()
    body = text(page)
    assert "There is a problem" in body
    assert "Enter how many a week as a number, for example 10 or 7.5" in body
    assert "The cost of each one cannot be less than zero" in body
    assert "Select how the service is delivered" in body
    html = page.content.decode()
    assert 'value="ten"' in html and 'value="Highfields Home Care"' in html  # what was typed is kept
    zero = staff_client.post(f"/plans/{plan.id}/services/", {**SERVICE, "service-units_per_week": "0"})
    assert "Enter how many a week, more than zero" in text(zero)
    late = staff_client.post(f"/plans/{plan.id}/services/", {
        **SERVICE, "service-ends_on_day": "1", "service-ends_on_month": "1", "service-ends_on_year": "2026"})
    assert "The end date must be on or after the start date" in text(late)

    assert staff_client.post(f"/plans/{plan.id}/services/", SERVICE).status_code == 302
    assert staff_client.post(f"/plans/{plan.id}/services/", {
        **SERVICE, "service-units_per_week": "3", "service-unit_cost": "19.23",
        "service-delivery_mechanism": codes.DeliveryMechanism.MANAGED_BUDGET}).status_code == 302
    staff_client.post(f"/plans/{plan.id}/contribution/", {"contribution-weekly": "40"})
    body = text(staff_client.get(f"/plans/{plan.id}/"))
    # 10 x 20.50 + 3 x 19.23 = 262.69 a week; x 52 weeks (the approval limits' year) = 13,659.88
    assert "Weekly cost £262.69" in body and "Yearly cost £13,659.88" in body
    assert "Personal budget a week £262.69" in body and "Assessed contribution a week £40.00" in body
    assert "The council pays a week £222.69" in body
    assert "£205.00" in body and "£57.69" in body and "£20.50" in body and "10 hours" in body
    assert "Long-term: support in the community" in body and "Council-managed personal budget" in body
    assert "Direct payment (money to the person or their representative)" in body
    for code in ("CASSR", "Direct Payment", "Long Term Support", "DP", "service user", "client", "customer"):
        assert not re.search(rf"\b{code}\b", body), code


def test_contribution_errors_are_kept(staff_client, person, practitioner):
    plan = planned(person, practitioner)
    page = staff_client.post(f"/plans/{plan.id}/contribution/", {"contribution-weekly": "12.345"})
    assert "no more than 2 numbers after the point" in text(page)
    assert 'value="12.345"' in page.content.decode()
    plan.refresh_from_db()
    assert plan.assessed_contribution_weekly == 0


def test_remove_a_service(staff_client, person, practitioner):
    plan = planned(person, practitioner)
    line = home_care(plan, practitioner)
    response = staff_client.post(f"/plans/{plan.id}/services/{line.id}/remove/")
    assert response.status_code == 302 and not ServiceLine.objects.exists()
    assert staff_client.post(f"/plans/{plan.id}/services/{line.id}/remove/").status_code == 404


def test_send_for_approval_is_blocked_with_reasons_then_allowed(staff_client, person, practitioner):
    plan = planned(person, practitioner, sequence_done=False)
    home_care(plan, practitioner)
    body = text(staff_client.get(f"/plans/{plan.id}/"))
    assert "What is missing before approval" in body and "support sequence is complete" in body
    assert "Send for approval" not in body
    page = staff_client.post(f"/plans/{plan.id}/send-for-approval/")
    assert "cannot be sent for approval yet" in text(page) and "support sequence is complete" in text(page)
    assert not ApprovalRequest.objects.exists()

    ready = planned(person, practitioner)
    home_care(ready, practitioner)
    assert "Send for approval" in text(staff_client.get(f"/plans/{ready.id}/"))
    response = staff_client.post(f"/plans/{ready.id}/send-for-approval/", follow=True)
    body = text(response)
    assert "sent for approval to: team leader" in body and "Waiting for approval" in body
    assert "Approval history" in body and "Team leader" in body
    assert "Add a service" not in body and "Remove" not in body  # read-only now
    ready.refresh_from_db()
    assert ready.status == PlanStatus.AWAITING_APPROVAL


def _sent(person, practitioner, hours="10"):
    plan = planned(person, practitioner)
    home_care(plan, practitioner, hours=hours)
    return plan, s.plan_request_approval(plan=plan, by=practitioner.user)


def test_queue_shows_the_plan_to_the_team_leader_only(client, person, practitioner, team_leader):
    plan, request = _sent(person, practitioner)  # 205 a week, 10,660 a year: a team leader decides
    client.force_login(team_leader.user)
    page = client.get("/approvals/")
    assert page.status_code == 200
    body = text(page)
    assert "Mohan Patel" in body and "£205.00" in body and "£10,660.00" in body and "Team leader" in body
    assert f'href="/approvals/{request.id}/"' in page.content.decode()
    assert "Plans waiting for your decision (1)" in text(client.get("/"))
    client.force_login(practitioner.user)
    assert client.get("/approvals/").status_code == 403
    assert "Plans waiting for your decision" not in text(client.get("/"))


def test_costly_plan_is_not_in_the_team_leaders_queue(client, person, practitioner, team_leader, senior_manager):
    _sent(person, practitioner, hours="40")  # 820 a week, 42,640 a year: head of service
    client.force_login(team_leader.user)
    assert "No plans are waiting for your decision" in text(client.get("/approvals/"))
    client.force_login(senior_manager.user)
    assert "Head of service" in text(client.get("/approvals/"))


def test_approve_makes_the_plan_active(leader_client, person, practitioner):
    plan, request = _sent(person, practitioner)
    page = leader_client.get(f"/approvals/{request.id}/")
    assert page.status_code == 200
    body = text(page)
    assert "£205.00" in body and "£10,660.00" in body and "Home care" in body
    assert "Getting food and drink" in body and "Formal support justified" in body
    response = leader_client.post(f"/approvals/{request.id}/", {
        "decision": "approve", "approve-starts_on_day": "1", "approve-starts_on_month": "12",
        "approve-starts_on_year": "2026"})
    assert response.status_code == 302 and response["Location"] == "/approvals/"
    plan.refresh_from_db()
    request.refresh_from_db()
    assert plan.status == PlanStatus.ACTIVE and plan.starts_on == dt.date(2026, 12, 1)
    assert request.status == ApprovalStatus.APPROVED
    body = text(leader_client.get(f"/plans/{plan.id}/"))
    assert "Active" in body and "cannot be changed" in body and "Next review due by 26 January 2027" in body


def test_return_needs_a_reason(leader_client, person, practitioner):
    plan, request = _sent(person, practitioner)
    page = leader_client.post(f"/approvals/{request.id}/", {"decision": "return", "return-reason": " "})
    assert "Say what needs to change before the plan can be approved" in text(page)
    leader_client.post(f"/approvals/{request.id}/", {"decision": "return",
                                                     "return-reason": "Could a shower chair replace a call?"})
    plan.refresh_from_db()
    assert plan.status == PlanStatus.RETURNED
    body = text(leader_client.get(f"/plans/{plan.id}/"))
    assert "Returned for changes" in body and "Could a shower chair replace a call?" in body


def test_practitioner_cannot_open_the_decision_page(staff_client, person, practitioner):
    _, request = _sent(person, practitioner)
    assert staff_client.get(f"/approvals/{request.id}/").status_code == 403
    assert staff_client.post(f"/approvals/{request.id}/", {"decision": "approve"}).status_code == 403
    assert ApprovalRequest.objects.get().status == ApprovalStatus.PENDING


def test_missing_things_are_404(staff_client, person, practitioner):
    assert staff_client.get("/plans/999999/").status_code == 404
    assert staff_client.get("/approvals/999999/").status_code == 404


def test_plan_page_query_count_does_not_grow_with_services(staff_client, person, practitioner):
    plan = planned(person, practitioner)
    for _ in range(3):
        home_care(plan, practitioner)
    staff_client.get(f"/plans/{plan.id}/")  # warm caches (rule files, sessions)
    with CaptureQueriesContext(connection) as few:
        assert staff_client.get(f"/plans/{plan.id}/").status_code == 200
    for _ in range(12):
        home_care(plan, practitioner)
    with CaptureQueriesContext(connection) as many:
        assert staff_client.get(f"/plans/{plan.id}/").status_code == 200
    assert ServiceLine.objects.count() == 15
    assert len(many) == len(few), [q["sql"] for q in many.captured_queries]
