"""Provider-led reviews: a secure single-use link for the provider, then a worker's sign-off."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse

from portal import provider
from portal.models import ProviderReview
from reviews.models import Review, ReviewStatus

pytestmark = pytest.mark.django_db


@pytest.fixture
def review(active_plan):
    r = Review.objects.get(plan=active_plan)
    r.route = "provider"
    r.save(update_fields=["route"])
    return r


def send(client, review, practitioner, django_capture_on_commit_callbacks):
    client.force_login(practitioner.user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("portal-staff-provider-send", args=[review.id]),
                               {"provider_name": "Highfields Home Care", "email": "reviews@highfields.example"},
                               follow=True)
    assert "The link has been emailed to reviews@highfields.example" in response.content.decode()
    (message,) = mail.outbox
    return re.search(r"/provider-review/([\w-]+)/", message.body).group(1)


def answers_for(review, **extra):
    data = {"changed": "no", "completed_by_name": "Jo Reid, care coordinator", "working": "Calls on time"}
    for o in review.plan.outcomes.all():
        data[f"outcome_{o.id}"] = "yes"
    return {**data, **extra}


def test_the_provider_completes_it_once_and_the_worker_signs_it_off(client, review, practitioner,
                                                                     django_capture_on_commit_callbacks):
    token = send(client, review, practitioner, django_capture_on_commit_callbacks)
    client.logout()
    page = client.get(reverse("portal-provider", args=[token]))
    assert page.status_code == 200 and "Review of Mohan Patel’s care and support" in page.content.decode()
    bad = client.post(reverse("portal-provider", args=[token]), {"changed": "no"})
    assert "Enter your name and role" in bad.content.decode() or "Select" in bad.content.decode()
    done = client.post(reverse("portal-provider", args=[token]), answers_for(review))
    assert "Review sent" in done.content.decode()
    assert client.get(reverse("portal-provider", args=[token])).status_code == 410  # single use
    review.refresh_from_db()
    assert review.status == ReviewStatus.AWAITING_TRIAGE

    client.force_login(practitioner.user)
    assert "Calls on time" in client.get(reverse("portal-staff-provider", args=[review.id])).content.decode()
    response = client.post(reverse("portal-staff-provider-sign-off", args=[review.id]), follow=True)
    assert "Signed off as the review" in response.content.decode()
    review.refresh_from_db()
    assert review.status == ReviewStatus.COMPLETED and review.result == "no_change"
    assert "Highfields Home Care" in review.what_works


def test_a_reported_concern_cannot_be_signed_off(client, review, practitioner, django_capture_on_commit_callbacks):
    token = send(client, review, practitioner, django_capture_on_commit_callbacks)
    provider.submit(token=token, answers=answers_for(review, concerns="Bruising on her arm"),
                    completed_by_name="Jo Reid")
    item = ProviderReview.objects.get()
    with pytest.raises(ValidationError, match="a worker needs to do this review"):
        provider.sign_off(item=item, by=practitioner.user)
    turned = provider.to_worker(item=item, by=practitioner.user, note="Check the bruising")
    assert (turned.status, turned.route) == (ReviewStatus.IN_PROGRESS, "worker")


def test_links_only_for_provider_led_reviews_and_a_new_link_replaces_the_old(review, practitioner):
    review.route = "worker"
    review.save(update_fields=["route"])
    with pytest.raises(ValidationError, match="Only a review led by the provider"):
        provider.link_send(review=review, by=practitioner.user, provider_name="X", email="x@example.org")
    review.route = "provider"
    review.save(update_fields=["route"])
    first = provider.link_send(review=review, by=practitioner.user, provider_name="X", email="x@example.org")
    provider.link_send(review=review, by=practitioner.user, provider_name="X", email="x@example.org")
    first.refresh_from_db()
    assert first.status == "withdrawn"


def test_unknown_or_guessed_links_show_nothing(client, review):
    response = client.get(reverse("portal-provider", args=["guess" * 9]))
    assert response.status_code == 410 and "Mohan" not in response.content.decode()
