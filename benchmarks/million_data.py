"""How the 1,000,000 people are made and loaded. Kept apart from million.py because a change here (and only
here, or in the demo name tables and the search keys) means the benchmark database must be rebuilt."""

from __future__ import annotations

import multiprocessing
import random
import time
import uuid
from datetime import date, datetime, timedelta
from datetime import time as clock

import psycopg
from django.conf import settings
from django.db import connection, connections

from carecase import codes
from carecase.demo.generator import LONDON, CouncilBuilder, Weighted
from carecase.demo.loader import copy_lines
from carecase.demo.profiles import PROFILES
from carecase.people.models import Person
from carecase.people.search_keys import keys_for_names

from . import database

CHUNK = 50_000
WORKERS = 2
AS_OF = date(2026, 1, 1)  # fixed, so the generated people do not change with the calendar
AGES = Weighted([((18, 39), 18), ((40, 64), 27), ((65, 79), 25), ((80, 89), 20), ((90, 101), 10)])
SUPPORT_REASONS = Weighted([(codes.PrimarySupportReason.UNKNOWN, 55),
                            (codes.PrimarySupportReason.PERSONAL_CARE, 20),
                            (codes.PrimarySupportReason.ACCESS_MOBILITY, 8),
                            (codes.PrimarySupportReason.MEMORY, 5),
                            (codes.PrimarySupportReason.LEARNING_DISABILITY, 5),
                            (codes.PrimarySupportReason.MENTAL_HEALTH, 5),
                            (codes.PrimarySupportReason.CARER, 2)])

_nhs_numbers: list[str] = []  # filled before the workers fork, shared with them copy-on-write


def _valid_test_range_nhs_numbers(seed: int) -> list[str]:
    """Every valid number in the NHS test range (999 000 000x to 999 999 999x: 909,091 of them), shuffled."""
    numbers = []
    weights = range(10, 1, -1)
    for suffix in range(10**6):
        digits = f"999{suffix:06d}"
        check = 11 - sum(int(d) * w for d, w in zip(digits, weights, strict=True)) % 11
        check = 0 if check == 11 else check
        if check != 10:
            numbers.append(digits + str(check))
    random.Random(seed).shuffle(numbers)
    return numbers


def _columns() -> list[str]:
    return [f.attname for f in Person._meta.concrete_fields]


def _people(start: int, stop: int):
    """Rows start+1 .. stop, as value lists in column order. Deterministic per chunk."""
    builder = CouncilBuilder(PROFILES["leicester"], seed=start, as_of=AS_OF)
    rng = builder.rng
    attnames = _columns()
    known = datetime.combine(AS_OF, clock(9), tzinfo=LONDON)
    for index in range(start, stop):
        ethnicity = builder.ethnicity.pick(rng)
        female = rng.random() < 0.55
        low, high = AGES.pick(rng)
        age = rng.randint(low, high)
        dob = AS_OF - timedelta(days=age * 365 + rng.randrange(365) + age // 4)
        given, family, preferred, pool = builder.name_for(ethnicity, female, dob.year)
        area = builder.area_for(ethnicity)
        street = rng.choice(area.streets)
        number = rng.randrange(1, 240)
        row = {
            "id": index + 1,
            "uuid": uuid.UUID(int=rng.getrandbits(128), version=4),
            "given_name": given, "family_name": family, "preferred_name": preferred,
            "date_of_birth": dob, "date_of_death": None,
            "nhs_number": _nhs_numbers[index] if index < len(_nhs_numbers) else "",
            "address_line_1": f"{number} {street}", "address_line_2": area.neighbourhood, "town": area.town,
            "postcode": builder.postcode(area, street, number), "phone": builder.phone(mobile=age < 65),
            "email": "", "preferred_contact_method": "phone",
            "gender": codes.Gender.FEMALE if female else codes.Gender.MALE, "ethnicity": ethnicity,
            "first_language": pool.older_language if dob.year < 1960 else pool.younger_language,
            "interpreter_needed": False, "communication_needs": [], "communication_notes": "",
            "client_type": codes.ClientType.PERSON, "primary_support_reason": SUPPORT_REASONS.pick(rng),
            "accommodation_status": codes.AccommodationStatus.UNKNOWN, "has_unpaid_carer": False,
            "is_restricted": rng.random() < 0.001,
            "search_keys": keys_for_names([given, family, preferred]),
            "created_at": known - timedelta(days=rng.randrange(3650)), "updated_at": known,
        }
        yield [row[name] for name in attnames]


def _connection_params() -> dict:
    db = settings.DATABASES["default"]
    return {"dbname": db["NAME"], "user": db.get("USER") or None, "password": db.get("PASSWORD") or None,
            "host": db.get("HOST") or None, "port": db.get("PORT") or None}


def _load_chunk(bounds: tuple[int, int]) -> int:
    start, stop = bounds
    columns = [Person._meta.get_field(name).column for name in _columns()]
    with psycopg.connect(**_connection_params()) as conn, conn.cursor() as cursor:
        count = copy_lines(cursor, Person._meta.db_table, columns, _people(start, stop))
        conn.commit()
    return count


def _secondary_indexes(cursor) -> list[tuple[str, str]]:
    """Indexes on the people table that back no constraint (the primary key and uuid stay)."""
    cursor.execute(
        "SELECT c.relname, pg_get_indexdef(i.indexrelid) FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid "
        "WHERE i.indrelid = 'people_person'::regclass "
        "AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid) ORDER BY c.relname"
    )
    return cursor.fetchall()


def bulk_load(people: int, log) -> dict:
    global _nhs_numbers
    timings = {}
    with connection.cursor() as cursor:
        indexes = _secondary_indexes(cursor)
        for name, _definition in indexes:
            cursor.execute(f'DROP INDEX "{name}"')
        cursor.execute('ALTER TABLE "people_person" DISABLE TRIGGER USER')
    connections.close_all()  # the workers fork: they must not share this connection

    started = time.perf_counter()
    _nhs_numbers = _valid_test_range_nhs_numbers(seed=1)
    chunks = [(start, min(start + CHUNK, people)) for start in range(0, people, CHUNK)]
    with multiprocessing.get_context("fork").Pool(WORKERS) as pool:
        loaded = sum(pool.imap_unordered(_load_chunk, chunks))
    timings["generate_and_copy_s"] = round(time.perf_counter() - started, 1)
    log(f"  {loaded:,} people generated and copied in {timings['generate_and_copy_s']} s ({WORKERS} processes)")

    index_started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("SET maintenance_work_mem = '1GB'")
        for name, definition in indexes:
            one = time.perf_counter()
            cursor.execute(definition)
            timings[f"index_{name}_s"] = round(time.perf_counter() - one, 1)
            log(f"  index {name} rebuilt in {timings[f'index_{name}_s']} s")
        cursor.execute('ALTER TABLE "people_person" ENABLE TRIGGER USER')
        cursor.execute("SELECT setval(pg_get_serial_sequence('people_person', 'id'), %s)", [people])
    timings["indexes_s"] = round(time.perf_counter() - index_started, 1)
    vacuum_started = time.perf_counter()
    database.settle()
    timings["vacuum_analyze_s"] = round(time.perf_counter() - vacuum_started, 1)
    timings["total_s"] = round(time.perf_counter() - started, 1)
    return timings


