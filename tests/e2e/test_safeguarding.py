"""Safeguarding in a real browser: the safeguarding lead raises a concern about someone already on record,
makes the section 42 decision, records a strategy discussion (with the police prompt), an action and the plan
(support sequence), and concludes the enquiry; an error on the way keeps what was typed. Axe on every page."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from carecase.staff.models import Role, TeamKind
from safeguarding.models import Concern, ConcernStatus, EnquiryStatus
from tests.factories import StaffFactory, TeamFactory

from .conftest import assert_accessible, sign_in


@pytest.fixture
def lead(world):
    hub = TeamFactory(name="Adult Safeguarding Hub", kind=TeamKind.SAFEGUARDING)
    return StaffFactory(user__username="sglead", user__first_name="Marcus", user__last_name="Campbell",
                        role=Role.SAFEGUARDING_LEAD, team=hub, job_title="Safeguarding lead")


def radio(page, name: str, value: str) -> None:
    page.locator(f'input[name="{name}"][value="{value}"]').check()


def fill_date(page, name: str, day: dt.date) -> None:
    page.locator(f'input[name="{name}_day"]').fill(str(day.day))
    page.locator(f'input[name="{name}_month"]').fill(str(day.month))
    page.locator(f'input[name="{name}_year"]').fill(str(day.year))


def test_raise_a_concern_through_to_closure(page, world, lead):
    mohan = world["mohan"]
    today = timezone.localdate()
    sign_in(page, "sglead")
    page.get_by_role("link", name="Safeguarding", exact=True).first.click()
    expect(page.get_by_role("heading", name="Safeguarding worktray")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Raise a concern").first.click()
    expect(page.get_by_role("heading", name="Who is the adult at risk?")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("CareCase ID").fill(str(mohan.id))
    page.get_by_role("button", name="Continue with this person").click()
    expect(page.get_by_role("heading", name="Raise a safeguarding concern")).to_be_visible()
    assert_accessible(page)

    # Miss the type of abuse: the error names it, and what was typed stays.
    page.locator('input[name="received_time"]').fill("00:01")
    radio(page, "raised_by_role", "family")
    page.get_by_label("Their name (optional)").fill("Priya Patel")
    radio(page, "location_of_risk", "Own Home")
    radio(page, "source_of_risk", "Other - Known to Individual")
    page.get_by_label("What happened?").fill("His nephew has been taking his pension.")
    radio(page, "immediate_risk", "no")
    radio(page, "police_informed", "no")
    radio(page, "outcomes_asked", "Yes, they were asked and outcomes were expressed")
    page.get_by_label("What do they want to happen, in their own words?").fill("I want my money to be safe")
    radio(page, "capacity", "has_capacity")
    page.get_by_role("button", name="Record the concern").click()
    expect(page.get_by_role("alert")).to_contain_text("Select at least one type of abuse or neglect")
    expect(page.get_by_label("What happened?")).to_have_value("His nephew has been taking his pension.")
    assert_accessible(page)
    page.get_by_label("Financial or material").check()
    page.get_by_role("button", name="Record the concern").click()
    expect(page.get_by_role("heading", name="Safeguarding concern")).to_be_visible()
    expect(page.get_by_role("alert")).to_contain_text("A decision is due by")
    assert_accessible(page)
    concern = Concern.objects.get()

    page.get_by_role("link", name="Make the section 42 decision").click()
    expect(page.get_by_role("heading", name="Section 42 decision")).to_be_visible()
    assert_accessible(page)
    for question, reason in (("has_care_needs", "Dementia"), ("at_risk", "Pension taken for 3 months"),
                             ("cannot_protect", "Cannot manage his bank account")):
        radio(page, question, "yes")
        page.locator(f'textarea[name="{question}_reason"]').fill(reason)
    radio(page, "result", "s42")
    page.get_by_label("Lead enquirer").select_option(label="Marcus Campbell (Safeguarding lead)")
    page.get_by_role("button", name="Record the decision").click()
    expect(page.get_by_role("heading", name="Section 42 enquiry")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Record a strategy discussion").click()
    expect(page.get_by_role("heading", name="Record a strategy discussion")).to_be_visible()
    assert_accessible(page)
    fill_date(page, "held_on", today)
    page.get_by_label("Who took part?").fill("Marcus Campbell, PC Jones, the GP")
    radio(page, "police_attended", "yes")
    page.get_by_role("button", name="Record the discussion").click()
    expect(page.get_by_role("alert")).to_contain_text("Select whether a crime could have been committed")
    assert_accessible(page)
    radio(page, "crime_possible", "yes")
    radio(page, "police_informed", "yes")
    page.get_by_role("button", name="Record the discussion").click()
    expect(page.get_by_role("heading", name="Section 42 enquiry")).to_be_visible()
    expect(page.get_by_text("Police informed or invited.")).to_be_visible()

    page.get_by_label("What needs to be done?").fill("Call the bank's fraud team")
    page.get_by_label("Who will do it?").fill("Marcus Campbell")
    fill_date(page, "due_on", today + dt.timedelta(days=5))
    page.get_by_role("button", name="Add the action").click()
    expect(page.get_by_role("cell", name="Call the bank's fraud team", exact=True)).to_be_visible()

    page.get_by_role("link", name="Make the safeguarding plan").click()
    expect(page.get_by_role("heading", name="Safeguarding plan")).to_be_visible()
    assert_accessible(page)
    expect(page.locator('textarea[name="outcome_1"]')).to_have_value("I want my money to be safe")
    radio(page, "o1_own_strengths_considered", "yes")
    radio(page, "o1_own_strengths_meets", "partly")
    page.locator('textarea[name="o1_own_strengths_note"]').fill("Knows to refuse doorstep callers")
    radio(page, "o1_family_friends_considered", "yes")
    radio(page, "o1_family_friends_meets", "fully")
    page.locator('textarea[name="o1_family_friends_note"]').fill("His son will pay the bills")
    fill_date(page, "review_on", today + dt.timedelta(days=60))
    page.get_by_role("button", name="Save the plan").click()
    expect(page.get_by_role("alert")).to_contain_text("The safeguarding plan has been saved")
    assert_accessible(page)

    page.get_by_role("link", name="Conclude the enquiry").click()
    expect(page.get_by_role("heading", name="Conclude the enquiry")).to_be_visible()
    assert_accessible(page)
    radio(page, "risk_outcome", "Risk identified and action taken")
    page.get_by_role("button", name="Conclude the enquiry").click()
    expect(page.get_by_role("alert")).to_contain_text("Select whether the risk remains, was reduced or was removed")
    assert_accessible(page)
    radio(page, "risk_result", "Risk removed")
    radio(page, "outcomes_achieved", "Fully achieved")
    radio(page, "feedback_offered", "yes")
    page.get_by_role("button", name="Conclude the enquiry").click()
    expect(page.get_by_role("alert")).to_contain_text("The enquiry has been concluded")
    assert_accessible(page)
    concern.refresh_from_db()
    assert concern.status == ConcernStatus.CLOSED and concern.enquiry.status == EnquiryStatus.CONCLUDED

    for name in ("Dashboard", "Safeguarding Adults Collection", "Provider incidents", "Organisational enquiries"):
        page.get_by_role("link", name=name, exact=True).click()
        expect(page.locator("h1")).to_be_visible()
        assert_accessible(page)


def test_the_allocated_worker_sees_the_safeguarding_tab_and_raises_a_concern(page, world):
    sign_in(page, "asha")
    page.goto(f"/people/{world['mohan'].id}/")
    page.get_by_role("link", name="Safeguarding", exact=True).click()
    expect(page.get_by_role("heading", name="Safeguarding", exact=True)).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Raise a concern about Mohan Patel").click()
    expect(page.get_by_role("heading", name="Raise a safeguarding concern")).to_be_visible()
    assert_accessible(page)
