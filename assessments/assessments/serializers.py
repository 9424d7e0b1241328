"""Assessments in the API: how templates, assessments and their sections are shown, the
bodies that change them, and the filter of their list. Bodies only parse: the services check
what was sent."""

import django_filters
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from accounts.api import UserRefSerializer
from assessments.models import Assessment, AssessmentSection, AssessmentStatus, AssessmentTemplate
from cases.episodes.serializers import EpisodeWorkSerializer
from cases.models import Episode, Person
from cases.people.serializers import PersonRefSerializer
from earlyhelp.api import VisibleRecordField, VisibleRecordFilter, status_filter
from earlyhelp.api_fields import (
    ErrorBodySerializer,
    InvalidBodySerializer,
    choice_text,
    optional_record_uuid,
    optional_text,
)
from thresholds.serializers import LevelRefSerializer

# Templates


class AssessmentTemplateSerializer(serializers.ModelSerializer):
    definition = serializers.JSONField(
        read_only=True,
        help_text="The template: name, description and sections, each with its questions",
    )

    class Meta:
        model = AssessmentTemplate
        fields = [
            "uuid",
            "version",
            "name",
            "source_name",
            "is_current",
            "created_at",
            "definition",
        ]


class AssessmentTemplateImportSerializer(serializers.Serializer):
    source_name = optional_text(max_length=200)
    content = serializers.CharField(
        trim_whitespace=False,
        help_text="The template file's text, YAML or JSON (see assessments/loader.py)",
        error_messages={"blank": "Paste the template file", "required": "Paste the template file"},
    )


# Representations


class AssessmentTemplateRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = AssessmentTemplate
        fields = ["uuid", "version", "name"]


def _section_titles(template):
    """{section key: title} from the template, worked out once per template."""
    return {section["key"]: section["title"] for section in template.definition["sections"]}


def _section_spec(section):
    """The template's definition of this section (a dict), or None."""
    for spec in section.assessment.template.definition["sections"]:
        if spec["key"] == section.key:
            return spec
    return None


class AssessmentSectionSummarySerializer(serializers.ModelSerializer):
    title = serializers.SerializerMethodField()
    person = optional_record_uuid("The child or adult the section is about; null for the family")
    updated_by = UserRefSerializer(read_only=True, allow_null=True)

    class Meta:
        model = AssessmentSection
        fields = [
            "uuid",
            "key",
            "title",
            "subject",
            "person",
            "completed",
            "revision",
            "updated_by",
            "updated_at",
        ]

    def get_title(self, section) -> str:
        return self.context.get("section_titles", {}).get(section.key, section.key)


class AssessmentSerializer(EpisodeWorkSerializer):
    template = AssessmentTemplateRefSerializer(read_only=True)
    status = choice_text(AssessmentStatus.choices)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    is_editable = serializers.BooleanField(read_only=True)
    is_overdue = serializers.BooleanField(read_only=True)
    previous = optional_record_uuid("The approved version this one changes")

    class Meta:
        model = Assessment
        fields = [
            "uuid",
            "episode",
            "family",
            "template",
            "version",
            "previous",
            "status",
            "status_display",
            "is_editable",
            "due_at",
            "is_overdue",
            "submitted_at",
            "decided_at",
        ]


class AssessmentDetailSerializer(AssessmentSerializer):
    children = PersonRefSerializer(many=True, read_only=True)
    adults = PersonRefSerializer(many=True, read_only=True)
    submitted_by = UserRefSerializer(read_only=True, allow_null=True)
    decided_by = UserRefSerializer(read_only=True, allow_null=True)
    recommended_level = LevelRefSerializer(read_only=True, allow_null=True)
    sections = serializers.SerializerMethodField()

    class Meta(AssessmentSerializer.Meta):
        fields = [
            *AssessmentSerializer.Meta.fields,
            "children",
            "adults",
            "submitted_by",
            "decided_by",
            "return_comments",
            "recommended_level",
            "sections",
        ]

    @extend_schema_field(AssessmentSectionSummarySerializer(many=True))
    def get_sections(self, assessment):
        context = {**self.context, "section_titles": _section_titles(assessment.template)}
        return AssessmentSectionSummarySerializer(
            assessment.sections.all(), many=True, context=context
        ).data


class AssessmentSectionSerializer(AssessmentSectionSummarySerializer):
    assessment = serializers.SlugRelatedField(slug_field="uuid", read_only=True)
    person = PersonRefSerializer(read_only=True, allow_null=True)
    description = serializers.SerializerMethodField()
    questions = serializers.SerializerMethodField()
    is_editable = serializers.BooleanField(source="assessment.is_editable", read_only=True)
    answers = serializers.JSONField(
        read_only=True,
        help_text="Question key to answer. A rating is {rating, narrative}; a question a "
        "young child could not answer may have `<key>__reason` instead.",
    )

    class Meta(AssessmentSectionSummarySerializer.Meta):
        fields = [
            "uuid",
            "assessment",
            "key",
            "title",
            "description",
            "subject",
            "person",
            "position",
            "is_editable",
            "completed",
            "revision",
            "updated_by",
            "updated_at",
            "questions",
            "answers",
        ]

    def get_title(self, section) -> str:
        spec = _section_spec(section)
        return spec["title"] if spec else section.key

    def get_description(self, section) -> str:
        spec = _section_spec(section)
        return spec.get("description", "") if spec else ""

    def get_questions(self, section) -> list[dict]:
        spec = _section_spec(section)
        return spec["questions"] if spec else []


# Bodies


class AssessmentCreateSerializer(serializers.Serializer):
    episode = VisibleRecordField(
        queryset=Episode.objects.all(), error_messages={"does_not_exist": "Choose an episode"}
    )
    children = VisibleRecordField(
        queryset=Person.objects.all(),
        many=True,
        allow_empty=True,
        help_text="The children the assessment covers (UUIDs of people in the family)",
    )
    adults = VisibleRecordField(
        queryset=Person.objects.all(),
        many=True,
        required=False,
        default=list,
        help_text="The parents or carers it covers",
    )


class AssessmentReturnSerializer(serializers.Serializer):
    comments = optional_text(help_text="What needs to change")


class AssessmentSectionSaveSerializer(serializers.Serializer):
    answers = serializers.DictField(
        help_text="Question key to answer. PUT replaces the section's answers; PATCH "
        "changes only the questions sent."
    )
    revision = serializers.IntegerField(
        min_value=0,
        help_text="The revision the answers were started from; a save over someone "
        "else's since answers 409",
    )
    complete = serializers.BooleanField(
        required=False,
        default=False,
        help_text="Mark the section complete (the required answers are checked)",
    )


class AssessmentSectionConflictSerializer(ErrorBodySerializer):
    """409: someone saved the section since the revision sent. `section` is as it now is."""

    section = AssessmentSectionSerializer()


class AssessmentSectionIncompleteSerializer(InvalidBodySerializer):
    """400 on completing a section with answers missing: the answers are saved
    (`saved` is true, `revision` is the new one); `errors` names what is missing. Any other
    400 (answers of the wrong shape, an assessment that cannot change) is the plain error,
    without `saved`, `revision` and `section`."""

    saved = serializers.BooleanField(required=False)
    revision = serializers.IntegerField(required=False)
    section = AssessmentSectionSerializer(required=False)


class AssessmentFilter(django_filters.FilterSet):
    episode = VisibleRecordFilter(model=Episode)
    status = status_filter(AssessmentStatus.choices)

    class Meta:
        model = Assessment
        fields = ["episode", "status"]
