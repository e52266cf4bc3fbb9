"""Provider-led reviews (issue 5 §2): the provider completes the review through a secure single-use link,
and a worker signs it off or turns it into a review by a worker.

The link carries a random token (stored as a SHA-256 hash) and nothing else; it works once, for 4 weeks,
and only while the review is open and routed to the provider. The page shows the provider only what they
need to answer: the person's name and the outcomes of the plan they deliver.
"""

from __future__ import annotations

import datetime as dt
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from carecase.audit.access import require_full_access
from reviews import services as review_services
from reviews.models import Review, ReviewResult, ReviewStatus, Route

from .models import ProviderReview, ProviderReviewStatus
from .services import _hash_token, portal_url

LINK_LIFETIME = dt.timedelta(weeks=4)
LINK_DEAD = ("This link has expired, has already been used, or is no longer needed. If you still need to send "
             "a review, ask the council worker who sent it for a new link.")


@transaction.atomic
def link_send(*, review: Review, by, provider_name: str, email: str) -> ProviderReview:
    """Email the provider a single-use link to complete the review; any earlier unused link is withdrawn."""
    require_full_access(by, review.person)
    errors = {}
    if not review.is_open:
        errors["review"] = "This review has already been completed or cancelled."
    elif review.route != Route.PROVIDER:
        errors["review"] = "Only a review led by the provider can be sent to them. Set the route first."
    if not (provider_name or "").strip():
        errors["provider_name"] = "Enter the provider's name"
    if not (email or "").strip():
        errors["email"] = "Enter the provider's email address"
    if errors:
        raise ValidationError(errors)
    ProviderReview.objects.filter(review=review, status=ProviderReviewStatus.SENT).update(
        status=ProviderReviewStatus.WITHDRAWN)
    token = secrets.token_urlsafe(32)
    item = ProviderReview.objects.create(review=review, provider_name=provider_name.strip(), sent_to=email.strip(),
                                         token_hash=_hash_token(token), expires_at=timezone.now() + LINK_LIFETIME,
                                         created_by=by)
    context = {"item": item, "link": portal_url(f"/provider-review/{token}/"), "review": review,
               "service_name": settings.SERVICE_NAME, "council_name": settings.COUNCIL_NAME,
               "sender": by.get_full_name() or by.username, "expires_on": timezone.localdate(item.expires_at)}
    body = render_to_string("portal/email/provider_link.txt", context)
    transaction.on_commit(lambda: EmailMultiAlternatives(
        "A review of someone's care and support, for you to complete", body, to=[item.sent_to],
        headers={"X-CareCase-Reference": f"provider-review:{item.id}"}).send())
    return item


def item_for_token(token: str) -> ProviderReview | None:
    """The provider review this link opens, or None when the link does not (or no longer) work."""
    item = (ProviderReview.objects.select_related("review__plan", "review__person")
            .filter(token_hash=_hash_token(token or "")).first())
    if (item is None or item.status != ProviderReviewStatus.SENT or item.expires_at <= timezone.now()
            or not item.review.is_open or item.review.route != Route.PROVIDER):
        return None
    return item


@transaction.atomic
def submit(*, token: str, answers: dict, completed_by_name: str) -> ProviderReview:
    item = item_for_token(token)
    if item is None:
        raise ValidationError(LINK_DEAD)
    item = ProviderReview.objects.select_for_update().get(pk=item.pk)
    if item.status != ProviderReviewStatus.SENT:
        raise ValidationError(LINK_DEAD)
    if not (completed_by_name or "").strip():
        raise ValidationError({"completed_by_name": "Enter your name"})
    item.answers, item.completed_by_name = answers, completed_by_name.strip()
    item.status, item.submitted_at = ProviderReviewStatus.SUBMITTED, timezone.now()
    item.save(update_fields=["answers", "completed_by_name", "status", "submitted_at"])
    review = Review.objects.select_for_update().get(pk=item.review_id)  # noqa: TID251 (the review being led)
    review.status = ReviewStatus.AWAITING_TRIAGE
    review.save(update_fields=["status"])
    return item


def _has_concern(answers: dict) -> bool:
    return bool((answers.get("concerns") or "").strip()) or answers.get("changed") == "yes" or any(
        v in ("no", "partly") for k, v in answers.items() if k.startswith("outcome_"))


@transaction.atomic
def sign_off(*, item: ProviderReview, by, next_review_due_on: dt.date | None = None) -> Review:
    """The worker signs off the provider's review as the review: no change. Not when the provider reports a
    change, an outcome not fully met or a concern: then a worker does the review."""
    require_full_access(by, item.review.person)
    if item.status != ProviderReviewStatus.SUBMITTED:
        raise ValidationError("This provider review is not waiting for sign-off.")
    if _has_concern(item.answers):
        raise ValidationError("The provider reports a change or a concern, so a worker needs to do this review. "
                              "Turn it into a review by a worker.")
    review = item.review
    outcomes = {o.id: (item.answers.get(f"outcome_{o.id}", "yes"), item.answers.get(f"outcome_{o.id}_note", ""))
                for o in review.plan.outcomes.all()}
    review_services.review_complete(
        review=review, by=by, outcomes=outcomes, result=ReviewResult.NO_CHANGE,
        what_works=(f"Provider-led review by {item.provider_name} ({item.completed_by_name}). "
                    + (item.answers.get("working") or "")).strip(),
        next_review_due_on=next_review_due_on)
    item.status, item.triaged_by, item.triaged_at = ProviderReviewStatus.SIGNED_OFF, by, timezone.now()
    item.save(update_fields=["status", "triaged_by", "triaged_at"])
    review.refresh_from_db()
    return review


@transaction.atomic
def to_worker(*, item: ProviderReview, by, note: str) -> Review:
    require_full_access(by, item.review.person)
    if item.status != ProviderReviewStatus.SUBMITTED:
        raise ValidationError("This provider review is not waiting for sign-off.")
    if not (note or "").strip():
        raise ValidationError({"note": "Say what the worker should look at"})
    review = Review.objects.select_for_update().get(pk=item.review_id)  # noqa: TID251 (the review being led)
    review.status, review.route, review.reviewer = ReviewStatus.IN_PROGRESS, Route.WORKER, by
    review.save(update_fields=["status", "route", "reviewer"])
    item.status, item.triaged_by, item.triaged_at = ProviderReviewStatus.TURNED_INTO_WORKER_REVIEW, by, timezone.now()
    item.triage_note = note.strip()
    item.save(update_fields=["status", "triaged_by", "triaged_at", "triage_note"])
    return review
