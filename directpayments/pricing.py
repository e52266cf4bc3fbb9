"""The money of a direct payment, as pure functions (no database): golden cases in
tests/directpayments/test_pricing.py. All amounts are Decimal pounds; results are rounded to the penny, half
a penny up, once, at the end.

A weekly or 4-weekly period's amount is the net weekly amount of each price in force, for the days of the
period it covers, divided by 7: sum(net_weekly x days) / 7. The sum is exact, so there is one rounding; the SQL
of the payment run (directpayments/services.py, _REGULAR_SQL) computes the same expression and must give the
same pennies.

Monthly payments run in calendar months from the first payment: the same day each month (the 29th, 30th or
31st falls back to the month's last day when the month is shorter, and comes back the month after). A whole
month at one price pays the weekly amount x 52 / 12, rounded to the penny: £140 a week is £606.67 a month.
A month with a price change in it, or cut short by the end of the agreement, is paid for its days at each
price, as a share of the whole month: sum(net_weekly x days) x 52 / (12 x days in the whole month), again
rounded once. So 52 weeks of money are paid over 12 months, whatever the month's length.
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


def period_amount(prices: Iterable[Price], start: dt.date, end: dt.date, *, month_days: int | None = None
                  ) -> Decimal:
    """What is paid for the days `start` to `end` (inclusive) under the prices in force on each day. For a
    monthly payment, `month_days` is the number of days in the whole calendar-month period holding them."""
    if end < start:
        raise ValueError("The period ends before it starts")
    weighted = sum((p.net_weekly * _overlap(p.effective_from, p.effective_to, start, end) for p in prices),
                   start=Decimal(0))
    if month_days:
        return pennies(weighted * 52 / (12 * month_days))
    return pennies(weighted / 7)


def monthly_amount(net_weekly_amount: Decimal) -> Decimal:
    """A whole calendar month at one weekly amount: weekly x 52 / 12, to the penny."""
    return pennies(Decimal(net_weekly_amount) * 52 / 12)


# --- payment periods, for each frequency: every 7 or 28 days, or each calendar month ---------------------

MONTHLY = "monthly"
FIXED_DAYS = {"weekly": 7, "four_weekly": 28}


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day `months` later, or the last day of that month when it is shorter."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    following = dt.date(year + (month == 12), month % 12 + 1, 1)
    return min(dt.date(year, month, 1) + dt.timedelta(days=day.day - 1), following - dt.timedelta(days=1))


def nth_start(first_payment_on: dt.date, frequency: str, n: int) -> dt.date:
    """The start of the n-th period (0 is the first), counted from the first payment, never from the last
    period (so a monthly payment from the 31st keeps coming back to the 31st)."""
    if frequency == MONTHLY:
        return add_months(first_payment_on, n)
    return first_payment_on + dt.timedelta(days=FIXED_DAYS[frequency] * n)


def period_number(first_payment_on: dt.date, frequency: str, start: dt.date) -> int:
    """Which period (0 is the first) starts on `start`."""
    if frequency == MONTHLY:
        return (start.year - first_payment_on.year) * 12 + start.month - first_payment_on.month
    return (start - first_payment_on).days // FIXED_DAYS[frequency]


def whole_period_end(first_payment_on: dt.date, frequency: str, start: dt.date) -> dt.date:
    """The last day of the whole period starting on `start` (before any end of the agreement)."""
    n = period_number(first_payment_on, frequency, start)
    return nth_start(first_payment_on, frequency, n + 1) - dt.timedelta(days=1)


def regular_amount(prices: Iterable[Price], *, first_payment_on: dt.date, frequency: str, start: dt.date,
                   end: dt.date) -> Decimal:
    """The amount of one regular payment for the days `start` to `end` of a period, at any frequency."""
    if frequency == MONTHLY:
        days = (whole_period_end(first_payment_on, frequency, start) - start).days + 1
        return period_amount(prices, start, end, month_days=days)
    return period_amount(prices, start, end)


def schedule(first_payment_on: dt.date, frequency: str, *, up_to: dt.date, ends_on: dt.date | None = None,
             after: dt.date | None = None) -> list[tuple[dt.date, dt.date]]:
    """(start, end) of each period starting after `after` and on or before `up_to` (payments are made in
    advance, at the start of the period), and not after the agreement ends; the last one ends with it."""
    last = up_to if ends_on is None else min(up_to, ends_on)
    n = 0 if after is None else period_number(first_payment_on, frequency, after) + 1
    rows = []
    while (start := nth_start(first_payment_on, frequency, n)) <= last:
        end = whole_period_end(first_payment_on, frequency, start)
        rows.append((start, end if ends_on is None else min(end, ends_on)))
        n += 1
    return rows


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
