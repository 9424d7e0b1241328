"""The case records API: people, families, memberships, relationships, notes and merges.

Reads come from `cases.families.selectors` (or `access.visible`), already filtered by the access
policy; every write goes through `cases.families.services`; list and detail reads are audited.
Records the user may not see answer 404 (or, named in a request body or a filter, a field
error that does not say whether they exist); records they see but may not change, 403.

What the policy withholds is left out of the representation, never sent as null:
a person's sensitive fields, confidential addresses (`{"confidential": true}` only) and the
content of restricted notes (`"restricted": true` instead).
"""

import django_filters
from django.db.models import Q
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.permissions import BasePermission
from rest_framework.response import Response

from accounts.api import UserRefSerializer
from accounts.filters import UUIDChoiceFilter
from accounts.models import Team
from audit.views import AuditedViewSetMixin
from cases.families import selectors, services
from cases.models import (
    CaseNote,
    Family,
    FamilyMembership,
    NoteType,
    Person,
    PersonAddress,
    PersonMerge,
    PersonName,
    Relationship,
    Sex,
)
from cases.people import search
from cases.people.identifiers import (
    normalise_nhs_number,
    normalise_postcode,
    normalise_upn,
    validate_nhs_number,
    validate_postcode,
    validate_upn,
)
from earlyhelp import access
from earlyhelp.api import PageNumberPagination, UUIDRecordField

Permission = access.Permission


def _user(serializer):
    request = serializer.context.get("request")
    return getattr(request, "user", None)


def _sees_sensitive(user, obj):
    return user is not None and access.can(user, Permission.VIEW_SENSITIVE, obj)


class WorksOnCases(BasePermission):
    """Case records are for the practice roles, as on the pages."""

    message = "Case records are for practitioners and their managers."

    def has_permission(self, request, view):
        return access.has_role(request.user, *access.PRACTICE_ROLES)


# Fields


class VisibleRecordField(UUIDRecordField):
    """A record named by its UUID, found only among those the user may see.

    A UUID the user may not see gets the same message as one that does not exist.
    """

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        if self.queryset is not None and "does_not_exist" not in kwargs.get("error_messages", {}):
            name = self.queryset.model._meta.verbose_name
            self.error_messages["does_not_exist"] = f"Choose a {name} you can see"

    def get_queryset(self):
        return access.visible(_user(self), super().get_queryset())


@extend_schema_field(OpenApiTypes.UUID)
class VisibleRecordFilter(UUIDChoiceFilter):
    """A filter by the UUID of a record the user may see; any other UUID is a 400 that does
    not say whether the record exists."""

    def __init__(self, *args, model, **kwargs):
        def visible_records(request):
            return access.visible(getattr(request, "user", None), model.objects.all())

        kwargs.setdefault("queryset", visible_records)
        kwargs.setdefault(
            "error_messages",
            {"invalid_choice": f"Choose a {model._meta.verbose_name} you can see"},
        )
        super().__init__(*args, **kwargs)


# Shared pieces


class TeamContactSerializer(serializers.ModelSerializer):
    """Whom to talk to about a record."""

    class Meta:
        model = Team
        fields = ["uuid", "name", "email", "phone"]


class PersonRefSerializer(serializers.ModelSerializer):
    full_name = serializers.CharField(read_only=True)
    age = serializers.IntegerField(read_only=True, allow_null=True)

    class Meta:
        model = Person
        fields = ["uuid", "full_name", "record_type", "date_of_birth", "age"]


# People


PERSON_FIELDS = [
    "uuid",
    "record_type",
    "full_name",
    "given_name",
    "middle_names",
    "family_name",
    "known_as",
    "date_of_birth",
    "date_of_birth_is_approximate",
    "expected_date_of_delivery",
    "age",
    "sex",
    "gender",
    "ethnicity",
    "first_language",
    "nhs_number",
    "upn",
    "school_or_setting",
    "send",
    "disability",
    "young_carer",
    "phone",
    "email",
    "owning_team",
    "owning_team_name",
    "merged_into",
    "created_at",
    "modified_at",
]


