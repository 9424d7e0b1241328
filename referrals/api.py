"""The requests-for-support API: professionals create requests and follow their own.

Reads come through the access policy (`selectors`) and are audited; creation goes through
`services.request_submit`, so the rules are the same as on the pages.

Attachments are not sent in JSON: upload them on the page (`/requests/new/`). A multipart
upload endpoint is left for a later issue.
"""

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.permissions import BasePermission
from rest_framework.response import Response

from accounts.models import Agency
from audit.views import AuditedViewSetMixin
from cases.identifiers import normalise_postcode, validate_postcode
from earlyhelp import access

from . import selectors, services
from .models import (
    PROFESSIONAL_REQUEST_FIELDS,
    Consent,
    ConsentCovers,
    PersonRole,
    PresentingNeed,
    RequestAttachment,
    RequestForSupport,
    RequestPerson,
    Source,
    Urgency,
)


class MaySubmitRequests(BasePermission):
    message = "Requests for support are made by practitioners."

    def has_permission(self, request, view):
        return access.can(request.user, access.Permission.SUBMIT_REQUEST)


class RequestPersonSerializer(serializers.ModelSerializer):
    role = serializers.ChoiceField(choices=PersonRole.choices)
    postcode = serializers.CharField(required=False, allow_blank=True, max_length=10)

    class Meta:
        model = RequestPerson
        fields = [
            "role",
            "given_name",
            "family_name",
            "date_of_birth",
            "address_line_1",
            "town",
            "postcode",
            "school_or_setting",
        ]

    def validate_postcode(self, value):
        value = normalise_postcode(value)
        if value:
            validate_postcode(value)
        return value


class AttachmentSerializer(serializers.ModelSerializer):
    class Meta:
        model = RequestAttachment
        fields = ["original_name", "size"]


REQUEST_FIELDS = [
    "uuid",
    "reference",
    "source",
    "status",
    "outcome_summary",
    "received_at",
    "due_at",
    "urgency",
    "requester_name",
    "requester_role",
    "requester_agency",
    "requester_agency_name",
    "requester_email",
    "requester_phone",
    "presenting_needs",
    "concerns",
    "what_has_been_tried",
    "consent",
    "consent_given_by",
    "consent_covers",
    "consent_given_on",
    "consent_not_given_reason",
    "people",
]


class RequestSerializer(serializers.ModelSerializer):
    """A request as sent, with its status and outcome (never the case it led to)."""

    presenting_needs = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)
    requester_agency = serializers.SlugRelatedField(slug_field="uuid", read_only=True)
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
            raise serializers.ValidationError("Choose at least one presenting need")
        return value


@extend_schema_view(
    list=extend_schema(summary="Your requests for support (triage officers: those to screen)"),
    retrieve=extend_schema(summary="A request for support: what was sent, status and outcome"),
    create=extend_schema(
        summary="Submit a request for support",
        request=RequestCreateSerializer,
        responses={201: RequestSerializer},
        description="Attachments cannot be sent here: add them on the page.",
    ),
)
class RequestViewSet(
    AuditedViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    permission_classes = [MaySubmitRequests]
    lookup_field = "uuid"
    filter_backends = []

    def get_queryset(self):
        return selectors.request_detail_for(self.request.user)

    def get_serializer_class(self):
        if self.action == "create":
            return RequestCreateSerializer
        return RequestSerializer

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        user = request.user
        data.setdefault("requester_name", user.full_name)
        if not data.get("requester_agency") and not data.get("requester_agency_name"):
            data["requester_agency"] = user.agency
        if not data.get("requester_email"):
            data["requester_email"] = user.email
        created = services.request_submit(
            by=user,
            source=Source.PROFESSIONAL,
            people=data.pop("people"),
            presenting_needs=data.pop("presenting_needs"),
            **data,
        )
        instance = self.get_queryset().get(pk=created.pk)
        return Response(RequestSerializer(instance).data, status=status.HTTP_201_CREATED)
