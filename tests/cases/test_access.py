"""The access policy for case records, before episodes exist: the owning team works on a
record; its managers see the sensitive parts; anyone else needs a grant."""

import pytest
from django.utils import timezone
from guardian.shortcuts import assign_perm

from accounts.models import Role
from cases.models import CaseNote, Family, FamilyMembership, Person, Relationship
from earlyhelp import access
from tests.factories import FamilyFactory, LocalityFactory, PersonFactory, TeamFactory, UserFactory

P = access.Permission


@pytest.fixture
def family(team):
    family = FamilyFactory(owning_team=team)
    PersonFactory(owning_team=team, families=[family])
    return family


def sees(user, obj):
    return access.visible(user, type(obj).objects.filter(pk=obj.pk)).exists()


@pytest.mark.parametrize(
    "who, expected",
    [
        ("practitioner", True),
        ("colleague", True),
        ("locality_manager", True),
        ("outsider", False),
        ("analyst", False),
        ("system_administrator", False),
    ],
)
def test_who_sees_a_family_and_its_members(request, family, who, expected):
    user = request.getfixturevalue(who)
    member = family.members.get()
    assert sees(user, family) is expected
    assert sees(user, member) is expected
    assert access.visible(user, FamilyMembership.objects.all()).exists() is expected


def test_locality_manager_sees_other_teams_in_their_locality_only(locality_manager, team):
    neighbour = FamilyFactory(owning_team=TeamFactory(locality=team.locality))
    elsewhere = FamilyFactory(owning_team=TeamFactory(locality=LocalityFactory()))
    assert sees(locality_manager, neighbour)
    assert not sees(locality_manager, elsewhere)


def test_a_team_manager_without_the_locality_role_sees_their_team_only(team):
    manager = UserFactory(roles=[Role.PRACTITIONER], manages=[team])
    neighbour = FamilyFactory(owning_team=TeamFactory(locality=team.locality))
    assert sees(manager, FamilyFactory(owning_team=team))
    assert not sees(manager, neighbour)


def test_membership_of_a_visible_family_opens_the_person(outsider, team):
    person = PersonFactory(owning_team=team)
    assert not sees(outsider, person)
    FamilyMembership.objects.create(
        family=FamilyFactory(owning_team=outsider.teams.get()), person=person
    )
    assert sees(outsider, person)


def test_an_explicit_grant_opens_one_family(outsider, family):
    assign_perm(access.FAMILY_GRANT, outsider, family)
    assert sees(outsider, family)
    assert sees(outsider, family.members.get())
    assert not sees(outsider, FamilyFactory(owning_team=family.owning_team))


def test_sensitive_fields_are_for_creators_and_managers(
    practitioner, colleague, locality_manager, team
):
    person = PersonFactory(owning_team=team, created_by=practitioner)
    team_manager = UserFactory(roles=[Role.PRACTITIONER], manages=[team])
    assert access.can(practitioner, P.VIEW_SENSITIVE, person)
    assert access.can(locality_manager, P.VIEW_SENSITIVE, person)
    assert access.can(team_manager, P.VIEW_SENSITIVE, person)
    assert not access.can(colleague, P.VIEW_SENSITIVE, person)


def test_restricted_notes_are_for_the_author_and_managers(
    practitioner, colleague, locality_manager, family
):
    note = CaseNote.objects.create(
        family=family,
        note_type="phone",
        summary="x",
        occurred_at=timezone.now(),
        author=practitioner,
        is_restricted=True,
    )
    assert access.can(practitioner, P.VIEW_SENSITIVE, note)
    assert access.can(locality_manager, P.VIEW_SENSITIVE, note)
    assert not access.can(colleague, P.VIEW_SENSITIVE, note)
    assert sees(colleague, note)  # listed, so the chronology shows that something happened


def test_change_and_merge_permissions(practitioner, locality_manager, outsider, family):
    person = family.members.get()
    assert access.can(practitioner, P.CHANGE_CASE_RECORD, family)
    assert not access.can(outsider, P.CHANGE_CASE_RECORD, family)
    assert access.can(locality_manager, P.MERGE_PEOPLE, person)
    assert not access.can(practitioner, P.MERGE_PEOPLE, person)
    assert not access.can(outsider, P.MERGE_PEOPLE, person)


@pytest.mark.parametrize("model", [Family, Person, FamilyMembership, Relationship, CaseNote])
def test_lists_are_empty_for_roles_without_case_work(analyst, system_administrator, family, model):
    for user in (analyst, system_administrator):
        assert not access.visible(user, model.objects.all()).exists()
