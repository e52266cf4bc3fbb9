"""The review pages through the Django test client: a person's reviews and asking for an unplanned one; one
review with its plan, the route (live suggestion, the choice limited to the routes the rules allow) and the
worker-led review record; the worktray's reviews due; the team leaders' overdue view; access and query counts."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from dateutil.relativedelta import relativedelta
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from assessments.models import PlanStatus, SupportPlan
from carecase.audit.models import AccessAction, RecordAccessEvent
from reviews import schedule
from reviews import services as rs
from reviews.models import Review, ReviewKind, ReviewOutcome, ReviewStatus
from tests.assessments.test_plan_services import NOTE
from tests.factories import AllocationFactory, PersonFactory

from .conftest import make_active_plan

pytestmark = pytest.mark.django_db
THERAPY = "Review led by a therapist or the reablement team"
SELF = "Self-review"
WORKER = "Review by a worker"


def _text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def _queries(client, url, **params) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, params)
    assert response.status_code == 200
    return len(ctx.captured_queries)


@pytest.fixture
def review(active_plan):
    """Mohan Patel's first review: due 2 March 2026, so overdue."""
    return Review.objects.get(plan=active_plan)


@pytest.fixture
def due_review(person, practitioner, team_leader):
    """A first review that is due now: the plan started 7 weeks ago (window open, due in a week)."""
    plan = make_active_plan(person, practitioner, team_leader,
                            starts_on=timezone.localdate() - dt.timedelta(weeks=7))
    return Review.objects.get(plan=plan)


def _extra_review(team, worker, *, days_overdue: int, by) -> Review:
    """A review for a new person allocated to `worker` (or to the team only), on a bare plan: cheap data for
    counting. The plan borrows an existing assessment; nothing here reads it."""
    person = PersonFactory()
    AllocationFactory(person=person, team=team, worker=worker)
    assessment = SupportPlan.objects.select_related("assessment").first().assessment
    plan = SupportPlan.objects.create(person=person, assessment=assessment, status=PlanStatus.ACTIVE,
                                      starts_on=timezone.localdate() - dt.timedelta(days=400), created_by=by)
    due = timezone.localdate() - dt.timedelta(days=days_overdue)
    return Review.objects.create(person=person, plan=plan, kind=ReviewKind.PLANNED, team=team, created_by=by,
                                 window_opens_on=due - dt.timedelta(weeks=8), due_on=due)


# ---------------------------------------------------------------- the person's reviews


def test_person_page_lists_the_open_review_in_words(staff_client, person, review, practitioner):
    url = reverse("person-reviews", args=[person.id])
    html = _text(staff_client.get(url))
    assert "First review (6 to 8 weeks after the plan starts)" in html
    assert 'govuk-tag--red">Overdue</strong>' in html and "2 March 2026" in html and "16 February 2026" in html
    assert WORKER in html and "Ask for an unplanned review" in html and "A carer" in html
    assert 'name="plan"' not in html  # one plan: nothing to choose
    assert f'href="{url}" aria-current="page">Reviews<' in html  # the person's sub-navigation
    assert reverse("review-detail", args=[review.id]) in html
    assert RecordAccessEvent.objects.filter(person=person, user=practitioner.user, resource="reviews",
                                            action=AccessAction.VIEW).exists()
    assert "service user" not in html.lower() and "client" not in html.lower().replace("client level data", "")


