"""Recompute every person's name-search keys, after a change to carecase/people/search_keys.py."""

from django.core.management.base import BaseCommand

from carecase.audit.history import acting_as
from carecase.people.services import rebuild_all_search_keys


class Command(BaseCommand):
    help = "Recompute the name-search keys of every person (run after upgrading CareCase)."

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=2000)

    def handle(self, *args, batch_size: int, **options):
        with acting_as(source="command:rebuild_search_keys"):
            changed, total = rebuild_all_search_keys(batch_size=batch_size)
        self.stdout.write(f"Checked {total} people; updated the search keys of {changed}.")
