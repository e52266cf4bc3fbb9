"""Staff pages for reviews (GUIDE §2.7): a person's reviews and asking for an unplanned one; one review with
its plan, its route (the routing rules' live suggestion, the worker's choice) and the worker-led review
record; and the team leaders' overdue reviews by team and worker.

Thin, like carecase.waiting.views: forms shape what was typed, selectors read (access-checked and logged),
services write and apply the scheduling and routing rules.
"""

from __future__ import annotations

import functools

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import prefetch_related_objects
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from assessments.engine import review_routing
from assessments.models import PlanStatus
from carecase.audit.access import staff_member
from carecase.staff.models import Role, Team
from carecase.web.decorators import person_page, staff_required
from carecase.web.views import _apply_errors, _person_context, _posted

from . import forms as rf
from . import schedule, selectors, services
from .models import OPEN_STATUSES, Review, ReviewResult, ReviewStatus

OVERDUE_ROLES = (Role.TEAM_LEADER, Role.SENIOR_MANAGER)


def review_page(view):
    """Views under /reviews/<review_id>/: a missing review is a 404; access outcomes as for person pages."""

    @person_page
    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except Review.DoesNotExist:
            raise Http404("No review with that number") from None

    return wrapper


# ---------------------------------------------------------------- how reviews look on the page


def _state(review, today) -> dict:
    code = getattr(review, "review_state", None) or schedule.state(review, today)
    return {"code": code, "label": schedule.STATE_LABELS.get(code, code), "tag": schedule.STATE_TAGS.get(code, "")}


def _route(code: str) -> review_routing.Route:
    return review_routing.route_info(code)


def _row(review, today) -> dict:
    return {"review": review, "state": _state(review, today), "route": _route(review.route)}


def _suggestion(answers: dict[str, bool]) -> dict:
    routing = review_routing.route(answers)
    return {"route": _route(routing.route), "reasons": routing.reasons, "ruleset_version": routing.ruleset_version,
            "allowed": [_route(code) for code in routing.allowed], "worker_only": routing.allowed == ("worker",)}


# ---------------------------------------------------------------- the person's reviews


@person_page
def person_reviews(request, person_id: int):
    person, reviews = selectors.reviews_for(user=request.user, person_id=person_id, path=request.path)
    # The person is open (and the read logged) above; their active plans are what a review can be asked for.
    plans = list(person.support_plans.filter(status=PlanStatus.ACTIVE).order_by("starts_on", "id"))
    form = rf.RequestReviewForm(_posted(request), plans=plans)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            review = services.review_request(plan=form.chosen_plan(), by=request.user,
                                             requested_by=d["requested_by"], reason=d["reason"], due_on=d["due_on"])
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, f"A review has been asked for. It is due by {review.due_on:%-d %B %Y}.")
            return redirect("review-detail", review.id)
    today = timezone.localdate()
    rows = [_row(r, today) for r in reviews]
    return render(request, "reviews/person_reviews.html", {
        **_person_context(request, person, "reviews"),
        "open_rows": [r for r in rows if r["review"].status in OPEN_STATUSES],
        "past_rows": [r for r in rows if r["review"].status not in OPEN_STATUSES],
        "plans": plans,
        "form": form,
    })


# ---------------------------------------------------------------- one review


def _review(request, review_id: int) -> Review:
    return selectors.review_for(user=request.user, review_id=review_id, path=request.path)


def _plan_summary(review: Review) -> dict:
    services_ = list(review.plan.services.select_related("outcome").order_by("id"))
    return {"outcomes": list(review.plan.outcomes.all()), "services": services_,
            "weekly": sum((line.weekly_cost for line in services_), start=0)}


def _completed_record(review: Review) -> dict | None:
    """A completed review's answers for each outcome, with the support sequence's answer in words."""
    if review.status != ReviewStatus.COMPLETED:
        return None
    sequence = {o["code"]: o for o in (review.done_differently or {}).get("result", {}).get("outcomes", [])}
    answers = (review.done_differently or {}).get("answers", {})
    rows = []
    for answer in review.outcomes.all():
        pk = answer.plan_outcome_id
        rows.append({"answer": answer, "sequence": sequence.get(f"outcome-{pk}"),
                     "done_differently": ((answers.get(str(pk)) or {}).get("done_differently") or {}).get("note", "")})
    return {"rows": rows}


def _route_form(review: Review, data=None) -> rf.RouteForm:
    facts = services.recorded_routing_facts(review)
    return rf.RouteForm(data, initial={"facts": [code for code, yes in facts.items() if yes],
                                       "route": review.route if review.route_reasons else ""})


def _detail_context(request, review: Review, *, route_form=None) -> dict:
    today = timezone.localdate()
    route_form = route_form or (_route_form(review) if review.is_open else None)
    suggestion = _suggestion(route_form.posted_answers()) if route_form else None
    return {
        **_person_context(request, review.person, "reviews"),
        "review": review,
        "state": _state(review, today),
        "route": _route(review.route),
        "routed": bool(review.route_reasons),
        "plan": _plan_summary(review),
        "record": _completed_record(review),
        "route_form": route_form,
        "form": route_form if route_form is not None and route_form.is_bound else None,
        "suggestion": suggestion,
        "chosen_route": _chosen_route(route_form, suggestion) if route_form else "",
    }


def _chosen_route(form: rf.RouteForm, suggestion: dict) -> str:
    """The route to show selected: the one posted or recorded if the rules still allow it, else the suggestion.
    A posted route that was only the earlier suggestion (never chosen by hand) follows the new suggestion."""
    posted = form.posted_route()
    if form.is_bound and posted == form.data.get("suggested_route"):
        posted = ""
    allowed = [r.code for r in suggestion["allowed"]]
    return posted if posted in allowed else suggestion["route"].code


