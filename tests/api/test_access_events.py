"""Every person-level endpoint leaves an access event: who, which person, what, why they could, and where."""

from __future__ import annotations

import pytest

from carecase.audit.models import AccessReason, RecordAccessEvent
from tests.factories import CaseNoteFactory, ContactFactory, PersonFactory, RelationshipFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def records(person, practitioner, team):
    carer = PersonFactory(given_name="Asha", family_name="Patel")
    return {
        "person": person.id,
        "carer": carer.id,
        "note": CaseNoteFactory(person=person, author=practitioner.user).id,
        "contact": ContactFactory(person=person, team=team).id,
        "relationship": RelationshipFactory(person=person, related_to=carer, kind="family").id,
    }


NOTE = {"occurred_at": "2025-03-03T10:15", "kind": "phone", "summary": "Call", "body": "Spoke with Mohan."}
CONTACT = {"received_at": "2025-03-03T10:15", "route_of_access": "Community / Other route", "made_by": "person",
           "reason": "Needs help with meals."}

# (method, address, body, resource logged). Each is logged against `person` with action "api".
ENDPOINTS = [
    ("get", "people/{person}/", None, "person record"),
    ("patch", "people/{person}/", {"preferred_name": "Mo"}, "person record"),
    ("get", "people/{person}/relationships/", None, "relationships"),
    ("post", "people/{person}/relationships/", {"related_to": "{carer}", "kind": "nominated_person"}, "relationships"),
    ("post", "relationships/{relationship}/end/", {"ended_on": "2024-01-31"}, "relationships"),
    ("get", "people/{person}/contacts/", None, "contacts"),
    ("post", "people/{person}/contacts/", CONTACT, "contacts"),
    ("post", "contacts/{contact}/conclude/", {"outcome": "Progress to Assessment"}, "contact"),
    ("get", "people/{person}/case-notes/", None, "case notes"),
    ("post", "people/{person}/case-notes/", NOTE, "case notes"),
    ("get", "case-notes/{note}/", None, "case note"),
    ("patch", "case-notes/{note}/", {"summary": "Call (corrected)"}, "case note"),
    ("post", "case-notes/{note}/addenda/", {"body": "Added later."}, "case note"),
]


def fill(value, records):
    if isinstance(value, str):
        filled = value.format(**records)
        return int(filled) if filled.isdigit() and value.startswith("{") else filled
    if isinstance(value, dict):
        return {key: fill(item, records) for key, item in value.items()}
    return value


@pytest.mark.parametrize(("method", "address", "body", "resource"), ENDPOINTS)
def test_each_person_level_endpoint_logs_an_api_read(api, practitioner, records, method, address, body, resource):
    path = fill(address, records)
    response = getattr(api, method)(path, fill(body, records))
    assert response.status_code in (200, 201), response.data
    event = RecordAccessEvent.objects.get(
        person_id=records["person"], action="api", path=f"/api/v1/{path}"
    )
    assert (event.user, event.resource, event.basis) == (practitioner.user, resource, "team")


@pytest.mark.parametrize(("method", "address", "body", "resource"), ENDPOINTS)
def test_each_refused_attempt_is_logged_as_denied(api_as, other_practitioner, records, method, address, body,
                                                 resource):
    path = fill(address, records)
    response = getattr(api_as(other_practitioner), method)(path, fill(body, records))
    assert response.status_code == 403
    assert response.data["code"] == "reason_required"
    events = RecordAccessEvent.objects.filter(user=other_practitioner.user)
    assert [(e.action, e.person_id, e.path) for e in events] == [("denied", records["person"], f"/api/v1/{path}")]


def test_linking_a_person_logs_what_was_shown_of_them(api, practitioner, records):
    api.post(f"people/{records['person']}/relationships/", {"person": records["carer"], "kind": "unpaid_carer"})
    event = RecordAccessEvent.objects.get(person_id=records["carer"], action="api")
    assert (event.resource, event.basis) == ("relationship link", "limited")


def test_search_logs_each_person_listed(api, practitioner, person):
    api.get("people/", {"name": "Mohan Patel"})
    event = RecordAccessEvent.objects.get(person=person)
    assert (event.user, event.action, event.resource, event.path) == (
        practitioner.user, "search", "search result", "/api/v1/people/"
    )


def test_search_logs_limited_rows_with_their_basis(api_as, other_practitioner, person):
    api_as(other_practitioner).get("people/", {"name": "Mohan Patel"})
    assert RecordAccessEvent.objects.get(person=person).basis == "limited"


def test_the_duplicate_check_logs_the_candidates_it_shows(api, practitioner, person):
    body = {"given_name": "Mohan", "family_name": "Patel", "date_of_birth": person.date_of_birth.isoformat()}
    assert api.post("people/", body).status_code == 409
    assert RecordAccessEvent.objects.filter(person=person, user=practitioner.user, action="search").exists()


def test_creating_a_person_logs_the_record_sent_back(api, practitioner):
    response = api.post("people/", {"given_name": "Nia", "family_name": "Okafor", "confirm_not_duplicate": True})
    event = RecordAccessEvent.objects.get(person_id=response.data["id"], action="api")
    assert (event.user, event.resource, event.path) == (practitioner.user, "person record", "/api/v1/people/")


def test_giving_a_reason_records_it_and_logs_the_limited_read(api_as, other_practitioner, person):
    api = api_as(other_practitioner)
    api.post(f"people/{person.id}/access-reason/", {"reason": "Covering duty for the East team today"})
    assert AccessReason.objects.get(person=person).reason == "Covering duty for the East team today"
    event = RecordAccessEvent.objects.get(person=person, user=other_practitioner.user)
    assert (event.basis, event.path) == ("limited", f"/api/v1/people/{person.id}/access-reason/")
    api.get(f"people/{person.id}/")
    assert RecordAccessEvent.objects.filter(person=person, action="api", basis="reason").count() == 1


def test_the_restricted_record_refusal_is_logged(api_as, senior_manager, restricted_person):
    api_as(senior_manager).get(f"people/{restricted_person.id}/")
    assert RecordAccessEvent.objects.get(person=restricted_person).action == "denied"


def test_teams_and_staff_are_not_person_level_and_log_nothing(api, person):
    api.get("teams/")
    api.get("staff/")
    assert not RecordAccessEvent.objects.exists()
