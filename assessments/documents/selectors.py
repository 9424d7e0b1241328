"""Reads of the family plan PDFs, already filtered by the access policy."""

from assessments.models import FamilyPlanDocument
from earlyhelp import access


def documents_visible_to(user):
    """Every family plan PDF the user may see, newest first."""
    return (
        access.visible(user, FamilyPlanDocument.objects.all())
        .select_related("plan", "requested_by")
        .order_by("-requested_at", "-id")
    )


def documents_for(user, plan):
    """The plan's PDFs the user may see, newest first (for the plan page's list)."""
    return documents_visible_to(user).filter(plan=plan)
