"""Waiting lists at scale: 100,000 open entries and 1,000,000 that left the list (benchmarks/waiting_data.py).

- The headline figures, `carecase.waiting.figures.summary`, over a mix of filters (none, one team, one queue,
  one team + queue + priority): target p95 under 200 ms (issue 4). Against the same figures from one SELECT
  written by hand (FILTER aggregates and percentile_cont), target ratio 3 or less; and through the API
  (`GET /api/v1/waiting-list/summary/`, Django's test Client, a signed-in team leader), when it exists.
- The daily keep-in-touch sweep, `carecase.waiting.reminders.sweep_due_reminders`, when about a quarter of
  the 100,000 are due, and when all of them are: target under 30 s.
- The nightly snapshot, `carecase.waiting.figures.take_snapshot`, for today and for a day rebuilt afterwards.
- EXPLAIN (ANALYZE, BUFFERS) of the summary for each kind of filter, kept in benchmarks/results/waiting.json.
"""

from __future__ import annotations

import os
import random
import re
import time
from datetime import date, timedelta

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from carecase.staff.models import Team
from carecase.waiting import figures, reminders
from carecase.waiting.figures import BANDS, WAIT_BANDS, Scope
from carecase.waiting.models import KeepInTouchReminder, Queue, WaitingListEntry, WaitingListSnapshot

from . import database, waiting_data
from .common import code_version, machine
from .timing import Stats, measure, percentile

TARGET_MS = 200.0
TARGET_RATIO = 3.0
TARGET_SWEEP_S = 30.0
KINDS = ("no filter", "one team", "one queue", "team + queue + priority")
SUMMARY_PATH = "/api/v1/waiting-list/summary/"


def prepare(*, reseed: bool = False, log=print) -> dict:
    wanted = {"profile": "waiting", "open": waiting_data.OPEN, "closed": waiting_data.CLOSED,
              "code": code_version("benchmarks/waiting_data.py")}
    marker = database.reuse_or_empty(wanted, reseed=reseed, log=log)
    if marker is not None:
        return marker
    log(f"Creating {database.database_name()}: {waiting_data.OPEN:,} open entries and {waiting_data.CLOSED:,} "
        "that left the list.")
    call_command("migrate", verbosity=0)
    timings = waiting_data.bulk_load(log)
    marker = {**wanted, "loaded_on": timezone.localdate().isoformat(), **timings}
    database.write_marker(marker)
    return marker


def dataset_summary(marker: dict) -> dict:
    summary = {
        "load date (keep-in-touch dates are relative to it)": marker.get("loaded_on"),
        "load: people, entries, priority changes (s)": " / ".join(
            str(marker.get(k)) for k in ("people_s", "entries_s", "priority_changes_s")),
        "VACUUM ANALYZE (s)": marker.get("vacuum_analyze_s"),
        "total load (s)": marker.get("total_s"),
    }
    return {k: v for k, v in summary.items() if v is not None}


# ----------------------------------------------------------------- the baseline: one SELECT by hand


def _overdue_dates(today: date) -> dict[str, date]:
    """The latest due date that is overdue today, per band (figures.overdue_contact_q's rule, worked out once,
    outside the timing: the baseline is the statement alone)."""
    from assessments.engine import waiting_priority
    from carecase.workdays import latest_start_for

    return {band: latest_start_for(waiting_priority.overdue_after_working_days(band), today=today)
            for band in ("urgent", "high", "medium", "low")}


