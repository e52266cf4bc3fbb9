"""Every person-level page is scoped by role, team and restriction, and leaves an access event."""

from __future__ import annotations

import datetime as dt

import pgtrigger
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from carecase.audit.models import AccessReason, RecordAccessEvent, RestrictedAccessGrant
from carecase.records.models import CaseNote, CaseNoteAddendum
from tests.factories import AllocationFactory, CaseNoteFactory, ContactFactory, PersonFactory

PERSON_PAGES = [
    "person-detail",
    "person-edit",
    "person-case-notes",
    "person-contacts",
    "contact-create",
    "person-relationships",
    "person-allocation",
    "person-history",
]


@pytest.mark.django_db
@pytest.mark.parametrize("name", PERSON_PAGES)
def test_team_member_opens_page_and_it_is_logged(client, person, practitioner, name):
    client.force_login(practitioner.user)
    before = RecordAccessEvent.objects.filter(person=person, user=practitioner.user, action="view").count()
    response = client.get(reverse(name, args=[person.id]))
    assert response.status_code == 200
    events = RecordAccessEvent.objects.filter(person=person, user=practitioner.user, action="view")
    assert events.count() > before
    assert set(events.values_list("basis", flat=True)) == {"team"}


@pytest.mark.django_db
@pytest.mark.parametrize("name", PERSON_PAGES)
def test_other_team_is_asked_for_a_reason_and_refusal_is_logged(client, person, other_practitioner, name):
    client.force_login(other_practitioner.user)
    response = client.get(reverse(name, args=[person.id]))
    assert response.status_code == 302
    assert response.url.startswith(reverse("person-reason", args=[person.id]))
    assert RecordAccessEvent.objects.filter(person=person, user=other_practitioner.user, action="denied").exists()
    assert not RecordAccessEvent.objects.filter(person=person, user=other_practitioner.user, action="view").exists()


@pytest.mark.django_db
@pytest.mark.parametrize("name", PERSON_PAGES)
def test_administrator_cannot_open_records(client, person, administrator, name):
    client.force_login(administrator.user)
    response = client.get(reverse(name, args=[person.id]))
    assert response.status_code == 403
    assert not RecordAccessEvent.objects.filter(person=person, action="view").exists()


@pytest.mark.django_db
def test_reason_opens_the_record_and_is_kept(client, person, other_practitioner):
    client.force_login(other_practitioner.user)
    url = reverse("person-reason", args=[person.id])
    page = client.get(url)
    assert page.status_code == 200
    assert RecordAccessEvent.objects.filter(person=person, user=other_practitioner.user, basis="limited").exists()
    short = client.post(url, {"reason": "fall"})
    assert short.status_code == 200
    assert "at least 10 characters" in short.content.decode()
    assert not AccessReason.objects.exists()
    done = client.post(url, {"reason": "Duty call from the person's daughter", "next": f"/people/{person.id}/"})
    assert done.status_code == 302 and done.url == f"/people/{person.id}/"
    assert client.get(done.url).status_code == 200
    assert RecordAccessEvent.objects.filter(person=person, user=other_practitioner.user, basis="reason",
                                            action="view").exists()


@pytest.mark.django_db
def test_reason_page_refuses_an_open_redirect(client, person, other_practitioner):
    client.force_login(other_practitioner.user)
    done = client.post(reverse("person-reason", args=[person.id]),
                       {"reason": "Duty call from the person's daughter", "next": "https://evil.example/"})
    assert done.url == f"/people/{person.id}/"


@pytest.mark.django_db
def test_restricted_record_shows_only_that_it_exists(client, person, practitioner, senior_manager):
    person.is_restricted = True
    person.save()
    for staff in (practitioner, senior_manager):
        client.force_login(staff.user)
        response = client.get(reverse("person-detail", args=[person.id]))
        assert response.status_code == 403
        assert "This record is restricted" in response.content.decode()
        assert person.full_name not in response.content.decode()
        assert person.nhs_number_display not in response.content.decode()
    RestrictedAccessGrant.objects.create(person=person, user=practitioner.user, granted_by=senior_manager.user,
                                         reason="Allocated worker")
    client.force_login(practitioner.user)
    assert client.get(reverse("person-detail", args=[person.id])).status_code == 200


@pytest.mark.django_db
def test_search_results_show_restricted_rows_without_details(client, person, practitioner):
    hidden = PersonFactory(given_name="Mohan", family_name="Patel", is_restricted=True)
    client.force_login(practitioner.user)
    response = client.get(reverse("search"), {"name": "Mohan Patel"})
    body = response.content.decode()
    assert f"CareCase ID {hidden.id}" in body
    assert hidden.nhs_number_display not in body
    assert person.nhs_number_display in body


@pytest.mark.django_db
def test_access_log_only_for_team_leader_and_senior_manager(client, person, practitioner, team_leader, senior_manager):
    url = reverse("person-access-log", args=[person.id])
    client.force_login(practitioner.user)
    assert client.get(url).status_code == 403
    client.force_login(team_leader.user)
    client.get(reverse("person-detail", args=[person.id]))
    page = client.get(url)
    assert page.status_code == 200
    assert "Who has looked at this record" in page.content.decode()
    client.force_login(senior_manager.user)
    assert client.get(url).status_code == 200


def _count_queries(client, url, **params) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, params)
    assert response.status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.django_db
def test_worktray_query_count_is_constant(client, team, practitioner):
    client.force_login(practitioner.user)
    for _ in range(3):
        AllocationFactory(team=team, worker=practitioner)
    few = _count_queries(client, reverse("home"))
    for _ in range(20):
        AllocationFactory(team=team, worker=practitioner)
    assert _count_queries(client, reverse("home")) == few


