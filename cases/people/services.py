"""Every change to a person's record, merging duplicates, and searching for people.

Each function checks the access policy, validates (model rules in `full_clean`), saves in
one transaction, keeps the search keys in step and writes the audit event. Audit events
name the fields that changed, never their values: the log must not become a second copy
of the record.
"""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import Team, User
from audit.models import AuditAction
from audit.services import record
from cases.models import (
    CaseNote,
    FamilyMembership,
    NameType,
    Person,
    PersonAddress,
    PersonMerge,
    PersonName,
    RecordType,
    Relationship,
)
from cases.people import search
from earlyhelp import access
from earlyhelp.exceptions import ServiceError
from earlyhelp.services import (
    case_record_changes,
    locked,
    require,
    require_own_team,
    save_changes,
    save_checked,
    validate,
)

Permission = access.Permission

NAME_FIELDS = ("given_name", "middle_names", "family_name", "known_as")


def _require_change(by, person):
    """Only someone who may change the record, and only a record still in use (not the
    tombstone of a merge)."""
    require(
        by,
        Permission.CHANGE_CASE_RECORD,
        person,
        "You do not have permission to change this record",
    )
    if person.is_merged:
        raise ServiceError("This record was merged into another: change that one instead")


# People


def person_create(
    *, by: User, owning_team: Team, confirmed_not_duplicate: bool = False, **fields
) -> Person:
    """Create a person, unless likely matches exist and the user has not confirmed that
    this is someone else (DESIGN section 6: duplicates hide history).

    Telling the user who matches is a search, so the refusal is audited as one; that is
    why the check runs before the transaction that saves the record."""
    require(by, Permission.CREATE_CASE_RECORDS)
    require_own_team(by, owning_team)
    person = Person(owning_team=owning_team, **fields)
    validate(person)
    if not confirmed_not_duplicate:
        matches = search.likely_duplicates_of(person)
        if matches:
            _audit_search(
                by,
                search.Criteria(
                    given_name=person.given_name,
                    family_name=person.family_name,
                    date_of_birth=person.date_of_birth,
                    nhs_number=person.nhs_number,
                    upn=person.upn,
                ),
                results_for(by, matches),
                purpose="duplicate check on create",
            )
            raise search.PossibleDuplicates(matches)
    return _person_save_new(by=by, person=person, confirmed=confirmed_not_duplicate)


@transaction.atomic
def _person_save_new(*, by: User, person: Person, confirmed: bool) -> Person:
    save_checked(person, by=by, validated=True)
    search.index_person(person)
    record(
        actor=by,
        action=AuditAction.CREATE,
        obj=person,
        detail={"confirmed_not_duplicate": confirmed},
    )
    return person


@transaction.atomic
def person_update(*, by: User, person: Person, **fields) -> Person:
    _require_change(by, person)
    changed = case_record_changes(by, person, fields)
    hidden = set(changed) & set(Person.SENSITIVE_FIELDS)
    if hidden and not access.can(by, Permission.VIEW_SENSITIVE, person):
        raise PermissionDenied("You cannot change details you are not allowed to see")
    save_changes(person, fields, by=by)
    if set(changed) & set(NAME_FIELDS):
        search.index_person(person)
    record(actor=by, action=AuditAction.CHANGE, obj=person, detail={"fields": changed})
    return person


@transaction.atomic
def person_record_birth(
    *, by: User, person: Person, date_of_birth, given_name: str = "", sex: str = ""
) -> Person:
    """An unborn child is born: the same record becomes a child's."""
    _require_change(by, person)
    if person.record_type != RecordType.UNBORN:
        raise ServiceError("Only an unborn child's record can record a birth")
    person.record_type = RecordType.CHILD
    person.date_of_birth = date_of_birth
    person.expected_date_of_delivery = None
    if given_name:
        person.given_name = given_name
    if sex:
        person.sex = sex
    save_checked(person, by=by)
    search.index_person(person)
    record(actor=by, action=AuditAction.CHANGE, obj=person, detail={"event": "birth"})
    return person


