"""The episodes API: episodes and their lifecycle (DESIGN sections 4 and 5). The Team
Around the Family is in `cases.taf.api`, allocation meetings in `cases.meetings.api`, step
up / step down and level history in `cases.transitions.api`.

As in `cases.families.api`: reads are filtered by the access policy (404 for what the user may not
see) and audited; every change goes through `cases.families.services`, whose refusals answer 403
(not allowed) or 400 (not in this state, with the service's message). A record named by
UUID in a body that does not exist, or may not be used, is a 400 on that field.

The serializers of transitions live here too: an episode shows its step ups and downs, and
asking for a step up answers with the transition (`cases.transitions.api` has the rest).
"""

from contextlib import contextmanager

import django_filters
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Prefetch
from rest_framework import mixins, serializers, status

from accounts.api import AgencyRefSerializer, LocalityRefSerializer, UserRefSerializer
from accounts.filters import UUIDChoiceFilter
from accounts.models import Locality, Team, User
from audit.views import AuditedViewSetMixin
from cases.episodes import services as episodes
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
from cases.transitions import services as transitions
from earlyhelp import access
from earlyhelp.access import Permission
from earlyhelp.api import UUIDRecordField, VisibleRecordFilter
from earlyhelp.api_actions import ServiceActionMixin, service_action
from earlyhelp.viewsets import CaseViewSet
from referrals.requests.api import LevelRefSerializer
from thresholds.models import Level, Transition, TransitionStatus

# Helpers shared by the episode, meeting and transition APIs


@contextmanager
def fields_renamed(**renames):
    """Report a service's field errors under the names the API's body uses (the services
    name model fields: `flag_reason`, `response_reason`…)."""
    try:
        yield
    except DjangoValidationError as error:
        if not hasattr(error, "error_dict"):
            raise
        errors = {
            renames.get(field, field): messages for field, messages in error.message_dict.items()
        }
        raise DjangoValidationError(errors) from error


def active_users():
    return User.objects.filter(is_active=True)


def user_field(message, **kwargs):
    """A user of the service named by UUID. Lead professionals and TAF members come from
    any agency, so any active user may be named; the services check who fits."""
    return UUIDRecordField(queryset=active_users(), message=message, **kwargs)


def team_field(message, **kwargs):
    return UUIDRecordField(queryset=Team.objects.all(), message=message, **kwargs)


def level_field(message, **kwargs):
    return UUIDRecordField(
        queryset=Level.objects.filter(framework__is_current=True), message=message, **kwargs
    )


# Shared representations


def choice_text(choices, **kwargs):
    """A read-only choice sent as its value. Not an enum in the schema: several records
    have a `status`, each with its own choices, and the schema names enums by field."""
    values = ", ".join(value for value, _ in choices)
    return serializers.CharField(read_only=True, help_text=f"One of: {values}", **kwargs)


class TeamNameSerializer(serializers.ModelSerializer):
    class Meta:
        model = Team
        fields = ["uuid", "name"]


class FamilyRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Family
        fields = ["uuid", "name"]


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
    bounce_back_of = serializers.SlugRelatedField(
        slug_field="uuid",
        read_only=True,
        allow_null=True,
        help_text="The accepted step-down this step up follows within 12 months",
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


TRANSITION_RELATED = (
    "family",
    "episode",
    "from_level",
    "to_level",
    "sending_team",
    "receiving_team",
    "requested_by",
    "approved_by",
    "responded_by",
    "bounce_back_of",
)


def transitions_for(user):
    return access.visible(user, Transition.objects.all()).select_related(*TRANSITION_RELATED)


# Episodes


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


EPISODE_RELATED = ("family", "level", "locality", "team", "lead_professional")


def episodes_for(user):
    return access.visible(user, Episode.objects.all()).select_related(*EPISODE_RELATED)


def with_details(episodes_qs):
    return episodes_qs.select_related(
        "closure_requested_by", "closure_approved_by"
    ).prefetch_related(
        Prefetch(
            "lead_history",
            queryset=LeadProfessional.objects.select_related("user", "team", "assigned_by"),
        ),
        Prefetch(
            "status_changes", queryset=EpisodeStatusChange.objects.select_related("changed_by")
        ),
        Prefetch("taf_members", queryset=TafMember.objects.select_related("user", "agency")),
        Prefetch(
            "transitions",
            queryset=Transition.objects.select_related(
                "from_level", "to_level", "receiving_team", "bounce_back_of"
            ),
        ),
    )


class EpisodeFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(
        choices=EpisodeStatus.choices,
        error_messages={"invalid_choice": "Choose a status from the list"},
    )
    locality = UUIDChoiceFilter(
        queryset=Locality.objects.all(),
        error_messages={"invalid_choice": "Choose a locality from the list"},
    )
    family = VisibleRecordFilter(model=Family)
    level = django_filters.NumberFilter(field_name="level__rank", label="Level (its rank)")
    lead_professional = django_filters.ChoiceFilter(
        choices=[("me", "Me")], method="led_by", label="Led by (me)"
    )
    flagged = django_filters.BooleanFilter(
        field_name="flagged_for_discussion", label="Flagged for discussion"
    )

    class Meta:
        model = Episode
        fields = ["status", "locality", "family", "level", "lead_professional", "flagged"]

    def led_by(self, queryset, name, value):
        return queryset.filter(lead_professional=self.request.user)


class AllocateSerializer(serializers.Serializer):
    lead_professional = user_field("Choose a practitioner who uses the service")
    team = team_field("Choose the lead professional's team")
    reason = serializers.CharField(required=False, allow_blank=True, default="")


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, default="")


