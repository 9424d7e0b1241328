"""Working-day timescales across weekends and bank holidays (no database needed)."""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import holidays
import pytest

from earlyhelp.working_days import (
    RagStatus,
    add_working_days,
    bank_holidays,
    is_working_day,
    rag_status,
    working_days_between,
)
from referrals.timescales import due_at, parse_timescales

LONDON = ZoneInfo("Europe/London")


def london(year, month, day, hour=0, minute=0):
    return datetime(year, month, day, hour, minute, tzinfo=LONDON)


# England and Wales bank holidays, checked by hand against GOV.UK.
BANK_HOLIDAYS_2025 = {
    date(2025, 1, 1),
    date(2025, 4, 18),  # Good Friday
    date(2025, 4, 21),  # Easter Monday
    date(2025, 5, 5),
    date(2025, 5, 26),
    date(2025, 8, 25),
    date(2025, 12, 25),  # Thursday
    date(2025, 12, 26),  # Friday
}
BANK_HOLIDAYS_2026 = {
    date(2026, 1, 1),  # Thursday
    date(2026, 4, 3),  # Good Friday
    date(2026, 4, 6),  # Easter Monday
    date(2026, 5, 4),  # Early May
    date(2026, 5, 25),  # Spring
    date(2026, 8, 31),  # Summer
    date(2026, 12, 25),  # Christmas Day, Friday
    date(2026, 12, 26),  # Boxing Day, Saturday ...
    date(2026, 12, 28),  # ... substitute day, Monday
}


class TestBankHolidays:
    @pytest.mark.parametrize(
        ("year", "expected"), [(2025, BANK_HOLIDAYS_2025), (2026, BANK_HOLIDAYS_2026)]
    )
    def test_package_matches_hand_checked_list(self, year, expected):
        assert bank_holidays(year) == expected

    @pytest.mark.parametrize("year", [2025, 2026, 2027])
    def test_wales_has_the_same_bank_holidays_as_england(self, year):
        assert bank_holidays(year) == set(holidays.UnitedKingdom(subdiv="WLS", years=year))

    def test_scottish_holidays_are_not_used(self):
        assert is_working_day(date(2026, 1, 2))  # 2 January: Scotland only
        assert is_working_day(date(2026, 8, 3))  # Scottish summer bank holiday

    @pytest.mark.parametrize("day", sorted(BANK_HOLIDAYS_2025 | BANK_HOLIDAYS_2026))
    def test_bank_holidays_are_not_working_days(self, day):
        assert not is_working_day(day)

    def test_weekends_are_not_working_days(self):
        assert not is_working_day(date(2026, 3, 28))  # Saturday
        assert not is_working_day(date(2026, 3, 29))  # Sunday
        assert is_working_day(date(2026, 3, 27))  # Friday
        assert is_working_day(date(2026, 3, 30))  # Monday

    def test_datetimes_are_refused(self):
        with pytest.raises(TypeError):
            is_working_day(london(2026, 3, 27, 10))


