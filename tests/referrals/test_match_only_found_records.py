"""Issue 13, finding 3: a triage officer matches someone on a request only to a record that a
search for that person found (or one they may already see). Matching opens the household to
them, so a match to any other record would open any family in the county."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from cases.models import CaseNote, NoteType
from referrals.models import RequestForSupport
from referrals.screening import services as services
from tests.factories import FamilyFactory, PersonFactory, TeamFactory, UserFactory
from tests.referrals.screening_api_helpers import okafor_household, request_about_mia
from tests.referrals.screening_helpers import submit_request

pytestmark = pytest.mark.django_db


@pytest.fixture
def client_as(api_client):
    """Signed in for both the API and the pages."""

    def login(user):
        api_client.force_login(user)
        return api_client

    return login


@pytest.fixture
def hughes():
    """A family elsewhere in the county that nothing typed on the request matches."""
    family = FamilyFactory(name="Hughes family", owning_team=TeamFactory())
    tom = PersonFactory(
        given_name="Tomasz",
        family_name="Hughes",
        date_of_birth=datetime.date(2015, 1, 2),
        families=[family],
        owning_team=family.owning_team,
    )
    CaseNote.objects.create(
        family=family,
        note_type=NoteType.PHONE,
        occurred_at=timezone.now(),
        summary="Mother wants specialist domestic abuse support first",
        author=UserFactory(),
    )
    return family, tom


@pytest.fixture
def okafor():
    """The family the request is about, owned by a team the officer is not in."""
    return okafor_household(TeamFactory())


@pytest.fixture
def request_for_support(practitioner):
    return request_about_mia(practitioner)


def api_url(request_for_support, action):
    return f"/api/requests/{request_for_support.uuid}/{action}/"


def assert_nothing_linked(request_for_support, client, family):
    child = request_for_support.people.get()
    assert child.matched_person_id is None
    assert RequestForSupport.objects.get(pk=request_for_support.pk).family_id is None
    response = client.get(f"/api/families/{family.uuid}/")
    assert response.status_code == 404
    assert "Hughes" not in response.content.decode()
    page = client.get(reverse("cases:family-detail", kwargs={"uuid": family.uuid}))
    assert page.status_code == 404
    assert "domestic abuse" not in page.content.decode()


def test_api_refuses_a_record_no_search_found(
    client_as, triage_officer, request_for_support, hughes, okafor
):
    family, tom = hughes
    client = client_as(triage_officer)
    candidates = client.get(api_url(request_for_support, "candidates")).json()
    assert [c["person_uuid"] for c in candidates[0]["candidates"]] == [str(okafor[1].uuid)]

    response = client.post(
        api_url(request_for_support, "match"),
        {"request_person": request_for_support.people.get().pk, "person": str(tom.uuid)},
    )

    assert response.status_code == 400
    assert response.json()["errors"]["person"] == [
        "Choose a record that a search for this person found"
    ]
    assert_nothing_linked(request_for_support, client, family)


def test_api_refuses_a_match_when_no_search_was_made(
    client_as, triage_officer, request_for_support, hughes
):
    family, tom = hughes
    client = client_as(triage_officer)

    response = client.post(
        api_url(request_for_support, "match"),
        {"request_person": request_for_support.people.get().pk, "person": str(tom.uuid)},
    )

    assert response.status_code == 400
    assert "person" in response.json()["errors"]
    assert_nothing_linked(request_for_support, client, family)


def test_a_record_found_for_another_request_cannot_be_matched_here(
    client_as, triage_officer, practitioner, request_for_support, hughes
):
    """Offers belong to the person typed on a request, not to the officer."""
    family, tom = hughes
    other = submit_request(
        practitioner,
        people=[{"role": "child", "given_name": "Tomasz", "family_name": "Hughes"}],
    )
    client = client_as(triage_officer)
    offered = client.get(api_url(other, "candidates")).json()[0]["candidates"]
    assert [c["person_uuid"] for c in offered] == [str(tom.uuid)]

    response = client.post(
        api_url(request_for_support, "match"),
        {"request_person": request_for_support.people.get().pk, "person": str(tom.uuid)},
    )

    assert response.status_code == 400
    assert_nothing_linked(request_for_support, client, family)


def test_api_matches_a_found_record_the_officer_cannot_open_yet(
    client_as, triage_officer, request_for_support, okafor
):
    family, mia = okafor
    client = client_as(triage_officer)
    assert client.get(f"/api/families/{family.uuid}/").status_code == 404
    client.get(api_url(request_for_support, "candidates"))

    response = client.post(
        api_url(request_for_support, "match"),
        {"request_person": request_for_support.people.get().pk, "person": str(mia.uuid)},
    )

    assert response.status_code == 200, response.json()
    assert response.json()["family"] == str(family.uuid)
    assert request_for_support.people.get().matched_person == mia
    assert client.get(f"/api/families/{family.uuid}/").status_code == 200


def test_page_refuses_a_record_no_search_found(
    client, triage_officer, request_for_support, hughes, okafor
):
    family, tom = hughes
    client.force_login(triage_officer)
    screening = reverse("referrals:screening", kwargs={"uuid": request_for_support.uuid})
    page = client.get(screening)
    assert "Hughes" not in page.content.decode()
    match_url = reverse(
        "referrals:screening-match",
        kwargs={"uuid": request_for_support.uuid, "person_pk": request_for_support.people.get().pk},
    )

    response = client.post(match_url, {"person": str(tom.uuid)}, follow=True)

    assert response.status_code == 200
    assert "Choose a record that a search for this person found" in response.content.decode()
    assert_nothing_linked(request_for_support, client, family)


def test_page_matches_a_record_the_page_offered(
    client, triage_officer, request_for_support, okafor
):
    family, mia = okafor
    client.force_login(triage_officer)
    screening = reverse("referrals:screening", kwargs={"uuid": request_for_support.uuid})
    page = client.get(screening)
    assert [r.match.person for r in page.context["people_rows"][0]["candidates"]] == [mia]
    match_url = reverse(
        "referrals:screening-match",
        kwargs={"uuid": request_for_support.uuid, "person_pk": request_for_support.people.get().pk},
    )

    assert client.post(match_url, {"person": str(mia.uuid)}).status_code == 302
    assert request_for_support.people.get().matched_person == mia
    assert RequestForSupport.objects.get(pk=request_for_support.pk).family == family


def test_service_allows_a_record_the_officer_may_already_see(
    triage_officer, team, request_for_support
):
    """No search needed for a record the access policy already opens to the officer."""
    ours = FamilyFactory(owning_team=team)
    mia = PersonFactory(given_name="Amelia", family_name="Smith", owning_team=team, families=[ours])

    services.screening_match_person(
        by=triage_officer, request_person=request_for_support.people.get(), person=mia
    )

    assert request_for_support.people.get().matched_person == mia


def test_a_possible_duplicate_shown_when_creating_a_record_can_be_matched(
    client, triage_officer, team, request_for_support, okafor
):
    """Creating a record first lists the records that may be the same person, each with
    "This is them": those were found by a search for this person too."""
    family, mia = okafor
    client.force_login(triage_officer)
    person_pk = request_for_support.people.get().pk
    create = reverse(
        "referrals:screening-create-person",
        kwargs={"uuid": request_for_support.uuid, "person_pk": person_pk},
    )
    response = client.post(create, {"owning_team": team.pk})
    assert response.status_code == 200
    assert [r.match.person for r in response.context["people_rows"][0]["duplicates"]] == [mia]

    match_url = reverse(
        "referrals:screening-match",
        kwargs={"uuid": request_for_support.uuid, "person_pk": person_pk},
    )
    assert client.post(match_url, {"person": str(mia.uuid)}).status_code == 302
    assert request_for_support.people.get().matched_person == mia
    assert RequestForSupport.objects.get(pk=request_for_support.pk).family == family


def test_a_possible_duplicate_refused_creation_is_offered_for_matching(
    triage_officer, team, request_for_support, okafor
):
    """The service on its own: a record listed as a possible duplicate of this person (and
    not yet in any candidates search) may be matched."""
    from cases.people import search

    family, mia = okafor
    child = request_for_support.people.get()
    with pytest.raises(search.PossibleDuplicates) as listed:
        services.screening_create_person(by=triage_officer, request_person=child, owning_team=team)
    assert [match.person for match in listed.value.matches] == [mia]

    services.screening_match_person(by=triage_officer, request_person=child, person=mia)

    assert request_for_support.people.get().matched_person == mia
