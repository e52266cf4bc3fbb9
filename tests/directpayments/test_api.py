"""The direct payments API: scoping (another team, restricted records, roles), access events, filters, and 400
with field errors rather than 500."""

from __future__ import annotations

import pytest

from carecase.audit.models import AccessAction, RecordAccessEvent
from directpayments import services as dps
from directpayments.models import DirectPaymentAgreement, PaymentRun
from tests.api.conftest import Api

from .conftest import D

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("in_may")]


def test_agreements_are_listed_for_the_team_and_each_read_logged(agreement, dp_officer, other_practitioner):
    api = Api(dp_officer)
    response = api.get("direct-payments/agreements/")
    assert response.status_code == 200
    (row,) = response.json()["results"]
    assert (row["id"], row["person"], row["status"], row["prices"][0]["net_weekly"]) == (
        agreement.id, agreement.person_id, "active", "140.00")
    assert RecordAccessEvent.objects.filter(user=dp_officer.user, action=AccessAction.API,
                                            resource="direct payment agreements").count() == 1
    assert api.get("direct-payments/agreements/", {"status": "suspended"}).json()["results"] == []
    bad = api.get("direct-payments/agreements/", {"status": "paused"})
    assert bad.status_code == 400 and "status" in bad.json()
    # Another team's practitioner sees none, and cannot open it by id.
    other = Api(other_practitioner)
    assert other.get("direct-payments/agreements/").json()["results"] == []
    refused = other.get(f"direct-payments/agreements/{agreement.id}/")
    assert refused.status_code == 403 and refused.json()["code"] == "reason_required"
    assert api.get(f"direct-payments/agreements/{agreement.id}/").status_code == 200
    assert api.get("direct-payments/agreements/999999/").status_code == 404


def test_restricted_agreements_are_not_listed(agreement, dp_officer, senior_manager):
    person = agreement.person
    person.is_restricted = True
    person.save()
    for staff in (dp_officer, senior_manager):
        assert Api(staff).get("direct-payments/agreements/").json()["results"] == []
    assert Api(dp_officer).get(f"direct-payments/agreements/{agreement.id}/").json()["code"] == "restricted"


def test_set_up_through_the_api_answers_field_errors(dp_plan, dp_officer):
    api = Api(dp_officer)
    bad = api.post("direct-payments/agreements/", {"plan": dp_plan.id, "starts_on": "5 Jan", "account_type": "cash",
                                                   "colour": "blue"})
    assert bad.status_code == 400
    assert set(bad.json()) == {"starts_on", "account_type", "colour"}
    bad = api.post("direct-payments/agreements/", {"plan": dp_plan.id, "starts_on": "2026-01-05",
                                                   "account_type": "managed", "recipient_kind": "authorised",
                                                   "recipient_name": "Asha Patel"})
    assert bad.status_code == 400 and "capacity_decided_on" in bad.json()
    ok = api.post("direct-payments/agreements/", {"plan": dp_plan.id, "starts_on": "2026-01-05",
                                                  "account_type": "managed", "contribution_weekly": "10.00"})
    assert ok.status_code == 201 and ok.json()["prices"][0]["net_weekly"] == "150.00"
    assert DirectPaymentAgreement.objects.count() == 1


def test_returns_and_payments(agreement, dp_officer, finance_officer):
    api = Api(dp_officer)
    bad = api.post(f"direct-payments/agreements/{agreement.id}/returns/", {"period_start": "2026-01-01",
                                                                           "opening_balance": "x"})
    assert bad.status_code == 400 and {"opening_balance", "closing_balance", "spend", "received_on"} <= set(bad.json())
    ok = api.post(f"direct-payments/agreements/{agreement.id}/returns/", {
        "period_start": "2026-02-10", "opening_balance": "0.00", "closing_balance": "400.00", "spend": "1500.00",
        "received_on": "2026-03-01", "evidence_received": True})
    assert ok.status_code == 201 and ok.json()["period_start"] == "2026-01-01"
    assert api.get("direct-payments/returns/", {"status": "received"}).json()["count"] == 1
    dps.payment_run(run_on=D(2026, 3, 2), by=finance_officer.user)
    payments = api.get("direct-payments/payments/", {"agreement": agreement.id}).json()
    assert payments["count"] == 3 and {p["amount"] for p in payments["results"]} == {"560.00"}


