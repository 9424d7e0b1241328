"""Submitting a request for support (DESIGN section 5, step 1: "Ask").

One function per state change; this issue has the first one only. Screening and decisions
(later issues) move a request on from "submitted".
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from audit.models import AuditAction
from audit.services import record
from earlyhelp import access

from . import tasks, timescales
from .models import (
    CHILD_ROLES,
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
MAX_ATTACHMENTS = 10
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
        actor_label=None if by is not None else "public request form",
    )
    pk = request.pk
    transaction.on_commit(lambda: tasks.send_request_acknowledgement.delay(pk))
    return request
