"""Staff directory, and account management for administrators."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse_lazy

from carecase.audit.access import staff_member
from carecase.staff import selectors as staff_selectors
from carecase.staff import services as staff_services
from carecase.staff.models import Role, StaffMember

from .decorators import staff_required
from .staff_forms import GovukPasswordChangeForm, StaffAddForm, StaffEditForm
from .views import _apply_errors, _posted


def _is_administrator(user) -> bool:
    staff = staff_member(user)
    return staff is not None and staff.role == Role.ADMINISTRATOR


@staff_required
def staff_directory(request):
    people = staff_selectors.staff_list(include_closed=_is_administrator(request.user))
    return render(request, "staff/directory.html", {"staff_list": people, "is_admin": _is_administrator(request.user)})


@staff_required
def staff_add(request):
    if not _is_administrator(request.user):
        raise PermissionDenied("Only administrators can add staff accounts.")
    form = StaffAddForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            staff = staff_services.staff_add_by_administrator(by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, f"{staff.full_name} can now sign in as {staff.user.username}. They will be "
                                      "asked to choose their own password.")
            return redirect("staff-directory")
    return render(request, "staff/add.html", {"form": form})


@staff_required
def staff_edit(request, staff_id: int):
    if not _is_administrator(request.user):
        raise PermissionDenied("Only administrators can change staff accounts.")
    staff = get_object_or_404(StaffMember.objects.select_related("user", "team"), pk=staff_id)
    initial = {"job_title": staff.job_title, "role": staff.role, "team": staff.team,
               "direct_phone": staff.direct_phone, "account": "open" if staff.user.is_active else "closed"}
    form = StaffEditForm(_posted(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            staff_services.staff_update(staff=staff, by=request.user, role=d["role"], team=d["team"],
                                        job_title=d["job_title"], direct_phone=d["direct_phone"],
                                        is_active=d["account"] == "open")
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, f"{staff.full_name}'s account has been updated.")
            return redirect("staff-directory")
    return render(request, "staff/edit.html", {"form": form, "member": staff})


class PasswordChangeView(auth_views.PasswordChangeView):
    form_class = GovukPasswordChangeForm
    template_name = "registration/password_change.html"
    success_url = reverse_lazy("home")

    def form_valid(self, form):
        response = super().form_valid(form)
        staff_services.password_changed(user=self.request.user)
        messages.success(self.request, "Your password has been changed.")
        return response
