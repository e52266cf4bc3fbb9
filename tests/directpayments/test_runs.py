"""Payment runs on the real database: which periods are paid and how much, idempotent (twice, and two at once),
suspended agreements skipped and listed, one-off payments, and the finance file."""

from __future__ import annotations

import csv
import io

import pytest
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction

from carecase.audit.models import AccessAction, RecordAccessEvent
from directpayments import exports, selectors
from directpayments import services as dps
from directpayments.models import AgreementStatus, Payment, PaymentKind, PaymentRun
from tests.factories import AllocationFactory, PersonFactory
from tests.infra.conftest import at_the_same_time

from .conftest import D, M, active_agreement, make_dp_plan


@pytest.fixture
def three(agreement, dp_officer, practitioner, team_leader, team):
    """Mohan's agreement (£140 net, 4-weekly from 5 January) and two more: weekly from 12 January at £160 net,
    and 4-weekly from 19 January at £140 net that is suspended."""
    more = []
    for name, first, frequency in (("Ayesha", D(2026, 1, 12), "weekly"), ("Derek", D(2026, 1, 19), "four_weekly")):
        person = PersonFactory(given_name=name, family_name="Jones")
        AllocationFactory(person=person, team=team, worker=practitioner)
        plan = make_dp_plan(person, practitioner, team_leader, contribution="0" if name == "Ayesha" else "20.00")
        more.append(active_agreement(plan, dp_officer, first_payment_on=first, frequency=frequency))
    dps.agreement_change_status(agreement=more[1], by=dp_officer.user, to_status=AgreementStatus.SUSPENDED,
                                reason="Account frozen while the bank checks a payment")
    return [agreement, *more]


def regular(run):
    return sorted((p.agreement_id, p.period_start, p.period_end, p.amount)
                  for p in run.payments.filter(kind=PaymentKind.REGULAR))


@pytest.mark.django_db
def test_a_run_pays_each_period_due_once_and_skips_suspended(three, finance_officer):
    mohan, ayesha, derek = three
    run = dps.payment_run(run_on=D(2026, 1, 26), by=finance_officer.user)
    assert regular(run) == [
        (mohan.pk, D(2026, 1, 5), D(2026, 2, 1), M("560.00")),
        (ayesha.pk, D(2026, 1, 12), D(2026, 1, 18), M("160.00")),
        (ayesha.pk, D(2026, 1, 19), D(2026, 1, 25), M("160.00")),
        (ayesha.pk, D(2026, 1, 26), D(2026, 2, 1), M("160.00"))]
    assert run.skipped == [derek.pk]
    assert (run.total, run.payments_count) == (M("1040.00"), 4)
    # The same date again pays nobody twice; the next date pays only the new periods.
    again = dps.payment_run(run_on=D(2026, 1, 26), by=finance_officer.user)
    assert again.pk == run.pk and regular(again) == regular(run) and again.total == M("1040.00")
    nxt = dps.payment_run(run_on=D(2026, 2, 2), by=finance_officer.user)
    assert regular(nxt) == [(mohan.pk, D(2026, 2, 2), D(2026, 3, 1), M("560.00")),
                            (ayesha.pk, D(2026, 2, 2), D(2026, 2, 8), M("160.00"))]
    assert Payment.objects.filter(kind=PaymentKind.REGULAR).count() == 6


@pytest.mark.django_db
def test_an_ending_agreement_is_paid_to_its_last_day(agreement, dp_officer, finance_officer):
    dps.agreement_change_status(agreement=agreement, by=dp_officer.user, to_status=AgreementStatus.ENDED,
                                reason="Moving to a care home", ends_on=D(2026, 1, 14))
    run = dps.payment_run(run_on=D(2026, 2, 2), by=finance_officer.user)
    assert regular(run) == []  # an ended agreement is not paid again
    agreement.refresh_from_db()
    agreement.status = AgreementStatus.ACTIVE  # as if it were still live, ending on 14 January
    agreement.save()
    run = dps.payment_run(run_on=D(2026, 2, 2), by=finance_officer.user)
    assert regular(run) == [(agreement.pk, D(2026, 1, 5), D(2026, 1, 14), M("200.00"))]  # 10 days of £140 a week


