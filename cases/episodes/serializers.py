"""The episode API's serializers: episodes, their lead professionals, status history, the
Team Around the Family, and transitions (an episode shows its step ups and downs, and
asking for a step up answers with the transition)."""

from rest_framework import serializers

from accounts.api import AgencyRefSerializer, LocalityRefSerializer, UserRefSerializer
from accounts.models import Agency
from cases.models import (
    ClosureReason,
    Episode,
    EpisodeStatus,
    EpisodeStatusChange,
    Family,
    LeadProfessional,
    OutcomesAchieved,
    TafMember,
)
from cases.models.episode import TAF_ROLE_MESSAGE
from cases.transitions import services as transitions
from cases.transitions.models import REASON_MESSAGE, Transition, TransitionStatus
from earlyhelp.api import UUIDRecordField, VisibleRecordField
from earlyhelp.api_fields import (
    TeamNameSerializer,
    choice_text,
    choices_help,
    optional_record_uuid,
    optional_text,
    team_field,
    user_field,
)
from thresholds.serializers import LevelRefSerializer, level_field


class FamilyRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Family
        fields = ["uuid", "name"]


class EpisodeWorkSerializer(serializers.ModelSerializer):
    # The base of an episode's work (assessments, plans, reviews): shown with the episode
    # and its family. No docstring: the schema would give it to the serializers below.
    episode = serializers.SlugRelatedField(slug_field="uuid", read_only=True)
    family = FamilyRefSerializer(source="episode.family", read_only=True)


class TransitionSerializer(serializers.ModelSerializer):
    """A step up or step down, with when the receiving team should have accepted it."""

    family = FamilyRefSerializer(read_only=True)
    episode = serializers.SlugRelatedField(slug_field="uuid", read_only=True, allow_null=True)
    status = choice_text(TransitionStatus.choices)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    from_level = LevelRefSerializer(read_only=True)
    to_level = LevelRefSerializer(read_only=True)
    sending_team = TeamNameSerializer(read_only=True)
    receiving_team = TeamNameSerializer(read_only=True)
    requested_by = UserRefSerializer(read_only=True)
    approved_by = UserRefSerializer(read_only=True, allow_null=True)
    responded_by = UserRefSerializer(read_only=True, allow_null=True)
    bounce_back_of = optional_record_uuid(
        "The accepted step-down this step up follows within 12 months"
    )
    acceptance_due_at = serializers.SerializerMethodField()
    is_waiting_too_long = serializers.SerializerMethodField()

    class Meta:
        model = Transition
        fields = [
            "uuid",
            "direction",
            "status",
            "status_display",
            "family",
            "episode",
            "from_level",
            "to_level",
            "reason",
            "evidence",
            "handover_notes",
            "sending_team",
            "receiving_team",
            "requested_by",
            "requested_at",
            "approved_by",
            "approved_at",
            "responded_by",
            "responded_at",
            "response_reason",
            "bounce_back_of",
            "acceptance_due_at",
            "is_waiting_too_long",
        ]

    def get_acceptance_due_at(self, transition) -> str | None:
        due = transitions.acceptance_due_at(transition)
        return serializers.DateTimeField().to_representation(due) if due else None

    def get_is_waiting_too_long(self, transition) -> bool:
        return transitions.is_waiting_too_long(transition)


class EpisodeSerializer(serializers.ModelSerializer):
    family = FamilyRefSerializer(read_only=True)
    status = choice_text(EpisodeStatus.choices)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    level = LevelRefSerializer(read_only=True)
    locality = LocalityRefSerializer(read_only=True)
    team = TeamNameSerializer(read_only=True, allow_null=True)
    lead_professional = UserRefSerializer(read_only=True, allow_null=True)

    class Meta:
        model = Episode
        fields = [
            "uuid",
            "family",
            "status",
            "status_display",
            "level",
            "locality",
            "team",
            "lead_professional",
            "opened_at",
            "allocated_at",
            "closed_at",
            "priority",
            "flagged_for_discussion",
            "flag_reason",
        ]


class LeadHistorySerializer(serializers.ModelSerializer):
    user = UserRefSerializer(read_only=True)
    team = TeamNameSerializer(read_only=True)
    assigned_by = UserRefSerializer(read_only=True, allow_null=True)

    class Meta:
        model = LeadProfessional
        fields = ["user", "team", "started_at", "ended_at", "assigned_by", "reason"]


