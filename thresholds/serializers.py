"""How the threshold framework is shown in the API: its versions, levels, domains and
indicators, and a level as other records name it."""

from rest_framework import serializers

from earlyhelp.api import UUIDRecordField
from thresholds.models import Domain, Framework, Indicator, Level


def level_field(message, **kwargs):
    """A level of the current framework, named by UUID in a body."""
    return UUIDRecordField(
        queryset=Level.objects.filter(framework__is_current=True), message=message, **kwargs
    )


class LevelRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Level
        fields = ["uuid", "rank", "name", "statutory"]


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