def test_ask_for_an_unplanned_review(staff_client, person, due_review):
    review = due_review
    url = reverse("person-reviews", args=[person.id])
    missing = _text(staff_client.post(url, {"due_on_day": "3"}))
    assert "There is a problem" in missing and "Select who asked for the review" in missing
    assert "Say why the review is needed" in missing and "Enter the due date as a day, month and year" in missing
    past = timezone.localdate() - dt.timedelta(days=3)
    early = _text(staff_client.post(url, {"requested_by": "carer", "reason": "Daughter is moving away",
                                          "due_on_day": past.day, "due_on_month": past.month,
                                          "due_on_year": past.year}))
    assert "The review cannot be due before today" in early
    assert re.search(r'value="carer" checked', early) and "Daughter is moving away</textarea>" in early
    assert Review.objects.get(pk=review.pk).requested_by == ""

    soon = timezone.localdate() + dt.timedelta(days=5)
    response = staff_client.post(url, {"requested_by": "carer", "reason": "Daughter is moving away",
                                       "due_on_day": soon.day, "due_on_month": soon.month, "due_on_year": soon.year})
    assert response.status_code == 302 and response.url == reverse("review-detail", args=[review.id])
    review.refresh_from_db()
    assert (review.kind, review.requested_by, review.due_on) == (ReviewKind.REQUESTED, "carer", soon)
    page = _text(staff_client.get(response.url))
    assert f"A review has been asked for. It is due by {soon.day} {soon:%B %Y}." in page
    assert "Daughter is moving away" in page and "A carer" in page


def test_asking_for_an_overdue_review_keeps_its_earlier_date(staff_client, person, review):
    response = staff_client.post(reverse("person-reviews", args=[person.id]),
                                 {"requested_by": "hospital", "reason": "Home after a fall"})
    assert response.status_code == 302
    review.refresh_from_db()
    assert (review.kind, review.due_on, review.window_opens_on) == (
        ReviewKind.POST_DISCHARGE, dt.date(2026, 3, 2), dt.date(2026, 3, 2))
    assert "It is due by 2 March 2026." in _text(staff_client.get(response.url))


def test_several_active_plans_ask_which(staff_client, person, review, practitioner, team_leader):
    # A plan of their own and one as a carer: a new plan replaces only the active plan of its own kind.
    from assessments.models import Assessment

    Assessment.objects.filter(plans=review.plan).update(kind="carer")  # noqa: TID251 (test data)
    second = make_active_plan(person, practitioner, team_leader, starts_on=timezone.localdate())
    url = reverse("person-reviews", args=[person.id])
    html = _text(staff_client.post(url, {"requested_by": "person", "reason": "Wants to change her calls"}))
    assert "Select the plan to be reviewed" in html and f"Care and support plan {second.id}" in html
    response = staff_client.post(url, {"plan": second.id, "requested_by": "person",
                                       "reason": "Wants to change her calls"})
    assert response.status_code == 302
    assert Review.objects.get(plan=second, status=ReviewStatus.SCHEDULED).requested_by == "person"
    assert Review.objects.get(pk=review.pk).requested_by == ""


def test_no_active_plan_means_nothing_to_ask_for(staff_client, person):
    url = reverse("person-reviews", args=[person.id])
    html = _text(staff_client.get(url))
    assert "has no review waiting to be done" in html and "has no active care and support plan" in html
    posted = _text(staff_client.post(url, {"requested_by": "person", "reason": "Asked"}))
    assert "There is no active care and support plan to review." in posted and not Review.objects.exists()


# ---------------------------------------------------------------- access


def test_another_team_is_asked_for_a_reason_and_changes_nothing(client, review, other_practitioner):
    client.force_login(other_practitioner.user)
    person_id = review.person_id
    for url in (reverse("person-reviews", args=[person_id]), reverse("review-detail", args=[review.id]),
                reverse("review-record", args=[review.id])):
        response = client.get(url)
        assert response.status_code == 302 and response.url.startswith(reverse("person-reason", args=[person_id]))
    for url, data in [
        (reverse("person-reviews", args=[person_id]), {"requested_by": "person", "reason": "Asked"}),
        (reverse("review-route", args=[review.id]), {"facts": ["stable_low_cost_opted_in"], "route": "self_review"}),
        (reverse("review-route-suggestion", args=[review.id]), {"facts": ["safety_concern"]}),
        (reverse("review-record", args=[review.id]), {"result": "no_change"}),
    ]:
        response = client.post(url, data)
        assert response.status_code == 302 and "/reason/" in response.url, url
    review.refresh_from_db()
    assert (review.status, review.route, review.requested_by) == (ReviewStatus.SCHEDULED, "worker", "")
    assert RecordAccessEvent.objects.filter(person_id=person_id, user=other_practitioner.user,
                                            action=AccessAction.DENIED).exists()


