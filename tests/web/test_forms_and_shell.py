"""Forms keep what people typed; the shell signs people out, locks accounts and sets security headers."""

from __future__ import annotations

import time

import pytest
from django.urls import reverse

from carecase.people.models import Person
from carecase.records.models import CaseNote, Contact
from tests.factories import PersonFactory


@pytest.mark.django_db
def test_person_create_warns_about_likely_duplicates_then_creates(client, practitioner):
    existing = PersonFactory(given_name="Gurpreet", family_name="Kaur", date_of_birth="1941-02-03")
    client.force_login(practitioner.user)
    data = {"given_name": "Gurpreet", "family_name": "Kuar", "date_of_birth_day": "3", "date_of_birth_month": "2",
            "date_of_birth_year": "1941", "preferred_contact_method": "phone", "gender": "Female",
            "ethnicity": "Asian: Indian", "first_language": "Punjabi", "interpreter_needed": "yes",
            "primary_support_reason": "Unknown", "accommodation_status": "Unknown", "has_unpaid_carer": "no",
            "postcode": "le4 6ab"}
    first = client.post(reverse("person-create"), data)
    body = first.content.decode()
    assert first.status_code == 200
    assert "This person may already be on CareCase" in body
    assert f"CareCase ID {existing.id}" in body
    assert 'value="Kuar"' in body  # nothing typed is lost
    assert Person.objects.count() == 1

    unconfirmed = client.post(reverse("person-create"), {**data, "checked_duplicates": "1"})
    assert "Select the box if none of them is this person" in unconfirmed.content.decode()
    assert Person.objects.count() == 1

    created = client.post(reverse("person-create"), {**data, "checked_duplicates": "1", "confirm_not_duplicate": "on"})
    assert created.status_code == 302
    new = Person.objects.exclude(pk=existing.pk).get()
    assert new.postcode == "LE4 6AB" and new.interpreter_needed is True
    # The creator can open what they created even though it is not allocated to their team.
    assert client.get(created.url).status_code == 200


@pytest.mark.django_db
def test_person_create_errors_are_plain_and_keep_answers(client, practitioner):
    client.force_login(practitioner.user)
    response = client.post(reverse("person-create"), {
        "given_name": "Ada", "family_name": "", "nhs_number": "123 456 7890", "postcode": "XX1",
        "date_of_birth_day": "31", "date_of_birth_month": "2", "date_of_birth_year": "1950",
    })
    body = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in body
    assert "Enter their last name" in body
    assert "This NHS number is not valid" in body
    assert "Enter a real UK postcode" in body
    assert "Date of birth must be a real date" in body
    assert 'value="Ada"' in body and 'value="123 456 7890"' in body
    assert '<a href="#id_date_of_birth_0">' in body
    assert Person.objects.count() == 0


@pytest.mark.django_db
def test_case_note_and_contact_created_through_pages(client, person, practitioner):
    client.force_login(practitioner.user)
    note = client.post(reverse("person-case-notes", args=[person.id]), {
        "occurred_on_day": "2", "occurred_on_month": "11", "occurred_on_year": "2026", "occurred_time": "2:15pm",
        "kind": "phone", "summary": "Call with son", "body": "He says his dad is managing the stairs again."})
    assert note.status_code == 302
    saved = CaseNote.objects.get(summary="Call with son")
    assert saved.author == practitioner.user and saved.occurred_at.hour in (14,)
    contact = client.post(reverse("contact-create", args=[person.id]), {
        "received_on_day": "2", "received_on_month": "11", "received_on_year": "2026", "made_by": "family",
        "channel": "phone", "route_of_access": "Community / Other route", "reason": "Falls at home",
        "urgency": "soon", "immediate_risk": "no", "has_carer": "yes",
        "outcome": "NFA_INFO", "layer": ""})
    assert contact.status_code == 302
    saved_contact = Contact.objects.get(person=person)
    assert saved_contact.layer == "prevent" and saved_contact.concluded_at is not None


@pytest.mark.django_db
def test_future_case_note_is_refused_with_a_message(client, person, practitioner):
    client.force_login(practitioner.user)
    response = client.post(reverse("person-case-notes", args=[person.id]), {
        "occurred_on_day": "1", "occurred_on_month": "1", "occurred_on_year": "2099", "kind": "visit",
        "summary": "Visit", "body": "Text"})
    assert "must be today or in the past" in response.content.decode()
    assert not CaseNote.objects.exists()


@pytest.mark.django_db
def test_idle_session_is_signed_out(client, practitioner, settings):
    client.force_login(practitioner.user)
    assert client.get(reverse("home")).status_code == 200
    session = client.session
    session["last_activity"] = time.time() - (settings.IDLE_TIMEOUT_MINUTES * 60 + 5)
    session.save()
    response = client.get(reverse("home"))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))
    assert client.get(reverse("home")).status_code == 302


@pytest.mark.django_db
def test_repeated_wrong_passwords_lock_the_account(client, practitioner):
    for _ in range(5):
        client.post(reverse("login"), {"username": "practitioner", "password": "wrong"})
    locked = client.post(reverse("login"), {"username": "practitioner", "password": "correct-horse-battery"})
    assert locked.status_code == 429
    assert "Your account is locked" in locked.content.decode()


@pytest.mark.django_db
def test_sign_in_with_right_password(client, practitioner):
    response = client.post(reverse("login"), {"username": "practitioner", "password": "correct-horse-battery"})
    assert response.status_code == 302


@pytest.mark.django_db
def test_content_security_policy_has_a_nonce_matching_the_inline_script(staff_client):
    response = staff_client.get(reverse("home"))
    policy = response["Content-Security-Policy"]
    nonce = policy.split("'nonce-")[1].split("'")[0]
    assert f'nonce="{nonce}"' in response.content.decode()
    assert "default-src 'self'" in policy


@pytest.mark.django_db
def test_pages_never_say_service_user_client_or_customer(client, person, practitioner):
    client.force_login(practitioner.user)
    for name in ("person-detail", "person-edit", "person-case-notes", "person-contacts", "contact-create",
                 "person-history"):
        body = client.get(reverse(name, args=[person.id])).content.decode().lower()
        for word in ("service user", "client", "customer"):
            assert word not in body.replace("client-side", ""), (name, word)


def test_error_pages_in_service_style(rf):
    from carecase.web import views_errors

    page = views_errors.server_error(rf.get("/"))
    assert page.status_code == 500
    assert b"Sorry, there is a problem with the service" in page.content
    assert b"govuk-frontend.min.css" in page.content


@pytest.mark.django_db
def test_record_the_outcome_of_an_open_contact(client, person, practitioner, team):
    from tests.factories import ContactFactory

    contact = ContactFactory(person=person, team=team)
    client.force_login(practitioner.user)
    url = reverse("contact-outcome", args=[person.id, contact.id])
    assert "Record the outcome" in client.get(reverse("person-contacts", args=[person.id])).content.decode()
    missing = client.post(url, {})
    assert "Select the outcome" in missing.content.decode()
    done = client.post(url, {"outcome": "ASSESSMENT"})
    assert done.status_code == 302
    contact.refresh_from_db()
    assert contact.outcome == "Progress to Assessment" and contact.layer == "meet" and contact.concluded_at
    again = client.get(url)
    assert again.status_code == 302
