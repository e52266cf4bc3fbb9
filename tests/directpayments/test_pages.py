"""The direct payment pages through the Django test client: a person's section and setting an agreement up
(bad input kept), the agreement page and its actions, recording a return into a recovery decision and its
letter, the register and the family rule, payment runs and the finance file, the dashboard; access (another
team, restricted records, roles) and plain words."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from carecase.audit.models import AccessAction, RecordAccessEvent
from carecase.staff.models import Role
from directpayments import services as dps
from directpayments.models import (
    AccountReturn,
    AgreementStatus,
    DirectPaymentAgreement,
    Employment,
    PaymentRun,
    PersonalAssistant,
    Recovery,
    RecoveryStatus,
)
from tests.factories import AllocationFactory, PersonFactory, StaffFactory

from .conftest import D, M, active_agreement, make_dp_plan

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("on_2_march_2026")]
BANNED = re.compile(r"service user|\bclients?\b|\bcustomers?\b", re.I)


def text(response) -> str:
    body = re.sub(r"\s+", " ", response.content.decode())
    assert not BANNED.search(re.sub(r"<[^>]+>", " ", body)), "banned words on the page"
    return body


@pytest.fixture
def officer_client(client, dp_officer):
    client.force_login(dp_officer.user)
    return client


def date_fields(prefix: str, day) -> dict:
    return {f"{prefix}_day": day.day, f"{prefix}_month": day.month, f"{prefix}_year": day.year}


def test_person_section_offers_set_up(officer_client, dp_plan, person):
    page = text(officer_client.get(reverse("person-direct-payments", args=[person.id])))
    assert "has no direct payment agreement" in page and "Set up a direct payment" in page
    assert 'aria-current="page">Direct payments' in page


def test_set_up_keeps_bad_input_and_explains(officer_client, dp_plan, person):
    url = reverse("dp-agreement-new", args=[person.id])
    assert officer_client.get(url).status_code == 200
    response = officer_client.post(url, {"recipient_kind": "authorised", "recipient_name": "Asha Patel",
                                         **date_fields("starts_on", D(2026, 1, 5)), "frequency": "four_weekly",
                                         "account_type": "managed", "support_service": "Leicester Centre for "
                                         "Integrated Living", "contribution_weekly": "£1,2x"})
    page = text(response)
    assert "There is a problem" in page and "Enter an amount in pounds and pence" in page
    assert 'value="Asha Patel"' in page and "Leicester Centre for Integrated Living" in page
    response = officer_client.post(url, {"recipient_kind": "authorised", "recipient_name": "Asha Patel",
                                         **date_fields("starts_on", D(2026, 1, 5)), "frequency": "four_weekly",
                                         "account_type": "managed"})
    page = text(response)
    assert "Enter the date of the capacity decision" in page and "Enter who made the capacity decision" in page
    assert not DirectPaymentAgreement.objects.exists()
    response = officer_client.post(url, {"recipient_kind": "person", **date_fields("starts_on", D(2026, 1, 5)),
                                         "frequency": "four_weekly", "account_type": "prepaid_card",
                                         "contribution_weekly": "£20.00"})
    agreement = DirectPaymentAgreement.objects.get()
    assert response.status_code == 302 and response.url == reverse("dp-agreement", args=[agreement.id])


def test_agreement_page_and_starting_payments(officer_client, dp_plan, dp_officer):
    agreement = dps.agreement_set_up(plan=dp_plan, by=dp_officer.user, starts_on=D(2026, 1, 5),
                                     account_type="own_bank")
    url = reverse("dp-agreement", args=[agreement.id])
    page = text(officer_client.get(url))
    assert "£160.00 from the plan, less £20.00 contribution" in page and "Start payments" in page
    bad = officer_client.post(reverse("dp-agreement-activate", args=[agreement.id]),
                              date_fields("start-first_payment_on", D(2025, 12, 1)))
    assert bad.status_code == 400 and "cannot be before the agreement starts" in text(bad)
    ok = officer_client.post(reverse("dp-agreement-activate", args=[agreement.id]),
                             date_fields("start-first_payment_on", D(2026, 1, 5)))
    assert ok.status_code == 302
    page = text(officer_client.get(url))
    assert "Active" in page and "5 January 2026 to 1 February 2026" in page and "£560.00" in page
    assert RecordAccessEvent.objects.filter(person=agreement.person, resource="direct payment agreement",
                                            action=AccessAction.VIEW).exists()


def test_agreement_actions(officer_client, agreement):
    base = (agreement.id,)
    r = officer_client.post(reverse("dp-agreement-status", args=base), {"status-to_status": "suspended",
                                                                        "status-reason": ""})
    assert r.status_code == 400 and "Say why the status is changing" in text(r)
    r = officer_client.post(reverse("dp-agreement-status", args=base), {"status-to_status": "suspended",
                                                                        "status-reason": "In hospital"})
    assert r.status_code == 302
    agreement.refresh_from_db()
    assert agreement.status == AgreementStatus.SUSPENDED
    r = officer_client.post(reverse("dp-agreement-one-off", args=base), {
        "payment-kind": "start_up", "payment-amount": "250", **date_fields("payment-due_on", D(2026, 3, 2)),
        "payment-reason": "Payroll set-up"})
    assert r.status_code == 302
    r = officer_client.post(reverse("dp-agreement-reprice", args=base), {
        **date_fields("reprice-effective_from", D(2026, 2, 2)), "reprice-reason": "Contribution reassessed",
        "reprice-contribution_weekly": "30"})
    assert r.status_code == 302 and agreement.prices.count() == 2
    r = officer_client.post(reverse("dp-agreement-misuse", args=base), {"concern-reason": "Cash withdrawals"})
    assert r.status_code == 302
    page = text(officer_client.get(reverse("dp-agreement", args=base)))
    assert "Contribution reassessed" in page and "start-up payment of £250.00" in page


def test_a_return_waits_for_the_quarter_to_end(officer_client, agreement):
    page = text(officer_client.get(reverse("dp-return-new", args=[agreement.id])))
    assert "The first return can be recorded after 31 March 2026" in page


def test_record_a_return_then_decide_the_recovery_and_print_the_letter(in_may, officer_client, agreement):
    url = reverse("dp-return-new", args=[agreement.id])
    page = text(officer_client.get(url))
    assert "1 January 2026 to 31 March 2026" in page
    bad = officer_client.post(url, {"period_start": "2026-01-01", "opening_balance": "0", "closing_balance": "",
                                    "spend": "abc", **date_fields("received_on", D(2026, 3, 1))})
    page = text(bad)
    assert "Enter the balance at the end of the quarter" in page and "Enter an amount in pounds and pence" in page
    assert not AccountReturn.objects.exists()
    ok = officer_client.post(url, {"period_start": "2026-01-01", "opening_balance": "0", "closing_balance": "2,000",
                                   "spend": "1200", "evidence_received": "on",
                                   **date_fields("received_on", D(2026, 3, 1))})
    recovery = Recovery.objects.get()
    assert ok.url == reverse("dp-recovery", args=[recovery.id])
    page = text(officer_client.get(ok.url))
    assert "£1,440.00" in page and "£1,120.00" in page
    bad = officer_client.post(ok.url, {"decision": "adjusted", "amount": "900"})
    assert bad.status_code == 400 and "Say why the amount is different" in text(bad)
    assert officer_client.post(ok.url, {"decision": "approved"}).status_code == 302
    recovery.refresh_from_db()
    assert recovery.status == RecoveryStatus.APPROVED and recovery.amount == M("1440.00")
    pdf = officer_client.get(reverse("dp-recovery-letter", args=[recovery.id]))
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    assert RecordAccessEvent.objects.filter(action=AccessAction.PRINT, resource="direct payment recovery").exists()


def test_agreement_pdf(officer_client, agreement):
    pdf = officer_client.get(reverse("dp-agreement-pdf", args=[agreement.id]))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")


def test_register_and_the_family_rule_on_the_page(officer_client, agreement, dp_officer):
    r = officer_client.post(reverse("dp-assistant-new"), {"name": "", "preferred_channel": "email",
                                                          "email": "grace@example", "area": "City East"})
    page = text(r)
    assert "Enter their full name" in page and "Enter an email address like" in page and 'value="City East"' in page
    r = officer_client.post(reverse("dp-assistant-new"), {
        "name": "Grace Okafor", "preferred_channel": "email", "email": "grace@example.org", "area": "City East",
        "languages": "English, Igbo", "consent_to_contact": "on"})
    pa = PersonalAssistant.objects.get()
    assert r.url == reverse("dp-assistant", args=[pa.id]) and pa.languages == ["English", "Igbo"]
    assert "Grace Okafor" in text(officer_client.get(reverse("dp-assistants")))
    url = reverse("dp-employment-new", args=[agreement.id])
    data = {"assistant": pa.id, **date_fields("starts_on", D(2026, 1, 5)), "hourly_rate": "12.50",
            "relationship": "child", "same_household": "yes"}
    page = text(officer_client.post(url, data))
    assert "can be paid from the direct payment only if the council decides it is necessary" in page
    assert not Employment.objects.exists()
    data.update({"necessity_reason": "No other help at night", "necessity_approved_by": dp_officer.user_id,
                 **date_fields("necessity_review_on", D(2026, 9, 1))})
    assert officer_client.post(url, data).status_code == 302
    page = text(officer_client.get(reverse("dp-assistant", args=[pa.id])))
    assert "Mohan Patel" in page


def test_payment_run_page_and_finance_file(client, agreement, finance_officer):
    client.force_login(finance_officer.user)
    r = client.post(reverse("dp-runs"), date_fields("run_on", D(2026, 3, 2)))
    run = PaymentRun.objects.get()
    assert r.url == reverse("dp-run", args=[run.id])
    page = text(client.get(r.url))
    assert "3 payments, £1,680.00 in all" in page
    # The finance officer may not open Mohan's record, so he is shown by record number.
    assert f"Record {agreement.person_id}" in page and "Mohan Patel" not in page
    csv_response = client.get(reverse("dp-run-csv", args=[run.id]))
    body = csv_response.content.decode()
    assert csv_response["Content-Type"].startswith("text/csv") and body.startswith("payee_reference,agreement_id")
    assert "TOTAL,,,,,,,,1680.00" in body
    bad = client.post(reverse("dp-runs"), {"run_on_day": "31", "run_on_month": "2", "run_on_year": "2026"})
    assert bad.status_code == 400 and "must be a real date" in text(bad)


def test_dashboard(officer_client, agreement, dp_officer, person, practitioner, team_leader, team):
    # A second person in long-term community support without a direct payment: 1 of 2 have one.
    from tests.reviews.conftest import make_active_plan

    other = PersonFactory(given_name="Ruth", family_name="Clarke")
    AllocationFactory(person=other, team=team, worker=practitioner)
    make_active_plan(other, practitioner, team_leader)
    AccountReturn.objects.create(agreement=agreement, period_start=D(2025, 10, 1), period_end=D(2025, 12, 31),
                                 due_on=D(2026, 1, 28))
    page = text(officer_client.get(reverse("dp-dashboard")))
    assert "50.0%" in page and "City East Locality Team" in page
    assert "Account returns overdue" in page and "Mohan Patel" in page
    with CaptureQueriesContext(connection) as few:
        officer_client.get(reverse("dp-dashboard"))
    for _ in range(5):
        extra = PersonFactory()
        AllocationFactory(person=extra, team=team)
        plan = make_dp_plan(extra, practitioner, team_leader)
        a = active_agreement(plan, dp_officer)
        AccountReturn.objects.create(agreement=a, period_start=D(2025, 10, 1), period_end=D(2025, 12, 31),
                                     due_on=D(2026, 1, 28))
    with CaptureQueriesContext(connection) as more:
        officer_client.get(reverse("dp-dashboard"))
    assert len(more.captured_queries) == len(few.captured_queries)


def test_practitioner_elsewhere_cannot_read_an_agreement(client, agreement, other_practitioner):
    client.force_login(other_practitioner.user)
    response = client.get(reverse("dp-agreement", args=[agreement.id]))
    assert response.status_code == 302 and reverse("person-reason", args=[agreement.person_id]) in response.url
    assert client.get(reverse("dp-return-new", args=[agreement.id])).status_code == 302
    assert RecordAccessEvent.objects.filter(user=other_practitioner.user, action=AccessAction.DENIED).exists()
    # ... nor the register, the runs or the dashboard, which are for direct payments staff.
    for name in ("dp-dashboard", "dp-assistants", "dp-runs"):
        assert client.get(reverse(name)).status_code == 403


def test_restricted_person_is_not_listed(officer_client, agreement, dp_officer):
    AccountReturn.objects.create(agreement=agreement, period_start=D(2025, 10, 1), period_end=D(2025, 12, 31),
                                 due_on=D(2026, 1, 28))
    person = agreement.person
    person.is_restricted = True
    person.save()
    page = text(officer_client.get(reverse("dp-dashboard")))
    assert "Mohan Patel" not in page and f"Record {person.id}" not in page
    assert officer_client.get(reverse("dp-agreement", args=[agreement.id])).status_code == 403


def test_missing_things_are_404(officer_client):
    assert officer_client.get(reverse("dp-agreement", args=[999999])).status_code == 404
    assert officer_client.get(reverse("dp-assistant", args=[999999])).status_code == 404


def test_broadcast_page(officer_client, dp_officer, django_capture_on_commit_callbacks):
    dps.assistant_add(by=dp_officer.user, name="Grace", email="g@example.org", consent_to_contact=True)
    bad = officer_client.post(reverse("dp-broadcast"), {"subject": "Training", "body": ""})
    assert "Enter the message" in text(bad) and 'value="Training"' in text(bad)
    with django_capture_on_commit_callbacks(execute=False):
        ok = officer_client.post(reverse("dp-broadcast"), {"subject": "Training", "body": "On 14 March"})
    assert ok.status_code == 302


def test_nav_shows_direct_payments_to_dp_roles(client, dp_officer, practitioner):
    client.force_login(dp_officer.user)
    assert 'href="/direct-payments/"' in client.get(reverse("home")).content.decode()
    client.force_login(practitioner.user)
    assert 'href="/direct-payments/"' not in client.get(reverse("home")).content.decode()


def test_team_leader_sees_the_dashboard(client, team_leader):
    client.force_login(team_leader.user)
    assert client.get(reverse("dp-dashboard")).status_code == 200
    senior = StaffFactory(role=Role.SENIOR_MANAGER, team=None)
    client.force_login(senior.user)
    assert client.get(reverse("dp-dashboard")).status_code == 200


def test_change_an_assistants_details(officer_client, dp_officer):
    pa = dps.assistant_add(by=dp_officer.user, name="Grace Okafor", email="g@example.org", languages=["English"],
                           consent_to_contact=True)
    url = reverse("dp-assistant-edit", args=[pa.id])
    page = text(officer_client.get(url))
    assert 'value="Grace Okafor"' in page and 'value="English"' in page
    bad = officer_client.post(url, {"name": "Grace Okafor", "preferred_channel": "email", "email": "",
                                    "languages": "English, Igbo"})
    assert "Enter an email address, or choose another way" in text(bad) and 'value="English, Igbo"' in text(bad)
    ok = officer_client.post(url, {"name": "Grace Okafor", "preferred_channel": "phone", "phone": "07700 900123",
                                   "languages": "English, Igbo", "consent_to_contact": "on"})
    assert ok.status_code == 302
    pa.refresh_from_db()
    assert (pa.languages, pa.is_active, pa.preferred_channel) == (["English", "Igbo"], False, "phone")
