from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "carecase.audit"
    label = "audit"
    verbose_name = "Record access"
