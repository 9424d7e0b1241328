"""Set-up and request bodies shared by the triage API tests."""

import datetime

from referrals.models import Outcome
from referrals.screening import services as screening_services
from tests.factories import FamilyFactory, PersonFactory
from tests.referrals.screening_helpers import indicators_at, level, submit_request

MIA_BORN = datetime.date(2017, 3, 14)


def okafor_household(owning_team):
    """The Okafor family with Mia in it, as the request about Mia names her: the family and
    Mia."""
    family = FamilyFactory(name="Okafor family", owning_team=owning_team)
    mia = PersonFactory(
        given_name="Mia",
        family_name="Okafor",
        date_of_birth=MIA_BORN,
        families=[family],
        owning_team=owning_team,
    )
    return family, mia


def request_about_mia(by):
    """A request whose only person is Mia, with her date of birth."""
    return submit_request(
        by,
        people=[
            {
                "role": "child",
                "given_name": "Mia",
                "family_name": "Okafor",
                "date_of_birth": MIA_BORN,
            }
        ],
    )


def url(request_for_support, action=""):
    base = f"/api/requests/{request_for_support.uuid}/"
    return f"{base}{action}/" if action else base


def child_of(request_for_support):
    return request_for_support.people.get(role="child")


def ready_for_taf(officer, request_for_support, family):
    """Matched, linked to the family, and level 3 ticked: ready to decide on a TAF."""
    screening_services.screening_match_person(
        by=officer,
        request_person=child_of(request_for_support),
        person=family.members.get(given_name="Mia"),
    )
    screening_services.screening_indicators_set(
        by=officer, request=request_for_support, indicators=indicators_at(3)
    )
    request_for_support.refresh_from_db()
    return request_for_support


def taf_payload(**overrides):
    return {
        "outcome": Outcome.TAF,
        "level": str(level(3).uuid),
        "rationale": "Several needs across school and home.",
        **overrides,
    }
