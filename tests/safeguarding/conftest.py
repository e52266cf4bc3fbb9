"""Shared set-up for safeguarding tests: a safeguarding hub with a lead and a hub worker, a person allocated to a
locality practitioner, and the people who must not see safeguarding records."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from carecase.staff.models import Role, TeamKind
from safeguarding import services
from safeguarding.codes import AbuseType, Capacity, LocationOfRisk, OutcomesAsked, SourceOfRisk
from safeguarding.models import Concern, DecisionResult
from tests.factories import AllocationFactory, PersonFactory, StaffFactory, TeamFactory

LONDON = ZoneInfo("Europe/London")


@pytest.fixture
def hub(db):
    return TeamFactory(name="Adult Safeguarding Hub", kind=TeamKind.SAFEGUARDING)


@pytest.fixture
def lead(hub):
    return StaffFactory(user__username="sg_lead", role=Role.SAFEGUARDING_LEAD, team=hub, job_title="Safeguarding lead")


@pytest.fixture
def hub_worker(hub):
    return StaffFactory(user__username="sg_worker", role=Role.PRACTITIONER, team=hub, job_title="Hub social worker")


@pytest.fixture
def dp_officer(db):
    return StaffFactory(user__username="dp_officer", role=Role.DP_OFFICER,
                        team=TeamFactory(name="Direct Payments Team", kind=TeamKind.DIRECT_PAYMENTS))


@pytest.fixture
def adult(team, practitioner):
    """Mohan Patel, allocated to the practitioner in the locality team."""
    person = PersonFactory(given_name="Mohan", family_name="Patel")
    AllocationFactory(person=person, team=team, worker=practitioner)
    return person


CONCERN = {
    "raised_by_role": "family", "raised_by_name": "Priya Patel", "abuse_types": [AbuseType.FINANCIAL],
    "location_of_risk": LocationOfRisk.OWN_HOME, "source_of_risk": SourceOfRisk.KNOWN,
    "what_happened": "His nephew has been taking his pension.", "immediate_risk": False,
    "police_informed": False, "outcomes_asked": OutcomesAsked.EXPRESSED,
    "desired_outcomes": "I want my money to be safe", "capacity": Capacity.HAS,
    "alleged_known": "known", "alleged_name": "Ravi Patel", "alleged_relationship": "Nephew",
    "alleged_position_of_trust": False, "alleged_care_needs": "no", "others_at_risk": False,
}

DECISION = {
    "has_care_needs": True, "has_care_needs_reason": "Dementia: help with money and meals",
    "at_risk": True, "at_risk_reason": "Pension taken for 3 months",
    "cannot_protect": True, "cannot_protect_reason": "Cannot manage his bank account alone",
    "result": DecisionResult.S42, "strategy_needed": True,
}


def make_concern(person, by, *, received_at: dt.datetime | None = None, **overrides) -> Concern:
    return services.concern_create(by=by.user, person=person,
                                   received_at=received_at or timezone.now() - dt.timedelta(hours=1),
                                   **(CONCERN | overrides))


def decide(concern, by, **overrides):
    fields = DECISION | {"lead_enquirer": by} | overrides
    return services.decision_record(concern=concern, by=by.user, **fields)


@pytest.fixture
def concern(adult, lead):
    return make_concern(adult, lead)


@pytest.fixture
def enquiry(concern, lead):
    decide(concern, lead)
    concern.refresh_from_db()
    return concern.enquiry
