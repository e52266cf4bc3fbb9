"""The demo safeguarding records: every state present, and the demo safeguarding lead sees useful pages."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.db import transaction
from django.test import Client
from django.urls import reverse

from safeguarding import selectors
from safeguarding.models import (
    Concern,
    ConcernStatus,
    Enquiry,
    EnquiryStatus,
    IncidentTriage,
    OrganisationalEnquiry,
    ProviderIncident,
    SafeguardingPlan,
    StrategyDiscussion,
)
from tests.demo.conftest import seed


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        with transaction.atomic():
            yield seed()
            transaction.set_rollback(True)


@pytest.mark.django_db
def test_concerns_in_every_state(seeded):
    statuses = set(Concern.objects.values_list("status", flat=True))
    assert statuses == set(ConcernStatus.values)
    assert Enquiry.objects.filter(status=EnquiryStatus.OPEN).count() >= 5
    assert Enquiry.objects.filter(status=EnquiryStatus.CONCLUDED).count() >= 15
    assert StrategyDiscussion.objects.exists() and SafeguardingPlan.objects.exists()
    assert OrganisationalEnquiry.objects.get().enquiries.count() == 3
    assert set(ProviderIncident.objects.values_list("triage", flat=True)) == set(IncidentTriage.values)
    assert "safeguarding concerns" in seeded


@pytest.mark.django_db
def test_the_demo_safeguarding_lead_sees_useful_pages(seeded):
    lead = get_user_model().objects.get(username="safeguarding.lead")
    client = Client()
    client.force_login(lead)
    hub = client.get(reverse("safeguarding-hub")).content.decode()
    assert "Overdue" in hub and "Open enquiries" in hub
    assert client.get(reverse("safeguarding-dashboard")).status_code == 200
    year = selectors.current_financial_year(seeded_as_of())
    figures = selectors.sac_figures(user=lead, year=year)
    previous = selectors.sac_figures(user=lead, year=year - 1)
    assert figures.s42_concluded + previous.s42_concluded >= 15
    assert client.get(reverse("safeguarding-return"), {"year": year - 1}).status_code == 200


def seeded_as_of():
    from tests.demo.conftest import AS_OF

    return AS_OF
