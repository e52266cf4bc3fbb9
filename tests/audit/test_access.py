"""The access policy (carecase/audit/access.py): who may open which record, and the log of every read."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils import timezone

from carecase.audit.access import (
    Level,
    NoAccess,
    ReasonRequired,
    RestrictedRecord,
    access_for,
    access_levels,
    can_search,
    can_see_access_log,
    open_record,
)
from carecase.audit.models import AccessAction, AccessBasis, AccessReason, RecordAccessEvent
from carecase.audit.services import give_reason, grant_access, revoke_access
from carecase.people.selectors import SearchQuery, search_people
from carecase.staff.models import Role
from tests.factories import AllocationFactory, PersonFactory, StaffFactory

pytestmark = pytest.mark.django_db

REASON = "Duty worker: daughter rang about a fall at home"


def fresh(user):
    """The same user read again from the database, with no cached staff record."""
    return get_user_model().objects.get(pk=user.pk)


@pytest.fixture
def outsider(other_team):
    """A person allocated to the other team."""
    p = PersonFactory(given_name="Asha", family_name="Shah")
    AllocationFactory(person=p, team=other_team)
    return p


@pytest.fixture
def restricted(team, practitioner):
    """A restricted person allocated to the practitioner's own team."""
    p = PersonFactory(given_name="Grace", family_name="Hidden", is_restricted=True)
    AllocationFactory(person=p, team=team, worker=practitioner)
    return p


# Levels by role


def test_practitioner_has_full_access_to_their_teams_people(person, practitioner, team):
    colleague_case = PersonFactory()
    AllocationFactory(person=colleague_case, team=team, worker=None)
    for p in (person, colleague_case):
        access = access_for(practitioner.user, p)
        assert access.level == Level.FULL and access.basis == AccessBasis.TEAM


def test_practitioner_has_limited_access_to_other_teams_and_unallocated_people(outsider, practitioner):
    unallocated = PersonFactory()
    for p in (outsider, unallocated):
        access = access_for(practitioner.user, p)
        assert access.level == Level.LIMITED and access.basis == AccessBasis.LIMITED
        assert not access.is_full


def test_access_follows_the_current_allocation_only(person, practitioner, other_practitioner, other_team):
    allocation = person.allocations.get()
    allocation.ended_at = timezone.now()
    allocation.save()
    AllocationFactory(person=person, team=other_team)
    assert access_for(fresh(practitioner.user), person).level == Level.LIMITED
    assert access_for(fresh(other_practitioner.user), person).level == Level.FULL


def test_team_leader_full_for_own_team_limited_for_others(person, outsider, team_leader):
    assert access_for(team_leader.user, person).basis == AccessBasis.TEAM
    assert access_for(team_leader.user, outsider).level == Level.LIMITED


def test_senior_manager_full_for_everyone_but_restricted(person, outsider, restricted, senior_manager):
    for p in (person, outsider, PersonFactory()):
        access = access_for(senior_manager.user, p)
        assert access.level == Level.FULL and access.basis == AccessBasis.SENIOR
    assert access_for(senior_manager.user, restricted).level == Level.RESTRICTED


def test_administrator_has_no_access_unless_granted(person, administrator, senior_manager):
    assert access_for(administrator.user, person).level == Level.NONE
    assert not can_search(administrator.user)
    grant_access(person=person, user=administrator.user, granted_by=senior_manager.user, reason="Data correction")
    access = access_for(fresh(administrator.user), person)
    assert access.level == Level.FULL and access.basis == AccessBasis.GRANT


def test_inactive_or_unknown_users_have_no_access(person, practitioner):
    from django.contrib.auth.models import AnonymousUser

    user = practitioner.user
    user.is_active = False
    user.save()
    assert access_for(fresh(user), person).level == Level.NONE
    assert access_for(AnonymousUser(), person).level == Level.NONE
    no_staff_record = get_user_model().objects.create_user(username="no-role", password="x" * 14)
    assert access_for(no_staff_record, person).level == Level.NONE
    assert not can_search(no_staff_record)


@pytest.mark.parametrize("role", [Role.SAFEGUARDING_LEAD, Role.DP_OFFICER, Role.FINANCE_OFFICER])
def test_other_roles_follow_the_team_rule(role, person, outsider, team):
    staff = StaffFactory(role=role, team=team)
    assert access_for(staff.user, person).basis == AccessBasis.TEAM
    assert access_for(staff.user, outsider).level == Level.LIMITED


