"""The API answers as its OpenAPI schema says, for every operation in the schema.

Schemathesis generates requests for each operation of `/api/schema/` and sends them, in
process, to the Django WSGI application, as a system administrator, a practitioner and a
triage officer (knox tokens). Every response must be: not a server error, a status code the
schema documents, the documented content type, and a body the response schema accepts.

The users have something to see: a family with an open episode, an approved assessment, an
agreed plan, a case note and a partner in the Team Around the Family; a request in screening
and one waiting in the queue; an allocation meeting the practitioner attends.
Half the generated examples of a `{uuid}`/`{id}` operation name one of those real records,
so detail responses are checked with data in them, not only as 404s.

Deterministic and bounded: a fixed seed, a few examples per operation, no shrinking, no
example database. Each operation is one test, rolled back when it ends, so a DELETE or a
decision in one test does not change what the next one sees.

Run alone: `scripts/with-test-services.sh .venv/bin/python -m pytest
tests/test_api_schema_conformance.py` (add `-k "POST and plans"` for some operations).
"""

import datetime
import json

import pytest
import schemathesis
from django.apps import apps
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections, transaction
from django.utils import timezone
from drf_spectacular.renderers import OpenApiJsonRenderer
from knox.models import AuthToken
from schemathesis.config import SchemathesisConfig

from accounts.models import Role
from cases.episodes import services as episodes
from cases.families import services as case_services
from cases.meetings import services as meetings
from referrals.screening import services as referrals
from tests.assessments.plan_helpers import agreed_plan
from tests.cases.episode_helpers import make_locality, new_episode, schedule_meeting
from tests.factories import AgencyFactory, TeamFactory, UserFactory
from tests.openapi import generated_schema
from tests.referrals.screening_helpers import make_triage_officer, submit_request

pytestmark = pytest.mark.django_db

EXAMPLES_PER_OPERATION = 3


def _openapi_document():
    """The document `/api/schema/` serves, made without a request (it needs no database)."""
    return json.loads(OpenApiJsonRenderer().render(generated_schema()))


CONFIG = SchemathesisConfig.from_dict(
    {
        "seed": 13,
        # A busy machine must not fail the run as "too slow" (the examples are bounded).
        "suppress-health-check": ["too_slow"],
        "generation": {
            "max-examples": EXAMPLES_PER_OPERATION,
            "no-shrink": True,
            "deterministic": True,
            "database": "none",
        },
        "phases": {
            "examples": {"enabled": True},
            "fuzzing": {"enabled": True},
            "coverage": {"enabled": False},
            "stateful": {"enabled": False},
        },
        "checks": {
            "enabled": False,
            "not_a_server_error": {"enabled": True},
            "status_code_conformance": {"enabled": True},
            "content_type_conformance": {"enabled": True},
            "response_schema_conformance": {"enabled": True},
        },
    }
)

schema = schemathesis.openapi.from_dict(_openapi_document(), config=CONFIG)
schema.app = get_wsgi_application()

CHECKS = [
    schemathesis.checks.not_a_server_error,
    schemathesis.specs.openapi.checks.status_code_conformance,
    schemathesis.specs.openapi.checks.content_type_conformance,
    schemathesis.specs.openapi.checks.response_schema_conformance,
]

# The record behind each resource's `{uuid}` or `{id}`.
RECORDS = {
    "agencies": "accounts.Agency",
    "localities": "accounts.Locality",
    "teams": "accounts.Team",
    "users": "accounts.User",
    "notifications": "accounts.Notification",
    "people": "cases.Person",
    "merges": "cases.PersonMerge",
    "families": "cases.Family",
    "memberships": "cases.FamilyMembership",
    "relationships": "cases.Relationship",
    "notes": "cases.CaseNote",
    "episodes": "cases.Episode",
    "taf-members": "cases.TafMember",
    "level-history": "thresholds.LevelChange",
    "meetings": "cases.AllocationMeeting",
    "agenda-items": "cases.AgendaItem",
    "transitions": "thresholds.Transition",
    "requests": "referrals.RequestForSupport",
    "thresholds": "thresholds.Framework",
    "assessment-templates": "assessments.AssessmentTemplate",
    "assessments": "assessments.Assessment",
    "assessment-sections": "assessments.AssessmentSection",
    "family-plans": "assessments.FamilyPlanDocument",
    "plans": "assessments.Plan",
    "plan-outcomes": "assessments.PlanOutcome",
    "plan-actions": "assessments.PlanAction",
    "reviews": "assessments.Review",
}


