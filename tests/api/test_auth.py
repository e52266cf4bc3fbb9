from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def issue(*args) -> str:
    out = io.StringIO()
    call_command("issue_api_token", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue().strip()


def token_client(key: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def test_unauthenticated_requests_are_answered_401_with_how_to_sign_in(person):
    response = APIClient().get(f"/api/v1/people/{person.id}/")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
    assert response.data["code"] == "not_authenticated"
    assert "Authorization: Token" in response.data["detail"]


def test_a_token_from_the_command_signs_in(practitioner, person):
    key = issue("practitioner")
    assert len(key) == 40
    response = token_client(key).get(f"/api/v1/people/{person.id}/")
    assert response.status_code == 200


def test_the_command_prints_the_same_token_until_rotated(practitioner, person):
    first = issue("practitioner")
    assert issue("practitioner") == first
    rotated = issue("practitioner", "--rotate")
    assert rotated != first
    assert Token.objects.get(user=practitioner.user).key == rotated
    assert token_client(first).get(f"/api/v1/people/{person.id}/").status_code == 401
    assert token_client(rotated).get(f"/api/v1/people/{person.id}/").status_code == 200


def test_the_command_refuses_unknown_inactive_and_roleless_users(practitioner):
    with pytest.raises(CommandError, match='no user called "nobody"'):
        issue("nobody")
    UserFactory(username="left", is_active=False)
    with pytest.raises(CommandError, match="not active"):
        issue("left")
    UserFactory(username="norole")
    with pytest.raises(CommandError, match="no staff role"):
        issue("norole")
    assert not Token.objects.exists()


def test_a_wrong_token_is_refused(practitioner):
    response = token_client("0" * 40).get("/api/v1/teams/")
    assert response.status_code == 401
    assert response.data["code"] == "authentication_failed"


def test_a_token_stops_working_when_the_account_is_deactivated(practitioner):
    key = issue("practitioner")
    practitioner.user.is_active = False
    practitioner.user.save()
    assert token_client(key).get("/api/v1/teams/").status_code == 401


def test_a_signed_in_user_without_a_staff_role_is_refused():
    client = APIClient()
    client.force_login(UserFactory(username="visitor"))
    response = client.get("/api/v1/teams/")
    assert response.status_code == 403
    assert "CareCase role" in response.data["detail"]


def test_session_sign_in_works_and_writes_need_the_csrf_token(practitioner, person):
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(practitioner.user)
    assert client.get(f"/api/v1/people/{person.id}/").status_code == 200
    response = client.patch(f"/api/v1/people/{person.id}/", {"preferred_name": "Mo"}, format="json")
    assert response.status_code == 403
    assert "CSRF" in response.data["detail"]
