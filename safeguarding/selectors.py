"""Every read of safeguarding records: through the safeguarding access policy (safeguarding/access.py), and
logged as a RecordAccessEvent with resource "safeguarding". Aggregate figures (the dashboard and the
Safeguarding Adults Collection) are counts only and name nobody."""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging

from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone

from carecase.audit.access import log_reads, staff_member
from carecase.audit.models import AccessAction
from carecase.codes import Gender
from carecase.people.models import Person
from carecase.staff.models import Role, StaffMember, TeamKind
from carecase.workdays import add_working_days, is_working_day

from . import access
from .access import SafeguardingDenied
from .codes import (
    AbuseType,
    AdvocacySupport,
    Capacity,
    LocationOfRisk,
    OutcomesAchieved,
    OutcomesAsked,
    RiskAssessmentOutcome,
    RiskResult,
    SourceOfRisk,
)
from .models import (
    Concern,
    ConcernStatus,
    Decision,
    Enquiry,
    EnquiryFeedback,
    EnquiryStatus,
    FeedbackAnswer,
    IncidentTriage,
    OrganisationalEnquiry,
    ProviderIncident,
    SafeguardingGrant,
    SafeguardingPlan,
    StrategyDiscussion,
)

logger = logging.getLogger(__name__)

AGE_BANDS = (("0-28", "Up to 4 weeks", 0, 28), ("29-90", "4 weeks to 3 months", 29, 90),
             ("91-180", "3 to 6 months", 91, 180), ("181+", "Over 6 months", 181, None))


def require_safeguarding_staff(user, *, what: str = "safeguarding pages") -> None:
    """The hub's pages (worktray, incidents, organisational enquiries, figures) are for safeguarding staff
    only. There is no person to log a refusal against, so it goes to the application log."""
    if not access.is_safeguarding_staff(user):
        logger.warning("User %s was refused %s", getattr(user, "pk", None), what)
        raise SafeguardingDenied("These pages are for the safeguarding team.")


def _concerns():
    return Concern.objects.select_related("person", "team", "created_by")


def visible_concerns(user):
    """The concerns the user may open, with `access_basis` for the access log."""
    q = access.visible_q(user)
    if q is None:
        return Concern.objects.none()
    named = Exists(SafeguardingGrant.objects.filter(concern_id=OuterRef("pk"), user_id=user.pk,
                                                    revoked_at__isnull=True))
    return _concerns().filter(q).annotate(is_named=named)


def _log_list(user, concerns, *, path: str, action: str = AccessAction.VIEW) -> None:
    default = access.BASIS_SAFEGUARDING if access.is_safeguarding_staff(user) else access.BASIS_ALLOCATED
    for concern in concerns:
        concern.access_basis = access.BASIS_NAMED if getattr(concern, "is_named", False) else default
    access.log_list(user, concerns, action=action, path=path)


def concern_for(*, user, concern_id: int, path: str = "", action: str = AccessAction.VIEW) -> Concern:
    """One concern, with its decision and enquiry. Raises Concern.DoesNotExist or SafeguardingDenied."""
    concern = _concerns().get(pk=concern_id)
    concern.access_basis = access.open_concern(user, concern, action=action, path=path)
    return concern


def decision_of(concern: Concern) -> Decision | None:
    try:
        return Decision.objects.select_related("decided_by").get(concern=concern)
    except Decision.DoesNotExist:
        return None


def enquiry_of(concern: Concern) -> Enquiry | None:
    return Enquiry.objects.select_related("lead_enquirer__user", "organisational_enquiry").filter(
        concern=concern).first()


def enquiry_for(*, user, enquiry_id: int, path: str = "", action: str = AccessAction.VIEW) -> Enquiry:
    """One enquiry with its concern, strategy discussions, actions and plan. Raises Enquiry.DoesNotExist or
    SafeguardingDenied."""
    enquiry = (Enquiry.objects.select_related("concern__person", "concern__decision", "lead_enquirer__user",
                                              "organisational_enquiry", "concluded_by")
               .prefetch_related("strategy_discussions", "actions").get(pk=enquiry_id))
    enquiry.concern.access_basis = access.open_concern(user, enquiry.concern, action=action, path=path)
    return enquiry


def plan_of(enquiry: Enquiry):
    return getattr(enquiry, "plan", None) if hasattr(enquiry, "plan") else None