def test_runs_are_for_finance_and_direct_payments_staff(agreement, finance_officer, practitioner):
    api = Api(finance_officer)
    made = api.post("direct-payments/runs/", {"run_on": "2026-02-02"})
    assert made.status_code == 201 and made.json()["payments_count"] == 2 and made.json()["total"] == "1120.00"
    again = api.post("direct-payments/runs/", {"run_on": "2026-02-02"})
    assert again.json()["id"] == made.json()["id"] and again.json()["payments_count"] == 2
    assert PaymentRun.objects.count() == 1
    assert api.post("direct-payments/runs/", {"run_on": "next week"}).status_code == 400
    assert api.get(f"direct-payments/runs/{made.json()['id']}/").status_code == 200
    assert Api(practitioner).get("direct-payments/runs/").status_code == 403
    assert Api(practitioner).post("direct-payments/runs/", {"run_on": "2026-02-02"}).status_code == 403


def test_personal_assistants(dp_officer, practitioner):
    api = Api(dp_officer)
    bad = api.post("direct-payments/personal-assistants/", {"name": "", "ethnicity": "Asian: Indian"})
    assert bad.status_code == 400 and "name" in bad.json()
    bad = api.post("direct-payments/personal-assistants/", {"name": "Grace", "email": "g@example.org",
                                                            "ethnicity": "Asian: Indian"})
    assert bad.status_code == 400 and "ethnicity" in bad.json()
    ok = api.post("direct-payments/personal-assistants/", {"name": "Grace Okafor", "email": "g@example.org",
                                                           "area": "City East", "languages": ["English", "Igbo"]})
    assert ok.status_code == 201
    assert api.get("direct-payments/personal-assistants/", {"language": "Igbo"}).json()["count"] == 1
    assert api.get("direct-payments/personal-assistants/", {"area": "city west"}).json()["count"] == 0
    assert api.get(f"direct-payments/personal-assistants/{ok.json()['id']}/").status_code == 200
    assert Api(practitioner).get("direct-payments/personal-assistants/").status_code == 403


def test_lists_take_the_same_number_of_queries_for_more_rows(agreement, dp_officer, person, practitioner,
                                                             team_leader, team):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.factories import AllocationFactory, PersonFactory

    from .conftest import active_agreement, make_dp_plan

    api = Api(dp_officer)
    dps.payment_one_off_add(agreement=agreement, by=dp_officer.user, kind="start_up", amount=10,
                            due_on=D(2026, 1, 5), reason="Set-up")
    dps.return_record(agreement=agreement, by=dp_officer.user, period_start=D(2026, 1, 1), opening_balance=0,
                      closing_balance=0, spend=0, received_on=D(2026, 3, 1))

    def count(path):
        with CaptureQueriesContext(connection) as ctx:
            assert api.get(path).status_code == 200
        return len(ctx.captured_queries)

    paths = ["direct-payments/agreements/", "direct-payments/payments/", "direct-payments/returns/"]
    before = [count(p) for p in paths]
    for _ in range(3):
        extra = PersonFactory()
        AllocationFactory(person=extra, team=team)
        made = active_agreement(make_dp_plan(extra, practitioner, team_leader), dp_officer)
        dps.payment_one_off_add(agreement=made, by=dp_officer.user, kind="start_up", amount=10, due_on=D(2026, 1, 5),
                                reason="Set-up")
        dps.return_record(agreement=made, by=dp_officer.user, period_start=D(2026, 1, 1), opening_balance=0,
                          closing_balance=0, spend=0, received_on=D(2026, 3, 1))
    assert [count(p) for p in paths] == before


def test_availability_and_monthly_payments_through_the_api(dp_plan, dp_officer):
    api = Api(dp_officer)
    bad = api.post("direct-payments/personal-assistants/", {"name": "Grace", "email": "g@example.org",
                                                            "available_days": ["someday"]})
    assert bad.status_code == 400 and "available_days" in bad.json()
    ok = api.post("direct-payments/personal-assistants/", {"name": "Grace", "email": "g@example.org",
                                                           "available_days": ["sat", "tue"],
                                                           "availability": "Mornings"})
    assert ok.status_code == 201
    assert (ok.json()["available_days"], ok.json()["availability"]) == (["tue", "sat"], "Mornings")
    made = api.post("direct-payments/agreements/", {"plan": dp_plan.id, "starts_on": "2026-01-05",
                                                    "account_type": "own_bank", "frequency": "monthly"})
    assert made.status_code == 201 and made.json()["frequency"] == "monthly"