def test_administrators_cannot_open_reviews(client, review, administrator):
    client.force_login(administrator.user)
    assert client.get(reverse("review-detail", args=[review.id])).status_code == 403
    assert client.get(reverse("reviews-overdue")).status_code == 403


def test_missing_review_is_not_found(staff_client):
    assert staff_client.get(reverse("review-detail", args=[999999])).status_code == 404
    assert staff_client.get(reverse("review-record", args=[999999])).status_code == 404


# ---------------------------------------------------------------- one review and its route


def test_review_page_shows_the_plan_and_the_route_form(staff_client, review, practitioner):
    url = reverse("review-detail", args=[review.id])
    html = _text(staff_client.get(url))
    assert "Getting food and drink" in html and "Washing and keeping clean" in html
    assert "Morning and evening calls" in html and "Highfields Home Care" in html
    assert "Services: £205.00 a week" in html and "Home care" in html
    assert "No route has been chosen yet, so a worker leads it." in html
    assert "Is there a request to increase the person's home care hours?" in html.replace("&#x27;", "'")
    assert 'hx-post="' + reverse("review-route-suggestion", args=[review.id]) in html
    assert 'id="route-live"' in html and "Nothing points to another kind of review" in html
    # With no facts, the only route on offer is a worker.
    assert re.findall(r'name="route" type="radio" value="(\w+)"', html) == ["worker"]
    assert "Record the review" in html
    assert RecordAccessEvent.objects.filter(person=review.person, user=practitioner.user, resource="review").exists()


def test_live_suggestion_offers_only_the_allowed_routes_and_saves_nothing(staff_client, review):
    url = reverse("review-route-suggestion", args=[review.id])
    html = _text(staff_client.post(url, {"facts": ["stable_low_cost_opted_in", "framework_provider_within_limits"],
                                         "route": "self_review"}))
    assert "<html" not in html and "Not saved yet" in html
    assert "Review led by the care provider" in html and 'hx-swap-oob="true"' in html
    assert re.findall(r'name="route" type="radio" value="(\w+)"', html) == ["provider", "self_review", "worker"]
    assert re.search(r'value="self_review"[^>]*checked', html)  # the choice is kept while still allowed
    # A route that was only the earlier suggestion follows the new one.
    followed = _text(staff_client.post(url, {"facts": ["increase_home_care_hours"], "route": "worker",
                                             "suggested_route": "worker"}))
    assert re.search(r'value="therapy"[^>]*checked', followed)
    assert 'name="suggested_route" value="therapy"' in followed
    worker_only = _text(staff_client.post(url, {"facts": ["stable_low_cost_opted_in", "safety_concern"],
                                                "route": "self_review"}))
    assert re.findall(r'name="route" type="radio" value="(\w+)"', worker_only) == ["worker"]
    assert "Only a worker may lead this review." in worker_only
    assert re.search(r'value="worker"[^>]*checked', worker_only)
    assert staff_client.post(url, {"facts": ["owns_a_cat"]}).status_code == 200  # unknown answers dropped
    assert staff_client.get(url).status_code == 405
    review.refresh_from_db()
    assert (review.route, review.route_reasons) == ("worker", [])


