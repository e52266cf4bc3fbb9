from django.apps import AppConfig


class DirectPaymentsConfig(AppConfig):
    name = "directpayments"
    verbose_name = "Direct payments"
