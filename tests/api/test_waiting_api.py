"""The waiting-list API: the summary is figures.summary for the same scope; the entries list filters, orders,
pages, shows each person as people search would and logs one access event per person sent."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from carecase.audit.models import AccessAction, AccessBasis, RecordAccessEvent
from carecase.waiting import figures
from carecase.waiting.figures import Scope
from carecase.waiting.models import WaitingListEntry
from tests.factories import AllocationFactory, PersonFactory

pytestmark = pytest.mark.django_db

SUMMARY = "waiting-list/summary/"
ENTRIES = "waiting-list/entries/"
KEYS = {"total", "by_priority", "by_band", "median_wait_days", "p90_wait_days", "over_6_months",
        "overdue_keep_in_touch"}


def today() -> dt.date:
    return timezone.localdate()


def entry(person, team, by, *, queue="assessment", days=10, band="medium", due_in=7, left=False):
    return WaitingListEntry.objects.create(
        person=person, team=team, queue=queue, waiting_since=today() - dt.timedelta(days=days), band=band,
        suggested_band=band, created_by=by.user,
        next_contact_due=None if due_in is None or left else today() + dt.timedelta(days=due_in),
        left_on=today() if left else None, exit_reason="allocated" if left else "")


@pytest.fixture
def waiting(person, team, other_team, practitioner, other_practitioner):
    """Entries in both teams, every band and several queues; one overdue, one without a due date, one left."""
    elsewhere = PersonFactory(given_name="Iqbal", family_name="Shah")
    AllocationFactory(person=elsewhere, team=other_team, worker=other_practitioner)
    joan = PersonFactory(given_name="Joan", family_name="Hart")
    AllocationFactory(person=joan, team=team, worker=practitioner)
    return {
        "old_low": entry(person, team, practitioner, days=400, band="low", due_in=-30),
        "review": entry(person, team, practitioner, queue="review", days=200, band="high", due_in=None),
        "urgent": entry(joan, team, practitioner, days=3, band="urgent", due_in=2),
        "elsewhere": entry(elsewhere, other_team, other_practitioner, queue="occupational_therapy", days=90,
                           band="not_rated", due_in=-1),
        "medium": entry(joan, team, practitioner, queue="carer_assessment", days=40, band="medium",
                        due_in=10),
        "left": entry(elsewhere, other_team, other_practitioner, days=500, band="high", left=True),
    }


def ids(response) -> list[int]:
    return [row["id"] for row in response.data["results"]]


def api_events(user):
    return RecordAccessEvent.objects.filter(user=user, action=AccessAction.API, resource="waiting list")


# --- the summary --------------------------------------------------------------------------------------


def test_summary_without_filters_is_the_figures_for_everyone(api, waiting):
    response = api.get(SUMMARY)
    assert response.status_code == 200, response.data
    assert set(response.json()) == KEYS
    assert response.json() == figures.summary(Scope())
    assert response.json()["total"] == 5  # the entry that left is not counted


@pytest.mark.parametrize(
    ("params", "scope"),
    [
        ({"team": "{team}"}, {"teams": ("{team}",)}),
        ({"team": ["{team}", "{other_team}"]}, {"teams": ("{team}", "{other_team}")}),
        ({"team": "{team},{other_team}"}, {"teams": ("{team}", "{other_team}")}),
        ({"queue": "assessment"}, {"queues": ("assessment",)}),
        ({"queue": "review,occupational_therapy"}, {"queues": ("review", "occupational_therapy")}),
        ({"priority": ["urgent", "not_rated"]}, {"bands": ("urgent", "not_rated")}),
        ({"team": "{team}", "queue": "assessment", "priority": "low,urgent"},
         {"teams": ("{team}",), "queues": ("assessment",), "bands": ("low", "urgent")}),
        ({"queue": "dols"}, {"queues": ("dols",)}),  # nobody waiting: zeros and no median
        ({"team": "", "queue": "", "priority": ""}, {}),  # empty means all
    ],
)
def test_summary_equals_the_figures_for_the_same_scope(api, waiting, team, other_team, params, scope):
    team_ids = {"team": team.id, "other_team": other_team.id}

    def fill(value):
        if isinstance(value, list | tuple):
            return type(value)(fill(v) for v in value)
        return value.format(**team_ids)

    response = api.get(SUMMARY, {key: fill(value) for key, value in params.items()})
    assert response.status_code == 200, response.data
    scope = {key: fill(value) for key, value in scope.items()}
    scope["teams"] = tuple(int(t) for t in scope.get("teams", ()))
    assert response.json() == figures.summary(Scope(**scope))
    assert set(response.json()) == KEYS


def test_summary_counts_overdue_contacts_like_the_entries_list(api, waiting):
    summary = api.get(SUMMARY).json()
    listed = api.get(ENTRIES).data["results"]
    assert summary["overdue_keep_in_touch"] == sum(row["keep_in_touch_overdue"] for row in listed) == 2


def test_the_summary_names_nobody_and_logs_nothing(api, waiting):
    response = api.get(SUMMARY)
    assert b"Patel" not in response.content
    assert not RecordAccessEvent.objects.filter(user=api.user).exists()


@pytest.mark.parametrize(
    ("params", "field", "words"),
    [
        ({"team": "east"}, "team", '"east" is not a team id'),
        ({"team": "999999"}, "team", "There is no team with id 999999. Team ids are listed at /api/v1/teams/."),
        ({"team": "999998,999999"}, "team", "There are no teams with ids 999998, 999999."),
        ({"team": "9" * 30}, "team", f"There is no team with id {'9' * 30}."),
        ({"queue": "assessments"}, "queue", '"assessments" is not a queue. Use one or more of:'),
        ({"priority": "purple"}, "priority", '"purple" is not a priority. Use one or more of:'),
        ({"priority": "urgent,purple"}, "priority", '"purple" is not a priority'),
        ({"colour": "red"}, "colour", "This parameter is not recognised"),
        ({"ordering": "band"}, "ordering", "This parameter is not recognised"),  # the summary has no order
    ],
)
def test_summary_refuses_what_it_does_not_understand(api, waiting, params, field, words):
    response = api.get(SUMMARY, params)
    assert response.status_code == 400
    assert words in response.data[field][0]


def test_every_problem_is_reported_at_once(api):
    response = api.get(SUMMARY, {"team": "x", "queue": "y", "priority": "z", "colour": "red"})
    assert response.status_code == 400
    assert set(response.data) == {"team", "queue", "priority", "colour"}


@pytest.mark.parametrize("role", ["practitioner", "team_leader", "senior_manager", "other_practitioner"])
def test_every_role_that_works_with_records_may_read_the_summary(api_as, waiting, role, request):
    response = api_as(request.getfixturevalue(role)).get(SUMMARY)
    assert response.status_code == 200
    assert response.json()["total"] == 5


@pytest.mark.parametrize("address", [SUMMARY, ENTRIES])
def test_administrators_are_refused(api_as, administrator, waiting, address):
    response = api_as(administrator).get(address)
    assert response.status_code == 403
    assert response.data["code"] == "no_access"
    assert "Administrators manage accounts" in response.data["detail"]
    assert not RecordAccessEvent.objects.filter(user=administrator.user).exists()


@pytest.mark.parametrize("address", [SUMMARY, ENTRIES])
def test_unauthenticated_callers_are_answered_401(waiting, address):
    response = APIClient().get(f"/api/v1/{address}")
    assert response.status_code == 401
    assert response.data["code"] == "not_authenticated"


# --- the entries --------------------------------------------------------------------------------------


def test_entries_are_the_open_ones_longest_wait_first(api, waiting, person, team):
    response = api.get(ENTRIES)
    assert response.status_code == 200, response.data
    assert response.data["count"] == 5
    w = waiting
    assert ids(response) == [w["old_low"].id, w["review"].id, w["elsewhere"].id, w["medium"].id, w["urgent"].id]
    first = response.data["results"][0]
    assert first == {
        "id": w["old_low"].id,
        "person": {"id": person.id, "access": "full", "name": "Mohan Patel"},
        "queue": "assessment",
        "team": {"id": team.id, "name": "City East Locality Team"},
        "waiting_since": (today() - dt.timedelta(days=400)).isoformat(),
        "days_waiting": 400,
        "band": "low",
        "suggested_band": "low",
        "next_contact_due": (today() - dt.timedelta(days=30)).isoformat(),
        "keep_in_touch_overdue": True,
        "left_on": None,
        "exit_reason": None,
    }


def test_include_left_adds_people_who_have_left(api, waiting):
    response = api.get(ENTRIES, {"include_left": "true"})
    assert response.data["count"] == 6
    left = response.data["results"][0]
    assert left["id"] == waiting["left"].id
    assert left["left_on"] == today().isoformat() and left["exit_reason"] == "allocated"
    assert left["days_waiting"] == 500 and left["keep_in_touch_overdue"] is False
    assert api.get(ENTRIES, {"include_left": "false"}).data["count"] == 5


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"team": "{team}"}, ["old_low", "review", "medium", "urgent"]),
        ({"team": "{other_team}"}, ["elsewhere"]),
        ({"team": ["{team}", "{other_team}"], "queue": "assessment"}, ["old_low", "urgent"]),
        ({"queue": "review,occupational_therapy"}, ["review", "elsewhere"]),
        ({"priority": ["urgent", "high"]}, ["review", "urgent"]),
        ({"team": "{team}", "priority": "medium,not_rated"}, ["medium"]),
        ({"priority": "high", "include_left": "true"}, ["left", "review"]),
        ({"queue": "dols"}, []),
    ],
)
def test_entries_filters(api, waiting, team, other_team, params, expected):
    team_ids = {"team": team.id, "other_team": other_team.id}
    params = {k: [x.format(**team_ids) for x in v] if isinstance(v, list) else v.format(**team_ids)
              for k, v in params.items()}
    response = api.get(ENTRIES, params)
    assert response.status_code == 200, response.data
    assert ids(response) == [waiting[name].id for name in expected]


@pytest.mark.parametrize(
    ("ordering", "expected"),
    [
        ("waiting_since", ["old_low", "review", "elsewhere", "medium", "urgent"]),
        ("-waiting_since", ["urgent", "medium", "elsewhere", "review", "old_low"]),
        ("band", ["urgent", "review", "medium", "old_low", "elsewhere"]),
        # Entries without a due date come last either way.
        ("next_contact_due", ["old_low", "elsewhere", "urgent", "medium", "review"]),
        ("-next_contact_due", ["medium", "urgent", "elsewhere", "old_low", "review"]),
    ],
)
def test_entries_ordering(api, waiting, ordering, expected):
    response = api.get(ENTRIES, {"ordering": ordering})
    assert response.status_code == 200, response.data
    assert ids(response) == [waiting[name].id for name in expected]


@pytest.mark.parametrize(
    ("params", "field", "words"),
    [
        ({"ordering": "name"}, "ordering", '"name" is not a way to order entries. Use one of:'),
        ({"ordering": ["band", "-waiting_since"]}, "ordering", "Give ordering once."),
        ({"include_left": "yes"}, "include_left", "Enter true or false"),
        ({"team": "3.5"}, "team", '"3.5" is not a team id'),
        ({"queue": "ot"}, "queue", '"ot" is not a queue'),
        ({"priority": "red"}, "priority", '"red" is not a priority'),
        ({"sort": "band"}, "sort", "This parameter is not recognised"),
        ({"page": "0"}, "page", "Enter a page number"),
    ],
)
def test_entries_refuse_what_they_do_not_understand(api, waiting, params, field, words):
    response = api.get(ENTRIES, params)
    assert response.status_code == 400
    assert words in response.data[field][0]
    assert not api_events(api.user).exists()


def test_entries_are_paginated_like_other_lists(api, waiting):
    first = api.get(ENTRIES, {"page_size": 2})
    assert first.data["count"] == 5 and len(first.data["results"]) == 2
    assert "page=2" in first.data["next"] and first.data["previous"] is None
    second = api.get(ENTRIES, {"page_size": 2, "page": 2})
    third = api.get(ENTRIES, {"page_size": 2, "page": 3})
    assert ids(first) + ids(second) + ids(third) == ids(api.get(ENTRIES))
    assert api.get(ENTRIES, {"page": 9}).status_code == 404


def test_people_are_shown_as_people_search_shows_them(api, waiting, restricted_person, team, practitioner):
    hidden = entry(restricted_person, team, practitioner, days=700, band="urgent")
    rows = {row["id"]: row["person"] for row in api.get(ENTRIES).data["results"]}
    # Outside the practitioner's team: the name only, as search shows it; opening the record needs a reason.
    assert rows[waiting["elsewhere"].id] == {"id": waiting["elsewhere"].person_id, "access": "limited",
                                             "name": "Iqbal Shah"}
    # Restricted and not named on it: only that the record exists.
    assert rows[hidden.id] == {"id": restricted_person.id, "access": "restricted", "name": None}


def test_restricted_names_never_leak(api, waiting, restricted_person, team, practitioner):
    entry(restricted_person, team, practitioner, days=700, band="urgent")
    for params in ({}, {"include_left": "true"}, {"ordering": "band"}, {"priority": "urgent"}):
        response = api.get(ENTRIES, params)
        assert response.status_code == 200
        assert b"Rosa" not in response.content and b"Quinn" not in response.content


def test_someone_named_on_a_restricted_record_sees_the_name(api, waiting, restricted_person, team, practitioner,
                                                            grant):
    hidden = entry(restricted_person, team, practitioner, days=700, band="urgent")
    grant(restricted_person, practitioner.user)
    rows = {row["id"]: row["person"] for row in api.get(ENTRIES).data["results"]}
    assert rows[hidden.id] == {"id": restricted_person.id, "access": "full", "name": "Rosa Quinn"}


def test_senior_managers_see_every_name_except_restricted(api_as, senior_manager, waiting, restricted_person, team,
                                                          practitioner):
    entry(restricted_person, team, practitioner, days=700, band="urgent")
    people = [row["person"] for row in api_as(senior_manager).get(ENTRIES).data["results"]]
    assert [p["access"] for p in people] == ["restricted"] + ["full"] * 5
    assert people[0]["name"] is None and all(p["name"] for p in people[1:])


def test_one_access_event_per_person_sent(api, waiting, restricted_person, person, team, practitioner):
    entry(restricted_person, team, practitioner, days=700, band="urgent")
    api.get(ENTRIES)
    events = api_events(api.user)
    # Six entries of four people: Mohan Patel is on two lists and Joan Hart on two, each logged once.
    assert events.count() == 4
    assert {e.person_id for e in events} == {person.id, restricted_person.id, waiting["urgent"].person_id,
                                            waiting["elsewhere"].person_id}
    bases = {e.person_id: e.basis for e in events}
    assert bases[person.id] == AccessBasis.TEAM
    assert bases[restricted_person.id] == AccessBasis.LIMITED
    assert bases[waiting["elsewhere"].person_id] == AccessBasis.LIMITED
    assert all(e.path == f"/api/v1/{ENTRIES}" for e in events)


def test_only_the_page_sent_is_logged(api, waiting):
    response = api.get(ENTRIES, {"page_size": 1})
    assert [e.person_id for e in api_events(api.user)] == [response.data["results"][0]["person"]["id"]]


def test_an_empty_page_logs_nothing(api, waiting):
    assert api.get(ENTRIES, {"queue": "dols"}).data["count"] == 0
    assert not api_events(api.user).exists()


def count_queries(api, params):
    with CaptureQueriesContext(connection) as captured:
        response = api.get(ENTRIES, {**params, "page_size": 100})
    assert response.status_code == 200, response.data
    return len(captured), len(response.data["results"])


@pytest.mark.parametrize("params", [{}, {"team": "{team}", "priority": "medium,low,high", "ordering": "band"}])
def test_query_count_does_not_grow_with_entries(api, team, other_team, practitioner, other_practitioner, params):
    params = {key: value.format(team=team.id) for key, value in params.items()}
    added = 0

    def add(n):
        """Entries of people in every kind of access: the team's own, another team's, restricted."""
        nonlocal added
        for i in range(added, added + n):
            kind = i % 3
            person = PersonFactory(is_restricted=kind == 2)
            AllocationFactory(person=person, team=other_team if kind == 1 else team,
                              worker=other_practitioner if kind == 1 else practitioner)
            entry(person, team, practitioner, queue=["assessment", "review"][i % 2], days=i,
                  band=["medium", "low", "high"][kind])
        added += n

    add(3)
    api.get(ENTRIES, params)  # the first request caches who the user is; both counts below start warm
    few, few_rows = count_queries(api, params)
    add(22)
    many, many_rows = count_queries(api, params)
    assert (few_rows, many_rows) == (3, 25)
    assert many == few, f"{few} queries for {few_rows} entries, {many} for {many_rows}"

