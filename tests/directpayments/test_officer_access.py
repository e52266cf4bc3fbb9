"""Direct payments officers may open the records of people with a direct payment (an agreement not yet ended,
or an active plan with a service paid by direct payment), whichever team holds the case: the one access policy
(carecase/audit/access.py), basis "dp". Nobody else gains anything from it, and a restricted record stays shut."""

from __future__ import annotations

import pytest

from carecase.audit.access import Level, access_for, access_levels
from carecase.audit.models import AccessBasis
from carecase.staff.models import Role, TeamKind
from tests.factories import AllocationFactory, PersonFactory, StaffFactory, TeamFactory
from tests.reviews.conftest import make_active_plan

from .conftest import make_dp_plan

pytestmark = pytest.mark.django_db


@pytest.fixture
def dp_team_officer(db):
    """A direct payments officer in the direct payments team, not the person's team."""
    return StaffFactory(role=Role.DP_OFFICER, team=TeamFactory(name="Direct Payments Team",
                                                               kind=TeamKind.DIRECT_PAYMENTS))


def test_an_officer_opens_the_record_of_someone_with_a_direct_payment_in_any_team(
        person, dp_plan, dp_team_officer, practitioner):
    assert dp_team_officer.team_id != practitioner.team_id
    access = access_for(dp_team_officer.user, person)
    assert (access.level, access.basis) == (Level.FULL, AccessBasis.DIRECT_PAYMENT)


def test_not_someone_whose_plan_has_no_direct_payment(person, practitioner, team_leader, dp_team_officer):
    make_active_plan(person, practitioner, team_leader)  # commissioned home care only
    assert access_for(dp_team_officer.user, person).level == Level.LIMITED


def test_the_basis_is_for_direct_payments_officers_only(person, dp_plan, other_practitioner):
    for role in (Role.PRACTITIONER, Role.FINANCE_OFFICER, Role.TEAM_LEADER):
        staff = StaffFactory(role=role, team=other_practitioner.team)
        assert access_for(staff.user, person).level == Level.LIMITED, role


def test_a_restricted_record_stays_restricted(person, dp_plan, dp_team_officer):
    person.is_restricted = True
    person.save(update_fields=["is_restricted"])
    assert access_for(dp_team_officer.user, person).level == Level.RESTRICTED


def test_one_more_query_for_an_officer_whatever_the_number_of_people(
        django_assert_num_queries, person, dp_plan, practitioner, team_leader, dp_team_officer):
    others = PersonFactory.create_batch(20)
    for other in others:
        AllocationFactory(person=other, team=practitioner.team)
    user = dp_team_officer.user
    access_levels(user, [person])  # the staff record is cached on the user from here on
    with django_assert_num_queries(4):  # allocations and waiting lists, grants, reasons, direct payments
        decided = access_levels(user, [person, *others])
    assert decided[person.id].basis == AccessBasis.DIRECT_PAYMENT
    assert {decided[o.id].level for o in others} == {Level.LIMITED}
    with django_assert_num_queries(3):  # not asked for anyone else
        access_levels(practitioner.user, [person, *others])


def test_ended_plan_and_no_live_agreement_closes_it_again(person, practitioner, team_leader, dp_team_officer):
    plan = make_dp_plan(person, practitioner, team_leader)
    assert access_for(dp_team_officer.user, person).is_full
    plan.status = "ended"
    plan.save(update_fields=["status"])
    assert access_for(dp_team_officer.user, person).level == Level.LIMITED
