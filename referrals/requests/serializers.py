"""Serializers of requests for support as sent and as followed: what the requester sent,
its status and outcome (never the case it led to); triage officers also see who is
screening it and the decision."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from accounts.models import Agency, User
from cases.people.identifiers import clean_identifier, normalise_postcode, validate_postcode
from referrals.models import (
    PROFESSIONAL_REQUEST_FIELDS,
    Consent,
    ConsentCovers,
    Decision,
    PersonRole,
    PresentingNeed,
    RequestAttachment,
    RequestForSupport,
    RequestPerson,
    Urgency,
)
from referrals.requests.services import NO_PRESENTING_NEED, PERSON_FIELDS
from thresholds.serializers import LevelRefSerializer


class RequestPersonSerializer(serializers.ModelSerializer):
    role = serializers.ChoiceField(choices=PersonRole.choices)
    postcode = serializers.CharField(required=False, allow_blank=True, max_length=10)

    class Meta:
        model = RequestPerson
        fields = list(PERSON_FIELDS)

    def validate_postcode(self, value):
        return clean_identifier(value, normalise_postcode, validate_postcode)


class AttachmentSerializer(serializers.ModelSerializer):
    download = serializers.SerializerMethodField(help_text="Where to download the file")

    class Meta:
        model = RequestAttachment
        fields = ["id", "original_name", "size", "download"]

    def get_download(self, attachment) -> str:
        return f"/api/requests/{attachment.request.uuid}/attachments/{attachment.pk}/"


class AttachmentUploadSerializer(serializers.Serializer):
    file = serializers.FileField(help_text="A PDF, Word (DOCX), JPEG or PNG of at most 10 MB")


REQUEST_FIELDS = [
    "uuid",
    "reference",
    "source",
    "status",
    "outcome_summary",
    "withdrawn_reason",
    "received_at",
    "due_at",
    # Urgency is shown beside the dates it sets, ahead of the rest of what was sent.
    "urgency",
    *[field for field in PROFESSIONAL_REQUEST_FIELDS if field != "urgency"],
    "people",
]


class SentFieldsMixin(serializers.Serializer):
    """How a request's own fields are shown, wherever it is shown."""

    presenting_needs = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)
    requester_agency = serializers.SlugRelatedField(
        slug_field="uuid", read_only=True, allow_null=True
    )
    requester_email = serializers.EmailField(read_only=True, allow_blank=True)
    consent_covers = serializers.ChoiceField(
        choices=ConsentCovers.choices, read_only=True, allow_blank=True
    )


class RequestSerializer(SentFieldsMixin, serializers.ModelSerializer):
    """A request as sent, with its status and outcome (never the case it led to)."""

    people = RequestPersonSerializer(many=True, read_only=True)
    attachments = AttachmentSerializer(many=True, read_only=True)

    class Meta:
        model = RequestForSupport
        fields = [*REQUEST_FIELDS, "attachments"]
        read_only_fields = fields


class ActiveNeedField(serializers.SlugRelatedField):
    """A presenting need by its code, among those in use today."""

    def get_queryset(self):
        return PresentingNeed.objects.active()


class RequestCreateSerializer(serializers.ModelSerializer):
    """Create a request. People and presenting needs (codes) are nested; the service
    checks the rest (at least one child, consent, timescales)."""

    presenting_needs = ActiveNeedField(
        slug_field="code",
        many=True,
        queryset=PresentingNeed.objects.all(),
        help_text="Codes from the presenting needs list, e.g. neglect, housing",
    )
    requester_agency = serializers.SlugRelatedField(
        slug_field="uuid",
        required=False,
        allow_null=True,
        queryset=Agency.objects.all(),
    )
    people = RequestPersonSerializer(many=True)
    consent = serializers.ChoiceField(choices=Consent.choices)
    consent_covers = serializers.ChoiceField(
        choices=ConsentCovers.choices, required=False, allow_blank=True
    )
    urgency = serializers.ChoiceField(choices=Urgency.choices)

    class Meta:
        model = RequestForSupport
        fields = [
            *PROFESSIONAL_REQUEST_FIELDS,
            "people",
        ]
        extra_kwargs = {"requester_name": {"required": False}}

    def validate_presenting_needs(self, value):
        if not value:
            raise serializers.ValidationError(NO_PRESENTING_NEED)
        return value


class UserNameSerializer(serializers.ModelSerializer):
    class Meta:
        model = User
        fields = ["uuid", "full_name"]


class DecisionSummarySerializer(serializers.ModelSerializer):
    outcome_label = serializers.CharField(source="get_outcome_display", read_only=True)
    level = LevelRefSerializer(read_only=True)

    class Meta:
        model = Decision
        fields = ["uuid", "outcome", "outcome_label", "level", "decided_at"]


class TriageRequestSerializer(RequestSerializer):
    """A request as a triage officer sees it: who is screening it and what was decided."""

    assigned_to = UserNameSerializer(read_only=True, allow_null=True)
    decision = serializers.SerializerMethodField()

    class Meta(RequestSerializer.Meta):
        fields = [*RequestSerializer.Meta.fields, "assigned_to", "assigned_at", "decision"]
        read_only_fields = fields

    @extend_schema_field(DecisionSummarySerializer(allow_null=True))
    def get_decision(self, obj):
        decision = getattr(obj, "decision", None)
        return DecisionSummarySerializer(decision).data if decision is not None else None


TRIAGE_ONLY_FIELDS = ["assigned_to", "assigned_at", "decision"]


class RequestAsSeenSerializer(TriageRequestSerializer):
    """For the schema only: a request as the API answers it to whoever asks. Only triage
    officers get `assigned_to`, `assigned_at` and `decision`, so they are not required."""

    assigned_to = UserNameSerializer(required=False, allow_null=True)
    assigned_at = serializers.DateTimeField(required=False, allow_null=True)
    decision = DecisionSummarySerializer(required=False, allow_null=True)

    class Meta(TriageRequestSerializer.Meta):
        read_only_fields = [
            field
            for field in TriageRequestSerializer.Meta.fields
            if field not in TRIAGE_ONLY_FIELDS
        ]


class WithdrawSerializer(serializers.Serializer):
    withdrawn_reason = serializers.CharField(
        help_text="Why the request is withdrawn; the requester sees it"
    )
