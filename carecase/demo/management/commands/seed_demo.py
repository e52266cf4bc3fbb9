"""manage.py seed_demo --profile small|leicester|county --seed N [--if-empty]"""

from __future__ import annotations

import time
from datetime import date

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from carecase.demo.generator import DEMO_PASSWORD, DEMO_SIGN_INS, generate
from carecase.demo.loader import load
from carecase.demo.profiles import PROFILES
from carecase.people.models import Person
from carecase.staff.models import Role


class Command(BaseCommand):
    help = (
        "Load synthetic demo data: people, carers, teams, staff, allocations, contacts and case notes for a "
        "Leicester-like council, with one demo sign-in per role. Only in demo mode (CARECASE_DEMO_MODE=1)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--profile", choices=sorted(PROFILES), default="small",
                            help="small (about 300 people), leicester (city scale, about 20,000) or county "
                            "(about 40,000). Default: small.")
        parser.add_argument("--seed", type=int, default=1, help="The same seed gives the same people. Default: 1.")
        parser.add_argument("--if-empty", action="store_true",
                            help="Do nothing if any person is already recorded (used by `make run`).")
        parser.add_argument("--as-of", type=date.fromisoformat, default=None,
                            help="Date the data is generated relative to (YYYY-MM-DD). Default: today.")

    def handle(self, *args, profile: str, seed: int, if_empty: bool, as_of: date | None, **options):
        if not settings.DEMO_MODE:
            raise CommandError(
                "seed_demo only runs in demo mode, because it creates sign-ins with a published password. "
                "Set CARECASE_DEMO_MODE=1 (the development settings do) and never in production."
            )
        if if_empty and Person.objects.exists():
            self.stdout.write("People are already recorded, so no demo data was loaded (--if-empty).")
            return
        chosen = PROFILES[profile]
        started = time.perf_counter()
        data = generate(chosen, seed=seed, as_of=as_of or timezone.localdate())
        generated = time.perf_counter()
        counts = load(data)
        finished = time.perf_counter()
        self.stdout.write(self.style.SUCCESS(
            f"Loaded the {profile} profile (seed {seed}): {chosen.description}, in {finished - started:.1f}s "
            f"({generated - started:.1f}s generating, {finished - generated:.1f}s writing)."
        ))
        self.stdout.write("  " + ", ".join(f"{n:,} {what}" for what, n in counts.items()))
        self.stdout.write("")
        self.stdout.write(f"Demo sign-ins (demo mode only), password for all: {DEMO_PASSWORD}")
        teams = {row.username: row.team for row in data.staff if row.demo}
        for username, first, last, role, _kind, _title in DEMO_SIGN_INS:
            where = f", {teams[username]}" if teams.get(username) else ""
            self.stdout.write(f"  {username:<18} {first} {last}: {Role(role).label}{where}")