class TestDueAt:
    def test_red_received_friday_morning_is_due_that_friday(self):
        assert due_at(london(2026, 3, 13, 10), "red") == london(2026, 3, 13, 17)

    def test_red_received_friday_evening_is_due_monday(self):
        assert due_at(london(2026, 3, 13, 18), "red") == london(2026, 3, 16, 17)

    def test_received_exactly_at_end_of_day_counts_from_the_next_working_day(self):
        assert due_at(london(2026, 3, 13, 17), "red") == london(2026, 3, 16, 17)
        assert due_at(london(2026, 3, 13, 16, 59), "red") == london(2026, 3, 13, 17)

    def test_received_early_morning_counts_for_that_day(self):
        assert due_at(london(2026, 3, 12, 6, 30), "red") == london(2026, 3, 12, 17)

    def test_amber_received_christmas_eve_is_due_the_monday_after_boxing_day(self):
        # 25 and 26 Dec 2025 are Thursday and Friday bank holidays.
        assert due_at(london(2025, 12, 24, 11), "amber") == london(2025, 12, 29, 17)

    def test_green_over_easter_skips_good_friday_and_easter_monday(self):
        # Base day Thu 2 Apr; +1 Tue 7 Apr, +2 Wed 8 Apr, +3 Thu 9 Apr.
        assert due_at(london(2026, 4, 2, 9), "green") == london(2026, 4, 9, 17)

    def test_received_on_saturday(self):
        saturday = london(2026, 3, 14, 11)
        assert due_at(saturday, "red") == london(2026, 3, 16, 17)  # Monday
        assert due_at(saturday, "amber") == london(2026, 3, 17, 17)  # Tuesday
        assert due_at(saturday, "green") == london(2026, 3, 19, 17)  # Thursday

    def test_received_on_a_bank_holiday(self):
        # Early May bank holiday Monday 4 May 2026: base day Tuesday 5 May.
        assert due_at(london(2026, 5, 4, 10), "red") == london(2026, 5, 5, 17)
        assert due_at(london(2026, 5, 4, 10), "green") == london(2026, 5, 8, 17)

    def test_christmas_2026_with_boxing_day_substitute(self):
        # Thu 24 Dec 2026 after hours: Fri 25, Sat 26, Sun 27, Mon 28 (substitute) skipped.
        assert due_at(london(2026, 12, 24, 17, 30), "red") == london(2026, 12, 29, 17)
        assert due_at(london(2026, 12, 24, 10), "amber") == london(2026, 12, 29, 17)
        # Thu 31 Dec 2026: +1 skips New Year's Day (Fri 1 Jan 2027) and the weekend.
        assert due_at(london(2026, 12, 31, 10), "amber") == london(2027, 1, 4, 17)

    def test_across_the_change_to_summer_time_due_stays_at_17_00_local(self):
        # Clocks go forward on Sunday 29 March 2026.
        received = london(2026, 3, 27, 18)  # Friday, GMT
        assert received.utcoffset() == timedelta(0)
        due = due_at(received, "red")
        assert due == london(2026, 3, 30, 17)  # Monday, BST
        assert due.utcoffset() == timedelta(hours=1)
        assert due.astimezone(UTC) == datetime(2026, 3, 30, 16, 0, tzinfo=UTC)

    def test_utc_input_is_judged_in_london_local_time(self):
        # 23:30 UTC on Thursday 11 June 2026 is 00:30 BST on Friday 12 June.
        received = datetime(2026, 6, 11, 23, 30, tzinfo=UTC)
        assert due_at(received, "red") == london(2026, 6, 12, 17)
        # 16:30 UTC is 17:30 BST: after the end of the working day.
        received = datetime(2026, 6, 11, 16, 30, tzinfo=UTC)
        assert due_at(received, "red") == london(2026, 6, 12, 17)

    def test_result_is_in_london_time(self):
        due = due_at(datetime(2026, 6, 11, 9, tzinfo=UTC), "red")
        assert due.tzinfo == LONDON
        assert due.time() == time(17, 0)

    def test_urgency_is_case_insensitive(self):
        assert due_at(london(2026, 3, 13, 10), "AMBER") == london(2026, 3, 16, 17)

    def test_unknown_urgency_is_refused(self):
        with pytest.raises(ValueError, match="Unknown urgency"):
            due_at(london(2026, 3, 13, 10), "purple")

    def test_naive_datetime_is_refused(self):
        with pytest.raises(ValueError, match="aware"):
            due_at(datetime(2026, 3, 13, 10), "red")

    def test_negative_days_are_refused(self):
        with pytest.raises(ValueError):
            add_working_days(london(2026, 3, 13, 10), -1)

    def test_add_working_days_counts_from_the_base_day(self):
        assert add_working_days(london(2026, 3, 13, 10), 0) == london(2026, 3, 13, 17)
        assert add_working_days(london(2026, 3, 13, 10), 1) == london(2026, 3, 16, 17)
        assert add_working_days(london(2026, 3, 13, 10), 5) == london(2026, 3, 20, 17)
        # Ten working days from Fri 18 Dec 2025, skipping Christmas and New Year.
        assert add_working_days(london(2025, 12, 18, 10), 10) == london(2026, 1, 6, 17)


