"""The API base for case records, shared by every domain's viewsets."""

from rest_framework import viewsets
from rest_framework.permissions import BasePermission

from earlyhelp import access
from earlyhelp.api_actions import require_before_body


class WorksOnCases(BasePermission):
    """Case records are for the practice roles, as on the pages."""

    message = "Case records are for practitioners and their managers."

    def has_permission(self, request, view):
        return access.has_role(request.user, *access.PRACTICE_ROLES)


class CaseViewSet(viewsets.GenericViewSet):
    """Case records under the access policy, for the practice roles. Subclasses put
    AuditedViewSetMixin first, so list and retrieve are audited."""

    permission_classes = [WorksOnCases]
    # Changes are PATCH: PUT would blank every field a client left out.
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]


def require_may_create(user):
    """Asked before a new record's body is read, so a user who may not create case records
    gets 403 rather than a 400 about what they sent. The service asks again: it is the
    authority."""
    require_before_body(
        user,
        access.Permission.CREATE_CASE_RECORDS,
        None,
        refusal="You do not have permission to do this",
    )
