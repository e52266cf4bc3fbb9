"""Reads of reviews: through the person's access check, and logged; lists through the access-checked listing."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, OuterRef, Q, Subquery
from django.utils import timezone

from carecase.audit.models import AccessAction
from carecase.people.selectors import person_for_user
from carecase.staff.models import Allocation, StaffMember

from . import schedule
from .models import OPEN_STATUSES, Review


def reviews_for(*, user, person_id: int, path: str = ""):
    person = person_for_user(user=user, person_id=person_id, resource="reviews", path=path)
    reviews = list(schedule.annotate_state(Review.objects.filter(person=person), timezone.localdate())
                   .select_related("plan", "team", "completed_by").order_by("-due_on", "-id"))
    return person, reviews


def review_for(*, user, review_id: int, path: str = "", action: str = AccessAction.VIEW) -> Review:
    review = (Review.objects.select_related("plan", "team", "completed_by", "reviewer")
              .prefetch_related("outcomes__plan_outcome", "plan__outcomes").get(pk=review_id))
    review.person = person_for_user(user=user, person_id=review.person_id, resource="review", path=path,
                                    action=action)
    return review


def reviews_needing_attention(*, worker, today: dt.date | None = None):
    """Open reviews due, due soon or overdue for the people allocated to this worker, most overdue first.
    Person details must be shown through the access-checked people listing."""
    today = today or timezone.localdate()
    people = Allocation.objects.filter(worker=worker, ended_at__isnull=True).values("person_id")
    states = schedule.state_q(schedule.OVERDUE, today) | schedule.state_q(schedule.DUE, today) | schedule.state_q(
        schedule.DUE_SOON, today)
    return (schedule.annotate_state(Review.objects.filter(states, person_id__in=people), today)
            .select_related("plan").order_by("due_on", "id"))


def overdue_by_worker(*, team_ids: list[int] | None, today: dt.date | None = None) -> list[dict]:
    """Overdue reviews per team and allocated worker, in the age bands of `schedule.OVERDUE_BANDS`: one
    grouped query. Counts only."""
    today = today or timezone.localdate()
    qs = Review.objects.filter(schedule.state_q(schedule.OVERDUE, today))
    if team_ids:
        qs = qs.filter(team_id__in=team_ids)
    bands = {}
    for key, _label, above, up_to in schedule.OVERDUE_BANDS:
        q = Q(due_on__lt=today - dt.timedelta(days=above))
        if up_to is not None:
            q &= Q(due_on__gte=today - dt.timedelta(days=up_to))
        bands[key] = Count("id", filter=q)
    # The worker who holds the person's case now (none: allocated to the team only, or not allocated).
    holder = Allocation.objects.filter(person_id=OuterRef("person_id"), ended_at__isnull=True).values("worker_id")[:1]
    rows = list(qs.annotate(worker_id=Subquery(holder)).values("team_id", "team__name", "worker_id")
                .annotate(total=Count("id"), **bands).order_by("team__name", "worker_id"))
    names = {s.id: s.full_name for s in StaffMember.objects.filter(id__in={r["worker_id"] for r in rows})
             .select_related("user")}
    for row in rows:
        row["worker_name"] = names.get(row["worker_id"], "Not allocated to a worker")
    return rows


def open_reviews():
    return Review.objects.filter(status__in=OPEN_STATUSES)
