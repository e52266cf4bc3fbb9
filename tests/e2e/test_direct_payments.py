"""Direct payments in a real browser: a direct payments officer sets up an agreement from the person's record
(a mistake first, with everything typed kept), starts payments, records an account return with a surplus and
decides the recovery; the dashboard and the personal assistants register. Axe on every page."""

from __future__ import annotations

import datetime as dt
import re

from django.utils import timezone
from playwright.sync_api import expect

from carecase.staff.models import Role
from directpayments.models import AccountReturn, AgreementStatus, DirectPaymentAgreement, Recovery
from tests.directpayments.conftest import make_dp_plan
from tests.factories import StaffFactory

from .conftest import assert_accessible, sign_in


def fill_date(page, group: str, day: dt.date) -> None:
    fieldset = page.get_by_role("group", name=group)
    fieldset.get_by_label("Day").fill(str(day.day))
    fieldset.get_by_label("Month").fill(str(day.month))
    fieldset.get_by_label("Year").fill(str(day.year))


def test_officer_sets_up_an_agreement_and_records_a_return(page, world):
    today = timezone.localdate()
    starts = today - dt.timedelta(days=today.weekday()) - dt.timedelta(weeks=16)
    make_dp_plan(world["mohan"], world["worker"], world["leader"], starts_on=starts)
    StaffFactory(user__username="sunita", user__first_name="Sunita", user__last_name="Chauhan",
                 role=Role.DP_OFFICER, team=world["east"])
    mohan = world["mohan"]

    sign_in(page, "sunita")
    page.goto(f"/people/{mohan.id}/direct-payments/")
    expect(page.get_by_role("heading", name="Direct payments", exact=True)).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Set up a direct payment").click()
    expect(page.get_by_role("heading", name="Set up a direct payment")).to_be_visible()
    assert_accessible(page)

    # A nominated person without a name: the page explains, and keeps what was typed.
    page.get_by_label("A nominated person").check()
    page.get_by_label("Relationship to the person").fill("Daughter")
    fill_date(page, "Start date", starts)
    page.get_by_label("Prepaid card account from the council").check()
    page.get_by_label("Direct payment support service (optional)").fill("Leicester Centre for Integrated Living")
    page.get_by_role("button", name="Set up the agreement").click()
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter the name of the person who will receive")
    expect(page.get_by_label("Relationship to the person")).to_have_value("Daughter")
    expect(page.get_by_label("Direct payment support service (optional)")).to_have_value(
        "Leicester Centre for Integrated Living")
    assert_accessible(page)
    page.get_by_label("Their full name (if not the person)").fill("Asha Patel")
    page.get_by_role("button", name="Set up the agreement").click()

    expect(page.get_by_role("alert")).to_contain_text("The direct payment agreement is set up")
    agreement = DirectPaymentAgreement.objects.get()
    expect(page.get_by_text("£160.00 from the plan, less £20.00 contribution")).to_be_visible()
    assert_accessible(page)
    page.get_by_text("Start payments once the agreement is signed").click()
    fill_date(page, "Date of the first payment", starts)
    page.get_by_role("button", name="Start payments").click()
    expect(page.get_by_role("alert")).to_contain_text("Payments have started")
    agreement.refresh_from_db()
    assert agreement.status == AgreementStatus.ACTIVE

    # An account return for last quarter, with more than 8 weeks of payments left over.
    page.get_by_role("link", name="Record an account return").click()
    expect(page.get_by_role("heading", name="Record an account return")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("group", name="Which quarter is the return for?").get_by_role("radio").first.check()
    page.get_by_label("Balance at the start of the quarter, in pounds").fill("300")
    page.get_by_label("Spent in the quarter, in pounds").fill("1,500.00")
    page.get_by_label("Balance at the end of the quarter, in pounds").fill("two thousand")
    fill_date(page, "Date the return came in", today)
    page.get_by_role("button", name="Record the return").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter an amount in pounds and pence")
    expect(page.get_by_label("Spent in the quarter, in pounds")).to_have_value("1,500.00")
    assert_accessible(page)
    page.get_by_label("Balance at the end of the quarter, in pounds").fill("£2,000")
    page.get_by_label("Bank statements or receipts came with it").check()
    page.get_by_role("button", name="Record the return").click()

    expect(page.get_by_role("heading", name=re.compile("Surplus in the account"))).to_be_visible()
    expect(page.get_by_text("£1,440.00", exact=True)).to_be_visible()
    assert AccountReturn.objects.get().closing_balance == 2000
    assert_accessible(page)
    page.get_by_label("Recover a different amount").check()
    page.get_by_label("Amount to recover, in pounds (if different)").fill("900")
    page.get_by_role("button", name="Record the decision").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Say why the amount is different")
    page.get_by_label("Reason (needed to change the amount or waive)").fill("Holiday pay for the personal "
                                                                           "assistant is due in June")
    page.get_by_role("button", name="Record the decision").click()
    expect(page.get_by_role("link", name="Print the letter explaining the amount")).to_be_visible()
    assert Recovery.objects.get().amount == 900
    assert_accessible(page)

    page.goto(f"/direct-payments/agreements/{agreement.id}/")
    expect(page.get_by_role("link", name=re.compile("Surplus recovery"))).to_be_visible()
    assert_accessible(page)


def test_dashboard_and_register_are_accessible(page, world):
    StaffFactory(user__username="sunita", role=Role.DP_OFFICER, team=world["east"])
    sign_in(page, "sunita")
    page.get_by_role("link", name="Direct payments").first.click()
    expect(page.get_by_role("heading", name="Direct payments", level=1)).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Personal assistants register").click()
    page.get_by_role("link", name="Add a personal assistant").click()
    page.get_by_role("button", name="Add to the register").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter their full name")
    assert_accessible(page)
    page.get_by_label("Full name").fill("Grace Okafor")
    page.get_by_label("Email address").fill("grace@example.org")
    page.get_by_label("Languages spoken (optional)").fill("English, Igbo")
    page.get_by_role("button", name="Add to the register").click()
    expect(page.get_by_role("heading", name="Grace Okafor")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Change their details").click()
    expect(page.get_by_label("Languages spoken (optional)")).to_have_value("English, Igbo")
    assert_accessible(page)
    page.goto("/direct-payments/payment-runs/")
    expect(page.get_by_role("heading", name="Payment runs")).to_be_visible()
    assert_accessible(page)


def test_demo_pages_for_the_direct_payments_officer(page, transactional_db):
    """The small demo profile, as `dp.officer` sees it after `make run`: the dashboard with its figures, a payment
    run and the register, with rows in every table."""
    from tests.demo.conftest import seed

    seed()
    sign_in(page, "dp.officer", "carecase-demo")
    page.goto("/direct-payments/")
    expect(page.get_by_role("heading", name="Share of people receiving a direct payment")).to_be_visible()
    expect(page.get_by_role("table").first).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Payment runs").click()
    page.get_by_role("table").get_by_role("link").first.click()
    expect(page.get_by_role("link", name="Download the file for finance (CSV)")).to_be_visible()
    assert_accessible(page)
    page.goto("/direct-payments/personal-assistants/")
    page.get_by_role("table").get_by_role("link").first.click()
    expect(page.get_by_role("heading", name="Employed by")).to_be_visible()
    assert_accessible(page)


def test_employment_changes_availability_and_audits(page, world):
    """An officer records a personal assistant's availability, changes an employment's hourly rate from a date
    (a mistake first), ends it, and records the financial audit the dashboard shows as overdue."""
    from directpayments import services as dps
    from directpayments.models import Employment, FinancialAudit, PersonalAssistant

    today = timezone.localdate()
    starts = today - dt.timedelta(days=today.weekday()) - dt.timedelta(weeks=16)
    plan = make_dp_plan(world["mohan"], world["worker"], world["leader"], starts_on=starts)
    officer = StaffFactory(user__username="sunita", user__first_name="Sunita", user__last_name="Chauhan",
                           role=Role.DP_OFFICER, team=world["east"])
    agreement = dps.agreement_set_up(plan=plan, by=officer.user, starts_on=starts, account_type="prepaid_card",
                                     frequency="monthly")
    dps.agreement_activate(agreement=agreement, by=officer.user, first_payment_on=starts)

    sign_in(page, "sunita")
    page.goto("/direct-payments/personal-assistants/new/")
    page.get_by_label("Full name").fill("Grace Okafor")
    page.get_by_label("Email address").fill("grace@example.org")
    page.get_by_label("Tuesday").check()
    page.get_by_label("Saturday").check()
    page.get_by_label("Times they are free (optional)").fill("Mornings only")
    page.get_by_role("button", name="Add to the register").click()
    expect(page.get_by_text("Tuesday, Saturday. Mornings only")).to_be_visible()
    assert_accessible(page)
    pa = PersonalAssistant.objects.get()
    employment = dps.employment_add(agreement=agreement, assistant=pa, by=officer.user, starts_on=starts,
                                    hourly_rate=12)

    page.goto(f"/direct-payments/agreements/{agreement.id}/")
    expect(page.get_by_text("Every calendar month, into")).to_be_visible()
    page.get_by_role("link", name="Grace Okafor").click()
    expect(page.get_by_role("heading", name=re.compile("Grace Okafor, employed by"))).to_be_visible()
    assert_accessible(page)
    page.get_by_text("Change the hourly rate, or the relationship").click()
    page.get_by_label("New hourly rate, in pounds (optional)").fill("12.60")
    page.get_by_role("button", name="Save the change").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Enter both the new hourly rate and the date it starts, or neither")
    expect(page.get_by_label("New hourly rate, in pounds (optional)")).to_have_value("12.60")
    assert_accessible(page)
    rise = today + dt.timedelta(days=7)
    fill_date(page, "The new rate starts on", rise)
    page.get_by_label("Why is the rate changing?").fill("Yearly pay rise")
    page.get_by_role("button", name="Save the change").click()
    expect(page.get_by_role("alert")).to_contain_text("The employment is changed")
    expect(page.get_by_text(re.compile(r"£12\.60 from .* \(Yearly pay rise\)"))).to_be_visible()
    page.locator(".govuk-details__summary-text", has_text="End the employment").click()
    fill_date(page, "Last day of the employment", rise + dt.timedelta(days=30))
    page.get_by_label("Why is it ending?").fill("Moving to Leeds")
    page.get_by_role("button", name="End the employment").click()
    expect(page.get_by_text("Why it ended: Moving to Leeds")).to_be_visible()
    assert_accessible(page)
    employment.refresh_from_db()
    assert employment.end_reason == "Moving to Leeds" and Employment.objects.get().rates.count() == 1

    # The first financial audit was due 3 months after the first payment: overdue on the dashboard.
    page.goto("/direct-payments/")
    audits_table = page.get_by_role("table", name=re.compile("Financial audits overdue"))
    expect(audits_table.get_by_text("Overdue", exact=True)).to_be_visible()
    assert_accessible(page)
    audits_table.get_by_role("link").first.click()
    expect(page.get_by_text(re.compile("The first financial audit is due by"))).to_be_visible()
    page.get_by_text("Record a financial audit").click()
    fill_date(page, "Date of the audit", today)
    page.get_by_role("group", name="Was the contribution paid into the account?").get_by_label("Yes").check()
    page.get_by_role("group", name="Does the spending match the support plan?").get_by_label("Yes").check()
    page.get_by_role("button", name="Record the audit").click()
    expect(page.get_by_role("alert")).to_contain_text("The financial audit is recorded")
    expect(page.get_by_text(re.compile("The next financial audit is due by"))).to_be_visible()
    assert_accessible(page)
    assert FinancialAudit.objects.get().contribution_paid
