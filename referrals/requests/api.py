"""The requests-for-support API: professionals create requests and follow their own;
triage officers work the queue, screen and decide.

Reads come through the access policy (`selectors`) and are audited; every change goes
through `services` (request_submit, request_claim, screening_*, request_decide), so the
rules are the same as on the pages. A requester sees what they sent, its status and the
outcome summary, never the family, episode or indicators it led to.

Screening endpoints are for triage officers (403 for anyone else); a request they cannot
see is a 404. Records named in a body by UUID that do not exist (or may not be used) are
a 400 on that field.

Files are not sent in the JSON that creates a request: add them afterwards, one per
multipart POST to `/api/requests/{uuid}/attachments/`, and download them from
`/api/requests/{uuid}/attachments/{id}/`.
"""

import uuid as uuid_lib

from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, prefetch_related_objects
from django.http import Http404
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    extend_schema,
    extend_schema_field,
    extend_schema_view,
)
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import MultiPartParser
from rest_framework.permissions import BasePermission
from rest_framework.response import Response

from accounts.api import AgencyRefSerializer, LocalityRefSerializer
from accounts.models import Agency, Locality, Role, Team, User
from audit.services import record_list, record_refused, record_view
from audit.views import AuditedViewSetMixin
from cases.families import services as case_services
from cases.families.api import (
    PossibleDuplicatesSerializer,
    SearchResultSerializer,
    VisibleRecordField,
)
from cases.models import Family, Person
from cases.people import search
from cases.people.identifiers import normalise_postcode, validate_postcode
from earlyhelp import access, working_days
from earlyhelp.api import UUIDRecordField
from referrals.models import (
    CHILD_ROLES,
    PROFESSIONAL_REQUEST_FIELDS,
    Consent,
    ConsentCovers,
    Decision,
    Outcome,
    PersonRole,
    PresentingNeed,
    RequestAttachment,
    RequestForSupport,
    RequestPerson,
    ScreeningCheck,
    Source,
    Urgency,
)
from referrals.requests import selectors, services
from referrals.requests.downloads import attachment_response
from referrals.requests.filters import TriageQueueFilter
from thresholds.api import IndicatorSerializer, LevelSerializer
from thresholds.models import Indicator, Level


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
    requester_agency = serializers.SlugRelatedField(
        slug_field="uuid", read_only=True, allow_null=True
    )
    requester_email = serializers.EmailField(read_only=True, allow_blank=True)
    consent_covers = serializers.ChoiceField(
        choices=ConsentCovers.choices, read_only=True, allow_blank=True
    )
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


class ScreensRequests(BasePermission):
    message = "Only triage officers screen requests for support."

    def has_permission(self, request, view):
        return access.has_role(request.user, Role.TRIAGE_OFFICER)


# Fields


@extend_schema_field(OpenApiTypes.INT)
class RequestPersonChoiceField(serializers.PrimaryKeyRelatedField):
    """Someone on this request (its id in the screening answer)."""

    default_error_messages = {
        "does_not_exist": "Choose someone on this request",
        "incorrect_type": "Choose someone on this request",
    }

    def get_queryset(self):
        return RequestPerson.objects.filter(request=self.context["request_for_support"])


# Shared pieces


class UserNameSerializer(serializers.ModelSerializer):
    class Meta:
        model = User
        fields = ["uuid", "full_name"]


class LevelRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Level
        fields = ["uuid", "rank", "name", "statutory"]


class IndicatorRefSerializer(serializers.ModelSerializer):
    level = serializers.IntegerField(source="level.rank", read_only=True)
    level_uuid = serializers.UUIDField(source="level.uuid", read_only=True)

    class Meta:
        model = Indicator
        fields = ["uuid", "text", "level", "level_uuid"]


