"""Forms of the allocation meeting pages. They only parse what was typed; the services in
cases/services/meetings.py check it against the meeting's state and make the change."""

import datetime
import re

from django import forms
from django.utils import timezone

from accounts.models import Agency
from cases.meetings import selectors, services
from cases.models import Attendance, ItemDecision
from cases.models.meeting import VENUE_MESSAGE
from earlyhelp.forms import GovUKDateField, GovUKMessagesMixin, radios

TIME_PATTERN = re.compile(r"^([01]?[0-9]|2[0-3])[:.]([0-5][0-9])$")


def _user_label(user):
    return user.get_full_name() or user.email


class ScheduleForm(GovUKMessagesMixin, forms.Form):
    locality = forms.ModelChoiceField(queryset=None, label="Locality")
    date = GovUKDateField(label="Date of the meeting", help_text="For example, 27 3 2026")
    time = forms.CharField(
        label="Start time",
        max_length=5,
        help_text="Use the 24-hour clock, for example 09:30 or 14:00",
        widget=forms.TextInput(attrs={"class": "govuk-input--width-5"}),
        error_messages={"required": "Enter the start time"},
    )
    chair = forms.ModelChoiceField(queryset=None, label="Chair")
    venue = forms.CharField(
        label="Venue or online link",
        max_length=300,
        error_messages={"required": VENUE_MESSAGE},
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        localities = selectors.schedulable_localities(user)
        self.fields["locality"].queryset = localities
        self.fields["locality"].error_messages["required"] = "Choose the locality"
        self.fields["chair"].queryset = selectors.practice_users()
        self.fields["chair"].label_from_instance = _user_label
        self.fields["chair"].initial = user.pk
        if not self.is_bound:
            only = list(localities[:2])
            if len(only) == 1:
                self.fields["locality"].initial = only[0].pk

    def clean_time(self):
        text = self.cleaned_data["time"].strip()
        if not TIME_PATTERN.match(text):
            raise forms.ValidationError("Enter the start time as hours and minutes, like 14:30")
        return text

    def starts_at(self):
        match = TIME_PATTERN.match(self.cleaned_data["time"])
        at = datetime.time(int(match.group(1)), int(match.group(2)))
        return timezone.make_aware(datetime.datetime.combine(self.cleaned_data["date"], at))


class AttendeeForm(GovUKMessagesMixin, forms.Form):
    mark_optional_fields = False
    prefix = "attendee"

    user = forms.ModelChoiceField(
        queryset=None,
        required=False,
        label="A user of the service",
        empty_label="Choose a user",
    )
    name = forms.CharField(
        required=False,
        max_length=200,
        label="Or someone else: their full name",
    )
    agency = forms.ModelChoiceField(
        queryset=None,
        required=False,
        label="Their agency",
        empty_label="Choose an agency",
        help_text="For someone who is not a user of the service",
    )
    attendance = forms.ChoiceField(
        label="Attendance",
        choices=Attendance.choices,
        initial=Attendance.PRESENT,
        widget=forms.RadioSelect(attrs={"class": "govuk-radios--inline"}),
        error_messages={"required": services.ATTENDANCE_MESSAGE},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = selectors.practice_users()
        self.fields["user"].label_from_instance = _user_label
        self.fields["agency"].queryset = Agency.objects.current().order_by("name")

    def clean(self):
        data = super().clean()
        if not data.get("user") and not (data.get("name") or "").strip():
            self.add_error("user", services.ATTENDEE_MESSAGE)
        return data

    def service_fields(self):
        data = self.cleaned_data
        user = data["user"]
        return {
            "user": user,
            "name": "" if user else data["name"].strip(),
            "agency": None if user else data["agency"],
            "attendance": data["attendance"],
        }


class DecisionForm(GovUKMessagesMixin, forms.Form):
    """One agenda item's decision. The fields a decision needs come after the radios (a
    conditional reveal on radios is not accessible here); the service says which it needs.
    Choices come from one DecisionChoices shared by every item's form on the page."""

    mark_optional_fields = False

    decision = radios("Decision", ItemDecision.choices, required_message=services.DECISION_MESSAGE)
    lead_professional = forms.ChoiceField(required=False, label="Lead professional")
    team = forms.ChoiceField(
        required=False,
        label="Lead professional's team",
        help_text="Leave it empty to use the lead professional's only team in the locality",
    )
    referred_to = forms.CharField(
        required=False,
        max_length=200,
        label="Service referred to",
    )
    receiving_team = forms.ChoiceField(
        required=False,
        label="Children's social care team",
    )
    to_level = forms.ChoiceField(required=False, label="Level")
    notes = forms.CharField(
        required=False,
        label="Notes",
        help_text="The reasons for the decision: needed unless you allocate or defer",
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    discussion = forms.CharField(
        required=False,
        label="Minute of the discussion (optional)",
        help_text="What the meeting said about this family. Only people who may see the "
        "family's record read it, here, in the minutes PDF and in the API",
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, item, choices, **kwargs):
        kwargs.setdefault("auto_id", f"item-{item.uuid}-%s")
        super().__init__(*args, **kwargs)
        self.item = item
        self.choices = choices
        blank = [("", "Choose")]
        self.fields["lead_professional"].choices = blank + choices.lead_choices
        self.fields["team"].choices = blank + choices.team_choices
        self.fields["receiving_team"].choices = blank + choices.social_care_choices
        self.fields["to_level"].choices = blank + choices.level_choices

    def _resolve(self, name):
        value = self.cleaned_data.get(name)
        return self.choices.by_kind[name].get(int(value)) if value else None

    def clean(self):
        data = super().clean()
        for name in ("lead_professional", "team", "receiving_team", "to_level"):
            data[name] = self._resolve(name)
        lead = data["lead_professional"]
        if data.get("decision") == ItemDecision.ALLOCATE and lead and not data["team"]:
            teams = self.choices.lead_teams.get(lead.pk, [])
            if len(teams) == 1:
                data["team"] = self.choices.by_kind["team"][teams[0]]
        return data

    def service_fields(self):
        data = self.cleaned_data
        return {
            "decision": data["decision"],
            "notes": data["notes"].strip(),
            "discussion": data["discussion"].strip(),
            "lead_professional": data["lead_professional"],
            "team": data["team"],
            "referred_to": data["referred_to"].strip(),
            "receiving_team": data["receiving_team"],
            "to_level": data["to_level"],
        }


class MinutesForm(GovUKMessagesMixin, forms.Form):
    mark_optional_fields = False

    minutes = forms.CharField(
        required=False,
        label="General minutes",
        help_text="Business other than the families on the agenda, such as who was there "
        "and what was agreed for the panel. Do not name families here: record what was said "
        "about a family in its agenda item. Only the chair and the locality's managers read "
        "the general minutes. Completing the minutes closes the meeting: after that nothing "
        "can change",
        widget=forms.Textarea(attrs={"rows": 8}),
    )
