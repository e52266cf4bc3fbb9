"""POST /api/v1/rules/support-sequence/: the contract's 200 answer, every refusal, and who may ask."""

from __future__ import annotations

import copy
import io

import pytest
import yaml
from django.core.management import call_command
from rest_framework.test import APIClient

from tests.assessments.test_support_sequence_engine import CASES, check_against_golden
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/rules/support-sequence/"
STEP = {"considered": True, "meets": "partly", "note": "Helps with part of it"}


def an_outcome(**changes) -> dict:
    outcome = {
        "code": "nutrition",
        "existing_support": False,
        "steps": {name: dict(STEP) for name in
                  ("own_strengths", "technology_equipment", "family_friends", "community_universal")},
        "formal_support_requested": False,
    }
    outcome.update(changes)
    return outcome


@pytest.fixture
def client(practitioner):
    api = APIClient()
    api.force_authenticate(user=practitioner.user)
    return api


def post(client, body):
    return client.post(URL, body, format="json")


# --- 200 -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("case", CASES, ids=[case["name"] for case in CASES])
def test_golden_case_through_the_api(client, case):
    response = post(client, case["request"])
    assert response.status_code == 200, response.data
    check_against_golden(response.json(), case["expect"])


def test_the_answer_has_the_contract_shape(client):
    body = {"outcomes": [
        an_outcome(),
        an_outcome(code="I want to see my friends", existing_support=True, steps={}, formal_support_requested=True,
                   crisis_override={"reason": "Carer breakdown"}),
    ]}
    response = post(client, body)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    answer = response.json()
    assert set(answer) == {"ready_for_approval", "outcomes", "ruleset_version"}
    assert answer["ready_for_approval"] is True
    assert answer["ruleset_version"] == "sequence-2023.1"
    met, crisis = answer["outcomes"]
    assert set(met) == {"code", "status", "next_step", "missing", "flags", "explanation"}
    assert met == {
        "code": "nutrition", "status": "met_without_formal_support", "next_step": None, "missing": [], "flags": [],
        "explanation": met["explanation"],
    }
    assert met["explanation"][0] == "Own strengths: considered, meets the outcome partly (note: Helps with part of it)"
    assert crisis["status"] == "formal_support_justified"
    assert crisis["next_step"] == "own_strengths"
    assert crisis["missing"] == ["own_strengths", "technology_equipment", "family_friends", "community_universal",
                                 "done_differently"]
    assert crisis["flags"] == ["crisis_override"]


@pytest.mark.parametrize(
    ("name", "outcome"),
    [
        ("a step left out of steps counts as not considered", an_outcome(steps={"own_strengths": STEP})),
        ("steps may be empty", an_outcome(steps={})),
        ("a step not considered needs no meets", an_outcome(steps={"own_strengths": {"considered": False}})),
        ("a step's note may be left out", an_outcome(steps={"own_strengths": {"considered": True, "meets": "no"}})),
        ("done_differently may be left out", an_outcome(existing_support=True)),
        ("done_differently without a note", an_outcome(done_differently={"considered": False})),
        ("crisis_override may be null", an_outcome(crisis_override=None)),
        ("a crisis reason may be blank (it does not count)", an_outcome(crisis_override={"reason": ""})),
        ("an outcome code may be the person's own goal", an_outcome(code="I want a hot meal every day")),
    ],
)
def test_input_the_contract_is_silent_on_is_accepted(client, name, outcome):
    response = post(client, {"outcomes": [outcome]})
    assert response.status_code == 200, response.data


def test_an_empty_list_is_valid_and_not_ready(client):
    response = post(client, {"outcomes": []})
    assert response.status_code == 200
    assert response.json() == {"ready_for_approval": False, "outcomes": [], "ruleset_version": "sequence-2023.1"}


def test_a_blank_crisis_reason_does_not_count(client):
    response = post(client, {"outcomes": [an_outcome(steps={}, formal_support_requested=True,
                                                     crisis_override={"reason": "   "})]})
    assert response.json()["outcomes"][0]["status"] == "incomplete"
    assert response.json()["outcomes"][0]["flags"] == []


def test_codes_and_notes_are_trimmed(client):
    outcome = an_outcome(code="  nutrition  ")
    outcome["steps"]["own_strengths"]["note"] = "  Makes drinks  "
    answer = post(client, {"outcomes": [outcome]}).json()["outcomes"][0]
    assert answer["code"] == "nutrition"
    assert answer["explanation"][0].endswith("(note: Makes drinks)")


# --- 400 -------------------------------------------------------------------------------------------------


def with_change(path: tuple, value=None, *, delete=False) -> dict:
    """A valid one-outcome body with the value at `path` (inside outcomes[0]) replaced or deleted."""
    body = {"outcomes": [an_outcome()]}
    target = body["outcomes"][0]
    for key in path[:-1]:
        target = target[key]
    if delete:
        del target[path[-1]]
    else:
        target[path[-1]] = value
    return body


