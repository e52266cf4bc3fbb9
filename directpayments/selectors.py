"""Reads of direct payments. A person's agreements, payments and returns are read through the person's access
check and logged (open_record); lists across people (the dashboard, payment runs, the API) keep only the people
the user may see, name only those they may open in full, and log one read each in one insert. The personal
assistants register is not person records, but their details are personal data: direct payments roles only.
Dashboard figures are counts, with no one named.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from assessments.models import PlanStatus, ServiceLine, SupportPlan
from carecase import codes
from carecase.audit.access import (
    Access,
    Level,
    access_levels,
    full_access_q,
    log_reads_each,
    open_record,
    role_of,
)
from carecase.audit.models import AccessAction, AccessBasis
from carecase.people.models import Person
from carecase.staff.models import Allocation, Role, StaffMember

from . import audits, conf
from .models import (
    AccountReturn,
    AgreementStatus,
    DirectPaymentAgreement,
    Employment,
    FinancialAudit,
    Payment,
    PaymentRun,
    PersonalAssistant,
    PricePeriod,
    Recovery,
    RecoveryStatus,
    ReturnStatus,
    StatusChange,
)

DP_ROLES = (Role.DP_OFFICER, Role.FINANCE_OFFICER, Role.TEAM_LEADER, Role.SENIOR_MANAGER)
RUN_ROLES = (Role.DP_OFFICER, Role.FINANCE_OFFICER, Role.SENIOR_MANAGER)


def is_dp_staff(user) -> bool:
    return role_of(user) in DP_ROLES


def require_dp_staff(user) -> None:
    if not is_dp_staff(user):
        raise PermissionDenied("Only direct payments officers, finance officers, team leaders and senior managers "
                               "can see this page.")


# ---------------------------------------------------------------- one person, one agreement


def person_agreements(*, user, person_id: int, path: str = "") -> tuple[Person, list[DirectPaymentAgreement],
                                                                         list[SupportPlan]]:
    """The person's agreements (newest first) and their active plans with a direct payment line (what an
    agreement can be set up for)."""
    person = Person.objects.get(pk=person_id)
    open_record(user, person, resource="direct payments", path=path)
    agreements = list(DirectPaymentAgreement.objects.filter(person=person).select_related("plan", "officer")
                      .prefetch_related("prices").order_by("-starts_on", "-id"))
    plans = list(SupportPlan.objects.filter(person=person, status=PlanStatus.ACTIVE).filter(
        Exists(ServiceLine.objects.filter(plan=OuterRef("pk"), delivery_mechanism=codes.DeliveryMechanism.DIRECT_PAYMENT)))
        .prefetch_related("services").order_by("starts_on", "id"))
    return person, agreements, plans


def plan_for_set_up(*, user, person_id: int, plan_id: int, path: str = "") -> SupportPlan:
    person = Person.objects.get(pk=person_id)
    open_record(user, person, resource="direct payment set-up", path=path)
    plan = SupportPlan.objects.prefetch_related("services").get(pk=plan_id, person=person)
    plan.person = person
    return plan


def plan_by_id(*, user, plan_id: int, path: str = "", action: str = AccessAction.VIEW) -> SupportPlan:
    plan = SupportPlan.objects.get(pk=plan_id)
    person = Person.objects.get(pk=plan.person_id)
    open_record(user, person, resource="direct payment set-up", action=action, path=path)
    plan.person = person
    return plan


def payments_visible(*, user) -> QuerySet:
    return Payment.objects.filter(agreement__in=agreements_visible(user=user)).select_related("agreement")


def returns_visible(*, user) -> QuerySet:
    return AccountReturn.objects.filter(agreement__in=agreements_visible(user=user)).select_related("agreement")


def agreement_for(*, user, agreement_id: int, path: str = "", action: str = AccessAction.VIEW,
                  resource: str = "direct payment agreement") -> DirectPaymentAgreement:
    """One agreement with everything its page shows, if the user may open the person's record in full."""
    agreement = (DirectPaymentAgreement.objects.select_related("plan", "officer", "created_by")
                 .prefetch_related(
                     Prefetch("prices", queryset=PricePeriod.objects.order_by("effective_from")),
                     Prefetch("status_changes", queryset=StatusChange.objects.select_related("by").order_by("at", "id")),
                     Prefetch("payments", queryset=Payment.objects.select_related("run").order_by("-due_on", "-id")),
                     Prefetch("returns", queryset=AccountReturn.objects.select_related("recovery")
                              .order_by("-period_start")),
                     Prefetch("audits", queryset=FinancialAudit.objects.select_related("done_by")),
                     Prefetch("employments", queryset=Employment.objects.select_related(
                         "assistant", "necessity_decision__approved_by").prefetch_related("rates")),
                     "plan__services")
                 .get(pk=agreement_id))
    person = Person.objects.get(pk=agreement.person_id)
    open_record(user, person, resource=resource, action=action, path=path)
    agreement.person = person
    return agreement


