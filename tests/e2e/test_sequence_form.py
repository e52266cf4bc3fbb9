"""The support sequence in a real browser: outcomes added from the eligibility result, one outcome worked
through the steps with the live panel (htmx, evaluated on the server), saved, and the list updated; an axe
check on every page visited."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from assessments import services
from assessments.models import Assessment, SequenceOutcome

from .conftest import assert_accessible, sign_in

ADULT_CODES = ["nutrition", "personal_hygiene", "toilet_needs", "being_clothed", "using_home_safely",
               "habitable_home", "relationships", "work_education_volunteering", "community_services",
               "caring_for_child"]


def _eligible_assessment(person, user) -> Assessment:
    assessment = services.assessment_start(person=person, by=user, assessment_type="needs")
    services.assessment_save_section(assessment=assessment, by=user, section="conditions",
                                     impairment_or_illness=True, significant_impact_on_wellbeing=True)
    answers = {code: {"statuses": ["achieved"]} for code in ADULT_CODES}
    answers["nutrition"] = {"statuses": ["unable_without_assistance"], "description": "Cannot cook"}
    answers["personal_hygiene"] = {"statuses": ["significant_pain_distress_anxiety"], "description": "Pain"}
    services.assessment_save_outcomes(assessment=assessment, by=user, answers=answers)
    return assessment


def _step(page, step: str, considered: str, meets: str | None = None) -> None:
    page.get_by_role("group", name=f"Looked at? ({step})").get_by_label(considered, exact=True).check()
    if meets:
        page.get_by_role("group", name=f"Does it meet the outcome? ({step})").get_by_label(meets, exact=True).check()


def test_practitioner_works_an_outcome_through_the_sequence(page, world):
    assessment = _eligible_assessment(world["mohan"], world["worker"].user)
    sign_in(page, "asha")
    page.goto(f"/assessments/{assessment.id}/")
    expect(page.locator("#task-sequence-status")).to_have_text("Not yet started")
    page.get_by_role("link", name="Support sequence").click()
    expect(page.locator("#sequence-ready")).to_contain_text("Ready for approval: no")
    assert_accessible(page)

    page.get_by_role("button", name="Add the outcomes they cannot achieve").click()
    table = page.locator("#sequence-outcomes")
    expect(table.locator("tbody tr")).to_have_count(2)
    expect(table).to_contain_text("Getting food and drink")
    expect(table.get_by_text("Not finished")).to_have_count(2)
    assert_accessible(page)

    table.get_by_role("link", name="Getting food and drink").click()
    panel = page.locator("#sequence-live")
    status = panel.locator(".cc-sequence__status")
    expect(status).to_have_text("Not finished")
    expect(panel).to_contain_text("Next step: Own strengths")
    assert_accessible(page)

    # Own strengths helps only partly: still not finished, and the next step moves on.
    _step(page, "Own strengths", "Yes", "Partly")
    page.get_by_label("What did you find? (Own strengths)").fill("Makes drinks and cold snacks")
    page.get_by_label("What did you find? (Own strengths)").blur()
    expect(panel).to_contain_text("Next step: Technology and equipment")
    expect(status).to_have_text("Not finished")
    expect(panel).to_contain_text("Not saved yet")

    # Family meets it fully, but only counts once there is a note (typed: the panel follows keystrokes).
    _step(page, "Family, friends and neighbours", "Yes", "Fully")
    expect(panel).to_contain_text("there is no note of what was found")
    expect(status).to_have_text("Not finished")
    page.get_by_label("What did you find? (Family, friends and neighbours)").press_sequentially(
        "Daughter next door cooks daily")
    expect(status).to_have_text("Met without formal support")
    expect(panel).to_contain_text("a step meets it fully")
    row = SequenceOutcome.objects.get(assessment=assessment, national_outcome="nutrition")
    assert row.steps == {} and row.status == "incomplete"  # the live panel saved nothing
    assert_accessible(page)

    page.get_by_role("button", name="Save and return to the outcomes").click()
    expect(page.get_by_role("heading", name="Support sequence")).to_be_visible()
    food = table.locator("tr", has_text="Getting food and drink")
    expect(food).to_contain_text("Met without formal support")
    expect(table.locator("tr", has_text="Washing and keeping clean")).to_contain_text("Not finished")
    expect(page.locator("#sequence-ready")).to_contain_text(re.compile(r"Ready for approval:\s*no"))
    assert_accessible(page)
    row.refresh_from_db()
    assert row.status == "met_without_formal_support"
    assert row.steps["family_friends"]["note"] == "Daughter next door cooks daily"
