"""Screening a request for support (DESIGN section 5, step 2: "Screen").

One function per state change, each in a transaction, checking permission and state and
writing the audit event: claim and assign; match people to records (or create them) and
link the family; record consent, checks with other agencies, screening notes and threshold
indicators. The first of these moves a submitted request into screening
(`REQUEST_MOVES`). Deciding is `referrals.screening.decisions`.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.models import Role, Team, User
from cases.families import services as case_services
from cases.models import Family, FamilyMembership, Person, RecordType
from cases.people import search
from cases.people import services as people_services
from earlyhelp import access
from earlyhelp.exceptions import ServiceError
from earlyhelp.services import audit_step, locked, validate
from referrals.models import (
    CHILD_ROLES,
    REQUEST_MOVES,
    PersonRole,
    RequestForSupport,
    RequestPerson,
    ScreeningCandidate,
    ScreeningCheck,
    Status,
)
from referrals.requests.services import save_request
from referrals.screening.selectors import triage_officers
from thresholds.models import Framework, Indicator, Level

# Refusals that the forms and serializers show too, in the same words.
CHOOSE_A_TRIAGE_OFFICER = "Choose a triage officer"
CHOOSE_A_MATCHED_HOUSEHOLD = "Choose the household of someone matched on this request"
ENTER_THEIR_ANSWER = "Enter their answer"


def require_screening(by, request_for_support):
    """Refuse anyone but a triage officer (403), and a request no longer open (a refusal
    that names its status)."""
    if not access.has_role(by, Role.TRIAGE_OFFICER):
        raise PermissionDenied("Only triage officers screen requests for support")
    if not access.can(by, access.Permission.SCREEN_REQUEST, request_for_support):
        raise ServiceError(
            f"This request has been {request_for_support.get_status_display().lower()}: "
            "it can no longer be screened"
        )


def start_screening(request_for_support, by):
    """The first step of screening moves a submitted request into screening, and gives it
    to the officer taking it if no one has it yet."""
    if request_for_support.status == Status.SUBMITTED:
        REQUEST_MOVES.move(request_for_support, Status.IN_SCREENING, by=by)
    if request_for_support.assigned_to_id is None:
        request_for_support.assigned_to = by
        request_for_support.assigned_at = timezone.now()


@transaction.atomic
def request_claim(*, by: User, request: RequestForSupport) -> RequestForSupport:
    """Take a request to screen. Someone else's request is reassigned, not claimed."""
    request = locked(request)
    require_screening(by, request)
    if request.assigned_to_id == by.pk:
        return request
    if request.assigned_to_id is not None:
        raise ServiceError(
            f"{request.assigned_to.get_full_name()} is already screening this request: "
            "reassign it if you are taking it over"
        )
    start_screening(request, by)
    save_request(request, by, "status", "assigned_to", "assigned_at")
    audit_step(by, request, "claim", assigned_to=by.pk)
    return request


@transaction.atomic
def request_assign(*, by: User, request: RequestForSupport, to: User) -> RequestForSupport:
    """Give a request to a triage officer (oneself included), taking it from whoever had it."""
    request = locked(request)
    require_screening(by, request)
    if not triage_officers().filter(pk=to.pk).exists():
        raise ServiceError(CHOOSE_A_TRIAGE_OFFICER, field="assigned_to")
    previous = request.assigned_to_id
    request.assigned_to = to
    request.assigned_at = timezone.now()
    start_screening(request, by)
    save_request(request, by, "status", "assigned_to", "assigned_at")
    audit_step(by, request, "assign", assigned_to=to.pk, previously_assigned_to=previous)
    return request


def _current_family_of(person):
    families = list(
        FamilyMembership.objects.filter(person=person, left_on__isnull=True)
        .values_list("family", flat=True)
        .distinct()
    )
    return families[0] if len(families) == 1 else None


def _link_family(request, family_id):
    request.family_id = family_id
    request.locality_id = (
        Team.objects.filter(families__pk=family_id).values_list("locality", flat=True).first()
    )


@transaction.atomic
def screening_match_person(
    *, by: User, request_person: RequestPerson, person: Person | None
) -> RequestPerson:
    """Match someone on the request to a person record (None undoes a match). The first
    child matched who lives in exactly one household links the request to that family.

    Triage officers may match a record that the search for this person found (see
    `screening_candidates`), or one they may already see: once matched, the record is open
    to them while the request is screened (DESIGN section 7). Any other record is refused,
    or a match would open any family in the county."""
    request = locked(request_person.request)
    require_screening(by, request)
    if person is not None and person.is_merged:
        raise ServiceError(
            "This record was merged into another: match that one instead", field="person"
        )
    if person is not None and not _may_match(by, request_person, person):
        raise ServiceError(NOT_OFFERED, field="person")
    request_person.matched_person = person
    request_person.save(update_fields=["matched_person"])
    if person is not None and request.family_id is None and request_person.role in CHILD_ROLES:
        family_id = _current_family_of(person)
        if family_id is not None:
            _link_family(request, family_id)
    start_screening(request, by)
    save_request(request, by, "status", "assigned_to", "assigned_at", "family", "locality")
    audit_step(
        by,
        request,
        "match person",
        request_person=request_person.pk,
        person=str(person.uuid) if person else None,
    )
    return request_person


