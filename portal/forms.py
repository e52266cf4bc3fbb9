"""Forms for the self-review portal. They shape what was typed; the services decide."""

from __future__ import annotations

from django import forms

from carecase.web.forms import GovukDateField, GovukForm

from . import questions


class StartForm(GovukForm):
    code = forms.CharField(label="Your code", max_length=20,
                           help_text="The 8 letters and numbers in your letter or email, like ABCD-2345.",
                           widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "spellcheck": "false",
                                                         "class": "govuk-input--width-10"}))
    date_of_birth = GovukDateField(label="Date of birth", past_only=True,
                                   help_text="The date of birth of the person whose support this is. For example, "
                                             "27 3 1950.")


SIGN_IN_CHOICES = [("password", "With a password"), ("link", "With a link sent to my email address each time")]


class CreateAccountForm(GovukForm):
    for_someone_else = forms.ChoiceField(
        label="Are you filling this in for someone else?", widget=forms.RadioSelect,
        choices=[("no", "No, it is about my own support"), ("yes", "Yes, I help someone with their support")])
    representative_name = forms.CharField(label="Your name", required=False, max_length=200,
                                          help_text="Only if you are filling this in for someone else.")
    how = forms.ChoiceField(label="How would you like to sign in when you come back?", widget=forms.RadioSelect,
                            choices=SIGN_IN_CHOICES)
    email = forms.EmailField(label="Email address", required=False,
                             help_text="Needed for sign-in links. We will also use it to tell you when your review "
                                       "has been looked at.",
                             widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}))
    password = forms.CharField(label="Choose a password", required=False, strip=False,
                               help_text="At least 12 characters. Three random words work well.",
                               widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))

    def clean(self):
        data = super().clean()
        if data.get("for_someone_else") == "yes" and not (data.get("representative_name") or "").strip():
            self.add_error("representative_name", "Enter your name")
        if data.get("how") == "link" and not data.get("email"):
            self.add_error("email", "Enter your email address so we can send you sign-in links")
        if data.get("how") == "password" and not data.get("password"):
            self.add_error("password", "Choose a password")
        return data


class SignInForm(GovukForm):
    email = forms.EmailField(label="Email address",
                             widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}))
    password = forms.CharField(label="Password", strip=False,
                               widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}))


class SignInLinkForm(GovukForm):
    email = forms.EmailField(label="Email address",
                             widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}))


def page_form(page: questions.Page, data=None, initial=None) -> GovukForm:
    """A form for one page of questions."""
    fields = {}
    for q in page.questions:
        hint = q.hint
        if q.shown_if:
            hint = (hint + " " if hint else "") + "Leave this blank if it does not apply."
        if q.kind == "choice":
            fields[q.code] = forms.ChoiceField(label=q.text, choices=list(q.choices), widget=forms.RadioSelect,
                                               required=False, help_text=hint)
        else:
            fields[q.code] = forms.CharField(label=q.text, required=False, help_text=hint, max_length=3000,
                                             widget=forms.Textarea(attrs={"rows": 4}))
    form_class = type("PageForm", (GovukForm,), fields)
    return form_class(data, initial=initial)
