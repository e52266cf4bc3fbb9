"""Golden cases: the section 42 decision is due 2 working days after the day of receipt (GUIDE §2.9), skipping
weekends and England's bank holidays, offline (carecase/workdays.py). The day of receipt is day 0 whatever its
time or day of the week."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.test import override_settings

from carecase.workdays import _bank_holidays, is_working_day
from safeguarding.services import decision_due_on

LONDON = ZoneInfo("Europe/London")
D = dt.date


def at(day: dt.date, hour: int = 10, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=LONDON)


GOLDEN = [
    # (received, due, why)
    (at(D(2026, 3, 2)), D(2026, 3, 4), "Monday: Wednesday"),
    (at(D(2026, 3, 5)), D(2026, 3, 9), "Thursday: over the weekend to Monday"),
    (at(D(2026, 3, 6)), D(2026, 3, 10), "Friday: Tuesday"),
    (at(D(2026, 3, 7)), D(2026, 3, 10), "Saturday: Tuesday (Monday is day 1)"),
    (at(D(2026, 3, 8)), D(2026, 3, 10), "Sunday: Tuesday"),
    (at(D(2026, 3, 2), 23, 59), D(2026, 3, 4), "late evening counts from the same day"),
    (at(D(2026, 3, 2), 0, 1), D(2026, 3, 4), "just after midnight"),
    # Easter 2026: Good Friday 3 April, Easter Monday 6 April
    (at(D(2026, 4, 1)), D(2026, 4, 7), "Wednesday before Easter: Thursday, then Tuesday after Easter Monday"),
    (at(D(2026, 4, 2)), D(2026, 4, 8), "Maundy Thursday: Tuesday 7th, Wednesday 8th"),
    (at(D(2026, 4, 3)), D(2026, 4, 8), "Good Friday itself: Tuesday 7th is day 1"),
    (at(D(2026, 4, 6)), D(2026, 4, 8), "Easter Monday: Wednesday"),
    # Christmas 2026: Friday 25 December, Boxing Day substitute Monday 28 December; New Year Friday 1 January 2027
    (at(D(2026, 12, 23)), D(2026, 12, 29), "Wednesday 23rd: Thursday 24th, then Tuesday 29th"),
    (at(D(2026, 12, 24)), D(2026, 12, 30), "Christmas Eve: Tuesday 29th, Wednesday 30th"),
    (at(D(2026, 12, 25)), D(2026, 12, 30), "Christmas Day"),
    (at(D(2026, 12, 26)), D(2026, 12, 30), "Boxing Day (a Saturday)"),
    (at(D(2026, 12, 28)), D(2026, 12, 30), "the substitute Boxing Day holiday"),
    (at(D(2026, 12, 30)), D(2027, 1, 4), "Wednesday 30th: Thursday 31st, then Monday 4 January"),
    (at(D(2026, 12, 31)), D(2027, 1, 5), "New Year's Eve: skips New Year's Day and the weekend"),
    (at(D(2027, 1, 1)), D(2027, 1, 5), "New Year's Day 2027"),
    # Easter 2027: Good Friday 26 March, Easter Monday 29 March
    (at(D(2027, 3, 24)), D(2027, 3, 30), "Wednesday 24th: Thursday 25th, then Tuesday 30th"),
    (at(D(2027, 3, 25)), D(2027, 3, 31), "Thursday before Good Friday 2027"),
    (at(D(2027, 3, 26)), D(2027, 3, 31), "Good Friday 2027"),
    (at(D(2027, 3, 29)), D(2027, 3, 31), "Easter Monday 2027"),
    # The clocks change: 29 March 2026 (spring forward), 25 October 2026 (fall back)
    (at(D(2026, 3, 27), 23, 30), D(2026, 3, 31), "Friday night before the clocks go forward"),
    (at(D(2026, 10, 23), 23, 30), D(2026, 10, 27), "Friday night before the clocks go back"),
]


@pytest.mark.parametrize(("received", "due", "why"), GOLDEN, ids=[g[2] for g in GOLDEN])
def test_golden_decision_due_dates(received, due, why):
    assert decision_due_on(received) == due, why
    assert is_working_day(due)


def test_a_receipt_given_in_utc_counts_by_its_london_day():
    # 23:30 UTC on Thursday 2 July 2026 is 00:30 on Friday 3 July in London (summer time).
    received = dt.datetime(2026, 7, 2, 23, 30, tzinfo=dt.UTC)
    assert decision_due_on(received) == D(2026, 7, 7)


def test_the_golden_holidays_are_in_the_working_day_table():
    """The cases above rely on these being England bank holidays in carecase/workdays.py's offline table."""
    expected = {D(2026, 4, 3), D(2026, 4, 6), D(2026, 12, 25), D(2026, 12, 28), D(2027, 1, 1), D(2027, 3, 26),
                D(2027, 3, 29)}
    table = _bank_holidays(2026) | _bank_holidays(2027)
    assert expected <= table
    assert D(2026, 12, 26) not in table or D(2026, 12, 26).weekday() == 5  # Saturday: its substitute is the 28th


@override_settings(SAFEGUARDING_DECISION_WORKING_DAYS=5)
def test_the_number_of_working_days_is_a_setting():
    # 24th (1), 29th (2), 30th (3), 31st (4), Monday 4 January (5)
    assert decision_due_on(at(D(2026, 12, 23))) == D(2027, 1, 4)


@override_settings(SAFEGUARDING_DECISION_WORKING_DAYS=1)
def test_one_working_day():
    assert decision_due_on(at(D(2026, 4, 2))) == D(2026, 4, 7)


def test_the_environment_variable_is_used_when_no_setting_is_given(monkeypatch, settings):
    from django.core.exceptions import ImproperlyConfigured

    if hasattr(settings, "SAFEGUARDING_DECISION_WORKING_DAYS"):
        del settings.SAFEGUARDING_DECISION_WORKING_DAYS
    monkeypatch.setenv("CARECASE_SAFEGUARDING_DECISION_WORKING_DAYS", "3")
    assert decision_due_on(at(D(2026, 3, 2))) == D(2026, 3, 5)
    monkeypatch.setenv("CARECASE_SAFEGUARDING_DECISION_WORKING_DAYS", "two")
    with pytest.raises(ImproperlyConfigured):
        decision_due_on(at(D(2026, 3, 2)))
