"""A family's early help episodes, as the case page tests make them."""

import datetime

from django.utils import timezone

from cases.models import Episode
from thresholds.models import Level


def add_episodes(family, count):
    """`count` episodes: one open, awaiting allocation, and the rest closed."""
    level = Level.objects.get(framework__is_current=True, rank=3)
    now = timezone.now()
    for n in range(count):
        closed = n > 0
        Episode.objects.create(
            family=family,
            locality=family.owning_team.locality,
            level=level,
            status="closed" if closed else "awaiting_allocation",
            opened_at=now - datetime.timedelta(days=100 * (n + 1)),
            closed_at=now - datetime.timedelta(days=100 * n + 10) if closed else None,
        )
