"""The concern's questions from GUIDE §2.9 added after the first release: the person alleged to cause harm, and
other adults or children at risk (with the referral to children's services). Plain-English errors, the
database's own checks, the concern page and the API."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from rest_framework.test import APIClient

from safeguarding.models import Concern

from .conftest import make_concern

pytestmark = pytest.mark.django_db


def errors_of(call) -> dict:
    with pytest.raises(ValidationError) as info:
        call()
    return info.value.message_dict


def test_a_known_person_needs_a_name_relationship_trust_and_care_needs(adult, lead):
    errors = errors_of(lambda: make_concern(adult, lead, alleged_known="known", alleged_name=" ",
                                            alleged_relationship="", alleged_position_of_trust=None,
                                            alleged_care_needs=""))
    assert errors == {
        "alleged_name": ["Give the name of the person alleged to cause harm"],
        "alleged_relationship": ["Say how they are related to or know the adult, for example “nephew”"],
        "alleged_position_of_trust": ["Select whether they are in a position of trust, such as a paid carer or a "
                                      "professional"],
        "alleged_care_needs": ["Select whether they have care and support needs themselves"],
    }
    assert not Concern.objects.exists()


def test_an_unknown_person_needs_a_description_not_a_name(adult, lead):
    errors = errors_of(lambda: make_concern(adult, lead, alleged_known="unknown", alleged_name="",
                                            alleged_relationship=""))
    assert errors == {"alleged_description": ["Describe the person alleged to cause harm, for example what they "
                                              "look like or where the adult met them"]}
    concern = make_concern(adult, lead, alleged_known="unknown", alleged_name="", alleged_relationship="",
                           alleged_description="A man who says he is from the water board", alleged_care_needs="not_known",
                           alleged_position_of_trust=False)
    assert concern.alleged_description.startswith("A man") and concern.alleged_care_needs == "not_known"


def test_when_no_one_else_is_alleged_nothing_more_is_kept(adult, lead):
    concern = make_concern(adult, lead, alleged_known="nobody", abuse_types=["Self-Neglect"])
    assert (concern.alleged_known, concern.alleged_name, concern.alleged_position_of_trust) == ("nobody", "", None)


def test_the_known_question_must_be_answered(adult, lead):
    assert errors_of(lambda: make_concern(adult, lead, alleged_known="")) == {
        "alleged_known": ["Select whether the person alleged to cause harm is known"]}


def test_others_at_risk_need_details_and_children_a_referral_answer(adult, lead):
    assert errors_of(lambda: make_concern(adult, lead, others_at_risk=None)) == {
        "others_at_risk": ["Select whether any other adults or children are at risk"]}
    assert errors_of(lambda: make_concern(adult, lead, others_at_risk=True, children_at_risk=None)) == {
        "others_at_risk_details": ["Say who else is at risk and how"],
        "children_at_risk": ["Select whether any children are at risk"]}
    assert errors_of(lambda: make_concern(adult, lead, others_at_risk=True, others_at_risk_details="Grandson, 8",
                                          children_at_risk=True)) == {
        "children_referral_made": ["Select whether a referral has been made to children’s services"]}
    assert errors_of(lambda: make_concern(adult, lead, others_at_risk=True, others_at_risk_details="Grandson, 8",
                                          children_at_risk=True, children_referral_made=False,
                                          children_referral_reason=" ")) == {
        "children_referral_reason": ["Say why no referral has been made to children’s services"]}
    concern = make_concern(adult, lead, others_at_risk=True, others_at_risk_details="Grandson, 8, lives there",
                           children_at_risk=True, children_referral_made=False,
                           children_referral_reason="Children's services already involved; social worker told")
    assert concern.children_referral_made is False and concern.children_referral_reason.startswith("Children's")


def test_a_referral_made_drops_any_reason_and_no_children_drops_the_referral(adult, lead):
    made = make_concern(adult, lead, others_at_risk=True, others_at_risk_details="Grandson", children_at_risk=True,
                        children_referral_made=True, children_referral_reason="left over")
    assert made.children_referral_reason == ""
    adults_only = make_concern(adult, lead, others_at_risk=True, others_at_risk_details="His wife, who has dementia",
                               children_at_risk=False, children_referral_made=False)
    assert adults_only.children_referral_made is None


@pytest.mark.parametrize("change", [
    {"alleged_known": "known", "alleged_name": ""},
    {"alleged_known": "unknown", "alleged_description": ""},
    {"others_at_risk": True, "others_at_risk_details": ""},
    {"children_at_risk": True, "children_referral_made": None},
    {"children_referral_made": False, "children_referral_reason": ""},
])
def test_the_database_refuses_half_answers(concern, change):
    with transaction.atomic(), pytest.raises(IntegrityError):
        Concern.objects.filter(pk=concern.pk).update(**change)


def test_the_concern_page_shows_the_answers(client, adult, lead):
    concern = make_concern(adult, lead, alleged_position_of_trust=True, others_at_risk=True,
                           others_at_risk_details="His grandson, aged 8, stays at weekends", children_at_risk=True,
                           children_referral_made=False, children_referral_reason="Already known; social worker told")
    client.force_login(lead.user)
    page = client.get(reverse("safeguarding-concern", args=[concern.id])).content.decode()
    assert "Ravi Patel, Nephew" in page and "In a position of trust: yes" in page
    assert "Has care and support needs: no" in page
    assert "His grandson, aged 8, stays at weekends" in page
    assert "Not referred to children’s services: Already known; social worker told" in page


def test_the_api_reads_and_requires_the_answers(adult, lead):
    api = APIClient()
    api.force_authenticate(lead.user)
    concern = make_concern(adult, lead, others_at_risk=True, others_at_risk_details="His wife",
                           children_at_risk=False)
    body = api.get(reverse("api:safeguarding-concern", args=[concern.id])).json()
    assert body["alleged_known"] == "known" and body["alleged_name"] == "Ravi Patel"
    assert body["alleged_position_of_trust"] is False and body["alleged_care_needs"] == "no"
    assert body["others_at_risk"] is True and body["children_at_risk"] is False
    assert body["children_referral_made"] is None and body["immediate_risk_check_needed"] is False
    response = api.post(reverse("api:safeguarding-concerns"), {
        "person": adult.id, "received_at": concern.received_at.isoformat(), "raised_by_role": "family",
        "abuse_types": ["Physical"], "location_of_risk": "Own Home", "source_of_risk": "Other - Known to Individual",
        "what_happened": "Bruises", "immediate_risk": False, "police_informed": False, "outcomes_asked": "No",
        "capacity": "has_capacity", "alleged_known": "known", "others_at_risk": True}, format="json")
    assert response.status_code == 400
    assert set(response.json()) == {"alleged_name", "alleged_relationship", "alleged_position_of_trust",
                                    "alleged_care_needs", "others_at_risk_details", "children_at_risk"}


def test_older_concerns_show_not_recorded(client, adult, lead):
    concern = make_concern(adult, lead)
    # As recorded before these questions were asked.
    Concern.objects.filter(pk=concern.pk).update(alleged_known="", alleged_name="", alleged_relationship="",
                                                 alleged_position_of_trust=None, alleged_care_needs="",
                                                 others_at_risk=None)
    client.force_login(lead.user)
    page = client.get(reverse("safeguarding-concern", args=[concern.id])).content.decode()
    assert page.count("Not recorded") >= 2
