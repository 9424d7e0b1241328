"""Reads of requests for support, always through the access policy."""

from django.db.models import Prefetch

from earlyhelp import access

from .models import PresentingNeed, RequestForSupport


def requests_for(user):
    """Requests the user may see, for lists: the requester's own, and for triage officers
    those waiting for or in screening."""
    return access.visible(user, RequestForSupport.objects.all()).order_by("-received_at", "-id")


def own_requests_for(user):
    """The signed-in requester's own requests ("Your requests")."""
    return requests_for(user).filter(requested_by=user)


def request_detail_for(user):
    return (
        requests_for(user)
        .select_related("requester_agency")
        .prefetch_related(
            Prefetch(
                "presenting_needs", queryset=PresentingNeed.objects.order_by("order", "label")
            ),
            "people",
            "attachments",
        )
    )


def presenting_need_choices():
    return PresentingNeed.objects.active().order_by("order", "label")
