"""Serving a stored file: always as a download, never rendered in the browser, audited.

For a user the caller has already checked may see the record (request attachments, family
plan PDFs)."""

from django.http import FileResponse, Http404

from audit.models import AuditAction
from audit.services import record


def download_response(user, *, file, filename, obj, detail=None):
    """`file` (a stored FieldFile) as an attachment named `filename`; the export of `obj`
    is audited with `detail`. A file missing from storage is a 404, not audited."""
    try:
        opened = file.open("rb")
    except FileNotFoundError as error:
        raise Http404("The file is not there") from error
    record(actor=user, action=AuditAction.EXPORT, obj=obj, detail=detail or {})
    response = FileResponse(opened, as_attachment=True, filename=filename)
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "no-store"
    return response
