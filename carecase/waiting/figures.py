"""The waiting-list figures: one definition of each, used by the dashboard, its CSV, the API and the digest.

- `summary`: total, by priority, by wait band, median and 90th-percentile wait, over 6 months and overdue
  keep-in-touch contacts, for a `Scope` (teams, queues, priorities), in one SQL statement over the open
  entries (partial indexes on open entries keep it small).
- `longest_waits`: the entries waiting longest, for the page to show through the access-checked listing.
- `take_snapshot` / `weekly_trend`: the nightly snapshot and the 12-month weekly chart built from it.

Definitions (README "Waiting lists"): a person's wait is today minus the day they joined the queue, in days,
and never restarts when the priority changes. Wait bands use calendar months: under 4 weeks; 4 weeks to
under 3 months; 3 to under 6 months; 6 to under 12 months; 12 months or more. "Over 6 months" is 6 months or
more. A keep-in-touch contact is overdue once its band's grace period in working days has passed after the
due date (urgent 1, high 2, medium 5, low 10, from the priority rule file; not yet rated: the day after).
"""

from __future__ import annotations

import dataclasses
import datetime as dt

from dateutil.relativedelta import relativedelta
from django.db import connection, transaction
from django.db.models import Aggregate, Count, FloatField, Max, Q
from django.db.models.expressions import RawSQL
from django.utils import timezone

from assessments.engine import waiting_priority
from carecase.workdays import latest_start_for

from .models import Band, Queue, WaitingListEntry, WaitingListSnapshot

BANDS = [Band.URGENT, Band.HIGH, Band.MEDIUM, Band.LOW, Band.NOT_RATED]
WAIT_BANDS = [  # key, label
    ("0_4_weeks", "Under 4 weeks"),
    ("1_3_months", "4 weeks to 3 months"),
    ("3_6_months", "3 to 6 months"),
    ("6_12_months", "6 to 12 months"),
    ("over_12_months", "Over 12 months"),
]
SNAPSHOT_LOCK = 7_412_001  # pg_advisory_xact_lock key: one snapshot writer at a time


@dataclasses.dataclass(frozen=True)
class Scope:
    """Which entries the figures cover. Empty means all: all teams, all queues, all priorities."""

    teams: tuple[int, ...] = ()
    queues: tuple[str, ...] = ()
    bands: tuple[str, ...] = ()

    def __post_init__(self):
        for name, allowed in (("queues", Queue.values), ("bands", Band.values)):
            unknown = sorted(set(getattr(self, name)) - set(allowed))
            if unknown:
                raise ValueError(f"Unknown {name[:-1]}: {', '.join(unknown)}")
        object.__setattr__(self, "teams", tuple(sorted({int(t) for t in self.teams})))
        object.__setattr__(self, "queues", tuple(sorted(set(self.queues))))
        object.__setattr__(self, "bands", tuple(sorted(set(self.bands))))

    def q(self) -> Q:
        q = Q()
        if self.teams:
            q &= Q(team_id__in=self.teams)
        if self.queues:
            q &= Q(queue__in=self.queues)
        if self.bands:
            q &= Q(band__in=self.bands)
        return q


class PercentileCont(Aggregate):
    """PostgreSQL's percentile_cont(fraction) WITHIN GROUP (ORDER BY expression): the interpolated percentile."""

    function = "percentile_cont"
    template = "%(function)s(%(fraction)s) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = FloatField()

    def __init__(self, expression, fraction: float, **extra):
        if not 0 <= fraction <= 1:
            raise ValueError("fraction must be between 0 and 1")
        super().__init__(expression, fraction=float(fraction), **extra)


def wait_band_starts(today: dt.date) -> dict[str, tuple[dt.date | None, dt.date | None]]:
    """Each wait band as the range of joining dates (after, up to and including) that fall in it today."""
    four_weeks, three, six, twelve = (today - dt.timedelta(days=28), today - relativedelta(months=3),
                                      today - relativedelta(months=6), today - relativedelta(months=12))
    return {
        "0_4_weeks": (four_weeks, None),
        "1_3_months": (three, four_weeks),
        "3_6_months": (six, three),
        "6_12_months": (twelve, six),
        "over_12_months": (None, twelve),
    }


def _joined_between(after: dt.date | None, up_to: dt.date | None) -> Q:
    q = Q()
    if after is not None:
        q &= Q(waiting_since__gt=after)
    if up_to is not None:
        q &= Q(waiting_since__lte=up_to)
    return q


def overdue_contact_q(today: dt.date) -> Q:
    """Open entries whose keep-in-touch contact is overdue today, by their band's grace in working days."""
    q = Q(band=Band.NOT_RATED, next_contact_due__lt=today)
    for band in (Band.URGENT, Band.HIGH, Band.MEDIUM, Band.LOW):
        grace = waiting_priority.overdue_after_working_days(band) or 0
        q |= Q(band=band, next_contact_due__lte=latest_start_for(grace, today=today))
    return q


def is_contact_overdue(entry: WaitingListEntry, today: dt.date) -> bool:
    """The same rule for one entry, for pages that show one."""
    if not entry.is_open or entry.next_contact_due is None:
        return False
    if entry.band == Band.NOT_RATED:
        return entry.next_contact_due < today
    grace = waiting_priority.overdue_after_working_days(entry.band) or 0
    return entry.next_contact_due <= latest_start_for(grace, today=today)


def open_entries(scope: Scope):
    return WaitingListEntry.objects.filter(scope.q(), left_on__isnull=True)


