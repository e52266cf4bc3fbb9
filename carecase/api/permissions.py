from rest_framework.permissions import BasePermission

from carecase.audit.access import staff_member


class IsActiveStaff(BasePermission):
    """Signed in (session or token) as an active member of staff with a role."""

    message = "Sign in as a member of staff with a CareCase role. Ask an administrator if you need one."

    def has_permission(self, request, view) -> bool:
        return staff_member(request.user) is not None
