"""The practice audit for team leaders: assessments by worker and month, with the evidence of the support
sequence behind them, crisis overrides and returns.

Aggregate queries only, a constant number whatever the number of assessments: one for the assessment
counts, one for the support-sequence counts, one for the return reasons and one for the workers' names
(plus the user's staff row and, for senior managers, the list of teams). The report holds counts per
worker and month and never a person's name or record, so no RecordAccessEvent is written: access events
record reads of a person's data, and this page reads none.

Definitions (see GUIDE §3 and §7.4):
- A step is evidenced when it is considered and its note is not blank (the engine's rule). The required
  steps are the four steps, plus "could anything be done differently?" when the person already has
  support. The engine stores the required steps not evidenced in `result["missing"]`, so a row evidences
  required - len(missing); a row the engine has never evaluated counts as evidencing none.
- A crisis override is an outcome with formal support requested and a non-blank override reason.
- The evidence rate adapts §7.4's "long-term approvals with complete evidence ÷ all long-term approvals"
  to the assessment: outcomes with formal support justified and every required step evidenced, divided
  by all outcomes with formal support justified (the rest were justified by a crisis override).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db.models import Case, Count, Exists, F, Func, IntegerField, OuterRef, Q, Sum, Value, When
from django.db.models.fields.json import KeyTransform
from django.db.models.functions import Coalesce, TruncMonth
from django.utils import timezone

from carecase.audit.access import staff_member
from carecase.staff.models import Role, Team

from .models import Assessment, AssessmentStatus, AssessmentTransition, SequenceOutcome

MONTH_CHOICES = (3, 6, 12)
REQUIRED_STEPS = 4  # own strengths, technology and equipment, family and friends, community and universal
JUSTIFIED = "formal_support_justified"


def _percent(part: int, whole: int) -> int | None:
    return round(100 * part / whole) if whole else None


@dataclass
class Counts:
    started: int = 0
    authorised: int = 0
    returned: int = 0
    sequence_rows: int = 0
    steps_required: int = 0
    steps_evidenced: int = 0
    justified: int = 0
    justified_complete: int = 0
    crisis_overrides: int = 0

    def add(self, other: Counts) -> None:
        for name in self.__dataclass_fields__:
            setattr(self, name, getattr(self, name) + getattr(other, name))

    @property
    def evidenced_percent(self) -> int | None:
        return _percent(self.steps_evidenced, self.steps_required)

    @property
    def evidence_rate(self) -> int | None:
        return _percent(self.justified_complete, self.justified)


@dataclass
class AuditRow:
    worker_id: int
    worker_name: str
    month: datetime.date
    counts: Counts = field(default_factory=Counts)
    return_reasons: list[str] = field(default_factory=list)


@dataclass
class AuditReport:
    team: Team | None  # None: every team (senior managers only)
    months: int
    since: datetime.date
    rows: list[AuditRow]
    totals: Counts


def first_month(months: int, today: datetime.date | None = None) -> datetime.date:
    """The first day of the earliest month in a window of `months` calendar months ending this month."""
    today = today or timezone.localdate()
    index = today.year * 12 + today.month - 1 - (months - 1)
    return datetime.date(index // 12, index % 12 + 1, 1)


def _staff_with_audit(user):
    staff = staff_member(user)
    if staff is None or staff.role not in (Role.TEAM_LEADER, Role.SENIOR_MANAGER):
        raise PermissionDenied("The practice audit is for team leaders and senior managers.")
    return staff


def choosable_teams(*, user) -> list[Team]:
    """The teams the user may choose between: every active team for senior managers, none for team
    leaders (they see their own). Raises PermissionDenied for anyone else."""
    staff = _staff_with_audit(user)
    if staff.role == Role.SENIOR_MANAGER:
        return list(Team.objects.filter(is_active=True).order_by("name"))
    return []


def _scope(user, team_id: int | None) -> Team | None:
    staff = _staff_with_audit(user)
    if staff.role == Role.TEAM_LEADER:
        if staff.team_id is None:
            raise PermissionDenied("You are not in a team, so there is no team to audit.")
        if team_id is not None and team_id != staff.team_id:
            raise PermissionDenied("Team leaders can see the practice audit for their own team only.")
        return staff.team
    return None if team_id is None else Team.objects.get(pk=team_id, is_active=True)


def practice_audit(*, user, team_id: int | None = None, months: int = 12,
                   today: datetime.date | None = None) -> AuditReport:
    """Counts per worker and month of start, for the user's team (team leaders) or a chosen team or all
    teams (senior managers). Raises PermissionDenied for anyone else, and for a team leader asking for
    another team; Team.DoesNotExist for an unknown team."""
    if months not in MONTH_CHOICES:
        raise ValueError(f"months must be one of {MONTH_CHOICES}")
    team = _scope(user, team_id)
    since = first_month(months, today)

    where = Q(started_on__gte=since)
    if team is not None:
        where &= Q(worker__staff__team_id=team.id)
    assessments = Assessment.objects.filter(where)

    def transition_to(status):
        return Exists(AssessmentTransition.objects.filter(assessment=OuterRef("pk"), to_status=status))

    by_assessment = (
        assessments.annotate(month=TruncMonth("started_on"))
        .values("worker_id", "month")
        .annotate(
            started=Count("id"),
            authorised=Count("id", filter=Q(status=AssessmentStatus.AUTHORISED)
                             | transition_to(AssessmentStatus.AUTHORISED)),
            returned=Count("id", filter=transition_to(AssessmentStatus.RETURNED)),
        )
        .order_by()
    )

    required = Case(When(existing_support=True, then=Value(REQUIRED_STEPS + 1)), default=Value(REQUIRED_STEPS),
                    output_field=IntegerField())
    missing = Coalesce(Func(KeyTransform("missing", "result"), function="jsonb_array_length",
                            output_field=IntegerField()), F("required"))
    by_sequence = (
        SequenceOutcome.objects.filter(assessment__in=assessments)
        .alias(required=required)
        .alias(missing_n=missing)
        .annotate(worker_id=F("assessment__worker_id"), month=TruncMonth("assessment__started_on"))
        .values("worker_id", "month")
        .annotate(
            sequence_rows=Count("id"),
            steps_required=Sum("required"),
            steps_missing=Sum("missing_n"),
            justified=Count("id", filter=Q(status=JUSTIFIED)),
            justified_complete=Count("id", filter=Q(status=JUSTIFIED, missing_n=0)),
            crisis_overrides=Count("id", filter=Q(formal_support_requested=True)
                                   & ~Q(crisis_override_reason__regex=r"^\s*$")),
        )
        .order_by()
    )

    reasons = (
        AssessmentTransition.objects.filter(assessment__in=assessments, to_status=AssessmentStatus.RETURNED)
        .annotate(worker_id=F("assessment__worker_id"), month=TruncMonth("assessment__started_on"))
        .order_by("at", "id")
        .values_list("worker_id", "month", "reason")
    )

    rows: dict[tuple[int, datetime.date], AuditRow] = {}

    def row_for(worker_id, month) -> AuditRow:
        key = (worker_id, month)
        if key not in rows:
            rows[key] = AuditRow(worker_id=worker_id, worker_name="", month=month)
        return rows[key]

    for r in by_assessment:
        c = row_for(r["worker_id"], r["month"]).counts
        c.started, c.authorised, c.returned = r["started"], r["authorised"], r["returned"]
    for r in by_sequence:
        c = row_for(r["worker_id"], r["month"]).counts
        c.sequence_rows, c.steps_required = r["sequence_rows"], r["steps_required"] or 0
        c.steps_evidenced = c.steps_required - (r["steps_missing"] or 0)
        c.justified, c.justified_complete = r["justified"], r["justified_complete"]
        c.crisis_overrides = r["crisis_overrides"]
    for worker_id, month, reason in reasons:
        row_for(worker_id, month).return_reasons.append(reason)

    users = get_user_model().objects.filter(id__in={k[0] for k in rows}).only("first_name", "last_name",
                                                                                "username")
    names = {u.id: u.get_full_name() or u.username for u in users}
    for row in rows.values():
        row.worker_name = names.get(row.worker_id, "")

    ordered = sorted(rows.values(), key=lambda r: (r.worker_name.lower(), r.worker_id, r.month))
    totals = Counts()
    for row in ordered:
        totals.add(row.counts)
    return AuditReport(team=team, months=months, since=since, rows=ordered, totals=totals)