def person_safeguarding(*, user, person_id: int, path: str = ""):
    """The person's safeguarding page: the person and the concerns about them the user may open. Raises
    Person.DoesNotExist or SafeguardingDenied (the refusal is logged)."""
    person = Person.objects.get(pk=person_id)
    basis = access.can_see_person_safeguarding(user, person)
    concerns = list(visible_concerns(user).filter(person=person).select_related("enquiry"))
    if basis is None and not concerns:
        if staff_member(user) is not None:
            log_reads(user, [person.pk], action=AccessAction.DENIED, resource=access.RESOURCE, basis="limited",
                      path=path)
        raise SafeguardingDenied("Safeguarding records are open only to the safeguarding team, the person's "
                                 "allocated worker and staff named on a concern.")
    log_reads(user, [person.pk], action=AccessAction.VIEW, resource=access.RESOURCE,
              basis=basis or access.BASIS_NAMED, path=path)
    person.can_raise = basis is not None
    return person, concerns


def person_for_new_concern(*, user, person_id: int, path: str = "") -> Person:
    person = Person.objects.get(pk=person_id)
    basis = access.can_see_person_safeguarding(user, person)
    if basis is None:
        if staff_member(user) is not None:
            log_reads(user, [person.pk], action=AccessAction.DENIED, resource=access.RESOURCE, basis="limited",
                      path=path)
        raise SafeguardingDenied("Only the safeguarding team or the person's allocated worker can record a "
                                 "concern here. Call the safeguarding hub instead.")
    log_reads(user, [person.pk], action=AccessAction.VIEW, resource=access.RESOURCE, basis=basis, path=path)
    return person


def hub_worktray(*, user, today: dt.date | None = None, path: str = "") -> dict:
    """Concerns waiting for a decision (overdue first), the clocks after the decision (GUIDE §2.9: the
    same-working-day immediate-risk check, strategy discussions and planning within 5 working days, plan
    reviews) and open enquiries, for safeguarding staff."""
    require_safeguarding_staff(user, what="the safeguarding worktray")
    today = today or timezone.localdate()
    visible = visible_concerns(user)
    awaiting = list(visible.filter(status=ConcernStatus.AWAITING_DECISION).order_by("decision_due_on", "id")[:200])
    enquiries = list(visible.filter(status=ConcernStatus.ENQUIRY).select_related(
        "enquiry__lead_enquirer__user", "enquiry__plan").annotate(
        strategy_held=Exists(StrategyDiscussion.objects.filter(enquiry__concern_id=OuterRef("pk"))))
        .order_by("enquiry__started_on", "id")[:200])
    checks = list(visible.filter(_needs_protection_check()).order_by("received_at", "id")[:200])
    incidents = ProviderIncident.objects.filter(triage=IncidentTriage.PENDING).count()
    _log_list(user, awaiting + enquiries + checks, path=path)
    for concern in awaiting:
        concern.due_state = decision_state(concern.decision_due_on, today)
    clocks = [_clock(c, "Immediate-risk check (same working day)", protection_due_on(c.received_at), today,
                     "safeguarding-concern", c.pk) for c in checks]
    review_window = today + dt.timedelta(days=PLAN_REVIEW_DUE_WITHIN_DAYS)
    for concern in enquiries:
        enquiry = concern.enquiry
        plan = getattr(enquiry, "plan", None) if hasattr(enquiry, "plan") else None
        if enquiry.strategy_due_on and not concern.strategy_held:
            clocks.append(_clock(concern, "Strategy discussion", enquiry.strategy_due_on, today,
                                 "safeguarding-strategy", enquiry.pk))
        if plan is None and enquiry.planning_due_on:
            clocks.append(_clock(concern, "Enquiry planning: the safeguarding plan", enquiry.planning_due_on, today,
                                 "safeguarding-plan", enquiry.pk))
        if plan is not None and plan.review_on <= review_window:
            clocks.append(_clock(concern, "Safeguarding plan review", plan.review_on, today, "safeguarding-plan",
                                 enquiry.pk))
    clocks.sort(key=lambda row: (row["due_on"], row["concern"].pk))
    return {"awaiting": awaiting, "enquiries": enquiries, "incidents_to_triage": incidents, "today": today,
            "clocks": clocks}


