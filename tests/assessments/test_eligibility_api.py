"""POST /api/v1/rules/eligibility/: the stateless eligibility endpoint, whose field names are a contract."""

from __future__ import annotations

import io

import pytest
import yaml
from django.core.management import call_command
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rest_framework.test import APIClient

from assessments.engine import eligibility
from tests.api.conftest import Api
from tests.factories import UserFactory

from .test_eligibility_engine import ADULT, CARER, GOLDEN

pytestmark = pytest.mark.django_db

URL = "rules/eligibility/"


@pytest.fixture
def api(practitioner):
    return Api(practitioner)


def test_an_eligible_adult(api):
    response = api.post(URL, {
        "kind": "adult", "impairment_or_illness": True, "significant_impact_on_wellbeing": True,
        "outcomes": {"nutrition": "unable_without_assistance", "personal_hygiene": "achieved",
                     "using_home_safely": "endangers_health_safety"},
    })
    assert response.status_code == 200
    assert response.json() == {
        "eligible": True,
        "conditions": [
            {"code": "needs_from_impairment", "met": True,
             "explanation": "The needs arise from a physical or mental impairment or illness."},
            {"code": "two_or_more_outcomes", "met": True,
             "explanation": "Unable to achieve 2 of the 10 outcomes: getting food and drink; "
                            "moving around and using the home safely."},
            {"code": "wellbeing_impact", "met": True,
             "explanation": "There is, or is likely to be, a significant impact on the person's wellbeing."},
        ],
        "unachieved_outcomes": ["nutrition", "using_home_safely"],
        "ruleset_version": "care-act-2015.1",
    }


def test_a_carer_whose_health_is_at_risk(api):
    response = api.post(URL, {**CARER, "health_at_risk": True, "significant_impact_on_wellbeing": True})
    assert response.status_code == 200
    data = response.json()
    assert data["eligible"] is True
    assert [c["code"] for c in data["conditions"]] == ["needs_from_caring", "health_or_outcomes", "wellbeing_impact"]
    assert data["unachieved_outcomes"] == []


@pytest.mark.parametrize("case", GOLDEN, ids=[case["name"] for case in GOLDEN])
def test_golden_case_through_the_endpoint(api, case):
    response = api.post(URL, case["answers"])
    assert response.status_code == 200
    assert response.json() == eligibility.evaluate(case["answers"]).to_dict()
    assert response.json()["eligible"] is case["eligible"]


def text_of(errors) -> str:
    if isinstance(errors, dict):
        return " ".join(text_of(value) for value in errors.values())
    return " ".join(errors)


def without(body: dict, field: str) -> dict:
    return {key: value for key, value in body.items() if key != field}


BAD_REQUESTS = {
    "missing kind": (without(ADULT, "kind"), ["kind"], "Say which eligibility test to apply"),
    "unknown kind": ({**ADULT, "kind": "child"}, ["kind"], 'Use one of: "adult"; "carer".'),
    "kind null": ({**ADULT, "kind": None}, ["kind"], ""),
    "kind a list": ({**ADULT, "kind": ["adult"]}, ["kind"], "is not an allowed value"),
    "missing impairment": (without(ADULT, "impairment_or_illness"), ["impairment_or_illness"],
                           "needed to decide eligibility for adults: send true or false"),
    "missing wellbeing for a carer": (without(CARER, "significant_impact_on_wellbeing"),
                                      ["significant_impact_on_wellbeing"], "send true or false"),
    "missing necessary care": (without(CARER, "necessary_care"), ["necessary_care"], "send true or false"),
    "missing health at risk": (without(CARER, "health_at_risk"), ["health_at_risk"], "send true or false"),
    "missing outcomes": (without(ADULT, "outcomes"), ["outcomes"], "send {} if every outcome is achieved"),
    "unknown outcome code": ({**ADULT, "outcomes": {"nutrition": "achieved", "gardening": "achieved"}},
                             ["outcomes"], '"gardening" is not one of the outcomes for adults'),
    "carer-only code for an adult": ({**ADULT, "outcomes": {"recreation": "unable_without_assistance"}},
                                     ["outcomes"], '"recreation" is not one of the outcomes for adults'),
    "adult-only code for a carer": ({**CARER, "outcomes": {"toilet_needs": "unable_without_assistance"}},
                                    ["outcomes"], '"toilet_needs" is not one of the outcomes for carers'),
    "unknown status": ({**ADULT, "outcomes": {"nutrition": "sometimes"}}, ["outcomes"],
                       '"sometimes" is not an answer for an outcome'),
    "status not text": ({**ADULT, "outcomes": {"nutrition": True}}, ["outcomes"], '"true" is not an answer'),
    "carer takes significantly longer": (
        {**CARER, "outcomes": {"nutrition": "takes_significantly_longer"}}, ["outcomes"],
        '"takes_significantly_longer" (can achieve this outcome without help, but it takes significantly longer'),
    "adult sending necessary_care": ({**ADULT, "necessary_care": True}, ["necessary_care"],
                                     "asked only in a carer's eligibility test"),
    "adult sending health_at_risk": ({**ADULT, "health_at_risk": False}, ["health_at_risk"],
                                     "asked only in a carer's eligibility test"),
    "carer sending impairment_or_illness": ({**CARER, "impairment_or_illness": True}, ["impairment_or_illness"],
                                            "asked only in an adult's eligibility test"),
    "true as text": ({**ADULT, "impairment_or_illness": "true"}, ["impairment_or_illness"], "Send true or false"),
    "yes": ({**CARER, "health_at_risk": "yes"}, ["health_at_risk"], "Send true or false"),
    "one": ({**ADULT, "significant_impact_on_wellbeing": 1}, ["significant_impact_on_wellbeing"],
            "Send true or false"),
    "null answer": ({**ADULT, "impairment_or_illness": None}, ["impairment_or_illness"], ""),
    "outcomes a list": ({**ADULT, "outcomes": ["nutrition"]}, ["outcomes"], "Send the outcomes as an object"),
    "outcomes text": ({**CARER, "outcomes": "nutrition"}, ["outcomes"], "Send the outcomes as an object"),
    "outcomes null": ({**CARER, "outcomes": None}, ["outcomes"], ""),
    "unknown extra field": ({**ADULT, "notes": "Lives alone"}, ["notes"], "This field is not recognised"),
    "someone else meets the need": ({**ADULT, "need_met_by_carer": True}, ["need_met_by_carer"],
                                    "This field is not recognised"),
    "a carer already helping": ({**CARER, "carer_willing_and_able": True}, ["carer_willing_and_able"],
                                "This field is not recognised"),
    "body a list": ([ADULT], ["non_field_errors"], "Send the answers as a JSON object"),
    "body text": ("adult", ["non_field_errors"], "Send the answers as a JSON object"),
    "empty body": ({}, ["kind"], "Say which eligibility test to apply"),
}


