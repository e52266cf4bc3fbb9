"""Print an API token for a member of staff, creating it if they have none."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from rest_framework.authtoken.models import Token

from carecase.audit.access import staff_member


class Command(BaseCommand):
    help = (
        "Print the API token for an active member of staff, creating one if they have none. "
        "With --rotate, replace any existing token so the old one stops working."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument(
            "--rotate", action="store_true", help="Replace the existing token: the old one stops working at once."
        )

    @transaction.atomic
    def handle(self, *args, username: str, rotate: bool, **options):
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f'There is no user called "{username}". Check the spelling of the username.')
        if not user.is_active:
            raise CommandError(f'The account "{username}" is not active, so it cannot have an API token.')
        if staff_member(user) is None:
            raise CommandError(
                f'"{username}" has no staff role, so the API would refuse them. Give them a role first.'
            )
        if rotate:
            Token.objects.filter(user=user).delete()
        token, created = Token.objects.get_or_create(user=user)
        # Only the token goes to standard output, so a script can capture it; the notes go to standard error.
        if rotate:
            self.stderr.write(f"Issued a new API token for {username}; any earlier one no longer works.")
        elif created:
            self.stderr.write(f"Issued an API token for {username}.")
        self.stdout.write(token.key)