def decision_state(due_on: dt.date, today: dt.date) -> tuple[str, str]:
    """(label, GOV.UK tag class) for something due on `due_on`: a decision, or a clock after it."""
    if due_on < today:
        return "Overdue", "govuk-tag--red"
    if due_on == today:
        return "Due today", "govuk-tag--orange"
    return "Due", "govuk-tag--blue"


# Plan reviews show on the worktray from two weeks before they are due.
PLAN_REVIEW_DUE_WITHIN_DAYS = 14


def _clock(concern: Concern, what: str, due_on: dt.date, today: dt.date, url_name: str, pk: int) -> dict:
    return {"concern": concern, "what": what, "due_on": due_on, "state": decision_state(due_on, today),
            "url_name": url_name, "pk": pk}


def _needs_protection_check() -> Q:
    """At immediate risk, nothing recorded about what was done to protect them, and not closed."""
    return Q(immediate_risk=True, protection_actions="") & ~Q(status=ConcernStatus.CLOSED)


def protection_due_on(received_at: dt.datetime) -> dt.date:
    """The immediate-risk check is due the same working day: the day of receipt (London time), or the next
    working day when it came in at a weekend or on a bank holiday."""
    day = timezone.localtime(received_at).date()
    return day if is_working_day(day) else add_working_days(day, 1)


def clock_counts(today: dt.date) -> dict:
    """Due and overdue counts for the clocks after the decision, over every open case (counts only)."""
    open_enquiries = Enquiry.objects.filter(status=EnquiryStatus.OPEN)
    strategy = open_enquiries.filter(strategy_due_on__isnull=False).exclude(
        Exists(StrategyDiscussion.objects.filter(enquiry_id=OuterRef("pk"))))
    planning = open_enquiries.filter(planning_due_on__isnull=False, plan__isnull=True)
    reviews = SafeguardingPlan.objects.filter(enquiry__status=EnquiryStatus.OPEN)
    checks = [protection_due_on(at) for at in
              Concern.objects.filter(_needs_protection_check()).values_list("received_at", flat=True)]

    def due_overdue(qs, field: str) -> dict:
        return qs.aggregate(overdue=Count("id", filter=Q(**{f"{field}__lt": today})),
                            due=Count("id", filter=Q(**{f"{field}__gte": today})))

    return {
        "immediate": {"overdue": sum(d < today for d in checks), "due": sum(d >= today for d in checks)},
        "strategy": due_overdue(strategy, "strategy_due_on"),
        "planning": due_overdue(planning, "planning_due_on"),
        "reviews": reviews.aggregate(
            overdue=Count("id", filter=Q(review_on__lt=today)),
            due=Count("id", filter=Q(review_on__gte=today,
                                     review_on__lte=today + dt.timedelta(days=PLAN_REVIEW_DUE_WITHIN_DAYS)))),
    }


def safeguarding_staff():
    """Members of staff who can lead an enquiry: safeguarding leads and hub staff."""
    return (StaffMember.objects.select_related("user", "team").filter(user__is_active=True)
            .filter(Q(role=Role.SAFEGUARDING_LEAD) | Q(team__kind=TeamKind.SAFEGUARDING))
            .order_by("user__last_name", "user__first_name"))


def staff_to_name():
    """Anyone who could be named on a concern (not administrators)."""
    return (StaffMember.objects.select_related("user", "team").filter(user__is_active=True)
            .exclude(role=Role.ADMINISTRATOR).order_by("user__last_name", "user__first_name"))


def grants_on(concern: Concern):
    return list(SafeguardingGrant.objects.filter(concern=concern, revoked_at__isnull=True)
                .select_related("user", "granted_by").order_by("granted_at"))


def organisational_enquiries(*, user):
    require_safeguarding_staff(user, what="organisational enquiries")
    return list(OrganisationalEnquiry.objects.select_related("lead__user")
                .annotate(adults=Count("enquiries")).order_by("-opened_on", "-id"))


def organisational_for(*, user, pk: int, path: str = ""):
    """An organisational enquiry, with the linked enquiries the user may open (logged) and how many others
    are linked that they may not."""
    require_safeguarding_staff(user, what="an organisational enquiry")
    org = (OrganisationalEnquiry.objects.select_related("lead__user", "closed_by").prefetch_related("actions")
           .get(pk=pk))
    linked = list(visible_concerns(user).filter(enquiry__organisational_enquiry=org).select_related("enquiry"))
    counts = Enquiry.objects.filter(organisational_enquiry=org).aggregate(
        total=Count("id"), open=Count("id", filter=Q(status=EnquiryStatus.OPEN)))
    hidden = counts["total"] - len(linked)
    org.open_enquiries = counts["open"]
    _log_list(user, linked, path=path)
    return org, linked, hidden


