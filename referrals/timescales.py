"""How soon the front door screens a request: a timescale in working days set by its urgency.

A request for support is screened by the triage (MASH) team within a timescale set by its
urgency, counted in working days (``earlyhelp.working_days``: weekends and England and
Wales bank holidays skipped, the working day ending at ``TRIAGE_END_OF_WORKING_DAY``).

Timescales (``due_at``)
    ``settings.TRIAGE_TIMESCALES_WORKING_DAYS`` maps urgency ("red", "amber",
    "green") to working days; it is read at call time and merged over the
    default ``{"red": 0, "amber": 1, "green": 3}``. A request is due at the end
    of the working day that many working days after the day it was received
    (``add_working_days``): red received Friday 10:00 is due Friday 17:00; red
    received Friday 18:00 is due Monday 17:00.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from enum import StrEnum

from django.conf import settings

from earlyhelp.working_days import add_working_days

DEFAULT_TIMESCALES_WORKING_DAYS: Mapping[str, int] = {"red": 0, "amber": 1, "green": 3}


class Urgency(StrEnum):
    RED = "red"
    AMBER = "amber"
    GREEN = "green"


def timescales_working_days() -> dict[str, int]:
    """Working days per urgency: the setting merged over the defaults, validated."""
    configured = getattr(settings, "TRIAGE_TIMESCALES_WORKING_DAYS", None) or {}
    timescales = {**DEFAULT_TIMESCALES_WORKING_DAYS, **configured}
    for urgency, days in timescales.items():
        if urgency not in Urgency._value2member_map_:
            raise ValueError(f"Unknown urgency {urgency!r} in TRIAGE_TIMESCALES_WORKING_DAYS")
        if isinstance(days, bool) or not isinstance(days, int) or days < 0:
            raise ValueError(f"Timescale for {urgency!r} must be a whole number of days >= 0")
    return timescales


def parse_timescales(value: str) -> dict[str, int]:
    """Parse an environment value such as "red=0,amber=1,green=3"."""
    timescales = {}
    for item in value.split(","):
        if not item.strip():
            continue
        urgency, separator, days = item.partition("=")
        if not separator:
            raise ValueError(f"Expected urgency=days, got {item.strip()!r}")
        timescales[urgency.strip().lower()] = int(days)
    return timescales


def due_at(received_at: datetime, urgency: str) -> datetime:
    """When a request of ``urgency`` ("red", "amber" or "green") received then is due."""
    key = str(urgency).strip().lower()
    timescales = timescales_working_days()
    if key not in timescales:
        raise ValueError(f"Unknown urgency {urgency!r}; expected one of {', '.join(timescales)}")
    return add_working_days(received_at, timescales[key])
