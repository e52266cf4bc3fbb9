"""The money of a direct payment, as pure functions (no database): golden cases in
tests/directpayments/test_pricing.py. All amounts are Decimal pounds; results are rounded to the penny, half
a penny up, once, at the end.

A period's amount is the net weekly amount of each price in force, for the days of the period it covers,
divided by 7: sum(net_weekly x days) / 7. The sum is exact, so there is one rounding; the SQL of the payment
run (directpayments/runs.py) computes the same expression and must give the same pennies.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

PENNY = Decimal("0.01")
ZERO = Decimal("0.00")


def pennies(amount: Decimal) -> Decimal:
    return Decimal(amount).quantize(PENNY, rounding=ROUND_HALF_UP)


def line_weekly(units_per_week: Decimal, unit_cost: Decimal) -> Decimal:
    """One service line's weekly cost, rounded as the plan rounds it (assessments ServiceLine.weekly_cost)."""
    return pennies(Decimal(units_per_week) * Decimal(unit_cost))


def gross_weekly(lines: Iterable[tuple[Decimal, Decimal]]) -> Decimal:
    """The weekly direct payment before the contribution: the sum of the direct payment lines' weekly costs."""
    return sum((line_weekly(units, cost) for units, cost in lines), start=ZERO)


def net_weekly(gross: Decimal, contribution: Decimal) -> tuple[Decimal, Decimal]:
    """(the contribution taken, the net weekly payment). The contribution is taken from the direct payment
    and never makes it negative: a contribution above the gross amount takes it to nothing."""
    if contribution < 0 or gross < 0:
        raise ValueError("Amounts cannot be negative")
    taken = min(pennies(contribution), pennies(gross))
    return taken, pennies(gross) - taken


@dataclass(frozen=True)
class Price:
    effective_from: dt.date
    effective_to: dt.date | None
    net_weekly: Decimal


def _overlap(a_start: dt.date, a_end: dt.date | None, b_start: dt.date, b_end: dt.date) -> int:
    start = max(a_start, b_start)
    end = b_end if a_end is None else min(a_end, b_end)
    return max((end - start).days + 1, 0)


def period_amount(prices: Iterable[Price], start: dt.date, end: dt.date) -> Decimal:
    """What is paid for the days `start` to `end` (inclusive) under the prices in force on each day."""
    if end < start:
        raise ValueError("The period ends before it starts")
    weighted = sum((p.net_weekly * _overlap(p.effective_from, p.effective_to, start, end) for p in prices),
                   start=Decimal(0))
    return pennies(weighted / 7)


def period_starts(first_payment_on: dt.date, period_days: int, *, up_to: dt.date,
                  ends_on: dt.date | None = None) -> list[dt.date]:
    """The start of each payment period from the first payment, every `period_days`, up to and including
    `up_to` (payments are made in advance, at the start of the period), and not after the agreement ends."""
    last = up_to if ends_on is None else min(up_to, ends_on)
    starts, day = [], first_payment_on
    while day <= last:
        starts.append(day)
        day += dt.timedelta(days=period_days)
    return starts


def period_end(start: dt.date, period_days: int, ends_on: dt.date | None = None) -> dt.date:
    end = start + dt.timedelta(days=period_days - 1)
    return end if ends_on is None else min(end, ends_on)


@dataclass(frozen=True)
class Surplus:
    closing_balance: Decimal
    threshold: Decimal  # the balance above which a surplus is proposed for recovery
    contingency: Decimal  # what is left in the account
    proposed: Decimal  # the balance less the contingency


def surplus(closing_balance: Decimal, net_weekly_amount: Decimal, *, threshold_weeks: int,
            contingency_weeks: int) -> Surplus | None:
    """A balance above `threshold_weeks` of net payments proposes recovering the balance less
    `contingency_weeks` of net payments; otherwise None. At the threshold exactly, nothing is proposed."""
    threshold = pennies(net_weekly_amount * threshold_weeks)
    if closing_balance <= threshold or net_weekly_amount <= 0:
        return None
    contingency = pennies(net_weekly_amount * contingency_weeks)
    return Surplus(closing_balance=pennies(closing_balance), threshold=threshold, contingency=contingency,
                   proposed=pennies(closing_balance) - contingency)


def quarter(day: dt.date) -> tuple[dt.date, dt.date]:
    """The calendar quarter holding `day` (April to June, July to September, ...): its first and last day."""
    first_month = 3 * ((day.month - 1) // 3) + 1
    start = dt.date(day.year, first_month, 1)
    following = dt.date(day.year + (first_month == 10), (first_month + 2) % 12 + 1, 1)
    return start, following - dt.timedelta(days=1)
