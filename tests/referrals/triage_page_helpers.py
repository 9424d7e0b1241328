"""Requests, threshold levels and addresses shared by the triage page tests."""

from django.urls import reverse
from django.utils import timezone

from referrals.models import Source
from referrals.requests import services as request_services
from referrals.screening import services as screening_services
from tests.factories import FamilyFactory, PersonFactory
from tests.referrals.screening_helpers import current_framework, level


def submit(by, **overrides):
    fields = {
        "source": Source.PROFESSIONAL,
        "people": [
            {"role": "child", "given_name": "Mia", "family_name": "Okafor"},
            {"role": "parent_or_carer", "given_name": "Grace", "family_name": "Okafor"},
        ],
        "presenting_needs": ["neglect"],
        "requester_name": "Sam Teacher",
        "requester_agency_name": "Brackenford Primary",
        "requester_email": "sam@school.example",
        "concerns": "Mia is often hungry.",
        "consent": "given",
        "consent_given_by": "Grace Okafor, mother",
        "consent_covers": "both",
        "consent_given_on": timezone.localdate(),
        "urgency": "routine",
        **overrides,
    }
    return request_services.request_submit(by=by, **fields)


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
