"""The safeguarding API: raising a concern and making the decision, with 400 field errors (never 500) for bad
input, the enquiry and the Safeguarding Adults Collection figures."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from safeguarding.models import Concern

from .conftest import make_concern

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(lead):
    client = APIClient()
    client.force_authenticate(lead.user)
    return client


def concern_body(person_id: int, **overrides) -> dict:
    return {"person": person_id, "received_at": timezone.now().isoformat(), "raised_by_role": "provider",
            "abuse_types": ["Neglect and Acts of Omission"], "location_of_risk": "Care Home - Residential",
            "source_of_risk": "Service Provider", "what_happened": "Left in a wet bed overnight",
            "immediate_risk": False, "police_informed": False, "outcomes_asked": "No",
            "capacity": "lacks_capacity", "advocacy": "Yes", "alleged_known": "unknown",
            "alleged_description": "A night care worker, not yet identified", "alleged_position_of_trust": True,
            "alleged_care_needs": "not_known", "others_at_risk": False} | overrides


def test_raise_a_concern_and_decide_through_the_api(api, adult, lead):
    response = api.post(reverse("api:safeguarding-concerns"), concern_body(adult.id), format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["status"] == "awaiting_decision" and body["decision_due_on"]
    decision = api.post(reverse("api:safeguarding-decision", args=[body["id"]]), {
        "has_care_needs": True, "has_care_needs_reason": "Dementia", "at_risk": True, "at_risk_reason": "Neglect",
        "cannot_protect": True, "cannot_protect_reason": "Cannot call for help", "result": "s42",
        "lead_enquirer": lead.pk, "strategy_needed": True}, format="json")
    assert decision.status_code == 201, decision.json()
    concern = api.get(reverse("api:safeguarding-concern", args=[body["id"]])).json()
    enquiry = api.get(reverse("api:safeguarding-enquiry", args=[concern["enquiry"]])).json()
    assert enquiry["kind"] == "s42" and enquiry["lead_enquirer"] == lead.pk
    assert api.get(reverse("api:safeguarding-decision", args=[body["id"]])).json()["within_timescale"] is True


def test_bad_input_is_a_400_with_field_errors(api, adult):
    response = api.post(reverse("api:safeguarding-concerns"), concern_body(adult.id, abuse_types=["Bullying"],
                                                                           location_of_risk="Moon"), format="json")
    assert response.status_code == 400
    assert set(response.json()) == {"abuse_types", "location_of_risk"}
    response = api.post(reverse("api:safeguarding-concerns"), concern_body(adult.id, capacity="lacks_capacity",
                                                                           advocacy=""), format="json")
    assert response.status_code == 400
    assert response.json() == {"advocacy": ["Say whether an advocate, family member or friend is supporting them"]}
    response = api.post(reverse("api:safeguarding-concerns"), concern_body(adult.id, surprise=1), format="json")
    assert response.status_code == 400 and "surprise" in response.json()
    assert not Concern.objects.exists()


def test_a_missing_person_is_a_404(api):
    assert api.post(reverse("api:safeguarding-concerns"), concern_body(99999), format="json").status_code == 404


def test_a_bad_decision_is_a_400_and_a_second_one_too(api, adult, lead):
    concern = make_concern(adult, lead)
    url = reverse("api:safeguarding-decision", args=[concern.id])
    response = api.post(url, {"has_care_needs": True, "has_care_needs_reason": "x", "at_risk": True,
                              "at_risk_reason": "x", "cannot_protect": False, "cannot_protect_reason": "x",
                              "result": "s42", "lead_enquirer": lead.pk}, format="json")
    assert response.status_code == 400 and "result" in response.json()
    response = api.post(url, {"result": "s42"}, format="json")
    assert response.status_code == 400 and "has_care_needs" in response.json()
    response = api.post(url, {"has_care_needs": True, "has_care_needs_reason": "x", "at_risk": True,
                              "at_risk_reason": "x", "cannot_protect": True, "cannot_protect_reason": "x",
                              "result": "s42", "lead_enquirer": 424242}, format="json")
    assert response.status_code == 400 and "lead_enquirer" in response.json()
    assert api.get(url).status_code == 404  # no decision yet


def test_sac_figures_and_a_bad_year(api):
    assert api.get(reverse("api:safeguarding-sac"), {"year": "twenty"}).status_code == 400
    body = api.get(reverse("api:safeguarding-sac"), {"year": 2026}).json()
    assert body["starts"] == "2026-04-01" and {"section": "Totals", "value": "Concerns received", "count": 0} in body["rows"]


def test_a_bad_status_filter_is_a_400(api):
    assert api.get(reverse("api:safeguarding-concerns"), {"status": "nonsense"}).status_code == 400
