"""Demo direct payments, for the direct payments officer (`dp.officer`) and finance (`finance.officer`):

- an agreement for every active demo plan with a service paid by direct payment (about 1 in 4 to a nominated or
  authorised person; prepaid cards, own accounts and managed accounts), priced from the plan; a few still being
  set up and one suspended;
- the last two payment runs (made by the payment run service, so the figures are the real sums);
- last quarter's account returns: most received, some overdue by more than 4 weeks, and one with a surplus
  waiting for the officer's decision;
- a register of personal assistants (languages, areas, DBS dates, some due for renewal), employed by the
  recipients whose plans buy personal assistant hours; one a daughter in the same household, employed with a
  necessity decision.

Rows are made in bulk (a few queries whatever the profile), so the small profile seeds quickly.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from django.db.models import Q
from django.utils import timezone

from assessments.models import PlanStatus, ServiceLine
from carecase import codes
from carecase.people.models import Person
from carecase.staff.models import StaffMember
from directpayments import pricing
from directpayments import services as dp_services
from directpayments.models import (
    AccountReturn,
    AccountType,
    AgreementStatus,
    DirectPaymentAgreement,
    Employment,
    FinancialAudit,
    Frequency,
    NecessityDecision,
    Payment,
    PersonalAssistant,
    PricePeriod,
    RecipientKind,
    Recovery,
    Relationship,
    ReturnStatus,
    StatusChange,
)
from reviews import services as review_services

from .names import POOLS

SUPPORT_SERVICES = ("Leicester Centre for Integrated Living", "Direct Payments Support Service (PeoplePlus)",
                    "Independent Living Support Hub")
AREAS = ("City East", "City West", "City North", "City South", "Countywide")
PA_POOLS = (("british", ["English"], 45), ("gujarati_hindu", ["English", "Gujarati"], 20),
            ("punjabi_sikh", ["English", "Punjabi"], 8), ("pakistani", ["English", "Urdu"], 6),
            ("somali", ["English", "Somali"], 5), ("polish", ["English", "Polish"], 6),
            ("caribbean", ["English"], 5), ("gujarati_muslim", ["English", "Gujarati", "Urdu"], 5))
ETHNICITY = {"british": codes.Ethnicity.WHITE_BRITISH, "gujarati_hindu": codes.Ethnicity.INDIAN,
             "punjabi_sikh": codes.Ethnicity.INDIAN, "pakistani": codes.Ethnicity.PAKISTANI,
             "polish": codes.Ethnicity.WHITE_OTHER, "gujarati_muslim": codes.Ethnicity.INDIAN}
TRAINING = ("Moving and handling; first aid", "Medication awareness; safeguarding adults",
            "Care Certificate", "Dementia awareness; first aid", "")


def _monday_on_or_before(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def _pa_name(rng: random.Random, key: str) -> str:
    pool = POOLS[key]
    given = rng.choice(pool.female_younger + pool.male_younger)
    names, weights = zip(*pool.family, strict=True)
    return f"{given} {rng.choices(names, weights)[0]}"


def load(data) -> dict[str, int]:
    """Write the demo direct payments; returns counts. Does nothing without the direct payments officer."""
    officer = StaffMember.objects.select_related("user").filter(user__username="dp.officer").first()
    if officer is None:
        return {}
    rng = random.Random(f"direct-payments-{data.seed}")
    today = min(data.as_of, timezone.localdate())
    by = officer.user

    # Gross weekly of each active plan's direct payment lines in force today, in one grouped query.
    lines = ServiceLine.objects.filter(
        Q(ends_on__isnull=True) | Q(ends_on__gte=today), plan__status=PlanStatus.ACTIVE,
        delivery_mechanism=codes.DeliveryMechanism.DIRECT_PAYMENT, starts_on__lte=today,
        plan__person__date_of_death__isnull=True)
    plans = {}
    for line in lines.select_related("plan").order_by("plan_id", "id"):
        entry = plans.setdefault(line.plan_id, {"plan": line.plan, "gross": Decimal("0.00"), "pa": False,
                                                "starts": line.starts_on})
        entry["gross"] += pricing.line_weekly(line.units_per_week, line.unit_cost)
        entry["pa"] |= line.component == codes.ServiceComponent.PERSONAL_ASSISTANT
        entry["starts"] = max(entry["starts"], line.starts_on)
    if not plans:
        return {}

    agreements, specs = [], []
    for n, entry in enumerate(plans.values()):
        plan = entry["plan"]
        starts = max(entry["starts"], plan.starts_on or entry["starts"])
        kind = (RecipientKind.AUTHORISED if n % 9 == 4 else RecipientKind.NOMINATED if n % 5 == 2
                else RecipientKind.PERSON)
        recently = (today - starts).days < 21
        status = AgreementStatus.SET_UP if recently or n % 23 == 7 else AgreementStatus.ACTIVE
        # Payments moved to CareCase 26 weeks ago; earlier ones were paid by the old system.
        first = max(starts, _monday_on_or_before(today - dt.timedelta(weeks=26)))
        agreements.append(DirectPaymentAgreement(
            person_id=plan.person_id, plan=plan, recipient_kind=kind,
            recipient_name="" if kind == RecipientKind.PERSON else rng.choice(
                ("Asha", "Priya", "Daniel", "Sarah", "Imran", "Grace")) + " " + rng.choice(
                ("Patel", "Mistry", "Smith", "Khan", "Brown", "Chauhan")),
            recipient_relationship={"person": "", "nominated": "Daughter", "authorised": "Son (lasting power of "
                                    "attorney)"}[kind],
            capacity_decided_on=starts - dt.timedelta(days=30) if kind == RecipientKind.AUTHORISED else None,
            capacity_decided_by="The allocated social worker" if kind == RecipientKind.AUTHORISED else "",
            capacity_summary="Cannot understand or weigh up how the money would be managed; the family agree "
                             "to manage it" if kind == RecipientKind.AUTHORISED else "",
            starts_on=starts, frequency=(Frequency.WEEKLY if n % 7 == 3 else Frequency.MONTHLY if n % 7 == 5
                       else Frequency.FOUR_WEEKLY),
            account_type=rng.choices(AccountType.values, (35, 50, 15))[0],
            support_service=rng.choice(SUPPORT_SERVICES), status=status,
            first_payment_on=first if status == AgreementStatus.ACTIVE else None, officer=by, created_by=by))
        specs.append(entry)
    # Names for the person's own agreements come from the record.
    names = {p.id: (p.full_name, p.email, p.phone) for p in Person.objects.filter(
        id__in=[a.person_id for a in agreements if a.recipient_kind == RecipientKind.PERSON])}
    for a in agreements:
        if a.recipient_kind == RecipientKind.PERSON:
            a.recipient_name, a.recipient_email, a.recipient_phone = names[a.person_id]
    agreements = DirectPaymentAgreement.objects.bulk_create(agreements)
    for a in agreements:
        a.payee_reference = f"DP{a.pk:07d}"
    DirectPaymentAgreement.objects.bulk_update(agreements, ["payee_reference"])
    prices, changes = [], []
    for a, entry in zip(agreements, specs, strict=True):
        taken, net = pricing.net_weekly(entry["gross"], entry["plan"].assessed_contribution_weekly)
        prices.append(PricePeriod(agreement=a, effective_from=a.starts_on, gross_weekly=entry["gross"],
                                  contribution_weekly=taken, net_weekly=net, reason="Agreement set up",
                                  created_by=by))
        changes.append(StatusChange(agreement=a, from_status="", to_status=AgreementStatus.SET_UP,
                                    reason="Agreement set up", by=by))
        if a.status == AgreementStatus.ACTIVE:
            changes.append(StatusChange(agreement=a, from_status=AgreementStatus.SET_UP,
                                        to_status=AgreementStatus.ACTIVE, reason="Agreement signed", by=by))
    PricePeriod.objects.bulk_create(prices)
    active = [a for a in agreements if a.status == AgreementStatus.ACTIVE]
    # Each active direct payment has its own review, within 6 months of the first payment (as starting
    # payments schedules it through the reviews app).
    for a in active:
        review_services.review_schedule_direct_payment(plan=a.plan, by=by, first_payment_on=a.first_payment_on)
    suspended = active[len(active) // 2] if len(active) > 4 else None
    if suspended is not None:
        changes.append(StatusChange(agreement=suspended, from_status=AgreementStatus.ACTIVE,
                                    to_status=AgreementStatus.SUSPENDED, by=by,
                                    reason="In hospital; payments paused until the person is home"))
        DirectPaymentAgreement.objects.filter(pk=suspended.pk).update(status=AgreementStatus.SUSPENDED)
    changes = StatusChange.objects.bulk_create(changes)
    # Each change dated when it happened, not when the demo was loaded.
    started = {a.pk: a for a in agreements}
    for change in changes:
        agreement = started[change.agreement_id]
        day = (agreement.starts_on - dt.timedelta(days=14) if change.to_status == AgreementStatus.SET_UP
               else agreement.first_payment_on or agreement.starts_on if change.to_status == AgreementStatus.ACTIVE
               else today - dt.timedelta(days=10))
        change.at = timezone.make_aware(dt.datetime.combine(min(day, today), dt.time(10, 30)))
    StatusChange.objects.bulk_update(changes, ["at"])
    # First financial audits, 3 months after the first payment, for most agreements old enough to have had one.
    audits = []
    for n, a in enumerate(active):
        done_on = a.first_payment_on + dt.timedelta(days=91 + rng.randint(0, 20))
        if done_on <= today and n % 6:
            audits.append(FinancialAudit(agreement=a, done_on=done_on, contribution_paid=True,
                                         spending_matches_plan=n % 9 != 4,
                                         findings="" if n % 9 != 4 else "Two payments to a gym; agreed to stop",
                                         done_by=by))
    FinancialAudit.objects.bulk_create(audits)

    # The last two payment runs, on Mondays.
    last_monday = _monday_on_or_before(today)
    for run_on in (last_monday - dt.timedelta(weeks=4), last_monday):
        dp_services.payment_run(run_on=run_on, by=by)

    # Last quarter's returns: most in, some late, one with a surplus.
    q_start, q_end = pricing.quarter(pricing.quarter(today)[0] - dt.timedelta(days=1))
    due = q_end + dt.timedelta(days=28)
    net = {p.agreement_id: p.net_weekly for p in prices}
    returns = []
    for n, a in enumerate(a for a in active if a.first_payment_on <= q_end):
        received = n % 6 != 5
        balance = (net[a.pk] * rng.randint(2, 6)).quantize(Decimal("0.01"))
        returns.append(AccountReturn(
            agreement=a, period_start=q_start, period_end=q_end, due_on=due,
            status=ReturnStatus.RECEIVED if received else ReturnStatus.EXPECTED,
            opening_balance=balance if received else None,
            spend=(net[a.pk] * 13).quantize(Decimal("0.01")) if received else None,
            closing_balance=balance if received else None, evidence_received=received and n % 4 != 1,
            received_on=min(due - dt.timedelta(days=rng.randint(0, 20)), today) if received else None,
            recorded_by=by if received else None))
    # An older quarter still missing for a few, so some are more than 4 weeks overdue.
    p_start, p_end = pricing.quarter(q_start - dt.timedelta(days=1))
    for a in [a for a in active if a.first_payment_on <= p_end][:3]:
        returns.append(AccountReturn(agreement=a, period_start=p_start, period_end=p_end,
                                     due_on=p_end + dt.timedelta(days=28)))
    returns = AccountReturn.objects.bulk_create(returns)
    surplus = next((r for r in returns if r.status == ReturnStatus.RECEIVED and net[r.agreement_id] > 0), None)
    recoveries = 0
    if surplus is not None:
        weekly = net[surplus.agreement_id]
        surplus.closing_balance = (weekly * 11 + Decimal("137.40")).quantize(Decimal("0.01"))
        surplus.save(update_fields=["closing_balance"])
        found = pricing.surplus(surplus.closing_balance, weekly, threshold_weeks=8, contingency_weeks=4)
        Recovery.objects.create(agreement_id=surplus.agreement_id, account_return=surplus,
                                closing_balance=found.closing_balance, net_weekly=weekly, threshold_weeks=8,
                                contingency_weeks=4, proposed_amount=found.proposed)
        recoveries = 1

    # Personal assistants, and who employs them.
    assistants = []
    keys, languages, weights = zip(*PA_POOLS, strict=True)
    for n in range(max(20, min(400, len(agreements)))):
        (key, spoken), = rng.choices(list(zip(keys, languages, strict=True)), weights)
        checked = today - dt.timedelta(days=rng.randint(30, 1000))
        consent = n % 3 == 0 and key in ETHNICITY
        assistants.append(PersonalAssistant(
            name=_pa_name(rng, key), email=f"pa{n + 1}@example.org", phone=f"07700 9{n:05d}",
            area=rng.choice(AREAS), dbs_checked_on=checked,
            dbs_renewal_due_on=checked + dt.timedelta(days=3 * 365 if n % 5 else 1060),
            training=rng.choice(TRAINING), languages=spoken, ethnicity=ETHNICITY[key] if consent else "",
            ethnicity_consent=consent, consent_to_contact=n % 8 != 0, created_by=by))
    assistants = PersonalAssistant.objects.bulk_create(assistants)
    employments = []
    employing = [a for a, entry in zip(agreements, specs, strict=True) if entry["pa"]]
    family = employing[0] if employing else None
    for n, a in enumerate(employing):
        pa = assistants[n % len(assistants)]
        decision = None
        if a is family:
            decision = NecessityDecision.objects.create(
                reason="No agency or personal assistant could be found for the early morning and late evening "
                       "calls in this area; she already lives with her mother and knows her routines",
                approved_by=by, decided_on=a.starts_on, review_on=today + dt.timedelta(days=120))
        employments.append(Employment(
            assistant=pa, agreement=a, starts_on=a.starts_on, hourly_rate=Decimal(rng.choice(("12.60", "13.00",
                                                                                              "13.50", "14.25"))),
            relationship=Relationship.CHILD if a is family else Relationship.NONE, same_household=a is family,
            necessity_decision=decision, created_by=by))
    Employment.objects.bulk_create(employments)
    return {"direct payment agreements": len(agreements),
            "direct payments": Payment.objects.filter(agreement__in=agreements).count(),
            "direct payment returns": len(returns), "direct payment recoveries": recoveries,
            "personal assistants": len(assistants), "personal assistant employments": len(employments),
            "direct payment financial audits": len(audits)}