def test_setting_the_route(staff_client, review):
    url = reverse("review-route", args=[review.id])
    response = staff_client.post(url, {"facts": ["increase_home_care_hours"], "route": ""})
    assert response.status_code == 302 and response.url == reverse("review-detail", args=[review.id])
    review.refresh_from_db()
    assert review.route == "therapy" and review.routing_ruleset_version == "routing-2026.1"
    assert review.route_reasons == ["More home care hours were asked for, so a therapist reviews first, before any "
                                    "increase is approved."]
    html = _text(staff_client.get(response.url))
    assert "Saved. Who leads this review: review led by a therapist or the reablement team." in html
    assert "Why this route was chosen:" in html and "More home care hours were asked for" in html
    # The facts read back from the reasons: ticked again, and the recorded route chosen.
    assert re.search(r'value="increase_home_care_hours" checked', html)
    assert re.search(r'value="therapy"[^>]*checked', html)
    # The worker may choose another allowed route; the choice is recorded with the reasons.
    staff_client.post(url, {"facts": ["increase_home_care_hours"], "route": "worker"})
    review.refresh_from_db()
    assert review.route == "worker" and review.route_reasons[-1] == (
        "The worker chose: Review by a worker, rather than the suggested review led by a therapist or the "
        "reablement team.")


def test_route_choice_is_limited_to_the_allowed_routes(staff_client, review):
    url = reverse("review-route", args=[review.id])
    html = _text(staff_client.post(url, {"facts": ["stable_low_cost_opted_in"], "route": "provider"}))
    assert "There is a problem" in html and "Choose one of the routes on offer: Self-review; Review by a worker" in html
    assert re.search(r'value="stable_low_cost_opted_in" checked', html) and 'href="#id_route_0"' in html
    unknown = _text(staff_client.post(url, {"facts": ["stable_low_cost_opted_in"], "route": "the_moon"}))
    assert "Choose one of the routes on offer" in unknown
    worker_only = _text(staff_client.post(url, {"facts": ["stable_low_cost_opted_in", "safety_concern"],
                                                "route": "self_review"}))
    assert "Only a worker may lead this review. There is a concern about their safety" in worker_only
    review.refresh_from_db()
    assert (review.route, review.route_reasons) == ("worker", [])


def test_a_worker_only_fact_cannot_be_taken_off(staff_client, review, practitioner):
    rs.review_set_route(review=review, by=practitioner.user, facts={"safety_concern": True})
    url = reverse("review-route", args=[review.id])
    html = _text(staff_client.post(url, {"facts": ["stable_low_cost_opted_in"], "route": "self_review"}))
    assert "There is a concern about their safety, so a worker must look at it." in html
    assert "cannot be taken off it here" in html and 'href="#id_facts_0"' in html
    review.refresh_from_db()
    assert review.route == "worker" and "safety" in review.route_reasons[0]
    page = _text(staff_client.get(reverse("review-detail", args=[review.id])))
    assert re.search(r'value="safety_concern" checked', page)


# ---------------------------------------------------------------- the review record


def _record_data(plan, *, still="partly", **extra) -> dict:
    data = {"what_works": "Morning calls are on time", "what_does_not": "Evening calls are rushed",
            "changes": "A fall in October", "carer_able_willing": "struggling", "result": "no_change"}
    for outcome in plan.outcomes.all():
        data[f"o{outcome.pk}_still_met"] = still
        data[f"o{outcome.pk}_note"] = "Mostly"
        data[f"o{outcome.pk}_own_strengths_considered"] = "yes"
        data[f"o{outcome.pk}_own_strengths_meets"] = "partly"
        data[f"o{outcome.pk}_own_strengths_note"] = NOTE
        data[f"o{outcome.pk}_done_differently"] = "A perching stool could replace the evening wash"
    return {**data, **extra}


def test_record_form_starts_from_the_last_support_sequence(staff_client, review, active_plan):
    html = _text(staff_client.get(reverse("review-record", args=[review.id])))
    outcome = active_plan.outcomes.first()
    assert "Getting food and drink" in html and "Could anything be done differently?" in html
    assert f'name="o{outcome.pk}_own_strengths_considered" type="radio" value="yes" checked' in html
    assert f"{NOTE}</textarea>" in html
    latest = timezone.localdate() + relativedelta(months=12)
    assert f'value="{latest.year}"' in html and f"by {latest.day} {latest:%B %Y} at the latest" in html


