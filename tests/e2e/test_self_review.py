"""A person reviews their own support on a phone-sized screen, from the letter's link to the confirmation,
axe clean on every page; then a worker accepts it as the review."""

from __future__ import annotations

import datetime as dt
import re

from playwright.sync_api import expect

from portal import services
from portal.models import SelfReview
from reviews.models import Review
from tests.reviews.conftest import make_active_plan

from .conftest import assert_accessible, sign_in

PORTAL_PASSWORD = "blue kettle morning"
# Nothing has changed and all is well: (words in the question, the answer to choose).
ANSWERS = [("still right", "Yes"), ("still working", "Yes, it is working"), ("anything changed", "No"),
           ("in hospital", "No"), ("not paid", "No"), ("still able", "Yes"), ("money", "Yes"), ("feel safe", "Yes"),
           ("contact you to talk", "No"), ("Who filled in", "I did, on my own")]


def test_a_person_completes_a_self_review_on_a_phone_and_a_worker_accepts_it(browser, live_server, page, world):
    mohan, worker, leader = world["mohan"], world["worker"], world["leader"]
    mohan.date_of_birth, mohan.phone = dt.date(1948, 3, 27), "0116 496 0000"
    mohan.save()
    plan = make_active_plan(mohan, worker, leader)
    review = Review.objects.get(plan=plan)
    new = services.invitation_create(review=review, by=worker.user, channel="letter")

    phone = browser.new_context(viewport={"width": 375, "height": 740}, base_url=live_server.url,
                                is_mobile=True, has_touch=True)
    p = phone.new_page()
    p.set_default_timeout(10_000)
    p.goto(f"/my-review/start/{new.token}/")
    expect(p.get_by_role("heading", level=1)).to_have_text("Review your care and support")
    assert_accessible(p)
    p.get_by_label("Your code").fill("WRNG-CODE")
    p.get_by_label("Day").fill("27")
    p.get_by_label("Month").fill("3")
    p.get_by_label("Year").fill("1948")
    p.get_by_role("button", name="Continue").click()
    expect(p.get_by_role("alert")).to_contain_text("We could not match those details")
    assert_accessible(p)
    p.get_by_label("Your code").fill(new.code.lower())
    p.get_by_role("button", name="Continue").click()

    expect(p.get_by_role("heading", level=1)).to_have_text("How you will sign in")
    p.get_by_label("No, it is about my own support").check()
    p.get_by_label("With a password").check()
    p.get_by_label("Choose a password").fill(PORTAL_PASSWORD)
    assert_accessible(p)
    p.get_by_role("button", name="Continue").click()

    expect(p.get_by_role("heading", level=1)).to_have_text("Your review")
    expect(p.get_by_text("You have answered 0 of")).to_be_visible()
    assert_accessible(p)
    p.get_by_role("link", name="Read a summary of your current plan").click()
    expect(p.get_by_role("heading", level=1)).to_have_text("Your current plan")
    assert_accessible(p)
    p.get_by_role("link", name="Back to your review").first.click()

    # Part 1, then save and come back later.
    p.get_by_role("link", name="Your plan").click()
    p.get_by_label("Yes").check()
    p.get_by_role("button", name="Save and come back later").click()
    expect(p.get_by_text("You have answered 1 of")).to_be_visible()

    # Carry on: every part, in order, with "Save and continue".
    p.get_by_role("link", name=re.compile("“")).first.click()
    for _ in range(15):
        if "/questions/" not in p.url:
            break
        heading = p.get_by_role("heading", level=1).inner_text()
        for group in p.locator("fieldset").all():
            legend = group.locator("legend").inner_text()
            label = next(answer for asked, answer in ANSWERS if asked in legend)
            group.get_by_label(label, exact=True).check()
        if heading == "Feeling safe":
            assert_accessible(p)
        p.get_by_role("button", name="Save and continue").click()
        p.wait_for_load_state()
        assert not p.locator(".govuk-error-summary").count(), (heading, p.locator(".govuk-error-summary").inner_text())

    expect(p.get_by_role("heading", level=1)).to_have_text("Check your answers")
    assert_accessible(p)
    p.get_by_role("button", name="Send my review").click()
    expect(p.get_by_role("heading", level=1)).to_have_text("Review sent")
    self_review = SelfReview.objects.get(review=review)
    expect(p.locator(".govuk-panel")).to_contain_text(self_review.reference)
    expect(p.get_by_text("Phone: 0116 454 1234")).to_be_visible()
    assert_accessible(p)
    p.get_by_role("button", name="Sign out").click()
    expect(p.get_by_role("heading", level=1)).to_have_text("You have signed out")
    phone.close()

    # The worker looks at it and accepts it as the review.
    sign_in(page, "asha")
    page.goto(f"/reviews/{review.id}/self-review/")
    expect(page.get_by_text(self_review.reference)).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Accept as the review").click()
    expect(page.get_by_role("alert")).to_contain_text("accepted as the review")
    review.refresh_from_db()
    assert review.status == "completed" and review.result == "no_change"
    assert_accessible(page)