@transaction.atomic
def person_name_add(*, by: User, person: Person, **fields) -> PersonName:
    _require_change(by, person)
    name = save_checked(PersonName(person=person, **fields), by=by)
    search.index_person(person)
    record(actor=by, action=AuditAction.CHANGE, obj=person, detail={"added": "other_name"})
    return name


@transaction.atomic
def person_address_add(*, by: User, person: Person, **fields) -> PersonAddress:
    """Add an address. A new current address ends the previous current one."""
    _require_change(by, person)
    address = PersonAddress(person=person, **fields)
    validate(address)
    if address.moved_out is None:
        for previous in person.addresses.filter(moved_out__isnull=True):
            previous.moved_out = address.moved_in or timezone.localdate()
            if previous.moved_in and previous.moved_out < previous.moved_in:
                raise ServiceError(
                    "The new address's move-in date is before the current address's",
                    field="moved_in",
                )
            previous.save(update_fields=["moved_out"])
    address.save()
    record(actor=by, action=AuditAction.CHANGE, obj=person, detail={"added": "address"})
    return address


# Merging duplicates

# Every row that points at a person, as (model, field). Later apps register theirs with
# register_merge_link, so a merge moves requests and episodes too.
MERGE_LINKS = [
    (FamilyMembership, "person"),
    (Relationship, "from_person"),
    (Relationship, "to_person"),
    (CaseNote.subjects.through, "person"),
    (PersonName, "person"),
    (PersonAddress, "person"),
]
MERGED_IDENTIFIERS = ("nhs_number", "upn")

# The merge services' words for a missing reason; the form and serializer that check the
# field themselves use them too.
MERGE_REASON_MESSAGE = "Enter why these records are the same person"
UNDO_MERGE_REASON_MESSAGE = "Enter why the merge was wrong"


def register_merge_link(model, field):
    MERGE_LINKS.append((model, field))


def _link_key(model, field):
    return f"{model._meta.label_lower}:{field}"


@transaction.atomic
def person_merge(*, by: User, survivor: Person, duplicate: Person, reason: str) -> PersonMerge:
    """Move every link from the duplicate to the survivor and leave the duplicate as a
    tombstone pointing at it. What moved is recorded, so person_merge_undo can reverse it
    exactly. A link the survivor already has (the same household, say) stays with the
    tombstone rather than being doubled."""
    if survivor.pk == duplicate.pk:
        raise ServiceError("Choose two different records", field="duplicate")
    for person in (survivor, duplicate):
        require(
            by,
            Permission.MERGE_PEOPLE,
            person,
            "Only a locality manager who can see both records can merge them",
        )
    if not reason.strip():
        raise ServiceError(MERGE_REASON_MESSAGE, field="reason")
    survivor, duplicate = locked(survivor), locked(duplicate)
    if survivor.is_merged or duplicate.is_merged:
        raise ServiceError("One of these records has already been merged", field="duplicate")
    for field in MERGED_IDENTIFIERS:
        ours, theirs = getattr(survivor, field), getattr(duplicate, field)
        if ours and theirs and ours != theirs:
            label = Person._meta.get_field(field).verbose_name
            raise ServiceError(
                f"The records have different {label}s, so they are not the same person",
                field="duplicate",
            )

    moved = {}
    for model, field in MERGE_LINKS:
        ids = []
        for row in model.objects.filter(**{field: duplicate}):
            setattr(row, field, survivor)
            try:
                with transaction.atomic():
                    row.save(update_fields=[field])
            except IntegrityError:
                continue
            ids.append(row.pk)
        moved[_link_key(model, field)] = ids

    duplicate.merged_into = survivor
    duplicate.save(update_fields=["merged_into", "modified_at"])
    copied = {}
    for field in MERGED_IDENTIFIERS:
        if not getattr(survivor, field) and getattr(duplicate, field):
            copied[field] = {"before": "", "after": getattr(duplicate, field)}
            setattr(survivor, field, getattr(duplicate, field))
    alias = None
    if (duplicate.given_name, duplicate.family_name) != (survivor.given_name, survivor.family_name):
        alias = PersonName.objects.create(
            person=survivor,
            name_type=NameType.ALIAS,
            given_name=duplicate.given_name,
            family_name=duplicate.family_name,
        )
    survivor.modified_by = by
    survivor.save()
    merge = PersonMerge.objects.create(
        survivor=survivor,
        duplicate=duplicate,
        reason=reason,
        merged_by=by,
        moved_links=moved,
        copied_identifiers={**copied, "alias": alias.pk if alias else None},
    )
    search.index_person(survivor)
    search.remove_person(duplicate)
    for person, role in ((survivor, "survivor"), (duplicate, "duplicate")):
        record(
            actor=by,
            action=AuditAction.MERGE,
            obj=person,
            reason=reason,
            detail={"merge": str(merge.uuid), "role": role},
        )
    return merge