def recovery_for(*, user, recovery_id: int, path: str = "", action: str = AccessAction.VIEW) -> Recovery:
    recovery = Recovery.objects.select_related("agreement", "account_return", "decided_by").get(pk=recovery_id)
    person = Person.objects.get(pk=recovery.agreement.person_id)
    open_record(user, person, resource="direct payment recovery", action=action, path=path)
    recovery.agreement.person = person
    return recovery


# ---------------------------------------------------------------- lists across people


@dataclass(frozen=True)
class Listed:
    """A row about one person in a list: named only if the user may open the record in full."""

    row: object
    person_id: int
    name: str
    access: Access

    @property
    def named(self) -> bool:
        return self.access.is_full


def _listed(user, rows: list, *, person_of, resource: str, path: str = "",
            action: str = AccessAction.VIEW) -> list[Listed]:
    """Keep the rows whose person the user may at least know of (restricted records and people the user may
    not see are left out), name those they may open in full and log those reads in one insert."""
    ids = {person_of(r) for r in rows}
    people = {p.id: p for p in Person.objects.filter(id__in=ids).only(
        "id", "given_name", "family_name", "preferred_name", "is_restricted")}
    levels = access_levels(user, people.values())
    listed = []
    for row in rows:
        pid = person_of(row)
        access = levels.get(pid)
        if access is None or access.level < Level.LIMITED:
            continue
        listed.append(Listed(row=row, person_id=pid, access=access,
                             name=people[pid].display_name if access.is_full else f"Record {pid}"))
    full = {item.person_id: item.access.basis for item in listed if item.access.is_full}
    if full:
        log_reads_each(user, full, action=action, resource=resource, path=path)
    return listed


def agreements_visible(*, user) -> QuerySet:
    """Agreements of people the user may open in full (for the API lists): the access policy's queryset twin,
    so a list shows exactly what opening each agreement would allow."""
    return DirectPaymentAgreement.objects.filter(full_access_q(user))


def api_log(user, person_ids, *, resource: str, path: str = "") -> None:
    """Log an API read of each person listed (all were chosen by `agreements_visible`)."""
    ids = set(person_ids)
    if not ids:
        return
    people = Person.objects.filter(id__in=ids).only("id", "is_restricted")
    levels = access_levels(user, people)
    full = {pid: a.basis for pid, a in levels.items() if a.is_full}
    if full:
        log_reads_each(user, full, action=AccessAction.API, resource=resource, path=path)


def returns_overdue(*, user, today: dt.date | None = None, path: str = "") -> list[Listed]:
    today = today or timezone.localdate()
    rows = list(AccountReturn.objects.filter(status=ReturnStatus.EXPECTED, due_on__lt=today)
                .select_related("agreement").order_by("due_on", "id")[:200])
    return _listed(user, rows, person_of=lambda r: r.agreement.person_id, resource="direct payments dashboard",
                   path=path)


def necessity_reviews_due(*, user, today: dt.date | None = None, path: str = "") -> list[Listed]:
    """Employments of a close relative in the same household whose necessity decision is due to be looked at
    again (its date has come), in live agreements, the employment not ended: oldest first."""
    today = today or timezone.localdate()
    rows = list(_necessity_due(today).select_related("agreement", "assistant", "necessity_decision")
                .order_by("necessity_decision__review_on", "id")[:200])
    return _listed(user, rows, person_of=lambda e: e.agreement.person_id, resource="direct payments dashboard",
                   path=path)


def _necessity_due(today: dt.date) -> QuerySet:
    return Employment.objects.filter(
        Q(ends_on__isnull=True) | Q(ends_on__gte=today), necessity_decision__review_on__lte=today,
        agreement__status__in=(AgreementStatus.SET_UP, AgreementStatus.ACTIVE, AgreementStatus.SUSPENDED))


def audits_due(*, user, today: dt.date | None = None, path: str = "") -> list[Listed]:
    """Active or suspended agreements whose financial audit is overdue or due within 30 days, most overdue
    first (directpayments/audits.py)."""
    today = today or timezone.localdate()
    rows = list(_audits_due(today).order_by("audit_due_on", "id")[:200])
    for row in rows:
        row.audit = audits.next_audit(first_payment_on=row.first_payment_on, last_done_on=row.last_audit_on,
                                      today=today)
    return _listed(user, rows, person_of=lambda a: a.person_id, resource="direct payments dashboard", path=path)