class RagMixin(serializers.Serializer):
    """Where a request stands against its due moment (working_days.rag_status)."""

    rag = serializers.SerializerMethodField(help_text="Overdue, Due today, Due soon or On time")
    rag_colour = serializers.SerializerMethodField()
    is_overdue = serializers.SerializerMethodField()

    def _rag(self, obj):
        now = self.context.setdefault("now", timezone.now())
        return working_days.rag_status(obj.due_at, now)

    def get_rag(self, obj) -> str:
        return self._rag(obj).label

    def get_rag_colour(self, obj) -> str:
        return self._rag(obj).colour

    def get_is_overdue(self, obj) -> bool:
        return self._rag(obj) == working_days.RagStatus.OVERDUE


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


# The triage queue


class TriageQueueItemSerializer(RagMixin, serializers.ModelSerializer):
    assigned_to = UserNameSerializer(read_only=True, allow_null=True)
    locality = LocalityRefSerializer(read_only=True, allow_null=True)
    is_re_referral = serializers.BooleanField(read_only=True)
    children = serializers.SerializerMethodField(help_text="Names of the children on the request")

    class Meta:
        model = RequestForSupport
        fields = [
            "uuid",
            "reference",
            "source",
            "status",
            "urgency",
            "received_at",
            "due_at",
            "rag",
            "rag_colour",
            "is_overdue",
            "is_re_referral",
            "assigned_to",
            "assigned_at",
            "locality",
            "children",
        ]
        read_only_fields = fields

    def get_children(self, obj) -> list[str]:
        return [person.full_name for person in obj.people.all() if person.role in CHILD_ROLES]


@extend_schema_view(
    list=extend_schema(
        summary="The triage queue: open requests in the order they fall due (triage officers)",
        description="`locality` filters by locality id, or `none` for not known yet; "
        "`assigned` is `me` or `unassigned`.",
    )
)
class TriageQueueViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """List only, so not AuditedViewSetMixin (whose retrieve would add a detail route):
    the page sent is recorded as a list, with the filters used."""

    permission_classes = [ScreensRequests]
    serializer_class = TriageQueueItemSerializer
    filterset_class = TriageQueueFilter

    def get_queryset(self):
        return selectors.triage_queue_for(self.request.user)

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        record_list(
            actor=self.request.user,
            model=RequestForSupport,
            objects=page if page is not None else queryset,
            filters=self.request.query_params.dict(),
        )
        return page


# Screening


class ScreeningPersonSerializer(serializers.ModelSerializer):
    matched_person = serializers.SlugRelatedField(
        slug_field="uuid", read_only=True, allow_null=True
    )
    matched_person_name = serializers.CharField(
        source="matched_person.full_name", read_only=True, allow_null=True, default=None
    )

    class Meta:
        model = RequestPerson
        fields = [
            "id",
            "role",
            "given_name",
            "family_name",
            "date_of_birth",
            "address_line_1",
            "town",
            "postcode",
            "school_or_setting",
            "matched_person",
            "matched_person_name",
        ]
        read_only_fields = fields


class CheckSerializer(serializers.ModelSerializer):
    agency = AgencyRefSerializer(read_only=True, allow_null=True)
    agency_label = serializers.CharField(read_only=True)
    is_answered = serializers.BooleanField(read_only=True)

    class Meta:
        model = ScreeningCheck
        fields = [
            "uuid",
            "agency",
            "agency_name",
            "agency_label",
            "question",
            "asked_at",
            "answer",
            "answered_at",
            "is_answered",
        ]
        read_only_fields = fields


class CheckCreateSerializer(serializers.Serializer):
    agency = UUIDRecordField(
        queryset=Agency.objects.all(),
        required=False,
        allow_null=True,
        message="Choose an agency from the list, or enter its name",
    )
    agency_name = serializers.CharField(required=False, allow_blank=True, max_length=200)
    question = serializers.CharField(required=False, allow_blank=True, default="")
    asked_at = serializers.DateTimeField(required=False)
    answer = serializers.CharField(required=False, allow_blank=True)
    answered_at = serializers.DateTimeField(required=False, allow_null=True)


