"""Deciding a request through the API: a TAF decision opens an episode; consent, field
errors and reasons are checked."""

import pytest

from audit.models import AuditAction, AuditEvent
from cases.models import Episode, EpisodeStatus
from referrals.models import Consent, Status
from referrals.screening import services as screening_services
from referrals.screening.decisions import services as decisions
from tests.referrals.screening_api_helpers import ready_for_taf, taf_payload, url
from tests.referrals.screening_helpers import indicators_at, level

pytestmark = pytest.mark.django_db


# Deciding


def test_decision_taf_opens_an_episode_awaiting_allocation(
    as_user, triage_officer, request_for_support, family
):
    ready_for_taf(triage_officer, request_for_support, family)
    client = as_user(triage_officer)
    assert client.get(url(request_for_support, "decision")).status_code == 404

    response = client.post(url(request_for_support, "decision"), taf_payload())

    assert response.status_code == 201, response.json()
    body = response.json()
    episode = Episode.objects.get(family=family)
    assert episode.status == EpisodeStatus.AWAITING_ALLOCATION
    assert body["outcome"] == "taf"
    assert body["level"]["uuid"] == str(level(3).uuid)
    assert body["suggested_level"]["uuid"] == str(level(3).uuid)
    assert body["framework"]["uuid"] == str(level(3).framework.uuid)
    assert body["framework"]["version"] == level(3).framework.version
    assert [i["uuid"] for i in body["indicators"]] == [str(i.uuid) for i in indicators_at(3)]
    assert body["episode"]["uuid"] == str(episode.uuid)
    assert body["joined_open_episode"] is False
    assert body["is_re_referral"] is False
    assert body["decided_by"]["uuid"] == str(triage_officer.uuid)
    request_for_support.refresh_from_db()
    assert request_for_support.status == Status.DECIDED

    response = client.get(url(request_for_support, "decision"))
    assert response.status_code == 200
    assert response.json()["uuid"] == body["uuid"]
    decision = request_for_support.decision
    assert AuditEvent.objects.for_object(decision).filter(action=AuditAction.VIEW).exists()

    second = client.post(url(request_for_support, "decision"), taf_payload())
    assert second.status_code == 400
    assert "cannot be decided again" in second.json()["errors"]["non_field_errors"][0]


def test_decision_refused_without_consent(as_user, triage_officer, request_for_support, family):
    ready_for_taf(triage_officer, request_for_support, family)
    screening_services.screening_record_consent(
        by=triage_officer,
        request=request_for_support,
        consent=Consent.NOT_GIVEN,
        consent_not_given_reason="Declined",
    )
    response = as_user(triage_officer).post(url(request_for_support, "decision"), taf_payload())
    assert response.status_code == 400
    assert response.json()["errors"]["outcome"] == [decisions.CONSENT_REFUSAL]
    assert not Episode.objects.exists()


def test_decision_field_errors(as_user, triage_officer, request_for_support):
    response = as_user(triage_officer).post(
        url(request_for_support, "decision"),
        {"outcome": "signposting", "level": "not-a-uuid", "single_agency": "nope"},
    )
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert set(errors) >= {"level", "single_agency"}


def test_decision_nfa_without_indicators_needs_a_reason(
    as_user, triage_officer, request_for_support
):
    client = as_user(triage_officer)
    payload = {"outcome": "nfa", "level": str(level(1).uuid), "rationale": "Needs are met."}
    response = client.post(url(request_for_support, "decision"), payload)
    assert response.status_code == 400
    assert "level_override_reason" in response.json()["errors"]

    response = client.post(
        url(request_for_support, "decision"),
        {**payload, "level_override_reason": "Nothing in the framework applies"},
    )
    assert response.status_code == 201, response.json()
    assert response.json()["episode"] is None
