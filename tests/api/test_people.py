from __future__ import annotations

import datetime as dt

import pytest

from carecase.audit.models import AccessReason
from carecase.people.models import Person
from tests.factories import AllocationFactory, PersonFactory

pytestmark = pytest.mark.django_db

NEW_PERSON = {
    "given_name": "Asha",
    "family_name": "Mistry",
    "date_of_birth": "1951-07-14",
    "nhs_number": "943 476 5919",
    "postcode": "le4 6az",
    "gender": "Female",
    "ethnicity": "Asian: Indian",
    "communication_needs": ["large_print"],
}


# --- search -------------------------------------------------------------------------------------------


def test_search_shows_full_rows_to_the_team(api, person):
    response = api.get("people/", {"name": "patel mohan"})
    assert response.status_code == 200
    assert response.data["count"] == 1
    row = response.data["results"][0]
    assert row == {
        "id": person.id,
        "access": "full",
        "name": "Mohan Patel",
        "date_of_birth": person.date_of_birth.isoformat(),
        "nhs_number": person.nhs_number,
        "postcode": "LE2 1AA",
    }


def test_search_outside_the_team_shows_limited_rows_without_postcode(api_as, other_practitioner, person):
    row = api_as(other_practitioner).get("people/", {"name": "Mohan Patle"}).data["results"][0]
    assert row["access"] == "limited"
    assert row["name"] == "Mohan Patel"
    assert row["nhs_number"] == person.nhs_number
    assert row["postcode"] is None


def test_search_shows_only_that_a_restricted_record_exists(api_as, other_practitioner, restricted_person):
    row = api_as(other_practitioner).get("people/", {"name": "Rosa Quinn"}).data["results"][0]
    assert row == {
        "id": restricted_person.id,
        "access": "restricted",
        "name": None,
        "date_of_birth": None,
        "nhs_number": None,
        "postcode": None,
    }


def test_search_finds_by_nhs_number_date_of_birth_and_postcode_district(api, person):
    nhs = f"{person.nhs_number[:3]} {person.nhs_number[3:6]} {person.nhs_number[6:]}"
    assert api.get("people/", {"nhs_number": nhs}).data["count"] == 1
    assert api.get("people/", {"date_of_birth": person.date_of_birth.isoformat()}).data["count"] == 1
    assert api.get("people/", {"postcode": "le2"}).data["count"] == 1
    assert api.get("people/", {"postcode": "LE9 9ZZ"}).data["count"] == 0


def test_administrators_cannot_search(api_as, administrator, person):
    response = api_as(administrator).get("people/", {"name": "Mohan Patel"})
    assert response.status_code == 403
    assert response.data["code"] == "no_access"


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({}, "non_field_errors"),
        ({"nhs_number": "123 456 7890"}, "nhs_number"),
        ({"nhs_number": "12345"}, "nhs_number"),
        ({"date_of_birth": "31/02/1950"}, "date_of_birth"),
        ({"date_of_birth": "1950-02-31"}, "date_of_birth"),
        ({"postcode": "NOT A POSTCODE"}, "postcode"),
        ({"name": "Mohan", "page": "two"}, "page"),
        ({"name": "Mohan", "page": "0"}, "page"),
    ],
)
def test_search_refuses_bad_input_with_field_errors(api, person, params, field):
    response = api.get("people/", params)
    assert response.status_code == 400
    assert field in response.data
    assert all(isinstance(message, str) and message for message in response.data[field])


def test_search_past_the_last_page_is_not_found(api, person):
    response = api.get("people/", {"name": "Mohan", "page": "9"})
    assert response.status_code == 404
    assert "past the last page" in response.data["detail"]


def test_search_sends_every_row_it_logs_on_one_page(api, team):
    """Search returns at most 50 best matches on one page, so each person logged as listed was sent."""
    from carecase.audit.models import RecordAccessEvent

    for _ in range(3):
        AllocationFactory(person=PersonFactory(postcode="LE3 0AA"), team=team)
    response = api.get("people/", {"postcode": "LE3 0AA", "page_size": 2})
    assert response.data["count"] == 3
    assert len(response.data["results"]) == 3 and response.data["next"] is None
    sent = {row["id"] for row in response.data["results"]}
    assert set(RecordAccessEvent.objects.filter(action="search").values_list("person_id", flat=True)) == sent


# --- read ---------------------------------------------------------------------------------------------


def test_team_practitioner_reads_the_full_record(api, person):
    response = api.get(f"people/{person.id}/")
    assert response.status_code == 200
    assert response.data["id"] == person.id
    assert response.data["given_name"] == "Mohan"
    assert response.data["nhs_number"] == person.nhs_number
    assert response.data["address_line_1"] == person.address_line_1
    assert response.data["ethnicity"] == person.ethnicity


