"""The demo direct payments (carecase/demo/directpayments.py) in the small profile: what `dp.officer` sees."""

from __future__ import annotations

import time

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse

from directpayments.models import (
    AccountReturn,
    AgreementStatus,
    DirectPaymentAgreement,
    Employment,
    Payment,
    PaymentRun,
    PersonalAssistant,
    Recovery,
    ReturnStatus,
)
from tests.demo.conftest import seed

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        with transaction.atomic():
            started = time.perf_counter()
            output = seed()
            yield output, time.perf_counter() - started
            transaction.set_rollback(True)


def test_demo_has_agreements_payments_returns_and_assistants(seeded):
    output, seconds = seeded
    assert "direct payment agreements" in output
    assert DirectPaymentAgreement.objects.filter(status=AgreementStatus.ACTIVE).count() >= 10
    assert PaymentRun.objects.count() == 2 and Payment.objects.exists()
    assert AccountReturn.objects.filter(status=ReturnStatus.EXPECTED).exists()
    assert AccountReturn.objects.filter(status=ReturnStatus.RECEIVED).exists()
    assert Recovery.objects.count() == 1
    assert PersonalAssistant.objects.count() >= 20 and Employment.objects.exists()
    assert Employment.objects.filter(necessity_decision__isnull=False).count() == 1
    for agreement in DirectPaymentAgreement.objects.prefetch_related("prices")[:50]:
        (price,) = agreement.prices.all()
        assert price.net_weekly == price.gross_weekly - price.contribution_weekly


def test_dp_officer_pages_are_useful(seeded):
    from django.contrib.auth import get_user_model

    client = Client()
    client.force_login(get_user_model().objects.get(username="dp.officer"))
    page = client.get(reverse("dp-dashboard")).content.decode()
    assert "Share of people receiving a direct payment" in page and "Surpluses waiting for a decision" in page
    assert client.get(reverse("dp-assistants")).status_code == 200
    run = PaymentRun.objects.order_by("-run_on").first()
    assert client.get(reverse("dp-run", args=[run.id])).status_code == 200
    csv = client.get(reverse("dp-run-csv", args=[run.id])).content.decode()
    assert csv.count("\n") == run.payments_count + 2
