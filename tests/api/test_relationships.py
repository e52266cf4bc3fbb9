from __future__ import annotations

import datetime as dt

import pytest

from carecase.people.models import PersonRelationship
from tests.factories import PersonFactory, RelationshipFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def carer(db):
    """Asha Patel: known only as Mohan Patel's carer, allocated to no team."""
    return PersonFactory(given_name="Asha", family_name="Patel")


def test_list_shows_relationships_in_both_directions(api, person, carer):
    cares = RelationshipFactory(person=carer, related_to=person, kind="unpaid_carer")
    daughter = PersonFactory(given_name="Priya", family_name="Patel")
    family = RelationshipFactory(person=person, related_to=daughter, kind="family", family_relationship="father")
    response = api.get(f"people/{person.id}/relationships/")
    assert response.status_code == 200
    rows = {row["id"]: row for row in response.data["results"]}
    assert set(rows) == {cares.id, family.id}
    assert rows[cares.id]["person"] == {"id": carer.id, "name": "Asha Patel"}
    assert rows[cares.id]["related_to"] == {"id": person.id, "name": "Mohan Patel"}
    assert rows[cares.id]["kind"] == "unpaid_carer"
    assert rows[family.id]["family_relationship"] == "father"
    assert rows[family.id]["is_current"] is True


def test_list_hides_the_name_of_a_restricted_person_the_user_is_not_named_on(api_as, other_practitioner, person,
                                                                             restricted_person, grant):
    RelationshipFactory(person=restricted_person, related_to=person, kind="advocate")
    grant(person, other_practitioner.user)
    row = api_as(other_practitioner).get(f"people/{person.id}/relationships/").data["results"][0]
    assert row["person"] == {"id": restricted_person.id, "name": None}


def test_list_outside_the_team_needs_a_reason(api_as, other_practitioner, person):
    response = api_as(other_practitioner).get(f"people/{person.id}/relationships/")
    assert response.status_code == 403
    assert response.data["code"] == "reason_required"


def test_record_a_carer_from_the_cared_for_persons_record(api, person, carer):
    response = api.post(
        f"people/{person.id}/relationships/",
        {"person": carer.id, "kind": "unpaid_carer", "lives_in_same_household": True, "started_on": "2020-04-01"},
    )
    assert response.status_code == 201, response.data
    relationship = PersonRelationship.objects.get()
    assert (relationship.person, relationship.related_to, relationship.kind) == (carer, person, "unpaid_carer")
    assert relationship.lives_in_same_household is True
    assert response.data["person"] == {"id": carer.id, "name": "Asha Patel"}


def test_record_a_relationship_from_the_subjects_record(api, person, carer):
    response = api.post(f"people/{person.id}/relationships/", {"related_to": carer.id, "kind": "family",
                                                              "family_relationship": "husband"})
    assert response.status_code == 201
    relationship = PersonRelationship.objects.get()
    assert (relationship.person, relationship.related_to) == (person, carer)


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"kind": "unpaid_carer"}, "related_to"),
        ({"kind": "unpaid_carer", "person": 1, "related_to": 2}, "related_to"),
        ({"kind": "neighbour", "person": "CARER"}, "kind"),
        ({"person": "CARER"}, "kind"),
        ({"kind": "unpaid_carer", "person": 999999}, "person"),
        ({"kind": "unpaid_carer", "related_to": "abc"}, "related_to"),
        ({"kind": "unpaid_carer", "related_to": "SELF"}, "related_to"),
        ({"kind": "unpaid_carer", "person": "CARER", "started_on": "yesterday"}, "started_on"),
        ({"kind": "unpaid_carer", "person": "CARER", "started_on": "2999-01-01"}, "started_on"),
        ({"kind": "unpaid_carer", "person": "CARER", "colour": "blue"}, "colour"),
    ],
)
def test_record_refuses_bad_input(api, person, carer, body, field):
    body = {k: {"CARER": carer.id, "SELF": person.id}.get(v, v) if isinstance(v, str) else v for k, v in body.items()}
    response = api.post(f"people/{person.id}/relationships/", body)
    assert response.status_code == 400
    assert field in response.data
    assert not PersonRelationship.objects.exists()


def test_the_same_current_relationship_cannot_be_recorded_twice(api, person, carer):
    body = {"person": carer.id, "kind": "unpaid_carer"}
    assert api.post(f"people/{person.id}/relationships/", body).status_code == 201
    response = api.post(f"people/{person.id}/relationships/", body)
    assert response.status_code == 400
    assert "already recorded" in response.data["kind"][0]


def test_a_restricted_person_cannot_be_linked_by_someone_not_named_on_it(api_as, senior_manager, person,
                                                                        restricted_person):
    response = api_as(senior_manager).post(
        f"people/{person.id}/relationships/", {"person": restricted_person.id, "kind": "advocate"}
    )
    assert response.status_code == 403
    assert response.data["code"] == "restricted"


def test_end_a_relationship(api, person, carer):
    relationship = RelationshipFactory(person=carer, related_to=person, started_on=dt.date(2020, 1, 1))
    response = api.post(f"relationships/{relationship.id}/end/", {"ended_on": "2024-05-31"})
    assert response.status_code == 200
    assert response.data["ended_on"] == "2024-05-31"
    assert response.data["is_current"] is False
    relationship.refresh_from_db()
    assert relationship.ended_on == dt.date(2024, 5, 31)


def test_ending_an_ended_relationship_is_a_conflict(api, person, carer):
    relationship = RelationshipFactory(person=carer, related_to=person, ended_on=dt.date(2023, 1, 1))
    response = api.post(f"relationships/{relationship.id}/end/", {"ended_on": "2024-05-31"})
    assert response.status_code == 409
    assert response.data["code"] == "already_ended"
    assert "1 January 2023" in response.data["detail"]


@pytest.mark.parametrize(
    ("body", "message_part"),
    [
        ({}, "required"),
        ({"ended_on": "31/05/2024"}, "YYYY-MM-DD"),
        ({"ended_on": "2999-01-01"}, "in the past"),
        ({"ended_on": "2019-12-31"}, "on or after the start date"),
    ],
)
def test_end_refuses_bad_dates(api, person, carer, body, message_part):
    relationship = RelationshipFactory(person=carer, related_to=person, started_on=dt.date(2020, 1, 1))
    response = api.post(f"relationships/{relationship.id}/end/", body)
    assert response.status_code == 400
    assert message_part in response.data["ended_on"][0]


def test_end_outside_the_team_needs_a_reason(api_as, other_practitioner, person, carer):
    relationship = RelationshipFactory(person=carer, related_to=person)
    response = api_as(other_practitioner).post(f"relationships/{relationship.id}/end/", {"ended_on": "2024-05-31"})
    assert response.status_code == 403
    relationship.refresh_from_db()
    assert relationship.ended_on is None


def test_end_unknown_relationship_is_not_found(api):
    assert api.post("relationships/999999/end/", {"ended_on": "2024-05-31"}).status_code == 404
