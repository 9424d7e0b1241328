"""The family plan PDFs in the API: ask for the family's copy of the plan in force (202: it
is made by a background job), follow its status, and download it once ready.

As on the pages: reads go through the access policy (404 for what the user may not see)
and are audited; asking goes through `plan_document_request` (403 if the user may not work
on the episode, 400 if the plan is not the one in force); a download is audited as an
export.
"""

import django_filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import serializers, status
from rest_framework.decorators import action

from accounts.api import UserRefSerializer
from assessments.documents import selectors as document_selectors
from assessments.documents import services as documents
from assessments.documents.downloads import plan_document_response
from assessments.models import FamilyPlanDocument, FamilyPlanDocumentStatus, Plan
from earlyhelp.api import VisibleRecordField, VisibleRecordFilter
from earlyhelp.api_actions import service_create
from earlyhelp.api_fields import choice_text
from earlyhelp.viewsets import AuditedCaseViewSet


class FamilyPlanDocumentSerializer(serializers.ModelSerializer):
    plan = serializers.SlugRelatedField(slug_field="uuid", read_only=True)
    # A document not made within FAMILY_PLAN_PDF_STALE_MINUTES counts as failed: ask again.
    status = choice_text(FamilyPlanDocumentStatus.choices, source="shown_status")
    status_display = serializers.CharField(source="get_shown_status_display", read_only=True)
    requested_by = UserRefSerializer(read_only=True, allow_null=True)
    filename = serializers.CharField(read_only=True)
    download_url = serializers.SerializerMethodField(
        help_text="Where to download the PDF once it is ready; null until then"
    )

    class Meta:
        model = FamilyPlanDocument
        fields = [
            "uuid",
            "plan",
            "status",
            "status_display",
            "filename",
            "requested_by",
            "requested_at",
            "rendered_at",
            "download_url",
        ]

    def get_download_url(self, document) -> str | None:
        if document.status != FamilyPlanDocumentStatus.READY:
            return None
        return f"/api/family-plans/{document.uuid}/download/"


class FamilyPlanDocumentRequestSerializer(serializers.Serializer):
    plan = VisibleRecordField(
        queryset=Plan.objects.all(),
        error_messages={"does_not_exist": "Choose a plan you can see"},
        help_text="The UUID of the plan in force (agreed)",
    )


class FamilyPlanDocumentFilter(django_filters.FilterSet):
    plan = VisibleRecordFilter(model=Plan)

    class Meta:
        model = FamilyPlanDocument
        fields = ["plan"]


@extend_schema_view(
    list=extend_schema(summary="Family plan PDFs the user may see, newest first"),
    retrieve=extend_schema(summary="A family plan PDF: whether it is ready, and where it is"),
)
class FamilyPlanDocumentViewSet(AuditedCaseViewSet):
    """The family's copy of a plan as a PDF: ask for it, follow its status, download it."""

    detail_serializer_class = FamilyPlanDocumentSerializer
    filterset_class = FamilyPlanDocumentFilter

    def detail_queryset(self):
        return document_selectors.documents_visible_to(self.request.user)

    def detail_object(self, document):
        # The user has just asked for it; without a broker it is already made.
        return FamilyPlanDocument.objects.select_related("plan", "requested_by").get(pk=document.pk)

    @service_create(
        "Make the family's copy of the plan in force (lead professional, managers)",
        body=FamilyPlanDocumentRequestSerializer,
        status_code=status.HTTP_202_ACCEPTED,
        description="Answers 202: the PDF is made by a background job. Follow `status` "
        "until it is `ready`, then download it from `download_url`. If it is `failed` (it "
        "could not be made, or was not made in time), ask again: that makes a new one.",
    )
    def create(self, request, **body):
        return documents.plan_document_request(by=request.user, **body)

    @extend_schema(
        summary="Download the PDF (404 until it is ready)",
        responses={
            (200, "application/pdf"): OpenApiTypes.BINARY,
            404: OpenApiResponse(description="Not found, or not ready yet"),
        },
    )
    @action(detail=True, methods=["get"], filter_backends=[], pagination_class=None)
    def download(self, request, uuid=None):
        document = self.get_object()
        return plan_document_response(request.user, document)
