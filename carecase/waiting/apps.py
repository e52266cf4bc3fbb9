from django.apps import AppConfig


class WaitingConfig(AppConfig):
    name = "carecase.waiting"
    label = "waiting"
    verbose_name = "Waiting lists"