class PersonSerializer(serializers.ModelSerializer):
    """A person. The sensitive fields (gender, disability, phone, email) are left out for
    users the policy does not let see them; in a change, such a user's values for them are
    ignored."""

    full_name = serializers.CharField(read_only=True)
    age = serializers.IntegerField(read_only=True, allow_null=True)
    # Typed as people type them ("485 777 3456"); the model normalises and validates.
    nhs_number = serializers.CharField(
        required=False, allow_blank=True, max_length=20, help_text="10 digits"
    )
    upn = serializers.CharField(
        required=False, allow_blank=True, max_length=20, help_text="Unique Pupil Number"
    )
    owning_team = serializers.SlugRelatedField(slug_field="uuid", read_only=True)
    owning_team_name = serializers.CharField(source="owning_team.name", read_only=True)
    merged_into = serializers.SlugRelatedField(
        slug_field="uuid",
        read_only=True,
        allow_null=True,
        help_text="Set on the record of a merged duplicate: follow it to the record kept",
    )

    class Meta:
        model = Person
        fields = PERSON_FIELDS
        read_only_fields = ["uuid", "full_name", "created_at", "modified_at"]
        extra_kwargs = {
            "family_name": {
                "error_messages": {
                    "blank": "Enter the family name",
                    "required": "Enter the family name",
                }
            },
            "record_type": {
                "error_messages": {
                    "required": "Choose whether this is a child, an unborn child or an adult"
                }
            },
        }
        validators = []  # the model's constraints, checked by the service, say it better

    def validate_nhs_number(self, value):
        return normalise_nhs_number(value)

    def validate_upn(self, value):
        return normalise_upn(value)

    def to_representation(self, person):
        data = super().to_representation(person)
        if not _sees_sensitive(_user(self), person):
            for name in Person.SENSITIVE_FIELDS:
                data.pop(name, None)
        return data

    def validate(self, attrs):
        if self.instance is not None and not _sees_sensitive(_user(self), self.instance):
            for name in Person.SENSITIVE_FIELDS:
                attrs.pop(name, None)
        return attrs


class OtherNameSerializer(serializers.ModelSerializer):
    class Meta:
        model = PersonName
        fields = ["name_type", "given_name", "family_name", "used_from", "used_to"]
        validators = []


class AddressCreateSerializer(serializers.ModelSerializer):
    postcode = serializers.CharField(max_length=12)
    confidential = serializers.BooleanField(
        source="is_confidential",
        required=False,
        default=False,
        help_text="A refuge or other address only the lead professional and managers may see",
    )

    class Meta:
        model = PersonAddress
        fields = ["line_1", "line_2", "town", "postcode", "moved_in", "moved_out", "confidential"]
        validators = []


class AddressSerializer(serializers.ModelSerializer):
    """An address. A confidential address the user may not see is `{"confidential": true}`
    and nothing else."""

    is_current = serializers.BooleanField(required=False)
    confidential = serializers.BooleanField(source="is_confidential")

    class Meta:
        model = PersonAddress
        fields = [
            "line_1",
            "line_2",
            "town",
            "postcode",
            "moved_in",
            "moved_out",
            "is_current",
            "confidential",
        ]
        extra_kwargs = {
            name: {"required": False}
            for name in ["line_1", "line_2", "town", "postcode", "moved_in", "moved_out"]
        }


def address_data(address, *, sees_sensitive):
    if address.is_confidential and not sees_sensitive:
        return {"confidential": True}
    return AddressSerializer(address).data


class PersonFamilySerializer(serializers.ModelSerializer):
    """One of the person's memberships of a household (current or past)."""

    family = serializers.SlugRelatedField(slug_field="uuid", read_only=True)
    family_name = serializers.CharField(source="family.name", read_only=True)
    is_current = serializers.BooleanField(read_only=True)

    class Meta:
        model = FamilyMembership
        fields = [
            "id",
            "family",
            "family_name",
            "joined_on",
            "left_on",
            "lives_at_family_address",
            "is_current",
        ]


class PersonDetailSerializer(PersonSerializer):
    other_names = OtherNameSerializer(many=True, read_only=True)
    addresses = serializers.SerializerMethodField()
    families = serializers.SerializerMethodField()

    class Meta(PersonSerializer.Meta):
        fields = [*PERSON_FIELDS, "other_names", "addresses", "families"]

    @extend_schema_field(AddressSerializer(many=True))
    def get_addresses(self, person):
        sees = _sees_sensitive(_user(self), person)
        return [address_data(address, sees_sensitive=sees) for address in person.addresses.all()]

    @extend_schema_field(PersonFamilySerializer(many=True))
    def get_families(self, person):
        """Households the person belongs or belonged to, among those the user may see."""
        memberships = list(person.memberships.all())
        family_ids = {membership.family_id for membership in memberships}
        visible = (
            set(
                access.visible(_user(self), Family.objects.filter(pk__in=family_ids)).values_list(
                    "pk", flat=True
                )
            )
            if family_ids
            else set()
        )
        shown = [membership for membership in memberships if membership.family_id in visible]
        return PersonFamilySerializer(shown, many=True).data


