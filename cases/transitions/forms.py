"""GOV.UK forms for asking for, approving and accepting a step up or step down.

The rules (which levels, which teams, who may) live in cases.transitions.services; these
forms offer the sensible choices and word the errors.
"""

from django import forms

from cases.transitions import selectors, services
from cases.transitions.models import REASON_MESSAGE, Direction, TransitionStatus
from earlyhelp.forms import FilterForm, GovUKMessagesMixin, text_area


class LevelChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, level):
        return f"Level {level.rank}: {level.name}"


class LocalityTeamChoiceField(forms.ModelChoiceField):
    """Teams named with their locality (the queryset selects it)."""

    def label_from_instance(self, team):
        return f"{team.name} ({team.locality.name})"


def _level_radios(label, *, queryset, required_message):
    return LevelChoiceField(
        label=label,
        queryset=queryset,
        widget=forms.RadioSelect,
        empty_label=None,
        error_messages={"required": required_message},
    )


class _HandoverFields(GovUKMessagesMixin, forms.Form):
    reason = text_area(
        "Why does the family need this change?",
        help_text="What has changed for the family, and what the receiving team needs to know.",
        required_message=REASON_MESSAGE,
    )
    evidence = text_area(
        "Evidence",
        required=False,
        help_text="Assessments, reviews, incidents or reports that support the request.",
    )
    handover_notes = text_area(
        "Handover notes",
        required=False,
        help_text="Who the family knows, what is in place now and what should happen first.",
    )


class StepUpForm(_HandoverFields):
    to_level = _level_radios(
        "Level of need to step up to",
        queryset=selectors.statutory_levels(),
        required_message="Choose the level of need to step up to",
    )
    receiving_team = forms.ModelChoiceField(
        label="Children's social care team",
        queryset=selectors.social_care_teams(),
        empty_label="Choose a team",
        error_messages={"required": "Choose the children's social care team"},
    )

    field_order = ["to_level", "receiving_team", "reason", "evidence", "handover_notes"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_level"].queryset = selectors.statutory_levels()
        self.fields["receiving_team"].queryset = selectors.social_care_teams()


class StepDownForm(_HandoverFields):
    from_level = _level_radios(
        "Level of need now",
        queryset=selectors.statutory_levels(),
        required_message="Choose the family's level of need now",
    )
    to_level = _level_radios(
        "Level of need to step down to",
        queryset=selectors.early_help_levels(),
        required_message="Choose the level of need to step down to",
    )
    sending_team = forms.ModelChoiceField(
        label="Your team",
        queryset=selectors.social_care_teams(),
        widget=forms.RadioSelect,
        empty_label=None,
        help_text="Your team stays responsible until early help accepts the family.",
        error_messages={"required": "Choose your team"},
    )
    receiving_team = LocalityTeamChoiceField(
        label="Early help team",
        queryset=selectors.early_help_teams(),
        empty_label="Choose a team",
        help_text="The team's locality allocates the family a lead professional.",
        error_messages={"required": "Choose the early help team"},
    )

    field_order = [
        "from_level",
        "to_level",
        "sending_team",
        "receiving_team",
        "reason",
        "evidence",
        "handover_notes",
    ]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["from_level"].queryset = selectors.statutory_levels()
        self.fields["to_level"].queryset = selectors.early_help_levels()
        self.fields["sending_team"].queryset = selectors.own_social_care_teams(user)
        self.fields["receiving_team"].queryset = selectors.early_help_teams()


class ApproveForm(forms.Form):
    """No fields: the button is the answer. Refusals show at the top of the page."""


class DeclineForm(GovUKMessagesMixin, forms.Form):
    prefix = "decline"
    reason = text_area(
        "Why are you declining it?", rows=3, required_message=services.DECLINE_REASON_MESSAGE
    )


class AcceptForm(GovUKMessagesMixin, forms.Form):
    prefix = "accept"
    notes = text_area(
        "Notes", required=False, rows=3, help_text="For example, who will take it on."
    )


class RejectForm(GovUKMessagesMixin, forms.Form):
    prefix = "reject"
    reason = text_area(
        "Why are you not accepting it?", rows=3, required_message=services.REJECT_REASON_MESSAGE
    )


class TransitionFilterForm(FilterForm):
    direction = forms.ChoiceField(
        label="Direction", required=False, choices=[("", "Any"), *Direction.choices]
    )
    status = forms.ChoiceField(
        label="Status", required=False, choices=[("", "Any"), *TransitionStatus.choices]
    )

    def filter(self, queryset):
        if not self.is_valid():
            return queryset
        for name in ("direction", "status"):
            if self.cleaned_data.get(name):
                queryset = queryset.filter(**{name: self.cleaned_data[name]})
        return queryset
