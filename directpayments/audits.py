"""The financial audit schedule of a direct payment account (GUIDE §2.8, local policy such as Wokingham's
yearly check): the first audit is due 3 months after the first payment, then 12 months after the last one
done. Due means within the next 30 days; overdue means the date has passed. The same rule is written once in
Python (for one agreement's page) and once in SQL (for the dashboard's list), and a test checks they agree.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import DateField, F, Func, Max, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce

from . import pricing

FIRST_AFTER_MONTHS = 3
THEN_EVERY_MONTHS = 12
DUE_SOON_DAYS = 30


@dataclass(frozen=True)
class AuditDue:
    due_on: dt.date
    state: str  # "overdue", "due" (within 30 days) or "scheduled"
    first: bool

    @property
    def label(self) -> str:
        return {"overdue": "Overdue", "due": "Due soon", "scheduled": "Scheduled"}[self.state]


def next_audit(*, first_payment_on: dt.date | None, last_done_on: dt.date | None, today: dt.date) -> AuditDue | None:
    """When the next financial audit is due, or None before payments start."""
    if first_payment_on is None:
        return None
    if last_done_on is None:
        due, first = pricing.add_months(first_payment_on, FIRST_AFTER_MONTHS), True
    else:
        due, first = pricing.add_months(last_done_on, THEN_EVERY_MONTHS), False
    state = "overdue" if due < today else "due" if due <= today + dt.timedelta(days=DUE_SOON_DAYS) else "scheduled"
    return AuditDue(due_on=due, state=state, first=first)


class _AddMonths(Func):
    """date + n months, the month's last day when it is shorter (as pricing.add_months)."""

    output_field = DateField()

    def __init__(self, expression, months: int):
        super().__init__(expression, template=f"(%(expressions)s + interval '{int(months)} months')::date")


def with_audit_due(agreements: QuerySet) -> QuerySet:
    """The agreements annotated with `audit_due_on` (NULL before payments start)."""
    from .models import FinancialAudit

    last = FinancialAudit.objects.filter(agreement=OuterRef("pk")).values("agreement").annotate(
        last=Max("done_on")).values("last")
    return agreements.annotate(last_audit_on=Subquery(last, output_field=DateField())).annotate(
        audit_due_on=Coalesce(_AddMonths(F("last_audit_on"), THEN_EVERY_MONTHS),
                              _AddMonths(F("first_payment_on"), FIRST_AFTER_MONTHS)))
