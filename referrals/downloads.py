"""Serving a file sent with a request: always as a download, never rendered, audited."""

from django.http import FileResponse

from audit.models import AuditAction
from audit.services import record


def attachment_response(user, attachment):
    """The file as a download, for a user the caller has already checked may see it."""
    record(
        actor=user,
        action=AuditAction.EXPORT,
        obj=attachment.request,
        detail={"attachment": attachment.original_name},
    )
    response = FileResponse(
        attachment.file.open("rb"), as_attachment=True, filename=attachment.original_name
    )
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