def linkable_enquiries(*, user, org: OrganisationalEnquiry):
    return list(visible_concerns(user).filter(enquiry__status=EnquiryStatus.OPEN,
                                              enquiry__organisational_enquiry__isnull=True)
                .select_related("enquiry").order_by("person__family_name")[:200])


def incidents(*, user, path: str = ""):
    require_safeguarding_staff(user, what="provider incidents")
    rows = list(ProviderIncident.objects.select_related("person", "concern").order_by("-received_at", "-id")[:200])
    # How many incidents each provider has had in the last 90 days: repeats are a quality alert (GUIDE §2.9).
    since = timezone.localdate() - dt.timedelta(days=90)
    repeats = dict(ProviderIncident.objects.filter(occurred_on__gte=since).values_list("provider_name")
                   .annotate(n=Count("id")).values_list("provider_name", "n"))
    # The list names providers, not people, so nothing is logged here; opening an incident is.
    return rows, repeats


def incident_for(*, user, pk: int, path: str = "") -> ProviderIncident:
    require_safeguarding_staff(user, what="a provider incident")
    incident = ProviderIncident.objects.select_related("person", "concern").get(pk=pk)
    if incident.person_id and not incident.person.is_restricted:  # a restricted person is shown by number only
        log_reads(user, [incident.person_id], action=AccessAction.VIEW, resource=access.RESOURCE,
                  basis=access.BASIS_SAFEGUARDING, path=path)
    return incident


def enquiry_for_link(*, enquiry_id: int | None) -> Enquiry | None:
    if enquiry_id is None:
        return None
    return Enquiry.objects.select_related("concern__person").filter(pk=enquiry_id, status=EnquiryStatus.OPEN).first()


# ---------------------------------------------------------------- figures (counts only)


# The collection's age bands, by age on the day the concern was received.
SAC_AGE_BANDS = (("18-64", "18 to 64", 18, 64), ("65-74", "65 to 74", 65, 74), ("75-84", "75 to 84", 75, 84),
                 ("85-94", "85 to 94", 85, 94), ("95+", "95 and over", 95, None), ("Unknown", "Age not known", None, None))


def sac_age_band(born: dt.date | None, on: dt.date) -> str:
    if born is None:
        return "Unknown"
    age = on.year - born.year - ((on.month, on.day) < (born.month, born.day))
    for key, _label, low, high in SAC_AGE_BANDS:
        if low is not None and age >= low and (high is None or age <= high):
            return key
    return "Unknown"  # under 18: not an adult at risk; shown apart rather than dropped


def financial_year(year: int) -> tuple[dt.date, dt.date]:
    """1 April `year` to 31 March `year + 1`."""
    return dt.date(year, 4, 1), dt.date(year + 1, 3, 31)


def current_financial_year(today: dt.date | None = None) -> int:
    today = today or timezone.localdate()
    return today.year if today.month >= 4 else today.year - 1


def _counts(qs, field: str, choices) -> list[tuple[str, str, int]]:
    found = dict(qs.values_list(field).annotate(n=Count("id")).values_list(field, "n"))
    return [(value, label, found.get(value, 0)) for value, label in choices]


@dataclasses.dataclass
class SacFigures:
    year: int
    starts: dt.date
    ends: dt.date
    concerns_received: int
    s42_started: int
    other_started: int
    s42_concluded: int
    incidents_notifiable_only: int
    by_abuse_type: list
    by_location: list
    by_source: list
    by_risk_outcome: list
    by_risk_result: list
    msp_asked: list
    msp_achieved: list
    lacking_capacity: int
    advocacy: list
    by_age: list = dataclasses.field(default_factory=list)
    by_sex: list = dataclasses.field(default_factory=list)

    def rows(self) -> list[tuple[str, str, int]]:
        """(section, value, count) rows for the CSV, with the national values."""
        out = [("Totals", "Concerns received", self.concerns_received),
               ("Totals", "Section 42 enquiries started", self.s42_started),
               ("Totals", "Other enquiries started", self.other_started),
               ("Totals", "Section 42 enquiries concluded", self.s42_concluded),
               ("Totals", "Provider incidents: notifiable only (not concerns)", self.incidents_notifiable_only)]
        for section, counts in (("Type of abuse or risk", self.by_abuse_type), ("Location of risk", self.by_location),
                                ("Source of risk", self.by_source), ("Risk assessment outcome", self.by_risk_outcome),
                                ("Risk result", self.by_risk_result),
                                ("Asked about desired outcomes", self.msp_asked),
                                ("Desired outcomes achieved", self.msp_achieved),
                                ("Lacked capacity: supported by advocate, family or friend", self.advocacy),
                                ("Age when the concern was received", self.by_age), ("Sex", self.by_sex)):
            out.extend((section, value, n) for value, _label, n in counts)
        out.append(("Capacity", "Lacked capacity for the safeguarding decision", self.lacking_capacity))
        return out


