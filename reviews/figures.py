"""Review figures for reporting: counts only, no person-level data.

Leicester's published measure (GUIDE §2.7, §6.1: "2,463 not reviewed in 12 months at year end", 2023/24):
the people who have had long-term support for over 12 months and have no review completed in the last 12
months. Here that is the people with an active care and support plan that started more than 12 months
before the day, and no review completed in the 12 months up to and including it. It is a count of people, not
of reviews, and it differs from the schedule's "overdue" (reviews.schedule: an open review past its due date):
a person reviewed 11 months ago whose next review was set for 6 months is overdue by the schedule but not
by this measure, and someone never reviewed whose plan started 10 months ago is the other way round.
"""

from __future__ import annotations

import datetime as dt

from dateutil.relativedelta import relativedelta
from django.db.models import Exists, OuterRef
from django.utils import timezone

from assessments.models import PlanStatus, SupportPlan

from .models import Review, ReviewStatus

TWELVE_MONTHS = relativedelta(months=12)


def people_overdue_leicester_definition(today: dt.date | None = None) -> int:
    """How many people have had a care and support plan active for more than 12 months on `today` with no
    review completed in the 12 months to `today` (Leicester's published "not reviewed in 12 months")."""
    today = today or timezone.localdate()
    year_ago = today - TWELVE_MONTHS
    # A count for reporting: no person's details leave this function, so no access check or log applies.
    reviewed = Review.objects.filter(
        person_id=OuterRef("person_id"), status=ReviewStatus.COMPLETED,
        completed_on__gte=year_ago, completed_on__lte=today)
    return (SupportPlan.objects.filter(status=PlanStatus.ACTIVE, starts_on__lt=year_ago)
            .filter(~Exists(reviewed)).values("person_id").distinct().count())
