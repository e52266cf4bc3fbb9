"""The safeguarding pages through the test client: raising a concern (finding or adding the adult with a
duplicate check), the decision, the enquiry's strategy discussion, actions, plan and closure, incidents and
organisational enquiries; bad input gets plain-English errors and loses nothing typed."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from carecase.people.models import Person
from safeguarding.models import (
    Concern,
    ConcernStatus,
    EnquiryStatus,
    IncidentTriage,
    OrganisationalEnquiry,
    ProviderIncident,
)
from tests.factories import PersonFactory

from .conftest import decide, make_concern

pytestmark = pytest.mark.django_db


def date_fields(name: str, day: dt.date) -> dict:
    return {f"{name}_day": day.day, f"{name}_month": day.month, f"{name}_year": day.year}


def concern_post(**overrides) -> dict:
    today = timezone.localdate()
    data = {**date_fields("received_on", today), "received_time": "00:05", "raised_by_role": "family",
            "raised_by_name": "Priya Patel", "abuse_types": ["Financial or Material", "Psychological"],
            "location_of_risk": "Own Home", "source_of_risk": "Other - Known to Individual",
            "what_happened": "His nephew has been taking his pension.", "immediate_risk": "yes",
            "protection_actions": "Bank card stopped", "police_informed": "no",
            "outcomes_asked": "Yes, they were asked and outcomes were expressed",
            "desired_outcomes": "I want my money to be safe", "capacity": "has_capacity", "advocacy": "",
            "alleged_known": "known", "alleged_name": "Ravi Patel", "alleged_relationship": "Nephew",
            "alleged_position_of_trust": "no", "alleged_care_needs": "no", "others_at_risk": "no"}
    return data | overrides


@pytest.fixture
def lead_client(client, lead):
    client.force_login(lead.user)
    return client


def test_raise_a_concern_for_someone_already_on_record(lead_client, adult):
    page = lead_client.post(reverse("safeguarding-raise-start"), {"action": "existing", "existing-person_id": adult.id})
    assert page.status_code == 302 and page["Location"] == reverse("safeguarding-raise", args=[adult.id])
    response = lead_client.post(page["Location"], concern_post())
    concern = Concern.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("safeguarding-concern", args=[concern.id])
    assert concern.abuse_types == ["Financial or Material", "Psychological"] and concern.immediate_risk
    assert concern.team.kind == "safeguarding"
    detail = lead_client.get(response["Location"]).content.decode()
    assert "I want my money to be safe" in detail and "Make the section 42 decision" in detail


def test_an_unknown_care_case_id_is_a_plain_error(lead_client):
    page = lead_client.post(reverse("safeguarding-raise-start"), {"action": "existing", "existing-person_id": 999999})
    assert page.status_code == 200 and "There is no one on CareCase with that ID" in page.content.decode()


def test_adding_the_adult_checks_for_duplicates_first(lead_client, adult):
    post = {"action": "new", "new-given_name": adult.given_name, "new-family_name": adult.family_name,
            **{f"new-{k}": v for k, v in date_fields("date_of_birth", adult.date_of_birth).items()}}
    page = lead_client.post(reverse("safeguarding-raise-start"), post)
    body = page.content.decode()
    assert page.status_code == 200 and "These people may be the same person" in body and f"CareCase ID {adult.id}" in body
    assert Person.objects.count() == 1
    page = lead_client.post(reverse("safeguarding-raise-start"), post | {"new-confirm_not_duplicate": "on"})
    assert page.status_code == 302 and Person.objects.count() == 2


def test_a_new_adult_with_no_match_is_added_straight_away(lead_client):
    page = lead_client.post(reverse("safeguarding-raise-start"), {"action": "new", "new-given_name": "Ada",
                                                                  "new-family_name": "Quist"})
    assert page.status_code == 302
    person = Person.objects.get(family_name="Quist")
    assert page["Location"] == reverse("safeguarding-raise", args=[person.id])


def test_bad_concern_input_gets_plain_errors_and_keeps_what_was_typed(lead_client, adult):
    page = lead_client.post(reverse("safeguarding-raise", args=[adult.id]),
                            concern_post(abuse_types=[], alleged_name="", location_of_risk="",
                                         others_at_risk="yes", others_at_risk_details="His grandson, aged 8",
                                         children_at_risk="yes", children_referral_made="no"))
    body = page.content.decode()
    assert page.status_code == 200 and "There is a problem" in body
    assert "Select at least one type of abuse or neglect" in body
    assert "Give the name of the person alleged to cause harm" in body
    assert "Say why no referral has been made to children’s services" in body
    assert "His grandson, aged 8" in body
    assert "Select where the risk is" in body
    assert "His nephew has been taking his pension." in body and "I want my money to be safe" in body
    assert not Concern.objects.exists()


def test_the_decision_page_opens_the_enquiry(lead_client, lead, adult):
    concern = make_concern(adult, lead)
    url = reverse("safeguarding-decision", args=[concern.id])
    bad = lead_client.post(url, {"has_care_needs": "yes", "at_risk": "yes", "cannot_protect": "no", "result": "s42",
                                 "has_care_needs_reason": "Dementia"})
    body = bad.content.decode()
    assert "A section 42 enquiry needs yes to all three questions" in body and "Dementia" in body
    good = lead_client.post(url, {"has_care_needs": "yes", "at_risk": "yes", "cannot_protect": "yes", "result": "s42",
                                  "has_care_needs_reason": "Dementia", "at_risk_reason": "Pension taken",
                                  "cannot_protect_reason": "Cannot manage money", "lead_enquirer": lead.pk,
                                  "strategy_needed": "yes"})
    concern.refresh_from_db()
    assert good.status_code == 302 and good["Location"] == reverse("safeguarding-enquiry", args=[concern.enquiry.id])
    assert lead_client.get(url).status_code == 302  # decided: back to the concern


def test_strategy_discussion_action_plan_and_closure_pages(lead_client, lead, adult):
    concern = make_concern(adult, lead)
    decide(concern, lead)
    concern.refresh_from_db()
    enquiry = concern.enquiry
    today = timezone.localdate()
    bad = lead_client.post(reverse("safeguarding-strategy", args=[enquiry.id]),
                           {**date_fields("held_on", today), "attendees": "Lead, police", "police_attended": "yes"})
    assert "Select whether a crime could have been committed" in bad.content.decode()
    ok = lead_client.post(reverse("safeguarding-strategy", args=[enquiry.id]),
                          {**date_fields("held_on", today), "attendees": "Lead, police", "police_attended": "yes",
                           "crime_possible": "yes", "police_informed": "yes", "decisions": "Police to visit"})
    assert ok.status_code == 302
    added = lead_client.post(reverse("safeguarding-enquiry", args=[enquiry.id]),
                             {"action": "add", "description": "Call the bank", "owner": "Lead",
                              **date_fields("due_on", today + dt.timedelta(days=7))})
    assert added.status_code == 302 and enquiry.actions.count() == 1
    missing = lead_client.post(reverse("safeguarding-enquiry", args=[enquiry.id]), {"action": "add"})
    assert "Say what needs to be done" in missing.content.decode()
    lead_client.post(reverse("safeguarding-enquiry", args=[enquiry.id]),
                     {"action": "done", "action_id": enquiry.actions.get().id})
    assert enquiry.actions.get().done_on == today
    plan_page = lead_client.get(reverse("safeguarding-plan", args=[enquiry.id])).content.decode()
    assert "I want my money to be safe" in plan_page  # their words, carried over from the concern
    saved = lead_client.post(reverse("safeguarding-plan", args=[enquiry.id]), {
        "outcome_1": "I want my money to be safe", "o1_own_strengths_considered": "yes",
        "o1_own_strengths_meets": "partly", "o1_own_strengths_note": "Knows to refuse doorstep callers",
        "o1_family_friends_considered": "yes", "o1_family_friends_meets": "fully",
        "o1_family_friends_note": "Son pays the bills", "formal_actions": "Change of provider",
        **date_fields("review_on", today + dt.timedelta(days=60))})
    assert saved.status_code == 302
    page = lead_client.get(reverse("safeguarding-enquiry", args=[enquiry.id])).content.decode()
    assert "Review by" in page and "Police informed or invited" in page
    bad_close = lead_client.post(reverse("safeguarding-close", args=[enquiry.id]), {"closure_summary": "Done"})
    body = bad_close.content.decode()
    assert "Select the risk outcome" in body and "Select whether they were offered the chance" in body
    assert "Done" in body
    closed = lead_client.post(reverse("safeguarding-close", args=[enquiry.id]), {
        "risk_outcome": "Risk identified and action taken", "risk_result": "Risk removed",
        "outcomes_achieved": "Fully achieved", "feedback_offered": "yes"})
    assert closed.status_code == 302
    enquiry.refresh_from_db()
    assert enquiry.status == EnquiryStatus.CONCLUDED and enquiry.concern.status == ConcernStatus.CLOSED


def test_incident_triage_notifiable_only_or_raise_a_concern(lead_client, adult):
    today = timezone.localdate()
    bad = lead_client.post(reverse("safeguarding-incidents"), {"provider_name": "Oak House"})
    assert "Say what happened" in bad.content.decode() and "Oak House" in bad.content.decode()
    lead_client.post(reverse("safeguarding-incidents"), {"provider_name": "Oak House", "person_id": adult.id,
                                                         **date_fields("occurred_on", today),
                                                         "description": "Bruise after transfer", "harm_caused": "yes"})
    incident = ProviderIncident.objects.get()
    go = lead_client.post(reverse("safeguarding-incident", args=[incident.id]), {"triage": "raise_concern"})
    assert go["Location"] == reverse("safeguarding-raise", args=[adult.id]) + f"?incident={incident.id}"
    form = lead_client.get(go["Location"]).content.decode()
    assert "Bruise after transfer" in form
    lead_client.post(reverse("safeguarding-raise", args=[adult.id]), concern_post(incident=incident.id))
    incident.refresh_from_db()
    assert incident.triage == IncidentTriage.CONCERN_RAISED and incident.concern is not None


def test_organisational_enquiry_pages(lead_client, lead):
    today = timezone.localdate()
    bad = lead_client.post(reverse("safeguarding-organisational-list"), {"provider_name": "Oak House"})
    assert "Choose who leads the enquiry" in bad.content.decode()
    lead_client.post(reverse("safeguarding-organisational-list"), {
        "provider_name": "Oak House", "summary": "Falls", **date_fields("opened_on", today), "lead": lead.pk})
    org = OrganisationalEnquiry.objects.get()
    concern = make_concern(PersonFactory(), lead)
    decide(concern, lead)
    concern.refresh_from_db()
    lead_client.post(reverse("safeguarding-organisational", args=[org.id]),
                     {"action": "link", "enquiry": concern.enquiry.id})
    page = lead_client.get(reverse("safeguarding-organisational", args=[org.id])).content.decode()
    assert concern.person.display_name in page


def test_pages_never_say_service_user_client_or_customer(lead_client, lead, adult):
    concern = make_concern(adult, lead)
    decide(concern, lead)
    concern.refresh_from_db()
    urls = [reverse(n) for n in ("safeguarding-hub", "safeguarding-raise-start", "safeguarding-incidents",
                                 "safeguarding-organisational-list", "safeguarding-dashboard", "safeguarding-return")]
    urls += [reverse("safeguarding-concern", args=[concern.id]), reverse("person-safeguarding", args=[adult.id]),
             reverse("safeguarding-raise", args=[adult.id])]
    urls += [reverse(n, args=[concern.enquiry.id]) for n in ("safeguarding-enquiry", "safeguarding-strategy",
                                                             "safeguarding-plan", "safeguarding-close")]
    for url in urls:
        body = lead_client.get(url).content.decode().lower()
        for word in ("service user", "client", "customer"):
            assert word not in body.replace("client-side", ""), (url, word)


def test_the_safeguarding_tab_and_menu_show_only_to_those_who_may_see_them(client, lead, adult, practitioner,
                                                                          other_practitioner):
    tab = reverse("person-safeguarding", args=[adult.id])
    client.force_login(practitioner.user)
    page = client.get(reverse("person-detail", args=[adult.id])).content.decode()
    assert tab in page and f'href="{reverse("safeguarding-hub")}"' not in page
    client.force_login(other_practitioner.user)
    assert tab not in client.get(reverse("person-detail", args=[adult.id]), follow=True).content.decode()
    client.force_login(lead.user)
    page = client.get(reverse("home")).content.decode()
    assert f'href="{reverse("safeguarding-hub")}"' in page


def _queries(client, url) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_lists_take_the_same_queries_for_3_concerns_or_12(lead_client, lead):
    from rest_framework.test import APIClient

    api = APIClient()
    api.force_authenticate(lead.user)

    def add(n):
        for i in range(n):
            concern = make_concern(PersonFactory(), lead)
            if i % 2:
                decide(concern, lead)

    add(3)
    urls = [reverse("safeguarding-hub"), reverse("safeguarding-dashboard"), reverse("safeguarding-return"),
            reverse("safeguarding-incidents"), reverse("safeguarding-organisational-list")]
    before = [_queries(lead_client, url) for url in urls] + [_queries(api, reverse("api:safeguarding-concerns"))]
    add(9)
    after = [_queries(lead_client, url) for url in urls] + [_queries(api, reverse("api:safeguarding-concerns"))]
    assert before == after


def test_the_allocated_worker_reads_the_decision_page_but_cannot_decide(client, lead, adult, practitioner):
    concern = make_concern(adult, lead)
    client.force_login(practitioner.user)
    assert "Make the section 42 decision" not in client.get(reverse("safeguarding-concern", args=[concern.id])).content.decode()
    page = client.get(reverse("safeguarding-decision", args=[concern.id])).content.decode()
    assert "Only the safeguarding team, or staff named on the concern, can make this decision" in page
    response = client.post(reverse("safeguarding-decision", args=[concern.id]), {"result": "s42"})
    assert response.status_code == 403


def test_the_dashboard_reports_the_police_prompt_and_the_enquiry_shows_when_a_strategy_discussion_is_due(
        lead_client, lead, adult):
    from safeguarding import services

    concern = make_concern(adult, lead)
    decide(concern, lead)
    concern.refresh_from_db()
    page = lead_client.get(reverse("safeguarding-enquiry", args=[concern.enquiry.id])).content.decode()
    assert "(5 working days from the decision)" in page
    for informed in (True, False):
        services.strategy_discussion_record(enquiry=concern.enquiry, by=lead.user, held_on=timezone.localdate(),
                                            attendees="Lead", police_attended=False, crime_possible=True,
                                            police_informed=informed, no_police_reason="" if informed else "Declined")
    dashboard = lead_client.get(reverse("safeguarding-dashboard")).content.decode()
    assert "In 2 strategy discussions this year a crime may have been committed; the police were informed or invited in 1." in dashboard
