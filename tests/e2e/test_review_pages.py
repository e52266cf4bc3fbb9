"""Reviews in a real browser: a worker opens a due review from the worktray, sees the suggested route change
live as facts are ticked (htmx, evaluated on the server), chooses a route, records the review with an outcome
partly met and sees the next review date; a team leader opens the overdue reviews, also on a phone. Axe on
every page."""

from __future__ import annotations

import datetime as dt
import re

from dateutil.relativedelta import relativedelta
from django.utils import timezone
from playwright.sync_api import expect

from carecase.staff.models import Role, StaffMember
from reviews.models import Review, ReviewOutcome, ReviewStatus
from tests.factories import AllocationFactory, PersonFactory, StaffFactory
from tests.reviews.conftest import make_active_plan

from .conftest import assert_accessible, sign_in

MORE_HOURS = "Is there a request to increase the person's home care hours?"
SAFETY = "Has anyone raised a concern about the person's safety, including the person saying they do not feel safe?"
THERAPY = "Review led by a therapist or the reablement team"


def test_worker_routes_and_records_a_due_review(page, world):
    today = timezone.localdate()
    plan = make_active_plan(world["mohan"], world["worker"], world["leader"], starts_on=today - dt.timedelta(weeks=7))
    review = Review.objects.get(plan=plan)

    sign_in(page, "asha")
    expect(page.get_by_role("heading", name="Reviews due (1)")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name=re.compile(r"Mohan Patel.*open the review")).click()
    expect(page.get_by_role("heading", name="First review (6 to 8 weeks after the plan starts)")).to_be_visible()
    expect(page.locator("#review-summary")).to_contain_text("Due")
    expect(page.locator("#plan-outcomes")).to_contain_text("Getting food and drink")
    assert_accessible(page)

    # The suggested route and the routes on offer change as facts are ticked; nothing is saved meanwhile.
    suggested = page.locator("#route-live .cc-suggested-route")
    offered = page.locator("#route-choice input[name=route]")
    expect(suggested).to_have_text("Review by a worker")
    expect(offered).to_have_count(1)
    page.get_by_label(MORE_HOURS).check()
    expect(suggested).to_have_text(THERAPY)
    expect(offered).to_have_count(2)
    expect(page.get_by_label(re.compile(r"Review led by a therapist.*\(suggested\)"))).to_be_checked()
    page.get_by_label(SAFETY).check()
    expect(suggested).to_have_text("Review by a worker")
    expect(offered).to_have_count(1)
    expect(page.locator("#route-choice")).to_contain_text("Only a worker may lead this review.")
    page.get_by_label(SAFETY).uncheck()
    expect(offered).to_have_count(2)
    assert Review.objects.get(pk=review.pk).route_reasons == []
    assert_accessible(page)
    page.get_by_role("radio", name="Review by a worker").check()
    page.get_by_role("button", name="Save who leads the review").click()
    expect(page.get_by_role("alert")).to_contain_text("Who leads this review: review by a worker.")
    expect(page.locator("#route-reasons")).to_contain_text("More home care hours were asked for")
    expect(page.get_by_label(MORE_HOURS)).to_be_checked()
    review.refresh_from_db()
    assert review.route == "worker" and review.routing_ruleset_version

    # The review record: first with an answer missing, which comes back with everything kept.
    page.get_by_role("link", name="Record the review").click()
    expect(page.get_by_role("heading", name="Record the review")).to_be_visible()
    food, washing = "Getting food and drink", "Washing and keeping clean"
    page.get_by_role("group", name=f"Is this still being met? ({food})").get_by_label("Partly").check()
    page.get_by_label(f"How well is it being met? ({food})").fill("Evening meals are often late")
    page.get_by_label(f"Could anything be done differently? ({food})").fill(
        "A microwave and ready meals on the days the call is late")
    page.get_by_role("group", name=f"Is this still being met? ({washing})").get_by_label("Yes").check()
    page.get_by_label("What is working well?").fill("Morning calls are on time")
    page.get_by_label("Willing, but finding it harder").check()
    page.get_by_label("No change", exact=True).check()
    assert_accessible(page)
    page.get_by_role("button", name="Complete the review").click()
    expect(page.get_by_role("alert")).to_contain_text(f"Say whether anything could be done differently for “{washing}”")
    expect(page.get_by_label(f"Could anything be done differently? ({food})")).to_have_value(
        "A microwave and ready meals on the days the call is late")
    expect(page.get_by_role("group", name=f"Is this still being met? ({food})").get_by_label("Partly")).to_be_checked()
    assert_accessible(page)
    page.get_by_label(f"Could anything be done differently? ({washing})").fill("Nothing: the morning call works well")
    page.get_by_role("button", name="Complete the review").click()

    nxt = today + relativedelta(months=12)
    expect(page.get_by_role("alert")).to_contain_text(f"The next review is due by {nxt.day} {nxt:%B %Y}.")
    expect(page.locator("#next-review")).to_have_text(f"{nxt.day} {nxt:%B %Y}")
    expect(page.get_by_role("heading", name="What the review found")).to_be_visible()
    review.refresh_from_db()
    assert review.status == ReviewStatus.COMPLETED and review.next_review_due_on == nxt
    assert ReviewOutcome.objects.filter(review=review, still_met="partly").count() == 1
    assert Review.objects.get(plan=plan, status=ReviewStatus.SCHEDULED).due_on == nxt
    assert_accessible(page)


def test_team_leader_opens_the_overdue_view(page, world):
    make_active_plan(world["mohan"], world["worker"], world["leader"])  # first review due 2 March 2026: overdue
    nasreen = PersonFactory(given_name="Nasreen", family_name="Akhtar")
    AllocationFactory(person=nasreen, team=world["east"])
    make_active_plan(nasreen, world["worker"], world["leader"],
                     starts_on=timezone.localdate() - dt.timedelta(weeks=10))  # overdue by two weeks
    west_worker = StaffMember.objects.get(user__username="westworker")
    west_leader = StaffFactory(role=Role.TEAM_LEADER, team=world["west"])
    make_active_plan(world["elsewhere"], west_worker, west_leader)

    sign_in(page, "leader")
    page.get_by_role("link", name="Overdue reviews in your team by worker (2)").click()
    expect(page.get_by_role("heading", name="Overdue reviews")).to_be_visible()
    table = page.locator(f"#overdue-team-{world['east'].id}")
    expect(table).to_contain_text("Asha Mistry")
    expect(table).to_contain_text("Not allocated to a worker")
    expect(page.locator("#overdue-caption")).to_have_text("2 overdue reviews")
    expect(page.locator("#overdue-totals")).to_contain_text("All of City East Locality Team")
    expect(page.get_by_text("Mohan Patel")).to_have_count(0)
    assert_accessible(page)

    page.get_by_label("Team", exact=True).select_option(label="All teams")
    page.get_by_role("button", name="Show overdue reviews").click()
    expect(page.locator("#overdue-caption")).to_have_text("3 overdue reviews")
    expect(page.locator("#overdue-totals")).to_contain_text("All teams")
    expect(page.locator("#overdue-by-team")).to_contain_text("City West Locality Team")
    page.set_viewport_size({"width": 375, "height": 800})
    assert_accessible(page)
