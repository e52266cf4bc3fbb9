from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from carecase.audit.models import RestrictedAccessGrant
from tests.factories import PersonFactory


class Api:
    """An API client signed in as one member of staff, with the API's address prefix built in."""

    def __init__(self, staff=None):
        self.client = APIClient()
        self.staff = staff
        if staff is not None:
            self.client.force_authenticate(user=staff.user)

    @property
    def user(self):
        return self.staff.user

    def get(self, path, params=None):
        return self.client.get(f"/api/v1/{path}", params)

    def post(self, path, data=None):
        return self.client.post(f"/api/v1/{path}", data, format="json")

    def patch(self, path, data=None):
        return self.client.patch(f"/api/v1/{path}", data, format="json")


@pytest.fixture
def api_as():
    return Api


@pytest.fixture
def api(practitioner):
    """The practitioner whose team holds `person`."""
    return Api(practitioner)


@pytest.fixture
def restricted_person(team, practitioner):
    from tests.factories import AllocationFactory

    person = PersonFactory(given_name="Rosa", family_name="Quinn", is_restricted=True)
    AllocationFactory(person=person, team=team, worker=practitioner)
    return person


@pytest.fixture
def grant(senior_manager):
    def _grant(person, user):
        return RestrictedAccessGrant.objects.create(
            person=person, user=user, granted_by=senior_manager.user, reason="Named worker for this record"
        )

    return _grant
