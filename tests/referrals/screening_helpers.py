"""Shared set-up for the front door's screening tests: a request in the queue, the
default threshold framework's levels and indicators, and deciding a request."""

from django.utils import timezone

from accounts.models import Role
from referrals.models import Outcome, Source
from referrals.requests import services as request_services
from referrals.screening import services as screening_services
from referrals.screening.decisions import services as decisions
from tests.factories import UserFactory
from thresholds.models import Framework


def submit_request(by, *, people=None, **overrides):
    fields = {
        "source": Source.PROFESSIONAL,
        "people": people
        or [
            {"role": "child", "given_name": "Mia", "family_name": "Okafor"},
            {"role": "parent_or_carer", "given_name": "Grace", "family_name": "Okafor"},
        ],
        "presenting_needs": ["neglect"],
        "requester_name": "Sam Teacher",
        "requester_agency_name": "Brackenford Primary",
        "requester_email": "sam@school.example",
        "concerns": "Mia is often hungry and tired in class.",
        "consent": "given",
        "consent_given_by": "Grace Okafor, mother",
        "consent_covers": "both",
        "consent_given_on": timezone.localdate(),
        "urgency": "soon",
        **overrides,
    }
    return request_services.request_submit(by=by, **fields)


def match(by, request_person, person):
    """Match as an officer does: after the search for the person that offers the record
    (a record no search offered is refused unless the officer may already see it)."""
    screening_services.screening_candidates(by=by, request_person=request_person)
    return screening_services.screening_match_person(
        by=by, request_person=request_person, person=person
    )


def make_triage_officer(team, **extra):
    return UserFactory(roles=[Role.TRIAGE_OFFICER], agency=team.agency, teams=[team], **extra)


def current_framework():
    return Framework.objects.get(is_current=True)


def level(rank):
    return current_framework().levels.get(rank=rank)


def indicators_at(rank, count=1):
    return list(current_framework().indicators.filter(level__rank=rank).order_by("pk")[:count])


def decide(by, request, outcome=Outcome.TAF, rank=3, **extra):
    data = decisions.DecisionInput(
        outcome=outcome,
        level=level(rank),
        rationale=extra.pop("rationale", "Several needs across school and home."),
        **extra,
    )
    return decisions.request_decide(by=by, request=request, data=data)


def decide_no_further_action(by, request):
    """Decided at level 1, which no indicator suggests: needs met by universal services."""
    return decide(
        by,
        request,
        Outcome.NFA,
        rank=1,
        rationale="Needs met by the school.",
        level_override_reason="No indicators apply.",
    )


def match_child(by, request, person):
    child = request.people.get(role="child")
    return match(by, child, person)


def override_reason(reason="Universal services meet the need."):
    return {"level_override_reason": reason}
