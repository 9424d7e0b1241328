"""A family's level history (decision 0012): written only here, by the episode services and
the transitions that move a family along the continuum."""

from django.utils import timezone

from thresholds.models import LevelChange


def record_level_change(
    *, family, episode, from_level, to_level, cause, by, reason="", transition=None, at=None
) -> LevelChange | None:
    """Add to the family's level history, unless the level did not change."""
    if from_level == to_level:
        return None
    return LevelChange.objects.create(
        family=family,
        episode=episode,
        from_level=from_level,
        to_level=to_level,
        cause=cause,
        transition=transition,
        reason=reason,
        changed_by=by,
        changed_at=at or timezone.now(),
    )


def current_level(family):
    last = LevelChange.objects.filter(family=family).order_by("-changed_at", "-pk").first()
    return last.to_level if last else None
