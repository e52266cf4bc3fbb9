"""Forms for administrators managing staff accounts, and for changing one's own password."""

from __future__ import annotations

from django import forms
from django.contrib.auth.forms import PasswordChangeForm

from carecase.staff.models import Role, Team

from .forms import GovukForm, GovukFormMixin

ACCOUNT_STATES = [("open", "Open: they can sign in"), ("closed", "Closed: they cannot sign in")]


def _teams():
    return Team.objects.filter(is_active=True).order_by("name")


class StaffAddForm(GovukForm):
    first_name = forms.CharField(label="First name", max_length=150)
    last_name = forms.CharField(label="Last name", max_length=150)
    username = forms.RegexField(label="Username", max_length=150, regex=r"^[\w.@+-]+$",
                                help_text="Letters, numbers and . @ + - _ only, for example priya.mistry",
                                error_messages={"invalid": "Use only letters, numbers and . @ + - _ in the username"})
    email = forms.EmailField(label="Work email address",
                             error_messages={"invalid": "Enter an email address like name@example.gov.uk"})
    job_title = forms.CharField(label="Job title", max_length=120)
    role = forms.ChoiceField(label="Role in CareCase", choices=Role.choices, widget=forms.RadioSelect)
    team = forms.ModelChoiceField(label="Team", queryset=_teams(), required=False, empty_label="No team",
                                  help_text="Practitioners and team leaders must be in a team.")
    direct_phone = forms.CharField(label="Direct phone number (optional)", max_length=30, required=False,
                                   help_text="Letters to people name it, so they can call back.")
    temporary_password = forms.CharField(
        label="Temporary password", widget=forms.PasswordInput(render_value=True, attrs={"autocomplete": "new-password"}),
        help_text="At least 12 characters. Give it to them in person or by phone; they must change it when they "
                  "first sign in.")

    REQUIRED = {"first_name": "Enter their first name", "last_name": "Enter their last name",
                "username": "Choose a username for them", "email": "Enter their work email address",
                "job_title": "Enter their job title", "role": "Select their role in CareCase",
                "temporary_password": "Enter a temporary password"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = _teams()
        for name, message in self.REQUIRED.items():
            self.fields[name].error_messages["required"] = message


class StaffEditForm(GovukForm):
    job_title = forms.CharField(label="Job title", max_length=120)
    role = forms.ChoiceField(label="Role in CareCase", choices=Role.choices, widget=forms.RadioSelect)
    team = forms.ModelChoiceField(label="Team", queryset=_teams(), required=False, empty_label="No team")
    direct_phone = forms.CharField(label="Direct phone number (optional)", max_length=30, required=False)
    account = forms.ChoiceField(label="Account", choices=ACCOUNT_STATES, widget=forms.RadioSelect,
                                help_text="Close the account when someone leaves. Their records and history stay.")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = _teams()


class GovukPasswordChangeForm(GovukFormMixin, PasswordChangeForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["old_password"].label = "Your current password"
        self.fields["new_password1"].label = "New password"
        self.fields["new_password1"].help_text = "At least 12 characters. Not a common password, and not like your name."
        self.fields["new_password2"].label = "Type the new password again"
        for name in ("old_password", "new_password1", "new_password2"):
            self.fields[name].widget.attrs["aria-describedby"] = (
                f"{name}-hint" if self.fields[name].help_text else ""
            ) or self.fields[name].widget.attrs.get("aria-describedby", "")
            if not self.fields[name].help_text:
                self.fields[name].widget.attrs.pop("aria-describedby", None)
        self.error_messages = {
            **self.error_messages,
            "password_incorrect": "Your current password is not right. Enter it again",
            "password_mismatch": "The two new passwords are different. Type the same password twice",
        }
