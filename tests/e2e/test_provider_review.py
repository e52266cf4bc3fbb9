"""A provider completes a review through its single-use link, and a worker signs it off; axe on each page."""

from __future__ import annotations

import re

from django.core import mail
from playwright.sync_api import expect

from reviews.models import Review
from tests.reviews.conftest import make_active_plan

from .conftest import assert_accessible, sign_in


def test_provider_led_review_from_link_to_sign_off(page, world, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    mohan, worker, leader = world["mohan"], world["worker"], world["leader"]
    plan = make_active_plan(mohan, worker, leader)
    review = Review.objects.get(plan=plan)
    review.route = "provider"
    review.save(update_fields=["route"])

    sign_in(page, "asha")
    page.goto(f"/reviews/{review.id}/provider/")
    page.get_by_label("Provider", exact=True).fill("Highfields Home Care")
    page.get_by_label("Provider's email address").fill("reviews@highfields.example")
    assert_accessible(page)
    page.get_by_role("button", name="Email the link").click()
    expect(page.get_by_role("alert")).to_contain_text("The link has been emailed")
    token = re.search(r"/provider-review/([\w-]+)/", mail.outbox[-1].body).group(1)

    provider = page.context.browser.new_context(base_url=page.url.split("/reviews/")[0])
    p = provider.new_page()
    p.goto(f"/provider-review/{token}/")
    expect(p.get_by_role("heading", level=1)).to_contain_text("Mohan Patel")
    assert_accessible(p)
    for group in p.locator("fieldset").all():
        group.get_by_label("Yes" if "still being met" in group.inner_text() else "No", exact=True).check()
    p.get_by_label("What is working well?").fill("Calls are on time and Mohan likes his carers")
    p.get_by_label("Your name and role").fill("Jo Reid, care coordinator")
    p.get_by_role("button", name="Send the review").click()
    expect(p.get_by_role("heading", level=1)).to_have_text("Review sent")
    assert_accessible(p)
    provider.close()

    page.goto(f"/reviews/{review.id}/provider/")
    expect(page.get_by_text("Calls are on time")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Sign off as the review").click()
    expect(page.get_by_role("alert")).to_contain_text("Signed off as the review")
    review.refresh_from_db()
    assert review.status == "completed"
