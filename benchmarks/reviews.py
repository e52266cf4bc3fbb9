"""Reviews at scale (issue 5 §5), in two databases:

- `reviews` (bench_reviews): 1,000,000 open reviews with their people, plans and allocations, generated in SQL
  (benchmarks/reviews_data.py). The daily reminder sweep, `reviews.reminders.sweep_due_reminders`, with the
  dummy email backend: target under 60 s. Timed three ways: the first sweep over data where every review in a
  reminder phase gets its reminder at once (the worst case, as on the first day after go-live), the same sweep
  again at once (nothing new), and the next day's sweep (a normal day). Making the rows (`create_reminders`) is
  timed alone too, so the share spent sending shows. Beside it, counting open reviews by state with
  `reviews.schedule.annotate_state`, the overdue count with `state_q`, and the team overdue view's selector.
- `reviews-county` (bench_county): the `county` demo profile (about 40,000 people, 7,150 plans with their review
  histories, carecase/demo/plans.py). The team overdue view, `reviews.selectors.overdue_by_worker`, for one team
  and for all teams, and the page `GET /reviews/overdue/` through Django's test Client signed in as a team
  leader and as a senior manager: target p95 under 200 ms. Against one GROUP BY written by hand.
"""

from __future__ import annotations

import importlib.util
import io
import os
import random
import time
from datetime import date, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connection
from django.db.models import Count
from django.test import Client
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from assessments.models import SupportPlan
from carecase.audit.models import RecordAccessEvent
from carecase.staff.models import Team, TeamKind
from reviews import schedule, selectors
from reviews.models import OPEN_STATUSES, Review

from . import database, reviews_data
from .common import code_version, machine
from .timing import Stats, measure

TARGET_SWEEP_S = 60.0
TARGET_MS = 200.0
COUNTY_SEED = 1
MIGRATIONS = ("reviews/migrations/*.py", "assessments/migrations/*.py", "carecase/*/migrations/*.py")


def _load() -> float | None:
    try:
        return round(os.getloadavg()[0], 1)
    except OSError:
        return None


def _timed(call) -> tuple[float, object]:
    started = time.perf_counter()
    result = call()
    return time.perf_counter() - started, result


def _size(table: str) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_size_pretty(pg_total_relation_size(%s))", [table])
        return cursor.fetchone()[0]


def _open() -> int:
    return Review.objects.filter(status__in=OPEN_STATUSES).count()


def _by_state(today: date) -> dict[str, int]:
    rows = (schedule.annotate_state(Review.objects.filter(status__in=OPEN_STATUSES), today)
            .values("review_state").annotate(n=Count("id")).order_by())
    return {row["review_state"]: row["n"] for row in rows}


def _overdue_count(today: date) -> int:
    return Review.objects.filter(schedule.state_q(schedule.OVERDUE, today)).count()


# ----------------------------------------------------------------- 1,000,000 reviews: the sweep


def prepare(*, reseed: bool = False, log=print) -> dict:
    wanted = {"profile": "reviews", "open": reviews_data.OPEN,
              "code": code_version("benchmarks/reviews_data.py", *MIGRATIONS)}
    marker = database.reuse_or_empty(wanted, reseed=reseed, log=log)
    if marker is not None:
        return marker
    log(f"Creating {database.database_name()}: {reviews_data.OPEN:,} open reviews with their people and plans.")
    call_command("migrate", verbosity=0)
    timings = reviews_data.bulk_load(log)
    marker = {**wanted, "loaded_on": timezone.localdate().isoformat(), **timings}
    database.write_marker(marker)
    return marker


def dataset_summary(marker: dict) -> dict:
    summary = {
        "load date (due dates are relative to it)": marker.get("loaded_on"),
        "load: people, assessments, plans, allocations, reviews (s)": " / ".join(
            str(marker.get(k)) for k in ("people_s", "assessments_s", "plans_s", "allocations_s", "reviews_s")),
        "VACUUM ANALYZE (s)": marker.get("vacuum_analyze_s"),
        "total load (s)": marker.get("total_s"),
    }
    return {k: v for k, v in summary.items() if v is not None}