def _audits_due(today: dt.date) -> QuerySet:
    return audits.with_audit_due(DirectPaymentAgreement.objects.filter(
        status__in=(AgreementStatus.ACTIVE, AgreementStatus.SUSPENDED), first_payment_on__isnull=False)).filter(
        audit_due_on__lte=today + dt.timedelta(days=audits.DUE_SOON_DAYS))


def recoveries_waiting(*, user, path: str = "") -> list[Listed]:
    rows = list(Recovery.objects.filter(status=RecoveryStatus.PROPOSED).select_related("agreement", "account_return")
                .order_by("created_at", "id")[:200])
    return _listed(user, rows, person_of=lambda r: r.agreement.person_id, resource="direct payments dashboard",
                   path=path)


def run_payments(*, user, run: PaymentRun, path: str = "", action: str = AccessAction.VIEW) -> list[Listed]:
    """A run's payments with the agreement, for the run page and the finance export."""
    rows = list(Payment.objects.filter(run=run).select_related("agreement").order_by("agreement_id", "due_on", "id"))
    return _listed(user, rows, person_of=lambda p: p.agreement.person_id, resource="direct payment run",
                   path=path, action=action)


@dataclass(frozen=True)
class Exported:
    """One payment in the finance file. A restricted record's payment is still paid (by payee reference),
    but the file does not say whose it is."""

    row: Payment
    shows_person: bool


def run_payments_export(*, user, run: PaymentRun, path: str = "") -> list[Exported]:
    """Every payment of the run, for the finance file: each person in it is logged as an export."""
    if role_of(user) not in RUN_ROLES:
        raise PermissionDenied("Only direct payments officers, finance officers and senior managers can export "
                               "payment runs.")
    rows = list(Payment.objects.filter(run=run).select_related("agreement").order_by("agreement_id", "due_on", "id"))
    people = Person.objects.filter(id__in={p.agreement.person_id for p in rows}).only("id", "is_restricted")
    levels = access_levels(user, people)
    shown = {pid for pid, access in levels.items() if access.level >= Level.LIMITED}
    log_reads_each(user, {pid: (access.basis or AccessBasis.LIMITED) for pid, access in levels.items()
                          if pid in shown}, action=AccessAction.EXPORT, resource="direct payment run file", path=path)
    return [Exported(row=p, shows_person=p.agreement.person_id in shown) for p in rows]


def run_for(*, user, run_id: int) -> PaymentRun:
    if role_of(user) not in RUN_ROLES:
        raise PermissionDenied("Only direct payments officers, finance officers and senior managers can see "
                               "payment runs.")
    return PaymentRun.objects.select_related("created_by").get(pk=run_id)


def runs_list(*, user) -> QuerySet:
    if role_of(user) not in RUN_ROLES:
        raise PermissionDenied("Only direct payments officers, finance officers and senior managers can see "
                               "payment runs.")
    return PaymentRun.objects.select_related("created_by").order_by("-run_on")


def suspended_in_run(*, user, run: PaymentRun, path: str = "") -> list[Listed]:
    rows = list(DirectPaymentAgreement.objects.filter(id__in=run.skipped).order_by("id"))
    return _listed(user, rows, person_of=lambda a: a.person_id, resource="direct payment run", path=path)


# ---------------------------------------------------------------- personal assistants


def assistants(*, user, area: str = "", dbs_due_within_days: int | None = None, language: str = "",
               active: bool | None = True) -> QuerySet:
    require_dp_staff(user)
    qs = PersonalAssistant.objects.all().annotate(
        employments_live=Count("employments", filter=Q(employments__ends_on__isnull=True)))
    if active is not None:
        qs = qs.filter(is_active=active)
    if area:
        qs = qs.filter(area__iexact=area.strip())
    if language:
        qs = qs.filter(languages__contains=[language.strip()])
    if dbs_due_within_days is not None:
        qs = qs.filter(dbs_renewal_due_on__lte=timezone.localdate() + dt.timedelta(days=dbs_due_within_days))
    return qs.order_by("name", "id")


def assistant_for(*, user, assistant_id: int) -> PersonalAssistant:
    require_dp_staff(user)
    return PersonalAssistant.objects.get(pk=assistant_id)


