"""Serving the family's copy of a plan: always as a download, never rendered, audited."""

from django.http import Http404

from assessments.models import FamilyPlanDocumentStatus
from earlyhelp.downloads import download_response


def plan_document_response(user, document):
    """The PDF as a download, for a user the caller has already checked may see it; 404
    until it is ready."""
    if document.status != FamilyPlanDocumentStatus.READY or not document.file:
        raise Http404("The family plan PDF is not ready")
    return download_response(
        user,
        file=document.file,
        filename=document.filename,
        obj=document.plan,
        detail={"document": str(document.uuid)},
    )
