"""How the review benchmark database is made: 1,000,000 open reviews and what they need, all in SQL (INSERT ...
SELECT over generate_series), as waiting_data.py does. Kept apart from reviews.py because a change here (or in
the reviews migrations) means the benchmark database must be rebuilt.

What is generated (fixed random seed, so every rebuild is the same), relative to the load date:

- 20 teams (16 locality teams, a reviewing team, occupational therapy, direct payments, hospital), a team
  leader each and 50 workers each (1,000 practitioners, each with an email address, so every reminder can be
  sent);
- 1,000,000 people with placeholder names, each with an authorised needs assessment, an active care and
  support plan and an open allocation: to one of the locality teams or the reviewing team (15%), to a named
  worker in it for 75% of people (reminders go to the worker) and to the team only for the rest (reminders go
  to the team leader);
- one open (scheduled) planned review per plan, in the allocation's team: 25% overdue (due 1 to 730 days ago,
  more of them recently), 10% due within 30 days, the rest due in 31 days to a year. Each can be done from 8
  weeks before it is due.

History triggers (pghistory) and other user triggers on these tables are off during the load, so no history
rows: the load stands for years of use, not work done in CareCase.
"""

from __future__ import annotations

import time

from django.db import connection
from django.utils import timezone

from assessments.models import Assessment, SupportPlan
from carecase import codes
from carecase.people.models import Person
from carecase.staff.models import Allocation, Role, Team, TeamKind
from carecase.staff.services import staff_create
from reviews.models import Review

from . import database

OPEN = 1_000_000
LOCALITY_TEAMS = 16
WORKERS_PER_TEAM = 50
SEED = 0.5
OVERDUE_SHARE = 0.25
DUE_SOON_SHARE = 0.10
NAMED_WORKER_SHARE = 0.75
REVIEWING_SHARE = 0.15

# The team of person g, the same in every table: a locality team, or the reviewing team for 15%.
# (SQL run with parameters, so "%%" is the modulo operator.)
TEAM_INDEX = f"""(CASE WHEN (g::bigint * 7919 %% 1000) < {int(REVIEWING_SHARE * 1000)} THEN {LOCALITY_TEAMS}
                       ELSE (g::bigint * 104729 %% {LOCALITY_TEAMS}) END)::int"""
# A uniform number in [0, 1) for person g, the same in every table (so a plan and its review agree).
UNIFORM = "(('x' || substr(md5('due' || g), 1, 8))::bit(32)::bigint / 4294967296.0)"
# The due date of person g's review: overdue (more of them recently), due within 30 days, or later.
DUE = f"""(CASE WHEN {UNIFORM} < {OVERDUE_SHARE}
               THEN %(today)s::date - 1 - floor(power({UNIFORM} / {OVERDUE_SHARE}, 1.5) * 730)::int
               WHEN {UNIFORM} < {OVERDUE_SHARE + DUE_SOON_SHARE}
               THEN %(today)s::date + floor(({UNIFORM} - {OVERDUE_SHARE}) / {DUE_SOON_SHARE} * 31)::int
               ELSE %(today)s::date + 31 + floor(({UNIFORM} - {OVERDUE_SHARE + DUE_SOON_SHARE})
                                                 / {1 - OVERDUE_SHARE - DUE_SOON_SHARE} * 335)::int END)"""


def _teams() -> tuple[list[Team], dict[int, int], list[int]]:
    """Teams, a team leader each (user ids by team index) and the workers (staff member ids, by team in blocks
    of WORKERS_PER_TEAM, for the locality and reviewing teams)."""
    specs = [(f"Locality team {n}", TeamKind.LOCALITY) for n in range(1, LOCALITY_TEAMS + 1)]
    specs += [("Reviewing team", TeamKind.REVIEWING), ("Occupational therapy", TeamKind.OCCUPATIONAL_THERAPY),
              ("Direct payments", TeamKind.DIRECT_PAYMENTS), ("Hospital social work", TeamKind.HOSPITAL)]
    teams = Team.objects.bulk_create([Team(name=name, kind=kind, locality=name, phone=f"0116 496 0{100 + i:03d}",
                                           email=f"team{i}@example.gov.uk") for i, (name, kind) in enumerate(specs)])
    leaders, workers = {}, []
    for index, team in enumerate(teams):
        username = "team.leader" if index == 0 else f"leader{index}"
        leader = staff_create(username=username, first_name="Team", last_name=f"Leader {index}",
                              email=f"{username}@example.gov.uk", role=Role.TEAM_LEADER, job_title="Team leader",
                              team=team)
        leaders[index] = leader.user_id
        if index <= LOCALITY_TEAMS:
            for k in range(WORKERS_PER_TEAM):
                username = f"worker{index}.{k}"
                workers.append(staff_create(username=username, first_name="Worker", last_name=f"{index}.{k}",
                                            email=f"{username}@example.gov.uk", role=Role.PRACTITIONER,
                                            job_title="Social worker", team=team).id)
    staff_create(username="senior.manager", first_name="Ruth", last_name="Adebayo",
                 email="senior.manager@example.gov.uk", role=Role.SENIOR_MANAGER, job_title="Head of Service")
    return teams, leaders, workers


