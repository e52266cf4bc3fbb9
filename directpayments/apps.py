from django.apps import AppConfig


class DirectPaymentsConfig(AppConfig):
    name = "directpayments"
    verbose_name = "Direct payments"

    def ready(self) -> None:
        # A change to a plan's services reprices its direct payment in the same transaction; assessments only
        # sends the signal and knows nothing of direct payments.
        from assessments.signals import plan_services_changed

        from .services import _on_plan_services_changed

        plan_services_changed.connect(_on_plan_services_changed, dispatch_uid="directpayments.follow_plan_change")