def bare_sql_summary(scope: Scope, today: date, overdue: dict[str, date]) -> dict:
    starts = figures.wait_band_starts(today)
    where, params = ["left_on IS NULL"], {"today": today, "six": figures.wait_band_starts(today)["6_12_months"][1]}
    for column, values in (("team_id", scope.teams), ("queue", scope.queues), ("band", scope.bands)):
        if values:
            where.append(f"{column} = ANY(%({column})s)")
            params[column] = list(values)
    wait_bands = []
    for key, (after, up_to) in starts.items():
        parts = []
        if after is not None:
            parts.append(f"waiting_since > %(a_{key})s")
            params[f"a_{key}"] = after
        if up_to is not None:
            parts.append(f"waiting_since <= %(u_{key})s")
            params[f"u_{key}"] = up_to
        wait_bands.append(f"count(*) FILTER (WHERE {' AND '.join(parts)})")
    overdue_sql = " OR ".join(["(band = 'not_rated' AND next_contact_due < %(today)s)"] + [
        f"(band = '{band}' AND next_contact_due <= %(o_{band})s)" for band in overdue])
    params |= {f"o_{band}": day for band, day in overdue.items()}
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            SELECT count(*),
                   percentile_cont(0.5) WITHIN GROUP (ORDER BY %(today)s::date - waiting_since),
                   percentile_cont(0.9) WITHIN GROUP (ORDER BY %(today)s::date - waiting_since),
                   count(*) FILTER (WHERE waiting_since <= %(six)s),
                   count(*) FILTER (WHERE {overdue_sql}),
                   {", ".join(f"count(*) FILTER (WHERE band = '{band}')" for band in BANDS)},
                   {", ".join(wait_bands)}
              FROM {WaitingListEntry._meta.db_table}
             WHERE {" AND ".join(where)}
            """,  # noqa: S608 (model table name; values are parameters)
            params,
        )
        row = cursor.fetchone()
    return {
        "total": row[0],
        "by_priority": dict(zip(BANDS, row[5:10], strict=True)),
        "by_band": {key: n for (key, _), n in zip(WAIT_BANDS, row[10:15], strict=True)},
        "median_wait_days": None if row[1] is None else round(row[1], 1),
        "p90_wait_days": None if row[2] is None else round(row[2], 1),
        "over_6_months": row[3],
        "overdue_keep_in_touch": row[4],
    }


# ----------------------------------------------------------------- helpers


def _scopes(n: int) -> list[tuple[str, Scope]]:
    rng = random.Random(4)
    teams = list(WaitingListEntry.objects.filter(left_on__isnull=True).values_list("team_id", flat=True)
                 .distinct().order_by("team_id"))
    made = []
    for i in range(n):
        kind = KINDS[i % len(KINDS)]
        if kind == "no filter":
            scope = Scope()
        elif kind == "one team":
            scope = Scope(teams=(rng.choice(teams),))
        elif kind == "one queue":
            scope = Scope(queues=(rng.choice([Queue.ASSESSMENT, Queue.DOLS, Queue.REVIEW, Queue.CARER_ASSESSMENT]),))
        else:
            scope = Scope(teams=(rng.choice(teams),), queues=(Queue.ASSESSMENT,),
                          bands=(rng.choice(["high", "medium", "low"]),))
        made.append((kind, scope))
    return made


def _by_kind(scopes, timings) -> dict:
    out = {}
    for kind in KINDS:
        values = sorted(t for (k, _), t in zip(scopes, timings, strict=True) if k == kind)
        out[kind] = {"n": len(values), "p50_ms": round(percentile(values, 0.5), 2),
                     "p95_ms": round(percentile(values, 0.95), 2)}
    return out


def _params(scope: Scope) -> dict:
    params = {}
    if scope.teams:
        params["team"] = ",".join(str(t) for t in scope.teams)
    if scope.queues:
        params["queue"] = ",".join(scope.queues)
    if scope.bands:
        params["priority"] = ",".join(scope.bands)
    return params


def _explain(scope: Scope) -> dict:
    with CaptureQueriesContext(connection) as captured:
        figures.summary(scope)
    sql = captured.captured_queries[-1]["sql"]
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    indexes = sorted(set(re.findall(r"(?:Index Scan|Index Only Scan)(?: Backward)? using (\w+)", plan))
                     | set(re.findall(r"Bitmap Index Scan on (\w+)", plan)))
    seq = bool(re.search(r"Seq Scan on waiting_waitinglistentry", plan))
    executed = re.search(r"Execution Time: ([\d.]+) ms", plan)
    return {"indexes": indexes, "seq_scan": seq, "execution_ms": float(executed.group(1)) if executed else None,
            "plan": plan}


def _timed(call) -> tuple[float, object]:
    started = time.perf_counter()
    result = call()
    return time.perf_counter() - started, result


def _reset_reminders() -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {KeepInTouchReminder._meta.db_table}")


def _due(on: date) -> int:
    return WaitingListEntry.objects.filter(left_on__isnull=True, next_contact_due__lte=on).count()


def _load() -> float | None:
    try:
        return round(os.getloadavg()[0], 1)
    except OSError:
        return None


# ----------------------------------------------------------------- the run


def run(*, requests: int = 200, loaded_on: str | None = None, log=print) -> dict:
    host = machine()  # before timing: includes the load average as the run starts
    today = timezone.localdate()
    leader = get_user_model().objects.get(username="team.leader")
    scopes = _scopes(requests)
    overdue = _overdue_dates(today)
    results: list[Stats] = []
    notes: list[str] = []

    # The two ways agree before anything is timed.
    for _, scope in scopes[:8]:
        mine, bare = figures.summary(scope, today=today), bare_sql_summary(scope, today, overdue)
        if mine != bare:
            raise RuntimeError(f"figures.summary and the bare SQL disagree for {scope}: {mine} != {bare}")

    stats, timings = measure("Waiting-list summary, figures.summary (mix of 4 filters)",
                             [lambda s=s: figures.summary(s) for _, s in scopes], target_ms=TARGET_MS)
    results.append(stats)
    by_kind = _by_kind(scopes, timings)
    baseline, base_timings = measure("Baseline: the same figures in one SELECT written by hand (bare SQL)",
                                     [lambda s=s: bare_sql_summary(s, today, overdue) for _, s in scopes])
    results.append(baseline)
    base_by_kind = _by_kind(scopes, base_timings)

    client = Client()
    client.force_login(leader)
    probe = client.get(SUMMARY_PATH)
    if probe.status_code == 404:
        notes.append(f"GET {SUMMARY_PATH} answered 404: the API endpoint is not in this checkout, so only "
                     "figures.summary was timed.")
    else:
        def api(scope):
            response = client.get(SUMMARY_PATH, _params(scope))
            if response.status_code != 200:
                raise RuntimeError(f"{SUMMARY_PATH} answered {response.status_code} for {_params(scope)}")
            return response

        api_stats, _ = measure(f"GET {SUMMARY_PATH} (whole request, team leader)",
                               [lambda s=s: api(s) for _, s in scopes], target_ms=TARGET_MS)
        results.append(api_stats)

    plans = {kind: _explain(scope) for kind, scope in
             [next(pair for pair in scopes if pair[0] == kind) for kind in KINDS]}

    # --- the daily keep-in-touch sweep --------------------------------------------------------------
    load_date = date.fromisoformat(loaded_on) if loaded_on else today
    single = []
    for label, on in (("about a quarter", load_date), ("all of them: the worst case", load_date + timedelta(days=60))):
        due = _due(on)
        runs = []
        for _ in range(2):
            _reset_reminders()
            seconds, counts = _timed(lambda on=on: reminders.sweep_due_reminders(today=on, worker="bench"))
            if counts.created != due or counts.delivered != due:
                raise RuntimeError(f"The sweep created {counts.created} and delivered {counts.delivered}, not {due}")
            runs.append(round(seconds, 2))
        again, counts = _timed(lambda on=on: reminders.sweep_due_reminders(today=on, worker="bench"))
        single.append({"name": f"Keep-in-touch sweep: {due:,} of {waiting_data.OPEN:,} open entries due ({label})",
                       "rows": due, "seconds": runs, "target_s": TARGET_SWEEP_S,
                       "passed": max(runs) < TARGET_SWEEP_S,
                       "note": f"Run again at once: {again:.2f} s, {counts.created} created."})
        log(f"  sweep, {label}: {due:,} due, {runs} s")
    _reset_reminders()

    # --- the nightly snapshot ------------------------------------------------------------------------
    for label, on in (("today", None), ("a day 26 weeks ago (rebuilt from join and leave dates)",
                                        today - timedelta(weeks=26))):
        runs, rows = [], 0
        for _ in range(3):
            seconds, rows = _timed(lambda on=on: figures.take_snapshot(on=on))
            runs.append(round(seconds, 2))
        single.append({"name": f"Nightly snapshot, take_snapshot(): {label}", "rows": rows, "seconds": runs,
                       "note": "Rows: one per queue, team and priority."})
        log(f"  snapshot, {label}: {rows} rows, {runs} s")
    WaitingListSnapshot.objects.all().delete()

    for stat in results:
        log("  " + stat.line())
    ratio = round(stats.p95_ms / max(baseline.p95_ms, 1e-6), 1)
    ratios = {"figures.summary p95 / bare SQL p95": ratio}
    for kind, plan in plans.items():
        used = ", ".join(plan["indexes"]) or "no index"
        notes.append(f"EXPLAIN ANALYZE, {kind}: {used}{'; sequential scan of the entries' if plan['seq_scan'] else ''}"
                     f" ({plan['execution_ms']} ms in PostgreSQL).")
    if ratio > TARGET_RATIO:
        notes.append(f"figures.summary is {ratio}× the bare SQL at p95, over the {TARGET_RATIO:g}× target.")
    open_count = WaitingListEntry.objects.filter(left_on__isnull=True).count()
    return {
        "profile": "waiting",
        "machine": {**host, "load_average_at_end": _load()},
        "dataset": {
            "open entries": open_count,
            "entries that left the list (history rows)": WaitingListEntry.objects.count() - open_count,
            "priority changes": waiting_data.OPEN + waiting_data.CLOSED,
            "teams": Team.objects.count(),
            "entries table": _size(WaitingListEntry._meta.db_table),
        },
        "results": [r.as_dict() for r in results],
        "summary_by_filter": {kind: {"figures": by_kind[kind], "bare_sql": base_by_kind[kind]} for kind in KINDS},
        "single_runs": single,
        "ratios": ratios,
        "plans": plans,
        "notes": notes + [
            "Filters: the 200 summaries cycle through no filter, one team, one queue (needs assessment, DoLS, "
            "review or carer's assessment) and one team + needs assessment + one priority. The sweep and the "
            "snapshot are single runs (seconds each).",
        ],
    }


def _size(table: str) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_size_pretty(pg_total_relation_size(%s))", [table])
        return cursor.fetchone()[0]
