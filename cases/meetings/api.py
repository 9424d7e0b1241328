"""The allocation meetings API (DESIGN section 5, step 3): schedule a locality's meeting
(its agenda builds itself), record attendance, decide each agenda item, complete the
minutes.

- `/api/meetings/`: list, retrieve (with attendees and agenda items), create (schedule);
  `POST {uuid}/build-agenda/`, `POST {uuid}/attendees/`,
  `DELETE {uuid}/attendees/{id}/` (or `POST {uuid}/attendees/{id}/remove/`),
  `POST {uuid}/minutes/`.
- `/api/agenda-items/`: list (filter `meeting`), retrieve, `POST {uuid}/decide/`.

Meetings are seen by the locality's managers, the chair and the attendees; the agenda
items shown are those whose family the user may see (the access policy), so a meeting
never names a family to someone who may not know of it. What the meeting said about a
family is on its agenda item (decision notes, discussion); the general minutes are free
text, so `minutes` is null for anyone but the chair and the locality's managers.
"""

import django_filters
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    extend_schema,
    extend_schema_field,
    extend_schema_view,
)
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response

from accounts.api import LocalityRefSerializer, UserRefSerializer
from accounts.filters import UUIDChoiceFilter
from accounts.models import Agency, Locality
from cases.episodes.serializers import EpisodeSerializer
from cases.meetings import services as meetings
from cases.models import AgendaItem, AllocationMeeting, Attendance, ItemDecision, MeetingAttendee
from earlyhelp import access
from earlyhelp.api import UUIDRecordField, VisibleRecordFilter
from earlyhelp.api_actions import service_action, service_create
from earlyhelp.api_fields import (
    TeamNameSerializer,
    choices_help,
    optional_text,
    team_field,
    user_field,
)
from earlyhelp.viewsets import AuditedCaseViewSet
from thresholds.serializers import level_field


class AttendeeSerializer(serializers.ModelSerializer):
    user = UserRefSerializer(read_only=True, allow_null=True)
    name = serializers.CharField(source="display_name", read_only=True)
    agency = serializers.CharField(source="agency_name", read_only=True)

    class Meta:
        model = MeetingAttendee
        fields = ["id", "user", "name", "agency", "attendance"]


class AgendaItemSerializer(serializers.ModelSerializer):
    meeting = serializers.SlugRelatedField(slug_field="uuid", read_only=True)
    episode = EpisodeSerializer(read_only=True)
    decision_display = serializers.CharField(source="get_decision_display", read_only=True)
    lead_professional = UserRefSerializer(read_only=True, allow_null=True)
    team = TeamNameSerializer(read_only=True, allow_null=True)
    decided_by = UserRefSerializer(read_only=True, allow_null=True)

    class Meta:
        model = AgendaItem
        fields = [
            "uuid",
            "meeting",
            "position",
            "episode",
            "reason",
            "note",
            "decision",
            "decision_display",
            "lead_professional",
            "team",
            "referred_to",
            "decision_notes",
            "discussion",
            "decided_by",
            "decided_at",
        ]


class MeetingSerializer(serializers.ModelSerializer):
    locality = LocalityRefSerializer(read_only=True)
    chair = UserRefSerializer(read_only=True)
    is_held = serializers.BooleanField(read_only=True)

    class Meta:
        model = AllocationMeeting
        fields = ["uuid", "locality", "starts_at", "chair", "venue", "is_held", "held_at"]


class MeetingDetailSerializer(MeetingSerializer):
    minutes = serializers.SerializerMethodField(
        help_text="The general minutes (business other than the families on the agenda): "
        "null unless the user chairs the meeting or manages its locality. What was said "
        "about a family is on its agenda item."
    )
    attendees = AttendeeSerializer(many=True, read_only=True)
    agenda_items = AgendaItemSerializer(
        many=True,
        read_only=True,
        help_text="Only the items whose family the user may see, each with its decision, "
        "notes and minute of the discussion",
    )

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_minutes(self, meeting) -> str | None:
        request = self.context.get("request")
        user = getattr(request, "user", None)
        if access.can(user, access.Permission.VIEW_MEETING_MINUTES, meeting):
            return meeting.minutes
        return None

    class Meta(MeetingSerializer.Meta):
        fields = [*MeetingSerializer.Meta.fields, "minutes", "attendees", "agenda_items"]


