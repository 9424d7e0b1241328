"""The directory API: /api/me/, agencies, localities, teams and people.

Reads go through the same selectors as the pages; writes (system administrators only)
through the same services as the admin.
"""

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers
from rest_framework.decorators import action
from rest_framework.generics import RetrieveAPIView
from rest_framework.permissions import BasePermission
from rest_framework.response import Response

from accounts import selectors, services
from accounts.filters import AgencyFilter, LocalityFilter, TeamFilter, UserFilter
from accounts.models import Agency, Locality, Team, User
from audit.services import record_view
from audit.views import AuditedViewSetMixin
from earlyhelp import access
from earlyhelp.viewsets import RecordViewSet, ServiceCreateMixin, ServiceUpdateMixin


class UsesService(BasePermission):
    message = "Your account has no role yet. Ask your system administrator."

    def has_permission(self, request, view):
        return access.can(request.user, access.Permission.USE_SERVICE)


class ConfiguresForWrites(UsesService):
    """Reads for every user of the service; writes for system administrators."""

    message = "Only system administrators can configure the directory."

    def has_permission(self, request, view):
        if request.method in ("GET", "HEAD", "OPTIONS"):
            return super().has_permission(request, view)
        return access.can(request.user, access.Permission.CONFIGURE)


class AgencyRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Agency
        fields = ["uuid", "name", "agency_type"]


class LocalityRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Locality
        fields = ["uuid", "name", "code"]


class UserRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = User
        fields = ["uuid", "full_name", "job_title", "email"]


class TeamRefSerializer(serializers.ModelSerializer):
    agency = AgencyRefSerializer(read_only=True)
    locality = LocalityRefSerializer(read_only=True, allow_null=True)

    class Meta:
        model = Team
        fields = ["uuid", "name", "agency", "locality"]


class AgencySerializer(serializers.ModelSerializer):
    team_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Agency
        fields = ["uuid", "name", "agency_type", "email", "phone", "archived_on", "team_count"]
        read_only_fields = ["uuid", "archived_on", "team_count"]


class LocalitySerializer(serializers.ModelSerializer):
    team_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Locality
        fields = ["uuid", "name", "code", "archived_on", "team_count"]
        read_only_fields = ["uuid", "archived_on", "team_count"]


class TeamSerializer(serializers.ModelSerializer):
    agency = serializers.SlugRelatedField(slug_field="uuid", queryset=Agency.objects.current())
    agency_name = serializers.CharField(source="agency.name", read_only=True)
    locality = serializers.SlugRelatedField(
        slug_field="uuid", queryset=Locality.objects.current(), allow_null=True, required=False
    )
    locality_name = serializers.CharField(
        source="locality.name", read_only=True, default=None, allow_null=True
    )
    # Membership is written here but read from /members/, where the policy decides who sees it.
    managers = serializers.SlugRelatedField(
        slug_field="uuid", queryset=User.objects.all(), many=True, required=False, write_only=True
    )
    members = serializers.SlugRelatedField(
        slug_field="uuid", queryset=User.objects.all(), many=True, required=False, write_only=True
    )

    class Meta:
        model = Team
        fields = [
            "uuid",
            "name",
            "agency",
            "agency_name",
            "locality",
            "locality_name",
            "email",
            "phone",
            "archived_on",
            "managers",
            "members",
        ]
        read_only_fields = ["uuid", "archived_on"]


class TeamMembershipSerializer(serializers.Serializer):
    """Who belongs to a team; only for users the policy lets see the membership."""

    managers = UserRefSerializer(many=True, read_only=True)
    members = UserRefSerializer(many=True, read_only=True)


class UserSerializer(serializers.ModelSerializer):
    agency = AgencyRefSerializer(read_only=True)

    class Meta:
        model = User
        fields = ["uuid", "full_name", "email", "job_title", "phone", "agency", "is_active"]


class MeSerializer(serializers.ModelSerializer):
    agency = AgencyRefSerializer(read_only=True)
    teams = TeamRefSerializer(many=True, read_only=True)
    managed_teams = TeamRefSerializer(many=True, read_only=True)
    roles = serializers.SerializerMethodField()
    permissions = serializers.SerializerMethodField()

    class Meta:
        model = User
        fields = [
            "uuid",
            "full_name",
            "email",
            "job_title",
            "phone",
            "agency",
            "teams",
            "managed_teams",
            "roles",
            "permissions",
        ]

    def get_roles(self, user) -> list[str]:
        return sorted(group.name for group in user.groups.all())

    def get_permissions(self, user) -> list[str]:
        return [
            permission.value
            for permission in (access.Permission.USE_SERVICE, access.Permission.CONFIGURE)
            if access.can(user, permission)
        ]


class MeView(RetrieveAPIView):
    """The signed-in user: agency, teams, roles and what they may do."""

    serializer_class = MeSerializer
    permission_classes = [UsesService]

    def get_object(self):
        me = selectors.me(self.request.user)
        record_view(actor=self.request.user, obj=me)
        return me


class _DirectoryViewSet(
    AuditedViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    ServiceCreateMixin,
    ServiceUpdateMixin,
    RecordViewSet,
):
    permission_classes = [ConfiguresForWrites]
    selector = None

    def detail_queryset(self):
        return self.selector(self.request.user)

    def detail_object(self, instance):
        """The record as the selector reads it (with its counts), to answer a change."""
        return self.detail_queryset().get(pk=instance.pk)

    def perform_create(self, serializer):
        super().perform_create(serializer)
        serializer.instance = self.detail_object(serializer.instance)

    def perform_update(self, serializer):
        super().perform_update(serializer)
        serializer.instance = self.detail_object(serializer.instance)

    @extend_schema(request=None)
    @action(detail=True, methods=["post"])
    def archive(self, request, uuid=None):
        """Archive the record: it stays in history but is no longer offered."""
        instance = services.record_archive(by=request.user, instance=self.get_object())
        return self.detail_response(instance)


class AgencyViewSet(_DirectoryViewSet):
    detail_serializer_class = AgencySerializer
    filterset_class = AgencyFilter
    selector = staticmethod(selectors.agencies_for)
    create_service = update_service = staticmethod(services.agency_save)


class LocalityViewSet(_DirectoryViewSet):
    detail_serializer_class = LocalitySerializer
    filterset_class = LocalityFilter
    selector = staticmethod(selectors.localities_for)
    create_service = update_service = staticmethod(services.locality_save)


class TeamViewSet(_DirectoryViewSet):
    detail_serializer_class = TeamSerializer
    filterset_class = TeamFilter
    selector = staticmethod(selectors.teams_for)
    create_service = update_service = staticmethod(services.team_save)

    @extend_schema(responses=TeamMembershipSerializer)
    @action(detail=True, methods=["get"])
    def members(self, request, uuid=None):
        """The team's managers and members, if the policy lets this user see them (else 403)."""
        team = access.get_for_change(
            request.user,
            selectors.team_detail_for(request.user),
            access.Permission.VIEW_TEAM_MEMBERS,
            uuid=uuid,
        )
        record_view(actor=request.user, obj=team)
        return Response(TeamMembershipSerializer(team).data)


class UserViewSet(
    AuditedViewSetMixin, mixins.RetrieveModelMixin, mixins.ListModelMixin, RecordViewSet
):
    """Colleagues the policy lets this user see. Accounts are managed in the admin."""

    detail_serializer_class = UserSerializer
    filterset_class = UserFilter
    permission_classes = [UsesService]

    def detail_queryset(self):
        return selectors.users_for(self.request.user)
