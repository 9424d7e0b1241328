"""GOV.UK forms for the TAF plan and its reviews. They parse what was typed; the services in
assessments/services/plans.py and reviews.py check it against the plan and the episode."""

from django import forms
from django.utils import timezone

from assessments.assessments.forms import PersonChoiceField
from assessments.models import (
    ActionStatus,
    PlanOutcome,
    Rag,
    ReviewDecision,
    SupportingFamiliesArea,
)
from cases.models import ClosureReason, OutcomesAchieved, TafMember
from cases.transitions.forms import LevelChoiceField
from cases.transitions.selectors import social_care_teams, statutory_levels
from earlyhelp.forms import GovUKDateField, GovUKMessagesMixin

SCORES = [(str(n), str(n)) for n in range(11)]


def _text(label, *, required=False, rows=5, help_text="", message=None):
    field = forms.CharField(
        label=label,
        required=required,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": rows}),
    )
    if message:
        field.error_messages["required"] = message
    return field


def _score(label, message, help_text=""):
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

    worries = _text("What we are worried about")
    working_well = _text("What is working well")
    family_words = _text(
        "The family's own words",
        help_text="What the family say they want to be different, in their words",
    )
    contingency = _text("What happens if things do not improve")
    revision = forms.IntegerField(widget=forms.HiddenInput)


