"""How the waiting-list benchmark database is made: 100,000 open entries and 1,000,000 that left the list, all in
SQL (INSERT ... SELECT over generate_series), as million_data.py does for people. Kept apart from waiting.py
because a change here (and only here) means the benchmark database must be rebuilt.

What is generated (fixed random seed, so every rebuild is the same):

- 20 teams: 16 locality teams, a reviewing team, an occupational therapy team, a direct payments team and a
  hospital team (which holds no waiting list); one team leader (the API's signed-in user and the author of
  every row).
- 100,000 people with placeholder names (nobody is searched for here).
- 100,000 open entries, one per person: queues needs assessment 40%, DoLS 25%, review 15%, occupational
  therapy 12%, carer's assessment 6%, direct-payment set-up 2%; occupational therapy in the therapy team,
  direct payments in the direct payments team, reviews half in the reviewing team, everything else spread
  over the locality teams. Priority urgent 1%, high 12%, medium 46.5%, low 40%, not yet rated 0.5%. Waits in
  the published Leicester shape (GUIDE §6.4): under 4 weeks 10%, 1-3 months 17%, 3-6 months 25%, 6-12 months
  28%, 12-24 months 20%. Every one has a next keep-in-touch date, uniformly from a quarter of its band's
  interval before the load date to three quarters after (so about 25-30% are due on the load date, and all
  of them 60 days later).
- 1,000,000 entries that left the list over the past five years (same table), for random people among the
  100,000, with the same queue, team and priority mix; waits in the same shape; exit reasons allocated 75%,
  no longer needed 12%, died 6%, moved away 5%, other 2% (with a note). All 1,100,000 are inserted in the
  order people joined, so the open entries lie among the others across the table, as they would after years
  of use, rather than packed into its first pages.
- One PriorityChange (the first triage, by the team leader) for each of the 1,100,000 entries.

History triggers (pghistory) on entries and people are off during the load, so no history rows: the load is
a migration of old data, not work done in CareCase.
"""

from __future__ import annotations

import time

from django.db import connection
from django.utils import timezone

from assessments.engine import waiting_priority
from carecase import codes
from carecase.people.models import Person
from carecase.staff.models import Role, Team, TeamKind
from carecase.staff.services import staff_create
from carecase.waiting.models import PriorityChange, WaitingListEntry

from . import database

OPEN = 100_000
CLOSED = 1_000_000
PEOPLE = 100_000
LOCALITY_TEAMS = 16
SEED = 0.42

QUEUES = (("assessment", 0.40), ("dols", 0.65), ("review", 0.80), ("occupational_therapy", 0.92),
          ("carer_assessment", 0.98), ("dp_setup", 1.0))  # cumulative shares
BANDS = (("urgent", 0.01), ("high", 0.13), ("medium", 0.595), ("low", 0.995), ("not_rated", 1.0))
EXITS = (("allocated", 0.75), ("no_longer_needed", 0.87), ("died", 0.93), ("moved_away", 0.98), ("other", 1.0))


def _case(column: str, cumulative) -> str:
    """A SQL CASE picking a code by a uniform random number in `column`."""
    arms = " ".join(f"WHEN {column} < {share} THEN '{code}'" for code, share in cumulative[:-1])
    return f"CASE {arms} ELSE '{cumulative[-1][0]}' END"


# Days waited, from two uniform numbers: the published wait bands (GUIDE §6.4), 12-24 months for the last.
WAIT_DAYS = """CASE WHEN {a} < 0.10 THEN floor({b} * 28)
                    WHEN {a} < 0.27 THEN 28 + floor({b} * 63)
                    WHEN {a} < 0.52 THEN 91 + floor({b} * 91)
                    WHEN {a} < 0.80 THEN 182 + floor({b} * 183)
                    ELSE 365 + floor({b} * 365) END::int"""