def _insert(cursor, model, given: dict[str, str], source: str, params: dict) -> None:
    """INSERT INTO the model's table SELECT the `given` SQL expressions FROM `source`; every other column takes
    its field default (cast to the column's type), so a field added to a model later does not break the load."""
    columns, expressions = [], []
    for f in model._meta.concrete_fields:
        if f.column in given:
            expression = given[f.column]
        elif f.primary_key:
            continue
        else:
            if f.has_default() or (f.empty_strings_allowed and f.blank and not f.null):
                value = f.get_db_prep_save(f.get_default(), connection)
            elif f.null:
                value = None
            else:
                raise ValueError(f"{model.__name__}.{f.name} needs a value")
            key = f"default_{model._meta.model_name}_{f.column}"
            params[key] = value
            expression = f"%({key})s::{f.db_type(connection)}"
        columns.append(f'"{f.column}"')
        expressions.append(expression)
    cursor.execute(
        f'INSERT INTO "{model._meta.db_table}" ({", ".join(columns)}) SELECT {", ".join(expressions)} FROM {source}',
        params,
    )


def bulk_load(log) -> dict:
    timings = {}
    started = time.perf_counter()
    teams, leaders, workers = _teams()
    team_ids = [t.id for t in teams]
    leader_ids = [leaders[i] for i in range(len(teams))]
    tables = [m._meta.db_table for m in (Person, Assessment, SupportPlan, Allocation, Review)]
    params = {"today": timezone.localdate(), "n": OPEN, "teams": team_ids, "leaders": leader_ids,
              "workers": workers, "per_team": WORKERS_PER_TEAM}
    series = "generate_series(1, %(n)s) g"
    team = f"(%(teams)s::bigint[])[1 + {TEAM_INDEX}]"
    leader = f"(%(leaders)s::bigint[])[1 + {TEAM_INDEX}]"
    with connection.cursor() as cursor:
        cursor.execute("SELECT setseed(%s)", [SEED])
        for table in tables:
            cursor.execute(f'ALTER TABLE "{table}" DISABLE TRIGGER USER')

        def step(name, model, given, source=series):
            one = time.perf_counter()
            _insert(cursor, model, given, source, params)
            timings[f"{name}_s"] = round(time.perf_counter() - one, 1)
            log(f"  {name}: {timings[f'{name}_s']} s")

        step("people", Person, {
            "id": "g", "uuid": "gen_random_uuid()", "given_name": "'Person'", "family_name": "'Number ' || g",
            "date_of_birth": "date '1935-01-01' + (g %% 25000)", "address_line_1": "g || ' Benchmark Road'",
            "town": "'Leicester'", "postcode": "'LE1 1AA'", "gender": f"'{codes.Gender.UNKNOWN}'",
            "search_keys": "'{}'::varchar(40)[]", "created_at": "now() - interval '6 years'",
            "updated_at": "now() - interval '6 years'"})
        # An authorised needs assessment and an active plan per person, started one to six years ago.
        step("assessments", Assessment, {
            "id": "g", "event_reference": "gen_random_uuid()", "person_id": "g", "assessment_type": "'needs'",
            "status": "'authorised'", "started_on": "%(today)s::date - 400 - (g %% 1800)",
            "completed_on": "%(today)s::date - 380 - (g %% 1800)", "worker_id": leader, "eligible": "true",
            "engine_eligible": "true", "practitioner_agrees": "true",
            "created_at": "now() - interval '1 day' * (400 + g %% 1800)",
            "updated_at": "now() - interval '1 day' * (380 + g %% 1800)"})
        step("plans", SupportPlan, {
            "id": "g", "event_reference": "gen_random_uuid()", "person_id": "g", "assessment_id": "g",
            "status": "'active'", "starts_on": "%(today)s::date - 365 - (g %% 1800)", "created_by_id": leader,
            "approved_by_id": leader, "approved_at": "now() - interval '1 day' * (366 + g %% 1800)",
            "created_at": "now() - interval '1 day' * (370 + g %% 1800)",
            "updated_at": "now() - interval '1 day' * (366 + g %% 1800)", "review_due_on": DUE})
        step("allocations", Allocation, {
            "person_id": "g", "team_id": team,
            "worker_id": f"""CASE WHEN random() < {NAMED_WORKER_SHARE}
                             THEN (%(workers)s::bigint[])[1 + {TEAM_INDEX} * %(per_team)s + floor(random() * %(per_team)s)::int]
                             END""",
            "started_at": "now() - interval '1 day' * (360 + g %% 1800)", "reason": "'Allocated after assessment'",
            "allocated_by_id": leader})
        step("reviews", Review, {
            "id": "g", "person_id": "g", "plan_id": "g", "kind": "'planned'", "status": "'scheduled'",
            "due_on": "due", "window_opens_on": "due - 56", "team_id": team, "created_by_id": leader,
            "created_at": "(due - 400)::timestamp + interval '10 hours'"},
            source=f"(SELECT g, {DUE} AS due FROM {series}) dated")
        for table in tables:
            cursor.execute(f'ALTER TABLE "{table}" ENABLE TRIGGER USER')
            cursor.execute(f"SELECT setval(pg_get_serial_sequence('\"{table}\"', 'id'), "
                           f'(SELECT MAX(id) FROM "{table}"))')
    one = time.perf_counter()
    database.settle()
    timings["vacuum_analyze_s"] = round(time.perf_counter() - one, 1)
    timings["total_s"] = round(time.perf_counter() - started, 1)
    return timings
