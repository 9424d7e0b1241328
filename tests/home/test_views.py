"""The home page: the user's account and teams, their teams' records, the directory for
those who configure it; and the menu on every page, which depends on the user's roles."""

from django.urls import reverse

from accounts.models import Agency, Locality, Role, Team, User
from tests.factories import AgencyFactory, TeamFactory, UserFactory


def test_home_shows_the_users_agency_teams_and_roles(client, locality_manager, team):
    other_team = TeamFactory(name="Early Help Hub")
    other_team.members.add(locality_manager)
    client.force_login(locality_manager)
    page = client.get(reverse("home")).content.decode()
    assert locality_manager.agency.name in page
    assert "Locality manager" in page
    assert team.name in page and "Early Help Hub" in page
    assert page.count("Manager</strong>") == 1
    assert 'data-count="agencies"' not in page


def test_home_for_administrators_counts_the_directory(client, system_administrator):
    AgencyFactory.create_batch(3)
    TeamFactory.create_batch(2)
    UserFactory(is_active=False)
    archived = AgencyFactory()
    archived.archived_on = archived.created_at.date()
    archived.save()
    client.force_login(system_administrator)
    page = client.get(reverse("home")).content.decode()
    assert f'data-count="agencies">{Agency.objects.current().count()}<' in page
    assert f'data-count="teams">{Team.objects.count()}<' in page
    assert f'data-count="localities">{Locality.objects.count()}<' in page
    active = User.objects.filter(is_active=True).count()
    assert f'data-count="users">{active}<' in page
    assert 'data-count="inactive-users">1<' in page
    assert reverse("admin:index") in page


def test_navigation_depends_on_role(client, practitioner, system_administrator):
    admin_link = 'class="govuk-service-navigation__link" href="/admin/"'
    client.force_login(practitioner)
    assert admin_link not in client.get(reverse("home")).content.decode()
    client.force_login(system_administrator)
    assert admin_link in client.get(reverse("home")).content.decode()


def test_administrator_home_query_count(
    client, django_assert_max_num_queries, system_administrator
):
    UserFactory.create_batch(50, roles=[Role.PRACTITIONER])
    client.force_login(system_administrator)
    with django_assert_max_num_queries(16):
        assert client.get(reverse("home")).status_code == 200


def test_managers_get_caseloads_and_meetings_and_practitioners_their_cases(
    client, practitioner, locality_manager
):
    def links(user):
        client.force_login(user)
        page = client.get(reverse("home")).content.decode()
        return {
            path
            for path in ("/my-cases/", "/caseloads/", "/meetings/", "/transitions/")
            if f'class="govuk-service-navigation__link" href="{path}"' in page
        }

    assert links(practitioner) == {"/my-cases/", "/transitions/"}
    assert links(locality_manager) == {"/my-cases/", "/caseloads/", "/meetings/", "/transitions/"}
