"""Reads for screening: the triage queue, a request as screening sees it, the family's
history at the front door and the decision; always through the access policy."""

from django.db.models import Prefetch

from accounts.models import Role, User
from cases.models import Episode, Person
from earlyhelp import access
from referrals.models import OPEN_STATUSES, Decision, RequestForSupport, ScreeningCheck
from referrals.requests.selectors import (
    families_of,
    request_detail_for,
    requests_for,
    with_re_referral_flag,
)
from thresholds.models import Indicator


def triage_officers():
    """Who a request can be given to: active triage officers, by name."""
    return User.objects.filter(is_active=True, groups__name=Role.TRIAGE_OFFICER).order_by(
        "full_name", "pk"
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
