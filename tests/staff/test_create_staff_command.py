import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from carecase.staff.models import StaffMember


@pytest.mark.django_db
def test_creates_an_administrator_with_a_strong_password(monkeypatch):
    monkeypatch.setattr("sys.stdin", io.StringIO("a-long-and-unusual-passphrase\n"))
    out = io.StringIO()
    call_command("create_staff", "r.khan", first_name="Rukhsana", last_name="Khan", email="r.khan@example.gov.uk",
                 role="administrator", job_title="Systems administrator", password_stdin=True, stdout=out)
    user = get_user_model().objects.get(username="r.khan")
    assert user.check_password("a-long-and-unusual-passphrase")
    assert StaffMember.objects.get(user=user).role == "administrator"
    assert "Created Rukhsana Khan" in out.getvalue()


@pytest.mark.django_db
def test_refuses_weak_passwords_and_missing_teams(monkeypatch, team):
    monkeypatch.setattr("sys.stdin", io.StringIO("password\n"))
    with pytest.raises(CommandError, match="not strong enough"):
        call_command("create_staff", "weak", first_name="A", last_name="B", email="a@example.gov.uk",
                     role="senior_manager", job_title="Head of service", password_stdin=True)
    with pytest.raises(CommandError, match="need a team"):
        call_command("create_staff", "p1", first_name="A", last_name="B", email="a@example.gov.uk",
                     role="practitioner", job_title="Social worker", password_stdin=True)
    with pytest.raises(CommandError, match="no team called"):
        call_command("create_staff", "p2", first_name="A", last_name="B", email="a@example.gov.uk",
                     role="practitioner", job_title="Social worker", team="Nowhere", password_stdin=True)
    assert not get_user_model().objects.filter(username__in=["weak", "p1", "p2"]).exists()
