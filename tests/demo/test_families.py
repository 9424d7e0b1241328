"""The demo families (demo.families, run by seed_demo): about 200 households of case records,
deterministic, idempotent, with valid identifiers and findable near-duplicates.

Read from the one seeded demo that tests/demo shares (tests/demo/conftest.py)."""

import datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from accounts.models import Team
from audit.models import AuditAction, AuditEvent
from cases.models import (
    SEND,
    CaseNote,
    Family,
    FamilyMembership,
    NameType,
    Person,
    PersonAddress,
    PersonName,
    RecordType,
    Relationship,
    RelationshipType,
)
from cases.people.identifiers import validate_nhs_number, validate_postcode, validate_upn
from cases.people.search import Criteria, find
from demo import families as demo

PLAN = demo.build_plan()
PLANNED_FAMILIES = [family for household in PLAN for family in household.families]
PLANNED_PEOPLE = demo.plan_people(PLAN)
PLANNED_NOTES = sum(len(family.notes) for family in PLANNED_FAMILIES)


def _counts():
    return {
        model.__name__: model.objects.count()
        for model in (
            Family,
            Person,
            FamilyMembership,
            Relationship,
            CaseNote,
            PersonName,
            PersonAddress,
            AuditEvent,
        )
    }


# The plan: no database, no clock


def test_the_plan_is_the_same_every_time():
    assert demo.build_plan() == PLAN
    assert len(PLANNED_FAMILIES) == demo.DEMO_FAMILY_COUNT == 200
    keys = [family.key for family in PLANNED_FAMILIES]
    assert len(set(keys)) == len(keys), "each family's key (name, postcode, team) is unique"


def test_parents_and_grandparents_are_of_a_plausible_age():
    for family in PLANNED_FAMILIES:
        for relationship in family.relationships:
            older, younger = relationship.from_person, relationship.to_person
            if younger.age is None:  # unborn, or a near-duplicate dated from the other record
                continue
            gap = older.age - younger.age
            if relationship.relationship_type in (RelationshipType.MOTHER, RelationshipType.FATHER):
                assert 16 <= gap <= 50, (family.name, older.given_name, younger.given_name)
            if relationship.relationship_type == RelationshipType.GRANDPARENT:
                assert gap >= 32, (family.name, older.given_name, younger.given_name)


def test_every_note_template_can_be_filled_from_what_it_needs():
    templates = [*demo.REQUESTS_FOR_SUPPORT, *demo.FAMILY_NOTES, *demo.RESTRICTED_NOTES]
    for template in templates:
        allowed = set(demo.ALWAYS_AVAILABLE) | set(template.needs)
        assert demo._placeholders(template) <= allowed, template.summary
        assert len(template.summary) <= 200


def test_near_duplicates_show_both_the_known_to_answer_and_a_mergeable_pair():
    """Most pairs sit in different teams (the search answers "known to …"); some sit in
    one team, so that team's locality manager can merge them in the demo."""
    assert 6 <= len(demo.NEAR_DUPLICATES) <= 10
    same_team = [spec for spec in demo.NEAR_DUPLICATES if spec.team == spec.duplicate_team]
    assert 1 <= len(same_team) < len(demo.NEAR_DUPLICATES) / 2
    for spec in demo.NEAR_DUPLICATES:
        validate_postcode(spec.postcode)
        validate_postcode(spec.duplicate_postcode)


# What seed_demo makes


def test_seed_demo_creates_the_demo_families(seeded, db):
    assert "200 new families" in seeded
    assert Family.objects.count() == demo.DEMO_FAMILY_COUNT
    assert Person.objects.count() == len(PLANNED_PEOPLE)
    assert CaseNote.objects.count() == PLANNED_NOTES
    by_team = {team.name: team.families.count() for team in Team.objects.all()}
    for team_name in demo.TEAM_USERS:
        assert by_team[team_name] >= 10, team_name
    assert by_team[demo.HUB_TEAM] < by_team["Early Help North"]
    # Made through the services, as the demo practitioners: audited.
    assert AuditEvent.objects.filter(
        object_type="cases.person", action=AuditAction.CREATE
    ).count() == (len(PLANNED_PEOPLE))
    practitioners = {emails[0] for emails in demo.TEAM_USERS.values()}
    assert set(Person.objects.values_list("created_by__email", flat=True)) <= practitioners


