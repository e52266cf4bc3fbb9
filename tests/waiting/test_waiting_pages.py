"""The waiting-list pages through the Django test client: a person's lists and joining one (with the live
suggested priority), one entry with its history, keep-in-touch contacts, a new look at the priority and
leaving; and the access checks."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from assessments.engine import waiting_priority
from carecase.records.models import CaseNote
from carecase.waiting import services as w
from carecase.waiting.models import KeepInTouchContact, PriorityChange, WaitingListEntry

pytestmark = pytest.mark.django_db

RISKY = ["lives_alone", "recent_fall", "no_network"]  # urgent by the current rules


def _all(ticked) -> dict[str, bool]:
    return {code: code in ticked for code, _q in waiting_priority.checklist()}


@pytest.fixture
def entry(person, practitioner, team):
    return w.entry_create(person=person, queue="assessment", team=team, by=practitioner.user,
                          checklist=_all(["lives_alone"]), waiting_since=timezone.localdate() - dt.timedelta(days=40))


def _text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


# ---------------------------------------------------------------- the person's page


def test_person_page_lists_entries_in_words(staff_client, person, entry, practitioner):
    html = _text(staff_client.get(reverse("person-waiting", args=[person.id])))
    assert "Needs assessment" in html and 'govuk-tag--orange">Medium</strong>' in html
    assert "40 days" in html and "City East Locality Team" in html
    assert "Add to a waiting list" in html and "Does the person live alone?" in html
    # Default team is the user's own; the suggestion panel and the radios are worded, never codes.
    assert re.search(r'<option value="\d+" selected>City East Locality Team</option>', html)
    assert 'id="suggestion-live"' in html and "Use the suggested priority:" in html
    assert "not_rated" not in html and "lives_alone<" not in html and ">assessment<" not in html
    assert 'hx-post="' + reverse("waiting-suggestion", args=[person.id]) in html


def test_overdue_contact_is_tagged(staff_client, person, entry):
    html = _text(staff_client.get(reverse("person-waiting", args=[person.id])))
    assert "Overdue</strong>" not in html
    # Past the due date but inside the band's grace in working days: due, not yet overdue.
    WaitingListEntry.objects.filter(pk=entry.pk).update(next_contact_due=timezone.localdate() - dt.timedelta(days=1))
    html = _text(staff_client.get(reverse("person-waiting", args=[person.id])))
    assert "Overdue</strong>" not in html and "Due</strong>" in html
    WaitingListEntry.objects.filter(pk=entry.pk).update(next_contact_due=timezone.localdate() - dt.timedelta(days=20))
    html = _text(staff_client.get(reverse("person-waiting", args=[person.id])))
    assert "Overdue</strong>" in html


def test_add_with_the_suggestion(staff_client, person, team):
    url = reverse("person-waiting", args=[person.id])
    response = staff_client.post(url, {"queue": "occupational_therapy", "team": team.id, "risks": RISKY, "band": ""})
    entry = WaitingListEntry.objects.get(person=person, queue="occupational_therapy")
    assert response.status_code == 302 and response.url == reverse("waiting-entry", args=[entry.id])
    assert entry.band == entry.suggested_band == "urgent" and entry.waiting_since == timezone.localdate()
    assert entry.checklist["lives_alone"] is True and entry.checklist["risk_to_life"] is False
    page = _text(staff_client.get(response.url))
    assert "added to the Occupational therapy waiting list with urgent priority" in page


def test_override_needs_a_note_and_keeps_the_answers(staff_client, person, team):
    url = reverse("person-waiting", args=[person.id])
    data = {"queue": "assessment", "team": team.id, "risks": RISKY, "band": "low"}
    response = staff_client.post(url, data)
    html = _text(response)
    assert response.status_code == 200 and not WaitingListEntry.objects.exists()
    assert "There is a problem" in html and "Say why you chose a different priority" in html
    assert "(error)" in html
    # Answers kept: the list, the ticked risks and the chosen band.
    assert re.search(r'value="assessment" checked', html)
    assert re.search(r'value="lives_alone" checked', html) and re.search(r'value="recent_fall" checked', html)
    assert re.search(r'value="low" checked', html) and 'id="suggested-choice">Urgent<' in html
    ok = staff_client.post(url, {**data, "note": "Daughter has moved in for a month"})
    assert ok.status_code == 302
    change = PriorityChange.objects.get()
    assert (change.to_band, change.suggested_band, change.note) == ("low", "urgent", "Daughter has moved in for a month")


def test_add_refuses_a_second_open_entry_and_missing_answers(staff_client, person, team, entry):
    url = reverse("person-waiting", args=[person.id])
    html = _text(staff_client.post(url, {"queue": "assessment", "team": team.id}))
    assert "This person is already waiting in this queue" in html
    html = _text(staff_client.post(url, {}))
    assert "Select a waiting list" in html and WaitingListEntry.objects.count() == 1


def test_live_panel_suggests_and_saves_nothing(staff_client, person, entry):
    url = reverse("waiting-suggestion", args=[person.id])
    changes = PriorityChange.objects.count()
    low = _text(staff_client.post(url, {}))
    assert "<html" not in low and 'govuk-tag--green">Low</strong>' in low and "Not saved yet" in low
    urgent = _text(staff_client.post(url, {"risks": RISKY}))
    assert "Urgent</strong>" in urgent and "Lives alone with no one to help, and has fallen recently." in urgent
    assert 'id="suggested-choice" hx-swap-oob="true">Urgent<' in urgent
    review = _text(staff_client.post(f"{url}?prefix=review", {"review-risks": ["risk_to_life"], "risks": []}))
    assert 'id="review-suggested-choice"' in review and "Urgent</strong>" in review
    assert staff_client.post(url, {"risks": ["owns_a_cat"]}).status_code == 200  # unknown answers ignored
    assert staff_client.get(url).status_code == 405
    entry.refresh_from_db()
    assert entry.band == "medium" and PriorityChange.objects.count() == changes
    assert WaitingListEntry.objects.count() == 1


# ---------------------------------------------------------------- access


@pytest.mark.parametrize("name", ["person-waiting", "waiting-entry"])
def test_another_team_is_asked_for_a_reason(client, entry, other_practitioner, name):
    client.force_login(other_practitioner.user)
    arg = entry.person_id if name == "person-waiting" else entry.id
    response = client.get(reverse(name, args=[arg]))
    assert response.status_code == 302
    assert response.url.startswith(reverse("person-reason", args=[entry.person_id]))


def test_another_team_cannot_add_preview_or_record(client, entry, other_practitioner, other_team):
    client.force_login(other_practitioner.user)
    person_id = entry.person_id
    for url, data in [
        (reverse("person-waiting", args=[person_id]), {"queue": "review", "team": other_team.id}),
        (reverse("waiting-suggestion", args=[person_id]), {"risks": RISKY}),
        (reverse("waiting-keep-in-touch", args=[entry.id]),
         {"kit-made_contact": "yes", "kit-method": "phone", "kit-result": "no_change", "kit-body": "Fine"}),
        (reverse("waiting-leave", args=[entry.id]), {"leave-reason": "died"}),
    ]:
        response = client.post(url, data)
        assert response.status_code == 302 and "/reason/" in response.url, url
    assert WaitingListEntry.objects.count() == 1 and not KeepInTouchContact.objects.exists()
    entry.refresh_from_db()
    assert entry.is_open


def test_missing_entry_is_not_found(staff_client):
    assert staff_client.get(reverse("waiting-entry", args=[999999])).status_code == 404


# ---------------------------------------------------------------- one entry


def test_entry_page_shows_history_and_forms(staff_client, entry, practitioner):
    html = _text(staff_client.get(reverse("waiting-entry", args=[entry.id])))
    assert "Priority history" in html and "Joined the list" in html and "First triage" in html
    assert practitioner.user.get_full_name() in html
    assert "No keep-in-touch contacts yet." in html
    for heading in ("Record a keep-in-touch contact", "Look at the priority again", "Take off the list"):
        assert heading in html
    # The checklist is filled in from the entry.
    assert re.search(r'id="id_review-risks_\d+" name="review-risks" type="checkbox" value="lives_alone" checked', html)
    assert "40 days so far" in html


def test_keep_in_touch_creates_a_case_note_and_moves_the_date(staff_client, entry, person, practitioner):
    url = reverse("waiting-keep-in-touch", args=[entry.id])
    missing = _text(staff_client.post(url, {"kit-summary": "Rang Mohan"}))
    assert "Select yes if you spoke to them" in missing and "Select the result of the contact" in missing
    assert "Enter what was said" in missing and 'value="Rang Mohan"' in missing
    assert not CaseNote.objects.filter(person=person).exists()

    with time_machine.travel(timezone.now() + dt.timedelta(days=10)):
        staff_client.force_login(practitioner.user)  # sessions do not last 10 days
        today = timezone.localdate()
        response = staff_client.post(url, {"kit-made_contact": "yes", "kit-method": "phone", "kit-result": "no_change",
                                           "kit-summary": "Rang Mohan", "kit-body": "Managing with help from a neighbour"})
        assert response.status_code == 302
        entry.refresh_from_db()
        assert entry.next_contact_due == today + dt.timedelta(days=waiting_priority.interval_days("medium"))
        note = CaseNote.objects.get(person=person)
        assert note.summary == "Rang Mohan" and note.kind == "phone" and "neighbour" in note.body
        contact = KeepInTouchContact.objects.get(entry=entry)
        assert contact.case_note == note and contact.made_contact is True
        html = _text(staff_client.get(reverse("waiting-entry", args=[entry.id])))
    assert "No change" in html and "Rang Mohan" in html and "has been recorded as a case note" in html


def test_keep_in_touch_change_leads_to_a_new_look(staff_client, entry):
    url = reverse("waiting-keep-in-touch", args=[entry.id])
    response = staff_client.post(url, {"kit-made_contact": "no", "kit-method": "other", "kit-result": "changed",
                                       "kit-body": "Neighbour says he fell last week"})
    assert response.status_code == 302 and response.url.endswith("?changed=1#review")
    html = _text(staff_client.get(response.url))
    assert re.search(r'<option value="keep_in_touch" selected>Keep-in-touch contact</option>', html)
    assert "Could not speak to them" in html


def test_reprioritise_keeps_the_waiting_since_date(staff_client, entry):
    url = reverse("waiting-reprioritise", args=[entry.id])
    since = entry.waiting_since
    missing = _text(staff_client.post(url, {"review-risks": RISKY}))
    assert "Select why you are looking at the priority again" in missing
    assert re.search(r'value="recent_fall" checked', missing) and 'id="review-suggested-choice">Urgent<' in missing
    override = _text(staff_client.post(url, {"review-risks": RISKY, "review-reason": "new_information",
                                             "review-band": "high"}))
    assert "Say why you chose a different priority" in override and 'href="#id_review-note"' in override
    response = staff_client.post(url, {"review-risks": RISKY, "review-reason": "new_information", "review-band": ""})
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.band == "urgent" and entry.waiting_since == since
    assert entry.next_contact_due == timezone.localdate() + dt.timedelta(days=waiting_priority.interval_days("urgent"))
    html = _text(staff_client.get(reverse("waiting-entry", args=[entry.id])))
    assert "The priority is now urgent" in html and "New information" in html and "40 days so far" in html
    assert list(PriorityChange.objects.filter(entry=entry).values_list("from_band", "to_band")) == [
        ("", "medium"), ("medium", "urgent")]


def test_leaving_the_list(staff_client, entry, person):
    url = reverse("waiting-leave", args=[entry.id])
    other = _text(staff_client.post(url, {"leave-reason": "other"}))
    assert "Say why they are leaving the list" in other and re.search(r'value="other" checked', other)
    too_early = _text(staff_client.post(url, {"leave-reason": "allocated", "leave-left_on_day": "1",
                                              "leave-left_on_month": "1", "leave-left_on_year": "2000"}))
    assert "on or after the date they joined" in too_early and "Take off the list" in too_early
    entry.refresh_from_db()
    assert entry.is_open
    response = staff_client.post(url, {"leave-reason": "allocated"})
    assert response.status_code == 302 and response.url == reverse("person-waiting", args=[person.id])
    entry.refresh_from_db()
    assert entry.left_on == timezone.localdate() and entry.exit_reason == "allocated"
    html = _text(staff_client.get(response.url))
    assert "Left the list" in html and "Allocated to a worker" in html and "is not waiting for anything" in html
    page = _text(staff_client.get(reverse("waiting-entry", args=[entry.id])))
    assert "Record a keep-in-touch contact" not in page and "Allocated to a worker" in page
