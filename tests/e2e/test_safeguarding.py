"""Safeguarding in a real browser: the safeguarding lead raises a concern about someone already on record
(with the person alleged to cause harm and a child at risk), records the immediate-risk check, makes the
section 42 decision, sees the strategy clock on the worktray, records a strategy discussion (with the police
prompt), an action and the plan (support sequence), concludes the enquiry and records the adult's feedback; an
error on the way keeps what was typed. An organisational enquiry cannot close while an adult's enquiry is open.
Staff named on a concern get the Safeguarding tab. Axe on every page."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from carecase.staff.models import Role, TeamKind
from safeguarding import services
from safeguarding.models import Concern, ConcernStatus, EnquiryStatus, OrganisationalStatus
from tests.factories import PersonFactory, StaffFactory, TeamFactory

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
    radio(page, "immediate_risk", "yes")  # nothing done yet: the hub must check it the same working day
    radio(page, "police_informed", "no")
    radio(page, "alleged_known", "known")
    page.get_by_label("Their name", exact=True).fill("Ravi Patel")
    page.get_by_label("Their relationship to the adult").fill("Nephew")
    radio(page, "alleged_position_of_trust", "no")
    radio(page, "alleged_care_needs", "no")
    radio(page, "others_at_risk", "yes")
    page.get_by_label("Who else is at risk, and how?").fill("His grandson, aged 8, stays at weekends")
    radio(page, "children_at_risk", "yes")
    radio(page, "children_referral_made", "no")
    radio(page, "outcomes_asked", "Yes, they were asked and outcomes were expressed")
    page.get_by_label("What do they want to happen, in their own words?").fill("I want my money to be safe")
    radio(page, "capacity", "has_capacity")
    page.get_by_role("button", name="Record the concern").click()
    expect(page.get_by_role("alert")).to_contain_text("Select at least one type of abuse or neglect")
    expect(page.get_by_role("alert")).to_contain_text("Say why no referral has been made to children’s services")
    expect(page.get_by_label("What happened?")).to_have_value("His nephew has been taking his pension.")
    expect(page.get_by_label("Their name", exact=True)).to_have_value("Ravi Patel")
    assert_accessible(page)
    page.get_by_label("Financial or material").check()
    page.get_by_label("Why has no referral been made to children’s services?").fill(
        "His school's safeguarding lead already knows; the family has a children's social worker")
    page.get_by_role("button", name="Record the concern").click()
    expect(page.get_by_role("heading", name="Safeguarding concern")).to_be_visible()
    expect(page.get_by_role("alert")).to_contain_text("A decision is due by")
    expect(page.get_by_text("Ravi Patel, Nephew")).to_be_visible()
    expect(page.get_by_text("Not referred to children’s services")).to_be_visible()
    expect(page.get_by_text("Immediate-risk check needed")).to_be_visible()
    assert_accessible(page)
    concern = Concern.objects.get()

    page.get_by_label("What has been done to protect them?").fill("Bank card stopped; his daughter is staying")
    page.get_by_role("button", name="Record the immediate-risk check").click()
    expect(page.get_by_role("alert")).to_contain_text("What was done to protect them has been recorded")
    expect(page.get_by_text("Protection: Bank card stopped")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Make the section 42 decision").click()
    expect(page.get_by_role("heading", name="Section 42 decision")).to_be_visible()
    assert_accessible(page)
    for question, reason in (("has_care_needs", "Dementia"), ("at_risk", "Pension taken for 3 months"),
                             ("cannot_protect", "Cannot manage his bank account")):
        radio(page, question, "yes")
        page.locator(f'textarea[name="{question}_reason"]').fill(reason)
    radio(page, "result", "s42")
    page.get_by_label("Lead enquirer").select_option(label="Marcus Campbell (Safeguarding lead)")
    radio(page, "strategy_needed", "yes")
    page.get_by_role("button", name="Record the decision").click()
    expect(page.get_by_role("heading", name="Section 42 enquiry")).to_be_visible()
    expect(page.get_by_text("One is needed: hold it by")).to_be_visible()
    assert_accessible(page)
    enquiry_url = page.url

    page.goto("/safeguarding/")
    clocks = page.locator("#clocks")
    expect(clocks.get_by_role("cell", name="Strategy discussion", exact=True)).to_be_visible()
    expect(clocks.get_by_role("cell", name="Enquiry planning: the safeguarding plan")).to_be_visible()
    assert_accessible(page)
    page.goto(enquiry_url)

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

    page.get_by_role("link", name="Record their feedback").click()
    expect(page.get_by_role("heading", name="Feedback on the enquiry")).to_be_visible()
    assert_accessible(page)
    radio(page, "agreed", "yes")
    radio(page, "listened_to", "yes")
    page.get_by_label("Anything else they said, in their words (optional)").fill("They listened to me")
    page.get_by_role("button", name="Record the feedback").click()
    expect(page.get_by_role("alert")).to_contain_text("Select whether they feel safer, or did not say")
    expect(page.get_by_label("Anything else they said, in their words (optional)")).to_have_value("They listened to me")
    assert_accessible(page)
    radio(page, "got_outcomes", "partly")
    radio(page, "feels_safer", "yes")
    page.get_by_role("button", name="Record the feedback").click()
    expect(page.get_by_role("alert")).to_contain_text("Their feedback has been recorded")
    expect(page.get_by_text("“They listened to me”")).to_be_visible()
    assert_accessible(page)

    for name in ("Dashboard", "Safeguarding Adults Collection", "Provider incidents", "Organisational enquiries"):
        page.get_by_role("link", name=name, exact=True).click()
        expect(page.locator("h1")).to_be_visible()
        if name == "Dashboard":
            expect(page.locator("#feedback-summary")).to_contain_text("1 agreed to give it")
        assert_accessible(page)


def _enquiry(person, lead):
    concern = services.concern_create(
        by=lead.user, person=person, received_at=timezone.now() - dt.timedelta(hours=2), raised_by_role="provider",
        abuse_types=["Neglect and Acts of Omission"], location_of_risk="Care Home - Residential",
        source_of_risk="Service Provider", what_happened="Left without a drink overnight", immediate_risk=False,
        police_informed=False, outcomes_asked="No", capacity="has_capacity", alleged_known="nobody",
        others_at_risk=False)
    services.decision_record(concern=concern, by=lead.user, has_care_needs=True, has_care_needs_reason="Dementia",
                             at_risk=True, at_risk_reason="Neglect", cannot_protect=True,
                             cannot_protect_reason="Cannot ask for help", result="s42", lead_enquirer=lead,
                             strategy_needed=False)
    concern.refresh_from_db()
    return concern.enquiry


def test_an_organisational_enquiry_closes_only_when_each_adults_enquiry_has(page, world, lead):
    org = services.organisational_enquiry_create(by=lead.user, provider_name="Oak House Care Home",
                                                 summary="Several adults left without drinks",
                                                 opened_on=timezone.localdate(), lead=lead)
    enquiry = _enquiry(PersonFactory(given_name="Edna", family_name="Brown"), lead)
    services.organisational_link(organisational_enquiry=org, enquiry=enquiry, by=lead.user)
    sign_in(page, "sglead")
    page.goto(f"/safeguarding/organisational/{org.id}/")
    expect(page.get_by_text("1 adult’s enquiry is still open")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Summary: what the enquiry found and what changed").fill("New manager; staff retrained")
    page.get_by_role("button", name="Close the organisational enquiry").click()
    expect(page.get_by_role("alert")).to_contain_text("You cannot close this organisational enquiry yet")
    expect(page.get_by_label("Summary: what the enquiry found and what changed")).to_have_value(
        "New manager; staff retrained")
    assert_accessible(page)
    services.enquiry_close(enquiry=enquiry, by=lead.user, risk_outcome="Risk identified and action taken",
                           risk_result="Risk removed", feedback_offered=False)
    page.get_by_role("button", name="Close the organisational enquiry").click()
    expect(page.get_by_role("alert")).to_contain_text("The organisational enquiry has been closed")
    expect(page.locator("#closure-summary")).to_have_text("New manager; staff retrained")
    assert_accessible(page)
    org.refresh_from_db()
    assert org.status == OrganisationalStatus.CLOSED


def test_staff_named_on_a_concern_get_the_safeguarding_tab(page, world, lead):
    concern = _enquiry(world["mohan"], lead).concern
    sign_in(page, "leader")
    page.goto(f"/people/{world['mohan'].id}/")
    expect(page.get_by_role("link", name="Case notes (1)")).to_be_visible()
    expect(page.get_by_role("link", name="Safeguarding", exact=True)).to_have_count(0)
    services.grant_add(concern=concern, by=lead.user, user=world["leader"].user, reason="Supervises the worker")
    page.reload()
    page.get_by_role("link", name="Safeguarding", exact=True).click()
    expect(page.get_by_role("heading", name="Safeguarding", exact=True)).to_be_visible()
    expect(page.get_by_role("link", name=timezone.localtime(concern.received_at).strftime("%-d %B %Y"))).to_be_visible()
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
