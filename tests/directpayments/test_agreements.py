"""Agreements on the real database: set-up, the lifecycle with its history, activation joining the reviews
schedule, repricing from a plan change's effective date, one-off payments and misuse concerns."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from directpayments import services as dps
from directpayments.models import (
    AgreementStatus,
    DirectPaymentAgreement,
    Payment,
    PaymentKind,
    PricePeriod,
    RecipientKind,
)
from reviews.models import Review, ReviewKind, Topic

from .conftest import D, M, make_dp_plan, set_up

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("on_2_march_2026")]


def test_set_up_prices_from_the_plans_direct_payment_lines(dp_officer, person, practitioner, team_leader):
    plan = make_dp_plan(person, practitioner, team_leader, commissioned_hours="5")  # part direct payment
    agreement = set_up(plan, dp_officer)
    assert agreement.status == AgreementStatus.SET_UP
    assert agreement.recipient_name == "Mohan Patel" and agreement.payee_reference == f"DP{agreement.pk:07d}"
    (price,) = agreement.prices.all()
    # Only the direct payment line (10 h x £16) counts; the commissioned home care does not.
    assert (price.gross_weekly, price.contribution_weekly, price.net_weekly) == (M("160.00"), M("20.00"),
                                                                               M("140.00"))
    assert [(c.from_status, c.to_status, c.by_id) for c in agreement.status_changes.all()] == [
        ("", AgreementStatus.SET_UP, dp_officer.user_id)]
    assert agreement.officer_id == dp_officer.user_id


def test_authorised_person_needs_the_capacity_decision(dp_plan, dp_officer):
    with pytest.raises(ValidationError) as err:
        set_up(dp_plan, dp_officer, recipient_kind=RecipientKind.AUTHORISED, recipient_name="Asha Patel")
    assert set(err.value.message_dict) == {"capacity_decided_on", "capacity_decided_by", "capacity_summary"}
    agreement = set_up(dp_plan, dp_officer, recipient_kind=RecipientKind.AUTHORISED, recipient_name="Asha Patel",
                       recipient_relationship="Daughter", capacity_decided_on=D(2026, 1, 2),
                       capacity_decided_by="Dr R. Shah, GP",
                       capacity_summary="Mohan cannot weigh up managing the money; Asha holds a lasting power of "
                                        "attorney for property and financial affairs")
    assert agreement.recipient_name == "Asha Patel"
    # The database refuses an authorised person without the decision too.
    with pytest.raises(IntegrityError), transaction.atomic():
        DirectPaymentAgreement.objects.filter(pk=agreement.pk).update(capacity_summary="")


def test_nominated_person_must_be_named(dp_plan, dp_officer):
    with pytest.raises(ValidationError, match="name of the person who will receive"):
        set_up(dp_plan, dp_officer, recipient_kind=RecipientKind.NOMINATED)


def test_set_up_needs_an_active_plan_with_a_direct_payment_line(dp_officer, person, practitioner, team_leader):
    from tests.reviews.conftest import make_active_plan

    plan = make_active_plan(person, practitioner, team_leader)  # commissioned home care only
    with pytest.raises(ValidationError, match="no service paid by direct payment"):
        set_up(plan, dp_officer)


def test_one_live_agreement_per_plan(agreement, dp_plan, dp_officer):
    with pytest.raises(ValidationError, match="already has a direct payment agreement"):
        set_up(dp_plan, dp_officer)


def test_other_team_cannot_set_up(dp_plan, other_practitioner):
    from carecase.audit.access import ReasonRequired

    with pytest.raises(ReasonRequired):
        dps.agreement_set_up(plan=dp_plan, by=other_practitioner.user, starts_on=D(2026, 1, 5),
                             account_type="own_bank")


def test_activation_schedules_the_first_direct_payment_review(agreement):
    review = Review.objects.get(plan=agreement.plan, topic=Topic.DIRECT_PAYMENT)
    assert review.kind == ReviewKind.DIRECT_PAYMENT_FIRST and review.due_on == D(2026, 7, 5)
    assert agreement.status == AgreementStatus.ACTIVE and agreement.first_payment_on == D(2026, 1, 5)


def test_lifecycle_keeps_who_when_and_why(agreement, dp_officer):
    dps.agreement_change_status(agreement=agreement, by=dp_officer.user, to_status=AgreementStatus.SUSPENDED,
                                reason="In hospital since 20 February")
    dps.agreement_change_status(agreement=agreement, by=dp_officer.user, to_status=AgreementStatus.ACTIVE,
                                reason="Home again")
    ended = dps.agreement_change_status(agreement=agreement, by=dp_officer.user, to_status=AgreementStatus.ENDED,
                                        reason="Moved to arranged services", ends_on=D(2026, 3, 31))
    assert ended.ends_on == D(2026, 3, 31)
    assert [(c.from_status, c.to_status, c.reason) for c in ended.status_changes.all()] == [
        ("", "set_up", "Agreement set up"), ("set_up", "active", "Agreement signed; payments start"),
        ("active", "suspended", "In hospital since 20 February"), ("suspended", "active", "Home again"),
        ("active", "ended", "Moved to arranged services")]
    with pytest.raises(ValidationError, match="cannot be changed"):
        dps.agreement_change_status(agreement=ended, by=dp_officer.user, to_status=AgreementStatus.ACTIVE,
                                    reason="Again")


def test_status_change_needs_a_reason(agreement, dp_officer):
    with pytest.raises(ValidationError) as err:
        dps.agreement_change_status(agreement=agreement, by=dp_officer.user, to_status="suspended", reason=" ")
    assert "reason" in err.value.message_dict


def test_history_is_kept_by_triggers(agreement, dp_officer):
    from django.apps import apps

    dps.agreement_change_status(agreement=agreement, by=dp_officer.user, to_status="suspended", reason="Audit")
    events = apps.get_model("directpayments", "DirectPaymentAgreementEvent").objects.filter(pgh_obj_id=agreement.pk)
    assert "suspended" in {e.status for e in events}


def test_reprice_from_the_effective_date_adjusts_a_paid_period(agreement, dp_officer, finance_officer, person,
                                                                practitioner, team_leader):
    run = dps.payment_run(run_on=D(2026, 1, 5), by=finance_officer.user)
    (paid,) = run.payments.all()
    assert (paid.period_start, paid.period_end, paid.amount) == (D(2026, 1, 5), D(2026, 2, 1), M("560.00"))
    # The plan changes from Monday 19 January: 12.5 hours at £16 = £200 gross, £180 net.
    new_plan = make_dp_plan(person, practitioner, team_leader, hours="12.5", starts_on=D(2026, 1, 19))
    dps.agreement_reprice(agreement=agreement, by=dp_officer.user, effective_from=D(2026, 1, 19),
                          reason="More personal assistant hours after the review", plan=new_plan)
    prices = list(PricePeriod.objects.filter(agreement=agreement).order_by("effective_from"))
    assert [(p.effective_from, p.effective_to, p.net_weekly) for p in prices] == [
        (D(2026, 1, 5), D(2026, 1, 18), M("140.00")), (D(2026, 1, 19), None, M("180.00"))]
    # Two weeks of the paid period were at the old price: 2 x £40 more is owed.
    (adjustment,) = Payment.objects.filter(agreement=agreement, kind=PaymentKind.ADJUSTMENT)
    assert adjustment.amount == M("80.00") and adjustment.run_id is None
    # The next run (today) pays the periods since at the new price, and the adjustment.
    run2 = dps.payment_run(run_on=D(2026, 3, 2), by=finance_officer.user)
    assert sorted((p.kind, p.period_start, p.amount) for p in run2.payments.all()) == [
        ("adjustment", None, M("80.00")), ("regular", D(2026, 2, 2), M("720.00")),
        ("regular", D(2026, 3, 2), M("720.00"))]
    assert run2.total == M("1520.00")
    agreement.refresh_from_db()
    assert agreement.plan_id == new_plan.pk


def test_reprice_down_takes_back_an_overpayment(agreement, dp_officer, finance_officer, dp_plan):
    dps.payment_run(run_on=D(2026, 1, 5), by=finance_officer.user)
    dps.agreement_reprice(agreement=agreement, by=dp_officer.user, effective_from=D(2026, 1, 26),
                          reason="Contribution reassessed", contribution_weekly=M("55.00"))
    (adjustment,) = Payment.objects.filter(agreement=agreement, kind=PaymentKind.ADJUSTMENT)
    assert adjustment.amount == M("-35.00")  # one week at £105 instead of £140


def test_reprice_before_any_payment_needs_no_adjustment(dp_plan, dp_officer):
    agreement = set_up(dp_plan, dp_officer)
    dps.agreement_reprice(agreement=agreement, by=dp_officer.user, effective_from=D(2026, 1, 5),
                          reason="Contribution corrected", contribution_weekly=M("0"))
    assert [p.net_weekly for p in agreement.prices.all()] == [M("160.00")]
    assert not Payment.objects.filter(agreement=agreement).exists()


def test_one_off_payments(agreement, dp_officer):
    startup = dps.payment_one_off_add(agreement=agreement, by=dp_officer.user, kind=PaymentKind.START_UP,
                                      amount=M("250.00"), due_on=D(2026, 1, 5),
                                      reason="Employer's liability insurance and payroll set-up")
    assert startup.run_id is None
    with pytest.raises(ValidationError) as err:
        dps.payment_one_off_add(agreement=agreement, by=dp_officer.user, kind=PaymentKind.CONTINGENCY,
                                amount=M("-10"), due_on=D(2026, 1, 5), reason="")
    assert set(err.value.message_dict) == {"amount", "reason"}
    with pytest.raises(ValidationError, match="pounds and pence"):
        dps.payment_one_off_add(agreement=agreement, by=dp_officer.user, kind=PaymentKind.ADJUSTMENT,
                                amount=M("1.005"), due_on=D(2026, 1, 5), reason="Rounding")


def test_schedule_shows_the_next_payments(agreement):
    assert dps.payment_schedule(agreement, count=2) == [
        {"period_start": D(2026, 1, 5), "period_end": D(2026, 2, 1), "amount": M("560.00")},
        {"period_start": D(2026, 2, 2), "period_end": D(2026, 3, 1), "amount": M("560.00")}]


def test_misuse_concern_opens_an_unplanned_direct_payment_review(agreement, dp_officer):
    review = dps.misuse_concern_raise(agreement=agreement, by=dp_officer.user,
                                      reason="Statements show cash withdrawals not in the plan")
    assert review.topic == Topic.DIRECT_PAYMENT
    assert review.due_on < D(2026, 7, 5)  # brought forward from the first review
    assert "cash withdrawals" in review.request_reason
    assert Review.objects.filter(plan=agreement.plan, topic=Topic.DIRECT_PAYMENT).count() == 1


def test_misuse_concern_needs_a_reason(agreement, dp_officer):
    with pytest.raises(ValidationError):
        dps.misuse_concern_raise(agreement=agreement, by=dp_officer.user, reason="")


def test_amounts_are_decimal_pennies(agreement):
    price = agreement.prices.get()
    assert isinstance(price.net_weekly, Decimal) and price.net_weekly.as_tuple().exponent == -2