def test_staff_without_a_team_are_limited(person, db):
    staff = StaffFactory(role=Role.PRACTITIONER, team=None)
    assert access_for(staff.user, person).level == Level.LIMITED


# Restricted records


def test_restricted_record_is_restricted_for_everyone_even_its_own_team(
    restricted, practitioner, team_leader, senior_manager, administrator
):
    for staff in (practitioner, team_leader, senior_manager):
        assert access_for(staff.user, restricted).level == Level.RESTRICTED
    assert access_for(administrator.user, restricted).level == Level.NONE


def test_grant_by_name_gives_full_access_and_revoking_removes_it(restricted, practitioner, senior_manager):
    grant = grant_access(person=restricted, user=practitioner.user, granted_by=senior_manager.user,
                         reason="Allocated worker")
    access = access_for(fresh(practitioner.user), restricted)
    assert access.level == Level.FULL and access.basis == AccessBasis.GRANT
    # the senior manager who granted is still not named on the record
    assert access_for(fresh(senior_manager.user), restricted).level == Level.RESTRICTED
    revoke_access(grant=grant, revoked_by=senior_manager.user)
    assert access_for(fresh(practitioner.user), restricted).level == Level.RESTRICTED


def test_only_senior_managers_or_those_named_can_revoke(restricted, practitioner, team_leader, senior_manager):
    grant = grant_access(person=restricted, user=practitioner.user, granted_by=senior_manager.user, reason="x")
    with pytest.raises(NoAccess):
        revoke_access(grant=grant, revoked_by=team_leader.user)
    assert access_for(fresh(practitioner.user), restricted).is_full


def test_granting_twice_returns_the_live_grant(restricted, practitioner, senior_manager):
    first = grant_access(person=restricted, user=practitioner.user, granted_by=senior_manager.user, reason="x")
    again = grant_access(person=restricted, user=practitioner.user, granted_by=senior_manager.user, reason="y")
    assert again.pk == first.pk


def test_only_senior_managers_or_those_named_can_grant(restricted, practitioner, team_leader, senior_manager):
    with pytest.raises(NoAccess):
        grant_access(person=restricted, user=practitioner.user, granted_by=team_leader.user, reason="x")
    grant_access(person=restricted, user=team_leader.user, granted_by=senior_manager.user, reason="x")
    grant_access(person=restricted, user=practitioner.user, granted_by=team_leader.user, reason="x")
    assert access_for(fresh(practitioner.user), restricted).is_full


def test_a_reason_does_not_open_a_restricted_record(restricted, other_practitioner):
    with pytest.raises(NoAccess):
        give_reason(user=other_practitioner.user, person=restricted, reason=REASON)
    assert not AccessReason.objects.exists()


# Reasons


def test_reason_gives_full_access_for_the_configured_hours_then_expires(outsider, practitioner):
    start = dt.datetime(2025, 3, 10, 9, 0, tzinfo=dt.UTC)
    hours = settings.ACCESS_REASON_HOURS
    with time_machine.travel(start, tick=False):
        assert access_for(fresh(practitioner.user), outsider).level == Level.LIMITED
        reason = give_reason(user=practitioner.user, person=outsider, reason=REASON)
        assert reason.expires_at == start + dt.timedelta(hours=hours)
        access = access_for(fresh(practitioner.user), outsider)
        assert access.level == Level.FULL and access.basis == AccessBasis.REASON
    with time_machine.travel(start + dt.timedelta(hours=hours, seconds=-1), tick=False):
        assert access_for(fresh(practitioner.user), outsider).is_full
    with time_machine.travel(start + dt.timedelta(hours=hours), tick=False):
        assert access_for(fresh(practitioner.user), outsider).level == Level.LIMITED
        with pytest.raises(ReasonRequired):
            open_record(fresh(practitioner.user), outsider, resource="person summary")


def test_a_reason_is_personal(outsider, practitioner, team_leader):
    give_reason(user=practitioner.user, person=outsider, reason=REASON)
    assert access_for(team_leader.user, outsider).level == Level.LIMITED