def test_record_with_missing_answers_keeps_what_was_typed(staff_client, review, active_plan):
    url = reverse("review-record", args=[review.id])
    first = active_plan.outcomes.first()
    html = _text(staff_client.post(url, {"what_works": "Morning calls are on time",
                                         f"o{first.pk}_still_met": "partly",
                                         f"o{first.pk}_technology_equipment_considered": "yes",
                                         f"o{first.pk}_technology_equipment_note": ""}))
    assert "There is a problem" in html and "(error)" in html
    assert "Say whether “Washing and keeping clean” is still being met" in html
    assert "Say whether anything could be done differently for “Getting food and drink”" in html
    assert "Select whether their carer is still able and willing to help" in html
    assert "Select the result of the review" in html
    assert "Say what you found for technology and equipment (“Getting food and drink”)" in html
    assert "Morning calls are on time</textarea>" in html
    assert re.search(rf'name="o{first.pk}_still_met" type="radio" value="partly" checked', html)
    assert Review.objects.get(pk=review.pk).status == ReviewStatus.SCHEDULED


def test_next_date_beyond_12_months_is_refused_on_the_form(staff_client, review, active_plan):
    late = timezone.localdate() + relativedelta(months=13)
    html = _text(staff_client.post(reverse("review-record", args=[review.id]), _record_data(
        active_plan, next_review_due_on_day=late.day, next_review_due_on_month=late.month,
        next_review_due_on_year=late.year)))
    assert "within 12 months" in html and 'href="#id_next_review_due_on_0"' in html
    assert "A perching stool could replace the evening wash</textarea>" in html
    assert Review.objects.get(pk=review.pk).status == ReviewStatus.SCHEDULED


def test_completing_a_review_schedules_the_next(staff_client, review, active_plan, practitioner):
    url = reverse("review-record", args=[review.id])
    response = staff_client.post(url, _record_data(active_plan))
    assert response.status_code == 302 and response.url == reverse("review-detail", args=[review.id])
    review.refresh_from_db()
    today = timezone.localdate()
    nxt = today + relativedelta(months=12)
    assert (review.status, review.completed_on, review.completed_by, review.result) == (
        ReviewStatus.COMPLETED, today, practitioner.user, "no_change")
    assert review.next_review_due_on == nxt and review.carer_able_willing == "struggling"
    assert set(ReviewOutcome.objects.filter(review=review).values_list("still_met", flat=True)) == {"partly"}
    # The support sequence was applied again through the engine, with existing support.
    assert review.done_differently["result"]["ruleset_version"]
    first = active_plan.outcomes.first()
    answers = review.done_differently["answers"][str(first.pk)]
    assert answers["done_differently"] == {"considered": True,
                                           "note": "A perching stool could replace the evening wash"}
    assert answers["steps"] == {"own_strengths": {"considered": True, "meets": "partly", "note": NOTE}}
    following = Review.objects.get(plan=active_plan, status=ReviewStatus.SCHEDULED)
    assert (following.kind, following.due_on) == (ReviewKind.PLANNED, nxt)

    page = _text(staff_client.get(response.url))
    assert f"The review has been recorded. The next review is due by {nxt.day} {nxt:%B %Y}." in page
    assert "What the review found" in page and "Partly" in page and "No change to support" in page
    assert "A perching stool could replace the evening wash" in page and "Willing, but finding it harder" in page
    assert "Record the review" not in page and "Save who leads the review" not in page
    # Done: the form sends you back.
    again = staff_client.get(url)
    assert again.status_code == 302 and again.url == reverse("review-detail", args=[review.id])
    people = _text(staff_client.get(reverse("person-reviews", args=[review.person_id])))
    assert "Past reviews" in people and f"{nxt.day} {nxt:%B %Y}" in people and "Planned review" in people