@pytest.mark.parametrize("role", ["team_leader", "senior_manager"])
def test_team_leader_and_senior_manager_read_the_record(request, api_as, person, role):
    assert api_as(request.getfixturevalue(role)).get(f"people/{person.id}/").status_code == 200


def test_outside_the_team_a_reason_is_required_then_the_record_opens(api_as, other_practitioner, person):
    api = api_as(other_practitioner)
    refused = api.get(f"people/{person.id}/")
    assert refused.status_code == 403
    assert refused.data["code"] == "reason_required"
    assert refused.data["access_reason_url"] == f"/api/v1/people/{person.id}/access-reason/"

    given = api.post(f"people/{person.id}/access-reason/", {"reason": "Duty call from the GP about a fall"})
    assert given.status_code == 201
    assert given.data["person"] == person.id
    assert AccessReason.objects.filter(user=other_practitioner.user, person=person).count() == 1
    assert api.get(f"people/{person.id}/").status_code == 200


def test_administrator_cannot_read_records(api_as, administrator, person):
    response = api_as(administrator).get(f"people/{person.id}/")
    assert response.status_code == 403
    assert response.data["code"] == "no_access"


def test_restricted_record_opens_only_with_a_grant(api_as, senior_manager, practitioner, restricted_person, grant):
    for staff in (senior_manager, practitioner):
        response = api_as(staff).get(f"people/{restricted_person.id}/")
        assert response.status_code == 403
        assert response.data["code"] == "restricted"
    grant(restricted_person, practitioner.user)
    assert api_as(practitioner).get(f"people/{restricted_person.id}/").status_code == 200


def test_administrator_with_a_grant_reads_the_record(api_as, administrator, person, grant):
    grant(person, administrator.user)
    assert api_as(administrator).get(f"people/{person.id}/").status_code == 200


def test_unknown_person_is_not_found(api):
    for path in ("people/999999/", "people/99999999999999999999/"):
        response = api.get(path)
        assert response.status_code == 404
        assert response.data["code"] == "not_found"


# --- access reason ------------------------------------------------------------------------------------


@pytest.mark.parametrize("body", [{}, {"reason": ""}, {"reason": "because"}, {"reason": "Checking things", "x": 1}])
def test_a_reason_must_say_why(api_as, other_practitioner, person, body):
    response = api_as(other_practitioner).post(f"people/{person.id}/access-reason/", body)
    assert response.status_code == 400
    assert set(response.data) == ({"x"} if "x" in body else {"reason"})
    assert not AccessReason.objects.exists()


def test_no_reason_opens_a_restricted_record(api_as, other_practitioner, restricted_person):
    response = api_as(other_practitioner).post(
        f"people/{restricted_person.id}/access-reason/", {"reason": "I would like to read this record"}
    )
    assert response.status_code == 403
    assert response.data["code"] == "restricted"
    assert not AccessReason.objects.exists()


def test_administrator_cannot_give_a_reason(api_as, administrator, person):
    response = api_as(administrator).post(f"people/{person.id}/access-reason/", {"reason": "Tidying up accounts"})
    assert response.status_code == 403
    assert response.data["code"] == "no_access"


def test_reason_for_unknown_person_is_not_found(api):
    assert api.post("people/999999/access-reason/", {"reason": "Checking a record"}).status_code == 404


# --- create -------------------------------------------------------------------------------------------


def test_create_a_person_with_no_likely_duplicate(api):
    response = api.post("people/", NEW_PERSON)
    assert response.status_code == 201, response.data
    person = Person.objects.get(pk=response.data["id"])
    assert person.nhs_number == "9434765919"
    assert person.postcode == "LE4 6AZ"
    assert person.communication_needs == ["large_print"]
    assert response.data["postcode"] == "LE4 6AZ"
    assert response.data["client_type"] == "Service User"


def test_create_answers_409_with_likely_duplicates_until_confirmed(api, person):
    body = {"given_name": "Mohan", "family_name": "Patel", "date_of_birth": person.date_of_birth.isoformat()}
    response = api.post("people/", body)
    assert response.status_code == 409
    assert response.data["code"] == "possible_duplicate"
    assert [c["id"] for c in response.data["candidates"]] == [person.id]
    assert Person.objects.count() == 1

    confirmed = api.post("people/", {**body, "confirm_not_duplicate": True})
    assert confirmed.status_code == 201
    assert Person.objects.count() == 2


def test_a_confirmed_duplicate_nhs_number_is_still_refused(api, person):
    body = {"given_name": "Someone", "family_name": "Else", "nhs_number": person.nhs_number}
    assert api.post("people/", body).status_code == 409
    response = api.post("people/", {**body, "confirm_not_duplicate": True})
    assert response.status_code == 400
    assert "already has this NHS number" in response.data["nhs_number"][0]


