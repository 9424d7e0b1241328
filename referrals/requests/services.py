"""Requests for support: the front door's first step (DESIGN section 5, step 1: "Ask").

One function per state change, each in a transaction, checking permission and state and
writing the audit event: submit (by a professional, or from the public form), add a file,
withdraw. A request's status changes only through `REQUEST_MOVES`, which records each move.
Screening and deciding are `referrals.screening`.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.models import Role, User
from audit.models import AuditAction, AuditEvent
from audit.services import record
from earlyhelp import access
from earlyhelp.exceptions import ServiceError
from earlyhelp.services import audit_step, locked, require, validate
from outbox import services as outbox
from referrals import tasks, timescales
from referrals.models import (
    CHILD_ROLES,
    MAX_ATTACHMENTS,
    REQUEST_MOVES,
    PresentingNeed,
    RequestAttachment,
    RequestForSupport,
    RequestPerson,
    Source,
    Status,
    validate_attachment,
)

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
NO_PRESENTING_NEED = "Choose at least one presenting need"


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
        raise ValidationError({"presenting_needs": NO_PRESENTING_NEED})
    return needs


def _build_people(people):
    built, errors = [], []
    for position, data in enumerate(people, start=1):
        unknown = set(data) - set(PERSON_FIELDS)
        if unknown:
            raise ValueError(f"Unknown person fields: {', '.join(sorted(unknown))}")
        person = RequestPerson(position=position, **data)
        try:
            validate(person, exclude=["request", "matched_person"])
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
        require(
            by,
            access.Permission.SUBMIT_REQUEST,
            message="Your role cannot submit requests for support",
        )
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
        validate(request, exclude=["reference", "due_at", "requested_by"])
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
    REQUEST_MOVES.start(request, by=by, at=request.received_at)
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


def is_requester(by: User, request: RequestForSupport) -> bool:
    """The signed-in professional who sent the request (the public form's have none)."""
    return request.requested_by_id is not None and request.requested_by_id == by.pk


@transaction.atomic
def request_attachment_add(*, by: User, request: RequestForSupport, upload) -> RequestAttachment:
    """Add a file to a request not yet decided: its requester (who forgot the chronology),
    or a triage officer (a report an agency sent during screening)."""
    request = locked(request)
    if not is_requester(by, request) and not access.has_role(by, Role.TRIAGE_OFFICER):
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
    audit_step(by, request, "attach file", attachment=attachment.original_name)
    return attachment


def save_request(request: RequestForSupport, by: User, *fields) -> None:
    """Save the fields a service changed, with who changed the request."""
    request.modified_by = by
    request.save(update_fields=[*fields, "modified_by", "modified_at"])


WITHDRAW_REFUSED = "Only the requester or a triage officer can withdraw a request"
# The withdraw form, which marks the reason required, says it in these words too.
WITHDRAW_REASON_MESSAGE = "Enter why the request is withdrawn"


def may_withdraw(by: User, request: RequestForSupport) -> bool:
    """Its requester, or a triage officer (asked by the API before it reads the body too)."""
    return is_requester(by, request) or access.has_role(by, Role.TRIAGE_OFFICER)


@transaction.atomic
def request_withdraw(*, by: User, request: RequestForSupport, reason: str) -> RequestForSupport:
    """Withdraw a request not yet decided: by its requester (the worry is resolved, or it
    was sent by mistake), or by a triage officer (a duplicate of another request). The
    requester is told when the front door withdraws it."""
    request = locked(request)
    by_requester = is_requester(by, request)
    if not may_withdraw(by, request):
        raise PermissionDenied(WITHDRAW_REFUSED)
    if not REQUEST_MOVES.can_move(request, Status.WITHDRAWN):
        raise ServiceError(
            f"This request has been {request.get_status_display().lower()}: "
            "it can no longer be withdrawn"
        )
    if not reason.strip():
        raise ValidationError({"withdrawn_reason": WITHDRAW_REASON_MESSAGE})
    REQUEST_MOVES.move(request, Status.WITHDRAWN, by=by, reason=reason)
    request.withdrawn_reason = reason
    request.outcome_summary = f"Withdrawn: {reason}"
    if not by_requester and request.assigned_to_id is None:
        # The officer who closed it can look back on it, as after a decision.
        request.assigned_to, request.assigned_at = by, timezone.now()
    save_request(
        request, by, "status", "withdrawn_reason", "outcome_summary", "assigned_to", "assigned_at"
    )
    audit_step(by, request, "withdraw", by_requester=by_requester)
    if not by_requester:
        outbox.enqueue(tasks.send_decision_notification, request.pk)
    return request