class PersonCreateSerializer(PersonDetailSerializer):
    owning_team = VisibleRecordField(
        queryset=Team.objects.current(),
        error_messages={"does_not_exist": "Choose one of your own teams"},
        help_text="The UUID of one of your teams: it will be responsible for the record",
    )
    confirmed_not_duplicate = serializers.BooleanField(
        write_only=True,
        default=False,
        help_text="Send true, after checking the matches a 409 answer listed, to create "
        "the record anyway",
    )

    class Meta(PersonDetailSerializer.Meta):
        fields = [*PersonDetailSerializer.Meta.fields, "confirmed_not_duplicate"]


class BirthSerializer(serializers.Serializer):
    date_of_birth = serializers.DateField()
    given_name = serializers.CharField(required=False, allow_blank=True, max_length=100)
    sex = serializers.ChoiceField(choices=Sex.choices, required=False, allow_blank=True)


class MergeSerializer(serializers.Serializer):
    duplicate = VisibleRecordField(
        queryset=Person.objects.all(),
        help_text="The UUID of the duplicate record, merged into the one in the URL",
    )
    reason = serializers.CharField(
        error_messages={
            "blank": "Enter why these records are the same person",
            "required": "Enter why these records are the same person",
        }
    )


class UndoMergeSerializer(serializers.Serializer):
    reason = serializers.CharField(
        error_messages={
            "blank": "Enter why the merge was wrong",
            "required": "Enter why the merge was wrong",
        }
    )


class PersonMergeSerializer(serializers.ModelSerializer):
    survivor = PersonRefSerializer(read_only=True)
    duplicate = PersonRefSerializer(read_only=True)
    merged_by = UserRefSerializer(read_only=True)
    undone_by = UserRefSerializer(read_only=True, allow_null=True)
    moved = serializers.SerializerMethodField()
    is_undone = serializers.BooleanField(read_only=True)

    class Meta:
        model = PersonMerge
        fields = [
            "uuid",
            "survivor",
            "duplicate",
            "reason",
            "merged_by",
            "merged_at",
            "moved",
            "is_undone",
            "undone_by",
            "undone_at",
            "undo_reason",
        ]
        read_only_fields = fields

    def get_moved(self, merge) -> dict[str, int]:
        """How many links of each kind moved from the duplicate to the survivor."""
        return {key: len(ids) for key, ids in merge.moved_links.items()}


# Search


class SearchQuerySerializer(serializers.Serializer):
    given_name = serializers.CharField(required=False, allow_blank=True, max_length=100)
    family_name = serializers.CharField(required=False, allow_blank=True, max_length=100)
    date_of_birth = serializers.DateField(
        required=False,
        allow_null=True,
        help_text="YYYY-MM-DD",
        error_messages={"invalid": "Enter a real date of birth, like 2019-03-27"},
    )
    year_of_birth = serializers.IntegerField(
        required=False,
        allow_null=True,
        min_value=1900,
        error_messages={
            "invalid": "Enter a year, like 2015",
            "min_value": "Enter a year after 1900",
        },
    )
    nhs_number = serializers.CharField(required=False, allow_blank=True, max_length=20)
    upn = serializers.CharField(required=False, allow_blank=True, max_length=20)
    postcode = serializers.CharField(required=False, allow_blank=True, max_length=10)

    def validate_year_of_birth(self, year):
        if year is not None and year > timezone.localdate().year:
            raise serializers.ValidationError("The year of birth must be this year or earlier")
        return year

    def validate_nhs_number(self, value):
        value = normalise_nhs_number(value)
        if value:
            validate_nhs_number(value)
        return value

    def validate_upn(self, value):
        value = normalise_upn(value)
        if value:
            validate_upn(value)
        return value

    def validate_postcode(self, value):
        value = normalise_postcode(value)
        if value:
            validate_postcode(value)
        return value


