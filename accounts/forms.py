from django import forms
from django.contrib.auth.forms import AuthenticationForm

from sli_portal.forms import GovukFormMixin


class EmailAuthenticationForm(GovukFormMixin, AuthenticationForm):
    """Django's login form, labelled for email addresses and tolerant of their case, with GOV.UK
    messages ("Enter your email address")."""

    required_messages = {"username": "Enter your email address", "password": "Enter your password"}

    username = forms.EmailField(
        label="Email address",
        # No autofocus: it would take focus past the skip link (WCAG 2.4.3).
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
    )

    def clean_username(self):
        return self.cleaned_data["username"].strip().lower()
