"""Administrators manage staff accounts; staff choose their own password."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from carecase.staff.models import StaffMember

NEW = {"first_name": "Rukhsana", "last_name": "Begum", "username": "r.begum", "email": "r.begum@example.gov.uk",
       "job_title": "Social worker", "role": "practitioner", "direct_phone": "0116 454 2211",
       "temporary_password": "violet-harbour-lantern"}


@pytest.mark.django_db
def test_administrator_adds_staff_who_must_then_choose_a_password(client, administrator, team):
    client.force_login(administrator.user)
    no_team = client.post(reverse("staff-add"), {**NEW})
    assert "must be in a team" in no_team.content.decode()
    assert 'value="r.begum"' in no_team.content.decode()  # answers kept
    weak = client.post(reverse("staff-add"), {**NEW, "team": team.id, "temporary_password": "password"})
    assert "This password is too short" in weak.content.decode() or "too common" in weak.content.decode()
    done = client.post(reverse("staff-add"), {**NEW, "team": team.id})
    assert done.status_code == 302
    staff = StaffMember.objects.get(user__username="r.begum")
    assert staff.must_change_password and staff.team == team and staff.user.groups.filter(name="Practitioner").exists()

    client.force_login(staff.user)
    sent_away = client.get(reverse("home"))
    assert sent_away.status_code == 302 and sent_away.url == reverse("password-change")
    wrong = client.post(reverse("password-change"), {"old_password": "nope", "new_password1": "a", "new_password2": "b"})
    assert "Your current password is not right" in wrong.content.decode()
    changed = client.post(reverse("password-change"), {"old_password": NEW["temporary_password"],
                                                       "new_password1": "quiet-meadow-telescope-42",
                                                       "new_password2": "quiet-meadow-telescope-42"})
    assert changed.status_code == 302
    assert client.get(reverse("home")).status_code == 200
    staff.refresh_from_db()
    assert not staff.must_change_password


@pytest.mark.django_db
def test_duplicate_username_is_refused_plainly(client, administrator, practitioner, team):
    client.force_login(administrator.user)
    response = client.post(reverse("staff-add"), {**NEW, "username": "Practitioner", "team": team.id})
    assert "There is already an account with this username" in response.content.decode()


@pytest.mark.django_db
def test_administrator_changes_role_and_closes_account(client, administrator, practitioner, team, other_team):
    client.force_login(administrator.user)
    url = reverse("staff-edit", args=[practitioner.id])
    done = client.post(url, {"job_title": "Senior practitioner", "role": "team_leader", "team": other_team.id,
                             "direct_phone": "", "account": "closed"})
    assert done.status_code == 302
    practitioner.refresh_from_db()
    user = get_user_model().objects.get(pk=practitioner.user_id)
    assert (practitioner.role, practitioner.team, user.is_active) == ("team_leader", other_team, False)
    assert set(user.groups.values_list("name", flat=True)) == {"Team leader"}


@pytest.mark.django_db
def test_administrator_cannot_lock_themselves_out(client, administrator):
    client.force_login(administrator.user)
    response = client.post(reverse("staff-edit", args=[administrator.id]),
                           {"job_title": "x", "role": "practitioner", "team": "", "direct_phone": "", "account": "open"})
    body = response.content.decode()
    assert response.status_code == 200 and ("cannot remove your own administrator role" in body or "must be in a team" in body)
    response = client.post(reverse("staff-edit", args=[administrator.id]),
                           {"job_title": "x", "role": "administrator", "team": "", "direct_phone": "", "account": "closed"})
    assert "close your own account" in response.content.decode()


@pytest.mark.django_db
def test_only_administrators_manage_accounts(client, practitioner, senior_manager):
    for staff in (practitioner, senior_manager):
        client.force_login(staff.user)
        assert client.get(reverse("staff-add")).status_code == 403
        assert client.get(reverse("staff-edit", args=[practitioner.id])).status_code == 403
        assert client.get(reverse("staff-directory")).status_code == 200