def _build_world():
    place = make_locality("North")
    plan = agreed_plan(place)
    episode = plan.episode
    case_services.note_add(
        by=place.worker,
        family=episode.family,
        note_type="home_visit",
        occurred_at=timezone.now() - datetime.timedelta(hours=2),
        summary="Home visit: mornings are calmer",
    )
    episodes.taf_member_add(
        by=place.worker,
        episode=episode,
        role="School nurse",
        agency=AgencyFactory(),
        contact_name="Priya Shah",
    )
    new_episode(place)  # awaiting allocation: on the meeting's agenda
    meeting = schedule_meeting(
        place.manager, place.locality, days=2, venue="Family hub, meeting room 2"
    )
    meetings.meeting_attendee_add(by=place.manager, meeting=meeting, user=place.worker)

    front_door = TeamFactory(name="Front door")
    triage_officer = make_triage_officer(front_door)
    in_screening = submit_request(place.worker)
    referrals.request_claim(by=triage_officer, request=in_screening)
    submit_request(place.colleague, concerns="Kai has been missing nursery.")

    users = {
        "system administrator": UserFactory(roles=[Role.SYSTEM_ADMINISTRATOR]),
        "practitioner": place.worker,
        "triage officer": triage_officer,
    }
    tokens = {role: AuthToken.objects.create(user)[1] for role, user in users.items()}
    return {"tokens": tokens, "episode": episode}


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """Made once for the module inside a transaction rolled back at its end; each test runs
    in a savepoint inside it (pytest-django's `django_db`), rolled back after the test."""
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            yield _build_world()
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


@pytest.fixture(scope="module", autouse=True)
def _one_connection_for_the_whole_request():
    """As Django's test client does: a request must not close the test's connection (and
    its transaction) when it starts or finishes."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


_calls = {}


def _name_a_real_record(case):
    """Every other example of an operation on one record names a real one."""
    count = _calls[case.operation.label] = _calls.get(case.operation.label, 0) + 1
    if count % 2 == 0:
        return
    resource = case.operation.path.split("/")[2]
    if resource not in RECORDS:
        return
    for name in ("uuid", "id"):
        if name in (case.path_parameters or {}):
            model = apps.get_model(RECORDS[resource])
            field = "uuid" if name == "uuid" else "pk"
            value = model.objects.order_by("pk").values_list(field, flat=True).first()
            if value is not None:
                case.path_parameters[name] = str(value) if name == "uuid" else value


@schema.parametrize()
def test_every_operation_answers_as_the_schema_says(case, world):
    _name_a_real_record(case)
    for role, token in world["tokens"].items():
        try:
            case.call_and_validate(headers={"Authorization": f"Token {token}"}, checks=CHECKS)
        except BaseException as failure:
            failure.add_note(f"As the {role}")
            raise


# What schemathesis found, each pinned down (the schema said otherwise before).


def _call_and_validate(user, path, method, **case_data):
    headers = {"Authorization": f"Token {AuthToken.objects.create(user)[1]}"}
    case = schema[path][method].Case(**case_data)
    response = case.call(headers=headers)
    case.validate_response(response, checks=CHECKS, headers=headers)
    return response.json()


def test_a_team_without_a_locality_and_a_new_locality_answer_as_documented(db):
    admin = UserFactory(roles=[Role.SYSTEM_ADMINISTRATOR])
    agency = TeamFactory().agency
    team = _call_and_validate(
        admin,
        "/api/teams/",
        "POST",
        body={"name": "Roaming family support", "agency": str(agency.uuid)},
        media_type="application/json",
    )
    assert (team["name"], team["locality"], team["locality_name"]) == (
        "Roaming family support",
        None,
        None,
    )
    locality = _call_and_validate(
        admin,
        "/api/localities/",
        "POST",
        body={"name": "Eastfield", "code": "EF"},
        media_type="application/json",
    )
    assert (locality["name"], locality["team_count"]) == ("Eastfield", 0)
    archived = _call_and_validate(
        admin, "/api/localities/{uuid}/archive/", "POST", path_parameters=locality
    )
    assert archived["team_count"] == 0 and archived["archived_on"]


def test_me_for_a_user_whose_team_has_no_locality_answers_as_documented(db):
    user = UserFactory(roles=[Role.PRACTITIONER], teams=[TeamFactory(locality=None)])
    me = _call_and_validate(user, "/api/me/", "GET")
    assert [team["locality"] for team in me["teams"]] == [None]


def test_a_request_with_no_agency_email_or_consent_answers_as_documented(db):
    team = TeamFactory()
    practitioner = UserFactory(roles=[Role.PRACTITIONER], teams=[team], agency=team.agency)
    triage_officer = make_triage_officer(TeamFactory())
    sent = submit_request(
        practitioner,
        requester_email="",
        requester_phone="01632 960000",
        consent="not_asked",
        consent_given_by="",
        consent_covers="",
        consent_given_on=None,
    )
    path = {"uuid": str(sent.uuid)}
    as_sent = _call_and_validate(practitioner, "/api/requests/{uuid}/", "GET", path_parameters=path)
    assert "assigned_at" not in as_sent
    to_screen = _call_and_validate(
        triage_officer, "/api/requests/{uuid}/", "GET", path_parameters=path
    )
    for body in (as_sent, to_screen):
        assert (body["requester_agency"], body["requester_email"], body["consent_covers"]) == (
            None,
            "",
            "",
        )
    assert to_screen["assigned_at"] is None
    screening = _call_and_validate(
        triage_officer, "/api/requests/{uuid}/claim/", "POST", path_parameters=path
    )
    assert screening["requester_agency"] is None and screening["assigned_at"]
    checks = _call_and_validate(
        triage_officer, "/api/requests/{uuid}/checks/", "GET", path_parameters=path
    )
    assert checks == []
    candidates = _call_and_validate(
        triage_officer, "/api/requests/{uuid}/candidates/", "GET", path_parameters=path
    )
    assert {row["name"] for row in candidates} == {"Mia Okafor", "Grace Okafor"}
