from __future__ import annotations

import io
from datetime import date

import pytest
from django.core.management import call_command
from django.db import transaction

from carecase.demo.management.commands.seed_demo import Command as SeedDemo

# A fixed date, so the ages, dates and digests below do not move with the calendar.
AS_OF = date(2026, 3, 31)


def seed(*args: str) -> str:
    """Run seed_demo (through the command class, so this works whether or not the app is installed)."""
    out = io.StringIO()
    call_command(SeedDemo(), "--profile", "small", "--seed", "1", "--as-of", AS_OF.isoformat(), *args, stdout=out)
    return out.getvalue()


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    """The small profile, seeded once for the module and rolled back at the end."""
    with django_db_blocker.unblock():
        with transaction.atomic():
            output = seed()
            yield output
            transaction.set_rollback(True)