def test_an_earlier_next_date_and_support_ending(staff_client, review, active_plan):
    soon = timezone.localdate() + relativedelta(months=6)
    staff_client.post(reverse("review-record", args=[review.id]), _record_data(
        active_plan, result="plan_changed", next_review_due_on_day=soon.day, next_review_due_on_month=soon.month,
        next_review_due_on_year=soon.year))
    following = Review.objects.get(plan=active_plan, status=ReviewStatus.SCHEDULED)
    assert following.due_on == soon
    response = staff_client.post(reverse("review-record", args=[following.id]),
                                 _record_data(active_plan, still="no", result="support_ends"))
    assert response.status_code == 302
    page = _text(staff_client.get(response.url))
    assert "Support ends, so no further review is planned." in page and "None: support ends" in page
    assert not Review.objects.filter(plan=active_plan, status__in=[ReviewStatus.SCHEDULED]).exists()


def test_review_page_query_count_is_constant(staff_client, review, active_plan, practitioner):
    url = reverse("review-detail", args=[review.id])
    few = _queries(staff_client, url)
    record = _queries(staff_client, reverse("review-record", args=[review.id]))
    from carecase import codes

    for label in ("Seeing my friends", "Getting to the mosque on Fridays"):  # the plan's own goals
        active_plan.outcomes.create(label=label, how_met="A befriending group", by_whom="Age UK")
    for _ in range(4):
        SupportPlan.objects.get(pk=active_plan.pk).services.create(
            service_type=codes.ServiceType.LTS_COMMUNITY, component=codes.ServiceComponent.HOME_CARE,
            units_per_week=1, unit=codes.ServiceUnit.HOUR, unit_cost=10,
            delivery_mechanism=codes.DeliveryMechanism.COMMISSIONED, starts_on=timezone.localdate())
    assert _queries(staff_client, url) == few
    assert _queries(staff_client, reverse("review-record", args=[review.id])) == record


# ---------------------------------------------------------------- the worktray


def test_worktray_lists_reviews_due(client, due_review, practitioner, team_leader, senior_manager):
    client.force_login(practitioner.user)
    html = _text(client.get(reverse("home")))
    assert "Reviews due (1)" in html and reverse("review-detail", args=[due_review.id]) in html
    assert "Mohan Patel<span class=\"govuk-visually-hidden\">: open the review</span>" in html
    assert 'govuk-tag--yellow">Due</strong>' in html
    assert RecordAccessEvent.objects.filter(person=due_review.person, user=practitioner.user,
                                            resource="worktray").exists()
    assert reverse("reviews-overdue") not in html

    client.force_login(team_leader.user)
    html = _text(client.get(reverse("home")))
    assert "Overdue reviews in your team by worker (0)" in html
    Review.objects.filter(pk=due_review.pk).update(due_on=timezone.localdate() - dt.timedelta(days=1))
    assert "Overdue reviews in your team by worker (1)" in _text(client.get(reverse("home")))
    client.force_login(senior_manager.user)
    assert "Overdue reviews in all teams by worker (1)" in _text(client.get(reverse("home")))


def test_worktray_with_nothing_due(client, practitioner, active_plan):
    Review.objects.filter(plan=active_plan).update(window_opens_on=timezone.localdate() + dt.timedelta(days=100),
                                                   due_on=timezone.localdate() + dt.timedelta(days=150))
    client.force_login(practitioner.user)
    html = _text(client.get(reverse("home")))
    assert "Reviews due (0)" in html and "No reviews are due for the people allocated to you" in html


def test_worktray_query_count_is_constant_with_reviews(client, team, practitioner, team_leader, active_plan):
    for _ in range(2):
        _extra_review(team, practitioner, days_overdue=10, by=practitioner.user)
    for staff in (practitioner, team_leader):
        client.force_login(staff.user)
        few = _queries(client, reverse("home"))
        for _ in range(6):
            _extra_review(team, practitioner, days_overdue=40, by=practitioner.user)
        assert _queries(client, reverse("home")) == few
    client.force_login(practitioner.user)
    assert "Reviews due (15)" in _text(client.get(reverse("home")))


# ---------------------------------------------------------------- overdue reviews by team and worker