class SearchPersonSerializer(serializers.ModelSerializer):
    full_name = serializers.CharField(read_only=True)

    class Meta:
        model = Person
        fields = [
            "uuid",
            "record_type",
            "full_name",
            "given_name",
            "middle_names",
            "family_name",
            "known_as",
            "date_of_birth",
            "date_of_birth_is_approximate",
            "expected_date_of_delivery",
            "sex",
            "nhs_number",
            "upn",
        ]


class ContactSerializer(serializers.Serializer):
    team = TeamContactSerializer(source="contact_team", read_only=True)


class SearchResultSerializer(serializers.Serializer):
    """One person who may be the one looked for. `person` is null when the user may not
    see the record: they learn only that the person is known, and whom to contact."""

    score = serializers.IntegerField(source="match.score", read_only=True)
    confidence = serializers.CharField(source="match.confidence", read_only=True)
    reasons = serializers.ListField(
        source="match.reasons", child=serializers.CharField(), read_only=True
    )
    known = serializers.SerializerMethodField()
    person = SearchPersonSerializer(read_only=True, allow_null=True)
    contact = ContactSerializer(source="*", read_only=True)

    def get_known(self, result) -> bool:
        return True


class SearchResultPageSerializer(serializers.Serializer):
    count = serializers.IntegerField()
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    results = SearchResultSerializer(many=True)


class PossibleDuplicatesSerializer(serializers.Serializer):
    """409: records like this one exist. Check them; send again with
    `confirmed_not_duplicate: true` to create the record anyway."""

    status = serializers.IntegerField()
    code = serializers.CharField()
    message = serializers.CharField()
    errors = serializers.DictField(child=serializers.ListField(child=serializers.CharField()))
    matches = SearchResultSerializer(many=True)


# Families, memberships, relationships


class FamilyMemberSerializer(serializers.ModelSerializer):
    person = PersonRefSerializer(read_only=True)
    is_current = serializers.BooleanField(read_only=True)

    class Meta:
        model = FamilyMembership
        fields = ["id", "person", "joined_on", "left_on", "lives_at_family_address", "is_current"]


class RelationshipSerializer(serializers.ModelSerializer):
    """<from_person> is the <relationship_type> of <to_person>."""

    family = VisibleRecordField(queryset=Family.objects.all())
    from_person = VisibleRecordField(queryset=Person.objects.all())
    from_person_name = serializers.CharField(source="from_person.full_name", read_only=True)
    to_person = VisibleRecordField(queryset=Person.objects.all())
    to_person_name = serializers.CharField(source="to_person.full_name", read_only=True)

    class Meta:
        model = Relationship
        fields = [
            "id",
            "family",
            "from_person",
            "from_person_name",
            "relationship_type",
            "to_person",
            "to_person_name",
            "description",
            "has_parental_responsibility",
        ]
        validators = []


FAMILY_ADDRESS_FIELDS = ("line_1", "line_2", "town", "postcode")


class FamilySerializer(serializers.ModelSerializer):
    """A household. When its address is confidential and the user may not see it, the
    address fields are left out (`address_is_confidential` stays)."""

    owning_team = VisibleRecordField(
        queryset=Team.objects.current(),
        error_messages={"does_not_exist": "Choose one of your own teams"},
        help_text="The UUID of one of your teams: it will be responsible for the record",
    )
    owning_team_name = serializers.CharField(source="owning_team.name", read_only=True)
    postcode = serializers.CharField(required=False, allow_blank=True, max_length=12)
    current_members = serializers.SerializerMethodField()

    class Meta:
        model = Family
        fields = [
            "uuid",
            "name",
            *FAMILY_ADDRESS_FIELDS,
            "address_is_confidential",
            "owning_team",
            "owning_team_name",
            "current_members",
            "created_at",
            "modified_at",
        ]
        read_only_fields = ["uuid", "created_at", "modified_at"]
        extra_kwargs = {
            "name": {
                "error_messages": {
                    "blank": "Enter the family name",
                    "required": "Enter the family name",
                }
            }
        }
        validators = []

    def get_current_members(self, family) -> int:
        if hasattr(family, "current_members"):
            return family.current_members
        return sum(1 for membership in family.memberships.all() if membership.left_on is None)

    def to_representation(self, family):
        data = super().to_representation(family)
        if family.address_is_confidential and not _sees_sensitive(_user(self), family):
            for name in FAMILY_ADDRESS_FIELDS:
                data.pop(name, None)
        return data