class ScheduleSerializer(serializers.Serializer):
    locality = UUIDRecordField(
        queryset=Locality.objects.all(), message="Choose a locality from the list"
    )
    starts_at = serializers.DateTimeField(
        error_messages={"required": "Enter the date and time of the meeting"}
    )
    chair = user_field(meetings.CHAIR_MESSAGE)
    venue = optional_text()


class AttendeeCreateSerializer(serializers.Serializer):
    user = user_field("Choose someone who uses the service", required=False, allow_null=True)
    name = optional_text()
    agency = UUIDRecordField(
        queryset=Agency.objects.all(),
        message="Choose an agency from the list",
        required=False,
        allow_null=True,
    )
    attendance = serializers.CharField(
        required=False, default=Attendance.PRESENT, help_text="present or apologies"
    )


class MinutesSerializer(serializers.Serializer):
    minutes = optional_text()
    complete = serializers.BooleanField(
        required=False,
        default=False,
        help_text="Complete the minutes: the meeting is held and no longer changes",
    )


class DecideSerializer(serializers.Serializer):
    decision = serializers.CharField(help_text=choices_help(ItemDecision.choices))
    notes = optional_text()
    discussion = optional_text(
        help_text="The minute of what was said about this family: kept on the item, read "
        "only by those who may see the family (never put family matters in the general "
        "minutes)",
    )
    lead_professional = user_field(
        "Choose a practitioner who uses the service", required=False, allow_null=True
    )
    team = team_field("Choose the lead professional's team", required=False, allow_null=True)
    referred_to = optional_text()
    receiving_team = team_field(
        "Choose a children's social care team", required=False, allow_null=True
    )
    to_level = level_field(
        "Choose a level of the current threshold framework", required=False, allow_null=True
    )


def agenda_items_for(user):
    return (
        access.visible(user, AgendaItem.objects.all())
        .select_related(
            "meeting",
            "episode__family",
            "episode__level",
            "episode__locality",
            "episode__team",
            "episode__lead_professional",
            "lead_professional",
            "team",
            "decided_by",
        )
        .order_by("meeting_id", "position", "id")
    )


def with_agenda(meetings_qs, user):
    return meetings_qs.select_related("locality", "chair").prefetch_related(
        Prefetch(
            "attendees",
            queryset=MeetingAttendee.objects.select_related("user", "user__agency", "agency"),
        ),
        Prefetch("agenda_items", queryset=agenda_items_for(user)),
    )


class MeetingFilter(django_filters.FilterSet):
    locality = UUIDChoiceFilter(
        queryset=Locality.objects.all(),
        error_messages={"invalid_choice": "Choose a locality from the list"},
    )
    held = django_filters.BooleanFilter(
        field_name="held_at", lookup_expr="isnull", exclude=True, label="Minutes completed"
    )

    class Meta:
        model = AllocationMeeting
        fields = ["locality", "held"]


ATTENDEE_PARAMETER = OpenApiParameter(
    "attendee_id", OpenApiTypes.INT, OpenApiParameter.PATH, description="The attendee's id"
)


