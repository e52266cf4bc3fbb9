"""Every write to direct payments: agreements and their lifecycle, repricing, one-off payments, payment runs,
personal assistants and employments (with the family rule), broadcasts, account returns, surplus recovery and
misuse concerns. Keyword-only, atomic; access is checked without logging (the selector that opened the
record for the page or request has logged the read).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import Q, Sum
from django.utils import timezone

from assessments.models import PlanStatus, ServiceLine, SupportPlan
from carecase import codes, outbox
from carecase.audit.access import require_full_access, role_of
from carecase.staff.models import Role
from reviews import services as review_services
from reviews.models import RequestedBy, Topic

from . import conf, pricing
from .models import (
    CLOSE_RELATIVES,
    FAMILY_RULE_MESSAGE,
    TRANSITIONS,
    AccountReturn,
    AccountType,
    AgreementStatus,
    AssistantMessage,
    Broadcast,
    DirectPaymentAgreement,
    Employment,
    EmploymentRate,
    FinancialAudit,
    Frequency,
    NecessityDecision,
    Payment,
    PaymentKind,
    PaymentRun,
    PersonalAssistant,
    PricePeriod,
    RecipientKind,
    Recovery,
    RecoveryStatus,
    Relationship,
    ReturnStatus,
    StatusChange,
    Weekday,
)

DP_ROLES = (Role.DP_OFFICER, Role.FINANCE_OFFICER, Role.TEAM_LEADER, Role.SENIOR_MANAGER)
RUN_ROLES = (Role.DP_OFFICER, Role.FINANCE_OFFICER, Role.SENIOR_MANAGER)
DECIDE_ROLES = (Role.DP_OFFICER, Role.TEAM_LEADER, Role.SENIOR_MANAGER)


def require_role(user, roles, what: str) -> None:
    if role_of(user) not in roles:
        raise PermissionDenied(f"Only direct payments staff can {what}.")


# ---------------------------------------------------------------- agreements and their prices


def dp_lines(plan: SupportPlan, on: dt.date) -> list[ServiceLine]:
    """The plan's direct payment service lines in force on `on`."""
    return list(ServiceLine.objects.filter(
        Q(ends_on__isnull=True) | Q(ends_on__gte=on), plan=plan,
        delivery_mechanism=codes.DeliveryMechanism.DIRECT_PAYMENT, starts_on__lte=on).order_by("id"))


def plan_gross_weekly(plan: SupportPlan, on: dt.date) -> Decimal:
    return pricing.gross_weekly((line.units_per_week, line.unit_cost) for line in dp_lines(plan, on))


def current_price(agreement: DirectPaymentAgreement, on: dt.date | None = None) -> PricePeriod | None:
    on = on or timezone.localdate()
    prices = list(agreement.prices.all())
    in_force = [p for p in prices if p.effective_from <= on and (p.effective_to is None or p.effective_to >= on)]
    if in_force:
        return in_force[-1]
    return prices[0] if prices and prices[0].effective_from > on else (prices[-1] if prices else None)


def _prices(agreement: DirectPaymentAgreement) -> list[pricing.Price]:
    return [pricing.Price(p.effective_from, p.effective_to, p.net_weekly)
            for p in PricePeriod.objects.filter(agreement=agreement).order_by("effective_from")]


def _status(agreement: DirectPaymentAgreement, *, to: str, by, reason: str) -> None:
    StatusChange.objects.create(agreement=agreement, from_status=agreement.status if agreement.pk else "",
                                to_status=to, reason=reason, by=by)
    agreement.status = to


def _text(value) -> str:
    return " ".join(str(value or "").split())


