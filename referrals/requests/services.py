"""The front door's state changes (DESIGN section 5, steps 1 and 2: "Ask" and "Screen").

One function per state change, each in a transaction, checking permission and state and
writing the audit event: submit; claim and assign; match people to records (or create
them) and link the family; record consent, checks with other agencies, screening notes and
threshold indicators; decide. A decision is made once: the request row is locked while it
is made, so two officers deciding at once end with one decision.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import Agency, Locality, Role, Team, User
from audit.models import AuditAction, AuditEvent
from audit.services import record
from cases.episodes import services as episode_services
from cases.families import services as case_services
from cases.models import (
    RE_REFERRAL_WINDOW_DAYS,
    Episode,
    Family,
    FamilyMembership,
    Person,
    RecordType,
)
from cases.people import search
from cases.people import services as people_services
from earlyhelp import access
from earlyhelp.exceptions import ServiceError
from outbox import services as outbox
from referrals import tasks, timescales
from referrals.models import (
    CHILD_ROLES,
    EARLY_HELP_OUTCOMES,
    MAX_ATTACHMENTS,
    Decision,
    Outcome,
    PersonRole,
    PresentingNeed,
    RequestAttachment,
    RequestForSupport,
    RequestPerson,
    ScreeningCandidate,
    ScreeningCheck,
    Source,
    Status,
    validate_attachment,
)
from thresholds.models import Framework, Indicator, Level, LevelChangeCause

PERSON_FIELDS = (
    "role",
    "given_name",
    "family_name",
    "date_of_birth",
    "address_line_1",
    "town",
    "postcode",
    "school_or_setting",
)
# The audit log's actor for requests from the public form.
PUBLIC_FORM_ACTOR = "public request form"
NO_CHILD = "Add at least one child or unborn child"


def _presenting_needs(values):
    """PresentingNeed objects or codes; only needs in use today may be chosen."""
    codes = [value.code if isinstance(value, PresentingNeed) else str(value) for value in values]
    needs = list(PresentingNeed.objects.active().filter(code__in=codes))
    unknown = sorted(set(codes) - {need.code for need in needs})
    if unknown:
        raise ValidationError(
            {"presenting_needs": f"Unknown presenting need: {', '.join(unknown)}"}
        )
    if not needs:
        raise ValidationError({"presenting_needs": "Choose at least one presenting need"})
    return needs


def _build_people(people):
    built, errors = [], []
    for position, data in enumerate(people, start=1):
        unknown = set(data) - set(PERSON_FIELDS)
        if unknown:
            raise ValueError(f"Unknown person fields: {', '.join(sorted(unknown))}")
        person = RequestPerson(position=position, **data)
        try:
            person.full_clean(exclude=["request", "matched_person"])
        except ValidationError as error:
            errors += [f"Person {position}: {message}" for message in error.messages]
        built.append(person)
    if not any(person.role in CHILD_ROLES for person in built):
        errors.append(NO_CHILD)
    return built, errors


def request_submit(
    *, by=None, source, people, presenting_needs, attachments=(), **fields
) -> RequestForSupport:
    """Validate and save a request for support, then (after commit) email the requester
    an acknowledgement. `by` is the signed-in professional, or None for the public form.

    Everything is checked before anything is saved or queued, so a refused request leaves
    no record and sends no email.
    """
    if by is not None:
        if not access.can(by, access.Permission.SUBMIT_REQUEST):
            raise PermissionDenied("Your role cannot submit requests for support")
        if source != Source.PROFESSIONAL:
            raise ValidationError({"source": "Signed-in users submit as professionals"})
    elif source == Source.PROFESSIONAL:
        raise PermissionDenied("Sign in to submit a request as a professional")

    errors = {}
    try:
        needs = _presenting_needs(presenting_needs)
    except ValidationError as error:
        errors.update(error.message_dict)
    people_built, people_errors = _build_people(people)
    if people_errors:
        errors["people"] = people_errors

    attachments = list(attachments)
    attachment_errors = []
    if len(attachments) > MAX_ATTACHMENTS:
        attachment_errors.append(f"Attach at most {MAX_ATTACHMENTS} files")
    for upload in attachments:
        try:
            validate_attachment(upload)
        except ValidationError as error:
            attachment_errors += [f"{upload.name}: {message}" for message in error.messages]
    if attachment_errors:
        errors["attachments"] = attachment_errors

    received_at = timezone.now()
    request = RequestForSupport(
        source=source,
        requested_by=by,
        received_at=received_at,
        status=Status.SUBMITTED,
        **fields,
    )
    try:
        request.full_clean(exclude=["reference", "due_at", "requested_by"])
    except ValidationError as error:
        for field, messages in error.message_dict.items():
            errors.setdefault(field, [])
            errors[field] = list(errors[field]) + messages
    if errors:
        raise ValidationError(errors)

    request.due_at = timescales.due_at(received_at, request.urgency_rag)
    return _save(by=by, request=request, needs=needs, people=people_built, files=attachments)


@transaction.atomic
def _save(*, by, request, needs, people, files):
    # The reference comes from the primary key (a database sequence), so two requests
    # submitted at the same moment can never share one.
    request.reference = f"pending-{request.uuid.hex[:12]}"
    request.created_by = by
    request.modified_by = by
    request.save()
    request.reference = f"EH-{request.received_at.year}-{request.pk:06d}"
    RequestForSupport.objects.filter(pk=request.pk).update(reference=request.reference)
    request.presenting_needs.set(needs)
    for person in people:
        person.request = request
    RequestPerson.objects.bulk_create(people)
    for upload in files:
        RequestAttachment.objects.create(
            request=request, file=upload, original_name=upload.name[:255], size=upload.size
        )
    record(
        actor=by,
        action=AuditAction.CREATE,
        obj=request,
        detail={"reference": request.reference, "source": request.source},
        actor_label=None if by is not None else PUBLIC_FORM_ACTOR,
    )
    outbox.enqueue(tasks.send_request_acknowledgement, request.pk)
    return request


def public_requests_saved_since(since, *, ip_address) -> int:
    """Requests the public form saved from an address since a time, from the audit log:
    the public form's rate limit when the cache is down."""
    return AuditEvent.objects.filter(
        action=AuditAction.CREATE,
        object_type=RequestForSupport._meta.label_lower,
        actor=None,
        actor_label=PUBLIC_FORM_ACTOR,
        ip_address=ip_address,
        occurred_at__gte=since,
    ).count()