class TestSettings:
    def test_timescales_can_be_overridden(self, settings):
        settings.TRIAGE_TIMESCALES_WORKING_DAYS = {"red": 1, "amber": 2, "green": 5}
        received = london(2026, 3, 13, 10)  # Friday
        assert due_at(received, "red") == london(2026, 3, 16, 17)
        assert due_at(received, "amber") == london(2026, 3, 17, 17)
        assert due_at(received, "green") == london(2026, 3, 20, 17)

    def test_partial_override_keeps_the_other_defaults(self, settings):
        settings.TRIAGE_TIMESCALES_WORKING_DAYS = {"green": 10}
        received = london(2026, 3, 13, 10)
        assert due_at(received, "red") == london(2026, 3, 13, 17)
        assert due_at(received, "amber") == london(2026, 3, 16, 17)
        assert due_at(received, "green") == london(2026, 3, 27, 17)

    @pytest.mark.parametrize("bad", [{"red": -1}, {"red": "1"}, {"red": True}, {"blue": 2}])
    def test_invalid_timescales_are_refused(self, settings, bad):
        settings.TRIAGE_TIMESCALES_WORKING_DAYS = bad
        with pytest.raises(ValueError):
            due_at(london(2026, 3, 13, 10), "amber")

    def test_end_of_working_day_can_be_overridden(self, settings):
        settings.TRIAGE_END_OF_WORKING_DAY = "16:30"
        assert due_at(london(2026, 3, 13, 10), "red") == london(2026, 3, 13, 16, 30)
        assert due_at(london(2026, 3, 13, 16, 45), "red") == london(2026, 3, 16, 16, 30)
        settings.TRIAGE_END_OF_WORKING_DAY = time(18, 0)
        assert due_at(london(2026, 3, 13, 17, 30), "red") == london(2026, 3, 13, 18)

    def test_parse_timescales_from_the_environment(self):
        assert parse_timescales("red=0,amber=1,green=3") == {"red": 0, "amber": 1, "green": 3}
        assert parse_timescales(" Red = 1 , green=5 ,") == {"red": 1, "green": 5}
        with pytest.raises(ValueError):
            parse_timescales("red")


class TestRagStatus:
    due = london(2026, 3, 16, 17)  # Monday 17:00

    @pytest.mark.parametrize(
        ("now", "expected"),
        [
            (london(2026, 3, 16, 17, 1), RagStatus.OVERDUE),
            (london(2026, 3, 17, 9), RagStatus.OVERDUE),
            (london(2026, 3, 16, 17), RagStatus.DUE_TODAY),  # at the moment itself
            (london(2026, 3, 16, 0), RagStatus.DUE_TODAY),
            (london(2026, 3, 15, 12), RagStatus.DUE_SOON),  # Sunday
            (london(2026, 3, 14, 12), RagStatus.DUE_SOON),  # Saturday
            (london(2026, 3, 13, 9), RagStatus.DUE_SOON),  # Friday: 1 working day
            (london(2026, 3, 12, 23, 59), RagStatus.ON_TIME),  # Thursday: 2 working days
        ],
    )
    def test_boundaries(self, now, expected):
        assert rag_status(self.due, now) is expected

    def test_due_soon_across_a_bank_holiday_weekend(self):
        due = london(2025, 12, 29, 17)  # Monday after Christmas
        assert rag_status(due, london(2025, 12, 24, 10)) is RagStatus.DUE_SOON
        assert rag_status(due, london(2025, 12, 23, 10)) is RagStatus.ON_TIME

    def test_now_in_utc_is_compared_in_london_dates(self):
        due = london(2026, 6, 12, 17)  # Friday, BST
        # 23:30 UTC Thursday is already Friday in London.
        assert rag_status(due, datetime(2026, 6, 11, 23, 30, tzinfo=UTC)) is RagStatus.DUE_TODAY
        assert rag_status(due, datetime(2026, 6, 12, 16, 0, tzinfo=UTC)) is RagStatus.DUE_TODAY
        assert rag_status(due, datetime(2026, 6, 12, 16, 1, tzinfo=UTC)) is RagStatus.OVERDUE

    def test_defaults_to_the_current_time(self):
        assert rag_status(london(2000, 1, 4, 17)) is RagStatus.OVERDUE
        assert rag_status(london(2100, 1, 4, 17)) is RagStatus.ON_TIME

    @pytest.mark.parametrize(
        ("status", "colour", "label"),
        [
            (RagStatus.OVERDUE, "red", "Overdue"),
            (RagStatus.DUE_TODAY, "orange", "Due today"),
            (RagStatus.DUE_SOON, "yellow", "Due soon"),
            (RagStatus.ON_TIME, "green", "On time"),
        ],
    )
    def test_gov_uk_tag_colours(self, status, colour, label):
        assert status.colour == colour
        assert status.label == label
        assert status.tag_class == f"govuk-tag govuk-tag--{colour}"

    def test_status_is_a_plain_string(self):
        assert rag_status(self.due, london(2026, 3, 17, 9)) == "overdue"
        assert str(RagStatus.DUE_TODAY) == "due today"