@transaction.atomic
def agreement_set_up(*, plan: SupportPlan, by, starts_on: dt.date, account_type: str,
                     recipient_kind: str = RecipientKind.PERSON, recipient_name: str = "",
                     recipient_relationship: str = "", recipient_phone: str = "", recipient_email: str = "",
                     recipient_address: str = "", capacity_decided_on: dt.date | None = None,
                     capacity_decided_by: str = "", capacity_summary: str = "",
                     frequency: str = Frequency.FOUR_WEEKLY, support_service: str = "", payee_reference: str = "",
                     contribution_weekly: Decimal | None = None, officer=None) -> DirectPaymentAgreement:
    """A direct payment agreement for the plan's direct payment lines, priced from the plan on `starts_on`."""
    person = plan.person
    require_full_access(by, person)
    errors: dict[str, str] = {}
    if plan.status != PlanStatus.ACTIVE:
        errors["plan"] = "The care and support plan must be approved and active before a direct payment is set up"
    gross = plan_gross_weekly(plan, starts_on)
    if not errors and gross <= 0:
        errors["starts_on"] = ("The plan has no service paid by direct payment on this date. Choose a start date "
                               "on or after the direct payment service starts")
    if recipient_kind not in RecipientKind.values:
        errors["recipient_kind"] = "Choose who will receive the direct payment"
    if account_type not in AccountType.values:
        errors["account_type"] = "Choose the kind of account the money goes into"
    if frequency not in Frequency.values:
        errors["frequency"] = "Choose how often it is paid"
    recipient_name = _text(recipient_name)
    if recipient_kind == RecipientKind.PERSON:
        recipient_name = recipient_name or person.full_name
        recipient_email = recipient_email or person.email
        recipient_phone = recipient_phone or person.phone
    elif not recipient_name:
        errors["recipient_name"] = "Enter the name of the person who will receive and manage the money"
    if recipient_kind == RecipientKind.AUTHORISED:
        if capacity_decided_on is None:
            errors["capacity_decided_on"] = "Enter the date of the capacity decision"
        elif capacity_decided_on > timezone.localdate():
            errors["capacity_decided_on"] = "The capacity decision date must be today or in the past"
        if not _text(capacity_decided_by):
            errors["capacity_decided_by"] = "Enter who made the capacity decision"
        if not _text(capacity_summary):
            errors["capacity_summary"] = "Summarise the capacity decision: what the person could not decide and why"
    if plan.starts_on and starts_on < plan.starts_on:
        errors["starts_on"] = f"The direct payment cannot start before the plan starts ({plan.starts_on:%-d %B %Y})"
    if contribution_weekly is not None and contribution_weekly < 0:
        errors["contribution_weekly"] = "The contribution cannot be less than zero"
    if DirectPaymentAgreement.objects.filter(plan=plan, status__in=[AgreementStatus.SET_UP, AgreementStatus.ACTIVE,
                                                                    AgreementStatus.SUSPENDED]).exists():
        errors["plan"] = "This plan already has a direct payment agreement. Change that one instead"
    if errors:
        raise ValidationError(errors)
    contribution = plan.assessed_contribution_weekly if contribution_weekly is None else contribution_weekly
    taken, net = pricing.net_weekly(gross, contribution)
    agreement = DirectPaymentAgreement(
        person=person, plan=plan, recipient_kind=recipient_kind, recipient_name=recipient_name,
        recipient_relationship=_text(recipient_relationship), recipient_phone=_text(recipient_phone),
        recipient_email=(recipient_email or "").strip(), recipient_address=(recipient_address or "").strip(),
        capacity_decided_on=capacity_decided_on if recipient_kind == RecipientKind.AUTHORISED else None,
        capacity_decided_by=_text(capacity_decided_by) if recipient_kind == RecipientKind.AUTHORISED else "",
        capacity_summary=(capacity_summary or "").strip() if recipient_kind == RecipientKind.AUTHORISED else "",
        starts_on=starts_on, frequency=frequency, account_type=account_type,
        support_service=_text(support_service), payee_reference=_text(payee_reference),
        officer=officer or (by if role_of(by) == Role.DP_OFFICER else None), created_by=by)
    agreement.save()
    if not agreement.payee_reference:
        agreement.payee_reference = f"DP{agreement.pk:07d}"
        agreement.save(update_fields=["payee_reference"])
    StatusChange.objects.create(agreement=agreement, from_status="", to_status=AgreementStatus.SET_UP,
                                reason="Agreement set up", by=by)
    PricePeriod.objects.create(agreement=agreement, effective_from=starts_on, gross_weekly=gross,
                               contribution_weekly=taken, net_weekly=net, reason="Agreement set up", created_by=by)
    return agreement


@transaction.atomic
def agreement_activate(*, agreement: DirectPaymentAgreement, by, first_payment_on: dt.date,
                       reason: str = "Agreement signed; payments start") -> DirectPaymentAgreement:
    """Payments start on `first_payment_on`; the first direct payment review is scheduled within 6 months."""
    require_full_access(by, agreement.person)
    agreement = DirectPaymentAgreement.objects.select_for_update().get(pk=agreement.pk)
    if agreement.status != AgreementStatus.SET_UP:
        raise ValidationError({"status": f"This agreement is {agreement.get_status_display().lower()}; only an "
                                         "agreement being set up can be started"})
    if first_payment_on < agreement.starts_on:
        raise ValidationError({"first_payment_on": "The first payment cannot be before the agreement starts "
                                                   f"({agreement.starts_on:%-d %B %Y})"})
    agreement.first_payment_on = first_payment_on
    _status(agreement, to=AgreementStatus.ACTIVE, by=by, reason=_text(reason) or "Payments start")
    agreement.save(update_fields=["first_payment_on", "status", "updated_at"])
    review_services.review_schedule_direct_payment(plan=agreement.plan, by=by, first_payment_on=first_payment_on)
    return agreement


@transaction.atomic
def agreement_change_status(*, agreement: DirectPaymentAgreement, by, to_status: str, reason: str,
                            ends_on: dt.date | None = None) -> DirectPaymentAgreement:
    """Suspend, restart or end an agreement, with the reason. Starting payments is `agreement_activate`."""
    require_full_access(by, agreement.person)
    agreement = DirectPaymentAgreement.objects.select_for_update().get(pk=agreement.pk)
    reason = _text(reason)
    errors = {}
    if to_status not in TRANSITIONS[agreement.status]:
        errors["to_status"] = (f"An agreement that is {agreement.get_status_display().lower()} cannot be changed to "
                               f"{AgreementStatus(to_status).label.lower() if to_status in AgreementStatus.values else to_status}")
    elif to_status == AgreementStatus.ACTIVE and agreement.first_payment_on is None:
        errors["to_status"] = "Start payments with a first payment date"
    if not reason:
        errors["reason"] = "Say why the status is changing"
    if to_status == AgreementStatus.ENDED:
        ends_on = ends_on or timezone.localdate()
        if ends_on < agreement.starts_on:
            errors["ends_on"] = "The end date must be on or after the start date"
    if errors:
        raise ValidationError(errors)
    _status(agreement, to=to_status, by=by, reason=reason)
    if to_status == AgreementStatus.ENDED:
        agreement.ends_on = ends_on
    agreement.save(update_fields=["status", "ends_on", "updated_at"])
    return agreement


def paid_regular(agreement: DirectPaymentAgreement):
    return Payment.objects.filter(agreement=agreement, kind=PaymentKind.REGULAR)