@transaction.atomic
def request_attachment_add(*, by: User, request: RequestForSupport, upload) -> RequestAttachment:
    """Add a file to a request not yet decided: its requester (who forgot the chronology),
    or a triage officer (a report an agency sent during screening)."""
    request = _locked(request)
    is_requester = request.requested_by_id is not None and request.requested_by_id == by.pk
    if not is_requester and not access.has_role(by, Role.TRIAGE_OFFICER):
        raise PermissionDenied("Only the requester or a triage officer can add files")
    if not request.is_open:
        raise ServiceError(
            f"This request has been {request.get_status_display().lower()}: "
            "files can no longer be added"
        )
    if request.attachments.count() >= MAX_ATTACHMENTS:
        raise ValidationError({"file": f"A request can have at most {MAX_ATTACHMENTS} files"})
    try:
        validate_attachment(upload)
    except ValidationError as error:
        raise ValidationError({"file": error.messages}) from error
    attachment = RequestAttachment.objects.create(
        request=request, file=upload, original_name=upload.name[:255], size=upload.size
    )
    _audit(by, request, "attach file", attachment=attachment.original_name)
    return attachment


# Screening


def _require_screening(by, request_for_support):
    if not access.has_role(by, Role.TRIAGE_OFFICER):
        raise PermissionDenied("Only triage officers screen requests for support")
    if not access.can(by, access.Permission.SCREEN_REQUEST, request_for_support):
        raise ServiceError(
            f"This request has been {request_for_support.get_status_display().lower()}: "
            "it can no longer be screened"
        )


def _locked(request_for_support) -> RequestForSupport:
    """The request row, locked until the transaction ends, with its current state."""
    return RequestForSupport.objects.select_for_update().get(pk=request_for_support.pk)


def _audit(by, request_for_support, step, **detail):
    record(
        actor=by,
        action=AuditAction.CHANGE,
        obj=request_for_support,
        detail={"step": step, **detail},
    )


