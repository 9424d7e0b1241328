"""What the families API reads and answers: families, members, relationships and case notes.

What the policy withholds is left out of the representation, never sent as null: a
confidential family address and the content of restricted notes (`"restricted": true`
instead).
"""

from rest_framework import serializers

from accounts.api import UserRefSerializer
from accounts.models import Team
from cases.models import CaseNote, Family, FamilyMembership, NoteType, Person, Relationship
from cases.models.family import FAMILY_NAME_MESSAGE
from cases.people.serializers import PersonRefSerializer
from earlyhelp.api import VisibleRecordField, may_see_sensitive, request_user


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
                "error_messages": {"blank": FAMILY_NAME_MESSAGE, "required": FAMILY_NAME_MESSAGE}
            }
        }
        validators = []

    def get_current_members(self, family) -> int:
        if hasattr(family, "current_members"):
            return family.current_members
        return sum(1 for membership in family.memberships.all() if membership.left_on is None)

    def to_representation(self, family):
        data = super().to_representation(family)
        if family.address_is_confidential and not may_see_sensitive(request_user(self), family):
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
        if note.is_restricted and not may_see_sensitive(request_user(self), note):
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
