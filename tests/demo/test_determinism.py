"""The same seed gives the same council; the demo refuses to run outside demo mode."""

from __future__ import annotations

import hashlib
from collections import Counter
from datetime import date, timedelta

import pytest
from django.core.management.base import CommandError
from django.db import transaction

from carecase import codes
from carecase.demo.generator import generate
from carecase.demo.profiles import PROFILES
from carecase.people.models import Person

from .conftest import AS_OF, seed


def _digest() -> str:
    rows = list(Person.objects.order_by("id").values_list(
        "id", "given_name", "family_name", "preferred_name", "date_of_birth", "nhs_number", "postcode", "uuid"
    ))
    first = rows[0][0]
    text = "\n".join("|".join(str(v) for v in (row[0] - first, *row[1:])) for row in rows)
    return hashlib.sha256(text.encode()).hexdigest()


@pytest.mark.django_db
def test_same_seed_same_people_in_a_fresh_database():
    digests = []
    for _ in range(2):
        fresh = transaction.savepoint()
        seed()
        digests.append(_digest())
        transaction.savepoint_rollback(fresh)  # back to an empty database
        assert not Person.objects.exists()
    assert digests[0] == digests[1]


def test_generation_is_deterministic_and_the_seed_matters():
    def names(seed: int):
        data = generate(PROFILES["small"], seed=seed, as_of=AS_OF)
        return [(p.given_name, p.family_name, p.date_of_birth, p.nhs_number, p.postcode) for p in data.people]

    assert names(1) == names(1)
    assert names(1) != names(2)


def test_the_same_people_whatever_day_it_is_seeded():
    """Names, ages, NHS numbers and id order do not move with the calendar; only the dates do."""
    def people(as_of: date):
        data = generate(PROFILES["small"], seed=1, as_of=as_of)
        assert all(p.age_on(as_of) == p.age for p in data.people)
        return [(p.given_name, p.family_name, p.preferred_name, p.nhs_number, p.postcode, p.age) for p in data.people]

    assert people(AS_OF) == people(AS_OF + timedelta(days=3)) == people(date(2028, 2, 29))


@pytest.mark.django_db
def test_refuses_outside_demo_mode(settings):
    settings.DEMO_MODE = False
    with pytest.raises(CommandError, match="demo mode"):
        seed()
    assert not Person.objects.exists()


def test_leicester_profile_follows_the_published_shape():
    """City scale, generated in memory (no database): the shares in GUIDE §6.1 and §2.1."""
    data = generate(PROFILES["leicester"], seed=1, as_of=AS_OF)
    assert 18_000 <= len(data.people) <= 22_000
    cohorts = Counter(p.cohort for p in data.people)
    assert cohorts["long_term"] == 5079 and cohorts["waiting"] == 2101 and cohorts["short_term"] == 1395

    supported = [p for p in data.people if p.cohort in ("long_term", "short_term", "waiting")]
    ethnicity = Counter(p.ethnicity for p in supported)
    share = {k: v / len(supported) for k, v in ethnicity.items()}
    assert 0.38 < share[codes.Ethnicity.WHITE_BRITISH] < 0.46
    assert 0.36 < share[codes.Ethnicity.INDIAN] < 0.44
    assert 0.01 < share[codes.Ethnicity.PAKISTANI] < 0.025

    long_term = [p for p in data.people if p.cohort == "long_term"]
    older = [p for p in long_term if p.age_on(AS_OF) >= 65]
    assert 0.52 < len(older) / len(long_term) < 0.60  # 2,858 of 5,079
    assert sum(p.age_on(AS_OF) >= 80 for p in older) / len(older) > 0.55
    in_care_homes = sum(p.accommodation_status == codes.AccommodationStatus.CARE_HOME for p in older)
    assert 0.22 < in_care_homes / len(older) < 0.36

    year = [c for c in data.contacts if (AS_OF - c.received_at.date()).days <= 365]
    assert 11_000 < len(year) < 15_000  # 12,884 requests in 2023/24
    outcomes = Counter(c.outcome for c in year)
    assert 0.25 < outcomes[codes.EventOutcome.NFA_INFO] / len(year) < 0.40  # 34% information and advice

    # About 25 open cases per named worker (GUIDE §6.2).
    per_worker = Counter(a.worker.key for a in data.allocations if a.worker and a.ended_at is None)
    assert 15 <= sum(per_worker.values()) / len(per_worker) <= 30

    nhs = [p.nhs_number for p in data.people if p.nhs_number]
    assert len(nhs) == len(set(nhs))