class OutcomeForm(GovUKMessagesMixin, forms.Form):
    description = _text(
        "What will be different?", required=True, rows=3, message="Enter what will be different"
    )
    people = PersonChoiceField(
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        label="Who is it for?",
        error_messages={"required": "Choose who the outcome is for"},
    )
    need = _text(
        "What need does it answer?",
        required=True,
        rows=2,
        message="Enter the need the outcome answers",
    )
    area = forms.ChoiceField(
        label="Supporting Families outcome area",
        choices=SupportingFamiliesArea.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the Supporting Families outcome area"},
    )
    baseline = _score(
        "Where are things now, from 0 to 10?",
        "Enter where things are now as a whole number from 0 to 10",
        help_text="0 means things could not be worse; 10 means the outcome is achieved.",
    )
    target = _score(
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

    description = _text(
        "What will be done?", required=True, rows=3, message="Enter what will be done"
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
        error_messages={"required": "Enter when it will be done by"},
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
        error_messages={"required": "Choose how the action is going"},
    )


class AgreeForm(forms.Form):
    agreed_on = GovUKDateField(
        label="Date the plan was agreed",
        required=False,
        help_text="Leave blank for today. For example, 27 3 2026",
    )


class ReviewForm(GovUKMessagesMixin, forms.Form):
    """A TAF review: the meeting, progress on each outcome (fields named by the outcome's
    uuid), the views, and the decision with what each decision needs. Which of the
    decision's fields are needed depends on the decision, so only those always optional
    say so."""

    mark_optional_fields = False

    held_on = GovUKDateField(
        label="Date of the review",
        help_text="For example, 27 3 2026",
        error_messages={"required": "Enter the date of the review"},
    )
    attendees = forms.ModelMultipleChoiceField(
        queryset=TafMember.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Who from the Team Around the Family came? (optional)",
    )
    other_attendees = _text(
        "Anyone else who came (optional)",
        rows=3,
        help_text="The family, and others, one to a line",
    )
    summary = _text("What has changed since the last review? (optional)", rows=4)
    # Progress fields are added per outcome here.
    child_views = _text(
        "The child's views",
        required=True,
        message="Enter the child's views, or why they could not be gathered",
    )
    family_views = _text("The family's views", required=True, message="Enter the family's views")
    decision = forms.ChoiceField(
        label="What did the review decide?",
        choices=ReviewDecision.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the review's decision"},
    )
    # Continue
    new_plan_version = forms.BooleanField(
        label="Change the plan after this review",
        required=False,
        help_text="Starts a new version of the plan to change; this one stays in force until "
        "the new one is agreed",
    )
    next_review_on = GovUKDateField(label="Date of the next review", required=False)
    # Step up
    to_level = LevelChoiceField(
        label="Level of need to step up to",
        queryset=None,
        required=False,
        widget=forms.RadioSelect,
        empty_label=None,
    )
    receiving_team = forms.ModelChoiceField(
        label="Children's social care team",
        queryset=None,
        required=False,
        empty_label="Choose a team",
    )
    decision_reason = _text("Why does the family need a step up?", rows=4)
    evidence = _text("Evidence (optional)", rows=3)
    handover_notes = _text("Handover notes (optional)", rows=3)
    # Step down or close
    closure_reason = forms.ChoiceField(
        label="Why is the episode closing?",
        required=False,
        widget=forms.RadioSelect,
        choices=[
            choice
            for choice in ClosureReason.choices
            if choice[0] not in (ClosureReason.STEPPED_UP, ClosureReason.STEPPED_DOWN)
        ],
        help_text="Only when closing: a step down is its own reason",
    )
    closure_summary = _text("Summary of the help and where it has left things", rows=4)
    outcomes_achieved = forms.ChoiceField(
        label="Were the outcomes achieved?",
        required=False,
        widget=forms.RadioSelect(attrs={"class": "govuk-radios--inline"}),
        choices=OutcomesAchieved.choices,
    )

    MEETING = ("held_on", "attendees", "other_attendees", "summary")
    VIEWS = ("child_views", "family_views")
    CONTINUE = ("new_plan_version", "next_review_on")
    STEP_UP = ("to_level", "receiving_team", "decision_reason", "evidence", "handover_notes")
    CLOSE = ("closure_reason", "closure_summary", "outcomes_achieved")

    def __init__(self, *args, outcomes, members, default_next_review, **kwargs):
        super().__init__(*args, **kwargs)
        self.outcomes = list(outcomes)
        self.fields["attendees"].queryset = members
        self.fields["attendees"].label_from_instance = _member_label
        self.fields["to_level"].queryset = statutory_levels()
        self.fields["receiving_team"].queryset = social_care_teams()
        self.fields[
            "next_review_on"
        ].help_text = (
            f"Leave blank for {default_next_review:%-d %B %Y}: the usual time after the review"
        )
        self.initial.setdefault("held_on", timezone.localdate())
        for outcome in self.outcomes:
            short = outcome.description[:60]
            key = f"progress-{outcome.uuid}"
            self.fields[f"{key}-rag"] = forms.ChoiceField(
                label="How is it going?",
                choices=Rag.choices,
                widget=forms.RadioSelect,
                error_messages={"required": f"{short}: choose red, amber or green"},
            )
            self.fields[f"{key}-score"] = forms.TypedChoiceField(
                label="Scaling score now, from 0 to 10",
                choices=SCORES,
                coerce=int,
                help_text=f"At the start it was {outcome.baseline}; "
                f"the target is {outcome.target}.",
                widget=forms.RadioSelect(attrs={"class": "govuk-radios--inline"}),
                error_messages={"required": f"{short}: enter a scaling score from 0 to 10"},
            )
            self.fields[f"{key}-comment"] = _text("Comment (optional)", rows=2)

    def fields_named(self, names):
        return [self[name] for name in names]

    def meeting_fields(self):
        return self.fields_named(self.MEETING)

    def view_fields(self):
        return self.fields_named(self.VIEWS)

    def continue_fields(self):
        return self.fields_named(self.CONTINUE)

    def step_up_fields(self):
        return self.fields_named(self.STEP_UP)

    def close_fields(self):
        return self.fields_named(self.CLOSE)

    def progress_rows(self):
        """(outcome, rag, score, comment) bound fields, one row per outcome."""
        return [
            (
                outcome,
                self[f"progress-{outcome.uuid}-rag"],
                self[f"progress-{outcome.uuid}-score"],
                self[f"progress-{outcome.uuid}-comment"],
            )
            for outcome in self.outcomes
        ]

    def progress(self):
        from assessments.reviews.services import Progress

        data = self.cleaned_data
        return [
            Progress(
                outcome=str(outcome.uuid),
                rag=data.get(f"progress-{outcome.uuid}-rag") or "",
                score=data.get(f"progress-{outcome.uuid}-score"),
                comment=data.get(f"progress-{outcome.uuid}-comment") or "",
            )
            for outcome in self.outcomes
        ]

    def add_service_errors(self, error):
        """The service's messages on their fields: progress on an outcome's RAG field."""
        for key, messages in error.message_dict.items():
            target = key if key in self.fields else None
            if key.startswith("progress-") and f"{key}-rag" in self.fields:
                target = f"{key}-rag"
            for message in messages:
                self.add_error(target, message)


def _member_label(member):
    agency = member.agency or (member.user.agency if member.user_id else None)
    parts = [member.name, member.role]
    if agency is not None and agency.name != member.name:
        parts.append(agency.name)
    return ", ".join(filter(None, parts))