class FamilyDetailSerializer(FamilySerializer):
    members = FamilyMemberSerializer(source="memberships", many=True, read_only=True)
    relationships = RelationshipSerializer(many=True, read_only=True)

    class Meta(FamilySerializer.Meta):
        fields = [*FamilySerializer.Meta.fields, "members", "relationships"]


class MembershipSerializer(serializers.ModelSerializer):
    family = VisibleRecordField(queryset=Family.objects.all())
    family_name = serializers.CharField(source="family.name", read_only=True)
    person = VisibleRecordField(queryset=Person.objects.all())
    person_name = serializers.CharField(source="person.full_name", read_only=True)
    is_current = serializers.BooleanField(read_only=True)

    class Meta:
        model = FamilyMembership
        fields = [
            "id",
            "family",
            "family_name",
            "person",
            "person_name",
            "joined_on",
            "left_on",
            "lives_at_family_address",
            "is_current",
        ]
        read_only_fields = ["id", "left_on"]
        validators = []


class LeaveSerializer(serializers.Serializer):
    left_on = serializers.DateField(
        error_messages={"required": "Enter the date they left the household"}
    )


# Notes


NOTE_CONTENT_FIELDS = ("summary", "body", "subjects", "subject_names")


class NoteSerializer(serializers.ModelSerializer):
    """A case note. When it is restricted and the user may not read it, only its date,
    type and author are shown, with `"restricted": true`."""

    family = serializers.SlugRelatedField(slug_field="uuid", read_only=True)
    author = UserRefSerializer(read_only=True)
    # Not read-only, so the schema marks them optional: they are absent when withheld.
    summary = serializers.CharField(required=False)
    body = serializers.CharField(required=False)
    subjects = VisibleRecordField(queryset=Person.objects.all(), many=True, required=False)
    subject_names = serializers.ListField(child=serializers.CharField(), required=False)
    restricted = serializers.BooleanField(
        required=False,
        help_text="Present, and true, when the note's content is withheld from you",
    )

    class Meta:
        model = CaseNote
        fields = [
            "uuid",
            "family",
            "note_type",
            "occurred_at",
            "summary",
            "body",
            "author",
            "subjects",
            "subject_names",
            "is_significant",
            "is_restricted",
            "restricted",
            "created_at",
        ]
        read_only_fields = [
            "uuid",
            "note_type",
            "occurred_at",
            "is_significant",
            "is_restricted",
            "created_at",
        ]

    def to_representation(self, note):
        data = super().to_representation(note)
        if note.is_restricted and not _sees_sensitive(_user(self), note):
            for name in NOTE_CONTENT_FIELDS:
                data.pop(name, None)
            data["restricted"] = True
        else:
            data["subject_names"] = [person.full_name for person in note.subjects.all()]
        return data


class NoteCreateSerializer(serializers.ModelSerializer):
    family = VisibleRecordField(queryset=Family.objects.all())
    subjects = VisibleRecordField(
        queryset=Person.objects.all(),
        many=True,
        required=False,
        help_text="UUIDs of the family members the note is about",
    )

    class Meta:
        model = CaseNote
        fields = [
            "family",
            "note_type",
            "occurred_at",
            "summary",
            "body",
            "subjects",
            "is_significant",
            "is_restricted",
        ]
        extra_kwargs = {
            "summary": {
                "error_messages": {
                    "blank": "Enter a short summary",
                    "required": "Enter a short summary",
                }
            }
        }

    def to_representation(self, note):
        return NoteSerializer(note, context=self.context).data


class NoteQuerySerializer(serializers.Serializer):
    family = VisibleRecordField(
        queryset=Family.objects.all(), help_text="The UUID of the family whose notes to list"
    )
    person = VisibleRecordField(
        queryset=Person.objects.all(),
        required=False,
        help_text="Only notes about this person (UUID)",
    )
    note_type = serializers.ChoiceField(choices=NoteType.choices, required=False)
    chronology = serializers.BooleanField(
        required=False,
        default=False,
        help_text="Only the chronology of significant events, oldest first",
    )


# Filters


class PersonFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label="Name", method="filter_name")
    family = VisibleRecordFilter(
        model=Family, label="Family (UUID): its current and past members", method="in_family"
    )

    class Meta:
        model = Person
        fields = ["q", "family"]

    def filter_name(self, queryset, name, value):
        for word in value.split():
            queryset = queryset.filter(
                Q(given_name__icontains=word)
                | Q(middle_names__icontains=word)
                | Q(family_name__icontains=word)
                | Q(known_as__icontains=word)
            )
        return queryset

    def in_family(self, queryset, name, family):
        return queryset.filter(
            pk__in=FamilyMembership.objects.filter(family=family).values("person")
        )


class FamilyFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label="Family name", field_name="name", lookup_expr="icontains")

    class Meta:
        model = Family
        fields = ["q"]


class MembershipFilter(django_filters.FilterSet):
    family = VisibleRecordFilter(model=Family, label="Family (UUID)")
    person = VisibleRecordFilter(model=Person, label="Person (UUID)")
    current = django_filters.BooleanFilter(
        label="Only current (true) or only past (false) memberships",
        field_name="left_on",
        lookup_expr="isnull",
    )

    class Meta:
        model = FamilyMembership
        fields = ["family", "person", "current"]


class RelationshipFilter(django_filters.FilterSet):
    family = VisibleRecordFilter(model=Family, label="Family (UUID)")
    person = VisibleRecordFilter(
        model=Person, label="Person (UUID), on either side", method="involving"
    )

    class Meta:
        model = Relationship
        fields = ["family", "person"]

    def involving(self, queryset, name, person):
        return queryset.filter(Q(from_person=person) | Q(to_person=person))


class MergeFilter(django_filters.FilterSet):
    person = VisibleRecordFilter(
        model=Person, label="Person (UUID), kept or merged", method="involving"
    )

    class Meta:
        model = PersonMerge
        fields = ["person"]

    def involving(self, queryset, name, person):
        return queryset.filter(Q(survivor=person) | Q(duplicate=person))


# Viewsets


class _CaseViewSet(viewsets.GenericViewSet):
    """Under the access policy, for the practice roles. Subclasses put AuditedViewSetMixin
    first, so list and retrieve are audited."""

    permission_classes = [WorksOnCases]
    # Changes are PATCH: PUT would blank every field a client left out.
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def _require(self, permission, obj=None, message="You do not have permission to do this"):
        """Ask the policy before reading the body, so a user who may not do this gets 403
        rather than a 400 about what they sent. The service asks again: it is the authority."""
        if obj is not None:
            access.require(self.request.user, permission, obj)  # audits the refusal
        elif not access.can(self.request.user, permission):
            raise PermissionDenied(message)

    def _require_change(self, obj):
        self._require(
            Permission.CHANGE_CASE_RECORD, obj, "You do not have permission to change this record"
        )