class CheckAnswerSerializer(serializers.Serializer):
    answer = serializers.CharField(allow_blank=True)
    answered_at = serializers.DateTimeField(required=False, allow_null=True)


class KnownEpisodeSerializer(serializers.Serializer):
    uuid = serializers.UUIDField()
    family = serializers.UUIDField(source="family.uuid")
    family_name = serializers.CharField(source="family.name")
    status = serializers.CharField()
    level = serializers.CharField(source="level.name", allow_null=True, default=None)
    locality = serializers.CharField(source="locality.name")
    team = serializers.CharField(source="team.name", allow_null=True, default=None)
    lead_professional = serializers.CharField(
        source="lead_professional.full_name", allow_null=True, default=None
    )
    opened_at = serializers.DateTimeField()
    closed_at = serializers.DateTimeField(allow_null=True)


class KnownRequestSerializer(serializers.Serializer):
    uuid = serializers.UUIDField()
    reference = serializers.CharField()
    received_at = serializers.DateTimeField()
    status = serializers.CharField()
    outcome = serializers.CharField(source="decision.outcome", allow_null=True, default=None)
    level = serializers.CharField(source="decision.level.name", allow_null=True, default=None)


class KnownToSerializer(serializers.Serializer):
    """The family's history at the front door (selectors.known_to)."""

    open_episodes = KnownEpisodeSerializer(many=True)
    past_episodes = KnownEpisodeSerializer(many=True)
    past_requests = KnownRequestSerializer(many=True)


class ScreeningSerializer(RagMixin, serializers.ModelSerializer):
    """Everything screening needs about one request."""

    presenting_needs = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)
    requester_agency = serializers.SlugRelatedField(
        slug_field="uuid", read_only=True, allow_null=True
    )
    requester_email = serializers.EmailField(read_only=True, allow_blank=True)
    consent_covers = serializers.ChoiceField(
        choices=ConsentCovers.choices, read_only=True, allow_blank=True
    )
    assigned_to = UserNameSerializer(read_only=True, allow_null=True)
    family = serializers.SlugRelatedField(slug_field="uuid", read_only=True, allow_null=True)
    family_name = serializers.CharField(
        source="family.name", read_only=True, allow_null=True, default=None
    )
    locality = LocalityRefSerializer(read_only=True, allow_null=True)
    is_re_referral = serializers.BooleanField(read_only=True)
    people = ScreeningPersonSerializer(many=True, read_only=True)
    checks = CheckSerializer(many=True, read_only=True)
    indicators = IndicatorSerializer(many=True, read_only=True)
    suggested_level = serializers.SerializerMethodField()
    known_to = serializers.SerializerMethodField()

    class Meta:
        model = RequestForSupport
        fields = [
            *[field for field in REQUEST_FIELDS if field != "people"],
            "rag",
            "rag_colour",
            "is_overdue",
            "is_re_referral",
            "assigned_to",
            "assigned_at",
            "family",
            "family_name",
            "locality",
            "people",
            "checks",
            "indicators",
            "suggested_level",
            "screening_notes",
            "known_to",
        ]
        read_only_fields = fields

    @extend_schema_field(LevelSerializer(allow_null=True))
    def get_suggested_level(self, obj):
        level = services.suggested_level(obj.indicators.all())
        return LevelSerializer(level).data if level is not None else None

    @extend_schema_field(KnownToSerializer)
    def get_known_to(self, obj):
        return KnownToSerializer(selectors.known_to(self.context["request"].user, obj)).data


class AssignSerializer(serializers.Serializer):
    assigned_to = UUIDRecordField(
        queryset=services.triage_officers(), message="Choose a triage officer"
    )


class MatchSerializer(serializers.Serializer):
    request_person = RequestPersonChoiceField(help_text="The id of someone on this request")
    person = UUIDRecordField(
        queryset=Person.objects.filter(merged_into__isnull=True),
        allow_null=True,
        message="Choose a person record found by `candidates/`",
        help_text="The UUID of the person record (from `candidates/`, including records you "
        "cannot open yet), or null to undo a match",
    )