@pytest.mark.parametrize("text", ["", "   ", "because", "  short   "])
def test_a_reason_must_say_something(outsider, practitioner, text):
    with pytest.raises(ValueError, match="at least 10 characters"):
        give_reason(user=practitioner.user, person=outsider, reason=text)


def test_administrator_cannot_open_a_record_by_giving_a_reason(person, administrator):
    with pytest.raises(NoAccess):
        give_reason(user=administrator.user, person=person, reason=REASON)


# open_record and the log


def test_open_record_logs_a_view_with_the_basis(person, outsider, practitioner, senior_manager):
    open_record(practitioner.user, person, resource="case notes", path="/people/1/notes/")
    give_reason(user=practitioner.user, person=outsider, reason=REASON)
    open_record(fresh(practitioner.user), outsider, resource="person summary")
    open_record(senior_manager.user, outsider, resource="contacts", action=AccessAction.PRINT)
    rows = list(
        RecordAccessEvent.objects.order_by("id").values_list("user_id", "person_id", "action", "resource", "basis")
    )
    assert rows == [
        (practitioner.user.pk, person.pk, AccessAction.VIEW, "case notes", AccessBasis.TEAM),
        (practitioner.user.pk, outsider.pk, AccessAction.VIEW, "person summary", AccessBasis.REASON),
        (senior_manager.user.pk, outsider.pk, AccessAction.PRINT, "contacts", AccessBasis.SENIOR),
    ]
    assert RecordAccessEvent.objects.order_by("id").first().path == "/people/1/notes/"


def test_open_record_logs_denied_then_asks_for_a_reason(outsider, practitioner):
    with pytest.raises(ReasonRequired) as excinfo:
        open_record(practitioner.user, outsider, resource="person summary")
    assert excinfo.value.person_id == outsider.pk
    event = RecordAccessEvent.objects.get()
    assert (event.user_id, event.person_id, event.action) == (practitioner.user.pk, outsider.pk, AccessAction.DENIED)


def test_open_record_logs_denied_then_refuses_a_restricted_record(restricted, senior_manager):
    with pytest.raises(RestrictedRecord):
        open_record(senior_manager.user, restricted, resource="person summary")
    assert RecordAccessEvent.objects.get().action == AccessAction.DENIED


def test_open_record_refuses_administrators(person, administrator):
    with pytest.raises(NoAccess):
        open_record(administrator.user, person, resource="person summary")


def test_search_logs_one_event_per_person_shown(person, outsider, practitioner):
    PersonFactory(given_name="Zebedee", family_name="Quince")  # not shown
    rows = search_people(user=practitioner.user, query=SearchQuery(name="Mohan Patel"))
    rows += search_people(user=practitioner.user, query=SearchQuery(name="Asha Shah"))
    assert [r.id for r in rows] == [person.pk, outsider.pk]
    events = RecordAccessEvent.objects.order_by("id")
    assert list(events.values_list("person_id", "action", "basis")) == [
        (person.pk, AccessAction.SEARCH, AccessBasis.TEAM),
        (outsider.pk, AccessAction.SEARCH, AccessBasis.LIMITED),
    ]


def test_access_levels_uses_a_constant_number_of_queries(django_assert_num_queries, team, practitioner,
                                                        other_team, senior_manager):
    people = PersonFactory.create_batch(50)
    for i, p in enumerate(people):
        AllocationFactory(person=p, team=team if i % 2 else other_team)
    granted = PersonFactory(is_restricted=True)
    grant_access(person=granted, user=practitioner.user, granted_by=senior_manager.user, reason="x")
    reasoned = people[0]
    give_reason(user=practitioner.user, person=reasoned, reason=REASON)
    everyone = [*people, granted]

    # one query for the staff record, then one each for allocations and waiting lists, grants and reasons
    user_a, user_b = fresh(practitioner.user), fresh(practitioner.user)
    with django_assert_num_queries(4):
        one = access_levels(user_a, everyone[:1])
    with django_assert_num_queries(4):
        many = access_levels(user_b, everyone)
    with django_assert_num_queries(3):  # the staff record is cached on the user
        access_levels(user_b, everyone)
    assert one[people[0].pk] == many[people[0].pk]
    assert many[reasoned.pk].basis == AccessBasis.REASON
    assert many[granted.pk].basis == AccessBasis.GRANT
    assert many[people[1].pk].basis == AccessBasis.TEAM
    assert many[people[2].pk].level == Level.LIMITED


