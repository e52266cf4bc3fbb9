"""Content security policy with a per-request nonce, and sign-out after a period of no activity."""

from __future__ import annotations

import secrets
import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.shortcuts import redirect
from django.urls import reverse


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.csp_nonce = secrets.token_urlsafe(16)
        response = self.get_response(request)
        if "Content-Security-Policy" not in response and not request.path.startswith("/api/docs"):
            response["Content-Security-Policy"] = settings.CONTENT_SECURITY_POLICY.format(nonce=request.csp_nonce)
        return response


class IdleTimeoutMiddleware:
    """Signs staff out after IDLE_TIMEOUT_MINUTES without a request (the session cookie also expires)."""

    KEY = "last_activity"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            now = time.time()
            last = request.session.get(self.KEY)
            if last is not None and now - last > settings.IDLE_TIMEOUT_MINUTES * 60:
                logout(request)
                messages.info(request, "You were signed out because you had not used CareCase for a while.")
                if request.path.startswith("/api/"):
                    return self.get_response(request)
                return redirect(f"{reverse('login')}?next={request.path}")
            request.session[self.KEY] = now
        return self.get_response(request)


class PasswordChangeRequiredMiddleware:
    """Staff whose password an administrator chose must choose their own before using CareCase."""

    ALLOWED = ("/accounts/", "/static/", "/healthz", "/accessibility/")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated and not request.path.startswith(self.ALLOWED + ("/api/",)):
            from carecase.audit.access import staff_member

            staff = staff_member(request.user)
            if staff is not None and staff.must_change_password:
                messages.info(request, "Choose your own password before you start.")
                return redirect("password-change")
        return self.get_response(request)