class WithdrawSerializer(serializers.Serializer):
    withdrawn_reason = serializers.CharField(
        help_text="Why the request is withdrawn; the requester sees it"
    )


class CandidateSerializer(SearchResultSerializer):
    person_uuid = serializers.UUIDField(
        source="match.person.uuid",
        read_only=True,
        help_text="Send this to `match/`: a triage officer may match a record they cannot "
        "open yet, which then opens to them while the request is screened",
    )


class CandidatesSerializer(serializers.Serializer):
    """Records that may be someone on the request. `person` is null for a record the
    officer cannot open yet; `person_uuid` still lets them match it."""

    request_person = serializers.IntegerField(source="request_person.pk")
    name = serializers.CharField(source="request_person.full_name")
    candidates = CandidateSerializer(source="results", many=True)


class CreatePersonSerializer(serializers.Serializer):
    request_person = RequestPersonChoiceField(help_text="The id of someone on this request")
    owning_team = VisibleRecordField(
        queryset=Team.objects.current(),
        error_messages={"does_not_exist": "Choose one of your own teams"},
        help_text="The UUID of one of your teams: it will be responsible for the record",
    )
    confirmed_not_duplicate = serializers.BooleanField(
        default=False,
        help_text="Send true, after checking the matches a 409 answer listed, to create "
        "the record anyway",
    )


FAMILY_CHOICE = "Choose the household of someone matched on this request"


class LinkFamilySerializer(serializers.Serializer):
    family = UUIDRecordField(queryset=Family.objects.all(), message=FAMILY_CHOICE)


class CreateFamilySerializer(serializers.Serializer):
    name = serializers.CharField(max_length=200)
    owning_team = VisibleRecordField(
        queryset=Team.objects.current(),
        error_messages={"does_not_exist": "Choose one of your own teams"},
        help_text="The UUID of one of your teams: it will be responsible for the record",
    )


class ConsentSerializer(serializers.Serializer):
    consent = serializers.ChoiceField(choices=Consent.choices)
    consent_given_by = serializers.CharField(required=False, allow_blank=True, max_length=200)
    consent_covers = serializers.ChoiceField(
        choices=ConsentCovers.choices, required=False, allow_blank=True
    )
    consent_given_on = serializers.DateField(required=False, allow_null=True)
    consent_not_given_reason = serializers.CharField(required=False, allow_blank=True)


class NotesSerializer(serializers.Serializer):
    screening_notes = serializers.CharField(allow_blank=True)


class IndicatorsSerializer(serializers.Serializer):
    indicators = UUIDRecordField(
        queryset=Indicator.objects.select_related("level"),
        many=True,
        message="Choose indicators from the current threshold framework",
        help_text="UUIDs of indicators of the current framework; an empty list unticks all",
    )


class IndicatorsResultSerializer(serializers.Serializer):
    indicators = IndicatorRefSerializer(many=True)
    suggested_level = LevelSerializer(allow_null=True)


class DecisionCreateSerializer(serializers.Serializer):
    outcome = serializers.ChoiceField(choices=Outcome.choices)
    level = UUIDRecordField(
        queryset=Level.objects.all(),
        required=False,
        allow_null=True,
        default=None,
        message="Choose a level from the threshold framework in use",
    )
    rationale = serializers.CharField(required=False, allow_blank=True, default="")
    level_override_reason = serializers.CharField(required=False, allow_blank=True, default="")
    signposted_to = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=200
    )
    single_agency = UUIDRecordField(
        queryset=Agency.objects.all(),
        required=False,
        allow_null=True,
        default=None,
        message="Choose an agency from the list, or enter its name",
    )
    single_agency_name = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=200
    )
    social_care_reference = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=50
    )
    locality = UUIDRecordField(
        queryset=Locality.objects.all(),
        required=False,
        allow_null=True,
        default=None,
        message="Choose a locality",
        help_text="For a Team Around the Family: the locality that will allocate the "
        "episode (defaults to the family's)",
    )