def _reset_reminders(model) -> None:
    """An empty reminder table and access log before each sweep, so every run starts from the same state (the
    access log is append-only by trigger, which TRUNCATE, used only on this benchmark database, passes)."""
    with connection.cursor() as cursor:
        cursor.execute(f'TRUNCATE "{model._meta.db_table}", "{RecordAccessEvent._meta.db_table}"')


def _sweep_runs(today: date, log) -> tuple[list[dict], list[str]]:
    from reviews import reminders
    from reviews.models import ReviewReminder

    single, notes = [], []
    settings.EMAIL_BACKEND = "django.core.mail.backends.dummy.EmailBackend"

    def row(name, seconds, counts, note=""):
        single.append({"name": name, "rows": counts.created, "seconds": [round(s, 2) for s in seconds],
                       "target_s": TARGET_SWEEP_S, "passed": max(seconds) < TARGET_SWEEP_S,
                       "note": (f"created {counts.created:,} (28 days before {counts.created_before_due:,}, due "
                                f"{counts.created_due:,}, overdue {counts.created_overdue:,}), delivered "
                                f"{counts.delivered:,}. " + note).strip()})
        log(f"  {name}: {[round(s, 1) for s in seconds]} s, created {counts.created:,}, delivered "
            f"{counts.delivered:,}")

    # Making the rows alone: set-based INSERT ... SELECT, one per kind.
    _reset_reminders(ReviewReminder)
    create_s, made = _timed(lambda: reminders.create_reminders(today=today))
    made_total = sum(made.values())
    single.append({"name": "create_reminders() alone: the reminder rows for the first sweep", "rows": made_total,
                   "seconds": [round(create_s, 2)], "note": ", ".join(f"{k} {v:,}" for k, v in made.items())})
    log(f"  create_reminders alone: {create_s:.1f} s, {made_total:,} rows")

    _reset_reminders(ReviewReminder)
    first_s, first = _timed(lambda: reminders.sweep_due_reminders(today=today, worker="bench"))
    if first.created != made_total or first.delivered != made_total:
        notes.append(f"The first sweep created {first.created:,} and delivered {first.delivered:,}; "
                     f"create_reminders alone made {made_total:,}.")
    delivery_share = round(100 * (first_s - create_s) / first_s) if first_s else 0
    row("Reminder sweep, first day: every review in a reminder phase at once (worst case)", [first_s], first,
        f"Sending (claim, access check, render, dummy backend, access log) took about {delivery_share}% of it.")
    again_s, again = _timed(lambda: reminders.sweep_due_reminders(today=today, worker="bench"))
    row("Reminder sweep, run again the same day (nothing new)", [again_s], again)
    next_s, following = _timed(lambda: reminders.sweep_due_reminders(today=today + timedelta(days=1),
                                                                       worker="bench"))
    row("Reminder sweep, the next day (a normal day)", [next_s], following)
    return single, notes


