"""The API base shared by every domain's viewsets: records named by UUID, list and detail,
create and update through one service, and the case records' permission."""

from rest_framework import mixins, viewsets
from rest_framework.permissions import BasePermission

from audit.views import AuditedViewSetMixin
from earlyhelp import access
from earlyhelp.api_actions import ServiceActionMixin, require_before_body


class WorksOnCases(BasePermission):
    """Case records are for the practice roles, as on the pages."""

    message = "Case records are for practitioners and their managers."

    def has_permission(self, request, view):
        return access.has_role(request.user, *access.PRACTICE_ROLES)


class ListAndDetailMixin:
    """A list shows each record in brief, everything else shows it in full.

    `list_serializer_class` (if set) serves the list and `detail_serializer_class` the rest:
    retrieve, and the answer of every action (`ServiceActionMixin` answers with it). A
    viewset whose list and detail are the same sets only `detail_serializer_class`.

    `list_queryset()` is what a list reads; `detail_queryset()` what everything else looks
    records up in, usually the same records with what the detail shows prefetched.
    """

    list_serializer_class = None
    detail_serializer_class = None

    def get_serializer_class(self):
        if self.action == "list" and self.list_serializer_class is not None:
            return self.list_serializer_class
        if self.detail_serializer_class is not None:
            return self.detail_serializer_class
        return super().get_serializer_class()

    def get_queryset(self):
        if self.action == "list":
            return self.list_queryset()
        return self.detail_queryset()

    def list_queryset(self):
        return self.detail_queryset()

    def detail_queryset(self):
        raise NotImplementedError(f"{type(self).__name__} names the records it reads")


class ServiceCreateMixin(mixins.CreateModelMixin):
    """DRF's create, through one service: `create_service(by=, **body)`, set with
    `staticmethod`. `create_serializer_class`, if set, parses the body and shows the new
    record; otherwise the viewset's serializer does."""

    create_service = None
    create_serializer_class = None

    def get_serializer_class(self):
        if self.action == "create" and self.create_serializer_class is not None:
            return self.create_serializer_class
        return super().get_serializer_class()

    def perform_create(self, serializer):
        serializer.instance = self.create_service(by=self.request.user, **serializer.validated_data)


class ServiceUpdateMixin(mixins.UpdateModelMixin):
    """DRF's update, through one service: `update_service(by=, <model name>=record,
    **body)`, set with `staticmethod`."""

    update_service = None

    def perform_update(self, serializer):
        record = serializer.instance
        serializer.instance = self.update_service(
            by=self.request.user,
            **{record._meta.model_name: record},
            **serializer.validated_data,
        )


class RecordViewSet(ServiceActionMixin, ListAndDetailMixin, viewsets.GenericViewSet):
    """Records named by UUID, whose actions each call one service. Subclasses put
    AuditedViewSetMixin first, so list and retrieve are audited."""

    lookup_field = "uuid"


class CaseViewSet(RecordViewSet):
    """Case records under the access policy, for the practice roles."""

    permission_classes = [WorksOnCases]
    # Changes are PATCH: PUT would blank every field a client left out.
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]


class AuditedCaseViewSet(
    AuditedViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, CaseViewSet
):
    # Case records listed and read, each list and read audited; actions and writes are the
    # subclass's. A comment, not a docstring: drf-spectacular describes a viewset with the
    # first docstring among its parents, which must stay AuditedViewSetMixin's.
    pass


class AuditedCaseCreateViewSet(
    AuditedViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    ServiceCreateMixin,
    CaseViewSet,
):
    # Case records listed and read, audited, and added through one service (`create_service`).
    # A comment, not a docstring, as on AuditedCaseViewSet.
    pass


class NewCaseRecordMixin(ServiceCreateMixin):
    """The create of a record that starts a case (a family, a person).

    Whether the user may create case records is asked before the body is read, so one who
    may not gets 403 rather than a 400 about what they sent. The service asks again: it is
    the authority."""

    def create(self, request, *args, **kwargs):
        require_before_body(
            request.user,
            access.Permission.CREATE_CASE_RECORDS,
            None,
            refusal="You do not have permission to do this",
        )
        return super().create(request, *args, **kwargs)


class CaseRecordViewSet(
    AuditedViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    NewCaseRecordMixin,
    ServiceUpdateMixin,
    CaseViewSet,
):
    # The records a case starts from (families, people): listed and read, audited; created
    # and changed through their services. A comment, not a docstring, as on
    # AuditedCaseViewSet.
    pass
