"""The decision form: an outcome, a level of need and the reasons; the details an outcome
needs. It parses only: `services.request_decide` checks it against the request."""

from django import forms

from accounts.models import Locality
from earlyhelp.forms import GovUKMessagesMixin, radios, text_area
from referrals.models import Outcome
from referrals.requests.selectors import agency_choices
from referrals.screening.decisions.services import (
    CHOOSE_AN_OUTCOME,
    ENTER_THE_REASONS,
    DecisionInput,
)
from thresholds.models import Level


class DecisionForm(GovUKMessagesMixin, forms.Form):
    outcome = radios("Outcome", Outcome.choices, required_message=CHOOSE_AN_OUTCOME)
    signposted_to = forms.CharField(required=False, max_length=200, label="Service signposted to")
    single_agency = forms.ModelChoiceField(
        queryset=None, required=False, label="Agency that will help", empty_label="Choose"
    )
    single_agency_name = forms.CharField(
        required=False, max_length=200, label="Or, if it is not in the list, its name"
    )
    social_care_reference = forms.CharField(
        required=False, max_length=50, label="Children's social care reference"
    )
    locality = forms.ModelChoiceField(
        queryset=None,
        required=False,
        label="Locality that will allocate the episode",
        help_text="Leave empty for the family's own locality",
        empty_label="The family's locality",
    )
    level = forms.ModelChoiceField(
        queryset=None,
        label="Level of need",
        widget=forms.RadioSelect,
        empty_label=None,
        error_messages={"required": "Choose the level of need"},
    )
    level_override_reason = forms.CharField(
        required=False,
        label="Why the level differs from the suggested one",
        help_text="Needed only if you choose a level other than the suggested one",
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    rationale = text_area("Reasons for the decision", required_message=ENTER_THE_REASONS)

    def __init__(self, *args, framework, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["single_agency"].queryset = agency_choices()
        self.fields["locality"].queryset = Locality.objects.order_by("name")
        level = self.fields["level"]
        level.queryset = framework.levels.all() if framework else Level.objects.none()
        level.label_from_instance = lambda lvl: f"Level {lvl.rank}: {lvl.name}"

    def decision_input(self):
        data = self.cleaned_data
        return DecisionInput(
            outcome=data["outcome"],
            level=data["level"],
            rationale=data["rationale"],
            level_override_reason=data["level_override_reason"],
            signposted_to=data["signposted_to"],
            single_agency=data["single_agency"],
            single_agency_name=data["single_agency_name"],
            social_care_reference=data["social_care_reference"],
            locality=data["locality"],
        )