def screening_candidates(*, by: User, request_person: RequestPerson):
    """Records that may be this person, found from what the requester typed: the front
    door's first question. Audited as a search; a record the officer cannot open yet shows
    only whom to contact, and may still be matched."""
    require_screening(by, request_person.request)
    criteria = search.Criteria(
        given_name=request_person.given_name,
        family_name=request_person.family_name,
        date_of_birth=None
        if request_person.role == PersonRole.UNBORN
        else request_person.date_of_birth,
        postcode=request_person.postcode,
    )
    if criteria.is_empty():
        return []
    results = people_services.search_people(by=by, criteria=criteria)
    _offer(by, request_person, [result.match.person for result in results])
    return results


def _offer(by, request_person, people):
    """Remember the records shown as maybe this person: only these may be matched."""
    ScreeningCandidate.objects.bulk_create(
        [
            ScreeningCandidate(request_person=request_person, person=person, offered_to=by)
            for person in people
        ],
        ignore_conflicts=True,
    )


NOT_OFFERED = "Choose a record that a search for this person found"


def _may_match(by, request_person, person) -> bool:
    """Offered by a search for this person on this request, or already open to the officer."""
    return (
        person.pk == request_person.matched_person_id
        or ScreeningCandidate.objects.filter(request_person=request_person, person=person).exists()
        or access.sees(by, person)
    )


RECORD_TYPES = {
    PersonRole.CHILD: RecordType.CHILD,
    PersonRole.UNBORN: RecordType.UNBORN,
    PersonRole.PARENT_OR_CARER: RecordType.ADULT,
    PersonRole.OTHER_ADULT: RecordType.ADULT,
}


def screening_create_person(
    *,
    by: User,
    request_person: RequestPerson,
    owning_team: Team,
    confirmed_not_duplicate: bool = False,
) -> Person:
    """Create a person record from what the requester typed, and match it. Like any new
    record, likely matches must be looked at first (cases.people.search.PossibleDuplicates)."""
    require_screening(by, request_person.request)
    if request_person.matched_person_id:
        raise ServiceError("This person is already matched to a record")
    record_type = RECORD_TYPES[PersonRole(request_person.role)]
    dates = (
        {"expected_date_of_delivery": request_person.date_of_birth}
        if record_type == RecordType.UNBORN
        else {"date_of_birth": request_person.date_of_birth}
    )
    try:
        with transaction.atomic():
            person = people_services.person_create(
                by=by,
                owning_team=owning_team,
                confirmed_not_duplicate=confirmed_not_duplicate,
                record_type=record_type,
                given_name=request_person.given_name,
                family_name=request_person.family_name,
                school_or_setting=request_person.school_or_setting,
                **dates,
            )
            if request_person.address_line_1 and request_person.town and request_person.postcode:
                people_services.person_address_add(
                    by=by,
                    person=person,
                    line_1=request_person.address_line_1,
                    town=request_person.town,
                    postcode=request_person.postcode,
                )
            screening_match_person(by=by, request_person=request_person, person=person)
    except search.PossibleDuplicates as duplicates:
        # Listed with "This is them": found by a search for this person, so matchable.
        _offer(by, request_person, [match.person for match in duplicates.matches])
        raise
    return person


@transaction.atomic
def screening_link_family(
    *, by: User, request: RequestForSupport, family: Family
) -> RequestForSupport:
    """Say which family record the request is about: one the officer may see, or a
    household of someone matched on the request."""
    request = locked(request)
    require_screening(by, request)
    matched = request.people.exclude(matched_person=None).values("matched_person")
    in_household = FamilyMembership.objects.filter(family=family, person__in=matched).exists()
    if not in_household and not access.sees(by, family):
        raise ServiceError(CHOOSE_A_MATCHED_HOUSEHOLD, field="family")
    _link_family(request, family.pk)
    start_screening(request, by)
    save_request(request, by, "status", "assigned_to", "assigned_at", "family", "locality")
    audit_step(by, request, "link family", family=str(family.uuid))
    return request


