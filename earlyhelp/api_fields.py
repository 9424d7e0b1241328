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


def optional_record(queryset, message, **kwargs):
    """A record named by UUID that a body may leave out or send as null."""
    return UUIDRecordField(
        queryset=queryset,
        message=message,
        required=False,
        allow_null=True,
        default=None,
        **kwargs,
    )


def optional_record_uuid(help_text):
    """Another record this one may not have (an earlier version, what started it), shown as
    its UUID, or null."""
    return serializers.SlugRelatedField(
        slug_field="uuid", read_only=True, allow_null=True, help_text=help_text
    )


def team_field(message, **kwargs):
    return UUIDRecordField(queryset=Team.objects.all(), message=message, **kwargs)


def choices_help(choices):
    """A field's help text listing the values it takes."""
    return "One of: " + ", ".join(value for value, _ in choices)


def choice_text(choices, **kwargs):
    """A read-only choice sent as its value. Not an enum in the schema: several records
    have a `status`, each with its own choices, and the schema names enums by field."""
    return serializers.CharField(read_only=True, help_text=choices_help(choices), **kwargs)


def optional_text(**kwargs):
    """Text a body may leave out or send blank; the service says when it is needed."""
    return serializers.CharField(required=False, allow_blank=True, default="", **kwargs)


def score_field(what):
    """A 0-10 scaling score, which may be left out (the service says when it is needed)."""
    message = f"Enter {what} as a whole number from 0 to 10"
    return serializers.IntegerField(
        required=False,
        allow_null=True,
        default=None,
        help_text="0 to 10",
        error_messages={"invalid": message, "max_string_length": message},
    )


class ErrorBodySerializer(serializers.Serializer):
    # For the schema: the one error format (`earlyhelp.api`), for answers that add to it.
    # No docstring: the schema would give it to every subclass that has none.
    status = serializers.IntegerField()
    code = serializers.CharField()
    message = serializers.CharField()


class InvalidBodySerializer(ErrorBodySerializer):
    # The one error format with messages by field (a 400, or a 409 that names a field).
    errors = serializers.DictField(child=serializers.ListField(child=serializers.CharField()))


class TeamNameSerializer(serializers.ModelSerializer):
    class Meta:
        model = Team
        fields = ["uuid", "name"]
