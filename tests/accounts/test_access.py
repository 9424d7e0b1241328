"""The access policy for the directory: who sees which colleagues and team memberships."""

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from accounts.models import Agency, Role, Team, User
from accounts.services import team_members_view_grant, team_members_view_revoke
from audit.models import AuditEvent
from earlyhelp import access
from tests.factories import LocalityFactory, TeamFactory, UserFactory


def visible_users(user):
    return set(access.visible(user, User.objects.all()))


def test_practitioner_sees_self_agency_colleagues_and_team_members(practitioner, colleague, team):
    same_agency_elsewhere = UserFactory(agency=team.agency)
    other_agency_teammate = UserFactory(teams=[team])
    stranger = UserFactory()

    seen = visible_users(practitioner)

    assert {practitioner, colleague, same_agency_elsewhere, other_agency_teammate} <= seen
    assert stranger not in seen


def test_outsider_sees_no_one_from_the_practitioners_team(practitioner, outsider):
    assert practitioner not in visible_users(outsider)
    assert outsider not in visible_users(practitioner)


def test_locality_manager_sees_members_of_every_team_in_their_locality(locality_manager, team):
    neighbour_team = TeamFactory(locality=team.locality)
    neighbour = UserFactory(teams=[neighbour_team])
    other_locality = UserFactory(teams=[TeamFactory(locality=LocalityFactory())])

    seen = visible_users(locality_manager)

    assert neighbour in seen
    assert other_locality not in seen


def test_manager_of_a_team_without_the_locality_role_sees_only_their_team(team):
    manager = UserFactory(roles=[Role.PRACTITIONER], manages=[team])
    neighbour = UserFactory(teams=[TeamFactory(locality=team.locality)])
    assert neighbour not in visible_users(manager)


def test_system_administrator_sees_every_user(system_administrator, practitioner, outsider):
    assert {practitioner, outsider, system_administrator} <= visible_users(system_administrator)


def test_user_without_a_role_sees_nothing(db):
    no_role = UserFactory()
    assert visible_users(no_role) == set()
    assert not access.visible(no_role, Agency.objects.all()).exists()


def test_deactivated_user_sees_nothing(practitioner):
    practitioner.is_active = False
    assert visible_users(practitioner) == set()
    assert not access.can(practitioner, access.Permission.USE_SERVICE)


def test_directory_of_agencies_and_teams_is_open_to_every_user_of_the_service(outsider, team):
    assert team in access.visible(outsider, Team.objects.all())
    assert team.agency in access.visible(outsider, Agency.objects.all())


@pytest.mark.parametrize(
    "role, allowed",
    [
        (Role.SYSTEM_ADMINISTRATOR, True),
        (Role.PRACTITIONER, False),
        (Role.LOCALITY_MANAGER, False),
        (Role.TRIAGE_OFFICER, False),
        (Role.SOCIAL_WORKER, False),
        (Role.PARTNER_AGENCY_USER, False),
        (Role.PERFORMANCE_ANALYST, False),
    ],
)
def test_only_system_administrators_configure(db, role, allowed):
    assert access.can(UserFactory(roles=[role]), access.Permission.CONFIGURE) is allowed


def test_team_membership_visible_to_members_and_managers_only(
    practitioner, locality_manager, outsider, team
):
    assert access.can(practitioner, access.Permission.VIEW_TEAM_MEMBERS, team)
    assert access.can(locality_manager, access.Permission.VIEW_TEAM_MEMBERS, team)
    assert not access.can(outsider, access.Permission.VIEW_TEAM_MEMBERS, team)


def test_guardian_grant_opens_team_membership_and_revoke_closes_it(
    system_administrator, outsider, practitioner, team
):
    team_members_view_grant(
        by=system_administrator, to_user=outsider, team=team, reason="Joint work on a case"
    )
    assert access.can(outsider, access.Permission.VIEW_TEAM_MEMBERS, team)
    assert practitioner in visible_users(outsider)

    team_members_view_revoke(by=system_administrator, from_user=outsider, team=team)
    assert not access.can(outsider, access.Permission.VIEW_TEAM_MEMBERS, team)
    assert practitioner not in visible_users(outsider)

    actions = list(
        AuditEvent.objects.for_object(team).order_by("id").values_list("action", "reason")
    )
    assert actions == [("grant", "Joint work on a case"), ("revoke", "")]


def test_only_administrators_may_grant(practitioner, outsider, team):
    with pytest.raises(PermissionDenied):
        team_members_view_grant(by=practitioner, to_user=outsider, team=team, reason="x")
    assert not access.can(outsider, access.Permission.VIEW_TEAM_MEMBERS, team)


def test_get_for_user_is_404_for_the_unseen_and_get_for_change_403_for_the_seen(
    practitioner, outsider, team
):
    with pytest.raises(Http404):
        access.get_for_user(outsider, User.objects.all(), pk=practitioner.pk)
    with pytest.raises(Http404):
        access.get_for_user(outsider, User.objects.all(), uuid="not-a-uuid")
    with pytest.raises(PermissionDenied):
        access.get_for_change(
            outsider, Team.objects.all(), access.Permission.VIEW_TEAM_MEMBERS, pk=team.pk
        )
    assert (
        access.get_for_change(
            practitioner, Team.objects.all(), access.Permission.VIEW_TEAM_MEMBERS, pk=team.pk
        )
        == team
    )