@pytest.fixture
def overdue_world(team, other_team, practitioner, other_practitioner, team_leader, active_plan):
    """Overdue reviews in two teams, for a worker or the team only, in every age band; and some not overdue."""
    by = team_leader.user
    for days in (1, 20, 28, 29, 90, 91, 150, 183, 365, 366, 800):
        _extra_review(team, practitioner, days_overdue=days, by=by)
    for days in (5, 100, 400):
        _extra_review(team, None, days_overdue=days, by=by)
    for days in (3, 60):
        _extra_review(other_team, other_practitioner, days_overdue=days, by=by)
    for days in (0, -10):  # due today or later: not overdue
        _extra_review(team, practitioner, days_overdue=days, by=by)
    return Review.objects.filter(schedule.state_q(schedule.OVERDUE, timezone.localdate()))


def _banded(reviews) -> dict[str, int]:
    today = timezone.localdate()
    counts = {key: 0 for key, *_rest in schedule.OVERDUE_BANDS}
    for review in reviews:
        counts[schedule.overdue_band(schedule.days_overdue(review, today))] += 1
    return counts


def test_overdue_view_figures_equal_a_direct_count(client, overdue_world, team, other_team, team_leader,
                                                   senior_manager, practitioner):
    client.force_login(team_leader.user)
    response = client.get(reverse("reviews-overdue"))
    html = _text(response)
    mine = overdue_world.filter(team=team)
    assert response.context["totals"]["total"] == mine.count() == 15  # Mohan's first review and 14 more
    assert response.context["totals"]["bands"] == list(_banded(mine).values())
    assert {r["team_id"] for r in response.context["rows"]} == {team.id}  # their own team first
    by_worker = {r["worker_name"]: r["total"] for r in response.context["rows"]}
    assert by_worker == {practitioner.full_name: mine.exclude(person__allocations__worker=None).count(),
                         "Not allocated to a worker": 3}
    assert "15 overdue reviews" in html and "Over 12 months" in html and "Mohan" not in html
    assert re.search(r'<option value="\d+" selected>City East Locality Team</option>', html)

    everyone = client.get(reverse("reviews-overdue"), {"team": ""})
    assert everyone.context["totals"]["total"] == overdue_world.count() == 17
    assert everyone.context["totals"]["bands"] == list(_banded(overdue_world).values())
    west = client.get(reverse("reviews-overdue"), {"team": other_team.id})
    assert [r["total"] for r in west.context["rows"]] == [2]

    client.force_login(senior_manager.user)
    manager = client.get(reverse("reviews-overdue"))
    assert manager.context["totals"]["total"] == 17
    assert {r["team_id"] for r in manager.context["rows"]} == {team.id, other_team.id}


def test_overdue_view_refuses_practitioners_plainly(client, practitioner):
    client.force_login(practitioner.user)
    response = client.get(reverse("reviews-overdue"))
    assert response.status_code == 403
    assert "for team leaders and senior managers" in _text(response)


def test_overdue_view_with_a_bad_team_and_with_nothing_overdue(client, team_leader):
    client.force_login(team_leader.user)
    html = _text(client.get(reverse("reviews-overdue"), {"team": "999999"}))
    assert "There is a problem" in html and "Select a team from the list" in html
    assert "No reviews are overdue in City East Locality Team." in html


def test_overdue_view_query_count_is_constant(client, team, other_team, practitioner, other_practitioner,
                                              team_leader, active_plan):
    client.force_login(team_leader.user)
    _extra_review(team, practitioner, days_overdue=40, by=team_leader.user)
    few = _queries(client, reverse("reviews-overdue"), team="")
    for days in (5, 50, 500):
        _extra_review(team, practitioner, days_overdue=days, by=team_leader.user)
        _extra_review(other_team, other_practitioner, days_overdue=days, by=team_leader.user)
        _extra_review(other_team, None, days_overdue=days, by=team_leader.user)
    assert _queries(client, reverse("reviews-overdue"), team="") == few
