"""Create a member of staff with a role (for example the first administrator of a new installation)."""

from __future__ import annotations

import getpass
import sys

from django.contrib.auth import get_user_model, password_validation
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from carecase.audit.history import acting_as
from carecase.staff.models import Role, Team
from carecase.staff.services import staff_create


class Command(BaseCommand):
    help = "Create a member of staff. The password is asked for, or read from standard input with --password-stdin."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--first-name", required=True)
        parser.add_argument("--last-name", required=True)
        parser.add_argument("--email", required=True)
        parser.add_argument("--role", required=True, choices=Role.values)
        parser.add_argument("--job-title", required=True)
        parser.add_argument("--team", help="Team name (needed for practitioners and team leaders)")
        parser.add_argument("--phone", default="", help="Direct phone number, shown on letters")
        parser.add_argument("--password-stdin", action="store_true")

    def handle(self, *args, username, first_name, last_name, email, role, job_title, team, phone,
               password_stdin, **options):
        if get_user_model().objects.filter(username=username).exists():
            raise CommandError(f"There is already an account called {username}.")
        team_obj = None
        if team:
            team_obj = Team.objects.filter(name=team).first()
            if team_obj is None:
                names = ", ".join(Team.objects.values_list("name", flat=True)) or "none yet"
                raise CommandError(f"There is no team called {team!r}. Teams: {names}.")
        elif role in (Role.PRACTITIONER, Role.TEAM_LEADER):
            raise CommandError("Practitioners and team leaders need a team: add --team.")
        password = sys.stdin.readline().rstrip("\n") if password_stdin else getpass.getpass("Password: ")
        try:
            password_validation.validate_password(password, get_user_model()(username=username, email=email))
        except ValidationError as exc:
            raise CommandError("That password is not strong enough: " + " ".join(exc.messages)) from None
        with acting_as(source="command:create_staff"):
            staff = staff_create(username=username, first_name=first_name, last_name=last_name, email=email,
                                 role=role, job_title=job_title, team=team_obj, direct_phone=phone,
                                 password=password)
        self.stdout.write(f"Created {staff.full_name} ({staff.get_role_display().lower()}) as {username}.")