@transaction.atomic
def agreement_reprice(*, agreement: DirectPaymentAgreement, by, effective_from: dt.date, reason: str,
                      plan: SupportPlan | None = None, contribution_weekly: Decimal | None = None) -> PricePeriod:
    """Reprice from a plan change's effective date: a new price period from that day (the one before it ends
    the day before). Periods already paid that reach past the date are put right by one adjustment on the
    next run: what the new prices make them, less what was paid."""
    require_full_access(by, agreement.person)
    agreement = DirectPaymentAgreement.objects.select_for_update().get(pk=agreement.pk)
    reason = _text(reason)
    errors = {}
    if not agreement.is_live:
        errors["effective_from"] = "An ended agreement cannot be repriced"
    if effective_from < agreement.starts_on:
        errors["effective_from"] = "The change cannot take effect before the agreement starts"
    if not reason:
        errors["reason"] = "Say what changed in the plan"
    plan = plan or agreement.plan
    if plan.person_id != agreement.person_id:
        errors["plan"] = "The plan must be the same person's"
    if contribution_weekly is not None and contribution_weekly < 0:
        errors["contribution_weekly"] = "The contribution cannot be less than zero"
    if errors:
        raise ValidationError(errors)
    gross = plan_gross_weekly(plan, effective_from)
    contribution = plan.assessed_contribution_weekly if contribution_weekly is None else contribution_weekly
    taken, net = pricing.net_weekly(gross, contribution)
    prices = list(PricePeriod.objects.select_for_update().filter(agreement=agreement).order_by("effective_from"))
    before = [pricing.Price(p.effective_from, p.effective_to, p.net_weekly) for p in prices]
    # Later prices are replaced by this one; the one in force on the day ends the day before.
    for price in prices:
        if price.effective_from >= effective_from:
            price.delete()
        elif price.effective_to is None or price.effective_to >= effective_from:
            price.effective_to = effective_from - dt.timedelta(days=1)
            price.save(update_fields=["effective_to"])
    new = PricePeriod.objects.create(agreement=agreement, effective_from=effective_from, gross_weekly=gross,
                                     contribution_weekly=taken, net_weekly=net, reason=reason, created_by=by)
    if plan.pk != agreement.plan_id:
        agreement.plan = plan
        agreement.save(update_fields=["plan", "updated_at"])
    _adjust_paid_periods(agreement, by=by, effective_from=effective_from, reason=reason, before=before)
    return new


def _same_price(agreement: DirectPaymentAgreement, plan: SupportPlan, on: dt.date) -> bool:
    price = current_price(agreement, on)
    if price is None or price.effective_from > on:
        return False
    taken, net = pricing.net_weekly(plan_gross_weekly(plan, on), plan.assessed_contribution_weekly)
    return (price.contribution_weekly, price.net_weekly) == (taken, net)


def _dp_change_dates(plan: SupportPlan, effective_from: dt.date) -> list[dt.date]:
    """The effective date, and each later day a direct payment line of the plan starts or stops."""
    days = {effective_from}
    for line in ServiceLine.objects.filter(plan=plan, delivery_mechanism=codes.DeliveryMechanism.DIRECT_PAYMENT):
        days.add(line.starts_on)
        if line.ends_on:
            days.add(line.ends_on + dt.timedelta(days=1))
    return sorted(d for d in days if d >= effective_from)


@transaction.atomic
def follow_plan_change(*, plan: SupportPlan, by, effective_from: dt.date) -> list[DirectPaymentAgreement]:
    """The plan's direct payment services changed from `effective_from` (assessments' plan_services_changed
    signal, received in apps.py, in the same transaction). A live agreement for the plan is repriced from that
    day. A new plan with direct payment services replaces the plan of the person's live agreement: the
    agreement follows the new plan, repriced from the later of its start and the agreement's. A new plan
    without direct payment services leaves the agreement alone: the officer ends it if the direct payment
    stops. A price that does not change makes no new price period. Returns the agreements changed."""
    if plan.status != PlanStatus.ACTIVE or effective_from is None:
        return []
    live = list(DirectPaymentAgreement.objects.select_for_update().filter(
        person_id=plan.person_id, status__in=[AgreementStatus.SET_UP, AgreementStatus.ACTIVE,
                                              AgreementStatus.SUSPENDED]).order_by("-starts_on", "-id"))
    own = [a for a in live if a.plan_id == plan.pk]
    has_dp = ServiceLine.objects.filter(plan=plan, delivery_mechanism=codes.DeliveryMechanism.DIRECT_PAYMENT).exists()
    followers = own or ([live[0]] if live and has_dp else [])
    changed = []
    for agreement in followers:
        start = max(effective_from, agreement.starts_on)
        moved = agreement.plan_id != plan.pk
        reason = (f"Plan {plan.pk} replaced plan {agreement.plan_id}" if moved
                  else f"The direct payment services of plan {plan.pk} changed")
        repriced = False
        # Prices after the start came from the plan before: they go unless this plan makes them again.
        stale = PricePeriod.objects.filter(agreement=agreement, effective_from__gt=start).exists()
        for day in _dp_change_dates(plan, start):
            if (day == start and stale) or not _same_price(agreement, plan, day):
                agreement_reprice(agreement=agreement, by=by, effective_from=day, plan=plan,
                                  reason=f"{reason} (from {day:%-d %B %Y})")
                repriced = True
        if moved and not repriced:
            DirectPaymentAgreement.objects.filter(pk=agreement.pk).update(plan=plan, updated_at=timezone.now())
        if moved or repriced:
            changed.append(agreement)
    return changed


def _on_plan_services_changed(sender, *, plan, by, effective_from, **kwargs) -> None:
    follow_plan_change(plan=plan, by=by, effective_from=effective_from)