class StatusChangeSerializer(serializers.ModelSerializer):
    from_status = choice_text(EpisodeStatus.choices)
    to_status = choice_text(EpisodeStatus.choices)
    changed_by = UserRefSerializer(read_only=True, allow_null=True)

    class Meta:
        model = EpisodeStatusChange
        fields = ["from_status", "to_status", "changed_by", "changed_at", "reason"]


class TafMemberSerializer(serializers.ModelSerializer):
    episode = serializers.SlugRelatedField(slug_field="uuid", read_only=True)
    user = UserRefSerializer(read_only=True, allow_null=True)
    agency = AgencyRefSerializer(read_only=True, allow_null=True)
    name = serializers.CharField(read_only=True)
    is_current = serializers.BooleanField(read_only=True)

    class Meta:
        model = TafMember
        fields = [
            "uuid",
            "episode",
            "name",
            "user",
            "agency",
            "contact_name",
            "contact_email",
            "contact_phone",
            "role",
            "started_on",
            "ended_on",
            "is_current",
        ]


class TransitionSummarySerializer(serializers.ModelSerializer):
    status = choice_text(TransitionStatus.choices)
    from_level = LevelRefSerializer(read_only=True)
    to_level = LevelRefSerializer(read_only=True)
    receiving_team = TeamNameSerializer(read_only=True)
    bounce_back_of = serializers.SlugRelatedField(
        slug_field="uuid", read_only=True, allow_null=True
    )

    class Meta:
        model = Transition
        fields = [
            "uuid",
            "direction",
            "status",
            "from_level",
            "to_level",
            "receiving_team",
            "requested_at",
            "responded_at",
            "bounce_back_of",
        ]


class EpisodeDetailSerializer(EpisodeSerializer):
    closure_requested_by = UserRefSerializer(read_only=True, allow_null=True)
    closure_approved_by = UserRefSerializer(read_only=True, allow_null=True)
    lead_history = LeadHistorySerializer(many=True, read_only=True)
    status_history = StatusChangeSerializer(source="status_changes", many=True, read_only=True)
    taf_members = TafMemberSerializer(many=True, read_only=True)
    transitions = TransitionSummarySerializer(many=True, read_only=True)

    class Meta(EpisodeSerializer.Meta):
        fields = [
            *EpisodeSerializer.Meta.fields,
            "closure_reason",
            "closure_summary",
            "outcomes_achieved",
            "family_feedback",
            "closure_requested_by",
            "closure_requested_at",
            "closure_approved_by",
            "lead_history",
            "status_history",
            "taf_members",
            "transitions",
        ]


class AllocateSerializer(serializers.Serializer):
    lead_professional = user_field("Choose a practitioner who uses the service")
    team = team_field("Choose the lead professional's team")
    reason = optional_text()


class ReasonSerializer(serializers.Serializer):
    reason = optional_text()


class LevelChangeRequestSerializer(serializers.Serializer):
    level = level_field("Choose a level of the current threshold framework")
    reason = optional_text()


class RequestClosureSerializer(serializers.Serializer):
    """Checked by the service, which names what is missing."""

    closure_reason = optional_text(
        help_text=choices_help(ClosureReason.choices),
    )
    closure_summary = optional_text()
    outcomes_achieved = optional_text(
        help_text=choices_help(OutcomesAchieved.choices),
    )
    family_feedback = optional_text()


class StepUpSerializer(serializers.Serializer):
    to_level = level_field("Choose a level of the current threshold framework")
    receiving_team = team_field("Choose a children's social care team")
    reason = serializers.CharField(error_messages={"blank": REASON_MESSAGE})
    evidence = optional_text()
    handover_notes = optional_text()


class TafMemberCreateSerializer(serializers.Serializer):
    episode = VisibleRecordField(queryset=Episode.objects.all())
    role = serializers.CharField(
        error_messages={"blank": TAF_ROLE_MESSAGE, "required": TAF_ROLE_MESSAGE}
    )
    user = user_field("Choose someone who uses the service", required=False, allow_null=True)
    agency = UUIDRecordField(
        queryset=Agency.objects.all(),
        message="Choose an agency from the list",
        required=False,
        allow_null=True,
    )
    contact_name = optional_text()
    contact_email = serializers.EmailField(required=False, allow_blank=True, default="")
    contact_phone = optional_text()
    started_on = serializers.DateField(required=False, allow_null=True)


class TafMemberEndSerializer(serializers.Serializer):
    ended_on = serializers.DateField(required=False, allow_null=True)
