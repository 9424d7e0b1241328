"""The assessments API: assessment templates and Early Help Assessments (DESIGN section 4,
assessments; issue 6 item 8).

As in `cases.episodes.api`: reads are filtered by the access policy (404 for what the user
may not see) and audited; every change goes through `assessments.assessments.services`, whose
refusals answer 403 (not allowed) or 400 (not in this state, with the service's message).

Two answers are particular to sections, which are saved on their own with a revision:
- a save that names a revision someone else has since saved over answers 409, with the
  section as it now is (their answers), so the client can show both and save again;
- completing a section with required answers missing still saves the answers: it answers
  400 with what is missing, `saved: true` and the section with its new revision.

Templates are not case records: every user of the service reads them; system
administrators import and publish them.
"""

import django_filters
from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Prefetch
from drf_spectacular.utils import (
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
    extend_schema_view,
)
from rest_framework import exceptions, mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from accounts.api import ConfiguresForWrites, UserRefSerializer
from assessments.assessments import services
from assessments.assessments.loader import TemplateFileError
from assessments.models import Assessment, AssessmentSection, AssessmentStatus, AssessmentTemplate
from audit.views import AuditedViewSetMixin
from cases.episodes.serializers import FamilyRefSerializer
from cases.families.api import (
    PersonRefSerializer,
    VisibleRecordField,
    VisibleRecordFilter,
    WorksOnCases,
)
from cases.models import Episode, Person
from earlyhelp import access
from earlyhelp.api_fields import choice_text, fields_renamed
from earlyhelp.exceptions import ServiceError
from referrals.requests.serializers import LevelRefSerializer

# Templates


class ConfiguresTemplates(ConfiguresForWrites):
    message = "Only system administrators can import or publish assessment templates."


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
    source_name = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=200
    )
    content = serializers.CharField(
        trim_whitespace=False,
        help_text="The template file's text, YAML or JSON (see assessments/loader.py)",
        error_messages={"blank": "Paste the template file", "required": "Paste the template file"},
    )