@pytest.mark.django_db
def test_one_off_payments_go_in_the_first_run_on_or_after_they_are_due(agreement, dp_officer, finance_officer):
    dps.payment_one_off_add(agreement=agreement, by=dp_officer.user, kind=PaymentKind.START_UP, amount=M("250.00"),
                            due_on=D(2026, 1, 5), reason="Payroll set-up")
    later = dps.payment_one_off_add(agreement=agreement, by=dp_officer.user, kind=PaymentKind.CONTINGENCY,
                                    amount=M("100.00"), due_on=D(2026, 2, 20), reason="Boiler breakdown cover")
    run = dps.payment_run(run_on=D(2026, 1, 5), by=finance_officer.user)
    assert sorted((p.kind, p.amount) for p in run.payments.all()) == [("regular", M("560.00")),
                                                                      ("start_up", M("250.00"))]
    assert run.total == M("810.00")
    later.refresh_from_db()
    assert later.run_id is None


@pytest.mark.django_db
def test_the_database_refuses_a_second_payment_for_a_period(agreement, finance_officer):
    dps.payment_run(run_on=D(2026, 1, 5), by=finance_officer.user)
    with pytest.raises(IntegrityError), transaction.atomic():
        Payment.objects.create(agreement=agreement, kind=PaymentKind.REGULAR, period_start=D(2026, 1, 5),
                               period_end=D(2026, 2, 1), due_on=D(2026, 1, 5), amount=M("560.00"))


@pytest.mark.django_db
def test_only_direct_payments_and_finance_staff_run_payments(agreement, practitioner):
    with pytest.raises(PermissionDenied):
        dps.payment_run(run_on=D(2026, 1, 5), by=practitioner.user)


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("dates", [(D(2026, 2, 2), D(2026, 2, 2)), (D(2026, 2, 2), D(2026, 2, 9))])
def test_two_runs_at_once_pay_nobody_twice(three, finance_officer, dates):
    on = dict(zip(("first", "second"), dates, strict=True))
    at_the_same_time(lambda name: dps.payment_run(run_on=on[name], by=finance_officer.user), names=tuple(on))
    periods = list(Payment.objects.filter(kind=PaymentKind.REGULAR).values_list("agreement_id", "period_start"))
    assert len(periods) == len(set(periods))
    mohan, ayesha, _ = three
    # Mohan: 5 January and 2 February; Ayesha weekly from 12 January to the later date.
    weeks = (max(dates) - D(2026, 1, 12)).days // 7 + 1
    assert len(periods) == 2 + weeks
    # Each run's totals are its own payments.
    for r in PaymentRun.objects.all():
        assert r.total == sum(p.amount for p in r.payments.all())


@pytest.mark.django_db
def test_the_finance_file(three, finance_officer, dp_officer):
    mohan, ayesha, _ = three
    run = dps.payment_run(run_on=D(2026, 1, 12), by=finance_officer.user)
    exported = selectors.run_payments_export(user=finance_officer.user, run=run, path="/x")
    rows = list(csv.DictReader(io.StringIO(exports.run_csv(run, exported))))
    assert [r["payee_reference"] for r in rows] == [mohan.payee_reference, ayesha.payee_reference, "TOTAL"]
    first = rows[0]
    assert (first["agreement_id"], first["carecase_person_id"], first["payee_name"], first["amount"],
            first["period_start"], first["period_end"], first["account_type"]) == (
        str(mohan.pk), str(mohan.person_id), "Mohan Patel", "560.00", "2026-01-05", "2026-02-01", "prepaid_card")
    assert rows[-1]["amount"] == "720.00"
    assert set(RecordAccessEvent.objects.filter(action=AccessAction.EXPORT).values_list("person_id", flat=True)) == {
        mohan.person_id, ayesha.person_id}


@pytest.mark.django_db
def test_a_restricted_persons_payment_is_paid_but_not_named_in_the_file(agreement, finance_officer):
    person = agreement.person
    person.is_restricted = True
    person.save()
    run = dps.payment_run(run_on=D(2026, 1, 5), by=finance_officer.user)
    exported = selectors.run_payments_export(user=finance_officer.user, run=run)
    rows = list(csv.DictReader(io.StringIO(exports.run_csv(run, exported))))
    assert (rows[0]["payee_reference"], rows[0]["carecase_person_id"], rows[0]["payee_name"], rows[0]["amount"]) == (
        agreement.payee_reference, "", "", "560.00")
    # ... and is not listed by name on the pages.
    assert selectors.run_payments(user=finance_officer.user, run=run) == []
