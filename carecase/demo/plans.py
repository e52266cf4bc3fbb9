"""Care and support plans and their reviews for everyone on long-term support (GUIDE §2.4-§2.7, §6.1, §6.4),
drawn after everyone else from a random stream of their own, so they never move a person, a case note or a
waiting-list entry.

For each person on long-term support: an authorised needs assessment (what matters to them, the eligibility
outcomes they cannot achieve, the engine's decision and the practitioner's agreement, the support sequence for
each outcome), an active care and support plan with 1-3 outcomes in plain words and 1-2 services, the approval
that made it active, and its reviews: those completed in the past and exactly one open review.

Services (GUIDE §6.1, delivery by age group as published for Leicester): people in care homes have a care-home
placement (9% of them with nursing); in the community, direct payments go to 56% of working-age people and 25%
of older people, a part direct payment (a direct payment line and a council-arranged line) to 8% and 4%, and
the rest have a council-managed personal budget (5% of those commissioned support without a budget). Home care
is 10 hours a week at the median with a long tail to 56, 15% double-handed, at £19.23-£21.11 an hour.

Reviews follow reviews.schedule: the first due 8 weeks after the plan starts, then each due 12 months after the
one before (or 6 months, when the reviewer set a sooner date). They are drawn backwards from the state each
person is in on the seed date, so the published shape is met exactly rather than approximately:

- of the people whose plan started more than 12 months ago, `Profile.reviews_overdue` have had no review in the
  last 12 months (Leicester's published 2,463; Leicestershire's published 32% not reviewed within 12 months).
  Their open review is overdue by an age drawn from OVERDUE_DAYS, 12 months after their last review, or the
  first review if they never had one;
- everyone else with a plan over 12 months old had their last review in the last 12 months, about a fifth of
  them in its first month (a push on reviews a year ago, now falling due again), so about 10% of open reviews
  fall due within 30 days of the seed date;
- plans under 12 months old have their first review open, or done (most on time, some late) with the next one
  scheduled. Reviews before the last are spaced back to the first with the lateness in HISTORY_LATENESS.
"""

from __future__ import annotations

import calendar
import gc
import random
import uuid
from collections import ChainMap
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal

from dateutil.relativedelta import relativedelta
from django.utils.text import slugify

from assessments.engine import approval, eligibility, support_sequence
from carecase.codes import DeliveryMechanism as Mechanism
from carecase.codes import PrimarySupportReason as PSR
from carecase.codes import ServiceComponent as Component
from carecase.codes import ServiceType, ServiceUnit
from reviews import schedule
from reviews.models import CLD_OUTCOME, ReviewKind, ReviewResult

from . import places, texts

ONE_YEAR = relativedelta(months=12)
SOONER_MONTHS = 6  # the date a reviewer sets when they want to look again sooner
SOONER_SHARE = 0.15
RECENT_PUSH_SHARE = 0.28  # reviewed in the year: share done in its first month, so falling due again now
# Days overdue for people with no review in the last 12 months: (low, high, weight).
OVERDUE_DAYS = ((1, 28, 12), (29, 91, 22), (92, 182, 24), (183, 365, 22), (366, 730, 14), (731, 1095, 6))
# Days each earlier review was done after (or before, within its window) its due date.
HISTORY_LATENESS = ((-40, -1, 30), (0, 30, 30), (31, 120, 25), (121, 300, 15))
# The first review of a plan under a year old: days after its window opened (None: not done yet).
FIRST_REVIEW_DONE = ((0, 14, 50), (15, 45, 20), (46, 150, 20), (None, None, 10))

# Delivery in the community by age group (GUIDE §6.1: direct payment, part direct payment, council-managed).
DELIVERY = {"18-64": ((Mechanism.DIRECT_PAYMENT, 1037), ("part", 145), (Mechanism.MANAGED_BUDGET, 660)),
            "65+": ((Mechanism.DIRECT_PAYMENT, 511), ("part", 88), (Mechanism.MANAGED_BUDGET, 1432))}
COMMISSIONED_SHARE = 0.05  # of the council-managed: support arranged without a personal budget
NURSING_SHARE = 108 / 1206  # nursing of all care-home placements (GUIDE §6.1)
DOUBLE_HANDED_SHARE = 0.15
CRISIS_SHARE = 0.08  # long-term approvals that used a crisis override (GUIDE §6.4)
MET_WITHOUT_FORMAL_SHARE = 0.35  # assessments where step 2 or 3 fully meets an outcome (GUIDE §6.4)
HOME_CARE_RATE = (Decimal("19.23"), Decimal("21.11"))  # an hour (GUIDE §2.5, 2023 framework)
STEPS = ("own_strengths", "technology_equipment", "family_friends", "community_universal")
READY = ("met_without_formal_support", "formal_support_justified")  # the rule file's ready_statuses


