"""A care and support plan in a real browser: the practitioner starts it from an eligible assessment with a
complete support sequence, says how each outcome will be met, adds a service (after one mistake) and
sends it for approval; the team leader finds it in the queue and approves it. axe on every page."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from assessments import services as s
from assessments.models import PlanStatus, SupportPlan

from .conftest import assert_accessible, sign_in

STEPS = ("own_strengths", "technology_equipment", "family_friends", "community_universal")


def _eligible_with_sequence(person, user):
    a = s.assessment_start(person=person, by=user, assessment_type="needs")
    s.assessment_save_section(assessment=a, by=user, section="conditions", impairment_or_illness=True,
                              significant_impact_on_wellbeing=True)
    s.assessment_save_outcomes(assessment=a, by=user, answers={
        "nutrition": {"statuses": ["unable_without_assistance"], "description": "Cannot stand to cook"},
        "personal_hygiene": {"statuses": ["endangers_health_safety"], "description": "Falls in the bath"}})
    s.assessment_decide(assessment=a, by=user, agrees=True)
    for row in s.sequence_from_eligibility(assessment=a, by=user):
        step = {"considered": True, "meets": "no", "note": "Looked at with Mohan and his son"}
        s.sequence_outcome_save(row=row, by=user, steps=dict.fromkeys(STEPS, step), done_differently=None,
                                formal_support_requested=True)
    return a


def test_practitioner_plans_and_team_leader_approves(page, world):
    assessment = _eligible_with_sequence(world["mohan"], world["worker"].user)
    sign_in(page, "asha")
    page.goto(f"/assessments/{assessment.id}/")
    page.get_by_role("button", name="Start a care and support plan").click()
    expect(page).to_have_url(re.compile(r"/plans/\d+/$"))
    expect(page.locator("#not-ready")).to_contain_text("Say how each outcome will be met")
    assert_accessible(page)

    for label, how in (("Getting food and drink", "Hot lunch delivered; son cooks in the evening"),
                       ("Washing and keeping clean", "Morning call to help with a strip wash")):
        page.get_by_label(f"How will it be met? ({label})").fill(how)
        page.get_by_label(f"By whom? ({label})").fill("Highfields Home Care")
        page.get_by_role("button", name=re.compile(re.escape(label))).click()
        expect(page.get_by_label(f"How will it be met? ({label})")).to_have_value(how)

    page.get_by_label("Type of service").select_option(label="Long-term: support in the community")
    page.get_by_label("What the service is").select_option(label="Home care")
    page.get_by_label("Provider (optional)").fill("Highfields Home Care")
    page.get_by_label("How many a week").fill("ten")
    page.get_by_label("Counted in").select_option(label="hours")
    page.get_by_label("Cost of each one, in pounds").fill("20.50")
    page.get_by_label("Council-commissioned support").check()
    start = page.get_by_role("group", name="Start date")
    start.get_by_label("Day").fill("1")
    start.get_by_label("Month").fill("12")
    start.get_by_label("Year").fill("2026")
    page.get_by_role("button", name="Add the service").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Enter how many a week as a number, for example 10 or 7.5")
    expect(page.get_by_label("Provider (optional)")).to_have_value("Highfields Home Care")  # answers kept
    assert_accessible(page)

    page.get_by_label("How many a week").fill("10")
    page.get_by_role("button", name="Add the service").click()
    expect(page.locator("#plan-services")).to_contain_text("£205.00")
    expect(page.locator("#weekly-cost")).to_have_text("£205.00")
    expect(page.locator("#yearly-cost")).to_contain_text("£10,660.00")
    expect(page.locator("#plan-services")).to_contain_text("Council-commissioned support")
    assert_accessible(page)

    page.get_by_role("button", name="Send for approval").click()
    expect(page.locator("#plan-status")).to_contain_text("Waiting for approval")
    expect(page.locator("#approval-history")).to_contain_text("Team leader")
    assert_accessible(page)
    plan = SupportPlan.objects.get(assessment=assessment)

    page.context.clear_cookies()  # sign out
    sign_in(page, "leader")
    page.goto("/")
    page.get_by_role("link", name="Plans waiting for your decision (1)").click()
    queue = page.locator("#approval-queue")
    expect(queue).to_contain_text("£10,660.00")
    assert_accessible(page)

    queue.get_by_role("link", name=re.compile("Mohan Patel")).click()
    expect(page.locator("#approval-cost")).to_contain_text("£205.00")
    expect(page.get_by_text("Formal support justified")).to_have_count(2)
    assert_accessible(page)
    page.get_by_role("button", name="Approve the plan").click()
    expect(page.get_by_text("has been approved and is now active")).to_be_visible()
    assert_accessible(page)
    plan.refresh_from_db()
    assert plan.status == PlanStatus.ACTIVE
