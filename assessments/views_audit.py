"""The practice audit page for team leaders and senior managers (issue 3, §4).

It shows counts per worker and month only, never a person's name or record, so it writes no access
events (see assessments.audit).
"""

from __future__ import annotations

from django import forms
from django.shortcuts import render

from carecase.staff.models import Team
from carecase.web.decorators import staff_required
from carecase.web.forms import GovukForm

from .audit import MONTH_CHOICES, choosable_teams, practice_audit

DEFAULT_MONTHS = 12


class AuditFilterForm(GovukForm):
    months = forms.TypedChoiceField(
        label="Period", coerce=int, required=False,
        choices=[(m, f"Last {m} months") for m in MONTH_CHOICES],
        error_messages={"invalid_choice": "Select a period of 3, 6 or 12 months"},
    )

    def __init__(self, *args, teams=(), **kwargs):
        super().__init__(*args, **kwargs)
        if teams:
            self.fields["team"] = forms.TypedChoiceField(
                label="Team", coerce=int, required=False,
                choices=[("", "All teams")] + [(t.id, t.name) for t in teams],
                error_messages={"invalid_choice": "Select a team from the list"},
            )
            self.order_fields(["team", "months"])
        self.fields["months"].initial = DEFAULT_MONTHS


@staff_required
def practice_audit_page(request):
    teams = choosable_teams(user=request.user)  # PermissionDenied (403) for other roles
    form = AuditFilterForm(request.GET or None, teams=teams)
    team_id, months = None, DEFAULT_MONTHS
    if form.is_bound and form.is_valid():
        team_id = form.cleaned_data.get("team") or None
        months = form.cleaned_data.get("months") or DEFAULT_MONTHS
    try:
        report = practice_audit(user=request.user, team_id=team_id, months=months)
    except Team.DoesNotExist:  # a team closed since the list was drawn
        form.add_error(None, "That team is no longer active. Select another team")
        report = practice_audit(user=request.user, months=months)
    return render(request, "assessments/practice_audit.html",
                  {"form": form, "report": report, "can_choose_team": bool(teams)})
