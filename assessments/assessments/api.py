"""The assessments API: assessment templates and Early Help Assessments (DESIGN section 4,
assessments; issue 6 item 8). How each record is shown, and the bodies, are in
`.serializers`.

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

from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, status
from rest_framework.response import Response

from accounts.api import ConfiguresForWrites
from assessments.assessments import selectors, services
from assessments.assessments.loader import TemplateFileError
from assessments.assessments.serializers import (
    AssessmentCreateSerializer,
    AssessmentDetailSerializer,
    AssessmentFilter,
    AssessmentReturnSerializer,
    AssessmentSectionConflictSerializer,
    AssessmentSectionIncompleteSerializer,
    AssessmentSectionSaveSerializer,
    AssessmentSectionSerializer,
    AssessmentSerializer,
    AssessmentTemplateImportSerializer,
    AssessmentTemplateSerializer,
)
from assessments.models import Assessment, AssessmentSection, AssessmentTemplate
from audit.views import AuditedViewSetMixin
from earlyhelp import access
from earlyhelp.api_actions import (
    conflict_response,
    require_before_body,
    service_action,
    service_create,
)
from earlyhelp.exceptions import ServiceError
from earlyhelp.viewsets import AuditedCaseViewSet, CaseViewSet, RecordViewSet

# Templates


class ConfiguresTemplates(ConfiguresForWrites):
    message = "Only system administrators can import or publish assessment templates."


@extend_schema_view(
    list=extend_schema(summary="Assessment template versions, newest first"),
    retrieve=extend_schema(summary="An assessment template version"),
)
class AssessmentTemplateViewSet(
    AuditedViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, RecordViewSet
):
    permission_classes = [ConfiguresTemplates]
    detail_serializer_class = AssessmentTemplateSerializer

    def detail_queryset(self):
        return AssessmentTemplate.objects.all()

    @service_create(
        "Import a template file as the next version, not yet in use (administrators)",
        body=AssessmentTemplateImportSerializer,
        description="A file with faults answers 400 with `errors.content` listing each "
        'fault as "line N: message".',
    )
    def create(self, request, content, source_name):
        try:
            return services.template_import(by=request.user, data=content, source_name=source_name)
        except TemplateFileError as error:
            raise DjangoValidationError(
                {"content": [str(problem) for problem in error.problems]}
            ) from error

    @service_action(
        "Use this version for new assessments (administrators)",
        description="Assessments already started keep the version they were written on.",
    )
    def publish(self, request, template):
        return services.template_publish(by=request.user, template=template)


# Assessments


@extend_schema_view(
    list=extend_schema(summary="Early Help Assessments the user may see"),
    retrieve=extend_schema(summary="An assessment, with the people it covers and its sections"),
)
class AssessmentViewSet(AuditedCaseViewSet):
    """Each action answers with the assessment as it now is."""

    list_serializer_class = AssessmentSerializer
    detail_serializer_class = AssessmentDetailSerializer
    filterset_class = AssessmentFilter

    def list_queryset(self):
        return selectors.assessments_for(self.request.user)

    def detail_queryset(self):
        return selectors.with_parts(self.list_queryset())

    def detail_object(self, assessment):
        # The user has just acted on it: shown even if it has now left their view.
        related = Assessment.objects.select_related(*selectors.ASSESSMENT_RELATED)
        return selectors.with_parts(related).get(pk=assessment.pk)

    @service_create(
        "Start the episode's assessment on the current template (lead professional)",
        body=AssessmentCreateSerializer,
    )
    def create(self, request, **body):
        return services.assessment_start(by=request.user, **body)

    @service_action("Submit for a manager's approval (lead professional)")
    def submit(self, request, assessment):
        return services.assessment_submit(by=request.user, assessment=assessment)

    @service_action(
        "Return it for changes, saying what (managers)",
        body=AssessmentReturnSerializer,
        permission=access.Permission.MANAGE_EPISODE,
        permission_on=lambda assessment: assessment.episode,
        refusal="Only a manager over the episode can approve or return the assessment",
        url_path="return",
    )
    def return_for_changes(self, request, assessment, comments):
        return services.assessment_return(by=request.user, assessment=assessment, comments=comments)

    @service_action("Approve it: it can no longer change (managers)")
    def approve(self, request, assessment):
        return services.assessment_approve(by=request.user, assessment=assessment)

    @service_action(
        "Start a new version of an approved assessment, to change it (lead professional)",
        status_code=status.HTTP_201_CREATED,
        url_path="new-version",
    )
    def new_version(self, request, assessment):
        return services.assessment_new_version(by=request.user, assessment=assessment)


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
class AssessmentSectionViewSet(AuditedViewSetMixin, mixins.RetrieveModelMixin, CaseViewSet):
    detail_serializer_class = AssessmentSectionSerializer
    http_method_names = ["get", "put", "patch", "head", "options"]

    def detail_queryset(self):
        return selectors.sections_for(self.request.user)

    def update(self, request, uuid=None):
        return self._save(replace=True)

    def partial_update(self, request, uuid=None):
        return self._save(replace=False)

    def detail_object(self, section):
        return AssessmentSection.objects.select_related(*selectors.SECTION_RELATED).get(
            pk=section.pk
        )

    def _save(self, *, replace):
        section = self.get_object()
        require_before_body(
            self.request.user,
            access.Permission.WORK_ON_EPISODE,
            section.assessment.episode,
            "Only the lead professional can write the assessment",
        )
        body = self.parse_body(AssessmentSectionSaveSerializer)
        answers = body["answers"]
        if not replace:
            answers = {**section.answers, **answers}
        expected = body["revision"]
        try:
            section = services.assessment_section_save(
                by=self.request.user,
                section=section,
                answers=answers,
                expected_revision=expected,
                complete=body["complete"],
            )
        except ServiceError as error:
            current = AssessmentSection.objects.select_related("assessment").get(pk=section.pk)
            if current.assessment.is_editable and current.revision != expected:
                return conflict_response(error.message, section=self.detail_data(current))
            raise
        except DjangoValidationError as error:
            messages = error.message_dict if hasattr(error, "error_dict") else {}
            if services.SAVED_NOT_COMPLETE in messages.get(NON_FIELD_ERRORS, ()):
                return self._incomplete(messages, section)
            raise
        return self.detail_response(section)

    def _incomplete(self, messages, section):
        errors = dict(messages)
        errors["non_field_errors"] = errors.pop(NON_FIELD_ERRORS)
        data = self.detail_data(section)
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