@pytest.mark.parametrize(
    ("change", "fields"),
    [
        ({"given_name": "", "family_name": None}, {"given_name", "family_name"}),
        ({"nhs_number": "943 476 5918"}, {"nhs_number"}),
        ({"nhs_number": "48577"}, {"nhs_number"}),
        ({"postcode": "LE99 ZZZZ"}, {"postcode"}),
        ({"gender": "Purple"}, {"gender"}),
        ({"ethnicity": 7}, {"ethnicity"}),
        ({"communication_needs": ["smoke signals"]}, {"communication_needs"}),
        ({"communication_needs": "large_print"}, {"communication_needs"}),
        ({"date_of_birth": "14/07/1951"}, {"date_of_birth"}),
        ({"date_of_birth": "2999-01-01"}, {"date_of_birth"}),
        ({"date_of_death": "1950-01-01"}, {"date_of_death"}),
        ({"email": "not an email"}, {"email"}),
        ({"interpreter_needed": "perhaps"}, {"interpreter_needed"}),
        ({"is_restricted": True}, {"is_restricted"}),
        ({"nhs_numbr": "9434765919"}, {"nhs_numbr"}),
        ({"given_name": "x" * 101}, {"given_name"}),
    ],
)
def test_create_refuses_bad_input_with_field_errors(api, change, fields):
    response = api.post("people/", {**NEW_PERSON, **change})
    assert response.status_code == 400
    assert set(response.data) == fields
    assert not Person.objects.exists()


def test_required_names_say_what_to_enter(api):
    response = api.post("people/", {})
    assert response.data == {
        "given_name": ["Enter the person's given name"],
        "family_name": ["Enter the person's family name"],
    }


def test_unknown_code_lists_the_allowed_values(api):
    response = api.post("people/", {**NEW_PERSON, "gender": "Purple"})
    message = response.data["gender"][0]
    assert message.startswith('"Purple" is not an allowed value. Use one of:')
    assert '"Female"' in message


def test_administrator_cannot_add_people(api_as, administrator):
    response = api_as(administrator).post("people/", NEW_PERSON)
    assert response.status_code == 403
    assert not Person.objects.exists()


def test_practitioner_can_open_a_record_they_created_outside_their_team(api):
    created = api.post("people/", NEW_PERSON)
    assert api.get(f"people/{created.data['id']}/").status_code == 200


# --- update -------------------------------------------------------------------------------------------


def test_update_changes_only_what_is_sent(api, person):
    response = api.patch(f"people/{person.id}/", {"postcode": "le1 6zg", "preferred_name": "Mo"})
    assert response.status_code == 200
    person.refresh_from_db()
    assert (person.postcode, person.preferred_name, person.given_name) == ("LE1 6ZG", "Mo", "Mohan")
    assert response.data["preferred_name"] == "Mo"


def test_update_keeps_name_search_in_step(api, person):
    api.patch(f"people/{person.id}/", {"family_name": "Chauhan"})
    assert api.get("people/", {"name": "Mohan Chauhan"}).data["count"] == 1


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"postcode": "nowhere"}, "postcode"),
        ({"given_name": ""}, "given_name"),
        ({"date_of_death": "1900-01-01"}, "date_of_death"),
        ({"accommodation_status": "Castle"}, "accommodation_status"),
        ({"uuid": "4b0c1d1e-0000-0000-0000-000000000000"}, "uuid"),
    ],
)
def test_update_refuses_bad_input(api, person, body, field):
    response = api.patch(f"people/{person.id}/", body)
    assert response.status_code == 400
    assert field in response.data


def test_update_refuses_an_nhs_number_already_on_another_record(api, person, team):
    other = PersonFactory()
    AllocationFactory(person=other, team=team)
    response = api.patch(f"people/{other.id}/", {"nhs_number": person.nhs_number})
    assert response.status_code == 400
    assert "already has this NHS number" in response.data["nhs_number"][0]


def test_update_outside_the_team_needs_a_reason(api_as, other_practitioner, person):
    response = api_as(other_practitioner).patch(f"people/{person.id}/", {"preferred_name": "Mo"})
    assert response.status_code == 403
    assert response.data["code"] == "reason_required"
    person.refresh_from_db()
    assert person.preferred_name == ""


def test_update_date_of_birth_in_the_future_is_refused(api, person):
    tomorrow = dt.date.today() + dt.timedelta(days=2)
    response = api.patch(f"people/{person.id}/", {"date_of_birth": tomorrow.isoformat()})
    assert response.status_code == 400
    assert response.data["date_of_birth"] == ["The date of birth must be today or in the past."]
