"""Working days in England: Monday to Friday, not an England bank holiday.

Offline: the bank holidays come from the `holidays` package's tables (England's holidays, including
substitute days such as Boxing Day observed on Monday 28 December 2026), never from a web service. Used for
"allocate urgent entries within 2 working days" and "overdue after N working days" on waiting lists, and for
the working-day timescales of later parts (safeguarding decisions).
"""

from __future__ import annotations

import datetime as dt
import functools

import holidays


@functools.lru_cache(maxsize=64)
def _bank_holidays(year: int) -> frozenset[dt.date]:
    return frozenset(holidays.country_holidays("GB", subdiv="ENG", years=[year]).keys())


def is_working_day(day: dt.date) -> bool:
    return day.weekday() < 5 and day not in _bank_holidays(day.year)


def add_working_days(start: dt.date, days: int) -> dt.date:
    """The `days`-th working day after `start` (the day of `start` itself is day 0, whatever day it is):
    "within 2 working days" of a Friday or a Saturday is the following Tuesday, skipping any bank holiday."""
    if days < 0:
        raise ValueError("days must be 0 or more")
    day = start
    while days:
        day += dt.timedelta(days=1)
        if is_working_day(day):
            days -= 1
    return day


def working_days_between(start: dt.date, end: dt.date) -> int:
    """Working days after `start` up to and including `end` (0 when `end` is not after `start`)."""
    count, day = 0, start
    while day < end:
        day += dt.timedelta(days=1)
        if is_working_day(day):
            count += 1
    return count


def latest_start_for(deadline_days: int, *, today: dt.date) -> dt.date:
    """The latest start date whose `deadline_days`-working-day deadline has already passed by `today`:
    anything that started on or before it is late today (add_working_days(start, n) < today). Lets a
    database query ask "late?" as `start <= this date` instead of counting working days per row."""
    day = today - dt.timedelta(days=1)
    while add_working_days(day, deadline_days) >= today:
        day -= dt.timedelta(days=1)
    return day