def _start_screening(request_for_support, by):
    if request_for_support.status == Status.SUBMITTED:
        request_for_support.status = Status.IN_SCREENING
    if request_for_support.assigned_to_id is None:
        request_for_support.assigned_to = by
        request_for_support.assigned_at = timezone.now()


def _save_request(request_for_support, by, *fields):
    request_for_support.modified_by = by
    request_for_support.save(update_fields=[*fields, "modified_by", "modified_at"])


@transaction.atomic
def request_claim(*, by: User, request: RequestForSupport) -> RequestForSupport:
    """Take a request to screen. Someone else's request is reassigned, not claimed."""
    request = _locked(request)
    _require_screening(by, request)
    if request.assigned_to_id == by.pk:
        return request
    if request.assigned_to_id is not None:
        raise ServiceError(
            f"{request.assigned_to.get_full_name()} is already screening this request: "
            "reassign it if you are taking it over"
        )
    _start_screening(request, by)
    _save_request(request, by, "status", "assigned_to", "assigned_at")
    _audit(by, request, "claim", assigned_to=by.pk)
    return request


def triage_officers():
    return User.objects.filter(is_active=True, groups__name=Role.TRIAGE_OFFICER).order_by(
        "full_name", "pk"
    )


@transaction.atomic
def request_assign(*, by: User, request: RequestForSupport, to: User) -> RequestForSupport:
    """Give a request to a triage officer (oneself included), taking it from whoever had it."""
    request = _locked(request)
    _require_screening(by, request)
    if not triage_officers().filter(pk=to.pk).exists():
        raise ServiceError("Choose a triage officer", field="assigned_to")
    previous = request.assigned_to_id
    request.assigned_to = to
    request.assigned_at = timezone.now()
    if request.status == Status.SUBMITTED:
        request.status = Status.IN_SCREENING
    _save_request(request, by, "status", "assigned_to", "assigned_at")
    _audit(by, request, "assign", assigned_to=to.pk, previously_assigned_to=previous)
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
    request = _locked(request_person.request)
    _require_screening(by, request)
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
    _start_screening(request, by)
    _save_request(request, by, "status", "assigned_to", "assigned_at", "family", "locality")
    _audit(
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
    _require_screening(by, request_person.request)
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
        or access.visible(by, Person.objects.filter(pk=person.pk)).exists()
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
    _require_screening(by, request_person.request)
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
    request = _locked(request)
    _require_screening(by, request)
    matched = request.people.exclude(matched_person=None).values("matched_person")
    in_household = FamilyMembership.objects.filter(family=family, person__in=matched).exists()
    if not in_household and not access.visible(by, Family.objects.filter(pk=family.pk)).exists():
        raise ServiceError(
            "Choose the household of someone matched on this request", field="family"
        )
    _link_family(request, family.pk)
    _start_screening(request, by)
    _save_request(request, by, "status", "assigned_to", "assigned_at", "family", "locality")
    _audit(by, request, "link family", family=str(family.uuid))
    return request


@transaction.atomic
def screening_create_family(
    *, by: User, request: RequestForSupport, owning_team: Team, name: str
) -> Family:
    """Create a household for the people matched on the request and link the request to it."""
    _require_screening(by, request)
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
    request = _locked(request)
    _require_screening(by, request)
    allowed = {"consent_given_by", "consent_covers", "consent_given_on", "consent_not_given_reason"}
    unknown = set(fields) - allowed
    if unknown:
        raise ValueError(f"Unknown consent fields: {', '.join(sorted(unknown))}")
    request.consent = consent
    request.consent_given_by = fields.get("consent_given_by", "")
    request.consent_covers = fields.get("consent_covers", "")
    request.consent_given_on = fields.get("consent_given_on")
    request.consent_not_given_reason = fields.get("consent_not_given_reason", "")
    request.full_clean(exclude=["reference", "requested_by"])
    _start_screening(request, by)
    _save_request(request, by, "status", "assigned_to", "assigned_at", "consent", *sorted(allowed))
    _audit(by, request, "record consent", consent=consent)
    return request


@transaction.atomic
def screening_notes_save(*, by: User, request: RequestForSupport, notes: str) -> RequestForSupport:
    request = _locked(request)
    _require_screening(by, request)
    request.screening_notes = notes
    _start_screening(request, by)
    _save_request(request, by, "status", "assigned_to", "assigned_at", "screening_notes")
    _audit(by, request, "screening notes")
    return request


@transaction.atomic
def screening_check_add(*, by: User, request: RequestForSupport, **fields) -> ScreeningCheck:
    """Record a check with another agency: who, what was asked, and their answer if known."""
    request = _locked(request)
    _require_screening(by, request)
    check = ScreeningCheck(request=request, created_by=by, modified_by=by, **fields)
    check.full_clean()
    check.save()
    _start_screening(request, by)
    _save_request(request, by, "status", "assigned_to", "assigned_at")
    _audit(by, request, "add check", check=str(check.uuid), agency=check.agency_label)
    return check


@transaction.atomic
def screening_check_answer(
    *, by: User, check: ScreeningCheck, answer: str, answered_at=None
) -> ScreeningCheck:
    request = _locked(check.request)
    _require_screening(by, request)
    if not answer.strip():
        raise ValidationError({"answer": "Enter their answer"})
    check.answer = answer
    check.answered_at = answered_at or timezone.now()
    check.modified_by = by
    check.full_clean()
    check.save()
    _audit(by, request, "answer check", check=str(check.uuid))
    return check


def suggested_level(indicators) -> Level | None:
    """The highest level among the ticked indicators (None when none is ticked)."""
    levels = [indicator.level for indicator in indicators]
    return max(levels, key=lambda level: level.rank, default=None)


def _current_framework() -> Framework:
    framework = Framework.objects.filter(is_current=True).first()
    if framework is None:
        raise ServiceError("No threshold framework is published: ask an administrator")
    return framework


@transaction.atomic
def screening_indicators_set(*, by: User, request: RequestForSupport, indicators) -> Level | None:
    """Tick threshold indicators from the current framework; returns the suggested level."""
    request = _locked(request)
    _require_screening(by, request)
    framework = _current_framework()
    chosen = list(indicators)
    wrong = [indicator for indicator in chosen if indicator.framework_id != framework.pk]
    if wrong:
        raise ServiceError(
            f"Choose indicators from the current threshold framework (version {framework.version})",
            field="indicators",
        )
    request.indicators.set(chosen)
    _start_screening(request, by)
    _save_request(request, by, "status", "assigned_to", "assigned_at")
    _audit(by, request, "tick indicators", indicators=[str(i.uuid) for i in chosen])
    return suggested_level(
        Indicator.objects.filter(pk__in=[i.pk for i in chosen]).select_related("level")
    )


WITHDRAW_REFUSED = "Only the requester or a triage officer can withdraw a request"


def may_withdraw(by: User, request: RequestForSupport) -> bool:
    """Its requester, or a triage officer (asked by the API before it reads the body too)."""
    by_requester = request.requested_by_id is not None and request.requested_by_id == by.pk
    return by_requester or access.has_role(by, Role.TRIAGE_OFFICER)


@transaction.atomic
def request_withdraw(*, by: User, request: RequestForSupport, reason: str) -> RequestForSupport:
    """Withdraw a request not yet decided: by its requester (the worry is resolved, or it
    was sent by mistake), or by a triage officer (a duplicate of another request). The
    requester is told when the front door withdraws it."""
    request = _locked(request)
    by_requester = request.requested_by_id is not None and request.requested_by_id == by.pk
    if not may_withdraw(by, request):
        raise PermissionDenied(WITHDRAW_REFUSED)
    if not request.is_open:
        raise ServiceError(
            f"This request has been {request.get_status_display().lower()}: "
            "it can no longer be withdrawn"
        )
    if not reason.strip():
        raise ValidationError({"withdrawn_reason": "Enter why the request is withdrawn"})
    request.status = Status.WITHDRAWN
    request.withdrawn_reason = reason
    request.outcome_summary = f"Withdrawn: {reason}"
    if not by_requester and request.assigned_to_id is None:
        # The officer who closed it can look back on it, as after a decision.
        request.assigned_to, request.assigned_at = by, timezone.now()
    _save_request(
        request, by, "status", "withdrawn_reason", "outcome_summary", "assigned_to", "assigned_at"
    )
    _audit(by, request, "withdraw", by_requester=by_requester)
    if not by_requester:
        outbox.enqueue(tasks.send_decision_notification, request.pk)
    return request


# Re-referral


def re_referral_since(at=None):
    return (at or timezone.now()) - timedelta(days=RE_REFERRAL_WINDOW_DAYS)


def families_of(request: RequestForSupport):
    """The family linked to the request and the households of everyone matched on it."""
    matched = request.people.exclude(matched_person=None).values("matched_person")
    ids = set(FamilyMembership.objects.filter(person__in=matched).values_list("family", flat=True))
    if request.family_id:
        ids.add(request.family_id)
    return ids


def is_re_referral(request: RequestForSupport, at=None) -> bool:
    """An episode for the family closed within the last 12 months (DESIGN section 3)."""
    return (
        Episode.objects.closed_since(re_referral_since(at))
        .filter(family__in=families_of(request))
        .exists()
    )


# Deciding


CONSENT_REFUSAL = (
    "Early help is voluntary and the family has not agreed to assessment and support. "
    "Record their consent before offering early help. If there is a safeguarding concern, "
    "step up to children's social care instead."
)


@dataclass
class DecisionInput:
    outcome: str
    level: Level
    rationale: str
    level_override_reason: str = ""
    signposted_to: str = ""
    single_agency: Agency | None = None
    single_agency_name: str = ""
    social_care_reference: str = ""
    locality: Locality | None = None


def _check_decision(request, framework, chosen, suggested, data: DecisionInput):
    errors = {}
    if data.outcome not in Outcome.values:
        errors["outcome"] = "Choose an outcome"
    if data.level is None or data.level.framework_id != framework.pk:
        errors["level"] = (
            f"Choose a level from the threshold framework in use (version {framework.version})"
        )
    if not data.rationale.strip():
        errors["rationale"] = "Enter the reasons for the decision"
    if data.level is not None and suggested is not None and data.level.pk != suggested.pk:
        if not data.level_override_reason.strip():
            errors["level_override_reason"] = (
                f"Enter why the level is {data.level.name}, not the suggested {suggested.name}"
            )
    if data.level is not None and suggested is None and not chosen:
        if not data.level_override_reason.strip():
            errors["level_override_reason"] = (
                "No indicator is ticked: tick the indicators that apply, or enter why the "
                f"level is {data.level.name}"
            )
    if errors:
        raise ValidationError(errors)
    outcome = Outcome(data.outcome)
    if outcome in EARLY_HELP_OUTCOMES:
        if not request.consent_allows_early_help:
            raise ServiceError(CONSENT_REFUSAL, field="outcome")
        if data.level.statutory:
            raise ServiceError(
                f"{data.level.name} is a statutory level: step up to children's social care",
                field="level",
            )
    if outcome == Outcome.SIGNPOSTING and not data.signposted_to.strip():
        errors["signposted_to"] = "Enter the service the family is signposted to"
    if outcome == Outcome.SINGLE_AGENCY and not (
        data.single_agency or data.single_agency_name.strip()
    ):
        errors["single_agency"] = "Choose the agency that will help, or enter its name"
    if outcome == Outcome.STEP_UP:
        if not data.social_care_reference.strip():
            errors["social_care_reference"] = "Enter the children's social care reference"
        if not data.level.statutory:
            errors["level"] = "A step up to children's social care is at a statutory level"
    if outcome == Outcome.TAF and request.family_id is None:
        errors["outcome"] = (
            "Link the request to a family record first: an episode belongs to a family"
        )
    if errors:
        raise ValidationError(errors)


def _open_or_join_episode(by, request, data, decided_at):
    """Join the family's open episode, or open one awaiting allocation in the locality."""
    family = Family.objects.select_for_update().get(pk=request.family_id)
    episode = Episode.objects.open().filter(family=family).first()
    if episode is not None:
        return episode, True
    locality = data.locality or Locality.objects.filter(teams__families=family).first()
    if locality is None:
        raise ValidationError(
            {"locality": "Choose the locality that will allocate the family's episode"}
        )
    episode = episode_services.open_episode(
        by=by,
        family=family,
        locality=locality,
        level=data.level,
        cause=LevelChangeCause.FRONT_DOOR,
        reason=f"Front door decision on {request.reference}",
        opened_from_request=request,
        at=decided_at,
    )
    return episode, False


OUTCOME_SUMMARIES = {
    Outcome.NFA: "No further action: the family's needs are met without extra help.",
    Outcome.SIGNPOSTING: "The family has been given information about, and signposted to, "
    "{signposted_to}.",
    Outcome.UNIVERSAL: "The family's needs can be met by universal services (such as the "
    "school, health visitor or GP).",
    Outcome.SINGLE_AGENCY: "Early help will be offered by {agency}.",
    Outcome.TAF: "Early help with a Team Around the Family will be offered: a lead "
    "professional will be allocated in the {locality} locality.",
    Outcome.STEP_UP: "The request has been passed to children's social care.",
}


def _outcome_summary(decision, episode):
    return OUTCOME_SUMMARIES[Outcome(decision.outcome)].format(
        signposted_to=decision.signposted_to,
        agency=decision.single_agency_label,
        locality=episode.locality.name if episode else "",
    )


def request_decide(*, by: User, request: RequestForSupport, data: DecisionInput) -> Decision:
    """Decide the outcome of screening, once. The request row is locked for the decision,
    so a second officer deciding at the same moment is told it was decided already."""
    try:
        with transaction.atomic():
            return _decide(by=by, request=request, data=data)
    except IntegrityError as error:
        raise ServiceError(
            "This request was decided a moment ago by someone else: reload the page"
        ) from error


def _decide(*, by, request, data):
    request = _locked(request)
    if request.status == Status.DECIDED:
        decision = Decision.objects.select_related("decided_by").get(request=request)
        raise ServiceError(
            f"This request was already decided by {decision.decided_by.get_full_name()} "
            f"at {timezone.localtime(decision.decided_at):%H:%M on %-d %B %Y}: "
            "it cannot be decided again"
        )
    _require_screening(by, request)
    framework = _current_framework()
    chosen = list(request.indicators.select_related("level"))
    if any(indicator.framework_id != framework.pk for indicator in chosen):
        raise ServiceError(
            "The threshold framework was updated during screening: tick the indicators "
            "again from the current version",
            field="indicators",
        )
    suggested = suggested_level(chosen)
    _check_decision(request, framework, chosen, suggested, data)

    decided_at = timezone.now()
    episode, joined = (None, False)
    if data.outcome == Outcome.TAF:
        episode, joined = _open_or_join_episode(by, request, data, decided_at)
    decision = Decision(
        request=request,
        outcome=data.outcome,
        framework=framework,
        suggested_level=suggested,
        level=data.level,
        level_override_reason=data.level_override_reason if data.level != suggested else "",
        rationale=data.rationale,
        signposted_to=data.signposted_to if data.outcome == Outcome.SIGNPOSTING else "",
        single_agency=data.single_agency if data.outcome == Outcome.SINGLE_AGENCY else None,
        single_agency_name=data.single_agency_name
        if data.outcome == Outcome.SINGLE_AGENCY and not data.single_agency
        else "",
        social_care_reference=data.social_care_reference if data.outcome == Outcome.STEP_UP else "",
        episode=episode,
        joined_open_episode=joined,
        is_re_referral=is_re_referral(request, decided_at),
        consent=request.consent,
        decided_by=by,
        decided_at=decided_at,
    )
    decision.save()
    decision.indicators.set(chosen)
    request.status = Status.DECIDED
    request.outcome_summary = _outcome_summary(decision, episode)
    if request.assigned_to_id is None:
        request.assigned_to, request.assigned_at = by, decided_at
    _save_request(request, by, "status", "outcome_summary", "assigned_to", "assigned_at")
    record(
        actor=by,
        action=AuditAction.CREATE,
        obj=decision,
        detail={
            "request": request.reference,
            "outcome": decision.outcome,
            "level": decision.level.name,
            "suggested_level": suggested.name if suggested else None,
            "framework_version": framework.version,
            "episode": str(episode.uuid) if episode else None,
            "re_referral": decision.is_re_referral,
        },
    )
    outbox.enqueue(tasks.send_decision_notification, request.pk)
    return decision