def run(*, requests: int = 200, loaded_on: str | None = None, log=print) -> dict:
    host = machine()
    today = date.fromisoformat(loaded_on) if loaded_on else timezone.localdate()
    results: list[Stats] = []
    single: list[dict] = []
    notes: list[str] = []

    seconds = []
    for _ in range(3):
        s, states = _timed(lambda: _by_state(today))
        seconds.append(round(s, 2))
    single.append({"name": "Open reviews by state, schedule.annotate_state + GROUP BY (all 1,000,000)",
                   "rows": sum(states.values()), "seconds": seconds,
                   "note": ", ".join(f"{k} {v:,}" for k, v in sorted(states.items()))})
    log(f"  annotate_state counting: {seconds} s {states}")
    stats, _ = measure("Overdue count, Review.objects.filter(state_q(OVERDUE)).count()",
                       [lambda: _overdue_count(today)] * 50, warmup=5)
    results.append(stats)
    teams = list(Team.objects.filter(kind__in=[TeamKind.LOCALITY, TeamKind.REVIEWING]).values_list("id", flat=True))
    rng = random.Random(5)
    one_team = [rng.choice(teams) for _ in range(min(requests, 100))]
    stats, _ = measure("Team overdue view selector, overdue_by_worker(one team)",
                       [lambda t=t: selectors.overdue_by_worker(team_ids=[t], today=today) for t in one_team],
                       warmup=5)
    results.append(stats)
    stats, _ = measure("Team overdue view selector, overdue_by_worker(all teams)",
                       [lambda: selectors.overdue_by_worker(team_ids=None, today=today)] * 20, warmup=3)
    results.append(stats)

    if importlib.util.find_spec("reviews.reminders") is None:
        notes.append("reviews/reminders.py is not in this checkout, so the reminder sweep was not timed; the rows "
                     "above stand in for it.")
    else:
        runs, more = _sweep_runs(today, log)
        single += runs
        notes += more

    for stat in results:
        log("  " + stat.line())
    open_count = _open()
    return {
        "profile": "reviews",
        "machine": {**host, "load_average_at_end": _load()},
        "dataset": {
            "open reviews": open_count,
            "overdue on the run date": states.get(schedule.OVERDUE, 0),
            "run date": today.isoformat(),
            "teams": Team.objects.count(),
            "reviews table": _size(Review._meta.db_table),
            "reviews/reminders.py version (hash)": code_version("reviews/reminders.py", "carecase/outbox.py"),
        },
        "results": [r.as_dict() for r in results],
        "single_runs": single,
        "notes": notes + [
            "The sweep runs with Django's dummy email backend (the message is built and handed over, nothing is "
            "kept), on the load date; the reminder table and the access log are emptied before the first "
            "sweep. Reminders to named workers name the person (an access check and an access-log row each); "
            "25% of people have no named worker, so their reminders go to the team leader.",
        ],
    }


# ----------------------------------------------------------------- the county profile: the team overdue view


def prepare_county(*, reseed: bool = False, log=print) -> dict:
    wanted = {"profile": "county", "seed": COUNTY_SEED,
              "code": code_version("carecase/demo/*.py", "carecase/people/search_keys.py", *MIGRATIONS)}
    marker = database.reuse_or_empty(wanted, reseed=reseed, log=log)
    if marker is not None:
        return marker
    log(f"Creating {database.database_name()}: migrating and seeding the county profile (seed {COUNTY_SEED}).")
    call_command("migrate", verbosity=0)
    out = io.StringIO()
    started = time.perf_counter()
    call_command("seed_demo", "--profile", "county", "--seed", str(COUNTY_SEED), stdout=out)
    seconds = time.perf_counter() - started
    log(out.getvalue().splitlines()[0])
    database.settle()
    marker = {**wanted, "seeded_on": timezone.localdate().isoformat(), "seed_seconds": round(seconds, 1)}
    database.write_marker(marker)
    return marker


def bare_sql_overdue(team_id: int | None, today: date) -> list[tuple]:
    """The baseline: the same counts (per team and allocated worker, in the age bands) in one GROUP BY."""
    bands = []
    params: dict = {"today": today}
    for key, _label, above, up_to in schedule.OVERDUE_BANDS:
        condition = f"r.due_on < %(a_{key})s"
        params[f"a_{key}"] = today - timedelta(days=above)
        if up_to is not None:
            condition += f" AND r.due_on >= %(u_{key})s"
            params[f"u_{key}"] = today - timedelta(days=up_to)
        bands.append(f"count(*) FILTER (WHERE {condition})")
    where = "r.status IN ('scheduled', 'in_progress', 'awaiting_triage') AND r.due_on < %(today)s"
    if team_id is not None:
        where += " AND r.team_id = %(team)s"
        params["team"] = team_id
    with connection.cursor() as cursor:
        cursor.execute(
            f"""SELECT r.team_id, a.worker_id, count(*), {", ".join(bands)}
                  FROM reviews_review r
                  LEFT JOIN staff_allocation a ON a.person_id = r.person_id AND a.ended_at IS NULL
                 WHERE {where}
                 GROUP BY r.team_id, a.worker_id""",  # noqa: S608 (values are parameters)
            params)
        return cursor.fetchall()


