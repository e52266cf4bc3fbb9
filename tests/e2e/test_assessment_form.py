"""A needs assessment from start to authorisation in a real browser, with the live eligibility panel
(htmx, evaluated on the server) and an axe check on every page visited."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from assessments.models import Assessment, AssessmentStatus

from .conftest import assert_accessible, sign_in

UNABLE = "Cannot achieve this outcome without help, including needing prompts"
OTHER_OUTCOMES = [
    "Managing toilet needs", "Being appropriately clothed", "Being able to make use of the home safely",
    "Maintaining a habitable home environment", "Developing and maintaining family or other personal relationships",
    "Accessing and engaging in work, training, education or volunteering",
    "Making use of necessary facilities or services in the local community, including public transport and "
    "recreational facilities or services",
    "Carrying out any caring responsibilities the adult has for a child",
]


def _answer(page, question: str, answer: str) -> None:
    page.get_by_role("group", name=question).get_by_label(answer, exact=True).check()


def _save(page) -> None:
    page.get_by_role("button", name="Save and return to the task list").click()
    expect(page.locator(".govuk-task-list")).to_be_visible()


def test_practitioner_completes_an_assessment_and_team_leader_authorises(page, world):
    mohan = world["mohan"]
    sign_in(page, "asha")
    page.goto(f"/people/{mohan.id}/assessments/")
    expect(page.get_by_text("Mohan Patel has no assessments yet")).to_be_visible()
    assert_accessible(page)

    # Start: the date is already today.
    page.get_by_role("button", name="Start assessment").click()
    expect(page.get_by_role("alert")).to_contain_text("Select the type of assessment")
    assert_accessible(page)
    page.get_by_label("Needs assessment").check()
    page.get_by_role("button", name="Start assessment").click()
    expect(page.get_by_role("heading", name="Needs assessment")).to_be_visible()
    expect(page.locator("#eligibility")).to_contain_text("Not eligible")
    assert_accessible(page)
    assessment = Assessment.objects.get(person=mohan)

    page.get_by_role("link", name="What matters to them").click()
    assert_accessible(page)
    page.get_by_label("What matters to them?").fill("Getting to the mosque on Fridays and cooking for my grandson")
    page.get_by_label("What are their strengths?").fill("Knows his medicines well")
    page.get_by_label("Who is around them?").fill("Daughter visits at weekends")
    _save(page)
    expect(page.locator("#task-conversation-status")).to_have_text("Completed")

    page.get_by_role("link", name="Needs and conditions").click()
    assert_accessible(page)
    _answer(page, "Do their needs arise from, or relate to, a physical or mental impairment or illness?", "Yes")
    _answer(page, "Is there, or is there likely to be, a significant impact on their wellbeing?", "Yes")
    _answer(page, "Do their needs fluctuate?", "Yes")
    page.get_by_role("button", name="Save and return to the task list").click()
    # Nothing typed is lost when something is missing.
    expect(page.get_by_role("alert")).to_contain_text("Say over what period you looked at their needs")
    expect(page.get_by_role("group", name=re.compile("impairment or illness")).get_by_label("Yes")).to_be_checked()
    assert_accessible(page)
    page.get_by_label("If their needs fluctuate, over what period did you look?").fill("The last 3 months")
    _save(page)

    # Outcomes, with the live panel: one outcome is not enough for an adult, two are.
    page.get_by_role("link", name="Outcomes").click()
    panel = page.locator("#eligibility-live")
    result = panel.locator(".cc-eligibility__result")
    expect(result).to_have_text("Not eligible")
    assert_accessible(page)
    page.get_by_role("group", name="Managing and maintaining nutrition").get_by_label(UNABLE, exact=True).check()
    expect(panel).to_contain_text("Unable to achieve only 1 outcome: getting food and drink")
    expect(result).to_have_text("Not eligible")
    page.get_by_role("group", name="Maintaining personal hygiene").get_by_label(UNABLE, exact=True).check()
    expect(result).to_have_text("Eligible")
    expect(panel).to_contain_text("Not saved yet")
    assessment.refresh_from_db()
    assert assessment.engine_eligible is False  # the preview saved nothing
    assert_accessible(page)
    page.get_by_label("About getting food and drink: how does this affect them?").fill("Cannot stand to cook")
    page.get_by_label("About washing and keeping clean: how does this affect them?").fill("Afraid of falling")
    for outcome in OTHER_OUTCOMES:
        page.get_by_role("group", name=outcome).get_by_label("They can achieve this", exact=True).check()
    expect(result).to_have_text("Eligible")
    _save(page)
    expect(page.locator("#eligibility .cc-eligibility__result")).to_have_text("Eligible")
    expect(page.locator("#task-outcomes-status")).to_have_text("Completed")
    assessment.refresh_from_db()
    assert assessment.engine_eligible is True

    page.get_by_role("link", name="Mental capacity and advocacy").click()
    assert_accessible(page)
    _answer(page, re.compile("reason to doubt their mental capacity"), "No")
    _answer(page, "Would they have substantial difficulty taking part in the assessment?", "No")
    _save(page)

    page.get_by_role("link", name="Eligibility decision").click()
    assert_accessible(page)
    page.get_by_label("I disagree").check()
    page.get_by_role("button", name="Save and return to the task list").click()
    expect(page.get_by_role("alert")).to_contain_text("Say why you disagree with the suggested decision")
    assert_accessible(page)
    page.get_by_label("I agree").check()
    _save(page)

    page.get_by_role("link", name="Submit", exact=True).click()
    assert_accessible(page)
    page.get_by_role("button", name="Submit for authorisation").click()
    expect(page.get_by_text("Submitted for authorisation").first).to_be_visible()
    assert_accessible(page)

    # The team leader reads it and authorises it.
    page.get_by_role("button", name=re.compile("Sign out")).click()
    sign_in(page, "leader")
    page.goto(f"/assessments/{assessment.id}/")
    expect(page.get_by_role("button", name="Authorise assessment")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Outcomes").click()
    expect(page.get_by_text("Cannot stand to cook")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Back to the task list").click()
    page.get_by_role("button", name="Authorise assessment").click()
    expect(page.get_by_text("The assessment has been authorised")).to_be_visible()
    assert_accessible(page)
    assessment.refresh_from_db()
    assert assessment.status == AssessmentStatus.AUTHORISED
    assert [t.to_status for t in assessment.transitions.all()] == ["draft", "submitted", "authorised"]