class FrameworkRefSerializer(serializers.Serializer):
    uuid = serializers.UUIDField()
    version = serializers.IntegerField()
    name = serializers.CharField()


class EpisodeRefSerializer(serializers.Serializer):
    uuid = serializers.UUIDField()
    status = serializers.CharField()
    locality = serializers.CharField(source="locality.name")


class DecisionSerializer(serializers.ModelSerializer):
    request = serializers.UUIDField(source="request.uuid", read_only=True)
    outcome_label = serializers.CharField(source="get_outcome_display", read_only=True)
    level = LevelRefSerializer(read_only=True)
    suggested_level = LevelRefSerializer(read_only=True, allow_null=True)
    level_overridden = serializers.BooleanField(read_only=True)
    framework = FrameworkRefSerializer(read_only=True)
    indicators = IndicatorRefSerializer(many=True, read_only=True)
    single_agency = serializers.SlugRelatedField(slug_field="uuid", read_only=True, allow_null=True)
    single_agency_label = serializers.CharField(read_only=True)
    episode = EpisodeRefSerializer(read_only=True, allow_null=True)
    decided_by = UserNameSerializer(read_only=True)

    class Meta:
        model = Decision
        fields = [
            "uuid",
            "request",
            "outcome",
            "outcome_label",
            "level",
            "suggested_level",
            "level_overridden",
            "level_override_reason",
            "rationale",
            "framework",
            "indicators",
            "signposted_to",
            "single_agency",
            "single_agency_label",
            "social_care_reference",
            "episode",
            "joined_open_episode",
            "is_re_referral",
            "consent",
            "decided_by",
            "decided_at",
        ]
        read_only_fields = fields


def _possible_duplicates(user, duplicates, context):
    """409 with the records that may be this person, as the people API answers."""
    results = case_services.results_for(user, duplicates.matches)
    body = {
        "status": status.HTTP_409_CONFLICT,
        "code": "possible_duplicates",
        "message": duplicates.message,
        "errors": {duplicates.field: [duplicates.message]},
        "matches": SearchResultSerializer(results, many=True, context=context).data,
    }
    return Response(body, status=status.HTTP_409_CONFLICT)


def _screening_action(summary, request=None, responses=None, **kwargs):
    """The schema of a POST that changes screening and answers with the screening view."""
    return extend_schema(
        summary=summary, request=request, responses=responses or ScreeningSerializer, **kwargs
    )