@extend_schema_view(
    list=extend_schema(summary="Allocation meetings the user may see, newest first"),
    retrieve=extend_schema(summary="A meeting, with its attendees and agenda"),
)
class MeetingViewSet(AuditedCaseViewSet):
    """Each change answers with the meeting as it now is (adding an attendee, with the
    attendee)."""

    list_serializer_class = MeetingSerializer
    detail_serializer_class = MeetingDetailSerializer
    filterset_class = MeetingFilter

    def list_queryset(self):
        meetings_qs = access.visible(self.request.user, AllocationMeeting.objects.all())
        return meetings_qs.select_related("locality", "chair")

    def detail_queryset(self):
        # An action finds the meeting without its agenda: it answers with detail_object.
        if self.action == "retrieve":
            return with_agenda(self.list_queryset(), self.request.user)
        return self.list_queryset()

    def detail_object(self, meeting):
        # The user has just changed it as one who runs it.
        return with_agenda(AllocationMeeting.objects.all(), self.request.user).get(pk=meeting.pk)

    @service_create(
        "Schedule a locality's allocation meeting; its agenda builds itself",
        body=ScheduleSerializer,
    )
    def create(self, request, **body):
        return meetings.meeting_schedule(by=request.user, **body)

    @service_action(
        "Add to the agenda what has come up since it was built", url_path="build-agenda"
    )
    def build_agenda(self, request, meeting):
        meetings.meeting_build_agenda(by=request.user, meeting=meeting)

    @service_action(
        "Record someone as present or sending apologies",
        body=AttendeeCreateSerializer,
        respond=AttendeeSerializer,
        status_code=status.HTTP_201_CREATED,
    )
    def attendees(self, request, meeting, **body):
        return meetings.meeting_attendee_add(by=request.user, meeting=meeting, **body)

    def _remove_attendee(self, request, attendee_id):
        meeting = self.get_object()
        attendee = get_object_or_404(
            MeetingAttendee.objects.select_related("meeting", "user"),
            meeting=meeting,
            pk=attendee_id,
        )
        meetings.meeting_attendee_remove(by=request.user, attendee=attendee)
        return self.detail_response(meeting)

    @extend_schema(
        summary="Remove an attendee listed in error",
        parameters=[ATTENDEE_PARAMETER],
        request=None,
        responses=MeetingDetailSerializer,
    )
    @action(
        detail=True,
        methods=["delete"],
        url_path=r"attendees/(?P<attendee_id>[0-9]+)",
        url_name="attendee",
    )
    def remove_attendee(self, request, uuid=None, attendee_id=None):
        return self._remove_attendee(request, attendee_id)

    @extend_schema(
        summary="Remove an attendee listed in error (for clients that cannot send DELETE)",
        parameters=[ATTENDEE_PARAMETER],
        request=None,
        responses=MeetingDetailSerializer,
    )
    @action(
        detail=True,
        methods=["post"],
        url_path=r"attendees/(?P<attendee_id>[0-9]+)/remove",
        url_name="attendee-remove",
    )
    def remove_attendee_post(self, request, uuid=None, attendee_id=None):
        return self._remove_attendee(request, attendee_id)

    @service_action(
        "Save the minutes; completing them holds the meeting",
        body=MinutesSerializer,
        description="Completing needs every agenda item decided (or deferred).",
    )
    def minutes(self, request, meeting, **body):
        return meetings.meeting_record_minutes(by=request.user, meeting=meeting, **body)


class AgendaItemFilter(django_filters.FilterSet):
    meeting = VisibleRecordFilter(model=AllocationMeeting)

    class Meta:
        model = AgendaItem
        fields = ["meeting"]


@extend_schema_view(
    list=extend_schema(summary="Agenda items of families the user may see"),
    retrieve=extend_schema(summary="An agenda item"),
)
class AgendaItemViewSet(AuditedCaseViewSet):
    detail_serializer_class = AgendaItemSerializer
    filterset_class = AgendaItemFilter

    def detail_queryset(self):
        return agenda_items_for(self.request.user)

    @extend_schema(
        summary="The meeting's decision on the item, carried out at once",
        description="allocate (lead_professional and team), refer (referred_to; closes "
        "the episode), step_up (receiving_team and to_level; approved by the meeting, "
        "waiting for social care to accept), nfa (closes it) or defer. refer, nfa and "
        "step_up need notes.",
        request=DecideSerializer,
        responses=AgendaItemSerializer,
    )
    @action(detail=True, methods=["post"])
    def decide(self, request, uuid=None):
        item = self.get_object()
        access.require(request.user, access.Permission.RUN_MEETING, item.meeting)
        serializer = DecideSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        item = meetings.agenda_item_decide(by=request.user, item=item, **serializer.validated_data)
        item = agenda_items_for(request.user).filter(pk=item.pk).first() or item
        return Response(self.get_serializer(item).data)