@extend_schema_view(
    list=extend_schema(summary="Assessment template versions, newest first"),
    retrieve=extend_schema(summary="An assessment template version"),
    create=extend_schema(
        summary="Import a template file as the next version, not yet in use (administrators)",
        description="A file with faults answers 400 with `errors.content` listing each "
        'fault as "line N: message".',
        request=AssessmentTemplateImportSerializer,
        responses={201: AssessmentTemplateSerializer},
    ),
)
class AssessmentTemplateViewSet(
    AuditedViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    permission_classes = [ConfiguresTemplates]
    serializer_class = AssessmentTemplateSerializer
    lookup_field = "uuid"

    def get_queryset(self):
        return AssessmentTemplate.objects.all()

    def create(self, request):
        body = AssessmentTemplateImportSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        try:
            template = services.template_import(
                by=request.user,
                data=body.validated_data["content"],
                source_name=body.validated_data["source_name"],
            )
        except TemplateFileError as error:
            raise DjangoValidationError(
                {"content": [str(problem) for problem in error.problems]}
            ) from error
        data = AssessmentTemplateSerializer(template, context=self.get_serializer_context()).data
        return Response(data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Use this version for new assessments (administrators)",
        description="Assessments already started keep the version they were written on.",
        request=None,
        responses=AssessmentTemplateSerializer,
    )
    @action(detail=True, methods=["post"])
    def publish(self, request, uuid=None):
        template = services.template_publish(by=request.user, template=self.get_object())
        return Response(
            AssessmentTemplateSerializer(template, context=self.get_serializer_context()).data
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
    person = serializers.SlugRelatedField(
        slug_field="uuid",
        read_only=True,
        allow_null=True,
        help_text="The child or adult the section is about; null for the family",
    )
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


class AssessmentSerializer(serializers.ModelSerializer):
    episode = serializers.SlugRelatedField(slug_field="uuid", read_only=True)
    family = FamilyRefSerializer(source="episode.family", read_only=True)
    template = AssessmentTemplateRefSerializer(read_only=True)
    status = choice_text(AssessmentStatus.choices)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    is_editable = serializers.BooleanField(read_only=True)
    is_overdue = serializers.BooleanField(read_only=True)
    previous = serializers.SlugRelatedField(
        slug_field="uuid",
        read_only=True,
        allow_null=True,
        help_text="The approved version this one changes",
    )

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


# Reads


ASSESSMENT_RELATED = ("episode__family", "template", "previous")


def assessments_for(user):
    return access.visible(user, Assessment.objects.all()).select_related(*ASSESSMENT_RELATED)


def with_details(assessments_qs):
    return assessments_qs.select_related(
        "submitted_by", "decided_by", "recommended_level"
    ).prefetch_related(
        "children",
        "adults",
        Prefetch(
            "sections",
            queryset=AssessmentSection.objects.select_related("person", "updated_by"),
        ),
    )


SECTION_RELATED = ("assessment__template", "person", "updated_by")


def sections_for(user):
    return access.visible(user, AssessmentSection.objects.all()).select_related(*SECTION_RELATED)


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
    comments = serializers.CharField(
        required=False, allow_blank=True, default="", help_text="What needs to change"
    )


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


class AssessmentSectionConflictSerializer(serializers.Serializer):
    """409: someone saved the section since the revision sent. `section` is as it now is."""

    status = serializers.IntegerField()
    code = serializers.CharField()
    message = serializers.CharField()
    section = AssessmentSectionSerializer()


class AssessmentSectionIncompleteSerializer(serializers.Serializer):
    """400 on completing a section with answers missing: the answers are saved
    (`saved` is true, `revision` is the new one); `errors` names what is missing. Any other
    400 (answers of the wrong shape, an assessment that cannot change) is the plain error,
    without `saved`, `revision` and `section`."""

    status = serializers.IntegerField()
    code = serializers.CharField()
    message = serializers.CharField()
    errors = serializers.DictField(child=serializers.ListField(child=serializers.CharField()))
    saved = serializers.BooleanField(required=False)
    revision = serializers.IntegerField(required=False)
    section = AssessmentSectionSerializer(required=False)


# Assessments


def _require(request, permission, episode, message):
    """Ask the policy before reading the body, so a user who may see the assessment but not
    do this gets 403 rather than a 400 about what they sent. The service asks again: it is
    the authority."""
    if not access.can(request.user, permission, episode):
        raise exceptions.PermissionDenied(message)


class AssessmentFilter(django_filters.FilterSet):
    episode = VisibleRecordFilter(model=Episode)
    status = django_filters.ChoiceFilter(
        choices=AssessmentStatus.choices,
        error_messages={"invalid_choice": "Choose a status from the list"},
    )

    class Meta:
        model = Assessment
        fields = ["episode", "status"]


def _assessment_action(summary, request=None, responses=AssessmentDetailSerializer):
    return extend_schema(summary=summary, request=request, responses=responses)


@extend_schema_view(
    list=extend_schema(summary="Early Help Assessments the user may see"),
    retrieve=extend_schema(summary="An assessment, with the people it covers and its sections"),
    create=extend_schema(
        summary="Start the episode's assessment on the current template (lead professional)",
        request=AssessmentCreateSerializer,
        responses={201: AssessmentDetailSerializer},
    ),
)
class AssessmentViewSet(
    AuditedViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """Each action answers with the assessment as it now is."""

    permission_classes = [WorksOnCases]
    lookup_field = "uuid"
    filterset_class = AssessmentFilter

    def get_queryset(self):
        assessments_qs = assessments_for(self.request.user)
        if self.action == "list":
            return assessments_qs
        return with_details(assessments_qs)

    def get_serializer_class(self):
        if self.action == "list":
            return AssessmentSerializer
        return AssessmentDetailSerializer

    def _body(self, serializer_class):
        serializer = serializer_class(data=self.request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data

    def _detail(self, assessment, status_code=status.HTTP_200_OK):
        # The user has just acted on it: shown even if it has now left their view.
        assessment = with_details(Assessment.objects.select_related(*ASSESSMENT_RELATED)).get(
            pk=assessment.pk
        )
        data = AssessmentDetailSerializer(assessment, context=self.get_serializer_context()).data
        return Response(data, status=status_code)

    def create(self, request):
        body = self._body(AssessmentCreateSerializer)
        assessment = services.assessment_start(by=request.user, **body)
        return self._detail(assessment, status.HTTP_201_CREATED)

    @_assessment_action("Submit for a manager's approval (lead professional)")
    @action(detail=True, methods=["post"])
    def submit(self, request, uuid=None):
        assessment = services.assessment_submit(by=request.user, assessment=self.get_object())
        return self._detail(assessment)

    @_assessment_action("Return it for changes, saying what (managers)", AssessmentReturnSerializer)
    @action(detail=True, methods=["post"], url_path="return")
    def return_for_changes(self, request, uuid=None):
        assessment = self.get_object()
        _require(
            request,
            access.Permission.MANAGE_EPISODE,
            assessment.episode,
            "Only a manager over the episode can approve or return the assessment",
        )
        body = self._body(AssessmentReturnSerializer)
        with fields_renamed(return_comments="comments"):
            assessment = services.assessment_return(
                by=request.user, assessment=assessment, comments=body["comments"]
            )
        return self._detail(assessment)

    @_assessment_action("Approve it: it can no longer change (managers)")
    @action(detail=True, methods=["post"])
    def approve(self, request, uuid=None):
        assessment = services.assessment_approve(by=request.user, assessment=self.get_object())
        return self._detail(assessment)

    @_assessment_action(
        "Start a new version of an approved assessment, to change it (lead professional)",
        responses={201: AssessmentDetailSerializer},
    )
    @action(detail=True, methods=["post"], url_path="new-version")
    def new_version(self, request, uuid=None):
        new = services.assessment_new_version(by=request.user, assessment=self.get_object())
        return self._detail(new, status.HTTP_201_CREATED)


# Sections


_SAVE_RESPONSES = {
    200: AssessmentSectionSerializer,
    400: OpenApiResponse(
        AssessmentSectionIncompleteSerializer,
        description="Answers of the wrong shape (nothing saved), the assessment cannot "
        "change, or the section was saved but is not complete (`saved` is true)",
    ),
    409: AssessmentSectionConflictSerializer,
}


@extend_schema_view(
    retrieve=extend_schema(summary="A section: its questions from the template and the answers"),
    update=extend_schema(
        summary="Save the section's answers (lead professional)",
        request=AssessmentSectionSaveSerializer,
        responses=_SAVE_RESPONSES,
    ),
    partial_update=extend_schema(
        summary="Save some of the section's answers, keeping the others (lead professional)",
        request=AssessmentSectionSaveSerializer,
        responses=_SAVE_RESPONSES,
    ),
)
class AssessmentSectionViewSet(
    AuditedViewSetMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    permission_classes = [WorksOnCases]
    serializer_class = AssessmentSectionSerializer
    lookup_field = "uuid"
    http_method_names = ["get", "put", "patch", "head", "options"]

    def get_queryset(self):
        return sections_for(self.request.user)

    def update(self, request, uuid=None):
        return self._save(replace=True)

    def partial_update(self, request, uuid=None):
        return self._save(replace=False)

    def _section_data(self, section):
        section = AssessmentSection.objects.select_related(*SECTION_RELATED).get(pk=section.pk)
        return AssessmentSectionSerializer(section, context=self.get_serializer_context()).data

    def _save(self, *, replace):
        section = self.get_object()
        _require(
            self.request,
            access.Permission.WORK_ON_EPISODE,
            section.assessment.episode,
            "Only the lead professional can write the assessment",
        )
        body = AssessmentSectionSaveSerializer(data=self.request.data)
        body.is_valid(raise_exception=True)
        answers = body.validated_data["answers"]
        if not replace:
            answers = {**section.answers, **answers}
        expected = body.validated_data["revision"]
        try:
            section = services.assessment_section_save(
                by=self.request.user,
                section=section,
                answers=answers,
                expected_revision=expected,
                complete=body.validated_data["complete"],
            )
        except ServiceError as error:
            current = AssessmentSection.objects.select_related("assessment").get(pk=section.pk)
            if current.assessment.is_editable and current.revision != expected:
                return self._conflict(error, current)
            raise
        except DjangoValidationError as error:
            messages = error.message_dict if hasattr(error, "error_dict") else {}
            if services.SAVED_NOT_COMPLETE in messages.get(NON_FIELD_ERRORS, ()):
                return self._incomplete(messages, section)
            raise
        return Response(self._section_data(section))

    def _conflict(self, error, section):
        body = {
            "status": status.HTTP_409_CONFLICT,
            "code": "conflict",
            "message": error.message,
            "section": self._section_data(section),
        }
        return Response(body, status=status.HTTP_409_CONFLICT)

    def _incomplete(self, messages, section):
        errors = dict(messages)
        errors["non_field_errors"] = errors.pop(NON_FIELD_ERRORS)
        data = self._section_data(section)
        body = {
            "status": status.HTTP_400_BAD_REQUEST,
            "code": "invalid",
            "message": services.SAVED_NOT_COMPLETE,
            "errors": errors,
            "saved": True,
            "revision": data["revision"],
            "section": data,
        }
        return Response(body, status=status.HTTP_400_BAD_REQUEST)
