from __future__ import annotations

import pytest

from carecase.staff.models import TeamKind
from tests.factories import AllocationFactory, StaffFactory, TeamFactory

pytestmark = pytest.mark.django_db


def test_list_teams_with_their_open_cases(api, team, other_team, person):
    TeamFactory(name="Closed Team", is_active=False)
    response = api.get("teams/")
    assert response.status_code == 200
    rows = {row["name"]: row for row in response.data["results"]}
    assert set(rows) == {team.name, other_team.name}
    assert rows[team.name]["open_cases"] == 1
    assert rows[team.name]["kind"] == "locality"


def test_filter_teams_by_kind(api, team):
    hospital = TeamFactory(name="Royal Infirmary Hospital Team", kind=TeamKind.HOSPITAL)
    response = api.get("teams/", {"kind": "hospital"})
    assert [row["id"] for row in response.data["results"]] == [hospital.id]
    assert api.get("teams/", {"kind": "castle"}).status_code == 400


def test_read_a_team(api, team):
    response = api.get(f"teams/{team.id}/")
    assert response.status_code == 200
    assert response.data["phone"] == team.phone
    assert api.get("teams/999999/").status_code == 404


def test_list_staff_and_filter_by_team_and_role(api, practitioner, other_practitioner, team_leader, team):
    assert api.get("staff/").data["count"] == 3
    in_team = api.get("staff/", {"team": team.id}).data["results"]
    assert {row["id"] for row in in_team} == {practitioner.id, team_leader.id}
    leaders = api.get("staff/", {"team": team.id, "role": "team_leader"}).data["results"]
    assert [row["id"] for row in leaders] == [team_leader.id]
    assert leaders[0]["team"] == {"id": team.id, "name": team.name}
    assert leaders[0]["name"] == team_leader.user.get_full_name()


def test_inactive_staff_are_not_listed(api, practitioner):
    gone = StaffFactory(user__is_active=False)
    assert gone.id not in [row["id"] for row in api.get("staff/").data["results"]]
    assert api.get(f"staff/{gone.id}/").status_code == 404


@pytest.mark.parametrize("params", [{"role": "wizard"}, {"team": "east"}])
def test_staff_filters_refuse_bad_values(api, params):
    response = api.get("staff/", params)
    assert response.status_code == 400
    assert set(response.data) == set(params)


def test_read_a_member_of_staff(api, senior_manager):
    response = api.get(f"staff/{senior_manager.id}/")
    assert response.status_code == 200
    assert response.data["role"] == "senior_manager"
    assert response.data["team"] is None


def test_administrators_may_list_teams_and_staff(api_as, administrator, team):
    api = api_as(administrator)
    assert api.get("teams/").status_code == 200
    assert api.get("staff/").status_code == 200


def test_open_cases_count_only_open_allocations(api, team):
    import datetime as dt

    from django.utils import timezone

    AllocationFactory(team=team, started_at=timezone.now() - dt.timedelta(days=9), ended_at=timezone.now())
    assert api.get(f"teams/{team.id}/").data["open_cases"] == 0
