"""Every change to families, their members and relationships, and their case notes.

Episodes (`episodes`), allocation meetings (`meetings`) and step up / step down
(`transitions`) have their own packages; people's records have `cases.people`.

Each function checks the access policy, validates (model rules in `full_clean`), saves in
one transaction and writes the audit event. Audit events name the fields that changed,
never their values: the log must not become a second copy of the record.
"""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from accounts.models import Team, User
from audit.models import AuditAction
from audit.services import record
from cases.models import CaseNote, Family, FamilyMembership, Person, Relationship
from earlyhelp import access
from earlyhelp.exceptions import ServiceError
from earlyhelp.services import (
    case_record_changes,
    require,
    require_own_team,
    save_changes,
    save_checked,
)

Permission = access.Permission


def _require_change(by, family):
    require(
        by,
        Permission.CHANGE_CASE_RECORD,
        family,
        "You do not have permission to change this record",
    )


# Families


@transaction.atomic
def family_create(*, by: User, owning_team: Team, **fields) -> Family:
    require(by, Permission.CREATE_CASE_RECORDS)
    require_own_team(by, owning_team)
    family = save_checked(Family(owning_team=owning_team, **fields), by=by)
    record(actor=by, action=AuditAction.CREATE, obj=family)
    return family


@transaction.atomic
def family_update(*, by: User, family: Family, **fields) -> Family:
    _require_change(by, family)
    changed = case_record_changes(by, family, fields)
    save_changes(family, fields, by=by)
    record(actor=by, action=AuditAction.CHANGE, obj=family, detail={"fields": changed})
    return family


@transaction.atomic
def family_member_add(
    *, by: User, family: Family, person: Person, joined_on=None, lives_at_family_address=True
) -> FamilyMembership:
    _require_change(by, family)
    if not access.sees(by, person):
        raise PermissionDenied("You do not have access to this person's record")
    if person.is_merged:
        raise ServiceError(
            "This record was merged into another: add that one instead", field="person"
        )
    membership = save_checked(
        FamilyMembership(
            family=family,
            person=person,
            joined_on=joined_on,
            lives_at_family_address=lives_at_family_address,
        ),
        by=by,
    )
    record(
        actor=by,
        action=AuditAction.CHANGE,
        obj=family,
        detail={
            "added": "member",
            "person": str(person.uuid),
        },
    )
    return membership


@transaction.atomic
def family_member_leave(*, by: User, membership: FamilyMembership, left_on) -> FamilyMembership:
    _require_change(by, membership.family)
    if membership.left_on is not None:
        raise ServiceError("This person has already left the household", field="left_on")
    membership.left_on = left_on
    save_checked(membership, by=by)
    record(
        actor=by,
        action=AuditAction.CHANGE,
        obj=membership.family,
        detail={
            "ended": "member",
            "person": str(membership.person.uuid),
        },
    )
    return membership


@transaction.atomic
def relationship_add(
    *, by: User, family: Family, from_person: Person, to_person: Person, **fields
) -> Relationship:
    _require_change(by, family)
    members = set(family.memberships.values_list("person_id", flat=True))
    for field, person in (("from_person", from_person), ("to_person", to_person)):
        if person.pk not in members:
            raise ServiceError("Choose a member of this family", field=field)
    relationship = save_checked(
        Relationship(family=family, from_person=from_person, to_person=to_person, **fields),
        by=by,
    )
    record(actor=by, action=AuditAction.CHANGE, obj=family, detail={"added": "relationship"})
    return relationship


@transaction.atomic
def relationship_remove(*, by: User, relationship: Relationship) -> None:
    family = relationship.family
    _require_change(by, family)
    relationship.delete()
    record(actor=by, action=AuditAction.CHANGE, obj=family, detail={"removed": "relationship"})


# Notes


@transaction.atomic
def note_add(*, by: User, family: Family, subjects=(), **fields) -> CaseNote:
    """Partners in the TAF add notes too; a view grant does not (DESIGN section 7)."""
    require(
        by,
        Permission.ADD_CASE_NOTE,
        family,
        "You do not have permission to add notes to this family's record",
    )
    members = set(family.memberships.values_list("person_id", flat=True))
    if any(person.pk not in members for person in subjects):
        raise ServiceError("Choose people who are members of this family", field="subjects")
    if fields.get("occurred_at") and fields["occurred_at"] > timezone.now():
        raise ServiceError(
            "The note must be about something that has happened", field="occurred_at"
        )
    note = save_checked(CaseNote(family=family, author=by, **fields), by=by)
    note.subjects.set(subjects)
    record(actor=by, action=AuditAction.CREATE, obj=note, detail={"family": str(family.uuid)})
    return note
