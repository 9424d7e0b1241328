"""Reads of requests for support, always through the access policy."""

from datetime import timedelta

from django.db.models import Exists, OuterRef, Prefetch
from django.utils import timezone

from accounts.models import Agency
from cases.models import RE_REFERRAL_WINDOW_DAYS, Episode, FamilyMembership
from earlyhelp import access
from referrals.models import PresentingNeed, RequestForSupport, RequestPerson


def requests_for(user):
    """Requests the user may see, for lists: the requester's own, for triage officers those
    waiting for or in screening, and those of families whose records are open to the user."""
    return access.visible(user, RequestForSupport.objects.all()).order_by("-received_at", "-id")


def own_requests_for(user):
    """The signed-in requester's own requests ("Your requests")."""
    return requests_for(user).filter(requested_by=user).select_related("decision")


# Re-referral


def re_referral_since(at=None):
    return (at or timezone.now()) - timedelta(days=RE_REFERRAL_WINDOW_DAYS)


def families_of(request: RequestForSupport):
    """The family linked to the request and the households of everyone matched on it."""
    matched = request.people.exclude(matched_person=None).values("matched_person")
    ids = set(FamilyMembership.objects.filter(person__in=matched).values_list("family", flat=True))
    if request.family_id:
        ids.add(request.family_id)
    return ids


def is_re_referral(request: RequestForSupport, at=None) -> bool:
    """An episode for the family closed within the last 12 months (DESIGN section 3)."""
    return (
        Episode.objects.closed_since(re_referral_since(at))
        .filter(family__in=families_of(request))
        .exists()
    )


def with_re_referral_flag(queryset, at=None):
    """Annotate `is_re_referral`: the linked family, or a household of someone matched on
    the request, had an episode closed in the last 12 months."""
    recently_closed = Episode.objects.closed_since(re_referral_since(at))
    matched_household_closed = RequestPerson.objects.filter(
        request=OuterRef("pk"),
        matched_person__memberships__family__episodes__in=recently_closed,
    )
    return queryset.annotate(
        is_re_referral=Exists(recently_closed.filter(family=OuterRef("family")))
        | Exists(matched_household_closed)
    )


def request_detail_for(user):
    return with_re_referral_flag(
        requests_for(user)
        .select_related("requester_agency", "assigned_to", "family", "locality", "decision__level")
        .prefetch_related(
            Prefetch(
                "presenting_needs", queryset=PresentingNeed.objects.order_by("order", "label")
            ),
            Prefetch(
                "people",
                queryset=RequestPerson.objects.select_related("matched_person__owning_team"),
            ),
            "attachments",
        )
    )


def agency_choices():
    return Agency.objects.order_by("name")


def presenting_need_choices():
    return PresentingNeed.objects.active().order_by("order", "label")
