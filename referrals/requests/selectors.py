"""Reads of requests for support, always through the access policy."""

from django.db.models import Exists, OuterRef, Prefetch

from accounts.models import Agency
from cases.models import Episode, Person
from earlyhelp import access
from referrals.models import (
    OPEN_STATUSES,
    Decision,
    PresentingNeed,
    RequestForSupport,
    RequestPerson,
    ScreeningCheck,
)
from referrals.requests.services import families_of, re_referral_since
from thresholds.models import Indicator


def requests_for(user):
    """Requests the user may see, for lists: the requester's own, for triage officers those
    waiting for or in screening, and those of families whose records are open to the user."""
    return access.visible(user, RequestForSupport.objects.all()).order_by("-received_at", "-id")


def own_requests_for(user):
    """The signed-in requester's own requests ("Your requests")."""
    return requests_for(user).filter(requested_by=user).select_related("decision")


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


def triage_queue_for(user):
    """Open requests in the order they fall due, with who is screening them."""
    queryset = (
        requests_for(user)
        .filter(status__in=OPEN_STATUSES)
        .select_related("assigned_to", "locality", "requester_agency")
        .prefetch_related("people")
        .order_by("due_at", "received_at", "pk")
    )
    return with_re_referral_flag(queryset)


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


def screening_detail_for(user):
    """Everything the screening page shows about the request itself."""
    # People (with their matched records) are prefetched by request_detail_for: a second
    # Prefetch of the same lookup would raise ValueError.
    return request_detail_for(user).prefetch_related(
        Prefetch(
            "checks",
            queryset=ScreeningCheck.objects.select_related("agency").order_by("asked_at", "pk"),
        ),
        Prefetch("indicators", queryset=Indicator.objects.select_related("level", "domain")),
    )


def decision_for(user, request_for_support):
    return (
        access.visible(user, Decision.objects.filter(request=request_for_support))
        .select_related(
            "level",
            "suggested_level",
            "framework",
            "single_agency",
            "decided_by",
            "episode__locality",
        )
        .prefetch_related(
            Prefetch("indicators", queryset=Indicator.objects.select_related("level"))
        )
        .first()
    )


def known_to(user, request_for_support):
    """The family's history at the front door: its episodes (open first) with lead
    professional, team and locality, and its other requests. Reads of the families linked
    to or matched on the request; shown to triage officers, who see them while screening."""
    family_ids = families_of(request_for_support)
    episodes = (
        Episode.objects.filter(family__in=family_ids)
        .select_related("family", "locality", "level", "lead_professional", "team")
        .order_by("closed_at", "-opened_at")
    )
    past_requests = (
        RequestForSupport.objects.filter(family__in=family_ids)
        .exclude(pk=request_for_support.pk)
        .select_related("decision__level")
        .order_by("-received_at")
    )
    return {
        "open_episodes": [episode for episode in episodes if episode.is_open],
        "past_episodes": [episode for episode in episodes if not episode.is_open],
        "past_requests": list(past_requests),
    }


def matched_people_visible(user, request_for_support):
    ids = [p.matched_person_id for p in request_for_support.people.all() if p.matched_person_id]
    return access.visible(user, Person.objects.filter(pk__in=ids))


def agency_choices():
    return Agency.objects.order_by("name")


def presenting_need_choices():
    return PresentingNeed.objects.active().order_by("order", "label")