@pytest.mark.parametrize("body, fields, message", BAD_REQUESTS.values(), ids=list(BAD_REQUESTS))
def test_bad_requests_are_answered_400_with_field_errors(api, body, fields, message):
    response = api.post(URL, body)
    assert response.status_code == 400
    data = response.json()
    assert sorted(data) == sorted(fields)
    assert message in text_of(data[fields[0]])


def test_outcome_errors_name_each_outcome(api):
    response = api.post(URL, {**CARER, "outcomes": {
        "nutrition": "takes_significantly_longer", "recreation": "achieved", "gardening": "achieved",
    }})
    assert response.status_code == 400
    errors = response.json()["outcomes"]
    assert sorted(errors) == ["gardening", "nutrition"]
    assert all(isinstance(messages, list) and messages for messages in errors.values())


def test_every_problem_is_reported_at_once(api):
    response = api.post(URL, {"kind": "adult", "impairment_or_illness": "maybe", "necessary_care": True,
                              "outcomes": {"nutrition": "sometimes"}})
    assert response.status_code == 400
    assert sorted(response.json()) == [
        "impairment_or_illness", "necessary_care", "outcomes", "significant_impact_on_wellbeing",
    ]


def test_a_body_that_is_not_json_is_answered_400(api):
    response = api.client.post(f"/api/v1/{URL}", data="{kind: adult", content_type="application/json")
    assert response.status_code == 400


def test_only_post_is_taken(api):
    assert api.get(URL).status_code == 405


def test_signing_in_is_required():
    response = APIClient().post(f"/api/v1/{URL}", ADULT, format="json")
    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"


def test_a_user_without_a_staff_role_is_refused():
    client = APIClient()
    client.force_authenticate(user=UserFactory(username="no_role"))
    assert client.post(f"/api/v1/{URL}", ADULT, format="json").status_code == 403


def test_the_schema_documents_the_endpoint_and_stays_valid(tmp_path):
    target = tmp_path / "schema.yaml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(target), stderr=io.StringIO())
    schema = yaml.safe_load(target.read_text())
    operation = schema["paths"]["/api/v1/rules/eligibility/"]["post"]
    request = operation["requestBody"]["content"]["application/json"]["schema"]
    components = schema["components"]["schemas"]
    body = components[request["$ref"].rsplit("/", 1)[-1]]
    assert body["discriminator"]["propertyName"] == "kind"
    assert set(body["discriminator"]["mapping"]) == {"adult", "carer"}
    adult = components["AdultEligibilityInput"]
    assert set(adult["required"]) == {"kind", "impairment_or_illness", "significant_impact_on_wellbeing", "outcomes"}
    assert "takes_significantly_longer" not in str(components["CarerEligibilityInput"]["properties"]["outcomes"])
    assert set(components["EligibilityOutput"]["properties"]) == {
        "eligible", "conditions", "unachieved_outcomes", "ruleset_version",
    }


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=30)
    | st.sampled_from(["adult", "carer", "achieved", "takes_significantly_longer", "nutrition"]),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=20), children, max_size=3),
    max_leaves=10,
)
field_names = st.sampled_from([
    "kind", "impairment_or_illness", "necessary_care", "health_at_risk", "significant_impact_on_wellbeing",
    "outcomes",
])
outcome_bodies = st.dictionaries(
    st.sampled_from(["nutrition", "recreation", "toilet_needs", "caring_for_child", "x"]),
    st.sampled_from(["achieved", "unable_without_assistance", "takes_significantly_longer", "x"]) | json_values,
    max_size=4,
)
bodies = st.fixed_dictionaries(
    {"kind": st.sampled_from(["adult", "carer"])},
    optional={name: st.booleans() | json_values for name in
              ["impairment_or_illness", "necessary_care", "health_at_risk", "significant_impact_on_wellbeing"]}
    | {"outcomes": outcome_bodies | json_values},
) | st.dictionaries(field_names | st.text(max_size=10), json_values, max_size=6) | json_values


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(body=bodies)
def test_whatever_is_sent_the_answer_is_200_or_400_never_a_server_error(api, body):
    response = api.post(URL, body)
    assert response.status_code in (200, 400)
    if response.status_code == 200:
        assert set(response.json()) == {"eligible", "conditions", "unachieved_outcomes", "ruleset_version"}
