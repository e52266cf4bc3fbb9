"""The care and support plan PDF: what matters, how support works, the budget, a named contact."""

from __future__ import annotations

import io
import time
from decimal import Decimal

import pytest
from django.urls import reverse
from pypdf import PdfReader

from assessments import services as s
from assessments.letters import render_support_plan
from carecase.audit.models import RecordAccessEvent

from .test_plan_services import home_care, planned

pytestmark = pytest.mark.django_db


def text_of(pdf: bytes) -> str:
    return " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages).split())


def test_plan_pdf_sets_out_support_budget_and_contact(person, practitioner):
    plan = planned(person, practitioner)
    line = home_care(plan, practitioner)  # 10 hours at 20.50: 205.00 a week
    s.plan_set_contribution(plan=plan, by=practitioner.user, weekly=Decimal("45.00"))
    plan.refresh_from_db()
    started = time.perf_counter()
    pdf = render_support_plan(plan)
    seconds = time.perf_counter() - started
    text = text_of(pdf)
    assert "Your care and support plan" in text and person.full_name in text
    assert "Getting food and drink" in text and "Morning and evening calls" in text
    assert "Highfields Home Care" in text and "£205.00" in text and "£10,660.00" in text
    assert "£45.00" in text and "£160.00" in text
    assert practitioner.user.get_full_name() in text and practitioner.direct_phone in text
    assert line.get_delivery_mechanism_display() in text
    for word in ("service user", "client", "customer", "cassr"):
        assert word not in text.lower()
    assert seconds < 1.5, f"plan PDF took {seconds:.2f} s (target 1.5 s)"


def test_printing_the_plan_is_logged(client, person, practitioner):
    plan = planned(person, practitioner)
    home_care(plan, practitioner)
    client.force_login(practitioner.user)
    response = client.get(reverse("plan-pdf", args=[plan.id]))
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    assert RecordAccessEvent.objects.filter(person=person, action="print", resource="support plan").exists()
