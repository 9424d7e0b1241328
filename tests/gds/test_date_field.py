"""GovUKDateField: what it cleans to and the messages it gives. None of this touches the
database."""

import datetime

import pytest
from django import forms

from earlyhelp.forms import GovUKDateField

# GovUKDateField


def clean_date(day, month, year, **field_options):
    class DateForm(forms.Form):
        date_of_birth = GovUKDateField(**field_options)

    form = DateForm(
        data={"date_of_birth_day": day, "date_of_birth_month": month, "date_of_birth_year": year}
    )
    form.is_valid()
    return form.cleaned_data.get("date_of_birth"), form.errors.get("date_of_birth")


@pytest.mark.parametrize(
    ("day", "month", "year", "message"),
    [
        ("", "", "", "Enter the date of birth"),
        ("31", "", "2025", "Date of birth must include a month"),
        ("", "2", "2025", "Date of birth must include a day"),
        ("", "2", "", "Date of birth must include a day and year"),
        ("31", "2", "2025", "Date of birth must be a real date"),
        ("1", "13", "2025", "Date of birth must be a real date"),
        ("first", "2", "2025", "Date of birth must be a real date"),
        ("1", "2", "25", "Date of birth must be a real date"),
    ],
)
def test_date_field_errors(day, month, year, message):
    value, errors = clean_date(day, month, year)
    assert value is None
    assert errors == [message]


def test_date_field_cleans_to_a_date():
    assert clean_date(" 28 ", "02", "2025") == (datetime.date(2025, 2, 28), None)


def test_optional_date_field_may_be_blank():
    assert clean_date("", "", "", required=False) == (None, None)


def test_date_field_messages_use_the_label():
    assert clean_date("", "", "", label="Referral date")[1] == ["Enter the referral date"]
    assert clean_date("", "4", "2025", label="Referral date")[1] == [
        "Referral date must include a day"
    ]


def test_date_field_messages_can_be_replaced():
    messages = {"required": "Enter the date the family was referred"}
    assert clean_date("", "", "", error_messages=messages)[1] == [messages["required"]]
