"""Shared set-up for review tests: an active plan made the way a worker makes one."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from assessments import services as s
from carecase import codes
from tests.assessments.test_plan_services import planned


def make_active_plan(person, practitioner, approver, *, starts_on=dt.date(2026, 1, 5), hours="10"):
    plan = planned(person, practitioner)
    s.service_line_add(plan=plan, by=practitioner.user, service_type=codes.ServiceType.LTS_COMMUNITY,
                       component=codes.ServiceComponent.HOME_CARE, units_per_week=Decimal(hours),
                       unit=codes.ServiceUnit.HOUR, unit_cost=Decimal("20.50"),
                       delivery_mechanism=codes.DeliveryMechanism.COMMISSIONED, starts_on=starts_on,
                       outcome=plan.outcomes.first())
    request = s.plan_request_approval(plan=plan, by=practitioner.user)
    s.approval_decide(request=request, by=approver.user, approve=True, starts_on=starts_on)
    plan.refresh_from_db()
    return plan


@pytest.fixture
def active_plan(person, practitioner, team_leader):
    """Mohan Patel's plan (allocated to the practitioner), active from Monday 5 January 2026, 10 hours of
    home care a week, approved by the team leader."""
    return make_active_plan(person, practitioner, team_leader)
