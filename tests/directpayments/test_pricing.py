"""Golden cases for the money of a direct payment (directpayments/pricing.py): pure, no database."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from directpayments import pricing
from directpayments.pricing import Price

D = dt.date
M = Decimal


@pytest.mark.parametrize(("lines", "gross"), [
    ([], M("0.00")),
    ([(M("10"), M("16.00"))], M("160.00")),
    ([(M("10.5"), M("15.87"))], M("166.64")),         # 166.635 rounds half up, per line as the plan does
    ([(M("7.25"), M("14.50")), (M("2"), M("42.00"))], M("189.13")),  # 105.125 -> 105.13, + 84.00
    ([(M("0.33"), M("19.23"))], M("6.35")),            # 6.3459 -> 6.35
])
def test_gross_weekly(lines, gross):
    assert pricing.gross_weekly(lines) == gross


@pytest.mark.parametrize(("gross", "contribution", "taken", "net"), [
    (M("160.00"), M("20.00"), M("20.00"), M("140.00")),
    (M("160.00"), M("0"), M("0.00"), M("160.00")),
    (M("160.00"), M("175.50"), M("160.00"), M("0.00")),   # never below nothing
    (M("99.99"), M("33.335"), M("33.34"), M("66.65")),
])
def test_net_weekly(gross, contribution, taken, net):
    assert pricing.net_weekly(gross, contribution) == (taken, net)


def test_net_weekly_refuses_negative_amounts():
    with pytest.raises(ValueError):
        pricing.net_weekly(M("10"), M("-1"))


ONE = [Price(D(2026, 1, 5), None, M("140.00"))]
REPRICED = [Price(D(2026, 1, 5), D(2026, 1, 18), M("140.00")), Price(D(2026, 1, 19), None, M("175.00"))]


@pytest.mark.parametrize(("prices", "start", "end", "amount"), [
    (ONE, D(2026, 1, 5), D(2026, 2, 1), M("560.00")),        # four whole weeks
    (ONE, D(2026, 1, 5), D(2026, 1, 11), M("140.00")),       # one week
    (ONE, D(2026, 1, 5), D(2026, 1, 7), M("60.00")),         # 3 days: 140 x 3 / 7
    (ONE, D(2026, 1, 5), D(2026, 1, 5), M("20.00")),         # one day
    (REPRICED, D(2026, 1, 5), D(2026, 2, 1), M("630.00")),   # 2 weeks at 140 + 2 weeks at 175
    (REPRICED, D(2026, 1, 12), D(2026, 1, 22), M("140.00") + M("100.00")),  # 7 days at 140, 4 at 175
    ([Price(D(2026, 1, 5), None, M("99.99"))], D(2026, 1, 5), D(2026, 1, 6), M("28.57")),  # 199.98/7 = 28.568
    ([Price(D(2026, 1, 5), None, M("100.01"))], D(2026, 1, 5), D(2026, 1, 9), M("71.44")),  # 500.05/7 = 71.435..
    ([Price(D(2026, 3, 1), None, M("140.00"))], D(2026, 1, 5), D(2026, 2, 1), M("0.00")),  # not yet in force
])
def test_period_amount(prices, start, end, amount):
    assert pricing.period_amount(prices, start, end) == amount


def test_period_amount_refuses_a_backwards_period():
    with pytest.raises(ValueError):
        pricing.period_amount(ONE, D(2026, 2, 1), D(2026, 1, 1))


@given(st.decimals(min_value=0, max_value=5000, places=2), st.integers(min_value=1, max_value=60))
def test_whole_weeks_are_exact(net, weeks):
    prices = [Price(D(2026, 1, 5), None, net)]
    end = D(2026, 1, 5) + dt.timedelta(days=7 * weeks - 1)
    assert pricing.period_amount(prices, D(2026, 1, 5), end) == net * weeks


@given(st.decimals(min_value=0, max_value=5000, places=2), st.integers(min_value=1, max_value=27))
def test_splitting_a_period_costs_at_most_a_penny(net, split):
    """Paying days 1..split and split+1..28 separately differs from one payment by at most a penny each side."""
    prices = [Price(D(2026, 1, 5), None, net)]
    start, cut, end = D(2026, 1, 5), D(2026, 1, 5) + dt.timedelta(days=split - 1), D(2026, 2, 1)
    whole = pricing.period_amount(prices, start, end)
    parts = pricing.period_amount(prices, start, cut) + pricing.period_amount(prices, cut + dt.timedelta(days=1), end)
    assert abs(whole - parts) <= M("0.01")


def test_period_starts_and_ends():
    assert pricing.period_starts(D(2026, 1, 5), 28, up_to=D(2026, 3, 2)) == [D(2026, 1, 5), D(2026, 2, 2),
                                                                           D(2026, 3, 2)]
    assert pricing.period_starts(D(2026, 1, 5), 28, up_to=D(2026, 3, 1)) == [D(2026, 1, 5), D(2026, 2, 2)]
    assert pricing.period_starts(D(2026, 1, 5), 7, up_to=D(2026, 3, 1), ends_on=D(2026, 1, 14)) == [
        D(2026, 1, 5), D(2026, 1, 12)]
    assert pricing.period_end(D(2026, 1, 12), 7, ends_on=D(2026, 1, 14)) == D(2026, 1, 14)
    assert pricing.period_end(D(2026, 1, 5), 28) == D(2026, 2, 1)


@pytest.mark.parametrize(("balance", "net", "proposed"), [
    (M("1120.00"), M("140.00"), None),              # exactly 8 weeks: nothing
    (M("1120.01"), M("140.00"), M("560.01")),       # just above: balance less 4 weeks
    (M("3000.00"), M("140.00"), M("2440.00")),
    (M("500.00"), M("0.00"), None),                 # nothing paid: no surplus test
    (M("2000.00"), M("166.67"), M("1333.32")),      # threshold 1333.36; contingency 666.68
])
def test_surplus(balance, net, proposed):
    found = pricing.surplus(balance, net, threshold_weeks=8, contingency_weeks=4)
    assert (found.proposed if found else None) == proposed


def test_surplus_weeks_are_configurable():
    found = pricing.surplus(M("1000.00"), M("100.00"), threshold_weeks=6, contingency_weeks=2)
    assert (found.threshold, found.contingency, found.proposed) == (M("600.00"), M("200.00"), M("800.00"))


@pytest.mark.parametrize(("day", "quarter"), [
    (D(2026, 1, 1), (D(2026, 1, 1), D(2026, 3, 31))),
    (D(2026, 5, 17), (D(2026, 4, 1), D(2026, 6, 30))),
    (D(2026, 9, 30), (D(2026, 7, 1), D(2026, 9, 30))),
    (D(2026, 12, 31), (D(2026, 10, 1), D(2026, 12, 31))),
])
def test_quarter(day, quarter):
    assert pricing.quarter(day) == quarter


# --- monthly payments: calendar months, weekly x 52 / 12 (pricing.py's module docstring) ----------------------


@pytest.mark.parametrize(("weekly", "monthly"), [
    (M("140.00"), M("606.67")),   # 7280 / 12 = 606.666..
    (M("160.00"), M("693.33")),   # 8320 / 12 = 693.333..
    (M("180.00"), M("780.00")),   # 9360 / 12 exactly
    (M("100.01"), M("433.38")),   # 5200.52 / 12 = 433.3766..
    (M("0.03"), M("0.13")),       # 1.56 / 12 = 0.13 exactly
    (M("99.99"), M("433.29")),    # 5199.48 / 12 = 433.29
    (M("0.15"), M("0.65")),       # 7.80 / 12 = 0.65
    (M("1.05"), M("4.55")),       # 54.60 / 12 = 4.55
])
def test_monthly_amount(weekly, monthly):
    assert pricing.monthly_amount(weekly) == monthly
    # A whole month of any length at one price pays the same.
    for start, end in ((D(2026, 1, 15), D(2026, 2, 14)), (D(2026, 2, 1), D(2026, 2, 28)),
                       (D(2026, 4, 1), D(2026, 4, 30))):
        days = (end - start).days + 1
        assert pricing.period_amount([Price(start, None, weekly)], start, end, month_days=days) == monthly


@pytest.mark.parametrize(("first", "n", "start"), [
    (D(2026, 1, 15), 0, D(2026, 1, 15)),
    (D(2026, 1, 15), 1, D(2026, 2, 15)),
    (D(2026, 1, 31), 1, D(2026, 2, 28)),   # February is short ...
    (D(2026, 1, 31), 2, D(2026, 3, 31)),   # ... and the 31st comes back
    (D(2026, 1, 31), 3, D(2026, 4, 30)),
    (D(2027, 12, 31), 2, D(2028, 2, 29)),  # leap year
    (D(2026, 11, 30), 2, D(2027, 1, 30)),
])
def test_monthly_period_starts_count_from_the_first_payment(first, n, start):
    assert pricing.nth_start(first, "monthly", n) == start
    assert pricing.period_number(first, "monthly", start) == n


def test_monthly_schedule_and_ends():
    assert pricing.schedule(D(2026, 1, 31), "monthly", up_to=D(2026, 4, 30)) == [
        (D(2026, 1, 31), D(2026, 2, 27)), (D(2026, 2, 28), D(2026, 3, 30)), (D(2026, 3, 31), D(2026, 4, 29)),
        (D(2026, 4, 30), D(2026, 5, 30))]
    assert pricing.schedule(D(2026, 1, 15), "monthly", up_to=D(2026, 6, 1), ends_on=D(2026, 3, 20),
                            after=D(2026, 1, 15)) == [(D(2026, 2, 15), D(2026, 3, 14)), (D(2026, 3, 15), D(2026, 3, 20))]
    assert pricing.schedule(D(2026, 1, 5), "four_weekly", up_to=D(2026, 3, 2)) == [
        (D(2026, 1, 5), D(2026, 2, 1)), (D(2026, 2, 2), D(2026, 3, 1)), (D(2026, 3, 2), D(2026, 3, 29))]


MONTHLY_REPRICED = [Price(D(2026, 1, 15), D(2026, 2, 24), M("140.00")), Price(D(2026, 2, 25), None, M("175.00"))]


@pytest.mark.parametrize(("prices", "start", "end", "amount"), [
    # 15 Feb to 14 Mar is 28 days: 10 at £140 and 18 at £175; (1400 + 3150) x 52 / (12 x 28) = 704.166..
    (MONTHLY_REPRICED, D(2026, 2, 15), D(2026, 3, 14), M("704.17")),
    (MONTHLY_REPRICED, D(2026, 1, 15), D(2026, 2, 14), M("606.67")),   # all at £140
    (MONTHLY_REPRICED, D(2026, 3, 15), D(2026, 4, 14), M("758.33")),   # all at £175: 9100 / 12
    # The agreement ends on 20 March: 6 of the 31 days from 15 March at £175: 1050 x 52 / 372 = 146.77
    (MONTHLY_REPRICED, D(2026, 3, 15), D(2026, 3, 20), M("146.77")),
])
def test_monthly_period_amount(prices, start, end, amount):
    assert pricing.regular_amount(prices, first_payment_on=D(2026, 1, 15), frequency="monthly", start=start,
                                  end=end) == amount


@given(st.integers(min_value=0, max_value=100_000).map(lambda p: M(p) / 100),
       st.dates(min_value=D(2024, 1, 1), max_value=D(2030, 12, 31)), st.integers(min_value=0, max_value=40))
def test_twelve_months_pay_52_weeks_to_within_pennies(weekly, first, n):
    prices = [Price(D(2020, 1, 1), None, weekly)]
    total = sum(pricing.regular_amount(prices, first_payment_on=first, frequency="monthly",
                                       start=pricing.nth_start(first, "monthly", k),
                                       end=pricing.whole_period_end(first, "monthly", pricing.nth_start(first, "monthly", k)))
                for k in range(n, n + 12))
    assert abs(total - weekly * 52) <= M("0.06")
