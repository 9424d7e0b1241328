"""Issue 13, findings 4, 5 and 12: who may change a family's record, on the pages and in the
API (DESIGN section 7).

The family record (family and person details, memberships, relationships, ending or
removing any of it) is changed by the lead professional, the owning team's members and
managers, the locality managers, triage officers screening a request for the family, and
holders of a change grant. Partners (TAF members, users of a TAF member agency) read the
family and add case notes. A view grant reads, nothing more. Users are offered only the
links and buttons they may use."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from guardian.shortcuts import assign_perm

from accounts.models import Role, User
from cases.episodes import services as episodes
from cases.models import CaseNote, Family, FamilyMembership, Relationship
from earlyhelp import access
from tests.cases.episode_helpers import make_locality
from tests.factories import (
    AgencyFactory,
    AllocatedEpisodeFactory,
    FamilyFactory,
    PersonFactory,
    TafMemberFactory,
    UserFactory,
    led_in,
)

pytestmark = pytest.mark.django_db

P = access.Permission


def fresh(user):
    return User.objects.get(pk=user.pk)


@pytest.fixture
def world():
    """The Hughes family, owned by the north early help team, with an open episode led by
    the team's practitioner, and around it everyone who may or may not change it."""
    north = make_locality("North")
    family = FamilyFactory(owning_team=north.team, name="Hughes family")
    mother = PersonFactory(
        record_type="adult",
        given_name="Dana",
        family_name="Hughes",
        owning_team=north.team,
        families=[family],
    )
    child = PersonFactory(
        given_name="Kai", family_name="Hughes", owning_team=north.team, families=[family]
    )
    relationship = Relationship.objects.create(
        family=family, from_person=mother, to_person=child, relationship_type="mother"
    )
    episode = AllocatedEpisodeFactory(family=family, **led_in(north))
    school = AgencyFactory(name="Harrowgate Primary")
    police = AgencyFactory(name="Police")
    users = {
        "lead": north.worker,
        "colleague": north.colleague,
        "manager": north.manager,
        "taf_user": UserFactory(roles=[Role.PARTNER_AGENCY_USER], agency=police),
        "taf_agency_user": UserFactory(roles=[Role.PARTNER_AGENCY_USER], agency=school),
        "taf_practitioner": UserFactory(roles=[Role.PRACTITIONER], agency=AgencyFactory()),
        "view_grant": UserFactory(roles=[Role.PRACTITIONER], agency=AgencyFactory()),
        "change_grant": UserFactory(roles=[Role.PRACTITIONER], agency=AgencyFactory()),
    }
    TafMemberFactory(episode=episode, role="PC", user=users["taf_user"])
    TafMemberFactory(episode=episode, role="DSL", agency=school, contact_name="Mrs A")
    TafMemberFactory(episode=episode, role="Nurse", user=users["taf_practitioner"])
    assign_perm(access.FAMILY_GRANT, users["view_grant"], family)
    assign_perm(access.FAMILY_CHANGE_GRANT, users["change_grant"], family)
    return {
        "family": family,
        "mother": mother,
        "child": child,
        "relationship": relationship,
        "episode": episode,
        "users": users,
    }


CHANGERS = ["lead", "colleague", "manager", "change_grant"]
PARTNERS = ["taf_user", "taf_agency_user", "taf_practitioner"]
READERS = [*PARTNERS, "view_grant"]


def _note_body(family):
    return {
        "family": str(family.uuid),
        "note_type": "phone",
        "summary": "Spoke to Dana",
        "occurred_at": (timezone.now() - datetime.timedelta(hours=1)).isoformat(),
    }


# The policy


@pytest.mark.parametrize("who", CHANGERS + READERS)
def test_the_policy_says_who_changes_and_who_adds_notes(world, who):
    user = fresh(world["users"][who])
    family, child = world["family"], world["child"]
    assert access.visible(user, Family.objects.filter(pk=family.pk)).exists()
    changes = who in CHANGERS
    assert access.can(user, P.CHANGE_CASE_RECORD, family) is changes
    assert access.can(fresh(user), P.CHANGE_CASE_RECORD, child) is changes
    assert access.can(fresh(user), P.CHANGE_CASE_RECORD, world["relationship"]) is changes
    assert access.can(fresh(user), P.ADD_CASE_NOTE, family) is (who != "view_grant")


