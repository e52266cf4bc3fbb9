from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "carecase.web"
    label = "web"
    verbose_name = "Staff pages"
