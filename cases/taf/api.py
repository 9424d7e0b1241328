"""The Team Around the Family API: `/api/taf-members/` (list, filter `episode` and
`current`; retrieve; create; `POST {uuid}/end/`). Membership opens the family's records to
the member, or to their agency's users, while it lasts (DESIGN section 7)."""

import django_filters
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response

from accounts.models import Agency
from audit.views import AuditedViewSetMixin
from cases.episodes import services as episodes
from cases.episodes.api import TafMemberSerializer, user_field
from cases.models import Episode, TafMember
from cases.models.episode import current_membership
from earlyhelp import access
from earlyhelp.api import UUIDRecordField, VisibleRecordField, VisibleRecordFilter
from earlyhelp.viewsets import CaseViewSet

# The Team Around the Family


class TafMemberCreateSerializer(serializers.Serializer):
    episode = VisibleRecordField(queryset=Episode.objects.all())
    role = serializers.CharField(
        error_messages={
            "blank": "Enter their role in the Team Around the Family",
            "required": "Enter their role in the Team Around the Family",
        }
    )
    user = user_field("Choose someone who uses the service", required=False, allow_null=True)
    agency = UUIDRecordField(
        queryset=Agency.objects.all(),
        message="Choose an agency from the list",
        required=False,
        allow_null=True,
    )
    contact_name = serializers.CharField(required=False, allow_blank=True, default="")
    contact_email = serializers.EmailField(required=False, allow_blank=True, default="")
    contact_phone = serializers.CharField(required=False, allow_blank=True, default="")
    started_on = serializers.DateField(required=False, allow_null=True)


class TafMemberEndSerializer(serializers.Serializer):
    ended_on = serializers.DateField(required=False, allow_null=True)


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
    create=extend_schema(
        summary="Add someone to the Team Around the Family (lead professional)",
        description="A user of the service, or an agency with a named contact: the "
        "membership opens the family's records to them (or to their agency's users).",
        request=TafMemberCreateSerializer,
        responses={201: TafMemberSerializer},
    ),
)
class TafMemberViewSet(
    AuditedViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    CaseViewSet,
):
    lookup_field = "uuid"
    serializer_class = TafMemberSerializer
    filterset_class = TafMemberFilter

    def get_queryset(self):
        return (
            access.visible(self.request.user, TafMember.objects.all())
            .select_related("episode", "user", "agency")
            .order_by("episode_id", "started_on", "id")
        )

    def create(self, request, *args, **kwargs):
        serializer = TafMemberCreateSerializer(
            data=request.data, context=self.get_serializer_context()
        )
        serializer.is_valid(raise_exception=True)
        member = episodes.taf_member_add(by=request.user, **serializer.validated_data)
        return Response(self.get_serializer(member).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="End a TAF membership (lead professional)",
        request=TafMemberEndSerializer,
        responses=TafMemberSerializer,
    )
    @action(detail=True, methods=["post"])
    def end(self, request, uuid=None):
        member = self.get_object()
        serializer = TafMemberEndSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        member = episodes.taf_member_end(
            by=request.user, member=member, **serializer.validated_data
        )
        return Response(self.get_serializer(member).data)