@transaction.atomic
def person_merge_undo(*, by: User, merge: PersonMerge, reason: str) -> PersonMerge:
    merge = locked(merge)
    survivor, duplicate = merge.survivor, merge.duplicate
    require(
        by,
        Permission.MERGE_PEOPLE,
        survivor,
        "Only a locality manager who can see the record can undo a merge",
    )
    if merge.is_undone:
        raise ServiceError("This merge has already been undone")
    if not reason.strip():
        raise ServiceError(UNDO_MERGE_REASON_MESSAGE, field="reason")

    links = {_link_key(model, field): (model, field) for model, field in MERGE_LINKS}
    for key, ids in merge.moved_links.items():
        model, field = links[key]
        model.objects.filter(pk__in=ids, **{field: survivor}).update(**{field: duplicate})
    alias_id = merge.copied_identifiers.get("alias")
    if alias_id:
        PersonName.objects.filter(pk=alias_id).delete()
    for field in MERGED_IDENTIFIERS:
        if field in merge.copied_identifiers:
            setattr(survivor, field, merge.copied_identifiers[field]["before"])
    survivor.modified_by = by
    survivor.save()
    duplicate.merged_into = None
    duplicate.modified_by = by
    duplicate.save()

    merge.undone_by = by
    merge.undone_at = timezone.now()
    merge.undo_reason = reason
    merge.save(update_fields=["undone_by", "undone_at", "undo_reason"])
    search.index_person(survivor)
    search.index_person(duplicate)
    for person in (survivor, duplicate):
        record(
            actor=by,
            action=AuditAction.UNMERGE,
            obj=person,
            reason=reason,
            detail={"merge": str(merge.uuid)},
        )
    return merge


# Search


@dataclass
class SearchResult:
    """One match as this user may see it: the record, or only that it is known and to whom
    to talk (DESIGN section 6)."""

    match: search.Match
    visible: bool

    @property
    def person(self):
        return self.match.person if self.visible else None

    @property
    def contact_team(self):
        return self.match.person.owning_team


# The search's words for criteria with nothing in them; the search form says it too.
SEARCH_EMPTY_MESSAGE = "Enter at least one thing to search by"


def search_people(*, by: User, criteria: search.Criteria) -> list[SearchResult]:
    """Search, audited with the terms, answering within the access policy."""
    if not access.has_role(by, *access.PRACTICE_ROLES):
        raise PermissionDenied("Only practitioners and managers can search for people")
    if criteria.is_empty():
        raise ServiceError(SEARCH_EMPTY_MESSAGE)
    results = results_for(by, search.find(criteria))
    _audit_search(by, criteria, results)
    return results


def _audit_search(by, criteria, results, purpose=""):
    detail = {
        "terms": criteria.as_audit_terms(),
        "matched": [str(result.match.person.pk) for result in results],
        "visible": [str(result.match.person.pk) for result in results if result.visible],
    }
    if purpose:
        detail["purpose"] = purpose
    record(actor=by, action=AuditAction.SEARCH, model=Person, detail=detail)


def results_for(user: User, matches: list[search.Match]) -> list[SearchResult]:
    """Matches as this user may see them: the record, or only whom to contact."""
    ids = [match.person.pk for match in matches]
    visible = set(
        access.visible(user, Person.objects.filter(pk__in=ids)).values_list("pk", flat=True)
    )
    return [SearchResult(match=match, visible=match.person.pk in visible) for match in matches]
