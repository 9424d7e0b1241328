import pytest
from django.urls import reverse
from django.utils.html import escape

from audit.models import AuditEvent
from tests.factories import AgencyFactory, TeamFactory, UserFactory


def test_pages_need_sign_in(client, team):
    for url in [reverse("home"), reverse("accounts:team-detail", args=[team.uuid])]:
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:sign-in"))


def test_user_without_a_role_is_told_to_ask_for_one(client, db):
    client.force_login(UserFactory())
    response = client.get(reverse("home"))
    assert response.status_code == 403
    assert "Your account has no role yet" in response.content.decode()


def test_team_page_shows_members_to_the_team_and_hides_them_from_outsiders(
    client, practitioner, colleague, outsider, team
):
    url = reverse("accounts:team-detail", args=[team.uuid])
    client.force_login(practitioner)
    page = client.get(url).content.decode()
    assert escape(colleague.full_name) in page

    client.force_login(outsider)
    page = client.get(url).content.decode()
    assert team.name in page
    assert escape(colleague.full_name) not in page
    assert "Only the team, its managers and system administrators" in page


def test_colleague_page_is_404_for_an_outsider(client, practitioner, outsider):
    client.force_login(outsider)
    response = client.get(reverse("accounts:user-detail", args=[practitioner.uuid]))
    assert response.status_code == 404
    assert escape(practitioner.full_name) not in response.content.decode()
    assert "Page not found" in response.content.decode()


def test_people_list_shows_only_visible_colleagues(client, practitioner, colleague, outsider):
    client.force_login(practitioner)
    page = client.get(reverse("accounts:user-list")).content.decode()
    assert escape(colleague.full_name) in page
    assert escape(outsider.full_name) not in page


def test_people_filter_offers_only_teams_whose_membership_is_visible(client, practitioner, team):
    hidden_team = TeamFactory(name="Hidden Team")
    client.force_login(practitioner)
    page = client.get(reverse("accounts:user-list")).content.decode()
    assert f'value="{team.uuid}"' in page
    assert f'value="{hidden_team.uuid}"' not in page


def test_filters_narrow_the_agency_list(client, practitioner):
    AgencyFactory(name="Harrowgate Primary", agency_type="school")
    AgencyFactory(name="Wexmoor Police", agency_type="police")
    client.force_login(practitioner)
    page = client.get(reverse("accounts:agency-list"), {"agency_type": "school"}).content.decode()
    assert "Harrowgate Primary" in page and "Wexmoor Police" not in page
    page = client.get(reverse("accounts:agency-list"), {"q": "wexmoor"}).content.decode()
    assert "Wexmoor Police" in page and "Harrowgate Primary" not in page


def test_a_bad_filter_value_is_a_message_not_an_error(client, practitioner):
    client.force_login(practitioner)
    response = client.get(reverse("accounts:team-list"), {"agency": "not-a-uuid"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Select an agency from the list" in page
    assert 'href="#id_agency"' in page


def test_list_and_detail_pages_are_audited(client, practitioner, team):
    client.force_login(practitioner)
    client.get(reverse("accounts:team-list"), {"q": team.name})
    client.get(reverse("accounts:team-detail", args=[team.uuid]))
    listed = AuditEvent.objects.get(actor=practitioner, action="list")
    assert listed.object_type == "accounts.team"
    assert listed.detail == {"ids": [str(team.pk)], "filters": {"q": team.name}}
    viewed = AuditEvent.objects.get(actor=practitioner, action="view")
    assert (viewed.object_type, viewed.object_id) == ("accounts.team", str(team.pk))


def test_unknown_record_is_404(client, practitioner):
    client.force_login(practitioner)
    url = reverse("accounts:agency-detail", args=["00000000-0000-0000-0000-000000000000"])
    assert client.get(url).status_code == 404


# Query counts: each page costs the same number of queries at 2 rows and at 50.


def _directory(rows, manager_team):
    locality = manager_team.locality
    for _ in range(rows):
        agency = AgencyFactory()
        team = TeamFactory(agency=agency, locality=locality)
        UserFactory(agency=manager_team.agency, teams=[team, manager_team], manages=[team])


PAGES = {
    "home": lambda team: reverse("home"),
    "agency-list": lambda team: reverse("accounts:agency-list"),
    "agency-detail": lambda team: reverse("accounts:agency-detail", args=[team.agency.uuid]),
    "locality-list": lambda team: reverse("accounts:locality-list"),
    "locality-detail": lambda team: reverse("accounts:locality-detail", args=[team.locality.uuid]),
    "team-list": lambda team: reverse("accounts:team-list"),
    "team-detail": lambda team: reverse("accounts:team-detail", args=[team.uuid]),
    "user-list": lambda team: reverse("accounts:user-list"),
    "user-detail": lambda team: reverse("accounts:user-detail", args=[team.members.first().uuid]),
}


@pytest.mark.parametrize("rows", [2, 50])
@pytest.mark.parametrize("url_for", PAGES.values(), ids=PAGES.keys())
def test_page_query_count_does_not_grow_with_rows(
    client, django_assert_max_num_queries, locality_manager, team, rows, url_for
):
    _directory(rows, team)
    for _ in range(rows):
        TeamFactory(agency=team.agency, locality=team.locality)
    client.force_login(locality_manager)
    url = url_for(team)
    with django_assert_max_num_queries(16):
        response = client.get(url)
    assert response.status_code == 200
