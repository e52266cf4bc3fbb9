from __future__ import annotations

import io

import pytest
import yaml
from django.core.management import call_command
from rest_framework.test import APIClient


def test_the_openapi_schema_generates_without_warnings_and_validates(tmp_path):
    target = tmp_path / "schema.yaml"
    # --fail-on-warn turns any drf-spectacular warning or error into a failure.
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(target), stderr=io.StringIO())
    schema = yaml.safe_load(target.read_text())
    paths = schema["paths"]
    for path in (
        "/api/v1/people/", "/api/v1/people/{id}/", "/api/v1/people/{id}/access-reason/",
        "/api/v1/people/{id}/relationships/", "/api/v1/relationships/{id}/end/", "/api/v1/people/{id}/contacts/",
        "/api/v1/contacts/{id}/conclude/", "/api/v1/people/{id}/case-notes/", "/api/v1/case-notes/{id}/",
        "/api/v1/case-notes/{id}/addenda/", "/api/v1/teams/", "/api/v1/teams/{id}/", "/api/v1/staff/",
        "/api/v1/staff/{id}/",
    ):
        assert path in paths
    assert {"tokenAuth", "cookieAuth"} <= set(schema["components"]["securitySchemes"])
    # Code lists are documented once each, under their own names.
    assert "RequestOutcome" in schema["components"]["schemas"]
    assert "CaseNoteKind" in schema["components"]["schemas"]


@pytest.mark.django_db
def test_schema_and_docs_are_served():
    client = APIClient()
    assert client.get("/api/schema/").status_code == 200
    docs = client.get("/api/docs/")
    assert docs.status_code == 200
    assert b"swagger" in docs.content.lower()