def _adjust_paid_periods(agreement, *, by, effective_from: dt.date, reason: str,
                         before: list[pricing.Price]) -> Payment | None:
    """One adjustment for the periods already paid that reach past the date: what the new prices make them,
    less what the prices before this change made them. Comparing with the prices before (not with what was
    paid) keeps the adjustments of earlier repricing of the same periods from being counted twice."""
    prices = _prices(agreement)
    difference = Decimal("0.00")
    for payment in paid_regular(agreement).filter(period_end__gte=effective_from):
        def owed(under, payment=payment):
            return pricing.regular_amount(under, first_payment_on=agreement.first_payment_on,
                                          frequency=agreement.frequency, start=payment.period_start,
                                          end=payment.period_end)
        difference += owed(prices) - owed(before)
    if difference == 0:
        return None
    return Payment.objects.create(
        agreement=agreement, kind=PaymentKind.ADJUSTMENT, due_on=timezone.localdate(), amount=difference,
        reason=f"Repriced from {effective_from:%-d %B %Y}: {reason}"[:300], created_by=by)


@transaction.atomic
def payment_one_off_add(*, agreement: DirectPaymentAgreement, by, kind: str, amount: Decimal, due_on: dt.date,
                        reason: str) -> Payment:
    """A start-up or contingency payment, or an adjustment (which may take money back: a negative amount).
    Paid by the first run on or after `due_on`."""
    require_full_access(by, agreement.person)
    reason = _text(reason)
    errors = {}
    if kind not in (PaymentKind.START_UP, PaymentKind.CONTINGENCY, PaymentKind.ADJUSTMENT):
        errors["kind"] = "Choose the kind of payment"
    if amount is None or amount == 0:
        errors["amount"] = "Enter the amount, in pounds and pence"
    elif kind != PaymentKind.ADJUSTMENT and amount < 0:
        errors["amount"] = "The amount must be more than zero. To take money back, add an adjustment"
    elif pricing.pennies(amount) != amount:
        errors["amount"] = "Enter the amount in pounds and pence, for example 125.50"
    if not reason:
        errors["reason"] = "Say what the payment is for"
    if not agreement.is_live:
        errors["kind"] = "This agreement has ended: no more payments can be added"
    if errors:
        raise ValidationError(errors)
    return Payment.objects.create(agreement=agreement, kind=kind, amount=amount, due_on=due_on, reason=reason,
                                  created_by=by)


def payment_schedule(agreement: DirectPaymentAgreement, *, count: int = 3) -> list[dict]:
    """The next `count` regular payments not yet paid: period and amount, from the price periods."""
    if agreement.first_payment_on is None or agreement.status == AgreementStatus.ENDED:
        return []
    first, frequency = agreement.first_payment_on, agreement.frequency
    last = paid_regular(agreement).order_by("-period_start").values_list("period_start", flat=True).first()
    n = pricing.period_number(first, frequency, last) + 1 if last else 0
    prices = _prices(agreement)
    rows = []
    while len(rows) < count:
        start = pricing.nth_start(first, frequency, n)
        if agreement.ends_on is not None and start > agreement.ends_on:
            break
        end = pricing.whole_period_end(first, frequency, start)
        end = end if agreement.ends_on is None else min(end, agreement.ends_on)
        rows.append({"period_start": start, "period_end": end,
                     "amount": pricing.regular_amount(prices, first_payment_on=first, frequency=frequency,
                                                      start=start, end=end)})
        n += 1
    return rows


# ---------------------------------------------------------------- payment runs

_REGULAR_SQL = """
WITH live AS (
    SELECT a.id, a.first_payment_on, a.ends_on,
           CASE a.frequency WHEN 'weekly' THEN 7 WHEN 'four_weekly' THEN 28 END AS days,
           (SELECT max(p.period_start) FROM {payment} p
             WHERE p.agreement_id = a.id AND p.kind = 'regular') AS last_paid,
           LEAST(%(run_on)s::date, COALESCE(a.ends_on, %(run_on)s::date)) AS last_day
      FROM {agreement} a
     WHERE a.status = 'active' AND a.first_payment_on <= %(run_on)s
), numbered AS (
    -- Periods are numbered from the first payment (pricing.nth_start): every 7 or 28 days, or each calendar
    -- month (days IS NULL), from the one after the last paid to the last that starts by the run date.
    SELECT l.*, n
      FROM live l
     CROSS JOIN LATERAL generate_series(
           CASE WHEN l.last_paid IS NULL THEN 0
                WHEN l.days IS NULL THEN ((extract(year FROM l.last_paid) - extract(year FROM l.first_payment_on)) * 12
                                          + extract(month FROM l.last_paid) - extract(month FROM l.first_payment_on))::int + 1
                ELSE (l.last_paid - l.first_payment_on) / l.days + 1 END,
           CASE WHEN l.days IS NULL THEN ((extract(year FROM l.last_day) - extract(year FROM l.first_payment_on)) * 12
                                          + extract(month FROM l.last_day) - extract(month FROM l.first_payment_on))::int
                ELSE (l.last_day - l.first_payment_on) / l.days END) AS n
), due AS (
    SELECT b.id AS agreement_id, b.days, b.period_start, b.whole_end,
           LEAST(b.whole_end, COALESCE(b.ends_on, 'infinity'::date)) AS period_end, b.last_day
      FROM (SELECT m.*,
                   CASE WHEN m.days IS NULL THEN (m.first_payment_on + make_interval(months => m.n))::date
                        ELSE m.first_payment_on + m.n * m.days END AS period_start,
                   CASE WHEN m.days IS NULL THEN (m.first_payment_on + make_interval(months => m.n + 1))::date - 1
                        ELSE m.first_payment_on + (m.n + 1) * m.days - 1 END AS whole_end
              FROM numbered m) b
     WHERE b.period_start <= b.last_day
), weighted AS (
    SELECT d.agreement_id, d.period_start, d.period_end, d.whole_end, d.days,
           sum(pp.net_weekly * (LEAST(COALESCE(pp.effective_to, 'infinity'::date), d.period_end)
                                - GREATEST(pp.effective_from, d.period_start) + 1)) AS weighted
      FROM due d
      JOIN {price} pp ON pp.agreement_id = d.agreement_id AND pp.effective_from <= d.period_end
                     AND (pp.effective_to IS NULL OR pp.effective_to >= d.period_start)
     GROUP BY d.agreement_id, d.period_start, d.period_end, d.whole_end, d.days
), priced AS (
    -- pricing.period_amount: sum(net_weekly x days) / 7, or for a calendar month
    -- sum(net_weekly x days) x 52 / (12 x days in the whole month); one rounding, half a penny up.
    SELECT w.agreement_id, w.period_start, w.period_end,
           round(CASE WHEN w.days IS NULL THEN w.weighted * 52 / (12 * (w.whole_end - w.period_start + 1))
                      ELSE w.weighted / 7 END, 2) AS amount
      FROM weighted w
)
INSERT INTO {payment} (agreement_id, run_id, kind, period_start, period_end, due_on, amount, reason,
                       created_by_id, created_at)
SELECT agreement_id, %(run_id)s, 'regular', period_start, period_end, period_start, amount, '', %(by)s, %(now)s
  FROM priced
 WHERE amount > 0
 ORDER BY agreement_id, period_start
ON CONFLICT (agreement_id, period_start) WHERE kind = 'regular' DO NOTHING
"""