def test_access_levels_with_no_people_makes_no_queries(django_assert_num_queries, practitioner):
    user = fresh(practitioner.user)
    with django_assert_num_queries(0):
        assert access_levels(user, []) == {}


# Who may see the "who has looked at this record" page


def test_who_may_see_the_access_log(person, outsider, restricted, practitioner, team_leader, senior_manager,
                                    administrator):
    assert can_see_access_log(team_leader.user, person)
    assert not can_see_access_log(team_leader.user, outsider)
    assert not can_see_access_log(practitioner.user, person)
    assert can_see_access_log(senior_manager.user, outsider)
    assert not can_see_access_log(senior_manager.user, restricted)
    assert not can_see_access_log(administrator.user, person)


# The queryset twin


def test_the_queryset_twin_agrees_with_the_policy_on_generated_data(team, other_team, practitioner, team_leader,
                                                                     other_practitioner, senior_manager,
                                                                     administrator):
    """`full_access_q` must open exactly what `access_levels` opens in full, for every role and basis: a team,
    a waiting list, a reason (live or expired), a grant (live or revoked), restriction, and a direct payment."""
    import random

    from carecase.audit.access import full_access_q
    from carecase.people.models import Person
    from carecase.staff.models import TeamKind
    from carecase.waiting.models import WaitingListEntry
    from tests.directpayments.conftest import make_dp_plan
    from tests.factories import TeamFactory

    rng = random.Random(11)
    dp_officer = StaffFactory(role=Role.DP_OFFICER, team=TeamFactory(kind=TeamKind.DIRECT_PAYMENTS))
    staff = [practitioner, team_leader, other_practitioner, senior_manager, administrator, dp_officer,
             StaffFactory(role=Role.SAFEGUARDING_LEAD, team=None)]
    people = []
    for _ in range(60):
        person = PersonFactory(is_restricted=rng.random() < 0.2)
        home = rng.choice([team, other_team, None])
        if home is not None:
            AllocationFactory(person=person, team=home,
                              ended_at=timezone.now() + dt.timedelta(seconds=1) if rng.random() < 0.1 else None)
        if rng.random() < 0.2:
            WaitingListEntry.objects.create(  # noqa: TID251 (test data)
                person=person, queue="assessment", team=rng.choice([team, other_team]), band="medium",
                suggested_band="medium", waiting_since=dt.date(2026, 6, 1), created_by=team_leader.user,
                **({"left_on": dt.date(2026, 7, 1), "exit_reason": "no_longer_needed"} if rng.random() < 0.3 else {}))
        for member in rng.sample(staff, 2):
            roll = rng.random()
            if roll < 0.15:
                AccessReason.objects.create(user=member.user, person=person, reason=REASON,
                                            expires_at=timezone.now() + dt.timedelta(hours=rng.choice([-1, 8])))
            elif roll < 0.3:
                grant = grant_access(person=person, user=member.user, granted_by=senior_manager.user, reason="x")
                if rng.random() < 0.3:
                    revoke_access(grant=grant, revoked_by=senior_manager.user)
        people.append(person)
    # Two people with a direct payment, held by the practitioner's team (one of them restricted).
    for restricted in (False, True):
        person = PersonFactory()
        AllocationFactory(person=person, team=team, worker=practitioner)
        make_dp_plan(person, practitioner, team_leader)
        person.is_restricted = restricted
        person.save(update_fields=["is_restricted"])
        people.append(person)

    bases = set()
    for member in staff:
        user = fresh(member.user)
        decided = access_levels(user, people)
        bases |= {a.basis for a in decided.values() if a.is_full}
        expected = {pid for pid, a in decided.items() if a.is_full}
        twin = set(Person.objects.filter(full_access_q(user, person="")).values_list("pk", flat=True))  # noqa: TID251
        assert twin & {p.pk for p in people} == expected, member.role
    assert bases == {"team", "waiting", "reason", "grant", "senior", "dp"}  # every way in was tried
    opened = set(Person.objects.filter(full_access_q(fresh(dp_officer.user), person="")).values_list(  # noqa: TID251
        "pk", flat=True))
    assert people[-2].pk in opened and people[-1].pk not in opened
