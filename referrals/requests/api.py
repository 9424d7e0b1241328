"""The requests-for-support API: professionals create requests and follow their own;
triage officers work the queue, screen and decide (`referrals.screening.api`).

Reads come through the access policy (`selectors`) and are audited; every change goes
through the services, so the rules are the same as on the pages. A requester sees what
they sent, its status and the outcome summary, never the family, episode or indicators it
led to.

Files are not sent in the JSON that creates a request: add them afterwards, one per
multipart POST to `/api/requests/{uuid}/attachments/`, and download them from
`/api/requests/{uuid}/attachments/{id}/`.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import MultiPartParser
from rest_framework.permissions import BasePermission
from rest_framework.response import Response

from accounts.models import Role
from audit.services import record_list, record_refused
from audit.views import AuditedViewSetMixin
from earlyhelp import access
from referrals.models import RequestAttachment, RequestForSupport, Source
from referrals.requests import selectors, services
from referrals.requests.downloads import attachment_response
from referrals.requests.serializers import (
    AttachmentSerializer,
    AttachmentUploadSerializer,
    RequestAsSeenSerializer,
    RequestCreateSerializer,
    RequestSerializer,
    TriageRequestSerializer,
    WithdrawSerializer,
)
from referrals.screening import selectors as screening_selectors
from referrals.screening.api import ScreeningActions


class MaySubmitRequests(BasePermission):
    message = "Requests for support are made by practitioners."

    def has_permission(self, request, view):
        return access.can(request.user, access.Permission.SUBMIT_REQUEST)


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
    # No docstring here: the schema describes the operations with the first one in the
    # bases (AuditedViewSetMixin's), as it always has.
    AuditedViewSetMixin,
    ScreeningActions,
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
            return screening_selectors.screening_detail_for(self.request.user)
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
        upload = self.parse_body(AttachmentUploadSerializer)["file"]
        attachment = services.request_attachment_add(
            by=request.user, request=request_for_support, upload=upload
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
        reason = self.parse_body(WithdrawSerializer)["withdrawn_reason"]
        withdrawn = services.request_withdraw(
            by=request.user, request=request_for_support, reason=reason
        )
        instance = self.get_queryset().get(pk=withdrawn.pk)
        return Response(self.get_serializer_class()(instance).data)
