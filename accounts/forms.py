from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError


class SignInForm(AuthenticationForm):
    """Email and password. A failed sign-in never says whether the email is known."""

    username = forms.EmailField(
        label="Email address",
        max_length=254,
        error_messages={
            "required": "Enter your email address",
            "invalid": "Enter an email address in the correct format, like name@example.org",
        },
        widget=forms.EmailInput(
            attrs={"autocomplete": "email", "spellcheck": "false", "autofocus": True}
        ),
    )
    password = forms.CharField(
        label="Password",
        strip=False,
        error_messages={"required": "Enter your password"},
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    error_messages = {
        "invalid_login": "Enter a correct email address and password",
        "inactive": "Enter a correct email address and password",
    }

    def clean(self):
        try:
            return super().clean()
        except ValidationError as error:
            # Shown against the email field so the error summary can link to it.
            self.add_error("username", error)
            return self.cleaned_data