def _teams() -> dict:
    teams = []
    for n in range(1, LOCALITY_TEAMS + 1):
        teams.append(Team(name=f"Locality team {n}", kind=TeamKind.LOCALITY, locality=f"Area {n}",
                          phone=f"0116 496 0{100 + n:03d}"))
    teams += [Team(name="Reviewing team", kind=TeamKind.REVIEWING, phone="0116 496 0200"),
              Team(name="Occupational therapy", kind=TeamKind.OCCUPATIONAL_THERAPY, phone="0116 496 0201"),
              Team(name="Direct payments", kind=TeamKind.DIRECT_PAYMENTS, phone="0116 496 0202"),
              Team(name="Hospital social work", kind=TeamKind.HOSPITAL, phone="0116 496 0203")]
    made = Team.objects.bulk_create(teams)
    return {
        "locality": [t.id for t in made[:LOCALITY_TEAMS]],
        "reviewing": made[LOCALITY_TEAMS].id,
        "therapy": made[LOCALITY_TEAMS + 1].id,
        "direct_payments": made[LOCALITY_TEAMS + 2].id,
    }


def _people(cursor) -> None:
    defaults = {f.column: f.get_default() for f in Person._meta.concrete_fields if f.has_default()}
    cursor.execute(
        f"""
        INSERT INTO {Person._meta.db_table} (uuid, given_name, family_name, preferred_name, date_of_birth,
            date_of_death, nhs_number, address_line_1, address_line_2, town, postcode, phone, email,
            preferred_contact_method, gender, ethnicity, first_language, interpreter_needed, communication_needs,
            communication_notes, client_type, primary_support_reason, accommodation_status, has_unpaid_carer,
            is_restricted, search_keys, created_at, updated_at)
        SELECT gen_random_uuid(), 'Person', 'Number ' || g, '', date '1935-01-01' + (g %% 25000), NULL, '',
               g || ' Benchmark Road', '', 'Leicester', 'LE1 1AA', '', '', %(method)s, %(gender)s, %(ethnicity)s,
               'English', false, '{{}}', '', %(client)s, %(psr)s, %(accommodation)s, false, false, '{{}}',
               now() - interval '6 years', now() - interval '6 years'
          FROM generate_series(1, %(people)s) g
        """,  # noqa: S608 (model table name)
        {"people": PEOPLE, "method": defaults["preferred_contact_method"], "gender": codes.Gender.UNKNOWN,
         "ethnicity": defaults["ethnicity"], "client": defaults["client_type"],
         "psr": defaults["primary_support_reason"], "accommodation": defaults["accommodation_status"]},
    )


def _drawn(*, open_entries: bool) -> str:
    """The SELECT for the open entries or for those that left, in the entries table's columns."""
    intervals = {b.code: b.keep_in_touch_days or 1 for b in waiting_priority.bands()}
    interval = "CASE band " + " ".join(f"WHEN '{code}' THEN {days}" for code, days in intervals.items()) + " END"
    if open_entries:
        rows = f"generate_series(1, {OPEN}) g"
        person = "g"
        since = f"%(today)s::date - {WAIT_DAYS.format(a='r_wait', b='r_wait2')}"
        left, exit_reason, exit_note = "NULL::date", "''", "''"
        # From a quarter of the band's interval before the load date to three quarters after it.
        due = f"%(today)s::date + floor(r_due * {interval})::int - floor(0.25 * {interval})::int"
    else:
        rows = f"generate_series(1, {CLOSED}) g"
        person = f"1 + floor(r_person * {PEOPLE})::bigint"
        # Joined up to five years ago; left after a wait in the same shape, by yesterday at the latest.
        since = "%(today)s::date - 30 - floor(r_joined * 1795)::int"
        left = f"LEAST(waiting_since + {WAIT_DAYS.format(a='r_wait', b='r_wait2')}, %(today)s::date - 1)"
        exit_reason = _case("r_exit", EXITS)
        exit_note = "CASE WHEN r_exit >= 0.98 THEN 'Moved into a care home arranged privately.' ELSE '' END"
        due = "NULL::date"
    team = f"""CASE queue WHEN 'occupational_therapy' THEN %(therapy)s
                          WHEN 'dp_setup' THEN %(direct_payments)s
                          WHEN 'review' THEN CASE WHEN r_team < 0.5 THEN %(reviewing)s
                                                  ELSE (%(locality)s::bigint[])[1 + floor((r_team - 0.5) * 2 * {LOCALITY_TEAMS})::int] END
                          ELSE (%(locality)s::bigint[])[1 + floor(r_team * {LOCALITY_TEAMS})::int] END"""
    return f"""
        SELECT person_id, queue, {team} AS team_id, waiting_since, band, {due} AS next_contact_due,
               {left} AS left_on, {exit_reason} AS exit_reason, {exit_note} AS exit_note
          FROM (SELECT *, {since} AS waiting_since
                  FROM (SELECT g, {person} AS person_id, {_case('r_queue', QUEUES)} AS queue,
                               {_case('r_band', BANDS)} AS band, r_team, r_wait, r_wait2, r_due, r_joined, r_exit
                          FROM (SELECT g, random() AS r_person, random() AS r_queue, random() AS r_band,
                                       random() AS r_team, random() AS r_wait, random() AS r_wait2,
                                       random() AS r_due, random() AS r_joined, random() AS r_exit
                                  FROM {rows} ORDER BY g) drawn) coded) dated"""