class TestWorkingDaysBetween:
    def test_same_day_is_zero(self):
        assert working_days_between(date(2026, 3, 13), date(2026, 3, 13)) == 0

    def test_friday_to_monday_is_one(self):
        assert working_days_between(date(2026, 3, 13), date(2026, 3, 16)) == 1

    def test_across_christmas_2025(self):
        # Wed 24 Dec 2025 to Fri 2 Jan 2026: 29, 30, 31 Dec and 2 Jan (1 Jan is a bank holiday).
        assert working_days_between(date(2025, 12, 24), date(2026, 1, 2)) == 4
        # Mon 22 Dec to Mon 29 Dec: 23, 24, 29.
        assert working_days_between(date(2025, 12, 22), date(2025, 12, 29)) == 3

    def test_across_christmas_2026_with_substitute_day(self):
        # Thu 24 Dec 2026 to Thu 31 Dec 2026: 29, 30, 31 (25, 28 bank holidays).
        assert working_days_between(date(2026, 12, 24), date(2026, 12, 31)) == 3

    def test_across_easter_2026(self):
        # Thu 2 Apr to Thu 9 Apr 2026: 7, 8, 9.
        assert working_days_between(date(2026, 4, 2), date(2026, 4, 9)) == 3

    def test_reversed_dates_are_negative(self):
        assert working_days_between(date(2026, 3, 16), date(2026, 3, 13)) == -1

    def test_agrees_with_due_at(self):
        received = london(2026, 4, 2, 9)
        due = due_at(received, "green")
        assert working_days_between(received.date(), due.date()) == 3


def test_timescales_come_from_the_environment(tmp_path):
    import os
    import subprocess
    import sys

    from django.conf import settings as django_settings

    code = (
        "import django; django.setup(); from django.conf import settings;"
        "print(settings.TRIAGE_TIMESCALES_WORKING_DAYS, settings.TRIAGE_END_OF_WORKING_DAY)"
    )
    env = {
        **os.environ,
        "DEBUG": "1",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'x.db'}",
        "TRIAGE_TIMESCALES": "red=0,amber=2,green=5",
        "TRIAGE_END_OF_WORKING_DAY": "16:30",
        "DJANGO_SETTINGS_MODULE": "earlyhelp.settings",
    }
    result = subprocess.run(
        [sys.executable, "-c", code],
        env=env,
        capture_output=True,
        text=True,
        cwd=django_settings.BASE_DIR,
        check=True,
    )
    assert result.stdout.strip() == "{'red': 0, 'amber': 2, 'green': 5} 16:30"