def summary(scope: Scope, *, today: dt.date | None = None) -> dict:
    """The dashboard's and the API's headline figures, in one statement."""
    today = today or timezone.localdate()
    wait = RawSQL("(%s::date - waiting_since)", [today])
    starts = wait_band_starts(today)
    aggregates = {
        "total": Count("id"),
        "median": PercentileCont(wait, 0.5),
        "p90": PercentileCont(wait, 0.9),
        "over_6_months": Count("id", filter=Q(waiting_since__lte=today - relativedelta(months=6))),
        "overdue_keep_in_touch": Count("id", filter=overdue_contact_q(today)),
    }
    aggregates |= {f"band_{b}": Count("id", filter=Q(band=b)) for b in BANDS}
    aggregates |= {f"wait_{key}": Count("id", filter=_joined_between(*starts[key])) for key, _ in WAIT_BANDS}
    row = open_entries(scope).aggregate(**aggregates)
    return {
        "total": row["total"],
        "by_priority": {b: row[f"band_{b}"] for b in BANDS},
        "by_band": {key: row[f"wait_{key}"] for key, _ in WAIT_BANDS},
        "median_wait_days": _rounded(row["median"]),
        "p90_wait_days": _rounded(row["p90"]),
        "over_6_months": row["over_6_months"],
        "overdue_keep_in_touch": row["overdue_keep_in_touch"],
    }


def _rounded(value: float | None) -> float | None:
    return None if value is None else round(value, 1)


def longest_waits(scope: Scope, *, limit: int = 20):
    """The entries waiting longest (earliest joining date first), with the date of their last keep-in-touch
    contact. Person details must be shown through the access-checked people listing."""
    return (
        open_entries(scope)
        .select_related("team")
        .annotate(last_contact_at=Max("keep_in_touch__at"))
        .order_by("waiting_since", "id")[:limit]
    )


# ---------------------------------------------------------------- nightly snapshots and the weekly trend


def take_snapshot(*, on: dt.date | None = None) -> int:
    """Write the snapshot of who was waiting at the end of `on` (today by default), replacing any earlier
    snapshot of that day, so running it twice, or twice at once, leaves one. Returns the number of rows.
    A day in the past is rebuilt from join and leave dates and marked reconstructed."""
    today = timezone.localdate()
    on = on or today
    if on > today:
        raise ValueError("A snapshot cannot be taken of a day that has not happened yet")
    snapshot, entry = WaitingListSnapshot._meta.db_table, WaitingListEntry._meta.db_table
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [SNAPSHOT_LOCK])
        cursor.execute(f"DELETE FROM {snapshot} WHERE taken_on = %s", [on])  # noqa: S608 (model table name)
        cursor.execute(
            f"""
            INSERT INTO {snapshot} (taken_on, queue, team_id, band, waiting, wait_days, reconstructed, created_at)
            SELECT %(on)s, queue, team_id, band, count(*),
                   array_agg(%(on)s::date - waiting_since ORDER BY waiting_since DESC),
                   %(reconstructed)s, now()
              FROM {entry}
             WHERE waiting_since <= %(on)s AND (left_on IS NULL OR left_on > %(on)s)
             GROUP BY queue, team_id, band
            """,  # noqa: S608 (model table names; values are parameters)
            {"on": on, "reconstructed": on < today},
        )
        return cursor.rowcount


@dataclasses.dataclass(frozen=True)
class TrendPoint:
    week_ending: dt.date
    waiting: int | None  # None: no snapshot was taken that day
    median_wait_days: float | None
    reconstructed: bool = False


def weekly_trend(scope: Scope, *, weeks: int = 52, today: dt.date | None = None) -> list[TrendPoint]:
    """The number waiting and the median wait, week by week for `weeks` weeks, oldest first, from the
    snapshots: every 7th day back from the latest snapshot. A week without a snapshot is shown as a gap,
    never guessed."""
    today = today or timezone.localdate()
    latest = WaitingListSnapshot.objects.filter(taken_on__lte=today).aggregate(d=Max("taken_on"))["d"]
    if latest is None:
        return []
    days = [latest - dt.timedelta(weeks=k) for k in range(weeks - 1, -1, -1)]
    where, params = ["s.taken_on = ANY(%s)"], [days]
    for column, values in (("s.team_id", scope.teams), ("s.queue", scope.queues), ("s.band", scope.bands)):
        if values:
            where.append(f"{column} = ANY(%s)")
            params.append(list(values))
    table = WaitingListSnapshot._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            SELECT s.taken_on, bool_or(s.reconstructed), count(d), percentile_cont(0.5) WITHIN GROUP (ORDER BY d)
              FROM {table} s CROSS JOIN LATERAL unnest(s.wait_days) AS d
             WHERE {" AND ".join(where)}
             GROUP BY s.taken_on
            """,  # noqa: S608 (model table name; values are parameters)
            params,
        )
        found = {day: (reconstructed, int(waiting), float(median))
                 for day, reconstructed, waiting, median in cursor.fetchall()}
        taken = set(WaitingListSnapshot.objects.filter(taken_on__in=days).order_by().values_list("taken_on", flat=True)
                    .distinct())
    points = []
    for day in days:
        if day in found:
            reconstructed, waiting, median = found[day]
            points.append(TrendPoint(day, waiting, round(median, 1), reconstructed))
        elif day in taken:  # a snapshot that night, with nobody waiting in this scope
            points.append(TrendPoint(day, 0, None))
        else:
            points.append(TrendPoint(day, None, None))
    return points
