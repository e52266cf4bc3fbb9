from __future__ import annotations

import pytest

from carecase.staff.models import Role

from .factories import AllocationFactory, PersonFactory, StaffFactory, TeamFactory


@pytest.fixture
def team(db):
    return TeamFactory(name="City East Locality Team")


@pytest.fixture
def other_team(db):
    return TeamFactory(name="City West Locality Team")


def _staff(role, team, username):
    return StaffFactory(user__username=username, role=role, team=team)


@pytest.fixture
def practitioner(team):
    return _staff(Role.PRACTITIONER, team, "practitioner")


@pytest.fixture
def other_practitioner(other_team):
    return _staff(Role.PRACTITIONER, other_team, "other_practitioner")


@pytest.fixture
def team_leader(team):
    return _staff(Role.TEAM_LEADER, team, "team_leader")


@pytest.fixture
def senior_manager(db):
    return _staff(Role.SENIOR_MANAGER, None, "senior_manager")


@pytest.fixture
def administrator(db):
    return _staff(Role.ADMINISTRATOR, None, "administrator")


@pytest.fixture
def person(team, practitioner):
    """A person allocated to the practitioner in `team`."""
    p = PersonFactory(given_name="Mohan", family_name="Patel")
    AllocationFactory(person=p, team=team, worker=practitioner)
    return p


@pytest.fixture
def staff_client(client, practitioner):
    client.force_login(practitioner.user)
    return client
