"""Serializers of screening: the triage queue, a request as screening sees it (people,
checks, indicators, the family's history), the bodies of screening actions, and the
decision."""

from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from accounts.api import AgencyRefSerializer, LocalityRefSerializer
from accounts.models import Agency, Locality, Team
from cases.models import Family, Person
from cases.people.serializers import SearchResultSerializer
from earlyhelp import working_days
from earlyhelp.api import UUIDRecordField, VisibleRecordField
from earlyhelp.api_fields import optional_record, optional_text
from referrals.models import (
    CHILD_ROLES,
    Consent,
    ConsentCovers,
    Decision,
    Outcome,
    RequestForSupport,
    RequestPerson,
    ScreeningCheck,
)
from referrals.requests.serializers import (
    REQUEST_FIELDS,
    SentFieldsMixin,
    UserNameSerializer,
)
from referrals.requests.services import PERSON_FIELDS
from referrals.screening import selectors
from referrals.screening.services import (
    CHOOSE_A_MATCHED_HOUSEHOLD,
    CHOOSE_A_TRIAGE_OFFICER,
    suggested_level,
)
from thresholds.models import Indicator, Level
from thresholds.serializers import IndicatorSerializer, LevelRefSerializer, LevelSerializer


@extend_schema_field(OpenApiTypes.INT)
class RequestPersonChoiceField(serializers.PrimaryKeyRelatedField):
    """Someone on this request (its id in the screening answer)."""

    default_error_messages = {
        "does_not_exist": "Choose someone on this request",
        "incorrect_type": "Choose someone on this request",
    }

    def get_queryset(self):
        return RequestPerson.objects.filter(request=self.context["request_for_support"])


class IndicatorRefSerializer(serializers.ModelSerializer):
    level = serializers.IntegerField(source="level.rank", read_only=True)
    level_uuid = serializers.UUIDField(source="level.uuid", read_only=True)

    class Meta:
        model = Indicator
        fields = ["uuid", "text", "level", "level_uuid"]


class RagMixin(serializers.Serializer):
    """Where a request stands against its due moment (timescales.rag_status)."""

    # The docstring is the schema's description of this part, kept as it was; the
    # function is now earlyhelp.working_days.rag_status.

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


class ScreeningPersonSerializer(serializers.ModelSerializer):
    matched_person = serializers.SlugRelatedField(
        slug_field="uuid", read_only=True, allow_null=True
    )
    matched_person_name = serializers.CharField(
        source="matched_person.full_name", read_only=True, allow_null=True, default=None
    )

    class Meta:
        model = RequestPerson
        fields = ["id", *PERSON_FIELDS, "matched_person", "matched_person_name"]
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
    question = optional_text()
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


class ScreeningSerializer(RagMixin, SentFieldsMixin, serializers.ModelSerializer):
    """Everything screening needs about one request."""

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
        level = suggested_level(obj.indicators.all())
        return LevelSerializer(level).data if level is not None else None

    @extend_schema_field(KnownToSerializer)
    def get_known_to(self, obj):
        return KnownToSerializer(selectors.known_to(self.context["request"].user, obj)).data


class AssignSerializer(serializers.Serializer):
    assigned_to = UUIDRecordField(
        queryset=selectors.triage_officers(), message=CHOOSE_A_TRIAGE_OFFICER
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


def owning_team_field():
    """One of the officer's teams, to be responsible for a record screening creates."""
    return VisibleRecordField(
        queryset=Team.objects.current(),
        error_messages={"does_not_exist": "Choose one of your own teams"},
        help_text="The UUID of one of your teams: it will be responsible for the record",
    )


class CreatePersonSerializer(serializers.Serializer):
    request_person = RequestPersonChoiceField(help_text="The id of someone on this request")
    owning_team = owning_team_field()
    confirmed_not_duplicate = serializers.BooleanField(
        default=False,
        help_text="Send true, after checking the matches a 409 answer listed, to create "
        "the record anyway",
    )


class LinkFamilySerializer(serializers.Serializer):
    family = UUIDRecordField(queryset=Family.objects.all(), message=CHOOSE_A_MATCHED_HOUSEHOLD)


class CreateFamilySerializer(serializers.Serializer):
    name = serializers.CharField(max_length=200)
    owning_team = owning_team_field()


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
    level = optional_record(
        Level.objects.all(), "Choose a level from the threshold framework in use"
    )
    rationale = optional_text()
    level_override_reason = optional_text()
    signposted_to = optional_text(max_length=200)
    single_agency = optional_record(
        Agency.objects.all(), "Choose an agency from the list, or enter its name"
    )
    single_agency_name = optional_text(max_length=200)
    social_care_reference = optional_text(max_length=50)
    locality = optional_record(
        Locality.objects.all(),
        "Choose a locality",
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
