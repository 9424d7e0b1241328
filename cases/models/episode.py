"""Episodes: one period of early help for one family, from the decision to offer help until
closure (DESIGN sections 3 and 4). The front door opens them; allocation, the lead
professional, the TAF and closure are worked on by later issues."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from earlyhelp.models import TimeStampedModel

from .family import Family

# A request for a family whose episode closed this recently is a re-referral.
RE_REFERRAL_WINDOW_DAYS = 365


class EpisodeStatus(models.TextChoices):
    AWAITING_ALLOCATION = "awaiting_allocation", "Awaiting allocation"
    ALLOCATED = "allocated", "Allocated"
    ASSESSING = "assessing", "Assessing"
    PLAN_IN_PLACE = "plan_in_place", "Plan in place"
    CLOSING = "closing", "Closing"
    CLOSED = "closed", "Closed"


EPISODE_STATUS_COLOURS = {
    EpisodeStatus.AWAITING_ALLOCATION: "orange",
    EpisodeStatus.ALLOCATED: "blue",
    EpisodeStatus.ASSESSING: "turquoise",
    EpisodeStatus.PLAN_IN_PLACE: "green",
    EpisodeStatus.CLOSING: "yellow",
    EpisodeStatus.CLOSED: "grey",
}


class EpisodeQuerySet(models.QuerySet):
    def open(self):
        return self.exclude(status=EpisodeStatus.CLOSED)

    def closed_since(self, moment):
        return self.filter(status=EpisodeStatus.CLOSED, closed_at__gte=moment)


class Episode(TimeStampedModel):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    family = models.ForeignKey(Family, on_delete=models.PROTECT, related_name="episodes")
    locality = models.ForeignKey(
        "accounts.Locality", on_delete=models.PROTECT, related_name="episodes"
    )
    level = models.ForeignKey(
        "thresholds.Level",
        on_delete=models.PROTECT,
        related_name="episodes",
        help_text="The level of need the episode was opened at",
    )
    status = models.CharField(
        max_length=24, choices=EpisodeStatus.choices, default=EpisodeStatus.AWAITING_ALLOCATION
    )
    opened_at = models.DateTimeField(default=timezone.now)
    opened_from_request = models.ForeignKey(
        "referrals.RequestForSupport",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="episodes_opened",
    )
    lead_professional = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="episodes_led",
    )
    team = models.ForeignKey(
        "accounts.Team",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="episodes",
        help_text="The team the lead professional works from, once allocated",
    )
    closed_at = models.DateTimeField(null=True, blank=True)
    closure_reason = models.TextField(blank=True)

    objects = EpisodeQuerySet.as_manager()

    class Meta:
        ordering = ["-opened_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["family"],
                condition=~Q(status="closed"),
                name="cases_one_open_episode_per_family",
                violation_error_message="This family already has an open episode",
            ),
            models.CheckConstraint(
                condition=(Q(status="closed") & Q(closed_at__isnull=False))
                | (~Q(status="closed") & Q(closed_at__isnull=True)),
                name="cases_episode_closed_at_matches_status",
            ),
        ]

    def __str__(self):
        return f"{self.family} episode opened {self.opened_at:%-d %B %Y}"

    @property
    def is_open(self):
        return self.status != EpisodeStatus.CLOSED

    @property
    def status_colour(self):
        return EPISODE_STATUS_COLOURS[EpisodeStatus(self.status)]