def sac_figures(*, user, year: int) -> SacFigures:
    """The Safeguarding Adults Collection for a financial year (GUIDE §7.2): concerns received and enquiries
    started in the year; for section 42 enquiries concluded in the year, their type of abuse (a concern with
    several types counts once under each), location and source of risk, risk outcome and result, and Making
    Safeguarding Personal. Provider incidents that are notifiable only are counted apart, never as concerns."""
    require_safeguarding_staff(user, what="the safeguarding adults collection")
    starts, ends = financial_year(year)
    received = Concern.objects.filter(received_at__date__gte=starts, received_at__date__lte=ends)
    started = Enquiry.objects.filter(started_on__gte=starts, started_on__lte=ends)
    concluded = Enquiry.objects.filter(kind="s42", status=EnquiryStatus.CONCLUDED, concluded_on__gte=starts,
                                       concluded_on__lte=ends)
    concerns = Concern.objects.filter(enquiry__in=concluded)
    abuse = dict(concerns.order_by().values_list("id", "abuse_types"))
    by_type = {code: 0 for code in AbuseType.values}
    for types in abuse.values():
        for code in set(types):
            by_type[code] = by_type.get(code, 0) + 1
    lacking = concerns.filter(capacity=Capacity.LACKS)
    by_age = {key: 0 for key, _label, _low, _high in SAC_AGE_BANDS}
    for born, received_at in concerns.values_list("person__date_of_birth", "received_at"):
        by_age[sac_age_band(born, timezone.localtime(received_at).date())] += 1
    return SacFigures(
        year=year, starts=starts, ends=ends,
        concerns_received=received.count(),
        s42_started=started.filter(kind="s42").count(),
        other_started=started.filter(kind="other").count(),
        s42_concluded=concluded.count(),
        incidents_notifiable_only=ProviderIncident.objects.filter(
            triage=IncidentTriage.NOTIFIABLE_ONLY, received_at__date__gte=starts, received_at__date__lte=ends).count(),
        by_abuse_type=[(v, label, by_type[v]) for v, label in AbuseType.choices],
        by_location=_counts(concerns, "location_of_risk", LocationOfRisk.choices),
        by_source=_counts(concerns, "source_of_risk", SourceOfRisk.choices),
        by_risk_outcome=_counts(concluded, "risk_outcome", RiskAssessmentOutcome.choices),
        by_risk_result=_counts(concluded, "risk_result", RiskResult.choices),
        msp_asked=_counts(concerns, "outcomes_asked", OutcomesAsked.choices),
        msp_achieved=_counts(concluded.filter(concern__outcomes_asked=OutcomesAsked.EXPRESSED), "outcomes_achieved",
                             OutcomesAchieved.choices),
        lacking_capacity=lacking.count(),
        advocacy=_counts(lacking, "advocacy", AdvocacySupport.choices),
        by_age=[(key, label, by_age[key]) for key, label, _low, _high in SAC_AGE_BANDS],
        by_sex=_counts(concerns, "person__gender", Gender.choices),
    )