def test_a_partner_whose_taf_membership_ended_adds_no_more_notes(world):
    member = world["episode"].taf_members.get(user=world["users"]["taf_user"])
    episodes.taf_member_end(by=world["users"]["lead"], member=member)
    assert not access.can(fresh(world["users"]["taf_user"]), P.ADD_CASE_NOTE, world["family"])


# The API


@pytest.mark.parametrize("who", READERS)
def test_readers_read_through_the_api_but_cannot_change_the_family_record(api_client, world, who):
    family, relationship, child = world["family"], world["relationship"], world["child"]
    api_client.force_authenticate(fresh(world["users"][who]))

    read = api_client.get(f"/api/families/{family.uuid}/")
    assert read.status_code == 200 and read.json()["name"] == "Hughes family"

    assert api_client.patch(f"/api/families/{family.uuid}/", {"town": "X"}).status_code == 403
    assert api_client.delete(f"/api/relationships/{relationship.pk}/").status_code == 403
    assert api_client.patch(f"/api/people/{child.uuid}/", {"known_as": "K"}).status_code == 403
    membership = FamilyMembership.objects.get(family=family, person=child)
    left = api_client.post(f"/api/memberships/{membership.pk}/leave/", {"left_on": "2026-01-01"})
    assert left.status_code == 403
    related = api_client.post(
        "/api/relationships/",
        {
            "family": str(family.uuid),
            "from_person": str(child.uuid),
            "to_person": str(world["mother"].uuid),
            "relationship_type": "carer",
        },
    )
    assert related.status_code == 403

    family.refresh_from_db()
    child.refresh_from_db()
    assert family.town != "X" and child.known_as != "K"
    assert Relationship.objects.filter(pk=relationship.pk).exists()
    assert FamilyMembership.objects.get(pk=membership.pk).left_on is None


def test_a_view_grant_adds_no_notes_through_the_api(api_client, world):
    api_client.force_authenticate(fresh(world["users"]["view_grant"]))
    response = api_client.post("/api/notes/", _note_body(world["family"]))
    assert response.status_code == 403
    assert not CaseNote.objects.exists()


@pytest.mark.parametrize("who", PARTNERS)
def test_partners_add_notes_through_the_api(api_client, world, who):
    api_client.force_authenticate(fresh(world["users"][who]))
    response = api_client.post("/api/notes/", _note_body(world["family"]))
    assert response.status_code == 201, response.json()
    assert CaseNote.objects.get().author == world["users"][who]


def test_a_change_grant_changes_through_the_api(api_client, world):
    family = world["family"]
    api_client.force_authenticate(fresh(world["users"]["change_grant"]))
    response = api_client.patch(f"/api/families/{family.uuid}/", {"town": "Wexmoor"})
    assert response.status_code == 200, response.json()
    family.refresh_from_db()
    assert family.town == "Wexmoor"
    removed = api_client.delete(f"/api/relationships/{world['relationship'].pk}/")
    assert removed.status_code == 204


# The pages


