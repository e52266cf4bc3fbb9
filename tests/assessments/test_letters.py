"""The eligibility decision letter: plain words, a named contact, and printing logged as an access event."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from assessments import services as s
from assessments.letters import LetterRefused, render_eligibility_letter
from carecase.audit.models import RecordAccessEvent

pytestmark = pytest.mark.django_db


def pdf_text(data: bytes) -> str:
    return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def decided(person, practitioner, *, eligible: bool):
    a = s.assessment_start(person=person, by=practitioner.user, assessment_type="needs")
    s.assessment_save_section(assessment=a, by=practitioner.user, section="conversation",
                              what_matters="Cooking for my grandson on Sundays")
    s.assessment_save_section(assessment=a, by=practitioner.user, section="conditions", impairment_or_illness=True,
                              significant_impact_on_wellbeing=eligible)
    s.assessment_save_outcomes(assessment=a, by=practitioner.user, answers={
        "nutrition": {"statuses": ["unable_without_assistance"], "description": "Cannot stand to cook"},
        "personal_hygiene": {"statuses": ["endangers_health_safety"], "description": "Falls in the bath"}})
    s.assessment_decide(assessment=a, by=practitioner.user, agrees=True)
    a.refresh_from_db()
    return a


def test_eligible_letter_names_the_decision_the_outcomes_and_a_contact(person, practitioner):
    a = decided(person, practitioner, eligible=True)
    text = " ".join(pdf_text(render_eligibility_letter(a)).split())
    assert f"Dear {person.given_name} {person.family_name}" in text
    assert "care and support needs that the council must help to meet" in text
    assert "Getting food and drink" in text and "Cooking for my grandson on Sundays" in text
    assert practitioner.user.get_full_name() in text and practitioner.direct_phone in text
    assert practitioner.team.phone in text
    for word in ("service user", "client", "customer", "eligibility criteria regulations"):
        assert word not in text.lower()


def test_not_eligible_letter_says_why_what_else_helps_and_how_to_ask_again(person, practitioner):
    a = decided(person, practitioner, eligible=False)
    text = " ".join(pdf_text(render_eligibility_letter(a)).split())
    assert "do not meet the national rules" in text
    assert "Other help may suit you" in text and "ask us to look again" in text


def test_letter_refused_without_a_decision_or_a_named_contact(person, practitioner):
    a = s.assessment_start(person=person, by=practitioner.user, assessment_type="needs")
    with pytest.raises(LetterRefused, match="eligibility decision"):
        render_eligibility_letter(a)
    a = decided(person, practitioner, eligible=True)
    practitioner.direct_phone = ""
    practitioner.save()
    with pytest.raises(LetterRefused, match="direct phone number"):
        render_eligibility_letter(a)


def test_printing_the_letter_is_logged_as_a_print(client, person, practitioner):
    a = decided(person, practitioner, eligible=True)
    client.force_login(practitioner.user)
    response = client.get(reverse("assessment-eligibility-letter", args=[a.id]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert RecordAccessEvent.objects.filter(person=person, action="print", resource="assessment").exists()


def test_letter_outside_the_team_asks_for_a_reason(client, person, practitioner, other_practitioner):
    a = decided(person, practitioner, eligible=True)
    client.force_login(other_practitioner.user)
    response = client.get(reverse("assessment-eligibility-letter", args=[a.id]))
    assert response.status_code == 302 and "/reason/" in response.url


def test_task_list_links_to_the_letter_once_decided(client, person, practitioner):
    a = decided(person, practitioner, eligible=True)
    client.force_login(practitioner.user)
    html = client.get(reverse("assessment-detail", args=[a.id])).content.decode()
    assert reverse("assessment-eligibility-letter", args=[a.id]) in html


def test_assessment_summary_pdf_is_the_persons_record_in_plain_words(client, person, practitioner):
    from assessments.letters import render_assessment_summary

    a = decided(person, practitioner, eligible=True)
    s.assessment_save_section(assessment=a, by=practitioner.user, section="wellbeing",
                              wellbeing_areas=["control", "relationships"], wellbeing_note="Misses the lunch club")
    a.refresh_from_db()
    text = " ".join(pdf_text(render_assessment_summary(a)).split())
    assert "Your assessment: a summary" in text and "Cooking for my grandson on Sundays" in text
    assert "Getting food and drink" in text and "Cannot achieve this outcome without help" in text
    assert "Cannot stand to cook" in text and "Control over day-to-day life" in text
    assert "care and support needs that the council must help to meet" in text
    assert practitioner.direct_phone in text
    for word in ("service user", "client", "customer"):
        assert word not in text.lower()
    client.force_login(practitioner.user)
    response = client.get(reverse("assessment-summary-pdf", args=[a.id]))
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    assert RecordAccessEvent.objects.filter(person=person, action="print", resource="assessment").exists()
    assert reverse("assessment-summary-pdf", args=[a.id]) in client.get(
        reverse("assessment-detail", args=[a.id])).content.decode()
