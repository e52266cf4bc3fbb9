"""Working days in England, offline: weekends and England's bank holidays (with substitute days) skipped."""

import datetime as dt

import pytest

from carecase.workdays import add_working_days, is_working_day, latest_start_for, working_days_between

D = dt.date


@pytest.mark.parametrize(("start", "days", "expected"), [
    (D(2026, 11, 18), 2, D(2026, 11, 20)),  # Wednesday -> Friday
    (D(2026, 11, 20), 2, D(2026, 11, 24)),  # Friday -> Tuesday over the weekend
    (D(2026, 11, 21), 2, D(2026, 11, 24)),  # received on a Saturday: Monday is day 1
    (D(2026, 11, 20), 0, D(2026, 11, 20)),
    (D(2026, 12, 24), 1, D(2026, 12, 29)),  # Christmas Day Fri, weekend, Boxing Day observed Mon 28
    (D(2026, 12, 24), 2, D(2026, 12, 30)),
    (D(2026, 12, 31), 1, D(2027, 1, 4)),  # New Year's Day Friday
    (D(2027, 3, 25), 1, D(2027, 3, 30)),  # Good Friday 26 March, Easter Monday 29 March 2027
    (D(2026, 4, 2), 2, D(2026, 4, 8)),  # Good Friday 3 April, Easter Monday 6 April 2026
    (D(2027, 12, 24), 1, D(2027, 12, 29)),  # Christmas and Boxing Day 2027 fall at the weekend: 27 and 28 off
])
def test_add_working_days(start, days, expected):
    assert add_working_days(start, days) == expected


def test_bank_holidays_and_weekends_are_not_working_days():
    assert not is_working_day(D(2026, 12, 28))  # Boxing Day (substitute day)
    assert not is_working_day(D(2026, 5, 25))  # Spring bank holiday
    assert not is_working_day(D(2026, 11, 22))  # Sunday
    assert is_working_day(D(2026, 11, 23))


def test_negative_days_are_refused():
    with pytest.raises(ValueError, match="0 or more"):
        add_working_days(D(2026, 1, 5), -1)


def test_working_days_between():
    assert working_days_between(D(2026, 11, 20), D(2026, 11, 24)) == 2
    assert working_days_between(D(2026, 12, 24), D(2027, 1, 4)) == 4  # 29, 30, 31 Dec and 4 Jan
    assert working_days_between(D(2026, 11, 24), D(2026, 11, 20)) == 0


@pytest.mark.parametrize("today", [D(2026, 11, 23) + dt.timedelta(days=k) for k in range(60)])
@pytest.mark.parametrize("grace", [0, 1, 2, 5, 10])
def test_latest_start_agrees_with_counting_day_by_day(today, grace):
    cutoff = latest_start_for(grace, today=today)
    for offset in range(1, 40):
        start = today - dt.timedelta(days=offset)
        assert (add_working_days(start, grace) < today) == (start <= cutoff), (start, grace, today)
