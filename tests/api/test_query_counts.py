"""List endpoints make the same number of queries for 3 rows as for 30 (no query per row)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from carecase.records.models import CaseNoteAddendum
from carecase.staff.models import Role
from tests.factories import (
    AllocationFactory,
    CaseNoteFactory,
    ContactFactory,
    PersonFactory,
    RelationshipFactory,
    StaffFactory,
    TeamFactory,
)

pytestmark = pytest.mark.django_db


def add_people(team, practitioner, n):
    for _ in range(n):
        AllocationFactory(person=PersonFactory(postcode="LE3 0AA"), team=team, worker=practitioner)


def add_relationships(person, n):
    for _ in range(n):
        RelationshipFactory(person=person, related_to=PersonFactory(), kind="family")
        RelationshipFactory(person=PersonFactory(), related_to=person, kind="advocate")


def add_contacts(person, team, practitioner, n):
    for _ in range(n):
        ContactFactory(person=person, team=team, recorded_by=practitioner.user)


def add_notes(person, practitioner, team_leader, n):
    for _ in range(n):
        note = CaseNoteFactory(person=person, author=practitioner.user)
        CaseNoteAddendum.objects.create(note=note, author=team_leader.user, body="Checked and agreed.")


def add_teams(n):
    for _ in range(n):
        AllocationFactory(team=TeamFactory())


def add_staff(team, n):
    for _ in range(n):
        StaffFactory(team=team, role=Role.PRACTITIONER)


def count_queries(api, path, params):
    with CaptureQueriesContext(connection) as captured:
        response = api.get(path, {**params, "page_size": 100})
    assert response.status_code == 200, response.data
    return len(captured), len(response.data["results"])


@pytest.mark.parametrize(
    ("name", "path", "params"),
    [
        ("people", "people/", {"postcode": "LE3 0AA"}),
        ("relationships", "people/{person}/relationships/", {}),
        ("contacts", "people/{person}/contacts/", {}),
        ("case notes", "people/{person}/case-notes/", {}),
        ("teams", "teams/", {}),
        ("staff", "staff/", {}),
    ],
)
def test_list_query_count_does_not_grow_with_rows(api, person, practitioner, team_leader, team, name, path, params):
    add = {
        "people": lambda n: add_people(team, practitioner, n),
        "relationships": lambda n: add_relationships(person, n),
        "contacts": lambda n: add_contacts(person, team, practitioner, n),
        "case notes": lambda n: add_notes(person, practitioner, team_leader, n),
        "teams": add_teams,
        "staff": lambda n: add_staff(team, n),
    }[name]
    path = path.format(person=person.id)
    add(3)
    api.get(path, params)  # the first request caches who the user is; both counts below start warm
    few, few_rows = count_queries(api, path, params)
    add(27)
    many, many_rows = count_queries(api, path, params)
    assert many_rows >= 30 > few_rows
    assert many == few, f"{name}: {few} queries for {few_rows} rows, {many} for {many_rows}"
