from django.apps import AppConfig


class RecordsConfig(AppConfig):
    name = "carecase.records"
    label = "records"
    verbose_name = "Contacts and case notes"
