from django.apps import AppConfig


class AssessmentsConfig(AppConfig):
    name = "assessments"
    label = "assessments"
    verbose_name = "Assessments, eligibility and support planning"

    def ready(self) -> None:
        # Rule sets are policy kept as data: load and validate every one at start-up, so a bad edit stops
        # the service from starting instead of giving wrong decisions later.
        from .engine import ruleset

        ruleset.load_all()