def dashboard(*, user, today: dt.date | None = None) -> dict:
    """The safeguarding dashboard: this financial year's concerns and decisions, decisions waiting (due and
    overdue), open enquiries by age, outcomes expressed and achieved, risk outcomes. Counts only."""
    require_safeguarding_staff(user, what="the safeguarding dashboard")
    today = today or timezone.localdate()
    year = current_financial_year(today)
    starts, _ends = financial_year(year)
    decisions = Decision.objects.filter(decided_at__date__gte=starts)
    made = decisions.count()
    in_time = decisions.filter(within_timescale=True).count()
    awaiting = Concern.objects.filter(status=ConcernStatus.AWAITING_DECISION)
    open_enquiries = Enquiry.objects.filter(status=EnquiryStatus.OPEN)
    bands = []
    for key, label, low, high in AGE_BANDS:
        q = Q(started_on__lte=today - dt.timedelta(days=low))
        if high is not None:
            q &= Q(started_on__gt=today - dt.timedelta(days=high + 1))
        bands.append({"key": key, "label": label, "count": open_enquiries.filter(q).count()})
    figures = sac_figures(user=user, year=year)
    # The police prompt (GUIDE §2.9): of this year's strategy discussions where a crime may have been committed,
    # how many informed or invited the police.
    crime = StrategyDiscussion.objects.filter(held_on__gte=starts, crime_possible=True).aggregate(
        total=Count("id"), police=Count("id", filter=Q(police_informed=True)))
    clocks = clock_counts(today)
    return {
        "clocks": clocks, "feedback": feedback_counts(starts),
        "clock_rows": [("Immediate-risk checks (same working day)", clocks["immediate"]),
                       ("Strategy discussions (5 working days)", clocks["strategy"]),
                       ("Enquiry planning (5 working days)", clocks["planning"]),
                       (f"Plan reviews (due in the next {PLAN_REVIEW_DUE_WITHIN_DAYS} days)", clocks["reviews"])],
        "crime_possible": crime["total"], "crime_police": crime["police"],
        "year": year, "starts": starts, "today": today,
        "concerns_received": figures.concerns_received,
        "decisions_made": made, "decisions_in_time": in_time,
        "in_time_percent": round(100 * in_time / made) if made else None,
        "due_today": awaiting.filter(decision_due_on=today).count(),
        "overdue": awaiting.filter(decision_due_on__lt=today).count(),
        "awaiting": awaiting.count(),
        "open_enquiries": open_enquiries.count(), "age_bands": bands,
        "figures": figures,
        "expressed": next(n for v, _l, n in figures.msp_asked if v == OutcomesAsked.EXPRESSED),
    }


FEEDBACK_QUESTIONS = (("listened_to", "Felt listened to"), ("got_outcomes", "Got the outcomes they wanted"),
                      ("feels_safer", "Feel safer"))


def feedback_counts(starts: dt.date) -> dict:
    """Feedback after closure since `starts` (GUIDE §2.9 "Feedback"): enquiries concluded with feedback
    offered, how many agreed or declined, and the answers to each question. Counts only."""
    offered = Enquiry.objects.filter(status=EnquiryStatus.CONCLUDED, concluded_on__gte=starts,
                                     feedback_offered=True).count()
    given = EnquiryFeedback.objects.filter(enquiry__concluded_on__gte=starts)
    totals = given.aggregate(n_agreed=Count("id", filter=Q(agreed=True)),
                             n_declined=Count("id", filter=Q(agreed=False)))
    agreed = given.filter(agreed=True)
    questions = []
    for field, label in FEEDBACK_QUESTIONS:
        found = dict(agreed.order_by().values_list(field).annotate(n=Count("id")).values_list(field, "n"))
        questions.append({"label": label, "counts": [(value, answer, found.get(value, 0))
                                                     for value, answer in FeedbackAnswer.choices]})
    return {"offered": offered, "agreed": totals["n_agreed"], "declined": totals["n_declined"],
            "not_yet": max(offered - totals["n_agreed"] - totals["n_declined"], 0), "questions": questions,
            "answers": FeedbackAnswer.choices}


def feedback_of(enquiry: Enquiry) -> EnquiryFeedback | None:
    return EnquiryFeedback.objects.select_related("recorded_by").filter(enquiry=enquiry).first()


def person_exists(person_id: int) -> bool:
    return Person.objects.filter(pk=person_id).exists()


def person_by_id(person_id: int) -> Person | None:
    """For linking a provider incident to a person: nothing about them is shown until the incident is opened."""
    return Person.objects.filter(pk=person_id).first()


def grant_on(concern: Concern, grant_id) -> SafeguardingGrant:
    pk = int(grant_id) if str(grant_id or "").isdigit() else 0
    return SafeguardingGrant.objects.get(pk=pk, concern=concern, revoked_at__isnull=True)


def log_api_list(user, concerns, *, path: str = "") -> None:
    _log_list(user, list(concerns or []), path=path, action=AccessAction.API)