@extend_schema_view(
    list=extend_schema(summary="People the user may see (merged duplicates left out)"),
    retrieve=extend_schema(
        summary="A person",
        description="A merged duplicate answers 200 with `merged_into` set: follow it.",
    ),
    create=extend_schema(
        summary="Create a person",
        request=PersonCreateSerializer,
        responses={201: PersonDetailSerializer, 409: PossibleDuplicatesSerializer},
    ),
    partial_update=extend_schema(summary="Change a person", responses=PersonDetailSerializer),
)
class PersonViewSet(
    AuditedViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    _CaseViewSet,
):
    lookup_field = "uuid"
    filterset_class = PersonFilter

    def get_queryset(self):
        if self.action == "list":
            return selectors.people_for(self.request.user)
        return selectors.person_detail_for(self.request.user)

    def get_serializer_class(self):
        if self.action == "list":
            return PersonSerializer
        if self.action == "create":
            return PersonCreateSerializer
        return PersonDetailSerializer

    def create(self, request, *args, **kwargs):
        self._require(Permission.CREATE_CASE_RECORDS)
        try:
            return super().create(request, *args, **kwargs)
        except search.PossibleDuplicates as duplicates:
            return self._possible_duplicates(duplicates)

    def perform_create(self, serializer):
        serializer.instance = services.person_create(
            by=self.request.user, **serializer.validated_data
        )

    def perform_update(self, serializer):
        serializer.instance = services.person_update(
            by=self.request.user, person=serializer.instance, **serializer.validated_data
        )

    def _possible_duplicates(self, duplicates):
        user = self.request.user
        results = services.results_for(user, duplicates.matches)
        body = {
            "status": status.HTTP_409_CONFLICT,
            "code": "possible_duplicates",
            "message": duplicates.message,
            "errors": {duplicates.field: [duplicates.message]},
            "matches": SearchResultSerializer(
                results, many=True, context=self.get_serializer_context()
            ).data,
        }
        return Response(body, status=status.HTTP_409_CONFLICT)

    def _detail(self, person):
        person = selectors.person_detail_for(self.request.user).get(pk=person.pk)
        return Response(PersonDetailSerializer(person, context=self.get_serializer_context()).data)

    @extend_schema(
        summary="Record the birth of an unborn child: the same record becomes a child's",
        request=BirthSerializer,
        responses=PersonDetailSerializer,
    )
    @action(detail=True, methods=["post"])
    def birth(self, request, uuid=None):
        person = self.get_object()
        self._require_change(person)
        serializer = BirthSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        person = services.person_record_birth(
            by=request.user, person=person, **serializer.validated_data
        )
        return self._detail(person)

    @extend_schema(
        summary="Add a previous name or alias",
        request=OtherNameSerializer,
        responses={201: OtherNameSerializer},
    )
    @action(detail=True, methods=["post"])
    def names(self, request, uuid=None):
        person = self.get_object()
        self._require_change(person)
        serializer = OtherNameSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        name = services.person_name_add(by=request.user, person=person, **serializer.validated_data)
        return Response(OtherNameSerializer(name).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Add an address (a new current address ends the previous one)",
        request=AddressCreateSerializer,
        responses={201: AddressSerializer},
    )
    @action(detail=True, methods=["post"])
    def addresses(self, request, uuid=None):
        person = self.get_object()
        self._require_change(person)
        serializer = AddressCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        address = services.person_address_add(
            by=request.user, person=person, **serializer.validated_data
        )
        sees = _sees_sensitive(request.user, person)
        return Response(address_data(address, sees_sensitive=sees), status=201)

    @extend_schema(
        summary="Merge a duplicate record into this one (locality managers)",
        request=MergeSerializer,
        responses={201: PersonMergeSerializer},
    )
    @action(detail=True, methods=["post"])
    def merge(self, request, uuid=None):
        survivor = self.get_object()
        self._require(
            Permission.MERGE_PEOPLE,
            survivor,
            "Only a locality manager who can see both records can merge them",
        )
        serializer = MergeSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        merge = services.person_merge(
            by=request.user, survivor=survivor, **serializer.validated_data
        )
        return Response(PersonMergeSerializer(merge).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Do we already know this person?",
        description=(
            "Matches by name (typos, nicknames, previous names), date or year of birth, NHS "
            "number, UPN and postcode, best first, each with its score and reasons. For a "
            "record the user may not see, `person` is null: `known` and `contact` say whom "
            "to talk to. Every search is audited with its terms."
        ),
        parameters=[SearchQuerySerializer],
        responses=SearchResultPageSerializer,
    )
    @action(detail=False, methods=["get"], filter_backends=[])
    def search(self, request):
        serializer = SearchQuerySerializer(data=request.query_params)
        serializer.is_valid(raise_exception=True)
        results = services.search_people(
            by=request.user, criteria=search.Criteria(**serializer.validated_data)
        )
        paginator = PageNumberPagination()
        page = paginator.paginate_queryset(results, request, view=self)
        data = SearchResultSerializer(page, many=True, context=self.get_serializer_context())
        return paginator.get_paginated_response(data.data)


@extend_schema_view(
    list=extend_schema(summary="Merges of records the user may see"),
    retrieve=extend_schema(summary="A merge"),
)
class MergeViewSet(
    AuditedViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, _CaseViewSet
):
    lookup_field = "uuid"
    serializer_class = PersonMergeSerializer
    filterset_class = MergeFilter

    def get_queryset(self):
        people = access.visible(self.request.user, Person.objects.all())
        return (
            PersonMerge.objects.filter(survivor__in=people)
            .select_related("survivor", "duplicate", "merged_by", "undone_by")
            .order_by("-merged_at", "-id")
        )

    @extend_schema(
        summary="Undo a merge: both records are separate again, with their own links",
        request=UndoMergeSerializer,
        responses=PersonMergeSerializer,
    )
    @action(detail=True, methods=["post"])
    def undo(self, request, uuid=None):
        merge = self.get_object()
        self._require(
            Permission.MERGE_PEOPLE,
            merge.survivor,
            "Only a locality manager who can see the record can undo a merge",
        )
        serializer = UndoMergeSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        merge = services.person_merge_undo(
            by=request.user, merge=merge, **serializer.validated_data
        )
        return Response(PersonMergeSerializer(merge).data)


