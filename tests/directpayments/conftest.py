"""Shared set-up for direct payment tests: an active plan with a direct payment line, made the way a worker
makes one, and a direct payments officer in the person's team."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
import time_machine

from assessments import services as s
from carecase import codes
from carecase.staff.models import Role
from directpayments import services as dps
from tests.assessments.test_plan_services import planned
from tests.factories import StaffFactory

D = dt.date
M = Decimal
JAN_5 = D(2026, 1, 5)


def make_dp_plan(person, practitioner, approver, *, starts_on=JAN_5, hours="10", rate="16.00",
                 contribution="20.00", commissioned_hours=None):
    """A plan with personal assistant hours paid by direct payment (10 x £16 = £160 a week by default), an
    assessed contribution, and optionally commissioned home care beside it (a part direct payment)."""
    plan = planned(person, practitioner)
    s.service_line_add(plan=plan, by=practitioner.user, service_type=codes.ServiceType.LTS_COMMUNITY,
                       component=codes.ServiceComponent.PERSONAL_ASSISTANT, units_per_week=Decimal(hours),
                       unit=codes.ServiceUnit.HOUR, unit_cost=Decimal(rate),
                       delivery_mechanism=codes.DeliveryMechanism.DIRECT_PAYMENT, starts_on=starts_on,
                       outcome=plan.outcomes.first())
    if commissioned_hours:
        s.service_line_add(plan=plan, by=practitioner.user, service_type=codes.ServiceType.LTS_COMMUNITY,
                           component=codes.ServiceComponent.HOME_CARE, units_per_week=Decimal(commissioned_hours),
                           unit=codes.ServiceUnit.HOUR, unit_cost=Decimal("20.50"),
                           delivery_mechanism=codes.DeliveryMechanism.COMMISSIONED, starts_on=starts_on,
                           outcome=plan.outcomes.first())
    s.plan_set_contribution(plan=plan, by=practitioner.user, weekly=Decimal(contribution))
    request = s.plan_request_approval(plan=plan, by=practitioner.user)
    s.approval_decide(request=request, by=approver.user, approve=True, starts_on=starts_on)
    plan.refresh_from_db()
    return plan


@pytest.fixture
def dp_plan(person, practitioner, team_leader):
    return make_dp_plan(person, practitioner, team_leader)


@pytest.fixture
def dp_officer(team):
    return StaffFactory(user__username="dp_officer", user__first_name="Sunita", user__last_name="Chauhan",
                        user__email="sunita.chauhan@example.org", role=Role.DP_OFFICER, team=team,
                        direct_phone="0116 454 2000")


@pytest.fixture
def finance_officer(db):
    return StaffFactory(user__username="finance", role=Role.FINANCE_OFFICER, team=None)


def set_up(plan, officer, **kwargs):
    values = {"starts_on": D(2026, 1, 5), "account_type": "prepaid_card"}
    values.update(kwargs)
    return dps.agreement_set_up(plan=plan, by=officer.user, **values)


def active_agreement(plan, officer, *, first_payment_on=JAN_5, **kwargs):
    agreement = set_up(plan, officer, **kwargs)
    return dps.agreement_activate(agreement=agreement, by=officer.user, first_payment_on=first_payment_on)


@pytest.fixture
def agreement(dp_plan, dp_officer):
    """Active from Monday 5 January 2026: £160 gross, £20 contribution, £140 net a week, every 4 weeks."""
    return active_agreement(dp_plan, dp_officer)


@pytest.fixture
def on_2_march_2026():
    with time_machine.travel(dt.datetime(2026, 3, 2, 10, 0, tzinfo=dt.UTC), tick=False):
        yield


@pytest.fixture
def in_may():
    """Tuesday 5 May 2026: the January to March quarter has ended, its return was due on 28 April."""
    with time_machine.travel(dt.datetime(2026, 5, 5, 9, 0, tzinfo=dt.UTC), tick=False):
        yield


@pytest.fixture
def officer_client(client, dp_officer):
    """The test client signed in as the direct payments officer."""
    client.force_login(dp_officer.user)
    return client
