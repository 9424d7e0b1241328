"""Merging duplicate person records, and undoing a wrong merge."""

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from audit.models import AuditEvent
from cases.models import (
    CaseNote,
    FamilyMembership,
    Person,
    PersonAddress,
    PersonMerge,
    PersonName,
    Relationship,
)
from cases.people import search, services
from earlyhelp.exceptions import ServiceError
from tests.factories import FamilyFactory, PersonFactory


@pytest.fixture
def pair(team, practitioner):
    """The same boy recorded twice, each record with links of its own."""
    survivor = PersonFactory(
        given_name="William", family_name="Hughes", owning_team=team, nhs_number=""
    )
    duplicate = PersonFactory(
        given_name="Bill",
        family_name="Hughes",
        owning_team=team,
        date_of_birth=survivor.date_of_birth,
        nhs_number="9434765919",
    )
    home = FamilyFactory(owning_team=team, name="The Hughes family")
    dads = FamilyFactory(owning_team=team, name="Dad's household")
    mother = PersonFactory(
        record_type="adult",
        given_name="Carys",
        family_name="Hughes",
        owning_team=team,
        families=[home],
    )
    FamilyMembership.objects.create(family=home, person=survivor)
    FamilyMembership.objects.create(family=dads, person=duplicate, lives_at_family_address=False)
    relationship = Relationship.objects.create(
        family=home, from_person=mother, to_person=duplicate, relationship_type="mother"
    )
    note = CaseNote.objects.create(
        family=home,
        note_type="phone",
        occurred_at=timezone.now(),
        summary="School called",
        author=practitioner,
    )
    note.subjects.set([duplicate])
    previous = PersonName.objects.create(
        person=duplicate, name_type="previous", family_name="Price"
    )
    address = PersonAddress.objects.create(
        person=duplicate, line_1="2 Bank St", town="Brackenford", postcode="BK1 2AB"
    )
    services.person_update(by=practitioner, person=duplicate, known_as="Billy")
    return {
        "survivor": survivor,
        "duplicate": duplicate,
        "dads": dads,
        "note": note,
        "relationship": relationship,
        "previous": previous,
        "address": address,
    }


def merge(by, pair):
    return services.person_merge(
        by=by,
        survivor=pair["survivor"],
        duplicate=pair["duplicate"],
        reason="Same child: same date of birth and mother",
    )


def test_merge_moves_every_link_and_leaves_a_tombstone(locality_manager, pair):
    survivor, duplicate = pair["survivor"], pair["duplicate"]
    merge(locality_manager, pair)
    survivor.refresh_from_db()
    duplicate.refresh_from_db()

    assert duplicate.merged_into == survivor
    assert set(survivor.memberships.values_list("family__name", flat=True)) == {
        "The Hughes family",
        "Dad's household",
    }
    assert not duplicate.memberships.exists()
    pair["relationship"].refresh_from_db()
    assert pair["relationship"].to_person == survivor
    assert list(pair["note"].subjects.all()) == [survivor]
    assert set(survivor.other_names.values_list("family_name", "given_name")) == {
        ("Price", ""),
        ("Hughes", "Bill"),
    }
    assert list(survivor.addresses.all()) == [pair["address"]]
    assert survivor.nhs_number == "9434765919"
    # Searching by the duplicate's name finds the survivor, and never the tombstone.
    found = [
        m.person for m in search.find(search.Criteria(given_name="Bill", family_name="Hughes"))
    ]
    assert found[0] == survivor
    assert duplicate not in found


def test_both_audit_trails_are_kept_and_the_merge_is_audited(locality_manager, pair):
    duplicate_history = AuditEvent.objects.for_object(pair["duplicate"]).count()
    assert duplicate_history >= 1
    merge(locality_manager, pair)
    assert AuditEvent.objects.for_object(pair["duplicate"]).count() == duplicate_history + 1
    merged = AuditEvent.objects.filter(action="merge").order_by("id")
    assert [(e.object_id, e.detail["role"]) for e in merged] == [
        (str(pair["survivor"].pk), "survivor"),
        (str(pair["duplicate"].pk), "duplicate"),
    ]
    assert all(e.reason.startswith("Same child") for e in merged)


def test_undo_restores_exactly_what_moved(locality_manager, practitioner, pair):
    survivor, duplicate = pair["survivor"], pair["duplicate"]
    before = {
        "survivor_families": set(survivor.memberships.values_list("pk", flat=True)),
        "duplicate_families": set(duplicate.memberships.values_list("pk", flat=True)),
        "survivor_names": set(survivor.other_names.values_list("pk", flat=True)),
    }
    done = merge(locality_manager, pair)
    # Work recorded after the merge stays with the survivor.
    later = services.person_name_add(
        by=practitioner, person=survivor, name_type="alias", given_name="Will"
    )
    services.person_merge_undo(by=locality_manager, merge=done, reason="Twins, not one child")

    survivor.refresh_from_db()
    duplicate.refresh_from_db()
    assert duplicate.merged_into is None
    assert set(survivor.memberships.values_list("pk", flat=True)) == before["survivor_families"]
    assert set(duplicate.memberships.values_list("pk", flat=True)) == before["duplicate_families"]
    assert set(survivor.other_names.values_list("pk", flat=True)) == (
        before["survivor_names"] | {later.pk}
    )
    pair["relationship"].refresh_from_db()
    assert pair["relationship"].to_person == duplicate
    assert list(pair["note"].subjects.all()) == [duplicate]
    assert (survivor.nhs_number, duplicate.nhs_number) == ("", "9434765919")
    assert PersonMerge.objects.get().is_undone
    assert AuditEvent.objects.filter(action="unmerge").count() == 2
    found = {
        m.person for m in search.find(search.Criteria(given_name="Bill", family_name="Hughes"))
    }
    assert duplicate in found
    with pytest.raises(ServiceError):
        services.person_merge_undo(by=locality_manager, merge=done, reason="again")


def test_only_locality_managers_merge(practitioner, pair):
    with pytest.raises(PermissionDenied):
        merge(practitioner, pair)
    assert Person.objects.filter(merged_into__isnull=False).count() == 0


def test_records_with_different_nhs_numbers_are_not_merged(locality_manager, pair):
    pair["survivor"].nhs_number = "4010232137"
    pair["survivor"].save()
    with pytest.raises(ServiceError, match="different NHS numbers"):
        merge(locality_manager, pair)


def test_a_tombstone_cannot_be_merged_again(locality_manager, pair, team):
    merge(locality_manager, pair)
    third = PersonFactory(owning_team=team)
    with pytest.raises(ServiceError):
        services.person_merge(
            by=locality_manager, survivor=third, duplicate=pair["duplicate"], reason="x"
        )


def test_a_link_the_survivor_already_has_stays_with_the_tombstone(locality_manager, pair):
    """Both records in one household: the survivor keeps its own membership, the
    duplicate's stays on the tombstone rather than doubling up, and undo still works."""
    home = pair["survivor"].memberships.get().family
    extra = FamilyMembership.objects.create(family=home, person=pair["duplicate"])
    done = merge(locality_manager, pair)
    extra.refresh_from_db()
    assert extra.person == pair["duplicate"]
    assert extra.pk not in done.moved_links["cases.familymembership:person"]
    services.person_merge_undo(by=locality_manager, merge=done, reason="wrong")
    assert pair["duplicate"].memberships.count() == 2
