"""Whatever is sent, the API answers with what to fix, never with a server error."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db


def test_a_body_that_is_not_json_is_answered_400(api, person):
    response = api.client.post(
        f"/api/v1/people/{person.id}/case-notes/", data="{summary: oops", content_type="application/json"
    )
    assert response.status_code == 400
    assert response.data["code"] == "parse_error"
    assert "Send it as JSON" in response.data["detail"]


def test_a_form_body_is_answered_415_with_what_to_send(api, person):
    response = api.client.post(f"/api/v1/people/{person.id}/access-reason/", {"reason": "A form post here"})
    assert response.status_code == 415
    assert "application/json" in response.data["detail"]


@pytest.mark.parametrize("body", [[], ["reason"], "reason", 42, None])
def test_a_body_that_is_not_an_object_is_answered_400(api, person, body):
    response = api.post(f"people/{person.id}/case-notes/", body)
    assert response.status_code == 400


def test_a_method_the_address_does_not_take_is_405(api, person):
    response = api.client.delete(f"/api/v1/people/{person.id}/")
    assert response.status_code == 405
    assert response.data["code"] == "method_not_allowed"


@pytest.mark.parametrize("path", ["people/{id}/", "people/{id}/contacts/", "case-notes/{id}/", "teams/{id}/"])
def test_ids_too_large_for_the_database_are_not_found(api, path):
    assert api.get(path.format(id=10**30)).status_code == 404


@pytest.mark.parametrize("params", [{"team": str(10**30)}, {"page_size": "-4"}, {"page_size": "lots"}])
def test_odd_query_values_do_not_break_lists(api, params):
    assert api.get("staff/", params).status_code == 200


def test_a_very_long_name_search_is_refused_not_crashed(api, person):
    response = api.get("people/", {"name": "Mohan " * 100})
    assert response.status_code == 400
    assert "name" in response.data


def test_null_bytes_are_refused(api, person):
    response = api.post(f"people/{person.id}/access-reason/", {"reason": "Checking\x00 something"})
    assert response.status_code == 400


@pytest.mark.parametrize("path", ["/api/v1/nothing-here/", "/api/v1/people/abc/", "/api/v1/people"])
def test_unknown_addresses_answer_404_in_json(path):
    response = APIClient().get(path)
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_a_constraint_broken_by_a_race_is_answered_400_on_the_field(person):
    from django.db import IntegrityError, transaction

    from carecase.api.errors import exception_handler
    from carecase.people.models import Person

    # As if a second request saved the same NHS number between the check and the insert.
    with pytest.raises(IntegrityError) as caught, transaction.atomic():
        Person.objects.create(given_name="Second", family_name="Copy", nhs_number=person.nhs_number)
    response = exception_handler(caught.value, {})
    assert response.status_code == 400
    assert "already has this NHS number" in response.data["nhs_number"][0]