@pytest.mark.parametrize("who", READERS)
def test_readers_read_the_pages_but_cannot_change_the_family_record(client, world, who):
    family, relationship, child = world["family"], world["relationship"], world["child"]
    client.force_login(fresh(world["users"][who]))
    membership = FamilyMembership.objects.get(family=family, person=child)

    page = client.get(reverse("cases:family-detail", args=[family.uuid]))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Hughes family" in html
    for url in [
        reverse("cases:family-edit", args=[family.uuid]),
        reverse("cases:relationship-remove", args=[family.uuid, relationship.pk]),
        reverse("cases:relationship-add", args=[family.uuid]),
        reverse("cases:member-leave", args=[family.uuid, membership.pk]),
        reverse("cases:person-edit", args=[child.uuid]),
    ]:
        assert url not in html, url
        assert client.get(url).status_code == 403, url
    assert "Change family details" not in html and "Record leaving" not in html
    assert "Add someone already known" not in html and "Add a new person" not in html
    assert "Remove" not in html

    refused = client.post(reverse("cases:relationship-remove", args=[family.uuid, relationship.pk]))
    assert refused.status_code == 403
    assert Relationship.objects.filter(pk=relationship.pk).exists()
    refused = client.post(
        reverse("cases:family-edit", args=[family.uuid]),
        {"name": "Changed", "owning_team": family.owning_team_id},
    )
    assert refused.status_code == 403
    family.refresh_from_db()
    assert family.name == "Hughes family"

    person_page = client.get(reverse("cases:person-detail", args=[child.uuid])).content.decode()
    assert "Kai Hughes" in person_page
    assert reverse("cases:person-edit", args=[child.uuid]) not in person_page
    assert reverse("cases:person-address-add", args=[child.uuid]) not in person_page
    assert reverse("cases:person-name-add", args=[child.uuid]) not in person_page


@pytest.mark.parametrize("who", PARTNERS)
def test_partners_add_a_note_on_the_page(client, world, who):
    family = world["family"]
    client.force_login(fresh(world["users"][who]))
    html = client.get(reverse("cases:family-detail", args=[family.uuid])).content.decode()
    note_url = reverse("cases:note-add", args=[family.uuid])
    assert note_url in html

    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    response = client.post(
        note_url,
        {
            "note_type": "phone",
            "summary": "Spoke to Dana",
            "occurred_on_day": yesterday.day,
            "occurred_on_month": yesterday.month,
            "occurred_on_year": yesterday.year,
        },
    )
    assert response.status_code == 302
    assert CaseNote.objects.get().summary == "Spoke to Dana"


def test_a_view_grant_holder_is_not_offered_notes_and_is_refused_them(client, world):
    family = world["family"]
    client.force_login(fresh(world["users"]["view_grant"]))
    html = client.get(reverse("cases:family-detail", args=[family.uuid])).content.decode()
    note_url = reverse("cases:note-add", args=[family.uuid])
    assert note_url not in html
    assert client.get(note_url).status_code == 403


@pytest.mark.parametrize("who", CHANGERS)
def test_those_who_change_the_record_are_offered_the_links(client, world, who):
    family = world["family"]
    client.force_login(fresh(world["users"][who]))
    html = client.get(reverse("cases:family-detail", args=[family.uuid])).content.decode()
    assert reverse("cases:family-edit", args=[family.uuid]) in html
    assert reverse("cases:note-add", args=[family.uuid]) in html
    assert (
        reverse("cases:relationship-remove", args=[family.uuid, world["relationship"].pk]) in html
    )
    assert client.get(reverse("cases:family-edit", args=[family.uuid])).status_code == 200


# Finding 12: creation links only for those who may create


def test_partners_are_not_offered_to_create_families_or_people(client, world):
    partner = fresh(world["users"]["taf_user"])
    client.force_login(partner)
    families = client.get(reverse("cases:family-list")).content.decode()
    assert reverse("cases:family-create") not in families
    assert "Create a family record" not in families
    search = client.get(reverse("cases:search") + "?family_name=Nobody").content.decode()
    assert reverse("cases:person-create") not in search
    assert client.get(reverse("cases:family-create")).status_code == 403
    assert client.get(reverse("cases:person-create")).status_code == 403


def test_practitioners_are_offered_to_create_families_and_people(client, world):
    client.force_login(fresh(world["users"]["lead"]))
    families = client.get(reverse("cases:family-list")).content.decode()
    assert reverse("cases:family-create") in families
    search = client.get(reverse("cases:search") + "?family_name=Nobody").content.decode()
    assert reverse("cases:person-create") in search
    detail = client.get(reverse("cases:family-detail", args=[world["family"].uuid]))
    assert reverse("cases:person-create") in detail.content.decode()
