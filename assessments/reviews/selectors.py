"""Reads of TAF reviews: querysets already filtered by the access policy and prefetched
once, for the pages and the API."""

from django.db.models import Prefetch

from assessments.models import Plan, Review, ReviewProgress
from cases.models import TafMember
from earlyhelp import access

REVIEW_RELATED = (
    "episode__family",
    "episode__level",
    "plan",
    "transition__to_level",
    "transition__receiving_team",
    "created_by",
)


def reviews_for(user):
    """The reviews the user may see (pages and API)."""
    return access.visible(user, Review.objects.select_related(*REVIEW_RELATED))


def review_detail_for(user):
    return reviews_for(user).prefetch_related(
        Prefetch(
            "attendees",
            queryset=TafMember.objects.select_related("user", "agency").order_by(
                "started_on", "id"
            ),
        ),
        Prefetch(
            "progress",
            queryset=ReviewProgress.objects.select_related("outcome").order_by(
                "outcome__position", "id"
            ),
        ),
    )


def with_record(reviews):
    """Reviews as the API shows them: who came, progress per outcome, the plan started."""
    return reviews.prefetch_related(
        Prefetch("attendees", queryset=TafMember.objects.select_related("user", "agency")),
        Prefetch("progress", queryset=ReviewProgress.objects.select_related("outcome")),
        Prefetch("plans_started", queryset=Plan.objects.only("uuid", "from_review")),
    )


def episode_reviews(episode):
    """Every review of the episode, newest first (reviews span versions of the plan)."""
    return list(
        Review.objects.filter(episode=episode).select_related("plan").order_by("-held_on", "-id")
    )
