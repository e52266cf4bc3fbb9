from __future__ import annotations

import datetime as dt

import pgtrigger
import pytest
from django.utils import timezone

from carecase.records.models import CaseNote, CaseNoteAddendum
from tests.factories import CaseNoteFactory

pytestmark = pytest.mark.django_db

NEW_NOTE = {
    "occurred_at": "2025-03-03T10:15",
    "kind": "visit",
    "summary": "Home visit with Mohan and his daughter",
    "body": "Talked about what matters to Mohan: getting to the mosque on Fridays.",
}


def age(note, hours):
    """Make a note look as if it was written `hours` ago. The database refuses any change to created_at, so
    the test switches that one trigger off for this statement only."""
    with pgtrigger.ignore("records.CaseNote:case_note_locked_after_24_hours"):
        CaseNote.objects.filter(pk=note.pk).update(created_at=timezone.now() - dt.timedelta(hours=hours))
    note.refresh_from_db()
    return note


@pytest.fixture
def note(person, practitioner):
    return CaseNoteFactory(person=person, author=practitioner.user)


def test_list_the_chronology_with_addenda(api, person, practitioner, note):
    earlier = CaseNoteFactory(person=person, author=practitioner.user,
                              occurred_at=timezone.now() - dt.timedelta(days=5), kind="phone")
    CaseNoteAddendum.objects.create(note=earlier, author=practitioner.user, body="GP confirmed the new medication.")
    CaseNoteFactory()  # someone else's
    response = api.get(f"people/{person.id}/case-notes/")
    assert response.status_code == 200
    rows = response.data["results"]
    assert [row["id"] for row in rows] == [note.id, earlier.id]
    assert rows[1]["addenda"][0]["body"] == "GP confirmed the new medication."
    assert rows[1]["addenda"][0]["author"] == {"name": practitioner.user.get_full_name()}
    assert rows[0]["can_be_changed"] is True


def test_list_filters(api, person, practitioner, note):
    significant = CaseNoteFactory(person=person, author=practitioner.user, kind="meeting", is_significant=True)
    url = f"people/{person.id}/case-notes/"
    assert [r["id"] for r in api.get(url, {"kind": "meeting"}).data["results"]] == [significant.id]
    assert [r["id"] for r in api.get(url, {"significant": "true"}).data["results"]] == [significant.id]
    tomorrow = (timezone.localdate() + dt.timedelta(days=1)).isoformat()
    assert api.get(url, {"occurred_from": tomorrow}).data["count"] == 0


@pytest.mark.parametrize("params", [{"kind": "letter"}, {"occurred_to": "last week"}, {"significant": "very"}])
def test_list_refuses_bad_filters(api, person, params):
    response = api.get(f"people/{person.id}/case-notes/", params)
    assert response.status_code == 400
    assert set(response.data) == set(params)


def test_list_outside_the_team_needs_a_reason(api_as, other_practitioner, person):
    response = api_as(other_practitioner).get(f"people/{person.id}/case-notes/")
    assert response.status_code == 403
    assert response.data["code"] == "reason_required"


def test_read_one_note(api, note):
    response = api.get(f"case-notes/{note.id}/")
    assert response.status_code == 200
    assert response.data["summary"] == note.summary
    assert response.data["addenda"] == []


def test_write_a_case_note(api, person, practitioner):
    response = api.post(f"people/{person.id}/case-notes/", {**NEW_NOTE, "is_significant": True})
    assert response.status_code == 201, response.data
    note = CaseNote.objects.get()
    assert (note.person, note.author, note.kind, note.is_significant) == (person, practitioner.user, "visit", True)
    assert response.data["author"] == {"name": practitioner.user.get_full_name()}


@pytest.mark.parametrize(
    ("change", "fields"),
    [
        ({"kind": "telepathy"}, {"kind"}),
        ({"summary": ""}, {"summary"}),
        ({"summary": "x" * 201}, {"summary"}),
        ({"body": None}, {"body"}),
        ({"occurred_at": "yesterday"}, {"occurred_at"}),
        ({"occurred_at": "2999-01-01T09:00"}, {"occurred_at"}),
        ({"is_significant": "quite"}, {"is_significant"}),
        ({"author": 1}, {"author"}),
    ],
)
def test_write_refuses_bad_input(api, person, change, fields):
    response = api.post(f"people/{person.id}/case-notes/", {**NEW_NOTE, **change})
    assert response.status_code == 400
    assert set(response.data) == fields
    assert not CaseNote.objects.exists()


def test_write_outside_the_team_needs_a_reason(api_as, other_practitioner, person):
    response = api_as(other_practitioner).post(f"people/{person.id}/case-notes/", NEW_NOTE)
    assert response.status_code == 403
    assert not CaseNote.objects.exists()


def test_the_author_corrects_a_note_within_24_hours(api, note):
    age(note, 23)
    response = api.patch(f"case-notes/{note.id}/", {"summary": "Home visit (corrected)"})
    assert response.status_code == 200
    note.refresh_from_db()
    assert note.summary == "Home visit (corrected)"


def test_after_24_hours_a_note_cannot_be_changed(api, note):
    age(note, 25)
    response = api.patch(f"case-notes/{note.id}/", {"summary": "Rewritten"})
    assert response.status_code == 409
    assert response.data["code"] == "note_locked"
    assert "Add an addendum" in response.data["detail"]
    note.refresh_from_db()
    assert note.summary == "Home visit"


def test_only_the_author_can_change_a_note(api_as, team_leader, note):
    response = api_as(team_leader).patch(f"case-notes/{note.id}/", {"summary": "Rewritten"})
    assert response.status_code == 409
    assert response.data["detail"].startswith("Only the author")
    note.refresh_from_db()
    assert note.summary == "Home visit"


def test_correction_refuses_bad_input(api, note):
    response = api.patch(f"case-notes/{note.id}/", {"kind": "rumour", "occurred_at": "2999-01-01T00:00"})
    assert response.status_code == 400
    assert set(response.data) == {"kind", "occurred_at"}


def test_add_an_addendum_to_a_locked_note(api, practitioner, note):
    age(note, 48)
    response = api.post(f"case-notes/{note.id}/addenda/", {"body": "Mohan's daughter called to add detail."})
    assert response.status_code == 201
    assert response.data["author"] == {"name": practitioner.user.get_full_name()}
    assert note.addenda.get().body == "Mohan's daughter called to add detail."
    assert api.get(f"case-notes/{note.id}/").data["addenda"][0]["body"] == "Mohan's daughter called to add detail."


@pytest.mark.parametrize("body", [{}, {"body": ""}, {"body": "   "}, {"text": "wrong field"}])
def test_an_addendum_needs_a_body(api, note, body):
    response = api.post(f"case-notes/{note.id}/addenda/", body)
    assert response.status_code == 400
    assert "body" in response.data
    assert not CaseNoteAddendum.objects.exists()


def test_addendum_outside_the_team_needs_a_reason(api_as, other_practitioner, note):
    response = api_as(other_practitioner).post(f"case-notes/{note.id}/addenda/", {"body": "Trying to add."})
    assert response.status_code == 403


def test_unknown_note_is_not_found(api):
    assert api.get("case-notes/999999/").status_code == 404
    assert api.patch("case-notes/999999/", {"summary": "x"}).status_code == 404
    assert api.post("case-notes/999999/addenda/", {"body": "x"}).status_code == 404