@extend_schema_view(
    list=extend_schema(summary="Families the user may see"),
    retrieve=extend_schema(summary="A family, with its members and relationships"),
    create=extend_schema(summary="Create a family", responses={201: FamilyDetailSerializer}),
    partial_update=extend_schema(summary="Change a family"),
)
class FamilyViewSet(
    AuditedViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    _CaseViewSet,
):
    lookup_field = "uuid"
    filterset_class = FamilyFilter

    def get_queryset(self):
        if self.action == "list":
            return selectors.families_for(self.request.user)
        return selectors.family_detail_for(self.request.user)

    def get_serializer_class(self):
        if self.action == "list":
            return FamilySerializer
        return FamilyDetailSerializer

    def create(self, request, *args, **kwargs):
        self._require(Permission.CREATE_CASE_RECORDS)
        return super().create(request, *args, **kwargs)

    def perform_create(self, serializer):
        serializer.instance = services.family_create(
            by=self.request.user, **serializer.validated_data
        )

    def perform_update(self, serializer):
        serializer.instance = services.family_update(
            by=self.request.user, family=serializer.instance, **serializer.validated_data
        )


@extend_schema_view(
    list=extend_schema(summary="Household memberships in families the user may see"),
    retrieve=extend_schema(summary="A household membership"),
    create=extend_schema(summary="Add a person to a family"),
)
class MembershipViewSet(
    AuditedViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    _CaseViewSet,
):
    serializer_class = MembershipSerializer
    filterset_class = MembershipFilter

    def get_queryset(self):
        return (
            access.visible(self.request.user, FamilyMembership.objects.all())
            .select_related("family", "person")
            .order_by("family__name", "family_id", "left_on", "id")
        )

    def perform_create(self, serializer):
        serializer.instance = services.family_member_add(
            by=self.request.user, **serializer.validated_data
        )

    @extend_schema(
        summary="The person has left the household",
        request=LeaveSerializer,
        responses=MembershipSerializer,
    )
    @action(detail=True, methods=["post"])
    def leave(self, request, pk=None):
        membership = self.get_object()
        self._require_change(membership.family)
        serializer = LeaveSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        membership = services.family_member_leave(
            by=request.user, membership=membership, **serializer.validated_data
        )
        return Response(self.get_serializer(membership).data)


@extend_schema_view(
    list=extend_schema(summary="Relationships in families the user may see"),
    retrieve=extend_schema(summary="A relationship"),
    create=extend_schema(summary="Record how two members of a family are related"),
    destroy=extend_schema(summary="Remove a relationship recorded in error"),
)
class RelationshipViewSet(
    AuditedViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.DestroyModelMixin,
    _CaseViewSet,
):
    serializer_class = RelationshipSerializer
    filterset_class = RelationshipFilter

    def get_queryset(self):
        return (
            access.visible(self.request.user, Relationship.objects.all())
            .select_related("family", "from_person", "to_person")
            .order_by("family__name", "family_id", "id")
        )

    def perform_create(self, serializer):
        serializer.instance = services.relationship_add(
            by=self.request.user, **serializer.validated_data
        )

    def perform_destroy(self, instance):
        services.relationship_remove(by=self.request.user, relationship=instance)


@extend_schema_view(
    list=extend_schema(
        summary="A family's case notes, newest first (or its chronology, oldest first)",
        parameters=[NoteQuerySerializer],
    ),
    retrieve=extend_schema(summary="A case note"),
    create=extend_schema(
        summary="Add a case note",
        request=NoteCreateSerializer,
        responses={201: NoteSerializer},
    ),
)
class NoteViewSet(
    AuditedViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    _CaseViewSet,
):
    lookup_field = "uuid"
    filter_backends = []

    def get_queryset(self):
        return (
            access.visible(self.request.user, CaseNote.objects.all())
            .select_related("author", "family")
            .prefetch_related("subjects")
        )

    def get_serializer_class(self):
        if self.action == "create":
            return NoteCreateSerializer
        return NoteSerializer

    def list(self, request, *args, **kwargs):
        query = NoteQuerySerializer(
            data=request.query_params, context=self.get_serializer_context()
        )
        query.is_valid(raise_exception=True)
        notes = selectors.notes_for(request.user, **query.validated_data)
        page = self.paginate_queryset(notes)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def perform_create(self, serializer):
        serializer.instance = services.note_add(by=self.request.user, **serializer.validated_data)
