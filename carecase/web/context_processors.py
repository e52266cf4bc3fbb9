from django.conf import settings

from carecase.audit.access import staff_member


def service(request):
    staff = staff_member(request.user) if hasattr(request, "user") else None
    return {
        "service_name": settings.SERVICE_NAME,
        "council_name": settings.COUNCIL_NAME,
        "council_phone": settings.COUNCIL_PHONE,
        "council_hours": settings.COUNCIL_OPENING_HOURS,
        "demo_mode": settings.DEMO_MODE,
        "current_staff": staff,
        "csp_nonce": getattr(request, "csp_nonce", ""),
    }
