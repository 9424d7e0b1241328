"""What the people API reads and answers: people, their names and addresses, merges and search.

What the policy withholds is left out of the representation, never sent as null:
a person's sensitive fields and confidential addresses (`{"confidential": true}` only).
"""

from django.utils import timezone
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from accounts.api import UserRefSerializer
from accounts.models import Team
from cases.models import (
    PERSON_ADDRESS_FIELDS,
    PERSON_BIRTH_FIELDS,
    PERSON_DETAIL_FIELDS,
    PERSON_NAME_FIELDS,
    Family,
    FamilyMembership,
    Person,
    PersonAddress,
    PersonMerge,
    PersonName,
    Sex,
)
from cases.models.person import PERSON_FAMILY_NAME_MESSAGE
from cases.people.identifiers import (
    clean_identifier,
    normalise_nhs_number,
    normalise_postcode,
    normalise_upn,
    validate_nhs_number,
    validate_postcode,
    validate_upn,
)
from cases.people.services import MERGE_REASON_MESSAGE, UNDO_MERGE_REASON_MESSAGE
from earlyhelp import access
from earlyhelp.api import VisibleRecordField, may_see_sensitive, request_user
from earlyhelp.api_fields import InvalidBodySerializer, optional_record_uuid


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


# Who the person is: the start of every full representation, and of a search result.
IDENTITY_FIELDS = ["uuid", "record_type", "full_name", *PERSON_NAME_FIELDS, *PERSON_BIRTH_FIELDS]

PERSON_FIELDS = [
    *IDENTITY_FIELDS,
    "age",
    *PERSON_DETAIL_FIELDS,
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
    merged_into = optional_record_uuid(
        "Set on the record of a merged duplicate: follow it to the record kept"
    )

    class Meta:
        model = Person
        fields = PERSON_FIELDS
        read_only_fields = ["uuid", "full_name", "created_at", "modified_at"]
        extra_kwargs = {
            "family_name": {
                "error_messages": {
                    "blank": PERSON_FAMILY_NAME_MESSAGE,
                    "required": PERSON_FAMILY_NAME_MESSAGE,
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
        if not may_see_sensitive(request_user(self), person):
            for name in Person.SENSITIVE_FIELDS:
                data.pop(name, None)
        return data

    def validate(self, attrs):
        if self.instance is not None and not may_see_sensitive(request_user(self), self.instance):
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
        fields = [*PERSON_ADDRESS_FIELDS, "is_current", "confidential"]
        extra_kwargs = {name: {"required": False} for name in PERSON_ADDRESS_FIELDS}


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
        sees = may_see_sensitive(request_user(self), person)
        return [address_data(address, sees_sensitive=sees) for address in person.addresses.all()]

    @extend_schema_field(PersonFamilySerializer(many=True))
    def get_families(self, person):
        """Households the person belongs or belonged to, among those the user may see."""
        memberships = list(person.memberships.all())
        family_ids = {membership.family_id for membership in memberships}
        visible = (
            set(
                access.visible(
                    request_user(self), Family.objects.filter(pk__in=family_ids)
                ).values_list("pk", flat=True)
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
        error_messages={"blank": MERGE_REASON_MESSAGE, "required": MERGE_REASON_MESSAGE}
    )


class UndoMergeSerializer(serializers.Serializer):
    reason = serializers.CharField(
        error_messages={"blank": UNDO_MERGE_REASON_MESSAGE, "required": UNDO_MERGE_REASON_MESSAGE}
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
        return clean_identifier(value, normalise_nhs_number, validate_nhs_number)

    def validate_upn(self, value):
        return clean_identifier(value, normalise_upn, validate_upn)

    def validate_postcode(self, value):
        return clean_identifier(value, normalise_postcode, validate_postcode)


class SearchPersonSerializer(serializers.ModelSerializer):
    full_name = serializers.CharField(read_only=True)

    class Meta:
        model = Person
        fields = [*IDENTITY_FIELDS, "sex", "nhs_number", "upn"]


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


class PossibleDuplicatesSerializer(InvalidBodySerializer):
    """409: records like this one exist. Check them; send again with
    `confirmed_not_duplicate: true` to create the record anyway."""

    matches = SearchResultSerializer(many=True)
