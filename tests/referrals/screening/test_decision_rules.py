"""What a screening decision needs (DESIGN section 7): the suggested level from the
indicators, reasons for overriding it, and consent."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from cases.models import Episode
from earlyhelp.exceptions import ServiceError
from referrals.models import Decision, Outcome, RequestForSupport, Status
from referrals.screening import services as screening_services
from referrals.screening.decisions import services as decisions
from tests.referrals.screening_helpers import (
    current_framework,
    decide,
    indicators_at,
    level,
    match_child,
    override_reason,
    submit_request,
)
from thresholds import services as thresholds

pytestmark = pytest.mark.django_db


# Threshold indicators and the suggested level


def test_the_suggested_level_is_the_highest_level_among_the_ticked_indicators(
    triage_officer, request_for_support
):
    ticked = indicators_at(1, 2) + indicators_at(3) + indicators_at(2, 3)

    suggested = screening_services.screening_indicators_set(
        by=triage_officer, request=request_for_support, indicators=ticked
    )

    assert suggested == level(3)
    assert screening_services.suggested_level([]) is None
    assert screening_services.suggested_level(indicators_at(2, 2)) == level(2)


def test_indicators_come_from_the_current_framework_only(triage_officer, request_for_support):
    old = indicators_at(2)
    draft = thresholds.framework_copy_to_draft(by=None, framework=current_framework())
    thresholds.framework_publish(by=None, framework=draft)

    with pytest.raises(ServiceError, match="current threshold framework"):
        screening_services.screening_indicators_set(
            by=triage_officer, request=request_for_support, indicators=old
        )


def test_a_decision_keeps_its_framework_version_when_a_new_one_is_published(
    triage_officer, request_for_support, mia
):
    match_child(triage_officer, request_for_support, mia)
    screening_services.screening_indicators_set(
        by=triage_officer, request=request_for_support, indicators=indicators_at(3, 2)
    )
    decision = decide(triage_officer, request_for_support)
    used = current_framework()

    draft = thresholds.framework_copy_to_draft(by=None, framework=used)
    thresholds.framework_publish(by=None, framework=draft)

    decision = Decision.objects.get(pk=decision.pk)
    assert decision.framework == used
    assert decision.level.framework == used
    assert {i.framework_id for i in decision.indicators.all()} == {used.pk}


def test_confirming_the_suggested_level_needs_no_override_reason(
    triage_officer, request_for_support
):
    screening_services.screening_indicators_set(
        by=triage_officer, request=request_for_support, indicators=indicators_at(1)
    )
    decision = decide(triage_officer, request_for_support, Outcome.UNIVERSAL, rank=1)

    assert decision.suggested_level == level(1)
    assert not decision.level_overridden
    assert decision.level_override_reason == ""


def test_overriding_the_suggested_level_needs_a_reason_which_is_recorded(
    triage_officer, request_for_support
):
    screening_services.screening_indicators_set(
        by=triage_officer, request=request_for_support, indicators=indicators_at(3)
    )
    with pytest.raises(ValidationError) as error:
        decide(triage_officer, request_for_support, Outcome.SINGLE_AGENCY, rank=2)
    assert "not the suggested" in error.value.message_dict["level_override_reason"][0]

    decision = decide(
        triage_officer,
        request_for_support,
        Outcome.SINGLE_AGENCY,
        rank=2,
        single_agency_name="Brackenford Primary",
        level_override_reason="School already has a plan; one agency can meet the need.",
    )
    assert decision.level_overridden
    assert decision.suggested_level == level(3) and decision.level == level(2)
    assert decision.level_override_reason.startswith("School already")


def test_without_ticked_indicators_any_level_needs_a_reason(triage_officer, request_for_support):
    with pytest.raises(ValidationError) as error:
        decide(triage_officer, request_for_support, Outcome.NFA, rank=1)
    assert "No indicator is ticked" in error.value.message_dict["level_override_reason"][0]


# The consent rule


@pytest.mark.parametrize(
    "consent",
    [
        {"consent": "not_given", "consent_not_given_reason": "Mother does not want help."},
        {"consent": "not_asked"},
        {
            "consent": "given",
            "consent_given_by": "Grace Okafor",
            "consent_covers": "sharing",
            "consent_given_on": datetime.date(2026, 1, 5),
        },
    ],
    ids=["not given", "not asked", "sharing only"],
)
@pytest.mark.parametrize("outcome,rank", [(Outcome.TAF, 3), (Outcome.SINGLE_AGENCY, 2)])
def test_early_help_without_consent_is_refused_with_an_explanation(
    triage_officer, practitioner, mia, consent, outcome, rank
):
    request = submit_request(practitioner, **consent)
    match_child(triage_officer, request, mia)

    with pytest.raises(ServiceError) as error:
        decide(
            triage_officer, request, outcome, rank, single_agency_name="School", **override_reason()
        )

    assert error.value.message == decisions.CONSENT_REFUSAL
    assert "step up to children's social care" in error.value.message
    assert not Decision.objects.exists()
    assert not Episode.objects.exists()
    assert RequestForSupport.objects.get(pk=request.pk).status == Status.IN_SCREENING


def test_without_consent_a_safeguarding_concern_is_stepped_up(triage_officer, practitioner):
    request = submit_request(
        practitioner, consent="not_given", consent_not_given_reason="Father refused."
    )
    screening_services.screening_indicators_set(
        by=triage_officer, request=request, indicators=indicators_at(4)
    )

    decision = decide(triage_officer, request, Outcome.STEP_UP, 4, social_care_reference="CSC-4471")

    assert decision.outcome == Outcome.STEP_UP
    assert decision.social_care_reference == "CSC-4471"
    assert decision.consent == "not_given"


def test_consent_recorded_during_screening_allows_early_help(triage_officer, practitioner, mia):
    request = submit_request(practitioner, consent="not_asked")
    match_child(triage_officer, request, mia)
    screening_services.screening_record_consent(
        by=triage_officer,
        request=request,
        consent="given",
        consent_given_by="Grace Okafor, mother, by phone",
        consent_covers="both",
        consent_given_on=timezone.localdate(),
    )
    screening_services.screening_indicators_set(
        by=triage_officer, request=request, indicators=indicators_at(3)
    )

    assert decide(triage_officer, request).consent == "given"


def test_a_step_up_needs_the_social_care_reference_and_a_statutory_level(
    triage_officer, request_for_support
):
    with pytest.raises(ValidationError) as error:
        decide(triage_officer, request_for_support, Outcome.STEP_UP, 3, **override_reason())
    assert set(error.value.message_dict) == {"social_care_reference", "level"}


def test_early_help_at_a_statutory_level_is_refused(triage_officer, request_for_support, mia):
    match_child(triage_officer, request_for_support, mia)
    with pytest.raises(ServiceError, match="statutory level"):
        decide(triage_officer, request_for_support, Outcome.TAF, 4, **override_reason())
