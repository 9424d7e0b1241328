"""Services for people and families: validation, permissions, audit and nothing half-saved."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from accounts.models import Role
from audit.models import AuditEvent
from cases.families import services
from cases.models import CaseNote, Family, FamilyMembership, Person, RecordType
from cases.people import services as people_services
from cases.people.search import PossibleDuplicates
from earlyhelp.exceptions import ServiceError
from tests.dates import years_before
from tests.factories import FamilyFactory, PersonFactory, TeamFactory, UserFactory

TODAY = timezone.localdate()


def years_ago(years, days=0):
    return years_before(TODAY, years) - datetime.timedelta(days=days)


@pytest.fixture
def family(team):
    return FamilyFactory(owning_team=team, name="The Okafor family")


def create_child(by, team, **fields):
    values = {
        "record_type": RecordType.CHILD,
        "given_name": "Amara",
        "family_name": "Okafor",
        "date_of_birth": years_ago(7),
    }
    return people_services.person_create(by=by, owning_team=team, **{**values, **fields})


def test_create_person_saves_indexes_and_audits(practitioner, team):
    child = create_child(practitioner, team, nhs_number="943 476 5919")
    child.refresh_from_db()
    assert child.nhs_number == "9434765919"
    assert (child.created_by, child.owning_team) == (practitioner, team)
    assert child.search_keys.filter(key="f:okafor").exists()
    event = AuditEvent.objects.get(action="create", object_type="cases.person")
    assert (event.actor, event.object_id) == (practitioner, str(child.pk))


@pytest.mark.parametrize(
    "fields, field, message",
    [
        ({"nhs_number": "943 476 5918"}, "nhs_number", "check digit is wrong"),
        ({"nhs_number": "1234567890"}, "nhs_number", "cannot exist"),
        ({"upn": "Z801200001001"}, "upn", "check letter is wrong"),
        ({"date_of_birth": TODAY + datetime.timedelta(days=30)}, "date_of_birth", "in the past"),
        ({"date_of_birth": years_ago(18)}, "date_of_birth", "record them as an adult"),
        ({"date_of_birth": None}, "date_of_birth", "Enter the child's date of birth"),
        ({"family_name": ""}, "family_name", "Enter the family name"),
        ({"given_name": " "}, "given_name", "Enter the given name"),
    ],
)
def test_bad_input_is_refused_on_the_field_and_nothing_is_saved(
    practitioner, team, fields, field, message
):
    with pytest.raises(ValidationError) as refused:
        create_child(practitioner, team, **fields)
    assert any(message in text for text in refused.value.message_dict[field])
    assert not Person.objects.exists()
    assert not AuditEvent.objects.filter(action="create").exists()


def test_unborn_child_needs_a_due_date_and_becomes_a_child_on_birth(practitioner, team):
    with pytest.raises(ValidationError) as refused:
        create_child(
            practitioner, team, record_type=RecordType.UNBORN, given_name="", date_of_birth=None
        )
    assert "expected_date_of_delivery" in refused.value.message_dict
    unborn = create_child(
        practitioner,
        team,
        record_type=RecordType.UNBORN,
        given_name="",
        date_of_birth=None,
        expected_date_of_delivery=TODAY + datetime.timedelta(days=60),
    )
    assert unborn.full_name == "Unborn child Okafor"
    born = people_services.person_record_birth(
        by=practitioner, person=unborn, date_of_birth=TODAY, given_name="Chidi", sex="male"
    )
    born.refresh_from_db()
    assert (born.pk, born.record_type, born.date_of_birth) == (unborn.pk, "child", TODAY)
    assert born.expected_date_of_delivery is None
    assert born.search_keys.filter(key="g:chidi").exists()
    with pytest.raises(ServiceError):
        people_services.person_record_birth(by=practitioner, person=born, date_of_birth=TODAY)


def test_likely_duplicate_is_refused_until_confirmed(practitioner, team):
    first = create_child(practitioner, team)
    with pytest.raises(PossibleDuplicates) as refused:
        create_child(practitioner, team, given_name="Amarah")
    assert [match.person for match in refused.value.matches] == [first]
    assert Person.objects.count() == 1
    create_child(practitioner, team, given_name="Amarah", confirmed_not_duplicate=True)
    assert Person.objects.count() == 2


def test_an_identical_nhs_number_is_refused_even_when_confirmed(practitioner, team):
    create_child(practitioner, team, nhs_number="9434765919")
    with pytest.raises(ValidationError) as refused:
        create_child(
            practitioner,
            team,
            given_name="Zara",
            family_name="Bello",
            nhs_number="9434765919",
            confirmed_not_duplicate=True,
        )
    assert "Another record already has this NHS number" in str(refused.value)


def test_owning_team_must_be_one_of_the_users_teams(practitioner):
    with pytest.raises(ServiceError) as refused:
        create_child(practitioner, TeamFactory())
    assert refused.value.field == "owning_team"


@pytest.mark.parametrize(
    "role", [Role.PERFORMANCE_ANALYST, Role.SYSTEM_ADMINISTRATOR, Role.PARTNER_AGENCY_USER]
)
def test_roles_that_own_no_cases_cannot_create_them(team, role):
    user = UserFactory(roles=[role], teams=[team])
    with pytest.raises(PermissionDenied):
        create_child(user, team)
    with pytest.raises(PermissionDenied):
        services.family_create(by=user, owning_team=team, name="The Smith family")


def test_update_audits_field_names_not_values(practitioner, team):
    child = create_child(practitioner, team)
    people_services.person_update(
        by=practitioner, person=child, known_as="Mara", school_or_setting=""
    )
    event = AuditEvent.objects.get(action="change", object_id=str(child.pk))
    assert event.detail == {"fields": ["known_as"]}
    assert "Mara" not in str(event.detail)
    assert child.search_keys.filter(key="g:mara").exists()


def test_outsider_cannot_change_a_record(practitioner, outsider, team):
    child = create_child(practitioner, team)
    with pytest.raises(PermissionDenied):
        people_services.person_update(by=outsider, person=child, known_as="X")


def test_household_membership_over_time_and_shared_care(practitioner, team, family):
    child = create_child(practitioner, team)
    second_home = FamilyFactory(owning_team=team, name="The Bello family")
    services.family_member_add(by=practitioner, family=family, person=child)
    services.family_member_add(
        by=practitioner, family=second_home, person=child, lives_at_family_address=False
    )
    assert child.memberships.filter(left_on__isnull=True).count() == 2
    with pytest.raises(ValidationError):
        services.family_member_add(by=practitioner, family=family, person=child)

    membership = FamilyMembership.objects.get(family=family, person=child)
    services.family_member_leave(by=practitioner, membership=membership, left_on=TODAY)
    membership.refresh_from_db()
    assert membership.left_on == TODAY
    with pytest.raises(ServiceError):
        services.family_member_leave(by=practitioner, membership=membership, left_on=TODAY)
    # Having left, they can rejoin later: a new period of membership.
    services.family_member_add(by=practitioner, family=family, person=child)
    assert FamilyMembership.objects.filter(family=family, person=child).count() == 2


def test_relationships_are_between_members(practitioner, team, family):
    mother = create_child(
        practitioner,
        team,
        record_type=RecordType.ADULT,
        given_name="Ngozi",
        date_of_birth=years_ago(34),
        confirmed_not_duplicate=True,
    )
    child = create_child(practitioner, team)
    stranger = create_child(practitioner, team, given_name="Tom", family_name="Reid")
    for person in (mother, child):
        services.family_member_add(by=practitioner, family=family, person=person)
    relationship = services.relationship_add(
        by=practitioner,
        family=family,
        from_person=mother,
        to_person=child,
        relationship_type="mother",
        has_parental_responsibility=True,
    )
    assert str(relationship) == "Ngozi Okafor is the mother of Amara Okafor"
    with pytest.raises(ServiceError) as refused:
        services.relationship_add(
            by=practitioner,
            family=family,
            from_person=stranger,
            to_person=child,
            relationship_type="sibling",
        )
    assert refused.value.field == "from_person"
    with pytest.raises(ValidationError):
        services.relationship_add(
            by=practitioner,
            family=family,
            from_person=child,
            to_person=child,
            relationship_type="sibling",
        )


def test_notes_concern_members_and_cannot_be_in_the_future(practitioner, team, family):
    child = create_child(practitioner, team)
    services.family_member_add(by=practitioner, family=family, person=child)
    note = services.note_add(
        by=practitioner,
        family=family,
        subjects=[child],
        note_type="home_visit",
        occurred_at=timezone.now() - datetime.timedelta(hours=2),
        summary="Home visit",
        is_significant=True,
    )
    assert list(note.subjects.all()) == [child]
    assert list(CaseNote.objects.chronology()) == [note]
    with pytest.raises(ServiceError):
        services.note_add(
            by=practitioner,
            family=family,
            note_type="phone",
            occurred_at=timezone.now() + datetime.timedelta(days=1),
            summary="x",
        )
    with pytest.raises(ServiceError):
        services.note_add(
            by=practitioner,
            family=family,
            subjects=[PersonFactory()],
            note_type="phone",
            occurred_at=timezone.now(),
            summary="x",
        )


def test_new_current_address_ends_the_previous_one(practitioner, team):
    child = create_child(practitioner, team)
    first = people_services.person_address_add(
        by=practitioner,
        person=child,
        line_1="1 Mill Lane",
        town="Brackenford",
        postcode="bk12ab",
        moved_in=years_ago(3),
    )
    assert first.postcode == "BK1 2AB"
    people_services.person_address_add(
        by=practitioner,
        person=child,
        line_1="9 Oak Road",
        town="Brackenford",
        postcode="BK3 4DE",
        moved_in=years_ago(1),
    )
    first.refresh_from_db()
    assert first.moved_out == years_ago(1)
    assert child.addresses.filter(moved_out__isnull=True).count() == 1


def test_family_create_and_update(practitioner, team):
    family = services.family_create(
        by=practitioner,
        owning_team=team,
        name="The Nowak family",
        postcode="bk1 2ab",
        line_1="3 Elm Close",
        town="Brackenford",
    )
    assert family.postcode == "BK1 2AB"
    services.family_update(by=practitioner, family=family, name="The Nowak-Kowalski family")
    assert Family.objects.get().name == "The Nowak-Kowalski family"
    actions = list(AuditEvent.objects.for_object(family).values_list("action", flat=True))
    assert sorted(actions) == ["change", "create"]


def test_merged_records_and_hidden_fields_cannot_be_changed(practitioner, colleague, team):
    child = create_child(practitioner, team)
    with pytest.raises(PermissionDenied):
        people_services.person_update(by=colleague, person=child, phone="07700 900000")
    people_services.person_update(by=colleague, person=child, known_as="Mara")
    other = create_child(practitioner, team, given_name="Zed", family_name="Ali")
    child.merged_into = other
    child.save()
    for change in (
        lambda: people_services.person_update(by=practitioner, person=child, known_as="x"),
        lambda: people_services.person_name_add(
            by=practitioner, person=child, name_type="alias", given_name="y"
        ),
        lambda: people_services.person_address_add(
            by=practitioner, person=child, line_1="1 A St", town="B", postcode="BK1 2AB"
        ),
    ):
        with pytest.raises(ServiceError):
            change()
