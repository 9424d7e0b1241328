"""Working days, due moments and RAG tags: the arithmetic every domain's timescales use
(the front door's screening, an episode's assessment and reviews, a transition's handover).

Working days
    Monday to Friday, except bank holidays in England and Wales. Bank holidays
    come from the maintained ``holidays`` package:
    ``holidays.UnitedKingdom(subdiv="ENG")``. Wales has exactly the same bank
    holidays as England (the statutory list under the Banking and Financial
    Dealings Act 1971 plus royal proclamations; the package's "WLS" subdivision
    gives the same dates), so the ENG list serves both. Scotland and Northern
    Ireland differ and are not used. One-off bank holidays (for example a
    coronation or a state funeral) are added to the package when they are
    proclaimed, so keep the package up to date. Holidays are cached per year.

Time zone and end of the working day
    Every rule below uses local time in Europe/London, whatever the time zone
    of the datetime passed in (aware datetimes are required; naive ones raise
    ``ValueError``). The working day ends at ``settings.TRIAGE_END_OF_WORKING_DAY``
    (a ``datetime.time`` or an ``"HH:MM"`` string; default 17:00 local time,
    GMT or BST as applies on that date).

Due moment (``add_working_days``)
    1. The *base day* is the local date of ``start``, if that date is a working
       day and ``start`` is *before* the end of the working day. At or after the
       end of the working day, or on a weekend or bank holiday, the base day is
       the next working day. (Early in the morning of a working day counts for
       that day.)
    2. The due moment is the end of the working day that is ``days`` working
       days after the base day: ``days=0`` ("same working day") is the end of
       the base day itself; ``days=N`` is the end of the Nth working day after
       the base day.

    For example: 0 days from Friday 10:00 is Friday 17:00; 0 days from Friday
    18:00 is Monday 17:00; 1 day from Wednesday 24 December 2025 11:00 is
    Monday 29 December 2025 17:00 (25 and 26 December are bank holidays);
    3 days from Thursday 2 April 2026 09:00 is Thursday 9 April 2026 17:00
    (Good Friday and Easter Monday are skipped).

RAG status (``rag_status``), judged at ``now`` (default: the current time)
    * "overdue": ``now`` is after the due moment (GOV.UK tag colour red);
    * "due today": not overdue, and due on today's local date (orange);
    * "due soon": due within 1 working day of today, i.e. ``working_days_between(
      today, due date) <= 1``: typically due tomorrow, or on Monday when today
      is Friday or the weekend (yellow);
    * "on time": due later than that (green).

Working days between two dates (``working_days_between``)
    The number of working days ``d`` with ``start < d <= end`` (the start day
    is not counted, the end day is): Friday to Monday is 1, and a same-day
    decision is 0. If ``end`` is before ``start`` the count is negative.
"""

from __future__ import annotations

import functools
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

import holidays
from django.conf import settings
from django.utils import timezone

LONDON = ZoneInfo("Europe/London")

DEFAULT_END_OF_WORKING_DAY = time(17, 0)


class RagStatus(StrEnum):
    """Where work stands against its due moment; a ``str`` with a tag colour."""

    OVERDUE = "overdue"
    DUE_TODAY = "due today"
    DUE_SOON = "due soon"
    ON_TIME = "on time"

    @property
    def label(self) -> str:
        """Text for display, e.g. "Due today"."""
        return self.value.capitalize()

    @property
    def colour(self) -> str:
        """GOV.UK Frontend tag colour."""
        return _RAG_COLOURS[self]

    @property
    def tag_class(self) -> str:
        """CSS classes for a GOV.UK tag, e.g. "govuk-tag govuk-tag--red"."""
        return f"govuk-tag govuk-tag--{self.colour}"


_RAG_COLOURS = {
    RagStatus.OVERDUE: "red",
    RagStatus.DUE_TODAY: "orange",
    RagStatus.DUE_SOON: "yellow",
    RagStatus.ON_TIME: "green",
}


# --- Working days -----------------------------------------------------------


@functools.cache
def bank_holidays(year: int) -> frozenset[date]:
    """England and Wales bank holidays in ``year`` (identical lists; see module docs)."""
    return frozenset(holidays.UnitedKingdom(subdiv="ENG", years=year).keys())


def is_working_day(day: date) -> bool:
    """Monday to Friday and not an England and Wales bank holiday."""
    if isinstance(day, datetime):
        raise TypeError("is_working_day() takes a date, not a datetime")
    return day.weekday() < 5 and day not in bank_holidays(day.year)


def next_working_day(day: date) -> date:
    """The first working day strictly after ``day``."""
    day += timedelta(days=1)
    while not is_working_day(day):
        day += timedelta(days=1)
    return day


def working_days_between(start: date, end: date) -> int:
    """Working days ``d`` with ``start < d <= end``; negative if ``end < start``."""
    if end < start:
        return -working_days_between(end, start)
    count = 0
    day = start
    while day < end:
        day += timedelta(days=1)
        if is_working_day(day):
            count += 1
    return count


# --- Due moments ------------------------------------------------------------


def end_of_working_day() -> time:
    """``settings.TRIAGE_END_OF_WORKING_DAY`` (time or "HH:MM"), default 17:00."""
    value = getattr(settings, "TRIAGE_END_OF_WORKING_DAY", DEFAULT_END_OF_WORKING_DAY)
    if isinstance(value, str):
        value = time.fromisoformat(value)
    if not isinstance(value, time) or value.tzinfo is not None:
        raise ValueError("TRIAGE_END_OF_WORKING_DAY must be a naive time, e.g. 17:00")
    return value


def local_time(moment: datetime) -> datetime:
    """The moment in Europe/London local time (aware datetimes only)."""
    if timezone.is_naive(moment):
        raise ValueError("An aware datetime is required (USE_TZ is on)")
    return timezone.localtime(moment, LONDON)


def add_working_days(start: datetime, days: int) -> datetime:
    """The end of the working day ``days`` working days after the base day of ``start``.

    See the module docstring for the base day. The result is aware, in Europe/London.
    """
    if days < 0:
        raise ValueError("days must not be negative")
    local = local_time(start)
    end_time = end_of_working_day()
    day = local.date()
    if not is_working_day(day) or local.time() >= end_time:
        day = next_working_day(day)
    for _ in range(days):
        day = next_working_day(day)
    return datetime.combine(day, end_time, tzinfo=LONDON)


# --- RAG status -------------------------------------------------------------


def rag_status(due: datetime, now: datetime | None = None) -> RagStatus:
    """Overdue, due today, due soon (within 1 working day) or on time, at ``now``."""
    local_due = local_time(due)
    local_now = local_time(now if now is not None else timezone.now())
    if local_now > local_due:
        return RagStatus.OVERDUE
    if local_due.date() == local_now.date():
        return RagStatus.DUE_TODAY
    if working_days_between(local_now.date(), local_due.date()) <= 1:
        return RagStatus.DUE_SOON
    return RagStatus.ON_TIME