@extend_schema_view(
    list=extend_schema(
        summary="Your requests for support (triage officers: those to screen)",
        responses=RequestAsSeenSerializer(many=True),
        description="Triage officers also get `assigned_to`, `assigned_at` and `decision`.",
    ),
    retrieve=extend_schema(
        summary="A request for support: what was sent, status and outcome",
        responses=RequestAsSeenSerializer,
        description="Triage officers also get `assigned_to`, `assigned_at` and `decision`.",
    ),
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
        if self.action == "screening":
            return selectors.screening_detail_for(self.request.user)
        return selectors.request_detail_for(self.request.user)

    def get_serializer_class(self):
        if self.action == "create":
            return RequestCreateSerializer
        if access.has_role(self.request.user, Role.TRIAGE_OFFICER):
            return TriageRequestSerializer
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

    # Screening (triage officers)

    def _input(self, serializer_class, request_for_support):
        context = {**self.get_serializer_context(), "request_for_support": request_for_support}
        serializer = serializer_class(data=self.request.data, context=context)
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data

    def _screening(self, request_for_support, status_code=status.HTTP_200_OK):
        """The screening view of the request, as it is now; recorded as a view."""
        user = self.request.user
        instance = selectors.screening_detail_for(user).get(pk=request_for_support.pk)
        record_view(actor=user, obj=instance)
        data = ScreeningSerializer(instance, context=self.get_serializer_context()).data
        return Response(data, status=status_code)

    @extend_schema(
        summary="Everything screening needs about a request", responses=ScreeningSerializer
    )
    @action(detail=True, methods=["get"], permission_classes=[ScreensRequests])
    def screening(self, request, uuid=None):
        request_for_support = self.get_object()
        record_view(actor=request.user, obj=request_for_support)
        data = ScreeningSerializer(request_for_support, context=self.get_serializer_context()).data
        return Response(data)

    @extend_schema(
        methods=["GET"],
        summary="The files sent with a request",
        responses=AttachmentSerializer(many=True),
    )
    @extend_schema(
        methods=["POST"],
        summary="Add a file to a request not yet decided (its requester, or a triage officer)",
        request={"multipart/form-data": AttachmentUploadSerializer},
        responses={201: AttachmentSerializer},
    )
    @action(
        detail=True,
        methods=["get", "post"],
        parser_classes=[MultiPartParser],
        filter_backends=[],
        pagination_class=None,
    )
    def attachments(self, request, uuid=None):
        request_for_support = self.get_object()
        if request.method == "GET":
            attachments = list(request_for_support.attachments.all())
            record_list(actor=request.user, model=RequestAttachment, objects=attachments)
            return Response(AttachmentSerializer(attachments, many=True).data)
        serializer = AttachmentUploadSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        attachment = services.request_attachment_add(
            by=request.user, request=request_for_support, upload=serializer.validated_data["file"]
        )
        return Response(AttachmentSerializer(attachment).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Download a file sent with a request",
        responses={(200, "application/octet-stream"): OpenApiTypes.BINARY},
    )
    @action(
        detail=True,
        methods=["get"],
        url_path=r"attachments/(?P<attachment_pk>[0-9]+)",
        url_name="attachment-download",
    )
    def attachment_download(self, request, uuid=None, attachment_pk=None):
        request_for_support = self.get_object()
        attachment = request_for_support.attachments.filter(pk=attachment_pk).first()
        if attachment is None:
            raise Http404("No file found")
        return attachment_response(request.user, attachment)

    @extend_schema(
        summary="Withdraw a request not yet decided (its requester, or a triage officer)",
        request=WithdrawSerializer,
        responses=RequestAsSeenSerializer,
    )
    @action(detail=True, methods=["post"])
    def withdraw(self, request, uuid=None):
        request_for_support = self.get_object()
        if not services.may_withdraw(request.user, request_for_support):
            record_refused(
                actor=request.user,
                model=RequestForSupport,
                lookup={"pk": request_for_support.pk},
                status=403,
            )
            raise PermissionDenied(services.WITHDRAW_REFUSED)
        serializer = WithdrawSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        withdrawn = services.request_withdraw(
            by=request.user,
            request=request_for_support,
            reason=serializer.validated_data["withdrawn_reason"],
        )
        instance = self.get_queryset().get(pk=withdrawn.pk)
        return Response(self.get_serializer_class()(instance).data)

    @extend_schema(
        summary="Records that may be the people on the request (an audited search each)",
        responses=CandidatesSerializer(many=True),
    )
    @action(
        detail=True, methods=["get"], permission_classes=[ScreensRequests], pagination_class=None
    )
    def candidates(self, request, uuid=None):
        request_for_support = self.get_object()
        rows = [
            {
                "request_person": person,
                "results": services.screening_candidates(by=request.user, request_person=person),
            }
            for person in request_for_support.people.all()
            if person.matched_person_id is None
        ]
        return Response(
            CandidatesSerializer(rows, many=True, context=self.get_serializer_context()).data
        )

    @_screening_action("Take the request to screen it yourself")
    @action(detail=True, methods=["post"], permission_classes=[ScreensRequests])
    def claim(self, request, uuid=None):
        request_for_support = services.request_claim(by=request.user, request=self.get_object())
        return self._screening(request_for_support)

    @_screening_action("Give the request to a triage officer", request=AssignSerializer)
    @action(detail=True, methods=["post"], permission_classes=[ScreensRequests])
    def assign(self, request, uuid=None):
        request_for_support = self.get_object()
        data = self._input(AssignSerializer, request_for_support)
        services.request_assign(
            by=request.user, request=request_for_support, to=data["assigned_to"]
        )
        return self._screening(request_for_support)

    @_screening_action(
        "Match someone on the request to a person record (null undoes a match)",
        request=MatchSerializer,
    )
    @action(detail=True, methods=["post"], permission_classes=[ScreensRequests])
    def match(self, request, uuid=None):
        request_for_support = self.get_object()
        data = self._input(MatchSerializer, request_for_support)
        services.screening_match_person(
            by=request.user, request_person=data["request_person"], person=data["person"]
        )
        return self._screening(request_for_support)

    @_screening_action(
        "Create a person record from someone on the request, and match it",
        request=CreatePersonSerializer,
        responses={201: ScreeningSerializer, 409: PossibleDuplicatesSerializer},
    )
    @action(
        detail=True,
        methods=["post"],
        url_path="create-person",
        permission_classes=[ScreensRequests],
    )
    def create_person(self, request, uuid=None):
        request_for_support = self.get_object()
        data = self._input(CreatePersonSerializer, request_for_support)
        try:
            services.screening_create_person(by=request.user, **data)
        except search.PossibleDuplicates as duplicates:
            return _possible_duplicates(request.user, duplicates, self.get_serializer_context())
        return self._screening(request_for_support, status.HTTP_201_CREATED)

    @_screening_action("Link the request to a family record", request=LinkFamilySerializer)
    @action(detail=True, methods=["post"], permission_classes=[ScreensRequests])
    def family(self, request, uuid=None):
        request_for_support = self.get_object()
        data = self._input(LinkFamilySerializer, request_for_support)
        services.screening_link_family(
            by=request.user, request=request_for_support, family=data["family"]
        )
        return self._screening(request_for_support)

    @_screening_action(
        "Create a family for the people matched on the request, and link it",
        request=CreateFamilySerializer,
        responses={201: ScreeningSerializer},
    )
    @action(
        detail=True,
        methods=["post"],
        url_path="create-family",
        permission_classes=[ScreensRequests],
    )
    def create_family(self, request, uuid=None):
        request_for_support = self.get_object()
        data = self._input(CreateFamilySerializer, request_for_support)
        services.screening_create_family(by=request.user, request=request_for_support, **data)
        return self._screening(request_for_support, status.HTTP_201_CREATED)

    @_screening_action(
        "Record the family's consent as found in screening", request=ConsentSerializer
    )
    @action(detail=True, methods=["post"], permission_classes=[ScreensRequests])
    def consent(self, request, uuid=None):
        request_for_support = self.get_object()
        data = self._input(ConsentSerializer, request_for_support)
        services.screening_record_consent(by=request.user, request=request_for_support, **data)
        return self._screening(request_for_support)

    @_screening_action("Save the screening notes", request=NotesSerializer)
    @action(detail=True, methods=["post"], permission_classes=[ScreensRequests])
    def notes(self, request, uuid=None):
        request_for_support = self.get_object()
        data = self._input(NotesSerializer, request_for_support)
        services.screening_notes_save(
            by=request.user, request=request_for_support, notes=data["screening_notes"]
        )
        return self._screening(request_for_support)

    @extend_schema(
        summary="Tick threshold indicators (replacing those ticked); answers the suggested level",
        request=IndicatorsSerializer,
        responses=IndicatorsResultSerializer,
    )
    @action(detail=True, methods=["put", "post"], permission_classes=[ScreensRequests])
    def indicators(self, request, uuid=None):
        request_for_support = self.get_object()
        data = self._input(IndicatorsSerializer, request_for_support)
        chosen = data["indicators"]
        level = services.screening_indicators_set(
            by=request.user, request=request_for_support, indicators=chosen
        )
        result = {"indicators": chosen, "suggested_level": level}
        return Response(IndicatorsResultSerializer(result).data)

    @extend_schema(
        methods=["GET"], summary="Checks with other agencies", responses=CheckSerializer(many=True)
    )
    @extend_schema(
        methods=["POST"],
        summary="Record a check with another agency",
        request=CheckCreateSerializer,
        responses={201: CheckSerializer},
    )
    @action(
        detail=True,
        methods=["get", "post"],
        permission_classes=[ScreensRequests],
        pagination_class=None,
    )
    def checks(self, request, uuid=None):
        request_for_support = self.get_object()
        if request.method == "GET":
            checks = list(
                ScreeningCheck.objects.filter(request=request_for_support)
                .select_related("agency")
                .order_by("asked_at", "pk")
            )
            record_list(
                actor=request.user,
                model=ScreeningCheck,
                objects=checks,
                filters={"request": str(request_for_support.uuid)},
            )
            return Response(CheckSerializer(checks, many=True).data)
        data = self._input(CheckCreateSerializer, request_for_support)
        check = services.screening_check_add(by=request.user, request=request_for_support, **data)
        return Response(CheckSerializer(check).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Record an agency's answer to a check",
        request=CheckAnswerSerializer,
        responses=CheckSerializer,
        parameters=[OpenApiParameter("check_uuid", OpenApiTypes.UUID, OpenApiParameter.PATH)],
    )
    @action(
        detail=True,
        methods=["post"],
        url_path=r"checks/(?P<check_uuid>[^/.]+)/answer",
        url_name="check-answer",
        permission_classes=[ScreensRequests],
    )
    def check_answer(self, request, uuid=None, check_uuid=None):
        request_for_support = self.get_object()
        check = (
            ScreeningCheck.objects.filter(
                request=request_for_support, uuid=_uuid_or_404(check_uuid)
            )
            .select_related("agency", "request")
            .first()
        )
        if check is None:
            raise Http404("No check found")
        data = self._input(CheckAnswerSerializer, request_for_support)
        check = services.screening_check_answer(by=request.user, check=check, **data)
        return Response(CheckSerializer(check).data)

    @extend_schema(
        methods=["GET"],
        summary="The decision on the request (404 if not decided)",
        responses=DecisionSerializer,
    )
    @extend_schema(
        methods=["POST"],
        summary="Decide the outcome of screening (once)",
        request=DecisionCreateSerializer,
        responses={201: DecisionSerializer},
        description="A Team Around the Family opens an episode awaiting allocation in the "
        "locality (or joins the family's open episode). A second decision is a 400.",
    )
    @action(detail=True, methods=["get", "post"], permission_classes=[ScreensRequests])
    def decision(self, request, uuid=None):
        request_for_support = self.get_object()
        if request.method == "GET":
            decision = selectors.decision_for(request.user, request_for_support)
            if decision is None:
                raise Http404("This request has not been decided yet")
            record_view(actor=request.user, obj=decision)
            return Response(DecisionSerializer(decision).data)
        data = self._input(DecisionCreateSerializer, request_for_support)
        decision = services.request_decide(
            by=request.user, request=request_for_support, data=services.DecisionInput(**data)
        )
        # The officer may no longer see the decided request (it has left the queue), so
        # the answer is the decision as made, not a read through the access policy.
        prefetch_related_objects(
            [decision], Prefetch("indicators", queryset=Indicator.objects.select_related("level"))
        )
        return Response(DecisionSerializer(decision).data, status=status.HTTP_201_CREATED)


def _uuid_or_404(value):
    try:
        return uuid_lib.UUID(str(value))
    except ValueError as error:
        raise Http404("No check found") from error
