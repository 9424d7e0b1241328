"""The episodes API: episodes and their lifecycle (DESIGN sections 4 and 5), and the Team
Around the Family (`/api/taf-members/`: list, filter `episode` and `current`; retrieve;
create; `POST {uuid}/end/`; membership opens the family's records to the member, or to
their agency's users, while it lasts). Allocation meetings are in `cases.meetings.api`, step
up / step down and level history in `cases.transitions.api`.

As in `cases.families.api`: reads are filtered by the access policy (404 for what the user may not
see) and audited; every change goes through `cases.families.services`, whose refusals answer 403
(not allowed) or 400 (not in this state, with the service's message). A record named by
UUID in a body that does not exist, or may not be used, is a 400 on that field.
"""

import django_filters
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import status

from accounts.filters import UUIDChoiceFilter
from accounts.models import Locality
from cases.episodes import services as episodes
from cases.episodes.selectors import EPISODE_RELATED, episodes_for, with_details
from cases.episodes.serializers import (
    AllocateSerializer,
    EpisodeDetailSerializer,
    EpisodeSerializer,
    LevelChangeRequestSerializer,
    ReasonSerializer,
    RequestClosureSerializer,
    StepUpSerializer,
    TafMemberCreateSerializer,
    TafMemberEndSerializer,
    TafMemberSerializer,
    TransitionSerializer,
)
from cases.models import (
    Episode,
    EpisodeStatus,
    Family,
    TafMember,
)
from cases.models.episode import current_membership
from cases.transitions import services as transitions
from cases.transitions.models import Transition
from cases.transitions.selectors import TRANSITION_RELATED
from earlyhelp import access
from earlyhelp.access import Permission
from earlyhelp.api import VisibleRecordFilter, status_filter
from earlyhelp.api_actions import service_action, service_create
from earlyhelp.viewsets import AuditedCaseViewSet

# Shared representations


# Episodes


class EpisodeFilter(django_filters.FilterSet):
    status = status_filter(EpisodeStatus.choices)
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


class EpisodeViewSet(AuditedCaseViewSet):
    """Each action answers with the episode as it now is."""

    list_serializer_class = EpisodeSerializer
    detail_serializer_class = EpisodeDetailSerializer
    filterset_class = EpisodeFilter

    def list_queryset(self):
        return episodes_for(self.request.user)

    def detail_queryset(self):
        # An action finds the episode without its details: it answers with detail_object.
        if self.action == "retrieve":
            return with_details(self.list_queryset())
        return self.list_queryset()

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


class TafMemberFilter(django_filters.FilterSet):
    episode = VisibleRecordFilter(model=Episode)
    current = django_filters.BooleanFilter(method="current_only", label="Current members only")

    class Meta:
        model = TafMember
        fields = ["episode", "current"]

    def current_only(self, queryset, name, value):
        current = current_membership()
        return queryset.filter(current) if value else queryset.exclude(current)


@extend_schema_view(
    list=extend_schema(summary="Team Around the Family members of episodes the user may see"),
    retrieve=extend_schema(summary="A TAF member"),
)
class TafMemberViewSet(AuditedCaseViewSet):
    detail_serializer_class = TafMemberSerializer
    filterset_class = TafMemberFilter

    def detail_queryset(self):
        return (
            access.visible(self.request.user, TafMember.objects.all())
            .select_related("episode", "user", "agency")
            .order_by("episode_id", "started_on", "id")
        )

    @service_create(
        "Add someone to the Team Around the Family (lead professional)",
        body=TafMemberCreateSerializer,
        description="A user of the service, or an agency with a named contact: the "
        "membership opens the family's records to them (or to their agency's users).",
    )
    def create(self, request, **body):
        return episodes.taf_member_add(by=request.user, **body)

    @service_action("End a TAF membership (lead professional)", body=TafMemberEndSerializer)
    def end(self, request, member, **body):
        return episodes.taf_member_end(by=request.user, member=member, **body)
