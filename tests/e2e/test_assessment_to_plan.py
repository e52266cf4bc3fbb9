"""One practitioner's whole journey in a real browser: a needs assessment with the live eligibility panel,
the support sequence with its live panel and the cost of formal support, a care and support plan sent
for approval, and the team leader's approval. axe checks every page on the way."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from assessments.models import Assessment, PlanStatus, SupportPlan

from .conftest import assert_accessible, sign_in
from .test_assessment_form import OTHER_OUTCOMES, UNABLE, _answer, _save

STEPS = ("Own strengths", "Technology and equipment", "Family, friends and neighbours",
         "Community, universal and health services")


def test_from_assessment_to_an_approved_plan(page, world):
    mohan = world["mohan"]
    sign_in(page, "asha")
    page.goto(f"/people/{mohan.id}/assessments/")
    page.get_by_label("Needs assessment").check()
    page.get_by_role("button", name="Start assessment").click()
    assessment = Assessment.objects.get(person=mohan)

    page.get_by_role("link", name="What matters to them").click()
    page.get_by_label("What matters to them?").fill("Cooking for my grandson on Sundays")
    _save(page)
    page.get_by_role("link", name="Needs and conditions").click()
    _answer(page, "Do their needs arise from, or relate to, a physical or mental impairment or illness?", "Yes")
    _answer(page, "Is there, or is there likely to be, a significant impact on their wellbeing?", "Yes")
    _answer(page, "Do their needs fluctuate?", "No")
    _save(page)

    page.get_by_role("link", name="Outcomes").click()
    result = page.locator("#eligibility-live .cc-eligibility__result")
    page.get_by_role("group", name="Managing and maintaining nutrition").get_by_label(UNABLE, exact=True).check()
    page.get_by_role("group", name="Maintaining personal hygiene").get_by_label(UNABLE, exact=True).check()
    expect(result).to_have_text("Eligible")  # live, before saving
    page.get_by_label("About getting food and drink: how does this affect them?").fill("Cannot stand to cook")
    page.get_by_label("About washing and keeping clean: how does this affect them?").fill("Afraid of falling")
    for outcome in OTHER_OUTCOMES:
        page.get_by_role("group", name=outcome).get_by_label("They can achieve this", exact=True).check()
    assert_accessible(page)
    _save(page)
    page.get_by_role("link", name="Mental capacity and advocacy").click()
    _answer(page, re.compile("reason to doubt their mental capacity"), "No")
    _answer(page, "Would they have substantial difficulty taking part in the assessment?", "No")
    _save(page)
    page.get_by_role("link", name="Eligibility decision").click()
    page.get_by_label("I agree").check()
    _save(page)

    # The support sequence: every step looked at, none meets the outcome fully, so formal support is justified.
    page.get_by_role("link", name="Support sequence").click()
    page.get_by_role("button", name="Add the outcomes they cannot achieve").click()
    for outcome in ("Getting food and drink", "Washing and keeping clean"):
        page.locator("#sequence-outcomes").get_by_role("link", name=outcome).click()
        panel = page.locator("#sequence-live")
        for step in STEPS:
            page.get_by_role("group", name=f"Looked at? ({step})").get_by_label("Yes", exact=True).check()
            page.get_by_role("group", name=f"Does it meet the outcome? ({step})").get_by_label(
                "Partly", exact=True).check()
            page.get_by_label(f"What did you find? ({step})").fill(f"Talked about {step.lower()} with Mohan")
        page.get_by_role("group", name="Is formal support requested?").get_by_label("Yes", exact=True).check()
        page.get_by_label("Formal support being considered (optional)").fill("Home care")
        page.get_by_label("Hours, visits or days a week (optional)").fill("5")
        page.get_by_label("Cost of each, in pounds (optional)").fill("20.50")
        page.get_by_label("Cost of each, in pounds (optional)").blur()
        expect(panel).to_contain_text("£102.50 a week")
        expect(panel.locator(".cc-sequence__status")).to_have_text("Formal support justified")
        assert_accessible(page)
        page.get_by_role("button", name="Save and return to the outcomes").click()
    expect(page.locator("#sequence-ready")).to_contain_text(re.compile(r"Ready for approval:\s*yes"))
    assert_accessible(page)

    # The plan, sent for approval.
    page.goto(f"/assessments/{assessment.id}/")
    page.get_by_role("button", name="Start a care and support plan").click()
    for label in ("Getting food and drink", "Washing and keeping clean"):
        page.get_by_label(f"How will it be met? ({label})").fill("A carer calls each morning")
        page.get_by_label(f"By whom? ({label})").fill("Highfields Home Care")
        page.get_by_role("button", name=re.compile(re.escape(label))).click()
    page.get_by_label("Type of service").select_option(label="Long-term: support in the community")
    page.get_by_label("What the service is").select_option(label="Home care")
    page.get_by_label("How many a week").fill("10")
    page.get_by_label("Counted in").select_option(label="hours")
    page.get_by_label("Cost of each one, in pounds").fill("20.50")
    page.get_by_label("Council-commissioned support").check()
    start = page.get_by_role("group", name="Start date")
    start.get_by_label("Day").fill("1")
    start.get_by_label("Month").fill("12")
    start.get_by_label("Year").fill("2026")
    page.get_by_role("button", name="Add the service").click()
    expect(page.locator("#weekly-cost")).to_have_text("£205.00")
    assert_accessible(page)
    page.get_by_role("button", name="Send for approval").click()
    expect(page.locator("#plan-status")).to_contain_text("Waiting for approval")

    # The team leader approves from the queue, seeing the cost and the sequence trace.
    page.context.clear_cookies()
    sign_in(page, "leader")
    page.goto("/approvals/")
    page.locator("#approval-queue").get_by_role("link", name=re.compile("Mohan Patel")).click()
    expect(page.get_by_text("Formal support justified")).to_have_count(2)
    assert_accessible(page)
    page.get_by_role("button", name="Approve the plan").click()
    expect(page.get_by_text("has been approved and is now active")).to_be_visible()
    assert SupportPlan.objects.get(assessment=assessment).status == PlanStatus.ACTIVE
