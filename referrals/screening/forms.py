"""Forms of the triage pages: screening a request for support and deciding it.

Forms only parse what was typed; the services in referrals/screening/ check it against
the request's state and make the change.
"""

import datetime
import re

from django import forms
from django.utils import timezone

from accounts.models import Team
from cases.models.family import FAMILY_NAME_MESSAGE
from earlyhelp import access
from earlyhelp.forms import GovUKDateField, GovUKMessagesMixin, radios, text_area
from referrals.models import Consent, ConsentCovers
from referrals.models.screening import CHECK_AGENCY_MESSAGE, QUESTION_MESSAGE
from referrals.requests.selectors import agency_choices
from referrals.screening.selectors import triage_officers
from referrals.screening.services import CHOOSE_A_TRIAGE_OFFICER, ENTER_THEIR_ANSWER

TIME_PATTERN = re.compile(r"^([01]?[0-9]|2[0-3])[:.]([0-5][0-9])$")


class AssignForm(GovUKMessagesMixin, forms.Form):
    page_heading_field = "assigned_to"

    assigned_to = forms.ModelChoiceField(
        queryset=None,
        label="Who should screen this request?",
        widget=forms.RadioSelect,
        empty_label=None,
        error_messages={"required": CHOOSE_A_TRIAGE_OFFICER},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["assigned_to"]
        field.queryset = triage_officers()
        field.label_from_instance = lambda user: user.get_full_name() or user.email


def _own_teams(user):
    return Team.objects.filter(pk__in=access.case_team_ids(user)).order_by("name")


class _OwningTeamMixin:
    def _set_teams(self, user):
        teams = _own_teams(user)
        field = self.fields["owning_team"]
        field.queryset = teams
        if len(teams) == 1:
            field.initial = teams[0].pk


class CreatePersonForm(_OwningTeamMixin, GovUKMessagesMixin, forms.Form):
    owning_team = forms.ModelChoiceField(
        queryset=None,
        label="Team that will own the record",
        error_messages={"required": "Choose the team that will own the record"},
    )
    confirmed_not_duplicate = forms.BooleanField(
        required=False,
        label="I have checked the possible matches: this is a different person",
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self._set_teams(user)


class CreateFamilyForm(_OwningTeamMixin, GovUKMessagesMixin, forms.Form):
    name = forms.CharField(
        label="Family name", max_length=200, error_messages={"required": FAMILY_NAME_MESSAGE}
    )
    owning_team = forms.ModelChoiceField(
        queryset=None,
        label="Team that will own the record",
        error_messages={"required": "Choose the team that will own the record"},
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self._set_teams(user)


def _combine(day, time_text):
    """A date and an optional "HH:MM" as an aware datetime; no date means now."""
    if day is None:
        return timezone.now()
    hour, minute = 12, 0
    if time_text:
        match = TIME_PATTERN.match(time_text)
        hour, minute = int(match.group(1)), int(match.group(2))
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


class CheckForm(GovUKMessagesMixin, forms.Form):
    agency = forms.ModelChoiceField(
        queryset=None,
        required=False,
        label="Agency",
        empty_label="Choose an agency",
    )
    agency_name = forms.CharField(
        required=False, max_length=200, label="Or, if it is not in the list, its name"
    )
    question = forms.CharField(
        label="What was asked",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": QUESTION_MESSAGE},
    )
    asked_on = GovUKDateField(
        required=False, label="Date it was asked", help_text="For example, 27 3 2026. Empty: now"
    )
    asked_time = forms.CharField(
        required=False,
        max_length=5,
        label="Time it was asked",
        help_text="For example, 14:30",
        widget=forms.TextInput(attrs={"class": "govuk-input--width-5"}),
    )
    answer = forms.CharField(
        required=False, label="Their answer", widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = agency_choices()

    def clean_asked_time(self):
        text = self.cleaned_data["asked_time"].strip()
        if text and not TIME_PATTERN.match(text):
            raise forms.ValidationError("Enter the time it was asked as hours and minutes: 14:30")
        return text

    def clean(self):
        data = super().clean()
        if not data.get("agency") and not (data.get("agency_name") or "").strip():
            self.add_error("agency", CHECK_AGENCY_MESSAGE)
        return data

    def service_fields(self):
        data = self.cleaned_data
        return {
            "agency": data["agency"],
            "agency_name": "" if data["agency"] else data["agency_name"].strip(),
            "question": data["question"],
            "asked_at": _combine(data["asked_on"], data["asked_time"]),
            "answer": data["answer"],
        }


class AnswerForm(GovUKMessagesMixin, forms.Form):
    answer = text_area("Their answer", rows=3, required_message=ENTER_THEIR_ANSWER)


class ConsentForm(GovUKMessagesMixin, forms.Form):
    consent = radios(
        "Has the family agreed?",
        Consent.choices,
        required_message="Choose whether the family has agreed",
    )
    consent_given_by = forms.CharField(required=False, max_length=200, label="Who gave consent")
    consent_covers = radios("What the consent covers", ConsentCovers.choices, required=False)
    consent_given_on = GovUKDateField(required=False, label="Date consent was given")
    consent_not_given_reason = forms.CharField(
        required=False, label="Why consent was not given", widget=forms.Textarea(attrs={"rows": 3})
    )

    @classmethod
    def initial_for(cls, request_for_support):
        # Each field is named after the request's own.
        return {name: getattr(request_for_support, name) for name in cls.base_fields}


class NotesForm(forms.Form):
    screening_notes = forms.CharField(
        required=False, label="Screening notes", widget=forms.Textarea(attrs={"rows": 6})
    )


class IndicatorsForm(forms.Form):
    """The current framework's indicators; the page lists them by domain with their level."""

    indicators = forms.ModelMultipleChoiceField(
        queryset=None, required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, framework, **kwargs):
        super().__init__(*args, **kwargs)
        self.framework = framework
        self.fields["indicators"].queryset = framework.indicators.all()

    def chosen_pks(self):
        if self.is_bound:
            return {str(value) for value in self.data.getlist("indicators")}
        return {str(value) for value in self.initial.get("indicators", [])}

    def domains(self):
        """[(domain, [(indicator, ticked)])] in the framework's order, with no queries."""
        chosen = self.chosen_pks()
        grouped = {domain.pk: (domain, []) for domain in self.framework.domains.all()}
        for indicator in self.framework.indicators.all():
            grouped[indicator.domain_id][1].append((indicator, str(indicator.pk) in chosen))
        return [entry for entry in grouped.values() if entry[1]]