def run_county(*, requests: int = 200, log=print) -> dict:
    from reviews.figures import people_overdue_leicester_definition

    host = machine()
    today = timezone.localdate()
    User = get_user_model()
    leader = User.objects.get(username="team.leader")
    manager = User.objects.get(username="senior.manager")
    with_overdue = list(Review.objects.filter(schedule.state_q(schedule.OVERDUE, today))
                        .values_list("team_id", flat=True).distinct().order_by("team_id"))
    rng = random.Random(7)
    picks = [rng.choice(with_overdue) for _ in range(requests)]
    results: list[Stats] = []
    notes: list[str] = []

    # The selector and the baseline agree on the totals before anything is timed.
    for team_id in with_overdue:
        mine = sum(r["total"] for r in selectors.overdue_by_worker(team_ids=[team_id], today=today))
        bare = sum(row[2] for row in bare_sql_overdue(team_id, today))
        if mine != bare:
            raise RuntimeError(f"overdue_by_worker and the bare SQL disagree for team {team_id}: {mine} != {bare}")

    one, _ = measure("Team overdue view selector, overdue_by_worker(one team)",
                     [lambda t=t: selectors.overdue_by_worker(team_ids=[t], today=today) for t in picks],
                     target_ms=TARGET_MS)
    results.append(one)
    baseline, _ = measure("Baseline: the same counts for one team in one GROUP BY (bare SQL)",
                          [lambda t=t: bare_sql_overdue(t, today) for t in picks])
    results.append(baseline)
    everyone, _ = measure("Team overdue view selector, overdue_by_worker(all teams)",
                          [lambda: selectors.overdue_by_worker(team_ids=None, today=today)] * requests,
                          target_ms=TARGET_MS)
    results.append(everyone)

    try:
        path = reverse("reviews-overdue")
    except NoReverseMatch:
        path = None
        notes.append("The reviews-overdue page is not in this checkout, so only its selector was timed.")
    if path is not None:
        for user, label, params in ((leader, "team leader, their own team", {}),
                                    (manager, "senior manager, all teams", {})):
            client = Client()
            client.force_login(user)

            def page(client=client, params=params):
                response = client.get(path, params)
                if response.status_code != 200:
                    raise RuntimeError(f"{path} answered {response.status_code}")
                return response

            stats, _ = measure(f"GET {path} (whole request, {label})", [page] * requests, target_ms=TARGET_MS)
            results.append(stats)

    for stat in results:
        log("  " + stat.line())
    open_count = _open()
    return {
        "profile": "reviews-county",
        "machine": {**host, "load_average_at_end": _load()},
        "dataset": {
            "active plans": SupportPlan.objects.filter(status="active").count(),
            "reviews (completed and open)": Review.objects.count(),
            "open reviews": open_count,
            "overdue by the schedule": _overdue_count(today),
            "people supported over 12 months and not reviewed in 12 months (reviews.figures)":
                people_overdue_leicester_definition(today),
            "teams with overdue reviews": len(with_overdue),
        },
        "results": [r.as_dict() for r in results],
        "ratios": {"overdue_by_worker(one team) p95 / bare SQL p95":
                   round(one.p95_ms / max(baseline.p95_ms, 1e-6), 1)},
        "notes": notes + [
            f"The team leader's own team is {leader.staff.team.name}; the one-team selector cycles over the "
            f"{len(with_overdue)} teams with overdue reviews.",
        ],
    }
