"""Forms of the episode page. They parse what was typed; the services in
cases/services/episodes.py check it against the episode's state and make the change.

Each form on the episode page has its own prefix, so that fields of the same name in two
forms (a reason, say) have different ids.
"""

from django import forms

from accounts.models import Agency
from cases.episodes import selectors, services
from cases.models import ClosureReason, OutcomesAchieved
from cases.models.episode import TAF_CONTACT_NAME_MESSAGE, TAF_ROLE_MESSAGE
from earlyhelp.forms import FilterForm, GovUKDateField, GovUKMessagesMixin, radios, text_area


def _name(user):
    return user.get_full_name() or user.email


class ConfirmForm(forms.Form):
    """A button with nothing to fill in: a refusal shows as the form's error."""


class AllocateForm(GovUKMessagesMixin, forms.Form):
    lead_professional = forms.ModelChoiceField(
        queryset=None,
        label="Lead professional",
        empty_label="Choose a practitioner",
        error_messages={"required": "Choose the lead professional"},
    )
    team = forms.ModelChoiceField(
        queryset=None,
        label="Team they work from",
        empty_label="Choose a team",
        error_messages={"required": "Choose the team they work from"},
    )
    reason = text_area("Notes", rows=3, required=False)

    def __init__(self, *args, user, episode, **kwargs):
        super().__init__(*args, **kwargs)
        teams = selectors.allocation_team_choices(user, episode)
        self.fields["team"].queryset = teams
        self.fields["team"].label_from_instance = lambda team: f"{team.name}, {team.agency.name}"
        lead = self.fields["lead_professional"]
        lead.queryset = selectors.lead_professional_choices(teams)
        lead.label_from_instance = _name
        lead.help_text = "Someone in the team you choose below"


class ReallocateForm(AllocateForm):
    reason = text_area(
        "Why is the lead professional changing?",
        rows=3,
        required_message=services.REALLOCATE_REASON_MESSAGE,
    )


class FlagForm(GovUKMessagesMixin, forms.Form):
    reason = text_area(
        "Why does it need discussing at the allocation meeting?",
        rows=3,
        max_length=300,
        required_message=services.FLAG_REASON_MESSAGE,
    )


class ChangeLevelForm(GovUKMessagesMixin, forms.Form):
    level = forms.ModelChoiceField(
        queryset=None,
        label="New level",
        widget=forms.RadioSelect,
        empty_label=None,
        help_text="To move to children's social care, ask for a step up instead",
        error_messages={"required": "Choose the new level"},
    )
    reason = text_area(
        "Why is the level changing?", rows=3, required_message=services.LEVEL_REASON_MESSAGE
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["level"].queryset = selectors.early_help_levels()
        self.fields["level"].label_from_instance = lambda level: level.name


class TafMemberForm(GovUKMessagesMixin, forms.Form):
    """A user of the service, or a named contact at an agency (fill in one or the other)."""

    user = forms.ModelChoiceField(
        queryset=None,
        label="Someone who uses this service",
        required=False,
        empty_label="Choose someone",
        help_text="Or leave this empty and choose their agency and contact below",
    )
    agency = forms.ModelChoiceField(
        queryset=None,
        label="Agency",
        required=False,
        empty_label="Choose an agency",
        help_text="For someone who does not use this service: their agency's users will see "
        "the family while the membership lasts",
    )
    contact_name = forms.CharField(label="Contact name", max_length=200, required=False)
    contact_email = forms.EmailField(
        label="Contact email",
        required=False,
        error_messages={
            "invalid": "Enter an email address in the correct format, like name@example.com"
        },
    )
    contact_phone = forms.CharField(label="Contact phone", max_length=40, required=False)
    role = forms.CharField(
        label="Role in the Team Around the Family",
        max_length=200,
        help_text="For example, school family support worker",
        error_messages={"required": TAF_ROLE_MESSAGE},
    )
    started_on = GovUKDateField(
        label="Date they joined",
        required=False,
        help_text="Leave empty for today. For example, 27 3 2026",
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = selectors.taf_user_choices(user)
        self.fields["user"].label_from_instance = _name
        self.fields["agency"].queryset = Agency.objects.order_by("name")

    def clean(self):
        data = super().clean()
        if not data.get("user") and not data.get("agency") and "user" not in self.errors:
            self.add_error("user", "Choose someone who uses this service, or an agency")
        elif not data.get("user") and data.get("agency") and not data.get("contact_name"):
            self.add_error("contact_name", TAF_CONTACT_NAME_MESSAGE)
        return data


class RequestClosureForm(GovUKMessagesMixin, forms.Form):
    closure_reason = radios(
        "Why is the episode closing?",
        [c for c in ClosureReason.choices if c[0] != ClosureReason.STEPPED_UP],
        required_message=services.CLOSURE_REASON_MESSAGE,
        help_text="A step up closes the episode when children's social care accepts it",
    )
    closure_summary = text_area(
        "Summary of the help and where it has left things",
        required_message=services.CLOSURE_SUMMARY_MESSAGE,
    )
    outcomes_achieved = forms.ChoiceField(
        label="Were the outcomes achieved?",
        widget=forms.RadioSelect(attrs={"class": "govuk-radios--inline"}),
        choices=OutcomesAchieved.choices,
        error_messages={"required": services.OUTCOMES_ACHIEVED_MESSAGE},
    )
    family_feedback = text_area("The family's feedback", rows=3, required=False)


class ReasonForm(GovUKMessagesMixin, forms.Form):
    """One reason: declining a closure, reopening."""

    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, label, required_message, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].label = label
        self.fields["reason"].error_messages["required"] = required_message


class CaseloadFilterForm(FilterForm):
    locality = forms.ModelChoiceField(queryset=None, required=False, empty_label="All")
    team = forms.ModelChoiceField(queryset=None, required=False, empty_label="All")

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["locality"].queryset = selectors.caseload_localities(user)
        self.fields["team"].queryset = selectors.caseload_teams(user)