@dataclass(slots=True)
class AssessmentRow:
    key: int
    person: object  # generator.PersonRow
    worker: object  # generator.StaffRow
    authorised_by: object
    started_on: date
    completed_on: date
    started_at: datetime
    submitted_at: datetime
    authorised_at: datetime
    event_reference: uuid.UUID
    what_matters: str
    strengths: str
    networks: str
    wellbeing_areas: list[str]
    outcomes: list[tuple[str, list[str], str]]  # (eligibility code, statuses, description), every code
    eligibility_result: dict
    ruleset_version: str
    capacity_doubt: bool
    id: int = 0


@dataclass(slots=True)
class SequenceRow:
    key: int
    assessment: AssessmentRow
    code: str
    label: str
    national_outcome: str
    steps: dict
    crisis_override_reason: str
    status: str
    result: dict
    ruleset_version: str
    formal: bool
    id: int = 0


@dataclass(slots=True)
class PlanOutcomeRow:
    key: int
    sequence: SequenceRow
    label: str
    how_met: str
    by_whom: str
    id: int = 0


@dataclass(slots=True)
class ServiceRow:
    outcome: PlanOutcomeRow | None
    service_type: str
    component: str
    provider: str
    units_per_week: Decimal
    unit: str
    unit_cost: Decimal
    delivery_mechanism: str
    starts_on: date
    event_reference: uuid.UUID
    double_handed: bool = False

    @property
    def weekly_cost(self) -> Decimal:
        return (self.units_per_week * self.unit_cost).quantize(Decimal("0.01"))


@dataclass(slots=True)
class ReviewRow:
    plan: PlanRow
    kind: str
    window_opens_on: date
    due_on: date
    team: str
    created_by: object  # generator.StaffRow
    created_at: datetime
    completed_on: date | None = None
    completed_by: object | None = None
    result: str = ""
    next_review_due_on: date | None = None
    what_works: str = ""
    what_does_not: str = ""
    changes: str = ""
    carer_able_willing: str = ""
    id: int = 0

    @property
    def cld_outcome(self) -> str:
        return CLD_OUTCOME[self.result] if self.result else ""


@dataclass(slots=True)
class PlanRow:
    key: int
    person: object
    assessment: AssessmentRow
    starts_on: date
    created_by: object
    created_at: datetime
    approved_by: object
    approved_at: datetime
    contribution: Decimal
    event_reference: uuid.UUID
    outcomes: list[PlanOutcomeRow] = field(default_factory=list)
    services: list[ServiceRow] = field(default_factory=list)
    reviews: list[ReviewRow] = field(default_factory=list)  # completed ones in order, then the open one
    sequence_result: dict = field(default_factory=dict)
    crisis_override: bool = False
    level: str = ""  # who had to approve it (assessments/rules/approval)
    requested_at: datetime | None = None
    id: int = 0

    @property
    def weekly_cost(self) -> Decimal:
        return sum((s.weekly_cost for s in self.services), Decimal("0.00"))

    @property
    def open_review(self) -> ReviewRow:
        return self.reviews[-1]


@dataclass
class Plans:
    assessments: list[AssessmentRow]
    sequence_outcomes: list[SequenceRow]
    plans: list[PlanRow]


def _weighted(rng: random.Random, bands):
    total = sum(weight for *_, weight in bands)
    pick = rng.random() * total
    for *values, weight in bands:
        if pick < weight:
            return values
        pick -= weight
    return list(bands[-1][:-1])


def _days_from(rng: random.Random, bands) -> int | None:
    low, high = _weighted(rng, bands)
    return None if low is None else rng.randint(low, high)


def add_months(day: date, months: int) -> date:
    """`day` plus whole months, the last day of the month when it has no such day (as relativedelta does, but
    without its cost: the seed adds tens of thousands of them)."""
    month0 = day.month - 1 + months
    year, month = day.year + month0 // 12, month0 % 12 + 1
    return day.replace(year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1]))


