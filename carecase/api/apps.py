from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "carecase.api"
    label = "api"
    verbose_name = "API"
