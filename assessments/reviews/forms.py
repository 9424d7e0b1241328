"""The GOV.UK form of a TAF review. It parses what was typed; `assessments.reviews.services`
checks it against the plan and the episode."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from assessments.models import Rag, ReviewDecision
from assessments.plans.forms import SCORES
from assessments.reviews import services
from cases.models import ClosureReason, OutcomesAchieved, TafMember
from cases.transitions.forms import LevelChoiceField
from cases.transitions.selectors import social_care_teams, statutory_levels
from earlyhelp.forms import GovUKDateField, GovUKMessagesMixin, radios, text_area


class ReviewForm(GovUKMessagesMixin, forms.Form):
    """A TAF review: the meeting, progress on each outcome (fields named by the outcome's
    uuid), the views, and the decision with what each decision needs. Which of the
    decision's fields are needed depends on the decision, so only those always optional
    say so."""

    mark_optional_fields = False

    held_on = GovUKDateField(
        label="Date of the review",
        help_text="For example, 27 3 2026",
        error_messages={"required": services.HELD_ON_MESSAGE},
    )
    attendees = forms.ModelMultipleChoiceField(
        queryset=TafMember.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Who from the Team Around the Family came? (optional)",
    )
    other_attendees = text_area(
        "Anyone else who came (optional)",
        rows=3,
        required=False,
        help_text="The family, and others, one to a line",
    )
    summary = text_area(
        "What has changed since the last review? (optional)", rows=4, required=False
    )
    # Progress fields are added per outcome here.
    child_views = text_area(
        "The child's views",
        required_message=services.CHILD_VIEWS_MESSAGE,
    )
    family_views = text_area("The family's views", required_message=services.FAMILY_VIEWS_MESSAGE)
    decision = radios(
        "What did the review decide?",
        ReviewDecision.choices,
        required_message=services.DECISION_MESSAGE,
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
    decision_reason = text_area("Why does the family need a step up?", rows=4, required=False)
    evidence = text_area("Evidence (optional)", rows=3, required=False)
    handover_notes = text_area("Handover notes (optional)", rows=3, required=False)
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
    closure_summary = text_area(
        "Summary of the help and where it has left things", rows=4, required=False
    )
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
            self.fields[f"{key}-comment"] = text_area("Comment (optional)", rows=2, required=False)

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
        data = self.cleaned_data
        return [
            services.Progress(
                outcome=str(outcome.uuid),
                rag=data.get(f"progress-{outcome.uuid}-rag") or "",
                score=data.get(f"progress-{outcome.uuid}-score"),
                comment=data.get(f"progress-{outcome.uuid}-comment") or "",
            )
            for outcome in self.outcomes
        ]

    def errors_on_fields(self, error):
        """The service's messages by this form's fields: progress on an outcome goes on its
        RAG field."""
        return ValidationError(
            {
                f"{key}-rag"
                if key.startswith("progress-") and f"{key}-rag" in self.fields
                else key: messages
                for key, messages in error.message_dict.items()
            }
        )


def _member_label(member):
    agency = member.agency or (member.user.agency if member.user_id else None)
    parts = [member.name, member.role]
    if agency is not None and agency.name != member.name:
        parts.append(agency.name)
    return ", ".join(filter(None, parts))