def _tables() -> dict[str, str]:
    q = connection.ops.quote_name
    return {"payment": q(Payment._meta.db_table), "agreement": q(DirectPaymentAgreement._meta.db_table),
            "price": q(PricePeriod._meta.db_table), "run": q(PaymentRun._meta.db_table)}


@transaction.atomic
def payment_run(*, run_on: dt.date, by) -> PaymentRun:
    """The payment run for `run_on`, set-based: every active agreement's regular periods that start on or
    before the date and are not yet paid (in advance, from the first payment, every 1 or 4 weeks or each calendar
    month, priced by the price periods), and the one-off payments due by then. Suspended agreements are skipped and listed.

    Idempotent: each regular period is unique in the database (agreement, period start), inserted with ON
    CONFLICT DO NOTHING; the run row for the date is locked, so two runs for the same date queue, and runs
    for different dates at once still pay no period twice. Running the same date again adds only payments
    that became due since (for example an agreement started in between)."""
    require_role(by, RUN_ROLES, "make a payment run")
    now = timezone.now()
    tables = _tables()
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {tables['run']} (run_on, total, payments_count, skipped, created_by_id, created_at) "  # noqa: S608
            "VALUES (%s, 0, 0, '{}', %s, %s) ON CONFLICT (run_on) DO NOTHING", [run_on, by.pk, now])
    run = PaymentRun.objects.select_for_update().get(run_on=run_on)
    with connection.cursor() as cursor:
        cursor.execute(_REGULAR_SQL.format(**tables), {"run_on": run_on, "run_id": run.pk, "by": by.pk, "now": now})
    Payment.objects.filter(run__isnull=True, due_on__lte=run_on, agreement__status=AgreementStatus.ACTIVE).exclude(
        kind=PaymentKind.REGULAR).update(run=run)
    skipped = set(DirectPaymentAgreement.objects.filter(status=AgreementStatus.SUSPENDED,
                                                        first_payment_on__lte=run_on).values_list("id", flat=True))
    run.total = Payment.objects.filter(run=run).aggregate(total=Sum("amount"))["total"] or Decimal("0.00")
    run.payments_count = Payment.objects.filter(run=run).count()
    run.skipped = sorted(set(run.skipped) | skipped)
    run.last_run_at = now
    run.save(update_fields=["total", "payments_count", "skipped", "last_run_at"])
    return run


# ---------------------------------------------------------------- personal assistants and employments

PA_FIELDS = ("name", "email", "phone", "preferred_channel", "area", "dbs_checked_on", "dbs_renewal_due_on",
             "training", "available_days", "availability", "languages", "ethnicity", "ethnicity_consent",
             "consent_to_contact", "is_active")


def _assistant_errors(fields: dict) -> dict:
    errors = {}
    if not _text(fields.get("name")):
        errors["name"] = "Enter the personal assistant's name"
    if fields.get("ethnicity") and not fields.get("ethnicity_consent"):
        errors["ethnicity"] = "Record ethnicity only if the personal assistant has agreed to it"
    if fields.get("ethnicity") and fields["ethnicity"] not in codes.Ethnicity.values:
        errors["ethnicity"] = "Choose an ethnic group from the list"
    checked, renewal = fields.get("dbs_checked_on"), fields.get("dbs_renewal_due_on")
    if checked and renewal and renewal < checked:
        errors["dbs_renewal_due_on"] = "The DBS renewal date must be after the check date"
    if checked and checked > timezone.localdate():
        errors["dbs_checked_on"] = "The DBS check date must be today or in the past"
    if (fields.get("preferred_channel") or "email") == "email" and not fields.get("email"):
        errors["email"] = "Enter an email address, or choose another way to contact them"
    if any(day not in Weekday.values for day in fields.get("available_days") or []):
        errors["available_days"] = "Choose the days from the list"
    return errors


def _week_order(days) -> list[str]:
    return [day for day in Weekday.values if day in set(days or [])]


@transaction.atomic
def assistant_add(*, by, **fields) -> PersonalAssistant:
    require_role(by, DP_ROLES, "add personal assistants")
    fields = {k: v for k, v in fields.items() if k in PA_FIELDS}
    fields["name"] = _text(fields.get("name"))
    fields["languages"] = [_text(x) for x in fields.get("languages") or [] if _text(x)]
    errors = _assistant_errors(fields)
    if errors:
        raise ValidationError(errors)
    fields["available_days"] = _week_order(fields.get("available_days"))
    fields["availability"] = (fields.get("availability") or "").strip()
    return PersonalAssistant.objects.create(created_by=by, **fields)


