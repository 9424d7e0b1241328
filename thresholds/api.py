"""The threshold framework API, read-only: /api/thresholds/, /current/ and /{uuid}/.

The framework is public information, so reads need no sign-in and no access-policy rule.
Only published versions are listed; drafts live in the admin. Writes happen through the
admin and the import command, both of which use the services.
"""

from django.http import Http404
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import AllowAny
from rest_framework.response import Response

from thresholds import selectors
from thresholds.models import Domain, Framework, Indicator, Level


class LevelSerializer(serializers.ModelSerializer):
    class Meta:
        model = Level
        fields = ["uuid", "rank", "name", "description", "colour", "statutory"]


class DomainSerializer(serializers.ModelSerializer):
    class Meta:
        model = Domain
        fields = ["uuid", "key", "name", "description"]


class IndicatorSerializer(serializers.ModelSerializer):
    level = serializers.IntegerField(source="level.rank", read_only=True)
    level_uuid = serializers.UUIDField(source="level.uuid", read_only=True)
    domain = serializers.CharField(source="domain.key", read_only=True)

    class Meta:
        model = Indicator
        fields = ["uuid", "text", "level", "level_uuid", "domain"]


class FrameworkSummarySerializer(serializers.ModelSerializer):
    status = serializers.CharField(read_only=True)

    class Meta:
        model = Framework
        fields = ["uuid", "version", "name", "status", "published_at"]


class FrameworkSerializer(FrameworkSummarySerializer):
    levels = LevelSerializer(many=True, read_only=True)
    domains = DomainSerializer(many=True, read_only=True)
    indicators = IndicatorSerializer(many=True, read_only=True)

    class Meta(FrameworkSummarySerializer.Meta):
        fields = [
            *FrameworkSummarySerializer.Meta.fields,
            "description",
            "levels",
            "domains",
            "indicators",
        ]


class FrameworkViewSet(viewsets.ReadOnlyModelViewSet):
    """Published versions of the thresholds of need, newest first."""

    permission_classes = [AllowAny]
    lookup_field = "uuid"

    def get_queryset(self):
        queryset = selectors.published_frameworks()
        if self.action == "list":
            return queryset
        return selectors.with_contents(queryset)

    def get_serializer_class(self):
        return FrameworkSummarySerializer if self.action == "list" else FrameworkSerializer

    @action(detail=False, methods=["get"])
    def current(self, request):
        """The current version, with its levels, domains and indicators."""
        framework = selectors.current_framework()
        if framework is None:
            raise Http404("No threshold framework has been published yet.")
        return Response(FrameworkSerializer(framework, context={"request": request}).data)