def assistant_employments(*, user, assistant: PersonalAssistant, path: str = "") -> list[Listed]:
    rows = list(Employment.objects.filter(assistant=assistant).select_related("agreement", "necessity_decision")
                .prefetch_related("rates").order_by("-starts_on"))
    return _listed(user, rows, person_of=lambda e: e.agreement.person_id, resource="personal assistant employments",
                   path=path)


def assistants_to_employ() -> QuerySet:
    """For the employment form of an agreement the user has opened: names only."""
    return PersonalAssistant.objects.filter(is_active=True).only("id", "name", "area").order_by("name", "id")


def necessity_approvers() -> QuerySet:
    return StaffMember.objects.select_related("user").filter(
        role__in=(Role.DP_OFFICER, Role.TEAM_LEADER, Role.SENIOR_MANAGER), user__is_active=True).order_by(
        "user__last_name", "user__first_name")


def areas() -> list[str]:
    return list(PersonalAssistant.objects.exclude(area="").values_list("area", flat=True).distinct().order_by("area"))


def dbs_due(*, user, within_days: int = 60) -> QuerySet:
    return assistants(user=user, dbs_due_within_days=within_days).order_by("dbs_renewal_due_on", "name")


# ---------------------------------------------------------------- dashboard figures (counts only)


def _long_term_community(today: dt.date) -> QuerySet:
    """Service lines of long-term community support in force today on active plans (the denominator's
    services of ASCOF 3D, GUIDE §5.17)."""
    return ServiceLine.objects.filter(
        Q(ends_on__isnull=True) | Q(ends_on__gte=today), plan__status=PlanStatus.ACTIVE,
        service_type=codes.ServiceType.LTS_COMMUNITY, starts_on__lte=today)


def ascof_3d_2a(*, by: str, today: dt.date | None = None) -> list[dict]:
    """ASCOF 3D part 2a: of the people in long-term community support today, the share with a direct payment
    (a line delivered by direct payment), grouped by the team that holds their case ('team') or by primary
    support reason ('psr'). One grouped query; counts only. Carers (part 2b) are left out here."""
    today = today or timezone.localdate()
    lines = _long_term_community(today)
    people = Person.objects.filter(Exists(lines.filter(plan__person=OuterRef("pk"))),
                                   client_type=codes.ClientType.PERSON)
    has_dp = Exists(lines.filter(plan__person=OuterRef("pk"), delivery_mechanism=codes.DeliveryMechanism.DIRECT_PAYMENT))
    if by == "team":
        key = "team_name"
        people = people.annotate(team_name=Allocation.objects.filter(
            person_id=OuterRef("pk"), ended_at__isnull=True).values("team__name")[:1])
    else:
        key = "primary_support_reason"
    rows = list(people.annotate(has_dp=has_dp).values(key).annotate(
        total=Count("id"), with_dp=Count("id", filter=Q(has_dp=True))).order_by(key))
    labels = dict(codes.PrimarySupportReason.choices)
    out = []
    for row in rows:
        label = row[key] if by == "team" else labels.get(row[key], row[key])
        out.append({"label": label or "Not allocated to a team", "total": row["total"], "with_dp": row["with_dp"],
                    "share": round(100 * row["with_dp"] / row["total"], 1) if row["total"] else 0})
    return out


def dashboard_counts(*, today: dt.date | None = None) -> dict:
    today = today or timezone.localdate()
    reminder_after = conf.get("DP_RETURN_REMINDER_AFTER_DAYS")
    agreements = DirectPaymentAgreement.objects.aggregate(
        active=Count("id", filter=Q(status=AgreementStatus.ACTIVE)),
        suspended=Count("id", filter=Q(status=AgreementStatus.SUSPENDED)),
        set_up=Count("id", filter=Q(status=AgreementStatus.SET_UP)))
    returns = AccountReturn.objects.filter(status=ReturnStatus.EXPECTED).aggregate(
        overdue=Count("id", filter=Q(due_on__lt=today)),
        overdue_4_weeks=Count("id", filter=Q(due_on__lte=today - dt.timedelta(days=reminder_after))))
    return {**agreements, **returns,
            "recoveries_waiting": Recovery.objects.filter(status=RecoveryStatus.PROPOSED).count(),
            "dbs_due": PersonalAssistant.objects.filter(
                is_active=True, dbs_renewal_due_on__lte=today + dt.timedelta(days=60)).count(),
            "necessity_due": _necessity_due(today).count(),
            "audits_overdue": _audits_due(today).filter(audit_due_on__lt=today).count(),
            "audits_due": _audits_due(today).count()}