def error_at(data, path: tuple) -> list[str]:
    for key in path:
        data = data[key]
    assert isinstance(data, list) and data and all(isinstance(message, str) and message for message in data), data
    return data


REFUSED = [
    # (what is wrong, body, where the field error is, text in the message)
    ("no outcomes", {}, ("outcomes",), "Send outcomes: a list of the outcomes to check"),
    ("outcomes not a list", {"outcomes": {"code": "nutrition"}}, ("outcomes", "non_field_errors"), "Expected a list"),
    ("an unknown field", {"outcomes": [], "assessment": 4}, ("assessment",), "not recognised"),
    ("too many outcomes", {"outcomes": [an_outcome(code=f"goal {i}") for i in range(51)]}, ("outcomes", "non_field_errors"),
     "no more than 50"),
    ("an outcome that is not an object", {"outcomes": ["nutrition"]}, ("outcomes", "0", "non_field_errors"),
     "Invalid data"),
    ("no code", with_change(("code",), delete=True), ("outcomes", "0", "code"), "Enter the outcome's code"),
    ("a blank code", with_change(("code",), "   "), ("outcomes", "0", "code"), "Enter the outcome's code"),
    ("a code that is a number", with_change(("code",), 7), ("outcomes", "0", "code"), "as text"),
    ("a code that is too long", with_change(("code",), "x" * 201), ("outcomes", "0", "code"), "200 characters"),
    ("a null code", with_change(("code",), None), ("outcomes", "0", "code"), "may not be null"),
    ("no existing_support", with_change(("existing_support",), delete=True), ("outcomes", "0", "existing_support"),
     "Say whether the person already has support: true or false."),
    ("existing_support as a string", with_change(("existing_support",), "yes"), ("outcomes", "0", "existing_support"),
     "Send true or false."),
    ("existing_support as a number", with_change(("existing_support",), 1), ("outcomes", "0", "existing_support"),
     "Send true or false."),
    ("no steps", with_change(("steps",), delete=True), ("outcomes", "0", "steps"), "Send {} if none yet"),
    ("steps as a list", with_change(("steps",), ["own_strengths"]), ("outcomes", "0", "steps", "non_field_errors"),
     "Invalid data"),
    ("an unknown step", with_change(("steps", "own_strength"), STEP), ("outcomes", "0", "steps", "own_strength"),
     "not a step of the support sequence"),
    ("done_differently inside steps", with_change(("steps", "done_differently"), {"considered": False}),
     ("outcomes", "0", "steps", "done_differently"), "sent as done_differently beside steps"),
    ("a null step", with_change(("steps", "own_strengths"), None), ("outcomes", "0", "steps", "own_strengths"),
     "may not be null"),
    ("a step without considered", with_change(("steps", "family_friends", "considered"), delete=True),
     ("outcomes", "0", "steps", "family_friends", "considered"), "Say whether this step was considered"),
    ("considered as a string", with_change(("steps", "family_friends", "considered"), "true"),
     ("outcomes", "0", "steps", "family_friends", "considered"), "Send true or false."),
    ("an unknown meets", with_change(("steps", "family_friends", "meets"), "mostly"),
     ("outcomes", "0", "steps", "family_friends", "meets"), '"mostly" is not an allowed value'),
    ("a considered step without meets", with_change(("steps", "family_friends", "meets"), delete=True),
     ("outcomes", "0", "steps", "family_friends", "meets"), "Say whether this step meets the outcome"),
    ("a note that is a number", with_change(("steps", "family_friends", "note"), 12),
     ("outcomes", "0", "steps", "family_friends", "note"), "as text"),
    ("a null note", with_change(("steps", "family_friends", "note"), None),
     ("outcomes", "0", "steps", "family_friends", "note"), "may not be null"),
    ("a note with a null character", with_change(("steps", "family_friends", "note"), "Daughter\x00"),
     ("outcomes", "0", "steps", "family_friends", "note"), "Null characters are not allowed"),
    ("a note that is too long", with_change(("steps", "family_friends", "note"), "x" * 5001),
     ("outcomes", "0", "steps", "family_friends", "note"), "5000 characters"),
    ("an unknown field in a step", with_change(("steps", "family_friends", "willing"), True),
     ("outcomes", "0", "steps", "family_friends", "willing"), "not recognised"),
    ("done_differently with meets", with_change(("done_differently",), {"considered": True, "note": "x", "meets": "fully"}),
     ("outcomes", "0", "done_differently", "meets"), "not recognised"),
    ("done_differently without considered", with_change(("done_differently",), {"note": "Less often"}),
     ("outcomes", "0", "done_differently", "considered"), "Say whether doing things differently was considered"),
    ("a null done_differently", with_change(("done_differently",), None), ("outcomes", "0", "done_differently"),
     "may not be null"),
    ("no formal_support_requested", with_change(("formal_support_requested",), delete=True),
     ("outcomes", "0", "formal_support_requested"), "Say whether formal support is requested"),
    ("formal_support_requested as null", with_change(("formal_support_requested",), None),
     ("outcomes", "0", "formal_support_requested"), "may not be null"),
    ("a crisis override without a reason", with_change(("crisis_override",), {}),
     ("outcomes", "0", "crisis_override", "reason"), "Give the reason for the crisis override"),
    ("a crisis override as text", with_change(("crisis_override",), "Carer breakdown"),
     ("outcomes", "0", "crisis_override", "non_field_errors"), "Invalid data"),
    ("a null crisis reason", with_change(("crisis_override",), {"reason": None}),
     ("outcomes", "0", "crisis_override", "reason"), "may not be null"),
    ("an unknown field in a crisis override", with_change(("crisis_override",), {"reason": "x", "code": "risk"}),
     ("outcomes", "0", "crisis_override", "code"), "not recognised"),
    ("an unknown field in an outcome", with_change(("weekly_cost",), 143.5), ("outcomes", "0", "weekly_cost"),
     "not recognised"),
]