@pytest.mark.django_db
def test_search_query_count_is_constant(client, team, practitioner):
    client.force_login(practitioner.user)
    for _ in range(3):
        PersonFactory(given_name="Sunita", family_name="Mistry")
    few = _count_queries(client, reverse("search"), name="Sunita Mistry")
    for _ in range(20):
        AllocationFactory(person=PersonFactory(given_name="Sunita", family_name="Mistry"), team=team)
    assert _count_queries(client, reverse("search"), name="Sunita Mistry") == few


@pytest.mark.django_db
def test_case_notes_query_count_is_constant(client, person, practitioner):
    client.force_login(practitioner.user)
    url = reverse("person-case-notes", args=[person.id])
    for _ in range(3):
        note = CaseNoteFactory(person=person, author=practitioner.user)
        CaseNoteAddendum.objects.create(note=note, author=practitioner.user, body="More")
    few = _count_queries(client, url)
    for _ in range(15):
        note = CaseNoteFactory(person=person, author=practitioner.user)
        CaseNoteAddendum.objects.create(note=note, author=practitioner.user, body="More")
    assert _count_queries(client, url) == few


@pytest.mark.django_db
def test_contacts_query_count_is_constant(client, person, practitioner, team):
    client.force_login(practitioner.user)
    url = reverse("person-contacts", args=[person.id])
    for _ in range(3):
        ContactFactory(person=person, team=team)
    few = _count_queries(client, url)
    for _ in range(15):
        ContactFactory(person=person, team=team)
    assert _count_queries(client, url) == few


@pytest.mark.django_db
def test_unknown_person_is_a_404_page(client, practitioner):
    client.force_login(practitioner.user)
    response = client.get(reverse("person-detail", args=[999999]))
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


@pytest.mark.django_db
def test_locked_note_redirects_to_addendum(client, person, practitioner):
    client.force_login(practitioner.user)
    note = CaseNoteFactory(person=person, author=practitioner.user)
    with pgtrigger.ignore("records.CaseNote:case_note_locked_after_24_hours"):
        CaseNote.objects.filter(pk=note.pk).update(created_at=timezone.now() - dt.timedelta(hours=23))
    with_time = client.get(reverse("case-note-edit", args=[person.id, note.id]))
    assert with_time.status_code == 200
    import time_machine

    with time_machine.travel(timezone.now() + dt.timedelta(hours=2)):
        client.force_login(practitioner.user)
        response = client.get(reverse("case-note-edit", args=[person.id, note.id]))
    assert response.status_code == 302
    assert response.url == reverse("case-note-addendum", args=[person.id, note.id])


@pytest.mark.django_db
def test_note_from_another_record_is_refused(client, person, practitioner, team):
    other = PersonFactory()
    AllocationFactory(person=other, team=team)
    note = CaseNoteFactory(person=other, author=practitioner.user)
    client.force_login(practitioner.user)
    assert client.get(reverse("case-note-addendum", args=[person.id, note.id])).status_code == 403


@pytest.mark.django_db
def test_change_history_names_who_changed_what(client, person, practitioner):
    client.force_login(practitioner.user)
    response = client.post(reverse("person-edit", args=[person.id]), {
        "given_name": person.given_name, "family_name": person.family_name, "preferred_name": "Mo",
        "postcode": "LE5 3PH", "preferred_contact_method": "phone", "gender": "Male",
        "ethnicity": "Asian: Indian", "first_language": "Gujarati", "interpreter_needed": "yes",
        "primary_support_reason": "Unknown", "accommodation_status": "Unknown", "has_unpaid_carer": "no",
        "nhs_number": person.nhs_number,
    })
    assert response.status_code == 302, response.content.decode()[:3000]
    page = client.get(reverse("person-history", args=[person.id]))
    body = page.content.decode()
    assert "Details changed" in body and "Record created" in body
    assert practitioner.user.get_full_name() in body
    assert "Gujarati" in body and "Preferred name" in body


@pytest.mark.django_db
def test_link_a_carer_from_another_team_without_a_reason(client, person, practitioner, other_team):
    carer = PersonFactory(given_name="Priya", family_name="Patel")
    AllocationFactory(person=carer, team=other_team)
    client.force_login(practitioner.user)
    url = reverse("person-relationships", args=[person.id])
    bad = client.post(url, {"other_person_id": 999999, "kind": "unpaid_carer", "direction": "to"})
    assert "There is no record you can link" in bad.content.decode()
    done = client.post(url, {"other_person_id": carer.id, "kind": "unpaid_carer", "direction": "to",
                             "family_relationship": "daughter", "lives_in_same_household": "on"})
    assert done.status_code == 302
    from carecase.people.models import PersonRelationship

    link = PersonRelationship.objects.get()
    assert (link.person, link.related_to, link.kind, link.lives_in_same_household) == (carer, person, "unpaid_carer", True)
    assert RecordAccessEvent.objects.filter(person=carer, resource="relationship link").exists()


@pytest.mark.django_db
def test_worktray_lists_contacts_waiting_for_an_outcome(client, person, practitioner, team, team_leader):
    waiting = ContactFactory(person=person, team=team, reason="Daughter worried about falls at night")
    ContactFactory(person=person, team=team, outcome="NFA - Information & Advice / Signposting only",
                   concluded_at=timezone.now())
    for staff in (practitioner, team_leader):
        client.force_login(staff.user)
        body = client.get(reverse("home")).content.decode()
        assert "Contacts waiting for an outcome (1)" in body
        assert reverse("contact-outcome", args=[person.id, waiting.id]) in body