@transaction.atomic
def screening_create_family(
    *, by: User, request: RequestForSupport, owning_team: Team, name: str
) -> Family:
    """Create a household for the people matched on the request and link the request to it."""
    require_screening(by, request)
    matched = [p.matched_person for p in request.people.select_related("matched_person")]
    matched = [person for person in matched if person is not None]
    if not matched:
        raise ServiceError("Match or create a record for someone on the request first")
    typed = request.people.exclude(postcode="").first()
    address = (
        {"line_1": typed.address_line_1, "town": typed.town, "postcode": typed.postcode}
        if typed
        else {}
    )
    family = case_services.family_create(by=by, owning_team=owning_team, name=name, **address)
    for person in {person.pk: person for person in matched}.values():
        case_services.family_member_add(by=by, family=family, person=person)
    screening_link_family(by=by, request=request, family=family)
    return family


@transaction.atomic
def screening_record_consent(
    *, by: User, request: RequestForSupport, consent: str, **fields
) -> RequestForSupport:
    """Record the family's consent as found during screening (for example by phoning the
    parent): early help cannot be offered without it."""
    request = locked(request)
    require_screening(by, request)
    allowed = {"consent_given_by", "consent_covers", "consent_given_on", "consent_not_given_reason"}
    unknown = set(fields) - allowed
    if unknown:
        raise ValueError(f"Unknown consent fields: {', '.join(sorted(unknown))}")
    request.consent = consent
    request.consent_given_by = fields.get("consent_given_by", "")
    request.consent_covers = fields.get("consent_covers", "")
    request.consent_given_on = fields.get("consent_given_on")
    request.consent_not_given_reason = fields.get("consent_not_given_reason", "")
    validate(request, exclude=["reference", "requested_by"])
    start_screening(request, by)
    save_request(request, by, "status", "assigned_to", "assigned_at", "consent", *sorted(allowed))
    audit_step(by, request, "record consent", consent=consent)
    return request


@transaction.atomic
def screening_notes_save(*, by: User, request: RequestForSupport, notes: str) -> RequestForSupport:
    request = locked(request)
    require_screening(by, request)
    request.screening_notes = notes
    start_screening(request, by)
    save_request(request, by, "status", "assigned_to", "assigned_at", "screening_notes")
    audit_step(by, request, "screening notes")
    return request


@transaction.atomic
def screening_check_add(*, by: User, request: RequestForSupport, **fields) -> ScreeningCheck:
    """Record a check with another agency: who, what was asked, and their answer if known."""
    request = locked(request)
    require_screening(by, request)
    check = ScreeningCheck(request=request, created_by=by, modified_by=by, **fields)
    validate(check)
    check.save()
    start_screening(request, by)
    save_request(request, by, "status", "assigned_to", "assigned_at")
    audit_step(by, request, "add check", check=str(check.uuid), agency=check.agency_label)
    return check


@transaction.atomic
def screening_check_answer(
    *, by: User, check: ScreeningCheck, answer: str, answered_at=None
) -> ScreeningCheck:
    request = locked(check.request)
    require_screening(by, request)
    if not answer.strip():
        raise ValidationError({"answer": ENTER_THEIR_ANSWER})
    check.answer = answer
    check.answered_at = answered_at or timezone.now()
    check.modified_by = by
    validate(check)
    check.save()
    audit_step(by, request, "answer check", check=str(check.uuid))
    return check


def suggested_level(indicators) -> Level | None:
    """The highest level among the ticked indicators (None when none is ticked)."""
    levels = [indicator.level for indicator in indicators]
    return max(levels, key=lambda level: level.rank, default=None)


def framework_in_use() -> Framework:
    """The threshold framework screening and decisions use: the current one."""
    framework = Framework.objects.filter(is_current=True).first()
    if framework is None:
        raise ServiceError("No threshold framework is published: ask an administrator")
    return framework


@transaction.atomic
def screening_indicators_set(*, by: User, request: RequestForSupport, indicators) -> Level | None:
    """Tick threshold indicators from the current framework; returns the suggested level."""
    request = locked(request)
    require_screening(by, request)
    framework = framework_in_use()
    chosen = list(indicators)
    wrong = [indicator for indicator in chosen if indicator.framework_id != framework.pk]
    if wrong:
        raise ServiceError(
            f"Choose indicators from the current threshold framework (version {framework.version})",
            field="indicators",
        )
    request.indicators.set(chosen)
    start_screening(request, by)
    save_request(request, by, "status", "assigned_to", "assigned_at")
    audit_step(by, request, "tick indicators", indicators=[str(i.uuid) for i in chosen])
    return suggested_level(
        Indicator.objects.filter(pk__in=[i.pk for i in chosen]).select_related("level")
    )