@pytest.mark.parametrize(("name", "body", "where", "message"), REFUSED, ids=[row[0] for row in REFUSED])
def test_bad_input_is_refused_with_a_field_error(client, name, body, where, message):
    response = post(client, copy.deepcopy(body))
    assert response.status_code == 400, response.data
    messages = error_at(response.json(), where)
    assert any(message in text for text in messages), messages


def test_duplicate_codes_are_refused_on_the_later_outcome(client):
    body = {"outcomes": [an_outcome(), an_outcome(code="relationships"), an_outcome(code=" nutrition ")]}
    response = post(client, body)
    assert response.status_code == 400
    # Errors are keyed by the outcome's position from 0, like every other error in the list.
    assert response.json() == {
        "outcomes": {"2": {"code": ["outcomes[0] already has this code. Give each outcome its own code."]}}
    }


def test_errors_in_several_outcomes_are_all_reported(client):
    body = {"outcomes": [an_outcome(existing_support="no"), an_outcome(code="x", steps={"bogus": {}})]}
    errors = post(client, body).json()["outcomes"]
    assert "existing_support" in errors["0"]
    assert "bogus" in errors["1"]["steps"]


@pytest.mark.parametrize("body", [[], "outcomes", 42, None, [an_outcome()]])
def test_a_body_that_is_not_an_object_is_refused(client, body):
    assert post(client, body).status_code == 400


def test_a_body_that_is_not_json_is_refused(client):
    response = client.post(URL, data="{outcomes: [", content_type="application/json")
    assert response.status_code == 400
    assert response.json()["code"] == "parse_error"


def test_a_form_body_is_refused_with_what_to_send(client):
    response = client.post(URL, {"outcomes": "x"})
    assert response.status_code == 415


def test_only_post_is_answered(client):
    assert client.get(URL).status_code == 405


# --- who may ask -----------------------------------------------------------------------------------------


def test_signing_in_is_required():
    response = APIClient().post(URL, {"outcomes": []}, format="json")
    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"


def test_a_user_without_a_staff_role_is_refused():
    api = APIClient()
    api.force_authenticate(user=UserFactory(username="no_role"))
    response = api.post(URL, {"outcomes": []}, format="json")
    assert response.status_code == 403


def test_a_token_works(practitioner):
    from rest_framework.authtoken.models import Token

    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=practitioner.user).key}")
    assert api.post(URL, {"outcomes": [an_outcome()]}, format="json").status_code == 200


# --- the documented contract -----------------------------------------------------------------------------


def test_the_schema_documents_the_endpoint(tmp_path):
    target = tmp_path / "schema.yaml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(target), stderr=io.StringIO())
    schema = yaml.safe_load(target.read_text())
    operation = schema["paths"]["/api/v1/rules/support-sequence/"]["post"]
    assert set(operation["responses"]) >= {"200", "400", "401", "403"}
    components = schema["components"]["schemas"]
    assert set(components["SupportSequenceInput"]["properties"]) == {"outcomes"}
    assert set(components["SequenceOutcomeInput"]["properties"]) == {
        "code", "existing_support", "steps", "done_differently", "formal_support_requested", "crisis_override"}
    assert set(components["SequenceOutcomeOutput"]["properties"]) == {
        "code", "status", "next_step", "missing", "flags", "explanation"}
    assert components["SequenceStatus"]["enum"] == [
        "met_without_formal_support", "formal_support_justified", "formal_support_not_justified", "incomplete"]
