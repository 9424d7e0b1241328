"""Requests, threshold levels and addresses shared by the triage page tests."""

from django.urls import reverse

from referrals.screening import services as screening_services
from tests.factories import FamilyFactory, PersonFactory
from tests.referrals.screening_helpers import current_framework, level, submit_request


def submit(by, **overrides):
    return submit_request(
        by, **{"concerns": "Mia is often hungry.", "urgency": "routine", **overrides}
    )


def indicators_at(rank):
    return list(current_framework().indicators.filter(level__rank=rank))


def screening_url(item, name="screening", **kwargs):
    return reverse(f"referrals:{name}", kwargs={"uuid": item.uuid, **kwargs})


def decide_data(**overrides):
    data = {
        "outcome": "taf",
        "level": level(3).pk,
        "rationale": "Several needs across school and home.",
        "level_override_reason": "",
        "locality": "",
    }
    data.update(overrides)
    return data


def screened(practitioner, officer, team, **submit_overrides):
    family = FamilyFactory(owning_team=team)
    mia = PersonFactory(given_name="Mia", family_name="Okafor", owning_team=team, families=[family])
    item = submit(practitioner, **submit_overrides)
    screening_services.screening_match_person(
        by=officer, request_person=item.people.get(role="child"), person=mia
    )
    screening_services.screening_indicators_set(
        by=officer, request=item, indicators=indicators_at(3)[:1]
    )
    return item