def next_review(completed_on: date, chosen: date | None = None) -> tuple[date, date]:
    """(window opens, due) for the review after one completed on `completed_on`: reviews.schedule.next_review_dates
    without its checks (the tests hold the two together)."""
    due = chosen or add_months(completed_on, 12)
    return max(completed_on + timedelta(days=1), due - schedule.WINDOW_BEFORE_DUE), due


def _money(value: float) -> Decimal:
    return Decimal(str(value)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


class PlanBuilder:
    """Draws the assessments, plans, services and reviews for a council already built by CouncilBuilder."""

    def __init__(self, council, *, long_term):
        self.council = council
        self.profile = council.profile
        self.as_of: date = council.as_of
        self.latest: datetime = council.latest
        self.year_ago = self.as_of - ONE_YEAR
        self.rng = random.Random(f"carecase-demo-plans:{self.profile.name}:{council.seed}")
        self.long_term = long_term
        self.allocations_of: dict[int, list] = {}
        for allocation in council.allocations:
            self.allocations_of.setdefault(allocation.person.key, []).append(allocation)
        self.reviewing_team = council.team_of_kind[places.REVIEWING]
        self.eligibility_rules = eligibility.current_rules()
        self.adult_codes = [o["code"] for o in self.eligibility_rules["kinds"]["adult"]["outcomes"]]
        self.achieved = eligibility.achieved_status(self.eligibility_rules)
        self.limits = approval.current_rules()
        self._eligibility: dict[tuple, dict] = {}
        self._sequence: dict[tuple, tuple[dict, str, dict, str]] = {}
        self.assessments: list[AssessmentRow] = []
        self.sequence_rows: list[SequenceRow] = []
        self.plans: list[PlanRow] = []
        self.outcome_keys = 0
        self._words: tuple[int, _Words] | None = None
        self._slugs: dict[str, str] = {}
        self._practitioners: dict[str, list] = {}
        self._approval_sequences: dict[tuple, dict] = {}

    # --- helpers ----------------------------------------------------------------------------------------

    def moment(self, day: date, *, not_before: datetime | None = None) -> datetime:
        """A working-hours moment on `day` (a weekend moved to the Monday), never after the last working moment
        before the seed date."""
        while day.weekday() >= 5:
            day += timedelta(days=1)
        minute = self.rng.randrange(9 * 60, 17 * 60)
        moment = datetime.combine(day, time(minute // 60, minute % 60), tzinfo=self.latest.tzinfo)
        if not_before is not None and moment <= not_before:
            moment = not_before + timedelta(minutes=self.rng.randint(5, 120))
        return min(moment, self.latest)

    def uuid(self) -> uuid.UUID:
        return uuid.UUID(int=self.rng.getrandbits(128), version=4)

    def fill(self, template: str, row, **extra) -> str:
        """council.fill's placeholders, each worked out once per person (they draw nothing at random)."""
        if self._words is None or self._words[0] != row.key:
            self._words = (row.key, _Words(self.council, row))
        words = self._words[1]
        return template.format_map(ChainMap(extra, words) if extra else words)

    def slug(self, label: str) -> str:
        if label not in self._slugs:
            self._slugs[label] = slugify(label)[:50]
        return self._slugs[label]

    def holding_team(self, row) -> str:
        for allocation in self.allocations_of.get(row.key, []):
            if allocation.ended_at is None:
                return allocation.team
        return row.home_team

    def practitioner(self, team: str):
        if team not in self._practitioners:
            staff = self.council.staff_by_team.get(team, [])
            self._practitioners[team] = [s for s in staff if s.role == "practitioner"] or [self.council.team_leader[team]]
        return self.rng.choice(self._practitioners[team])

    def plan_start(self, row) -> date:
        """The day long-term support started: when the case moved to the team that arranged it after the
        assessment (generator.plan_allocations), or soon after the council knew them if never allocated."""
        for allocation in self.allocations_of.get(row.key, []):
            if allocation.reason == "Moved to the long-term team after assessment" and allocation.ended_at:
                return allocation.ended_at.date()
            if allocation.ended_at is None:
                return allocation.started_at.date()
        started = row.known_since.date() + timedelta(days=self.rng.randint(20, 120))
        return min(started, self.as_of - timedelta(days=1))

    def need_kind(self, row, band: str) -> str:
        psr = row.primary_support_reason
        if row.care_home:
            return "care_home"
        if psr == PSR.LEARNING_DISABILITY:
            return "learning_disability"
        if psr in (PSR.MENTAL_HEALTH, PSR.SUBSTANCE, PSR.ASYLUM, PSR.ISOLATION):
            return "mental_health"
        return "older" if band == "65+" else "working_age"

    # --- the assessment and the support sequence -----------------------------------------------------------

    def eligibility_result(self, unachieved: tuple[tuple[str, str], ...]) -> tuple[dict, str]:
        if unachieved not in self._eligibility:
            result = eligibility.evaluate(eligibility.EligibilityAnswers(
                kind="adult", outcomes=dict(unachieved), impairment_or_illness=True,
                significant_impact_on_wellbeing=True), self.eligibility_rules)
            if not result.eligible:
                raise ValueError(f"Demo needs {unachieved} are not eligible under the current rules")
            self._eligibility[unachieved] = (result.to_dict(), result.ruleset_version)
        return self._eligibility[unachieved]

    def sequence(self, code: str, answers: tuple, crisis: str, formal: bool) -> tuple[dict, str, dict, str]:
        """(steps, status, the engine's answer, rule-set version) for one outcome; `answers` is each step's
        "meets" in STEPS order ("" for not considered; shorter when a step meets the outcome fully). A few
        dozen different answers in all: each is evaluated once."""
        key = (code, answers, crisis, formal)
        if key not in self._sequence:
            steps = {}
            for step, meets in zip(STEPS, answers, strict=False):
                if meets == "fully":
                    note = "This meets the outcome: see the plan."
                elif meets:
                    note = texts.SEQUENCE_NOTES[step]
                else:
                    note = ""
                steps[step] = {"considered": bool(meets), "meets": meets or None, "note": note}
            result = support_sequence.evaluate(support_sequence.request_from_dict({"outcomes": [{
                "code": code, "existing_support": False, "steps": steps, "done_differently": None,
                "formal_support_requested": formal,
                "crisis_override": {"reason": crisis} if crisis else None}]}))
            outcome = result.to_dict()["outcomes"][0]
            self._sequence[key] = (steps, outcome["status"], outcome, result.ruleset_version)
        return self._sequence[key]

    def assessment(self, row, kind: str, starts_on: date, worker, team: str) -> AssessmentRow:
        rng = self.rng
        contact_day = row.known_since.date()
        completed_on = max(contact_day, starts_on - timedelta(days=rng.randint(0, 14)))
        started_on = min(completed_on, contact_day + timedelta(days=rng.randint(0, 10)))
        started_at = self.moment(started_on, not_before=row.known_since)
        submitted_at = self.moment(completed_on, not_before=started_at)
        authorised_at = self.moment(completed_on, not_before=submitted_at)
        words = texts.WHAT_MATTERS[kind if kind in texts.WHAT_MATTERS else "older"]
        areas = rng.sample(["dignity", "health", "control", "relationships", "participation", "accommodation"], 3)
        networks = (f"{row.carer.full_name} ({row.carer_relation}) helps most days." if row.carer is not None
                    else "No family nearby; a neighbour looks in now and then.")
        return AssessmentRow(
            key=len(self.assessments), person=row, worker=worker, authorised_by=self.council.team_leader[team],
            started_on=started_on, completed_on=completed_on, started_at=started_at, submitted_at=submitted_at,
            authorised_at=authorised_at, event_reference=self.uuid(),
            what_matters=self.fill(rng.choice(words), row), strengths=self.fill(rng.choice(texts.STRENGTHS), row),
            networks=networks, wellbeing_areas=areas, outcomes=[], eligibility_result={}, ruleset_version="",
            capacity_doubt=row.primary_support_reason in (PSR.MEMORY, PSR.LEARNING_DISABILITY) and rng.random() < 0.4,
        )

    def sequence_row(self, assessment: AssessmentRow, label: str, national: str, *, met_by: str | None,
                     crisis: bool) -> SequenceRow:
        """One outcome through the support sequence: every step looked at and none enough on its own (formal
        support justified); or, in a crisis, formal support before the later steps (a crisis override); or a
        step that meets the outcome fully, so the later steps need not be looked at."""
        rng = self.rng
        answers = []
        for step in STEPS:
            if met_by == step:
                answers.append("fully")
                break
            if crisis and step != "own_strengths":
                answers.append("")
            else:
                partly = step in ("own_strengths", "technology_equipment") and rng.random() < 0.5
                answers.append("partly" if partly else "no")
        reason = self.fill(texts.CRISIS_REASON, assessment.person) if crisis else ""
        code = self.slug(label)
        steps, status, result, version = self.sequence(code, tuple(answers), reason, met_by is None)
        made = SequenceRow(key=len(self.sequence_rows), assessment=assessment, code=code, label=label,
                           national_outcome=national, steps=steps, crisis_override_reason=reason, status=status,
                           result=result, ruleset_version=version, formal=met_by is None)
        self.sequence_rows.append(made)
        return made

    def sequence_for_approval(self, sequence: list[SequenceRow]) -> dict:
        """The support sequence as the approval request keeps it (the engine's answer for all the rows
        together), shared between plans with the same rows."""
        key = tuple(id(row.result) for row in sequence)
        if key not in self._approval_sequences:
            outcomes = [row.result for row in sequence]
            self._approval_sequences[key] = {
                "ready_for_approval": all(o["status"] in READY for o in outcomes),
                "outcomes": outcomes, "ruleset_version": sequence[0].ruleset_version}
        return self._approval_sequences[key]

    # --- services ------------------------------------------------------------------------------------------

    def home_care_hours(self) -> Decimal:
        """Median 10 hours a week, a long tail to 56; bought by the half hour, at least 3.5 (a half-hour visit
        a day)."""
        hours = min(56.0, max(3.5, self.rng.lognormvariate(2.302585, 0.62)))
        return Decimal(round(hours * 2) / 2).quantize(Decimal("0.01"))

    def rate(self, low: Decimal, high: Decimal) -> Decimal:
        return _money(self.rng.uniform(float(low), float(high)))

    def services_for(self, row, band: str, kind: str, plan_outcomes: list[PlanOutcomeRow], starts_on: date,
                     mechanism: str) -> list[ServiceRow]:
        rng = self.rng
        first = plan_outcomes[0]
        made = []

        def line(component, units, unit, cost, how, *, service_type=ServiceType.LTS_COMMUNITY, provider="",
                 delivered_by=mechanism, outcome=first, double=False):
            made.append(ServiceRow(outcome=outcome, service_type=service_type, component=component,
                                   provider=provider, units_per_week=Decimal(units).quantize(Decimal("0.01")),
                                   unit=unit, unit_cost=cost, delivery_mechanism=delivered_by, starts_on=starts_on,
                                   event_reference=self.uuid(), double_handed=double))
            if outcome is not None and not outcome.how_met:
                outcome.how_met = how
                outcome.by_whom = provider or ("A personal assistant" if component == Component.PERSONAL_ASSISTANT
                                               else "The provider")

        if kind == "care_home":
            nursing = rng.random() < NURSING_SHARE
            cost = self.rate(Decimal("950"), Decimal("1250")) if nursing else self.rate(Decimal("720"), Decimal("950"))
            line(Component.CARE_HOME, 1, ServiceUnit.WEEK, cost, self.fill(texts.HOW_MET["care_home"], row),
                 service_type=ServiceType.LTS_NURSING if nursing else ServiceType.LTS_RESIDENTIAL,
                 provider=row.care_home, delivered_by=Mechanism.COMMISSIONED)
            return made
        part = mechanism == "part"
        main_mechanism = Mechanism.DIRECT_PAYMENT if part else mechanism
        hours = self.home_care_hours()
        if kind == "learning_disability" and rng.random() < 0.5:
            hours = Decimal(rng.randrange(20, 57)).quantize(Decimal("0.01"))
            line(Component.SUPPORTED_LIVING, hours, ServiceUnit.HOUR, self.rate(*HOME_CARE_RATE),
                 self.fill(texts.HOW_MET["supported_living"], row, hours=hours.normalize()),
                 provider=rng.choice(texts.HOME_CARE_PROVIDERS), delivered_by=main_mechanism)
        elif main_mechanism == Mechanism.DIRECT_PAYMENT and rng.random() < 0.4:
            line(Component.PERSONAL_ASSISTANT, hours, ServiceUnit.HOUR, self.rate(Decimal("14.50"), Decimal("17.00")),
                 self.fill(texts.HOW_MET["personal_assistant"], row, hours=hours.normalize()),
                 delivered_by=main_mechanism)
        else:
            double = rng.random() < DOUBLE_HANDED_SHARE
            visits = max(1, min(4, round(float(hours) / 3.5)))
            provider = rng.choice(texts.HOME_CARE_PROVIDERS)
            how = texts.HOW_MET["home_care_double" if double else "home_care"]
            line(Component.HOME_CARE, hours, ServiceUnit.HOUR, self.rate(*HOME_CARE_RATE),
                 self.fill(how, row, visits=("One visit", "Two visits", "Three visits", "Four visits")[visits - 1],
                           provider=provider),
                 provider=provider, delivered_by=main_mechanism, double=double)
        # A second service: day opportunities, a community alarm, or the arranged half of a part direct payment.
        second = plan_outcomes[1] if len(plan_outcomes) > 1 and not plan_outcomes[1].how_met else None
        if part or (kind in ("learning_disability", "mental_health") and rng.random() < 0.5):
            days = rng.randint(1, 4)
            line(Component.DAY_OPPORTUNITIES, days, ServiceUnit.DAY, self.rate(Decimal("42"), Decimal("68")),
                 self.fill(texts.HOW_MET["day_opportunities"], row,
                           days=("One day a week", "Two days a week", "Three days a week", "Four days a week")[days - 1]),
                 provider=rng.choice(texts.DAY_SERVICES),
                 delivered_by=Mechanism.MANAGED_BUDGET if part else main_mechanism, outcome=second)
        elif kind in ("older", "working_age") and rng.random() < 0.3:
            line(Component.TELECARE, 1, ServiceUnit.WEEK, self.rate(Decimal("4.20"), Decimal("6.50")),
                 texts.HOW_MET["telecare"], provider="Community alarm service",
                 delivered_by=Mechanism.MANAGED_BUDGET if main_mechanism == Mechanism.DIRECT_PAYMENT else main_mechanism,
                 outcome=second)
        return made

    def mechanism(self, row, band: str) -> str:
        for allocation in self.allocations_of.get(row.key, []):
            if allocation.ended_at is None and allocation.reason == "Direct payment set-up":
                return Mechanism.MANAGED_BUDGET  # the direct payment is still being set up
        (mechanism,) = _weighted(self.rng, DELIVERY[band])
        if mechanism == Mechanism.MANAGED_BUDGET and self.rng.random() < COMMISSIONED_SHARE:
            return Mechanism.COMMISSIONED
        return mechanism

    # --- one person --------------------------------------------------------------------------------------

    def plan_for(self, row, band: str, starts_on: date) -> PlanRow:
        rng = self.rng
        kind = self.need_kind(row, band)
        team = self.holding_team(row)
        worker = next((a.worker for a in self.allocations_of.get(row.key, []) if a.worker is not None
                       and a.team == row.home_team), None) or self.practitioner(row.home_team)
        assessment = self.assessment(row, kind, starts_on, worker, row.home_team)

        # Outcomes: 1-3 met by formal support, sometimes one more met by family or equipment.
        choices = list(texts.PLAN_OUTCOMES[kind])
        rng.shuffle(choices)
        formal_count = rng.choice((1, 2, 2, 3)) if kind != "care_home" else rng.choice((1, 2))
        formal = choices[:formal_count]
        extra = None
        if len(formal) < 3 and kind != "care_home" and rng.random() < MET_WITHOUT_FORMAL_SHARE:
            extra = rng.choice(texts.MET_WITHOUT_FORMAL)
            if extra[1] in {code for _, code in formal}:
                extra = None
        crisis = rng.random() < CRISIS_SHARE

        # Eligibility: the outcomes behind the plan, and at least two (the rule set's minimum).
        unachieved_codes = list(dict.fromkeys(code for _, code in formal))
        for _label, code in choices[formal_count:]:
            if len(unachieved_codes) >= 2:
                break
            unachieved_codes.append(code)
        if len(unachieved_codes) < 2:
            unachieved_codes.append("habitable_home" if "habitable_home" not in unachieved_codes else "nutrition")
        unachieved = tuple(sorted((code, texts.UNACHIEVED[code][0]) for code in unachieved_codes))
        assessment.eligibility_result, assessment.ruleset_version = self.eligibility_result(unachieved)
        statuses = dict(unachieved)
        assessment.outcomes = [
            (code, [statuses[code]] if code in statuses else [self.achieved],
             texts.UNACHIEVED[code][1] if code in statuses else "")
            for code in self.adult_codes]
        self.assessments.append(assessment)

        sequence = [self.sequence_row(assessment, label, code, met_by=None, crisis=crisis and i == 0)
                    for i, (label, code) in enumerate(formal)]
        if extra is not None:
            sequence.append(self.sequence_row(assessment, extra[0], extra[1], met_by=extra[2], crisis=False))

        created_at = assessment.authorised_at + timedelta(minutes=rng.randint(30, 240))
        created_at = min(created_at, self.latest)
        approved_at = self.moment(max(assessment.completed_on, starts_on - timedelta(days=rng.randint(0, 5))),
                                  not_before=created_at)
        contribution = Decimal("0.00") if rng.random() < 0.4 else _money(rng.uniform(8, 140))
        plan = PlanRow(key=len(self.plans), person=row, assessment=assessment, starts_on=starts_on,
                       created_by=worker, created_at=created_at, approved_by=None, approved_at=approved_at,
                       contribution=contribution, event_reference=self.uuid(), crisis_override=crisis)
        for seq in sequence:
            outcome = PlanOutcomeRow(key=self.outcome_keys, sequence=seq, label=seq.label, how_met="", by_whom="")
            self.outcome_keys += 1
            if not seq.formal:
                _, _, step, how = next(m for m in texts.MET_WITHOUT_FORMAL if m[0] == seq.label)
                outcome.how_met = self.fill(how, row)
                if step != "family_friends":
                    outcome.by_whom = "The equipment service"
                elif row.carer is not None:
                    outcome.by_whom = f"{row.carer.full_name} ({row.carer_relation})"
                else:
                    outcome.by_whom = self.fill("{carer_first} (friend)", row)
            plan.outcomes.append(outcome)
        formal_outcomes = [o for o in plan.outcomes if o.sequence.formal]
        plan.services = self.services_for(row, band, kind, formal_outcomes, starts_on, self.mechanism(row, band))
        for outcome in formal_outcomes:
            if not outcome.how_met:  # covered by the main service
                main = plan.services[0]
                outcome.how_met = formal_outcomes[0].how_met
                outcome.by_whom = formal_outcomes[0].by_whom or main.provider
        if contribution > plan.weekly_cost:
            plan.contribution = (plan.weekly_cost / 2).quantize(Decimal("0.01"))
        plan.sequence_result = self.sequence_for_approval(sequence)
        level = approval.required_level(approval.yearly_cost(plan.weekly_cost, self.limits), self.limits)
        plan.level = level.code
        plan.approved_by = self.council.team_leader[row.home_team] if level.code == "team_leader" else None
        if plan.approved_by is None or plan.approved_by is worker:  # nobody approves a plan they sent
            plan.approved_by = self.council.senior[0]
        plan.requested_at = created_at + (approved_at - created_at) / 2
        self.reviews_for(plan, team)
        self.plans.append(plan)
        return plan

    # --- reviews -----------------------------------------------------------------------------------------

    def reviewer(self, team: str):
        """Who did a review: a reviewing officer a third of the time, else someone in the team."""
        if self.rng.random() < 0.33:
            return self.practitioner(self.reviewing_team)
        return self.practitioner(team)

    def history(self, starts_on: date, last: date) -> list[date]:
        """The days the plan's reviews were completed, ending with `last` (on or after the first review's window
        opened): each earlier one 12 months before the next was due, back to the first review."""
        first_opens = schedule.first_review_dates(starts_on)[0]
        done = [last]
        while True:
            lateness = _days_from(self.rng, HISTORY_LATENESS)
            previous = add_months(done[0] - timedelta(days=lateness), -12)
            if previous < first_opens + timedelta(days=1):
                return done
            done.insert(0, previous)

    def reviews_for(self, plan: PlanRow, team: str) -> None:
        """Completed reviews and the open one, from the state the plan is in on the seed date (see the module
        docstring), filled into `plan.reviews` in order; the state was chosen by `choose_states`."""
        state, last = self.states[plan.person.key]
        starts_on = plan.starts_on
        first_opens, first_due = schedule.first_review_dates(starts_on)
        leader = self.council.team_leader[team]
        done = self.history(starts_on, last) if last is not None else []
        created_at = plan.approved_at
        for index, completed_on in enumerate(done):
            if index == 0:
                opens, due, kind = first_opens, first_due, ReviewKind.FIRST
            else:
                opens, due = next_review(done[index - 1], plan.reviews[-1].next_review_due_on)
                kind = ReviewKind.PLANNED
            # The reviewer may set a sooner date for the next review; only the last one matters here.
            sooner = index == len(done) - 1 and state == "reviewed" and self.rng.random() < SOONER_SHARE
            next_due = add_months(completed_on, SOONER_MONTHS if sooner else 12)
            result = ReviewResult.PLAN_CHANGED if self.rng.random() < 0.3 else ReviewResult.NO_CHANGE
            what_works, what_not, changes = self.rng.choice(texts.REVIEW_TEXTS[result])
            by = self.reviewer(team)
            row = plan.person
            plan.reviews.append(ReviewRow(
                plan=plan, kind=kind, window_opens_on=opens, due_on=due, team=team, created_by=leader,
                created_at=created_at, completed_on=completed_on, completed_by=by, result=result,
                next_review_due_on=next_due, what_works=self.fill(what_works, row),
                what_does_not=self.fill(what_not, row), changes=self.fill(changes, row),
                carer_able_willing="yes" if row.carer is not None else "not_applicable"))
            created_at = self.moment(completed_on, not_before=created_at)
        if done:
            opens, due = next_review(done[-1], plan.reviews[-1].next_review_due_on)
            kind = ReviewKind.PLANNED
        else:
            opens, due, kind = first_opens, first_due, ReviewKind.FIRST
        plan.reviews.append(ReviewRow(plan=plan, kind=kind, window_opens_on=opens, due_on=due, team=team,
                                      created_by=leader, created_at=created_at))

    def choose_states(self, people: list[tuple]) -> None:
        """For each person, the state their reviews are in on the seed date and the day of their last completed
        review (None: never reviewed): "overdue" (support for over a year, no review in the last 12 months),
        "reviewed" (support for over a year, reviewed in the last 12 months) or "new" (under a year)."""
        rng = self.rng
        over_a_year = [(row, start) for row, start in people if start < self.year_ago]
        rng.shuffle(over_a_year)
        overdue = min(len(over_a_year), self.profile.reviews_overdue
                      if self.profile.reviews_overdue is not None
                      else round(self.profile.reviews_overdue_share * len(over_a_year)))
        self.states: dict[int, tuple[str, date | None]] = {}
        for index, (row, start) in enumerate(over_a_year):
            first_opens = schedule.first_review_dates(start)[0]
            if index < overdue:
                # Due 12 months after the last review, and now overdue by an age drawn from the backlog's shape.
                days = _days_from(rng, OVERDUE_DAYS)
                last = add_months(self.as_of - timedelta(days=days), -12)
                self.states[row.key] = ("overdue", last if last >= first_opens else None)
            else:
                earliest = max(self.year_ago, first_opens)
                span = (self.as_of - timedelta(days=1) - earliest).days
                if rng.random() < RECENT_PUSH_SHARE:
                    offset = rng.randint(0, min(29, span))
                else:
                    offset = rng.randint(0, span)
                self.states[row.key] = ("reviewed", earliest + timedelta(days=offset))
        for row, start in people:
            if start >= self.year_ago:
                first_opens = schedule.first_review_dates(start)[0]
                after = _days_from(rng, FIRST_REVIEW_DONE)
                done = None if after is None else first_opens + timedelta(days=after)
                self.states[row.key] = ("new", done if done is not None and done < self.as_of else None)

    def build(self) -> Plans:
        # Tens of thousands of small rows on top of a large heap: the cyclic collector's full passes would cost
        # more than drawing them, and nothing here makes reference cycles worth collecting mid-way.
        enabled = gc.isenabled()
        gc.disable()
        try:
            return self._build()
        finally:
            if enabled:
                gc.enable()

    def _build(self) -> Plans:
        people = [(row, band, self.plan_start(row)) for row, _psr, band in self.long_term]
        self.choose_states([(row, start) for row, _band, start in people])
        for row, band, start in people:
            self.plan_for(row, band, start)
        return Plans(self.assessments, self.sequence_rows, self.plans)


def people_overdue(plans: list[PlanRow], today: date) -> int:
    """Leicester's published measure (GUIDE §2.7) over generated rows: people whose plan started more than 12
    months before `today` with no review completed in the 12 months to `today`. The database twin is
    reviews.figures.people_overdue_leicester_definition."""
    year_ago = today - ONE_YEAR
    return sum(1 for plan in plans if plan.starts_on < year_ago and not any(
        r.completed_on is not None and year_ago <= r.completed_on <= today for r in plan.reviews))


class _Words(dict):
    """One person's placeholder values for texts.py, from the generator's _Fill, each worked out once."""

    def __init__(self, council, row):
        from .generator import _Fill  # generator imports this module

        super().__init__()
        self.source = _Fill(council, row, {})

    def __missing__(self, key: str) -> str:
        value = self[key] = self.source[key]
        return value