@transaction.atomic
def assistant_update(*, assistant: PersonalAssistant, by, **fields) -> PersonalAssistant:
    require_role(by, DP_ROLES, "change personal assistants")
    current = {f: getattr(assistant, f) for f in PA_FIELDS}
    current.update({k: v for k, v in fields.items() if k in PA_FIELDS})
    current["name"] = _text(current["name"])
    current["languages"] = [_text(x) for x in current.get("languages") or [] if _text(x)]
    errors = _assistant_errors(current)
    if errors:
        raise ValidationError(errors)
    current["available_days"] = _week_order(current.get("available_days"))
    current["availability"] = (current.get("availability") or "").strip()
    for key, value in current.items():
        setattr(assistant, key, value)
    if not assistant.ethnicity_consent:
        assistant.ethnicity = ""
    assistant.save()
    return assistant


def _family_rule(*, relationship: str, same_household: bool, necessity_reason: str, necessity_approved_by,
                 necessity_review_on: dt.date | None, current: NecessityDecision | None = None) -> tuple[dict, bool]:
    """The family rule (Direct Payments Regulations 2014, reg 3), checked on every save of an employment:
    (errors, whether a new necessity decision is to be recorded). A close relative living in the person's
    household needs a necessity decision: a new one entered now, or the current one if the date to look at
    it again has not come."""
    errors: dict[str, str] = {}
    if relationship not in Relationship.values:
        errors["relationship"] = "Choose how the personal assistant is related to the person"
        return errors, False
    if not (relationship in CLOSE_RELATIVES and same_household):
        return errors, False
    entered = bool(necessity_reason or necessity_approved_by or necessity_review_on)
    today = timezone.localdate()
    if current is not None and not entered:
        if current.review_on > today:
            return errors, False
        errors["__all__"] = (f"The necessity decision for paying this relative was due to be looked at again by "
                             f"{current.review_on:%-d %B %Y}. Look at it again and record the decision below before "
                             "saving this change.")
        errors["necessity_reason"] = "Say why paying this relative is still necessary"
        return errors, False
    if not necessity_reason or necessity_approved_by is None or necessity_review_on is None:
        errors["__all__"] = FAMILY_RULE_MESSAGE
        if not necessity_reason:
            errors["necessity_reason"] = "Say why paying this relative is necessary"
        if necessity_approved_by is None:
            errors["necessity_approved_by"] = "Choose who approved the decision"
        if necessity_review_on is None:
            errors["necessity_review_on"] = "Enter when the decision will be looked at again"
    elif necessity_review_on <= today:
        errors["necessity_review_on"] = "The date to look at the decision again must be in the future"
    elif role_of(necessity_approved_by) not in DECIDE_ROLES:
        errors["necessity_approved_by"] = ("The decision must be approved by a direct payments officer, team "
                                           "leader or senior manager")
    return errors, True


def _save_family_rule(save):
    """Run `save`; the database's family rule constraint refusing it becomes the plain explanation."""
    try:
        with transaction.atomic():
            return save()
    except IntegrityError as exc:
        if "family_rule_needs_necessity_decision" in str(exc):
            raise ValidationError(FAMILY_RULE_MESSAGE) from None
        raise


@transaction.atomic
def employment_add(*, agreement: DirectPaymentAgreement, assistant: PersonalAssistant, by, starts_on: dt.date,
                   hourly_rate: Decimal, relationship: str = Relationship.NONE, same_household: bool = False,
                   ends_on: dt.date | None = None, necessity_reason: str = "", necessity_approved_by=None,
                   necessity_review_on: dt.date | None = None) -> Employment:
    """Link a personal assistant to the recipient who employs them. The family rule: a close relative living
    in the person's household needs a necessity decision (why, who approved it, when it is looked at again),
    or the employment is refused with a plain explanation. The database refuses it too."""
    require_full_access(by, agreement.person)
    necessity_reason = (necessity_reason or "").strip()
    errors, new_decision = _family_rule(relationship=relationship, same_household=same_household,
                                        necessity_reason=necessity_reason, necessity_approved_by=necessity_approved_by,
                                        necessity_review_on=necessity_review_on)
    if hourly_rate is None or hourly_rate <= 0:
        errors["hourly_rate"] = "Enter the hourly rate, more than zero"
    if ends_on and ends_on < starts_on:
        errors["ends_on"] = "The end date must be on or after the start date"
    if not agreement.is_live:
        errors["starts_on"] = "This agreement has ended"
    if errors:
        raise ValidationError(errors)
    decision = None
    if new_decision:
        decision = NecessityDecision.objects.create(reason=necessity_reason, approved_by=necessity_approved_by,
                                                    decided_on=timezone.localdate(), review_on=necessity_review_on)
    return _save_family_rule(lambda: Employment.objects.create(
        assistant=assistant, agreement=agreement, starts_on=starts_on, ends_on=ends_on, hourly_rate=hourly_rate,
        relationship=relationship, same_household=same_household, necessity_decision=decision, created_by=by))


@transaction.atomic
def employment_end(*, employment: Employment, by, ends_on: dt.date | None, reason: str) -> Employment:
    """End an employment on a date, with the reason (for example the personal assistant left, or the
    recipient stopped employing them). Ending stops the pay, so it never needs a necessity decision. An
    ended employment's end date can be corrected the same way."""
    require_full_access(by, employment.agreement.person)
    employment = Employment.objects.select_for_update().get(pk=employment.pk)
    reason = (reason or "").strip()
    errors = {}
    if ends_on is None:
        errors["ends_on"] = "Enter the last day of the employment"
    elif ends_on < employment.starts_on:
        errors["ends_on"] = (f"The last day cannot be before the employment started "
                             f"({employment.starts_on:%-d %B %Y})")
    elif employment.rates.filter(effective_from__gt=ends_on).exists():
        errors["ends_on"] = "A new hourly rate starts after this day. End the employment on or after that date"
    if not reason:
        errors["reason"] = "Say why the employment is ending"
    if errors:
        raise ValidationError(errors)
    employment.ends_on, employment.end_reason = ends_on, reason
    employment.save(update_fields=["ends_on", "end_reason"])
    return employment