class LevelChangeRequestSerializer(serializers.Serializer):
    level = level_field("Choose a level of the current threshold framework")
    reason = serializers.CharField(required=False, allow_blank=True, default="")


class RequestClosureSerializer(serializers.Serializer):
    """Checked by the service, which names what is missing."""

    closure_reason = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        help_text="One of: " + ", ".join(ClosureReason.values),
    )
    closure_summary = serializers.CharField(required=False, allow_blank=True, default="")
    outcomes_achieved = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        help_text="One of: " + ", ".join(OutcomesAchieved.values),
    )
    family_feedback = serializers.CharField(required=False, allow_blank=True, default="")


class StepUpSerializer(serializers.Serializer):
    to_level = level_field("Choose a level of the current threshold framework")
    receiving_team = team_field("Choose a children's social care team")
    reason = serializers.CharField(error_messages={"blank": "Enter the reason"})
    evidence = serializers.CharField(required=False, allow_blank=True, default="")
    handover_notes = serializers.CharField(required=False, allow_blank=True, default="")


class EpisodeViewSet(
    AuditedViewSetMixin,
    ServiceActionMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    CaseViewSet,
):
    """Each action answers with the episode as it now is."""

    detail_serializer_class = EpisodeDetailSerializer

    lookup_field = "uuid"
    filterset_class = EpisodeFilter

    def get_queryset(self):
        episodes_qs = episodes_for(self.request.user)
        if self.action == "retrieve":
            return with_details(episodes_qs)
        return episodes_qs

    def get_serializer_class(self):
        if self.action == "list":
            return EpisodeSerializer
        return EpisodeDetailSerializer

    def detail_object(self, episode):
        # The user has just acted on it: shown even if it has now left their view (closed).
        return with_details(Episode.objects.select_related(*EPISODE_RELATED)).get(pk=episode.pk)

    @service_action(
        "Allocate a lead professional and team (managers)",
        body=AllocateSerializer,
        permission=Permission.MANAGE_EPISODE,
    )
    def allocate(self, request, episode, **body):
        return episodes.episode_allocate(by=request.user, episode=episode, **body)

    @service_action(
        "Change the lead professional, keeping the history (managers)",
        body=AllocateSerializer,
        permission=Permission.MANAGE_EPISODE,
    )
    def reallocate(self, request, episode, **body):
        return episodes.episode_reallocate(by=request.user, episode=episode, **body)

    @service_action("Start the assessment (lead professional)", url_path="start-assessment")
    def start_assessment(self, request, episode):
        return episodes.episode_start_assessment(by=request.user, episode=episode)

    @service_action("Flag for discussion at the next allocation meeting", body=ReasonSerializer)
    def flag(self, request, episode, **body):
        with fields_renamed(flag_reason="reason"):
            return episodes.episode_flag(by=request.user, episode=episode, **body)

    @service_action(
        "Change the level of need to another early help level (managers)",
        body=LevelChangeRequestSerializer,
        permission=Permission.MANAGE_EPISODE,
    )
    def level(self, request, episode, **body):
        return episodes.episode_change_level(by=request.user, episode=episode, **body)

    @service_action(
        "Ask to close the episode (lead professional)",
        body=RequestClosureSerializer,
        url_path="request-closure",
    )
    def request_closure(self, request, episode, **body):
        return episodes.episode_request_closure(
            by=request.user,
            episode=episode,
            reason=body["closure_reason"],
            summary=body["closure_summary"],
            outcomes_achieved=body["outcomes_achieved"],
            family_feedback=body["family_feedback"],
        )

    @service_action(
        "Approve the closure: the episode closes (managers)", url_path="approve-closure"
    )
    def approve_closure(self, request, episode):
        return episodes.episode_approve_closure(by=request.user, episode=episode)

    @service_action(
        "Decline the closure: back to where it was (managers)",
        body=ReasonSerializer,
        url_path="decline-closure",
    )
    def decline_closure(self, request, episode, **body):
        return episodes.episode_decline_closure(by=request.user, episode=episode, **body)

    @service_action("Reopen a recently closed episode (managers)", body=ReasonSerializer)
    def reopen(self, request, episode, **body):
        return episodes.episode_reopen(by=request.user, episode=episode, **body)

    @service_action(
        "Ask for a step up to children's social care",
        body=StepUpSerializer,
        respond=TransitionSerializer,
        status_code=status.HTTP_201_CREATED,
        permission=Permission.WORK_ON_EPISODE,
        description="A manager over the sending team approves it; social care then accepts "
        "it, which closes the episode. Until then the episode stays with its lead professional.",
        url_path="step-up",
    )
    def step_up(self, request, episode, **body):
        transition = transitions.step_up_request(by=request.user, episode=episode, **body)
        return Transition.objects.select_related(*TRANSITION_RELATED).get(pk=transition.pk)
