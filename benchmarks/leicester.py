"""City scale: the `leicester` demo profile (about 20,000 people), search and the person page.

Server time is the time around each call in this process: the selector call, or Django's test Client
running the whole request through middleware, the view and the template, against the embedded PostgreSQL.
Targets (issue 2): p95 under 100 ms for search and for the person page.
"""

from __future__ import annotations

import io
import random
import time
from collections import defaultdict
from datetime import date

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client

from carecase.people.selectors import SearchQuery, person_with_relationships, search_people
from carecase.records.selectors import case_notes_for, contacts_for
from carecase.staff.models import Allocation
from carecase.staff.selectors import current_allocation

from . import database
from .common import (
    code_version,
    exact_key_lookup,
    machine,
    people_count,
    people_for_searches,
    primary_key_lookup,
)
from .queries import KINDS, search_mix
from .timing import Stats, measure

SEED = 1
TARGET_MS = 100.0


def prepare(*, reseed: bool = False, log=print) -> dict:
    """Create, migrate and seed bench_leicester once; later runs reuse it while the generator is unchanged."""
    wanted = {"profile": "leicester", "seed": SEED,
              "code": code_version("carecase/demo/*.py", "carecase/people/search_keys.py")}
    marker = database.reuse_or_empty(wanted, reseed=reseed, log=log)
    if marker is not None:
        return marker
    log(f"Creating {database.database_name()}: migrating and seeding the leicester profile (seed {SEED}).")
    call_command("migrate", verbosity=0)
    out = io.StringIO()
    started = time.perf_counter()
    call_command("seed_demo", "--profile", "leicester", "--seed", str(SEED), stdout=out)
    seconds = time.perf_counter() - started
    log(out.getvalue().splitlines()[0])
    database.settle()
    marker = {**wanted, "seeded_on": date.today().isoformat(), "seed_seconds": round(seconds, 1),
              "people": people_count()}
    database.write_marker(marker)
    return marker


def run(*, requests: int = 200, log=print) -> dict:
    host = machine()  # before timing: includes the load average as the run starts
    practitioner = get_user_model().objects.get(username="practitioner")
    team_id = practitioner.staff.team_id
    people = people_for_searches()
    searches = search_mix(people, requests)
    results: list[Stats] = []
    notes: list[str] = [
        "Seeding merges the search-key GIN index's pending list (gin_clean_pending_list) after the bulk load. "
        "Without that, the first searches after loading scan thousands of pending keys: p50 was 120 ms "
        "instead of 6 ms until autovacuum caught up.",
    ]

    # --- name search through the selector ----------------------------------------------------------
    found: dict[int, bool] = {}

    def selector_call(index, search):
        rows = search_people(user=practitioner, query=SearchQuery(name=search.name,
                                                                  date_of_birth=search.date_of_birth), path="/search/")
        found[index] = search.person_id in {r.id for r in rows}
        return rows

    stats, timings = measure("Name search, selector search_people",
                             [lambda i=i, s=s: selector_call(i, s) for i, s in enumerate(searches)], target_ms=TARGET_MS)
    results.append(stats)
    by_kind = _by_kind(searches, timings)
    found_by_kind: dict[str, list[bool]] = defaultdict(list)
    for index, search in enumerate(searches):
        found_by_kind[search.kind].append(found[index])
    found_percent = {kind: round(100 * sum(v) / len(v)) for kind, v in found_by_kind.items()}
    baseline, _ = measure("Baseline: one GIN lookup by exact name keys (bare SQL)",
                          [lambda s=s: exact_key_lookup(_tokens(s.name)) for s in searches])
    results.append(baseline)

    # --- the search page ---------------------------------------------------------------------------
    client = Client()
    client.force_login(practitioner)
    probe = client.get("/search/", {"name": "smith"})
    if probe.status_code == 404:
        notes.append("GET /search/ answered 404: the search page is not in this checkout, so it was not measured.")
    else:
        def page(search):
            response = client.get("/search/", search.page_params())
            if response.status_code != 200:
                raise RuntimeError(f"/search/ answered {response.status_code} for {search.page_params()}")
            return response

        stats, _ = measure("GET /search/?name=... (whole request, practitioner)",
                           [lambda s=s: page(s) for s in searches], target_ms=TARGET_MS)
        results.append(stats)

    # --- the person page ---------------------------------------------------------------------------
    in_team = list(Allocation.objects.filter(team_id=team_id, ended_at__isnull=True, person__is_restricted=False)
                   .values_list("person_id", flat=True).order_by("person_id"))
    rng = random.Random(11)
    ids = [rng.choice(in_team) for _ in range(requests)]

    def person_selectors(person_id):
        person = person_with_relationships(user=practitioner, person_id=person_id, path="/people/")
        _, notes_qs = case_notes_for(user=practitioner, person_id=person_id, significant_only=True)
        _, contacts = contacts_for(user=practitioner, person_id=person_id)
        return person, list(notes_qs[:5]), contacts.first(), current_allocation(person_id)

    stats, _ = measure("Person record, selectors (person, relationships, notes, contacts, allocation)",
                       [lambda i=i: person_selectors(i) for i in ids], target_ms=TARGET_MS)
    results.append(stats)
    pk_baseline, _ = measure("Baseline: one person row by primary key (bare SQL)",
                             [lambda i=i: primary_key_lookup(i) for i in ids])
    results.append(pk_baseline)

    probe = client.get(f"/people/{ids[0]}/")
    if probe.status_code == 404:
        notes.append("GET /people/<id>/ answered 404: the person page is not in this checkout, so it was not measured.")
    else:
        for path, label in (("/people/{}/", "GET /people/<id>/ (person page, whole request)"),
                            ("/people/{}/case-notes/", "GET /people/<id>/case-notes/ (chronology, whole request)")):
            def get(person_id, path=path):
                response = client.get(path.format(person_id))
                if response.status_code != 200:
                    raise RuntimeError(f"{path.format(person_id)} answered {response.status_code}")
                return response

            stats, _ = measure(label, [lambda i=i: get(i) for i in ids], target_ms=TARGET_MS)
            results.append(stats)

    from benchmarks import assessment_forms

    results += assessment_forms.run(client=client, user=practitioner, person_id=ids[0], requests=requests)

    for stat in results:
        log("  " + stat.line())
    selector = results[0]
    ratios = {"search_people p95 / exact GIN lookup p95": round(selector.p95_ms / max(baseline.p95_ms, 1e-6), 1)}
    person_row = next(r for r in results if r.name.startswith("Person record"))
    ratios["person selectors p95 / primary-key read p95"] = round(person_row.p95_ms / max(pk_baseline.p95_ms, 1e-6), 1)
    return {
        "profile": "leicester",
        "machine": host,
        "dataset": {"people": people_count(), "allocated to the practitioner's team": len(in_team)},
        "results": [r.as_dict() for r in results],
        "search_by_kind": by_kind,
        "found_percent_by_kind": found_percent,
        "ratios": ratios,
        "notes": notes,
    }


def _tokens(name: str) -> list[str]:
    from carecase.people.search_keys import tokens

    return tokens(name)[:4]


def _by_kind(searches, timings) -> dict[str, dict[str, float]]:
    from .timing import percentile

    out = {}
    for kind in KINDS:
        values = sorted(t for s, t in zip(searches, timings, strict=True) if s.kind == kind)
        if values:
            out[kind] = {"n": len(values), "p50_ms": round(percentile(values, 0.5), 2),
                         "p95_ms": round(percentile(values, 0.95), 2)}
    return out