@transaction.atomic
def employment_change(*, employment: Employment, by, relationship: str, same_household: bool,
                      hourly_rate: Decimal | None = None, rate_from: dt.date | None = None, reason: str = "",
                      necessity_reason: str = "", necessity_approved_by=None,
                      necessity_review_on: dt.date | None = None) -> Employment:
    """Change an employment: a new hourly rate from a date (with the reason), and the relationship and
    household as they are now. The family rule is checked again on every change: a close relative in the
    same household needs a necessity decision whose date to look at again has not come, or a new one."""
    require_full_access(by, employment.agreement.person)
    employment = (Employment.objects.select_for_update(of=("self",)).select_related("necessity_decision", "agreement")
                  .get(pk=employment.pk))
    necessity_reason, reason = (necessity_reason or "").strip(), _text(reason)
    errors, new_decision = _family_rule(relationship=relationship, same_household=same_household,
                                        necessity_reason=necessity_reason, necessity_approved_by=necessity_approved_by,
                                        necessity_review_on=necessity_review_on, current=employment.necessity_decision)
    if (hourly_rate is None) != (rate_from is None):
        errors["hourly_rate" if hourly_rate is None else "rate_from"] = (
            "Enter both the new hourly rate and the date it starts, or neither")
    elif hourly_rate is not None:
        if hourly_rate <= 0:
            errors["hourly_rate"] = "Enter the hourly rate, more than zero"
        if rate_from <= employment.starts_on:
            errors["rate_from"] = (f"The new rate must start after the employment started "
                                   f"({employment.starts_on:%-d %B %Y})")
        elif employment.ends_on is not None and rate_from > employment.ends_on:
            errors["rate_from"] = f"The employment ended on {employment.ends_on:%-d %B %Y}"
        if not reason:
            errors["reason"] = "Say why the rate is changing"
    if not employment.agreement.is_live:
        errors["__all__"] = "This direct payment agreement has ended, so its employments cannot be changed"
    if errors:
        raise ValidationError(errors)
    if new_decision:
        employment.necessity_decision = NecessityDecision.objects.create(
            reason=necessity_reason, approved_by=necessity_approved_by, decided_on=timezone.localdate(),
            review_on=necessity_review_on)
    employment.relationship, employment.same_household = relationship, same_household
    _save_family_rule(lambda: employment.save(update_fields=["relationship", "same_household",
                                                             "necessity_decision"]))
    if hourly_rate is not None:
        # A change from the same day replaces the one recorded before; later changes stay.
        EmploymentRate.objects.update_or_create(employment=employment, effective_from=rate_from, defaults={
            "hourly_rate": hourly_rate, "reason": reason[:300], "created_by": by})
    return employment


@transaction.atomic
def broadcast_send(*, by, subject: str, body: str, area: str = "") -> Broadcast:
    """An email to every active personal assistant who agreed to be contacted and has an email address, or
    those of one area: one outbox row each (exactly once), sent by the messages task after the commit."""
    require_role(by, DP_ROLES, "message personal assistants")
    subject, body, area = _text(subject), (body or "").strip(), _text(area)
    errors = {}
    if not subject:
        errors["subject"] = "Enter a subject"
    if not body:
        errors["body"] = "Enter the message"
    if errors:
        raise ValidationError(errors)
    broadcast = Broadcast.objects.create(subject=subject, body=body, area=area, created_by=by)
    assistants = PersonalAssistant.objects.filter(is_active=True, consent_to_contact=True).exclude(email="")
    if area:
        assistants = assistants.filter(area__iexact=area)
    ids = list(assistants.values_list("id", flat=True))
    outbox.insert_new(AssistantMessage, [
        {"key": f"pa-broadcast:{broadcast.pk}:{pk}", "broadcast_id": broadcast.pk, "assistant_id": pk} for pk in ids])
    broadcast.recipients_count = len(ids)
    broadcast.save(update_fields=["recipients_count"])

    def _send():
        from .tasks import send_assistant_messages

        send_assistant_messages.delay()

    transaction.on_commit(_send)
    return broadcast


# ---------------------------------------------------------------- returns, surplus and recovery


def _expected_return(agreement, period_start: dt.date) -> AccountReturn:
    start, end = pricing.quarter(period_start)
    due = end + dt.timedelta(days=conf.get("DP_RETURN_DUE_DAYS"))
    ret, _ = AccountReturn.objects.get_or_create(agreement=agreement, period_start=start,
                                                 defaults={"period_end": end, "due_on": due})
    return ret


