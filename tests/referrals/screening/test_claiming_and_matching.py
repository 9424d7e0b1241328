"""Screening requests for support (DESIGN section 7): claiming and assigning, matching the
people on a request to records, and checks with other agencies."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from audit.models import AuditAction, AuditEvent
from cases.models import Family, Person
from earlyhelp import access
from earlyhelp.exceptions import ServiceError
from referrals.models import Outcome, ScreeningCheck, Status
from referrals.screening import services as screening_services
from tests.factories import FamilyFactory, PersonFactory
from tests.referrals.screening_helpers import (
    decide,
    make_triage_officer,
    match_child,
    override_reason,
    submit_request,
)

pytestmark = pytest.mark.django_db


# Claiming and assigning


def test_claiming_puts_the_request_in_screening_with_the_officer(
    triage_officer, request_for_support
):
    claimed = screening_services.request_claim(by=triage_officer, request=request_for_support)

    assert claimed.status == Status.IN_SCREENING
    assert claimed.assigned_to == triage_officer
    event = AuditEvent.objects.filter(object_id=str(request_for_support.pk)).latest("pk")
    assert event.action == AuditAction.CHANGE and event.detail["step"] == "claim"


def test_a_request_someone_else_is_screening_is_reassigned_not_claimed(team, request_for_support):
    first, second = make_triage_officer(team), make_triage_officer(team)
    screening_services.request_claim(by=first, request=request_for_support)

    with pytest.raises(ServiceError, match="already screening"):
        screening_services.request_claim(by=second, request=request_for_support)
    screening_services.request_assign(by=second, request=request_for_support, to=second)

    request_for_support.refresh_from_db()
    assert request_for_support.assigned_to == second


def test_requests_are_assigned_only_to_triage_officers(
    triage_officer, practitioner, request_for_support
):
    with pytest.raises(ServiceError, match="Choose a triage officer"):
        screening_services.request_assign(
            by=triage_officer, request=request_for_support, to=practitioner
        )


def test_only_triage_officers_screen(practitioner, request_for_support):
    with pytest.raises(PermissionDenied):
        screening_services.request_claim(by=practitioner, request=request_for_support)


# Matching people and the family


def test_matching_a_child_in_one_household_links_the_family_and_its_locality(
    triage_officer, request_for_support, family, mia
):
    match_child(triage_officer, request_for_support, mia)

    request_for_support.refresh_from_db()
    assert request_for_support.family == family
    assert request_for_support.locality == family.owning_team.locality
    assert request_for_support.status == Status.IN_SCREENING


def test_triage_sees_the_family_only_while_the_request_is_screened(
    triage_officer, request_for_support, family, mia
):
    def sees_family():
        officer = type(triage_officer).objects.get(pk=triage_officer.pk)  # fresh caches
        return access.visible(officer, Family.objects.filter(pk=family.pk)).exists()

    assert not sees_family()
    match_child(triage_officer, request_for_support, mia)
    assert sees_family()
    assert access.visible(triage_officer, Person.objects.filter(pk=mia.pk)).exists()

    decide(triage_officer, request_for_support, Outcome.UNIVERSAL, rank=1, **override_reason())
    assert not sees_family()


def test_creating_a_person_from_the_request_refuses_likely_duplicates_until_confirmed(
    triage_officer, team, practitioner
):
    PersonFactory(given_name="Mia", family_name="Okafor", date_of_birth=datetime.date(2019, 3, 4))
    request = submit_request(
        practitioner,
        people=[
            {
                "role": "child",
                "given_name": "Mia",
                "family_name": "Okafor",
                "date_of_birth": datetime.date(2019, 3, 4),
            }
        ],
    )
    typed = request.people.get()

    from cases.people.search import PossibleDuplicates

    with pytest.raises(PossibleDuplicates):
        screening_services.screening_create_person(
            by=triage_officer, request_person=typed, owning_team=team
        )
    person = screening_services.screening_create_person(
        by=triage_officer, request_person=typed, owning_team=team, confirmed_not_duplicate=True
    )

    typed.refresh_from_db()
    assert typed.matched_person == person
    assert (person.given_name, person.date_of_birth) == ("Mia", datetime.date(2019, 3, 4))


def test_a_family_record_is_created_from_the_matched_people(
    triage_officer, team, request_for_support
):
    mia = PersonFactory(given_name="Mia", family_name="Okafor", owning_team=team)
    match_child(triage_officer, request_for_support, mia)

    family = screening_services.screening_create_family(
        by=triage_officer, request=request_for_support, owning_team=team, name="Okafor family"
    )

    request_for_support.refresh_from_db()
    assert request_for_support.family == family
    assert list(family.members.all()) == [mia]


def test_linking_a_family_nobody_on_the_request_belongs_to_is_refused(
    triage_officer, request_for_support
):
    stranger = FamilyFactory()
    with pytest.raises(ServiceError, match="household of someone matched"):
        screening_services.screening_link_family(
            by=triage_officer, request=request_for_support, family=stranger
        )


# Checks with other agencies


def test_a_check_needs_an_agency_and_a_question(triage_officer, request_for_support):
    with pytest.raises(ValidationError) as error:
        screening_services.screening_check_add(
            by=triage_officer, request=request_for_support, question=""
        )
    assert set(error.value.message_dict) == {"agency", "question"}


def test_a_check_records_who_was_asked_what_and_their_answer(triage_officer, request_for_support):
    check = screening_services.screening_check_add(
        by=triage_officer,
        request=request_for_support,
        agency_name="Brackenford Police",
        question="Any domestic abuse call-outs to the address?",
    )
    screening_services.screening_check_answer(
        by=triage_officer, check=check, answer="Two call-outs in March, no arrests."
    )

    check = ScreeningCheck.objects.get(pk=check.pk)
    assert check.agency_label == "Brackenford Police"
    assert check.answer == "Two call-outs in March, no arrests."
    assert check.answered_at >= check.asked_at
