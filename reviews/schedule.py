"""When reviews fall due, and whether one is due, due soon or overdue: one definition with a queryset twin.

Dates (GUIDE §2.7; statutory guidance chapter 13):
- First review: due 8 weeks after the plan starts; it can be done from 6 weeks.
- After a completed review: due within 12 months (the reviewer may set an earlier date, never a later one);
  it can be done from 8 weeks before the due date.
- A direct payment's first review: due within 6 months of the first payment; the next within 12 months of
  each completed one, as above.
- An unplanned review: due within 10 working days of being asked for, or on an earlier date that is set.

States, for an open review on a given day (`state`, and `annotate_state` for querysets, which must agree; a
test checks them on generated data):
- overdue: the due date has passed;
- due: the review can be done now (its window has opened) and is not overdue;
- due_soon: the window has not opened yet but the due date is within 30 days;
- not_due: later than that.
Completed and cancelled reviews have the state of their status.
"""

from __future__ import annotations

import datetime as dt

from dateutil.relativedelta import relativedelta
from django.db.models import Case, CharField, Q, QuerySet, Value, When

from carecase.workdays import add_working_days

from .models import OPEN_STATUSES, ReviewStatus

FIRST_REVIEW_DUE = dt.timedelta(weeks=8)
FIRST_REVIEW_OPENS = dt.timedelta(weeks=6)
NEXT_REVIEW_WITHIN = relativedelta(months=12)
WINDOW_BEFORE_DUE = dt.timedelta(weeks=8)
DUE_SOON_DAYS = 30
UNPLANNED_WITHIN_WORKING_DAYS = 10

OVERDUE, DUE, DUE_SOON, NOT_DUE = "overdue", "due", "due_soon", "not_due"
STATE_LABELS = {OVERDUE: "Overdue", DUE: "Due", DUE_SOON: "Due soon", NOT_DUE: "Not due yet",
                ReviewStatus.COMPLETED: "Completed", ReviewStatus.CANCELLED: "Cancelled"}
STATE_TAGS = {OVERDUE: "govuk-tag--red", DUE: "govuk-tag--yellow", DUE_SOON: "govuk-tag--blue",
              NOT_DUE: "govuk-tag--grey", ReviewStatus.COMPLETED: "govuk-tag--green",
              ReviewStatus.CANCELLED: "govuk-tag--grey"}


def first_review_dates(plan_starts_on: dt.date) -> tuple[dt.date, dt.date]:
    """(window opens, due) for the first review of a plan starting on that day."""
    return plan_starts_on + FIRST_REVIEW_OPENS, plan_starts_on + FIRST_REVIEW_DUE


DIRECT_PAYMENT_FIRST_WITHIN = relativedelta(months=6)


def first_direct_payment_review_dates(first_payment_on: dt.date) -> tuple[dt.date, dt.date]:
    """(window opens, due) for the first review of a direct payment: within 6 months of the first payment;
    it can be done from 8 weeks before (GUIDE §2.8)."""
    due = first_payment_on + DIRECT_PAYMENT_FIRST_WITHIN
    return max(first_payment_on, due - WINDOW_BEFORE_DUE), due


def latest_next_review(completed_on: dt.date) -> dt.date:
    return completed_on + NEXT_REVIEW_WITHIN


def next_review_dates(completed_on: dt.date, chosen: dt.date | None = None) -> tuple[dt.date, dt.date]:
    """(window opens, due) for the review after one completed on `completed_on`; `chosen` may bring it
    forward but not past 12 months, nor before the day after completion."""
    latest = latest_next_review(completed_on)
    due = chosen or latest
    if due > latest:
        raise ValueError(f"The next review must be due by {latest:%-d %B %Y}, within 12 months")
    if due <= completed_on:
        raise ValueError("The next review must be due after the day this one was completed")
    return max(completed_on + dt.timedelta(days=1), due - WINDOW_BEFORE_DUE), due


def unplanned_due(asked_on: dt.date) -> dt.date:
    """An unplanned review is due within 10 working days of being asked for, unless an earlier date is set."""
    return add_working_days(asked_on, UNPLANNED_WITHIN_WORKING_DAYS)


def state(review, today: dt.date) -> str:
    if review.status not in OPEN_STATUSES:
        return review.status
    if review.due_on < today:
        return OVERDUE
    if review.window_opens_on <= today:
        return DUE
    if review.due_on <= today + dt.timedelta(days=DUE_SOON_DAYS):
        return DUE_SOON
    return NOT_DUE


def state_q(name: str, today: dt.date) -> Q:
    """The filter for open reviews in one state on `today` (the same rules as `state`)."""
    open_ = Q(status__in=OPEN_STATUSES)
    if name == OVERDUE:
        return open_ & Q(due_on__lt=today)
    if name == DUE:
        return open_ & Q(due_on__gte=today, window_opens_on__lte=today)
    if name == DUE_SOON:
        return open_ & Q(window_opens_on__gt=today, due_on__lte=today + dt.timedelta(days=DUE_SOON_DAYS))
    if name == NOT_DUE:
        return open_ & Q(window_opens_on__gt=today, due_on__gt=today + dt.timedelta(days=DUE_SOON_DAYS))
    raise ValueError(f"Unknown review state: {name}")


def annotate_state(queryset: QuerySet, today: dt.date) -> QuerySet:
    """The queryset twin of `state`: adds `review_state` to each row, computed by the database."""
    return queryset.annotate(review_state=Case(
        *[When(state_q(name, today), then=Value(name)) for name in (OVERDUE, DUE, DUE_SOON, NOT_DUE)],
        default="status", output_field=CharField()))


def days_overdue(review, today: dt.date) -> int:
    return max(0, (today - review.due_on).days) if review.is_open else 0


# Age bands for overdue reviews on the team leaders' view.
OVERDUE_BANDS = [  # key, label, more than this many days overdue, up to and including
    ("up_to_4_weeks", "Up to 4 weeks", 0, 28),
    ("1_to_3_months", "4 weeks to 3 months", 28, 91),
    ("3_to_6_months", "3 to 6 months", 91, 182),
    ("6_to_12_months", "6 to 12 months", 182, 365),
    ("over_12_months", "Over 12 months", 365, None),
]


def overdue_band(days: int) -> str | None:
    for key, _label, above, up_to in OVERDUE_BANDS:
        if days > above and (up_to is None or days <= up_to):
            return key
    return None
