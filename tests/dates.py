"""Dates relative to the suite's clock that are valid on every day of the year."""

import datetime

from django.utils import timezone


def years_before(day, years):
    """The same day `years` earlier; 28 February for a 29 February the year lacks."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


def years_ago(years, days=0):
    """A date of birth for someone `years` old today (and `days` more)."""
    return years_before(timezone.localdate(), years) - datetime.timedelta(days=days)