@transaction.atomic
def return_record(*, agreement: DirectPaymentAgreement, by, period_start: dt.date, opening_balance: Decimal,
                  closing_balance: Decimal, spend: Decimal, received_on: dt.date, evidence_received: bool = False,
                  notes: str = "") -> AccountReturn:
    """Record the quarter's account return (the quarter holding `period_start`). A closing balance above the
    surplus threshold proposes a recovery for an officer to decide."""
    require_full_access(by, agreement.person)
    errors = {}
    for field, value in (("opening_balance", opening_balance), ("closing_balance", closing_balance),
                         ("spend", spend)):
        if value is None:
            errors[field] = "Enter an amount in pounds and pence, for example 1250.00"
    if spend is not None and spend < 0:
        errors["spend"] = "The spend cannot be less than zero"
    if received_on and received_on > timezone.localdate():
        errors["received_on"] = "The date received must be today or in the past"
    start, end = pricing.quarter(period_start)
    if end < agreement.starts_on:
        errors["period_start"] = "The quarter ends before the agreement started"
    if end >= timezone.localdate():
        from_day = end + dt.timedelta(days=1)
        errors["period_start"] = f"That quarter has not ended yet: record its return from {from_day:%-d %B %Y}"
    if errors:
        raise ValidationError(errors)
    ret = _expected_return(agreement, start)
    ret = AccountReturn.objects.select_for_update().get(pk=ret.pk)
    if ret.status == ReturnStatus.RECEIVED and hasattr(ret, "recovery"):
        raise ValidationError({"period_start": "A return for this quarter is already recorded and a recovery was "
                                               "proposed from it"})
    ret.opening_balance, ret.closing_balance, ret.spend = opening_balance, closing_balance, spend
    ret.received_on, ret.evidence_received, ret.notes = received_on, evidence_received, (notes or "").strip()
    ret.status, ret.recorded_by = ReturnStatus.RECEIVED, by
    ret.save()
    price = current_price(agreement, end)
    found = pricing.surplus(closing_balance, price.net_weekly if price else Decimal(0),
                            threshold_weeks=conf.get("DP_SURPLUS_WEEKS"),
                            contingency_weeks=conf.get("DP_CONTINGENCY_WEEKS"))
    if found is not None:
        Recovery.objects.update_or_create(account_return=ret, defaults={
            "agreement": agreement, "closing_balance": found.closing_balance, "net_weekly": price.net_weekly,
            "threshold_weeks": conf.get("DP_SURPLUS_WEEKS"), "contingency_weeks": conf.get("DP_CONTINGENCY_WEEKS"),
            "proposed_amount": found.proposed})
    return ret


@transaction.atomic
def recovery_decide(*, recovery: Recovery, by, decision: str, amount: Decimal | None = None,
                    reason: str = "") -> Recovery:
    """The officer approves the proposed amount, approves a different amount (with the reason, for example
    personal assistant holiday pay or invoices due), or waives the recovery (with the reason)."""
    require_role(by, DECIDE_ROLES, "decide a recovery")
    require_full_access(by, recovery.agreement.person)
    recovery = Recovery.objects.select_for_update().get(pk=recovery.pk)
    reason = (reason or "").strip()
    errors = {}
    if recovery.status != RecoveryStatus.PROPOSED:
        errors["decision"] = "This recovery has already been decided"
    elif decision == RecoveryStatus.APPROVED:
        amount = recovery.proposed_amount
    elif decision == RecoveryStatus.ADJUSTED:
        if amount is None or amount <= 0:
            errors["amount"] = "Enter the amount to recover, more than zero. To recover nothing, waive it"
        elif amount > recovery.closing_balance:
            errors["amount"] = f"The amount cannot be more than the balance of £{recovery.closing_balance:,}"
        elif pricing.pennies(amount) != amount:
            errors["amount"] = "Enter the amount in pounds and pence, for example 125.50"
        if not reason:
            errors["reason"] = "Say why the amount is different, for example holiday pay or invoices due"
    elif decision == RecoveryStatus.WAIVED:
        amount = None
        if not reason:
            errors["reason"] = "Say why the recovery is waived"
    else:
        errors["decision"] = "Choose approve, change the amount, or waive"
    if errors:
        raise ValidationError(errors)
    recovery.status, recovery.amount, recovery.reason = decision, amount, reason
    recovery.decided_by, recovery.decided_at = by, timezone.now()
    recovery.save()
    return recovery


@transaction.atomic
def audit_record(*, agreement: DirectPaymentAgreement, by, done_on: dt.date, contribution_paid: bool,
                 spending_matches_plan: bool, unspent: Decimal | None = None, findings: str = "") -> FinancialAudit:
    """Record a financial audit of the account: whether the contribution was paid in, whether spending
    matches the plan, and any unspent money. The next is due 12 months after it (directpayments/audits.py)."""
    require_role(by, DECIDE_ROLES + (Role.FINANCE_OFFICER,), "record a financial audit")
    require_full_access(by, agreement.person)
    findings = (findings or "").strip()
    unspent = Decimal("0.00") if unspent is None else unspent
    errors = {}
    if agreement.first_payment_on is None:
        errors["done_on"] = "Payments have not started, so there is nothing to audit yet"
    elif done_on > timezone.localdate():
        errors["done_on"] = "The audit date must be today or in the past"
    elif done_on < agreement.first_payment_on:
        errors["done_on"] = f"The audit cannot be before the first payment ({agreement.first_payment_on:%-d %B %Y})"
    if unspent < 0:
        errors["unspent"] = "The unspent money cannot be less than zero"
    if (not contribution_paid or not spending_matches_plan or unspent > 0) and not findings:
        errors["findings"] = "Say what the audit found and what happens next"
    if errors:
        raise ValidationError(errors)
    return FinancialAudit.objects.create(agreement=agreement, done_on=done_on, contribution_paid=contribution_paid,
                                         spending_matches_plan=spending_matches_plan, unspent=unspent,
                                         findings=findings, done_by=by)


@transaction.atomic
def misuse_concern_raise(*, agreement: DirectPaymentAgreement, by, reason: str):
    """A concern that the money is not used for the support plan opens an unplanned direct payment review
    (Direct Payments Regulations 2014, reg 7), or brings the open one forward."""
    return review_services.review_request(plan=agreement.plan, by=by, requested_by=RequestedBy.WORKER,
                                          reason=f"Concern about how the direct payment is used: {_text(reason)}"
                                          if _text(reason) else "", topic=Topic.DIRECT_PAYMENT)
