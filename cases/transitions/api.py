"""The step up / step down API (DESIGN section 4: "never do nothing").

- `GET /api/transitions/` (filters `direction`, `status`, `waiting=me`: those waiting for
  the user to approve or accept), `GET /api/transitions/{uuid}/`.
- `POST /api/transitions/step-down/`: social care asks early help to take a family on
  (a step up is asked for on its episode: `POST /api/episodes/{uuid}/step-up/`).
- `POST {uuid}/approve/`, `{uuid}/decline/` (managers over the sending team),
  `{uuid}/accept/`, `{uuid}/reject/` (managers over the receiving team).
- `GET /api/level-history/` (filters `family`, `episode`): every change of level of the
  families the user may see, with its cause (and the transition behind it);
  `GET /api/level-history/{id}/`: one of them.
"""

import django_filters
from django.db.models import Q
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers, status
from rest_framework.decorators import action

from accounts.api import UserRefSerializer
from cases.episodes.serializers import FamilyRefSerializer, TransitionSerializer
from cases.models import Episode, Family
from cases.transitions import services as transitions
from cases.transitions.models import REASON_MESSAGE, Direction, Transition, TransitionStatus
from cases.transitions.selectors import TRANSITION_RELATED, transitions_for
from earlyhelp import access
from earlyhelp.api import VisibleRecordField, VisibleRecordFilter, status_filter
from earlyhelp.api_actions import service_action
from earlyhelp.api_fields import optional_text, team_field
from earlyhelp.viewsets import AuditedCaseViewSet
from thresholds.models import LevelChange
from thresholds.serializers import LevelRefSerializer, level_field


class TransitionFilter(django_filters.FilterSet):
    direction = django_filters.ChoiceFilter(
        choices=Direction.choices,
        error_messages={"invalid_choice": "Choose up or down"},
    )
    status = status_filter(TransitionStatus.choices)
    waiting = django_filters.ChoiceFilter(
        choices=[("me", "Me")],
        method="waiting_for",
        label="Waiting for me to approve or accept",
    )

    class Meta:
        model = Transition
        fields = ["direction", "status", "waiting"]

    def waiting_for(self, queryset, name, value):
        teams = access.managing_team_ids(self.request.user)
        return queryset.filter(
            Q(status=TransitionStatus.REQUESTED, sending_team__in=teams)
            | Q(status=TransitionStatus.APPROVED, receiving_team__in=teams)
        )


class StepDownSerializer(serializers.Serializer):
    family = VisibleRecordField(queryset=Family.objects.all())
    from_level = level_field("Choose a level of the current threshold framework")
    to_level = level_field("Choose a level of the current threshold framework")
    sending_team = team_field("Choose one of your own teams")
    receiving_team = team_field("Choose an early help team in a locality")
    reason = serializers.CharField(
        error_messages={"blank": REASON_MESSAGE, "required": REASON_MESSAGE}
    )
    evidence = optional_text()
    handover_notes = optional_text()


class TransitionReasonSerializer(serializers.Serializer):
    reason = optional_text()


class AcceptSerializer(serializers.Serializer):
    notes = optional_text()


@extend_schema_view(
    list=extend_schema(summary="Step ups and step downs of families the user may see"),
    retrieve=extend_schema(summary="A step up or step down"),
)
class TransitionViewSet(AuditedCaseViewSet):
    """Each action answers with the transition as it now is."""

    detail_serializer_class = TransitionSerializer
    filterset_class = TransitionFilter

    def detail_queryset(self):
        return transitions_for(self.request.user)

    def detail_object(self, transition):
        # The user has just acted on it.
        return Transition.objects.select_related(*TRANSITION_RELATED).get(pk=transition.pk)

    @extend_schema(
        summary="Ask early help to take on a family known to children's social care",
        description="A manager over the sending team approves it, which opens an episode "
        "awaiting allocation, first on the locality's next agenda; allocating it (or the "
        "receiving team accepting) takes it on.",
        request=StepDownSerializer,
        responses={201: TransitionSerializer},
    )
    @action(detail=False, methods=["post"], url_path="step-down", filter_backends=[])
    def step_down(self, request):
        body = self.parse_body(StepDownSerializer)
        transition = transitions.step_down_request(by=request.user, **body)
        return self.detail_response(transition, status.HTTP_201_CREATED)

    @service_action("Approve (a manager over the sending team)")
    def approve(self, request, transition):
        return transitions.transition_approve(by=request.user, transition=transition)

    @service_action("Decline (a manager over the sending team)", body=TransitionReasonSerializer)
    def decline(self, request, transition, **body):
        return transitions.transition_decline(by=request.user, transition=transition, **body)

    @service_action(
        "Accept: the receiving team takes it on (a manager over the receiving team)",
        body=AcceptSerializer,
        description="Accepting a step up closes the early help episode.",
    )
    def accept(self, request, transition, **body):
        return transitions.transition_accept(by=request.user, transition=transition, **body)

    @service_action(
        "Do not accept: the sending side keeps it (a manager over the receiving team)",
        body=TransitionReasonSerializer,
    )
    def reject(self, request, transition, **body):
        return transitions.transition_reject(by=request.user, transition=transition, **body)


# Level history


class LevelChangeSerializer(serializers.ModelSerializer):
    family = FamilyRefSerializer(read_only=True)
    episode = serializers.SlugRelatedField(slug_field="uuid", read_only=True, allow_null=True)
    from_level = LevelRefSerializer(read_only=True, allow_null=True)
    to_level = LevelRefSerializer(
        read_only=True, allow_null=True, help_text="Empty when help ended"
    )
    transition = serializers.SlugRelatedField(slug_field="uuid", read_only=True, allow_null=True)
    changed_by = UserRefSerializer(read_only=True, allow_null=True)

    class Meta:
        model = LevelChange
        fields = [
            "id",
            "family",
            "episode",
            "from_level",
            "to_level",
            "cause",
            "transition",
            "reason",
            "changed_by",
            "changed_at",
        ]


class LevelChangeFilter(django_filters.FilterSet):
    family = VisibleRecordFilter(model=Family)
    episode = VisibleRecordFilter(model=Episode)

    class Meta:
        model = LevelChange
        fields = ["family", "episode"]


@extend_schema_view(
    list=extend_schema(
        summary="Level history: every change of level of families the user may see, oldest first"
    ),
    retrieve=extend_schema(summary="One change of level of a family the user may see"),
)
class LevelHistoryViewSet(AuditedCaseViewSet):
    # A change of level has no UUID: it is a line of the family's history.
    lookup_field = "pk"
    detail_serializer_class = LevelChangeSerializer
    filterset_class = LevelChangeFilter

    def detail_queryset(self):
        return (
            access.visible(self.request.user, LevelChange.objects.all())
            .select_related(
                "family", "episode", "from_level", "to_level", "transition", "changed_by"
            )
            .order_by("family_id", "changed_at", "id")
        )