def test_the_households_have_the_shapes_practice_meets(seeded, db):
    today = timezone.localdate()
    unborn = Person.objects.filter(record_type=RecordType.UNBORN)
    assert unborn.exists()
    for person in unborn:
        assert person.date_of_birth is None
        assert 28 <= (person.expected_date_of_delivery - today).days <= 185

    # Step-families, with half-siblings who carry another family name.
    assert Relationship.objects.filter(relationship_type=RelationshipType.STEP_PARENT).exists()
    half = Relationship.objects.filter(relationship_type=RelationshipType.HALF_SIBLING)
    assert any(r.from_person.family_name != r.to_person.family_name for r in half)
    assert Relationship.objects.filter(
        relationship_type=RelationshipType.PARTNER_OF_PARENT
    ).exists()

    # Kinship care: grandparents, with parental responsibility only as carers under an order.
    grandparents = Relationship.objects.filter(relationship_type=RelationshipType.GRANDPARENT)
    assert grandparents.exists()
    assert not grandparents.filter(has_parental_responsibility=True).exists()
    assert Relationship.objects.filter(
        relationship_type=RelationshipType.CARER, has_parental_responsibility=True
    ).exists()

    # Shared care: a child in two households at once, living at one of them.
    current = FamilyMembership.objects.filter(left_on__isnull=True)
    shared = [
        person
        for person in Person.objects.filter(record_type=RecordType.CHILD)
        if current.filter(person=person).count() == 2
    ]
    assert shared
    for person in shared:
        homes = current.filter(person=person)
        assert sorted(homes.values_list("lives_at_family_address", flat=True)) == [False, True]
        assert len({home.family.owning_team_id for home in homes}) == 1

    # People who left, and the dates make sense.
    left = FamilyMembership.objects.filter(left_on__isnull=False)
    assert left.exists()
    assert all(m.joined_on is None or m.left_on >= m.joined_on for m in left)

    # Previous family names, for mothers and for children.
    previous = PersonName.objects.filter(name_type=NameType.PREVIOUS)
    assert previous.filter(person__record_type=RecordType.ADULT, person__sex="female").exists()
    assert previous.filter(person__record_type=RecordType.CHILD).exists()

    children = Person.objects.filter(record_type=RecordType.CHILD)
    assert children.filter(young_carer=True).exists()
    assert children.filter(send=SEND.SEN_SUPPORT).exists()
    assert children.filter(send=SEND.EHC_PLAN).exists()
    assert PersonAddress.objects.filter(moved_out__isnull=False).exists()

    # Diverse names, ethnicities and languages, consistently recorded.
    assert Person.objects.values("ethnicity").distinct().count() >= 12
    assert (
        Person.objects.exclude(first_language="").values("first_language").distinct().count() >= 10
    )
    polish = Person.objects.filter(first_language="Polish")
    assert polish.exists() and not polish.exclude(ethnicity__in=["WOTH", "MOTH"]).exists()
    assert Person.objects.filter(family_name__endswith="ska", sex="female").exists()


def test_each_family_has_a_few_notes_with_a_chronology(seeded, db):
    now = timezone.now()
    for family in Family.objects.all():
        notes = list(family.notes.all())
        assert 2 <= len(notes) <= 6, family
        assert all(note.occurred_at < now for note in notes)
        assert family.notes.chronology().exists(), family
        assert family.memberships.exists()
    assert CaseNote.objects.filter(is_restricted=True).exists()
    assert CaseNote.objects.filter(occurred_at__lt=now - datetime.timedelta(days=90)).exists()


def test_every_identifier_and_date_is_valid(seeded, db):
    today = timezone.localdate()
    people = list(Person.objects.all())
    for person in people:
        if person.nhs_number:
            validate_nhs_number(person.nhs_number)
        if person.upn:
            validate_upn(person.upn)
        if person.date_of_birth:
            assert person.date_of_birth <= today
        if person.record_type == RecordType.CHILD:
            assert person.age < 18, person
        person.clean()  # the model's rules on dates, ages and names
    for family in Family.objects.all():
        validate_postcode(family.postcode)
    children = [person for person in people if person.record_type == RecordType.CHILD]
    assert sum(bool(child.nhs_number) for child in children) > 0.8 * len(children)
    at_school = [child for child in children if child.age >= 6]
    assert sum(bool(child.upn) for child in at_school) > 0.7 * len(at_school)
    assert any(person.nhs_number for person in people if person.record_type == RecordType.ADULT)


def test_running_it_again_creates_nothing(seeded, db, settings):
    settings.DEBUG = True
    before = _counts()
    output = StringIO()
    call_command("seed_demo", stdout=output)
    assert "0 new records, 0 new families" in output.getvalue()
    assert _counts() == before


def test_seed_families_skips_households_that_exist_or_were_renamed(seeded, db):
    assert demo.seed_families() == 0
    renamed = next(
        family
        for household in PLAN
        for family in household.families
        if len(household.families) == 1
        and any(member.person.nhs_number for member in family.members)
    )
    Family.objects.filter(name=renamed.name, postcode=renamed.postcode).update(
        name="Renamed by a practitioner"
    )
    assert demo.seed_families() == 0


@pytest.mark.parametrize("spec", demo.NEAR_DUPLICATES, ids=lambda spec: spec.why.split(":")[0])
def test_each_near_duplicate_finds_the_recorded_child(seeded, db, spec):
    recorded = Person.objects.get(
        given_name=spec.given_name,
        family_name=spec.family_name,
        memberships__family__name=spec.family,
        memberships__family__postcode=spec.postcode,
        memberships__family__owning_team__name=spec.team,
    )
    duplicate = Person.objects.get(
        given_name=spec.duplicate_given_name,
        family_name=spec.duplicate_family_name,
        memberships__family__name=spec.duplicate_family,
        memberships__family__postcode=spec.duplicate_postcode,
        memberships__family__owning_team__name=spec.duplicate_team,
    )
    assert recorded.owning_team.name == spec.team
    assert duplicate.owning_team.name == spec.duplicate_team
    if spec.transposed_date_of_birth:
        born = recorded.date_of_birth
        assert duplicate.date_of_birth == born.replace(month=born.day, day=born.month)
    else:
        assert duplicate.date_of_birth == recorded.date_of_birth

    matches = find(
        Criteria(
            given_name=duplicate.given_name,
            family_name=duplicate.family_name,
            date_of_birth=duplicate.date_of_birth,
            nhs_number=duplicate.nhs_number,
            upn=duplicate.upn,
            postcode=spec.duplicate_postcode,
        )
    )
    found = {match.person.pk: match for match in matches}
    assert recorded.pk in found, [(m.person, m.score, m.reasons) for m in matches]
