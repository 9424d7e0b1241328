"""GOV.UK forms for the TAF plan. They parse what was typed; `assessments.plans.services`
checks it against the plan and the episode."""

from django import forms

from assessments.assessments.forms import PersonChoiceField
from assessments.models import (
    ActionStatus,
    PlanOutcome,
    SupportingFamiliesArea,
)
from assessments.plans import checks
from earlyhelp.forms import GovUKDateField, GovUKMessagesMixin, radios, text_area

SCORES = [(str(n), str(n)) for n in range(11)]


def score_field(label, message, help_text=""):
    return forms.TypedChoiceField(
        label=label,
        choices=SCORES,
        coerce=int,
        help_text=help_text,
        widget=forms.RadioSelect(attrs={"class": "govuk-radios--inline"}),
        error_messages={"required": message},
    )


def _name(user):
    return user.get_full_name() or user.email


class PlanForm(forms.Form):
    """The plan's narrative; every part may be saved unfinished (agreeing checks it)."""

    mark_optional_fields = False

    worries = text_area("What we are worried about", required=False)
    working_well = text_area("What is working well", required=False)
    family_words = text_area(
        "The family's own words",
        required=False,
        help_text="What the family say they want to be different, in their words",
    )
    contingency = text_area("What happens if things do not improve", required=False)
    revision = forms.IntegerField(widget=forms.HiddenInput)


class OutcomeForm(GovUKMessagesMixin, forms.Form):
    description = text_area(
        "What will be different?", rows=3, required_message=checks.OUTCOME_DESCRIPTION_MESSAGE
    )
    people = PersonChoiceField(
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        label="Who is it for?",
        error_messages={"required": checks.OUTCOME_PEOPLE_MESSAGE},
    )
    need = text_area(
        "What need does it answer?",
        rows=2,
        required_message=checks.OUTCOME_NEED_MESSAGE,
    )
    area = radios(
        "Supporting Families outcome area",
        SupportingFamiliesArea.choices,
        required_message=checks.OUTCOME_AREA_MESSAGE,
    )
    baseline = score_field(
        "Where are things now, from 0 to 10?",
        "Enter where things are now as a whole number from 0 to 10",
        help_text="0 means things could not be worse; 10 means the outcome is achieved.",
    )
    target = score_field(
        "Where does the family want to get to, from 0 to 10?",
        "Enter where the family wants to get to as a whole number from 0 to 10",
    )

    def __init__(self, *args, family, **kwargs):
        from assessments.plans.selectors import household

        super().__init__(*args, **kwargs)
        self.fields["people"].queryset = household(family)

    @staticmethod
    def initial_from(outcome):
        return {
            "description": outcome.description,
            "people": [person.pk for person in outcome.people.all()],
            "need": outcome.need,
            "area": outcome.area,
            "baseline": str(outcome.baseline),
            "target": str(outcome.target),
        }


class OwnerUserField(forms.ModelChoiceField):
    def label_from_instance(self, user):
        return _name(user)


class OutcomeChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, outcome):
        return outcome.description[:80]


OWNER_USER, OWNER_AGENCY, OWNER_NAMED = "user", "agency", "named"


class ActionForm(GovUKMessagesMixin, forms.Form):
    # Which of the "who" fields is needed depends on the choice above them.
    mark_optional_fields = False

    description = text_area(
        "What will be done?", rows=3, required_message=checks.ACTION_DESCRIPTION_MESSAGE
    )
    outcome = OutcomeChoiceField(
        queryset=PlanOutcome.objects.none(),
        required=False,
        label="Which outcome is it for? (optional)",
        empty_label="None in particular",
    )
    owner_kind = forms.ChoiceField(
        label="Who will do it?",
        choices=[
            (OWNER_USER, "A person who uses this service"),
            (OWNER_AGENCY, "An agency"),
            (OWNER_NAMED, "Someone else, such as a parent"),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose who will do it"},
    )
    owner_user = OwnerUserField(
        queryset=None,
        required=False,
        label="The person",
        empty_label="Choose a person",
        help_text="The lead professional, the team and the users in the TAF",
    )
    owner_agency = forms.ModelChoiceField(
        queryset=None, required=False, label="The agency", empty_label="Choose an agency"
    )
    owner_name = forms.CharField(
        label="Their name",
        required=False,
        max_length=200,
        help_text="A named contact at the agency, or the person who will do it",
    )
    due_on = GovUKDateField(
        label="By when?",
        help_text="For example, 27 3 2026",
        error_messages={"required": checks.ACTION_DUE_ON_MESSAGE},
    )

    def __init__(self, *args, plan, **kwargs):
        from assessments.plans.selectors import (
            action_owner_agencies,
            action_owner_users,
            outcomes_of,
        )

        super().__init__(*args, **kwargs)
        self.fields["outcome"].queryset = outcomes_of(plan).order_by("position", "id")
        self.fields["owner_user"].queryset = action_owner_users(plan.episode)
        self.fields["owner_agency"].queryset = action_owner_agencies()

    def clean(self):
        data = super().clean()
        kind = data.get("owner_kind")
        if kind == OWNER_USER:
            data["owner_agency"], data["owner_name"] = None, ""
            if data.get("owner_user") is None and "owner_user" not in self.errors:
                self.add_error("owner_user", "Choose the person who will do it")
        elif kind == OWNER_AGENCY:
            data["owner_user"] = None
            if data.get("owner_agency") is None and "owner_agency" not in self.errors:
                self.add_error("owner_agency", "Choose the agency that will do it")
        elif kind == OWNER_NAMED:
            data["owner_user"], data["owner_agency"] = None, None
            if not (data.get("owner_name") or "").strip() and "owner_name" not in self.errors:
                self.add_error("owner_name", "Enter the name of the person who will do it")
        return data

    def owner(self):
        data = self.cleaned_data
        return {
            "owner_user": data.get("owner_user"),
            "owner_agency": data.get("owner_agency"),
            "owner_name": (data.get("owner_name") or "").strip(),
        }

    @staticmethod
    def initial_from(action):
        if action.owner_user_id:
            kind = OWNER_USER
        elif action.owner_agency_id:
            kind = OWNER_AGENCY
        else:
            kind = OWNER_NAMED
        return {
            "description": action.description,
            "outcome": action.outcome_id,
            "owner_kind": kind,
            "owner_user": action.owner_user_id,
            "owner_agency": action.owner_agency_id,
            "owner_name": action.owner_name,
            "due_on": action.due_on,
        }


class ActionStatusForm(GovUKMessagesMixin, forms.Form):
    status = forms.ChoiceField(
        label="How is it going?",
        choices=ActionStatus.choices,
        error_messages={"required": checks.ACTION_STATUS_MESSAGE},
    )


class AgreeForm(forms.Form):
    agreed_on = GovUKDateField(
        label="Date the plan was agreed",
        required=False,
        help_text="Leave blank for today. For example, 27 3 2026",
    )