@review_page
def review_detail(request, review_id: int):
    review = _review(request, review_id)
    return render(request, "reviews/review_detail.html", _detail_context(request, review))


@review_page
def review_route(request, review_id: int):
    if request.method != "POST":
        return redirect("review-detail", review_id)
    review = _review(request, review_id)
    form = _route_form(review, request.POST)
    if form.is_valid():
        try:
            saved = services.review_set_route(review=review, by=request.user, facts=form.answers(),
                                              route=form.cleaned_data["route"] or None)
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, f"Saved. Who leads this review: {_route(saved.route).label.lower()}.")
            return redirect("review-detail", review.id)
    return render(request, "reviews/review_detail.html", _detail_context(request, review, route_form=form))


@require_POST
@review_page
def review_route_suggestion(request, review_id: int):
    """The live "suggested route" panel (htmx): evaluates the posted facts, saves nothing."""
    review = _review(request, review_id)
    form = rf.RouteForm(request.POST)
    suggestion = _suggestion(form.posted_answers())
    return render(request, "reviews/_route_suggestion.html", {
        "review": review, "route_form": form, "suggestion": suggestion, "live": True,
        "chosen_route": _chosen_route(form, suggestion)})


def _earlier_steps(review: Review) -> dict[int, dict]:
    """Steps 1 to 4 to start from, for each outcome: the last completed review of this plan, else the
    assessment's support sequence (GUIDE §3.3 R7)."""
    outcomes = list(review.plan.outcomes.all())
    prefetch_related_objects(outcomes, "sequence_outcome")
    steps = {o.pk: dict(o.sequence_outcome.steps or {}) for o in outcomes if o.sequence_outcome is not None}
    # The plan's earlier reviews belong to the person opened (and logged) by review_for.
    last = (review.plan.reviews.filter(status=ReviewStatus.COMPLETED).order_by("-completed_on", "-id")
            .values_list("done_differently", flat=True).first())
    for pk, answer in ((last or {}).get("answers") or {}).items():
        if str(pk).isdigit() and (answer or {}).get("steps"):
            steps[int(pk)] = dict(answer["steps"])
    return steps


@review_page
def review_record(request, review_id: int):
    review = _review(request, review_id)
    if not review.is_open:
        messages.info(request, "This review has already been completed or cancelled.")
        return redirect("review-detail", review.id)
    form = rf.RecordForm(_posted(request), outcomes=review.plan.outcomes.all(), earlier_steps=_earlier_steps(review))
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            done = services.review_complete(
                review=review, by=request.user, outcomes=form.still_met(), result=d["result"],
                what_works=d["what_works"], what_does_not=d["what_does_not"], changes=d["changes"],
                carer_able_willing=d["carer_able_willing"], done_differently=form.sequence_answers(),
                next_review_due_on=d["next_review_due_on"])
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            if done.next_review_due_on:
                messages.success(request, f"The review has been recorded. The next review is due by "
                                          f"{done.next_review_due_on:%-d %B %Y}.")
            else:
                messages.success(request, "The review has been recorded. Support ends, so no further review is "
                                          "planned.")
            return redirect("review-detail", review.id)
    return render(request, "reviews/review_record.html", {
        **_person_context(request, review.person, "reviews"),
        "review": review,
        "state": _state(review, timezone.localdate()),
        "route": _route(review.route),
        "form": form,
        "support_ends": ReviewResult.SUPPORT_ENDS,
    })


# ---------------------------------------------------------------- overdue reviews by team and worker


@staff_required
def overdue(request):
    """Counts only (no one is named), so nothing is logged. Team leaders start with their own team."""
    staff = staff_member(request.user)
    if staff.role not in OVERDUE_ROLES:
        raise PermissionDenied("Overdue reviews by team and worker are for team leaders and senior managers. "
                               "The reviews due for the people allocated to you are on your worktray.")
    teams = list(Team.objects.filter(is_active=True).order_by("name"))
    default = staff.team_id if staff.role == Role.TEAM_LEADER else None
    form = rf.OverdueFilterForm(request.GET if "team" in request.GET else None, teams=teams,
                                initial={"team": default})
    team_id = form.cleaned_data["team"] if form.is_bound and form.is_valid() else default
    today = timezone.localdate()
    rows = selectors.overdue_by_worker(team_ids=[team_id] if team_id else None, today=today)
    keys = [key for key, *_rest in schedule.OVERDUE_BANDS]

    def total(of: list[dict]) -> dict:
        return {"total": sum(r["total"] for r in of), "bands": [sum(r[key] for r in of) for key in keys]}

    for row in rows:
        row["bands"] = [row[key] for key in keys]
    by_team: dict[int | None, dict] = {}
    for row in rows:  # already in team order
        team_rows = by_team.setdefault(row["team_id"], {"id": row["team_id"], "name": row["team__name"] or "No team",
                                                        "rows": []})
        team_rows["rows"].append(row)
    for group in by_team.values():
        group.update(total(group["rows"]))
        # The page's totals row: the team's own when only one team is shown, else the "by team" table's.
        group["totals_id"] = "overdue-totals" if len(by_team) == 1 else f"overdue-totals-{group['id']}"
    return render(request, "reviews/overdue.html", {
        "form": form if form.is_bound and form.errors else None,
        "filter_form": form,
        "rows": rows,
        "teams_shown": list(by_team.values()),
        "totals": total(rows),
        "bands": [label for _key, label, *_rest in schedule.OVERDUE_BANDS],
        "team": next((t for t in teams if t.id == team_id), None),
        "today": today,
    })