def _entries(cursor, *, teams: dict, by_id: int, version: str) -> None:
    """All 1,100,000 entries in one INSERT, in the order people joined, as a real table fills over the years:
    the open entries lie among those that left, not packed together at the start."""
    table = WaitingListEntry._meta.db_table
    cursor.execute(
        f"""
        INSERT INTO {table} (person_id, queue, team_id, contact_id, waiting_since, band, suggested_band, checklist,
                             priority_ruleset_version, next_contact_due, left_on, exit_reason, exit_note,
                             created_by_id, created_at)
        SELECT person_id, queue, team_id, NULL, waiting_since, band, band, '{{}}'::jsonb, %(version)s,
               next_contact_due, left_on, exit_reason, exit_note, %(by)s,
               waiting_since::timestamp + interval '10 hours'
          FROM ({_drawn(open_entries=True)} UNION ALL {_drawn(open_entries=False)}) everyone
         ORDER BY waiting_since, left_on NULLS LAST, person_id
        """,  # noqa: S608 (model table name; values are parameters)
        {"today": timezone.localdate(), "version": version, "by": by_id, **teams},
    )


def bulk_load(log) -> dict:
    timings = {}
    started = time.perf_counter()
    teams = _teams()
    leader = staff_create(username="team.leader", first_name="Helen", last_name="Walsh",
                          email="team.leader@example.gov.uk", role=Role.TEAM_LEADER, job_title="Team leader",
                          team=Team.objects.get(id=teams["locality"][0]))
    version = waiting_priority.current_rules()["version"]
    entry_table, person_table = WaitingListEntry._meta.db_table, Person._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute("SELECT setseed(%s)", [SEED])
        for table in (entry_table, person_table):
            cursor.execute(f'ALTER TABLE "{table}" DISABLE TRIGGER USER')
        one = time.perf_counter()
        _people(cursor)
        timings["people_s"] = round(time.perf_counter() - one, 1)
        one = time.perf_counter()
        _entries(cursor, teams=teams, by_id=leader.user_id, version=version)
        timings["entries_s"] = round(time.perf_counter() - one, 1)
        log(f"  {OPEN:,} open entries and {CLOSED:,} that left the list in {timings['entries_s']} s")
        one = time.perf_counter()
        cursor.execute(
            f"""
            INSERT INTO {PriorityChange._meta.db_table} (entry_id, from_band, to_band, suggested_band, reason, note,
                                                         by_id, at)
            SELECT id, '', band, suggested_band, 'triage', '', created_by_id, created_at + interval '1 hour'
              FROM {entry_table} ORDER BY id
            """  # noqa: S608 (model table names)
        )
        timings["priority_changes_s"] = round(time.perf_counter() - one, 1)
        log(f"  {OPEN + CLOSED:,} priority changes in {timings['priority_changes_s']} s")
        for table in (entry_table, person_table):
            cursor.execute(f'ALTER TABLE "{table}" ENABLE TRIGGER USER')
    one = time.perf_counter()
    database.settle()
    timings["vacuum_analyze_s"] = round(time.perf_counter() - one, 1)
    timings["total_s"] = round(time.perf_counter() - started, 1)
    return timings
