from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from carecase import codes
from carecase.records.models import Contact
from tests.factories import ContactFactory

pytestmark = pytest.mark.django_db

NEW_CONTACT = {
    "received_at": "2025-03-03T10:15",
    "route_of_access": "Community / Other route",
    "made_by": "family",
    "made_by_name": "Priya Patel (daughter)",
    "reason": "Dad has had two falls this month and cannot get upstairs.",
    "urgency": "soon",
}


def test_list_a_persons_contacts_newest_first(api, person, team, practitioner):
    older = ContactFactory(person=person, team=team, recorded_by=practitioner.user,
                           received_at=timezone.now() - dt.timedelta(days=3))
    newer = ContactFactory(person=person, team=team, recorded_by=practitioner.user)
    ContactFactory()  # someone else's
    response = api.get(f"people/{person.id}/contacts/")
    assert response.status_code == 200
    assert [row["id"] for row in response.data["results"]] == [newer.id, older.id]
    row = response.data["results"][0]
    assert row["team"] == {"id": team.id, "name": team.name}
    assert row["recorded_by"] == {"name": practitioner.user.get_full_name()}
    assert row["outcome"] is None and row["layer"] is None


def test_list_filters_by_concluded_and_urgency(api, person, team):
    open_contact = ContactFactory(person=person, team=team, urgency="urgent")
    concluded = ContactFactory(person=person, team=team, outcome=codes.EventOutcome.NFA_INFO, layer="prevent",
                               concluded_at=timezone.now())

    def ids(params):
        return [row["id"] for row in api.get(f"people/{person.id}/contacts/", params).data["results"]]

    assert ids({"concluded": "true"}) == [concluded.id]
    assert ids({"concluded": "false"}) == [open_contact.id]
    assert ids({"urgency": "urgent"}) == [open_contact.id]


@pytest.mark.parametrize("params", [{"urgency": "whenever"}, {"concluded": "maybe"}, {"received_from": "soon"}])
def test_list_refuses_bad_filters(api, person, params):
    response = api.get(f"people/{person.id}/contacts/", params)
    assert response.status_code == 400
    assert set(response.data) == set(params)


def test_list_outside_the_team_needs_a_reason(api_as, other_practitioner, person):
    response = api_as(other_practitioner).get(f"people/{person.id}/contacts/")
    assert response.status_code == 403
    assert response.data["code"] == "reason_required"


def test_record_a_contact_for_the_users_team(api, person, team, practitioner):
    response = api.post(f"people/{person.id}/contacts/", NEW_CONTACT)
    assert response.status_code == 201, response.data
    contact = Contact.objects.get()
    assert (contact.person, contact.team, contact.recorded_by) == (person, team, practitioner.user)
    assert contact.urgency == "soon"
    assert contact.concluded_at is None
    assert response.data["made_by_name"] == "Priya Patel (daughter)"


def test_a_contact_concluded_straight_away_gets_its_layer_from_the_outcome(api, person):
    body = {**NEW_CONTACT, "outcome": "NFA - Information & Advice / Signposting only"}
    response = api.post(f"people/{person.id}/contacts/", body)
    assert response.status_code == 201
    assert response.data["layer"] == "prevent"
    assert response.data["concluded_at"] is not None


def test_a_senior_manager_with_no_team_names_the_team(api_as, senior_manager, person, other_team):
    api = api_as(senior_manager)
    missing = api.post(f"people/{person.id}/contacts/", NEW_CONTACT)
    assert missing.status_code == 400
    assert missing.data["team"] == ["Choose the team recording this contact"]
    named = api.post(f"people/{person.id}/contacts/", {**NEW_CONTACT, "team": other_team.id})
    assert named.status_code == 201
    assert named.data["team"]["id"] == other_team.id


@pytest.mark.parametrize(
    ("change", "fields"),
    [
        ({"route_of_access": "Carrier pigeon"}, {"route_of_access"}),
        ({"made_by": None}, {"made_by"}),
        ({"reason": ""}, {"reason"}),
        ({"received_at": "03/03/2025"}, {"received_at"}),
        ({"received_at": "2999-03-03T10:00"}, {"received_at"}),
        ({"urgency": "whenever"}, {"urgency"}),
        ({"outcome": "No change in package"}, {"outcome"}),
        ({"layer": "meet"}, {"layer"}),
        ({"team": 999999}, {"team"}),
        ({"immediate_risk": "sometimes"}, {"immediate_risk"}),
    ],
)
def test_record_refuses_bad_input(api, person, change, fields):
    response = api.post(f"people/{person.id}/contacts/", {**NEW_CONTACT, **change})
    assert response.status_code == 400
    assert set(response.data) == fields
    assert not Contact.objects.exists()


def test_missing_fields_are_each_named(api, person):
    response = api.post(f"people/{person.id}/contacts/", {})
    assert set(response.data) == {"received_at", "route_of_access", "made_by", "reason"}


def test_conclude_a_contact(api, person, team):
    contact = ContactFactory(person=person, team=team)
    response = api.post(f"contacts/{contact.id}/conclude/", {"outcome": "Progress to Assessment"})
    assert response.status_code == 200
    assert response.data["outcome"] == "Progress to Assessment"
    assert response.data["layer"] == "meet"
    contact.refresh_from_db()
    assert contact.concluded_at is not None


def test_conclude_with_a_chosen_layer(api, person, team):
    contact = ContactFactory(person=person, team=team)
    response = api.post(f"contacts/{contact.id}/conclude/", {"outcome": "Progress to Assessment", "layer": "delay"})
    assert response.data["layer"] == "delay"


@pytest.mark.parametrize(
    "body",
    [{}, {"outcome": "Provision of service"}, {"outcome": "Progress to Assessment", "layer": "stop"}],
)
def test_conclude_refuses_outcomes_and_layers_not_on_the_lists(api, person, team, body):
    contact = ContactFactory(person=person, team=team)
    response = api.post(f"contacts/{contact.id}/conclude/", body)
    assert response.status_code == 400
    contact.refresh_from_db()
    assert contact.concluded_at is None


def test_concluding_twice_is_a_conflict(api, person, team):
    contact = ContactFactory(person=person, team=team)
    api.post(f"contacts/{contact.id}/conclude/", {"outcome": "Progress to Assessment"})
    response = api.post(f"contacts/{contact.id}/conclude/", {"outcome": "NFA - Support declined"})
    assert response.status_code == 409
    assert response.data["code"] == "already_concluded"
    contact.refresh_from_db()
    assert contact.outcome == "Progress to Assessment"


def test_conclude_outside_the_team_needs_a_reason(api_as, other_practitioner, person, team):
    contact = ContactFactory(person=person, team=team)
    response = api_as(other_practitioner).post(f"contacts/{contact.id}/conclude/", {"outcome": "Progress to Assessment"})
    assert response.status_code == 403


def test_conclude_unknown_contact_is_not_found(api):
    assert api.post("contacts/999999/conclude/", {"outcome": "Progress to Assessment"}).status_code == 404
