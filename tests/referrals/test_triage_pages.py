"""Triage pages: the queue, claiming and assigning, and screening a request."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from audit.models import AuditAction, AuditEvent
from referrals.models import RequestForSupport, ScreeningCheck, Status
from referrals.screening import services as screening_services
from tests.factories import AgencyFactory, FamilyFactory, PersonFactory, UserFactory
from tests.referrals.screening_helpers import level, match
from tests.referrals.triage_page_helpers import indicators_at, screening_url, submit

pytestmark = pytest.mark.django_db


@pytest.fixture
def other_officer(team):
    return UserFactory(roles=[Role.TRIAGE_OFFICER], agency=team.agency, teams=[team])


# The queue


def test_queue_lists_open_requests_by_due_time(officer_client, practitioner):
    routine = submit(practitioner, urgency="routine")
    urgent = submit(practitioner, urgency="urgent")
    decided = submit(practitioner)
    RequestForSupport.objects.filter(pk=decided.pk).update(status=Status.WITHDRAWN)

    response = officer_client.get(reverse("referrals:triage-queue"))

    assert response.status_code == 200
    shown = [row["request"] for row in response.context["rows"]]
    assert shown == [urgent, routine]
    html = response.content.decode()
    assert "Mia Okafor" in html
    assert "Claim" in html


def test_queue_counts_overdue_and_filters(officer_client, triage_officer, practitioner):
    overdue = submit(practitioner, urgency="urgent")
    RequestForSupport.objects.filter(pk=overdue.pk).update(
        due_at=timezone.now() - datetime.timedelta(hours=1)
    )
    mine = submit(practitioner, urgency="soon")
    screening_services.request_claim(by=triage_officer, request=mine)
    routine = submit(practitioner, urgency="routine")
    url = reverse("referrals:triage-queue")

    response = officer_client.get(url)
    assert response.context["overdue_count"] == 1
    assert "1 request overdue" in response.content.decode()
    assert "Overdue" in response.content.decode()

    def shown(**query):
        return [row["request"] for row in officer_client.get(url, query).context["rows"]]

    assert shown(overdue="true") == [RequestForSupport.objects.get(pk=overdue.pk)]
    assert shown(assigned="me") == [mine]
    assert shown(assigned="unassigned") == [overdue, routine]
    assert shown(status="in_screening") == [mine]
    assert shown(urgency="routine") == [routine]


def test_queue_audits_the_list(officer_client, triage_officer, practitioner):
    submit(practitioner)
    officer_client.get(reverse("referrals:triage-queue"))
    assert AuditEvent.objects.filter(actor=triage_officer, action=AuditAction.LIST).exists()


@pytest.mark.parametrize("role", [Role.PRACTITIONER, Role.LOCALITY_MANAGER, Role.SOCIAL_WORKER])
def test_only_triage_officers_see_the_queue_and_screening(client, role, team, practitioner):
    item = submit(practitioner)
    client.force_login(UserFactory(roles=[role], teams=[team]))
    assert client.get(reverse("referrals:triage-queue")).status_code == 403
    assert client.get(screening_url(item)).status_code in (403, 404)
    assert client.post(screening_url(item, "claim")).status_code in (403, 404)
    assert RequestForSupport.objects.get(pk=item.pk).assigned_to is None


def test_navigation_has_triage_queue_for_officers(officer_client, client, practitioner):
    assert "Triage queue" in officer_client.get(reverse("home")).content.decode()


# Claim and assign


def test_claim(officer_client, triage_officer, practitioner):
    item = submit(practitioner)
    response = officer_client.post(screening_url(item, "claim"))
    assert response.status_code == 302
    assert response.url == screening_url(item)
    item.refresh_from_db()
    assert item.assigned_to == triage_officer
    assert item.status == Status.IN_SCREENING


def test_claim_someone_elses_request_says_so(officer_client, other_officer, practitioner):
    item = submit(practitioner)
    screening_services.request_claim(by=other_officer, request=item)
    response = officer_client.post(screening_url(item, "claim"), follow=True)
    assert "already screening" in response.content.decode()
    item.refresh_from_db()
    assert item.assigned_to == other_officer


def test_assign(officer_client, other_officer, practitioner):
    item = submit(practitioner)
    assert officer_client.get(screening_url(item, "assign")).status_code == 200
    response = officer_client.post(screening_url(item, "assign"), {"assigned_to": "999999"})
    assert response.status_code == 200
    assert response.context["form"].errors
    response = officer_client.post(screening_url(item, "assign"), {"assigned_to": other_officer.pk})
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.assigned_to == other_officer


# Screening


def test_screening_page_shows_the_request_and_audits(officer_client, triage_officer, practitioner):
    item = submit(practitioner, what_has_been_tried="Breakfast club")
    response = officer_client.get(screening_url(item))
    assert response.status_code == 200
    html = response.content.decode()
    assert item.reference in html
    assert "Breakfast club" in html
    assert "People on the request" in html
    assert (
        AuditEvent.objects.filter(
            actor=triage_officer, action=AuditAction.VIEW, object_id=str(item.pk)
        ).exists()
        or AuditEvent.objects.filter(actor=triage_officer, action=AuditAction.VIEW).exists()
    )


def test_match_a_candidate_and_undo(officer_client, practitioner, team):
    family = FamilyFactory(owning_team=team)
    mia = PersonFactory(given_name="Mia", family_name="Okafor", owning_team=team, families=[family])
    item = submit(practitioner)
    request_person = item.people.get(role="child")

    page = officer_client.get(screening_url(item))
    candidates = page.context["people_rows"][0]["candidates"]
    assert [result.match.person for result in candidates] == [mia]
    assert "This is them" in page.content.decode()

    url = screening_url(item, "screening-match", person_pk=request_person.pk)
    assert officer_client.post(url, {"person": str(mia.uuid)}).status_code == 302
    request_person.refresh_from_db()
    item.refresh_from_db()
    assert request_person.matched_person == mia
    assert item.family == family  # the child's only household
    assert item.locality == team.locality

    officer_client.post(url, {"person": ""})
    request_person.refresh_from_db()
    assert request_person.matched_person is None


def test_create_person_shows_possible_duplicates(officer_client, practitioner, team):
    PersonFactory(
        given_name="Mia",
        family_name="Okafor",
        owning_team=team,
        date_of_birth=datetime.date(2016, 4, 3),
    )
    item = submit(
        practitioner,
        people=[
            {
                "role": "child",
                "given_name": "Mia",
                "family_name": "Okafor",
                "date_of_birth": datetime.date(2016, 4, 3),
            }
        ],
    )
    request_person = item.people.get()
    url = screening_url(item, "screening-create-person", person_pk=request_person.pk)

    response = officer_client.post(url, {"owning_team": team.pk})
    assert response.status_code == 200
    assert "confirm this is someone else" in response.content.decode()
    request_person.refresh_from_db()
    assert request_person.matched_person is None

    response = officer_client.post(url, {"owning_team": team.pk, "confirmed_not_duplicate": "on"})
    assert response.status_code == 302
    request_person.refresh_from_db()
    assert request_person.matched_person is not None


def test_create_family_and_link(officer_client, practitioner, team):
    mia = PersonFactory(given_name="Mia", family_name="Okafor", owning_team=team)
    item = submit(practitioner)
    match(UserFactory(roles=[Role.TRIAGE_OFFICER]), item.people.get(role="child"), mia)
    page = officer_client.get(screening_url(item))
    assert page.context["family_form"]["name"].value() == "Okafor family"
    response = officer_client.post(
        screening_url(item, "screening-create-family"),
        {"family-name": "Okafor family", "family-owning_team": team.pk},
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.family.name == "Okafor family"
    assert item.family.memberships.filter(person=mia).exists()


def test_add_check_without_agency_keeps_typed_text(officer_client, practitioner):
    item = submit(practitioner)
    response = officer_client.post(
        screening_url(item, "screening-check-add"),
        {"check-question": "Known to the school nurse?", "check-answer": ""},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Choose the agency, or enter its name" in html
    assert "govuk-error-summary" in html
    assert "Known to the school nurse?" in html
    assert not ScreeningCheck.objects.exists()


def test_add_and_answer_a_check(officer_client, practitioner):
    item = submit(practitioner)
    agency = AgencyFactory()
    response = officer_client.post(
        screening_url(item, "screening-check-add"),
        {"check-agency": agency.pk, "check-question": "Known to you?"},
    )
    assert response.status_code == 302
    check = ScreeningCheck.objects.get()
    assert check.agency == agency
    url = screening_url(item, "screening-check-answer", check_uuid=check.uuid)
    response = officer_client.post(url, {"answer": ""})
    assert response.status_code == 200
    assert "Enter their answer" in response.content.decode()
    assert officer_client.post(url, {"answer": "Yes, since 2024"}).status_code == 302
    check.refresh_from_db()
    assert check.answer == "Yes, since 2024"
    assert check.answered_at is not None


def test_check_asked_in_the_future_is_refused(officer_client, practitioner):
    item = submit(practitioner)
    tomorrow = timezone.localdate() + datetime.timedelta(days=2)
    response = officer_client.post(
        screening_url(item, "screening-check-add"),
        {
            "check-agency_name": "Police",
            "check-question": "Any callouts?",
            "check-asked_on_day": tomorrow.day,
            "check-asked_on_month": tomorrow.month,
            "check-asked_on_year": tomorrow.year,
        },
    )
    assert response.status_code == 200
    assert "must be now or in the past" in response.content.decode()


def test_record_consent_and_notes(officer_client, practitioner):
    item = submit(practitioner, consent="not_asked", consent_given_by="", consent_covers="")
    response = officer_client.post(
        screening_url(item, "screening-consent"), {"consent-consent": "given"}
    )
    assert response.status_code == 200
    assert "Enter who gave consent" in response.content.decode()
    today = timezone.localdate()
    response = officer_client.post(
        screening_url(item, "screening-consent"),
        {
            "consent-consent": "given",
            "consent-consent_given_by": "Grace",
            "consent-consent_covers": "assessment",
            "consent-consent_given_on_day": today.day,
            "consent-consent_given_on_month": today.month,
            "consent-consent_given_on_year": today.year,
        },
    )
    assert response.status_code == 302
    officer_client.post(screening_url(item, "screening-notes"), {"screening_notes": "Rang mum."})
    item.refresh_from_db()
    assert item.consent_allows_early_help
    assert item.screening_notes == "Rang mum."


def test_ticking_indicators_shows_the_suggested_level(officer_client, practitioner):
    item = submit(practitioner)
    chosen = [indicators_at(2)[0], indicators_at(3)[0]]
    response = officer_client.post(
        screening_url(item, "screening-indicators"),
        {"indicators": [i.pk for i in chosen]},
        follow=True,
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert f"Suggested level: {level(3).name}" in html or "Suggested level:" in html
    assert response.context["suggested_level"] == level(3)
    assert set(item.indicators.all()) == set(chosen)
