"""Staff, teams, allocation of a person's case (with history) and worktrays."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from carecase.audit.access import Level, ReasonRequired, access_for
from carecase.audit.models import AccessAction, RecordAccessEvent
from carecase.people.selectors import people_listing
from carecase.staff.models import Allocation, Role
from carecase.staff.selectors import (
    allocation_history,
    current_allocation,
    staff_list,
    teams_list,
    worktray_allocations,
)
from carecase.staff.services import allocate, deallocate, staff_create
from tests.factories import AllocationFactory, PersonFactory, StaffFactory

pytestmark = pytest.mark.django_db


def fresh(user):
    return get_user_model().objects.get(pk=user.pk)


# Staff


def test_staff_create_sets_role_group_and_team(team):
    staff = staff_create(username="rkaur", first_name="Ravinder", last_name="Kaur", email="r.kaur@example.gov.uk",
                         role=Role.TEAM_LEADER, job_title="Team manager", team=team, password="a-long-passphrase")
    assert (staff.role, staff.team, staff.full_name) == (Role.TEAM_LEADER, team, "Ravinder Kaur")
    assert list(staff.user.groups.values_list("name", flat=True)) == ["Team leader"]
    assert staff.user.check_password("a-long-passphrase")
    assert not staff.user.is_staff


def test_staff_create_without_password_and_administrator_gets_django_admin(db):
    staff = staff_create(username="admin1", first_name="Ada", last_name="Min", email="a@example.gov.uk",
                         role=Role.ADMINISTRATOR, job_title="Systems administrator")
    assert not staff.user.has_usable_password()
    assert staff.user.is_staff and not staff.user.is_superuser


def test_staff_list_leaves_out_people_who_have_left(team, practitioner, team_leader, other_practitioner):
    team_leader.user.is_active = False
    team_leader.user.save()
    assert list(staff_list(team_id=team.pk)) == [practitioner]
    assert set(staff_list()) == {practitioner, other_practitioner}


def test_teams_list_counts_open_cases(team, other_team, person):
    AllocationFactory(team=team, ended_at=timezone.now() + dt.timedelta(seconds=1))  # closed
    counts = {t.pk: t.open_cases for t in teams_list()}
    assert counts == {team.pk: 1, other_team.pk: 0}


# Allocation


def test_allocate_closes_the_previous_allocation_and_keeps_history(person, team, team_leader, practitioner,
                                                                  other_team, other_practitioner):
    before = person.allocations.get()
    new = allocate(person=person, team=other_team, worker=other_practitioner, by=team_leader.user,
                   reason="Moved to the west of the city")
    before.refresh_from_db()
    assert before.ended_at == new.started_at
    assert new.is_open and new.allocated_by == team_leader.user
    assert current_allocation(person.pk) == new
    assert list(person.allocations.order_by("started_at")) == [before, new]


def test_allocate_again_to_the_same_worker_changes_nothing(person, team, practitioner, team_leader):
    current = person.allocations.get()
    assert allocate(person=person, team=team, worker=practitioner, by=team_leader.user) == current
    assert person.allocations.count() == 1


def test_reallocating_within_the_team_changes_worker(person, team, team_leader):
    colleague = StaffFactory(team=team)
    new = allocate(person=person, team=team, worker=colleague, by=team_leader.user)
    assert new.worker == colleague
    assert person.allocations.filter(ended_at__isnull=True).get() == new
    assert person.allocations.count() == 2


def test_worker_must_be_in_the_team(person, other_team, practitioner, team_leader):
    with pytest.raises(ValidationError) as excinfo:
        allocate(person=person, team=other_team, worker=practitioner, by=team_leader.user)
    assert "is not in City West Locality Team" in excinfo.value.message_dict["worker"][0]
    assert person.allocations.get().team != other_team


def test_practitioner_can_allocate_within_their_own_team(team, practitioner):
    newcomer = PersonFactory()
    allocation = allocate(person=newcomer, team=team, worker=practitioner, by=practitioner.user)
    assert allocation.is_open
    assert access_for(fresh(practitioner.user), newcomer).is_full


def test_practitioner_cannot_allocate_to_another_team(person, other_team, practitioner):
    with pytest.raises(PermissionDenied):
        allocate(person=person, team=other_team, worker=None, by=practitioner.user)
    assert person.allocations.get().team != other_team


def test_practitioner_cannot_take_another_teams_case_into_their_own(person, other_team, other_practitioner):
    # Taking the case would open the full record without giving a reason.
    with pytest.raises(PermissionDenied):
        allocate(person=person, team=other_team, worker=other_practitioner, by=other_practitioner.user)
    assert access_for(other_practitioner.user, person).level == Level.LIMITED


@pytest.mark.parametrize("fixture", ["team_leader", "senior_manager"])
def test_team_leaders_and_senior_managers_can_allocate_to_another_team(request, fixture, person, other_team,
                                                                       other_practitioner):
    allocator = request.getfixturevalue(fixture)
    allocate(person=person, team=other_team, worker=other_practitioner, by=allocator.user)
    assert access_for(fresh(other_practitioner.user), person).is_full


def test_administrators_cannot_allocate(person, other_team, administrator):
    with pytest.raises(PermissionDenied):
        allocate(person=person, team=other_team, worker=None, by=administrator.user)


def test_database_allows_at_most_one_open_allocation(person, team, other_team):
    with pytest.raises(IntegrityError, match="one_open_allocation_per_person"), transaction.atomic():
        AllocationFactory(person=person, team=other_team)
    # closed ones are history and may be many
    now = timezone.now()
    AllocationFactory(person=person, team=other_team, started_at=now - dt.timedelta(days=9),
                      ended_at=now - dt.timedelta(days=5))
    AllocationFactory(person=person, team=team, started_at=now - dt.timedelta(days=4),
                      ended_at=now - dt.timedelta(days=1))
    assert person.allocations.count() == 3


def test_database_refuses_an_allocation_that_ends_before_it_starts(person):
    with pytest.raises(IntegrityError, match="allocation_ends_after_start"), transaction.atomic():
        Allocation.objects.filter(person=person).update(ended_at=timezone.now() - dt.timedelta(days=1))


def test_deallocate_is_for_team_leaders_and_senior_managers(person, practitioner, team_leader):
    with pytest.raises(PermissionDenied):
        deallocate(person=person, by=practitioner.user, reason="Case closed")
    assert current_allocation(person.pk)
    deallocate(person=person, by=team_leader.user, reason="Case closed")
    assert current_allocation(person.pk) is None
    assert person.allocations.get().reason == "Case closed"
    assert access_for(fresh(practitioner.user), person).level == Level.LIMITED


def test_allocation_history_is_scoped_and_logged(person, team, team_leader, other_practitioner, other_team):
    assert [a.team for a in allocation_history(user=team_leader.user, person=person)] == [team]
    assert RecordAccessEvent.objects.get(user=team_leader.user).resource == "allocation history"
    allocate(person=person, team=other_team, worker=None, by=team_leader.user)
    history = allocation_history(user=fresh(other_practitioner.user), person=person)
    assert [(a.team, a.is_open) for a in history] == [(other_team, True), (team, False)]
    # the team leader's team no longer holds the case
    with pytest.raises(ReasonRequired):
        allocation_history(user=fresh(team_leader.user), person=person)


def test_allocation_history_needs_full_access(person, other_practitioner):
    with pytest.raises(ReasonRequired):
        allocation_history(user=other_practitioner.user, person=person)


# Worktrays


@pytest.fixture
def caseload(team, other_team, practitioner, other_practitioner):
    colleague = StaffFactory(team=team)
    now = timezone.now()
    mine_old = AllocationFactory(team=team, worker=practitioner, started_at=now - dt.timedelta(days=30))
    mine_new = AllocationFactory(team=team, worker=practitioner, started_at=now - dt.timedelta(days=1))
    colleagues = AllocationFactory(team=team, worker=colleague, started_at=now - dt.timedelta(days=5))
    unassigned = AllocationFactory(team=team, worker=None, started_at=now - dt.timedelta(days=2))
    AllocationFactory(team=team, worker=practitioner, started_at=now - dt.timedelta(days=60),
                      ended_at=now - dt.timedelta(days=40))  # closed
    elsewhere = AllocationFactory(team=other_team, worker=other_practitioner)
    return {"mine": [mine_old, mine_new], "team": [mine_old, mine_new, colleagues, unassigned],
            "elsewhere": elsewhere}


def test_worktray_is_a_workers_own_open_cases_oldest_first(caseload, practitioner):
    assert list(worktray_allocations(user=practitioner.user)) == caseload["mine"]


def test_team_leader_worktray_is_the_teams_open_cases(caseload, team_leader):
    assert set(worktray_allocations(user=team_leader.user)) == set(caseload["team"])


def test_worktray_is_empty_without_a_staff_role(caseload, practitioner):
    user = practitioner.user
    user.is_active = False
    user.save()
    assert list(worktray_allocations(user=fresh(user))) == []


def test_worktray_rows_load_in_constant_queries(caseload, team_leader, django_assert_num_queries):
    user = fresh(team_leader.user)
    with django_assert_num_queries(2):  # the staff record, then the allocations with person, team and worker
        rows = [(a.person.family_name, a.team.name, a.worker and a.worker.user.username)
                for a in worktray_allocations(user=user)]
    assert len(rows) == 4


def test_people_listing_logs_a_worktray_read(caseload, practitioner):
    ids = [a.person_id for a in caseload["mine"]] + [caseload["elsewhere"].person_id]
    visible = people_listing(user=practitioner.user, person_ids=ids)
    assert set(visible) == {a.person_id for a in caseload["mine"]}
    assert sorted(RecordAccessEvent.objects.filter(action=AccessAction.VIEW, resource="worktray")
                  .values_list("person_id", flat=True)) == sorted(a.person_id for a in caseload["mine"])
