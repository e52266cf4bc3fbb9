"""A plan change reprices the direct payment from its effective date, by itself: assessments send
plan_services_changed when a plan is approved (a new plan replacing the old one after a review), and
directpayments/apps.py connects directpayments.services.follow_plan_change to it, in the same transaction.
Golden amounts before and after the effective date, and payment runs across the change, on the real database.
Also monthly payments through the run (the SQL must give pricing.py's pennies)."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import pytest

from assessments import services as s
from assessments.models import PlanStatus
from carecase import codes
from directpayments import exports, pricing, selectors
from directpayments import services as dps
from directpayments.models import Payment, PaymentKind, PricePeriod
from tests.assessments.test_plan_services import planned

from .conftest import D, M, active_agreement, make_dp_plan

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("on_2_march_2026")]


def approved_plan(person, practitioner, approver, *, starts_on, lines, contribution="20.00"):
    """A plan approved from `starts_on` with direct payment lines (hours, starts_on, ends_on) at £16 an hour
    and, with `lines` empty, only commissioned home care."""
    plan = planned(person, practitioner)
    for hours, line_start, line_end in lines or [(None, starts_on, None)]:
        dp = hours is not None
        s.service_line_add(plan=plan, by=practitioner.user, service_type=codes.ServiceType.LTS_COMMUNITY,
                           component=codes.ServiceComponent.PERSONAL_ASSISTANT if dp
                           else codes.ServiceComponent.HOME_CARE,
                           units_per_week=Decimal(hours or "5"), unit=codes.ServiceUnit.HOUR,
                           unit_cost=Decimal("16.00"),
                           delivery_mechanism=codes.DeliveryMechanism.DIRECT_PAYMENT if dp
                           else codes.DeliveryMechanism.COMMISSIONED,
                           starts_on=line_start, ends_on=line_end, outcome=plan.outcomes.first())
    s.plan_set_contribution(plan=plan, by=practitioner.user, weekly=Decimal(contribution))
    request = s.plan_request_approval(plan=plan, by=practitioner.user)
    s.approval_decide(request=request, by=approver.user, approve=True, starts_on=starts_on)
    plan.refresh_from_db()
    return plan


def prices(agreement):
    return [(p.effective_from, p.effective_to, p.net_weekly)
            for p in PricePeriod.objects.filter(agreement=agreement).order_by("effective_from")]


def adjustments(agreement):
    return list(Payment.objects.filter(agreement=agreement, kind=PaymentKind.ADJUSTMENT)
                .order_by("id").values_list("amount", flat=True))


def test_a_new_plan_reprices_the_agreement_from_its_start_and_the_agreement_follows_it(
        agreement, dp_officer, finance_officer, person, practitioner, team_leader, dp_plan):
    run = dps.payment_run(run_on=D(2026, 1, 5), by=finance_officer.user)
    assert [p.amount for p in run.payments.all()] == [M("560.00")]
    # After a review the new plan from Monday 19 January has 12.5 hours (£200 gross, £180 net). Approving it is
    # all anyone does: the agreement is repriced in the same transaction.
    new_plan = make_dp_plan(person, practitioner, team_leader, hours="12.5", starts_on=D(2026, 1, 19))
    agreement.refresh_from_db()
    assert agreement.plan_id == new_plan.pk != dp_plan.pk
    assert prices(agreement) == [(D(2026, 1, 5), D(2026, 1, 18), M("140.00")), (D(2026, 1, 19), None, M("180.00"))]
    last = PricePeriod.objects.get(agreement=agreement, effective_from=D(2026, 1, 19))
    assert last.reason.startswith(f"Plan {new_plan.pk} replaced plan {dp_plan.pk}")
    assert last.created_by == team_leader.user
    # Before the effective date £140 a week, after it £180; the paid period is put right by £80 (2 x £40).
    assert dps.current_price(agreement, D(2026, 1, 18)).net_weekly == M("140.00")
    assert dps.current_price(agreement, D(2026, 1, 19)).net_weekly == M("180.00")
    assert adjustments(agreement) == [M("80.00")]
    assert [r["amount"] for r in dps.payment_schedule(agreement)] == [M("720.00")] * 3
    # The run across the change pays the new price and the adjustment, once.
    run2 = dps.payment_run(run_on=D(2026, 3, 2), by=finance_officer.user)
    assert sorted((p.kind, p.period_start, p.amount) for p in run2.payments.all()) == [
        ("adjustment", None, M("80.00")), ("regular", D(2026, 2, 2), M("720.00")),
        ("regular", D(2026, 3, 2), M("720.00"))]
    assert run2.total == M("1520.00")
    # The manual "Reprice" for corrections still works, and repricing the same thing again owes nothing more.
    dps.agreement_reprice(agreement=agreement, by=dp_officer.user, effective_from=D(2026, 1, 19),
                          reason="Checked against the plan", plan=new_plan)
    assert adjustments(agreement) == [M("80.00")]


def test_a_change_inside_an_unpaid_period_is_priced_by_the_days(agreement, finance_officer, person, practitioner,
                                                                 team_leader):
    dps.payment_run(run_on=D(2026, 1, 5), by=finance_officer.user)
    # Fewer hours from Monday 16 February, half way through the period from 2 February: 7.5 x £16 - £20 = £100.
    make_dp_plan(person, practitioner, team_leader, hours="7.5", starts_on=D(2026, 2, 16))
    agreement.refresh_from_db()
    assert prices(agreement) == [(D(2026, 1, 5), D(2026, 2, 15), M("140.00")), (D(2026, 2, 16), None, M("100.00"))]
    assert adjustments(agreement) == []
    run = dps.payment_run(run_on=D(2026, 3, 2), by=finance_officer.user)
    assert sorted((p.period_start, p.period_end, p.amount) for p in run.payments.all()) == [
        (D(2026, 2, 2), D(2026, 3, 1), M("480.00")),   # 2 weeks at £140 + 2 weeks at £100
        (D(2026, 3, 2), D(2026, 3, 29), M("400.00"))]


def test_direct_payment_lines_starting_and_ending_inside_the_new_plan_each_reprice(
        agreement, finance_officer, person, practitioner, team_leader):
    # From 2 February the new plan has 10 hours, 5 more hours from 16 February, and the 10 hours end on 1 March.
    approved_plan(person, practitioner, team_leader, starts_on=D(2026, 2, 2), lines=[
        ("10", D(2026, 2, 2), D(2026, 3, 1)), ("5", D(2026, 2, 16), None)])
    assert prices(agreement) == [
        (D(2026, 1, 5), D(2026, 2, 15), M("140.00")),   # 2 February: the same price, no new period
        (D(2026, 2, 16), D(2026, 3, 1), M("220.00")),   # 15 hours: £240 - £20
        (D(2026, 3, 2), None, M("60.00"))]              # 5 hours: £80 - £20
    run = dps.payment_run(run_on=D(2026, 3, 2), by=finance_officer.user)
    assert sorted((p.period_start, p.amount) for p in run.payments.all()) == [
        (D(2026, 1, 5), M("560.00")), (D(2026, 2, 2), M("720.00")), (D(2026, 3, 2), M("240.00"))]


def test_an_unchanged_price_only_moves_the_agreement_to_the_new_plan(agreement, person, practitioner, team_leader):
    new_plan = make_dp_plan(person, practitioner, team_leader, starts_on=D(2026, 2, 2))
    agreement.refresh_from_db()
    assert agreement.plan_id == new_plan.pk
    assert prices(agreement) == [(D(2026, 1, 5), None, M("140.00"))]


def test_a_new_plan_without_direct_payment_services_leaves_the_agreement(agreement, dp_plan, person, practitioner,
                                                                       team_leader):
    approved_plan(person, practitioner, team_leader, starts_on=D(2026, 2, 2), lines=[])
    agreement.refresh_from_db()
    assert agreement.plan_id == dp_plan.pk
    assert prices(agreement) == [(D(2026, 1, 5), None, M("140.00"))]


def test_a_plan_change_before_the_agreement_starts_reprices_from_the_agreement_start(
        dp_officer, person, practitioner, team_leader, dp_plan):
    agreement = active_agreement(dp_plan, dp_officer, starts_on=D(2026, 2, 2), first_payment_on=D(2026, 2, 2))
    make_dp_plan(person, practitioner, team_leader, hours="12.5", starts_on=D(2026, 1, 19))
    assert prices(agreement) == [(D(2026, 2, 2), None, M("180.00"))]


def test_two_repricings_of_a_paid_period_are_not_counted_twice(agreement, dp_officer, finance_officer, dp_plan):
    dps.payment_run(run_on=D(2026, 1, 5), by=finance_officer.user)   # 5 January to 1 February, £560
    dps.agreement_reprice(agreement=agreement, by=dp_officer.user, effective_from=D(2026, 1, 19),
                          reason="Contribution reassessed", contribution_weekly=M("90.00"))   # £70 a week
    dps.agreement_reprice(agreement=agreement, by=dp_officer.user, effective_from=D(2026, 1, 26),
                          reason="Contribution corrected", contribution_weekly=M("60.00"))    # £100 a week
    # Owed for the period: 2 x £140 + £70 + £100 = £450; paid £560: £110 back in all.
    assert adjustments(agreement) == [M("-140.00"), M("30.00")]
    assert sum(adjustments(agreement)) == M("-110.00")


def test_the_approval_and_the_repricing_commit_or_fail_together(agreement, person, practitioner, team_leader,
                                                               monkeypatch, dp_plan):
    def broken(**kwargs):
        raise RuntimeError("repricing failed")

    monkeypatch.setattr(dps, "follow_plan_change", broken)
    with pytest.raises(RuntimeError):
        make_dp_plan(person, practitioner, team_leader, hours="12.5", starts_on=D(2026, 1, 19))
    assert not person.support_plans.filter(status=PlanStatus.ACTIVE).exclude(pk=dp_plan.pk).exists()


# --- monthly payments through the database ---------------------------------------------------------------------


def test_monthly_payments_run_in_calendar_months(dp_plan, dp_officer, finance_officer, person, practitioner,
                                                 team_leader):
    agreement = active_agreement(dp_plan, dp_officer, frequency="monthly", first_payment_on=D(2026, 1, 31))
    run = dps.payment_run(run_on=D(2026, 2, 28), by=finance_officer.user)
    assert sorted((p.period_start, p.period_end, p.amount) for p in run.payments.all()) == [
        (D(2026, 1, 31), D(2026, 2, 27), M("606.67")), (D(2026, 2, 28), D(2026, 3, 30), M("606.67"))]
    # The plan changes from Wednesday 25 February (£180 net): the paid month from 31 January has 3 days at the new
    # price out of 28; the month from 28 February is all at the new price.
    make_dp_plan(person, practitioner, team_leader, hours="12.5", starts_on=D(2026, 2, 25))
    # (140 x 25 + 180 x 3) x 52 / (12 x 28) = 625.24 owed for the first month, 606.67 paid; 780.00 for the second.
    assert adjustments(agreement) == [M("625.24") - M("606.67") + M("780.00") - M("606.67")]
    assert [(r["period_start"], r["amount"]) for r in dps.payment_schedule(agreement, count=2)] == [
        (D(2026, 3, 31), M("780.00")), (D(2026, 4, 30), M("780.00"))]


def test_the_run_prices_monthly_periods_as_pricing_does(dp_plan, dp_officer, finance_officer):
    agreement = active_agreement(dp_plan, dp_officer, frequency="monthly", first_payment_on=D(2026, 1, 30))
    for day, contribution in ((D(2026, 2, 11), "13.37"), (D(2026, 4, 3), "41.01"), (D(2026, 4, 9), "0")):
        dps.agreement_reprice(agreement=agreement, by=dp_officer.user, effective_from=day, reason="Test",
                              contribution_weekly=M(contribution))
    dps.agreement_change_status(agreement=agreement, by=dp_officer.user, to_status="ended", reason="Moved away",
                                ends_on=D(2026, 6, 17))
    agreement.refresh_from_db()
    expected = [(start, end, pricing.regular_amount(dps._prices(agreement), first_payment_on=D(2026, 1, 30),
                                                    frequency="monthly", start=start, end=end))
                for start, end in pricing.schedule(D(2026, 1, 30), "monthly", up_to=D(2026, 7, 1),
                                                   ends_on=D(2026, 6, 17))]
    assert expected[-1][:2] == (D(2026, 5, 30), D(2026, 6, 17))
    assert len(expected) == 5
    # Pay them: an ended agreement is not in the run, so put it back to active for the comparison.
    type(agreement).objects.filter(pk=agreement.pk).update(status="active")
    run = dps.payment_run(run_on=D(2026, 7, 1), by=finance_officer.user)
    assert sorted((p.period_start, p.period_end, p.amount) for p in run.payments.all()) == expected


def test_the_finance_file_says_how_often_a_regular_payment_is_made(dp_plan, dp_officer, finance_officer):
    agreement = active_agreement(dp_plan, dp_officer, frequency="monthly", first_payment_on=D(2026, 1, 31))
    dps.payment_one_off_add(agreement=agreement, by=dp_officer.user, kind="start_up", amount=M("250.00"),
                            due_on=D(2026, 1, 31), reason="Payroll set-up")
    run = dps.payment_run(run_on=D(2026, 1, 31), by=finance_officer.user)
    rows = list(csv.DictReader(io.StringIO(exports.run_csv(run, selectors.run_payments_export(
        user=finance_officer.user, run=run)))))
    assert [(r["payment_kind"], r["amount"], r["frequency"]) for r in rows] == [
        ("start_up", "250.00", ""), ("regular", "606.67", "monthly"), ("", "856.67", "")]


def test_later_prices_from_the_old_plan_go_when_a_new_plan_replaces_it(agreement, dp_officer, person, practitioner,
                                                                       team_leader):
    dps.agreement_reprice(agreement=agreement, by=dp_officer.user, effective_from=D(2026, 4, 6),
                          reason="Contribution rises in April", contribution_weekly=M("40.00"))
    # The new plan from 2 March keeps £140 a week: the April price of the old plan no longer stands.
    make_dp_plan(person, practitioner, team_leader, starts_on=D(2026, 3, 2))
    assert prices(agreement) == [(D(2026, 1, 5), D(2026, 3, 1), M("140.00")), (D(2026, 3, 2), None, M("140.00"))]
