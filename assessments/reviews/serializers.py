"""TAF reviews in the API: how a review is shown, the body that records one, and the filter
of their list.

The body only parses: the review service checks what was sent and names every problem at
once; `review_errors` puts its answer in the shape of the body.
"""

import django_filters
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from accounts.api import UserRefSerializer
from assessments.models import Plan, Rag, Review, ReviewDecision, ReviewProgress
from assessments.plans.serializers import TafMemberRefSerializer
from assessments.reviews.services import ATTENDEES_MESSAGE
from cases.episodes.serializers import EpisodeWorkSerializer
from cases.models import ClosureReason, Episode, OutcomesAchieved, TafMember
from earlyhelp.api import VisibleRecordField, VisibleRecordFilter
from earlyhelp.api_fields import (
    choice_text,
    choices_help,
    optional_record_uuid,
    optional_text,
    score_field,
    team_field,
)
from thresholds.serializers import level_field

# Representations


class ReviewProgressSerializer(serializers.ModelSerializer):
    outcome = serializers.UUIDField(source="outcome.uuid", read_only=True)
    outcome_description = serializers.CharField(source="outcome.description", read_only=True)
    rag = choice_text(Rag.choices)
    rag_display = serializers.CharField(source="get_rag_display", read_only=True)
    baseline = serializers.IntegerField(source="outcome.baseline", read_only=True)
    target = serializers.IntegerField(source="outcome.target", read_only=True)

    class Meta:
        model = ReviewProgress
        fields = [
            "outcome",
            "outcome_description",
            "rag",
            "rag_display",
            "score",
            "comment",
            "baseline",
            "target",
        ]


class ReviewSerializer(EpisodeWorkSerializer):
    plan = serializers.SlugRelatedField(slug_field="uuid", read_only=True)
    plan_version = serializers.IntegerField(source="plan.version", read_only=True)
    attendees = TafMemberRefSerializer(many=True, read_only=True)
    progress = ReviewProgressSerializer(many=True, read_only=True)
    decision = choice_text(ReviewDecision.choices)
    decision_display = serializers.CharField(source="get_decision_display", read_only=True)
    held_on_time = serializers.BooleanField(read_only=True)
    transition = optional_record_uuid("The step up the review asked for")
    new_plan = serializers.SerializerMethodField(
        help_text="The new version of the plan the review started, if any"
    )
    created_by = UserRefSerializer(read_only=True, allow_null=True)

    class Meta:
        model = Review
        fields = [
            "uuid",
            "episode",
            "family",
            "plan",
            "plan_version",
            "held_on",
            "due_on",
            "held_on_time",
            "attendees",
            "other_attendees",
            "child_views",
            "family_views",
            "summary",
            "progress",
            "decision",
            "decision_display",
            "decision_reason",
            "next_review_on",
            "transition",
            "new_plan",
            "created_by",
            "created_at",
        ]

    @extend_schema_field(serializers.UUIDField(allow_null=True))
    def get_new_plan(self, review):
        started = review.plans_started.all()
        return str(started[0].uuid) if started else None


# Bodies


class ProgressSerializer(serializers.Serializer):
    outcome = serializers.UUIDField(
        help_text="An outcome of the plan",
        error_messages={"invalid": "Choose an outcome of the plan"},
    )
    rag = optional_text(help_text=choices_help(Rag.choices))
    score = score_field("the scaling score")
    comment = optional_text()


class StepUpBodySerializer(serializers.Serializer):
    to_level = level_field(
        "Choose a level of the current threshold framework",
        required=False,
        allow_null=True,
        default=None,
    )
    receiving_team = team_field(
        "Choose a children's social care team", required=False, allow_null=True, default=None
    )
    evidence = optional_text()
    handover_notes = optional_text()


class ClosureBodySerializer(serializers.Serializer):
    reason = optional_text(help_text=choices_help(ClosureReason.choices))
    summary = optional_text()
    outcomes_achieved = optional_text(help_text=choices_help(OutcomesAchieved.choices))
    family_feedback = optional_text(help_text="The family's views are used if left blank")


class ReviewCreateSerializer(serializers.Serializer):
    """Checked by the service, which names every problem at once."""

    plan = VisibleRecordField(
        queryset=Plan.objects.all(), error_messages={"does_not_exist": "Choose a plan"}
    )
    held_on = serializers.DateField(required=False, allow_null=True, default=None)
    attendees = VisibleRecordField(
        queryset=TafMember.objects.all(),
        many=True,
        required=False,
        default=list,
        error_messages={"does_not_exist": ATTENDEES_MESSAGE},
        help_text="TAF members who came (UUIDs)",
    )
    other_attendees = optional_text()
    child_views = optional_text()
    family_views = optional_text()
    summary = optional_text()
    progress = ProgressSerializer(
        many=True, required=False, default=list, help_text="One for every outcome of the plan"
    )
    decision = optional_text(help_text=choices_help(ReviewDecision.choices))
    decision_reason = optional_text()
    next_review_on = serializers.DateField(
        required=False, allow_null=True, default=None, help_text="A cadence on if left out"
    )
    new_plan_version = serializers.BooleanField(
        required=False, default=False, help_text="Start a new version of the plan (continue)"
    )
    step_up = StepUpBodySerializer(required=False, allow_null=True, default=None)
    closure = ClosureBodySerializer(required=False, allow_null=True, default=None)


# The service names fields as the review page does; the API's body nests some of them.
REVIEW_NESTED_FIELDS = {
    "to_level": ("step_up", "to_level"),
    "receiving_team": ("step_up", "receiving_team"),
    "closure_reason": ("closure", "reason"),
    "closure_summary": ("closure", "summary"),
    "outcomes_achieved": ("closure", "outcomes_achieved"),
}
PROGRESS_PREFIX = "progress-"


def review_errors(message_dict):
    """The service's field errors in the shape of the body: `step_up` and `closure` nested,
    progress by outcome UUID under `progress`."""
    errors = {}
    for field, messages in message_dict.items():
        if field in REVIEW_NESTED_FIELDS:
            outer, inner = REVIEW_NESTED_FIELDS[field]
            errors.setdefault(outer, {})[inner] = messages
        elif field.startswith(PROGRESS_PREFIX):
            errors.setdefault("progress", {})[field.removeprefix(PROGRESS_PREFIX)] = messages
        elif field == "progress":
            errors.setdefault("progress", {})["non_field_errors"] = messages
        elif field == "__all__":
            errors["non_field_errors"] = messages
        else:
            errors[field] = messages
    return errors


class ReviewFilter(django_filters.FilterSet):
    episode = VisibleRecordFilter(model=Episode)
    plan = VisibleRecordFilter(model=Plan)

    class Meta:
        model = Review
        fields = ["episode", "plan"]
