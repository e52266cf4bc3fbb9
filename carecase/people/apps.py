from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "carecase.people"
    label = "people"
    verbose_name = "People"
