from django.apps import AppConfig


class StaffConfig(AppConfig):
    name = "carecase.staff"
    label = "staff"
    verbose_name = "Staff, teams and allocation"
