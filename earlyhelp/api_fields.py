"""Fields and small serializers every domain's API shares."""

from rest_framework import serializers

from accounts.models import Team, User
from earlyhelp.api import UUIDRecordField


def active_users():
    return User.objects.filter(is_active=True)


def user_field(message, **kwargs):
    """A user of the service named by UUID. Lead professionals and TAF members come from
    any agency, so any active user may be named; the services check who fits."""
    return UUIDRecordField(queryset=active_users(), message=message, **kwargs)


def team_field(message, **kwargs):
    return UUIDRecordField(queryset=Team.objects.all(), message=message, **kwargs)


def choice_text(choices, **kwargs):
    """A read-only choice sent as its value. Not an enum in the schema: several records
    have a `status`, each with its own choices, and the schema names enums by field."""
    values = ", ".join(value for value, _ in choices)
    return serializers.CharField(read_only=True, help_text=f"One of: {values}", **kwargs)


class TeamNameSerializer(serializers.ModelSerializer):
    class Meta:
        model = Team
        fields = ["uuid", "name"]
