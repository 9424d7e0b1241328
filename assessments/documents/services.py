"""The family's copy of their plan as a PDF (DESIGN section 4, "Family plan PDF"): asked for
by the lead professional or a manager, rendered by a background job, stored, downloaded.

The copy is in plain words for the family. It shows who is in the household (first names
and ages only: no sensitive fields, no addresses), the plan in force and who to contact.
The template is autoescaped, so anything typed into the plan prints as typed.
"""

import logging

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Prefetch, Q
from django.template.loader import render_to_string
from django.utils import timezone

from accounts.models import User
from assessments.models import (
    FamilyPlanDocument,
    FamilyPlanDocumentStatus,
    Plan,
    PlanAction,
    PlanOutcome,
)
from assessments.plans import services as plans
from audit.models import AuditAction
from audit.services import record
from cases.models import FamilyMembership, RecordType, TafMember
from earlyhelp import access, pdf
from earlyhelp.services import locked, require
from outbox import services as outbox

logger = logging.getLogger(__name__)
Permission = access.Permission
JOB_LABEL = "family plan PDF job"
TEMPLATE = "plans/family_plan_pdf.html"


@transaction.atomic
def plan_document_request(*, by: User, plan: Plan) -> FamilyPlanDocument:
    """Ask for the family's copy of the plan in force; the PDF is made after the commit.
    While one is still being made, asking again (a second click) answers with that one;
    after it failed, or once it is stale (FAMILY_PLAN_PDF_STALE_MINUTES), a new one is made."""
    plan = locked(plan, "episode")
    require(
        by,
        Permission.WORK_ON_EPISODE,
        plan.episode,
        message="Only the lead professional or a manager can print the family's copy of the plan",
    )
    plans.require_in_force(
        plan,
        if_draft="Agree the plan before printing the family's copy",
        if_replaced="This version of the plan has been replaced: print the current one",
    )
    for queued in plan.documents.filter(status=FamilyPlanDocumentStatus.QUEUED):
        if not queued.is_stale:
            return queued
        _fail(
            queued,
            f"Not made within {settings.FAMILY_PLAN_PDF_STALE_MINUTES} minutes",
            step="stale",
        )
    document = FamilyPlanDocument.objects.create(plan=plan, requested_by=by)
    record(
        actor=by,
        action=AuditAction.PRINT,
        obj=plan,
        detail={"document": str(document.uuid), "step": "requested"},
    )
    from assessments.tasks import render_family_plan

    outbox.enqueue(render_family_plan, document.pk)
    return document


def plan_document_render(*, document_pk: int) -> str:
    """Make the PDF of a document asked for, and store it; returns the document's status.

    Safe to run twice: a document already made is left alone. A failure (making the PDF or
    storing it) marks the document failed with the error and is logged, and does not raise
    (the job would only retry a document that cannot be made); the user asks again."""
    with transaction.atomic():
        document = FamilyPlanDocument.objects.select_for_update().filter(pk=document_pk).first()
        if document is None:
            logger.warning("Family plan PDF %s no longer exists", document_pk)
            return "missing"
        if document.status == FamilyPlanDocumentStatus.READY:
            return document.status
        try:
            with transaction.atomic():
                plan = _plan_for_print(document.plan_id)
                content = pdf.html_to_pdf(family_plan_html(plan))
            document.file.save(document.filename, ContentFile(content), save=False)
        except Exception as error:
            logger.exception("Could not make family plan PDF %s", document.uuid)
            _fail(document, str(error) or type(error).__name__)
            return document.status
        document.plan = plan
        document.status = FamilyPlanDocumentStatus.READY
        document.rendered_at = timezone.now()
        document.error = ""
        document.save(update_fields=["file", "status", "rendered_at", "error"])
        _audit_render(document, plan_id=document.plan_id)
        return document.status


def _fail(document, error, *, step="rendered"):
    document.status = FamilyPlanDocumentStatus.FAILED
    document.error = error
    document.save(update_fields=["status", "error"])
    _audit_render(document, plan_id=document.plan_id, step=step)


def _audit_render(document, *, plan_id, step="rendered"):
    record(
        actor=None,
        actor_label=JOB_LABEL,
        action=AuditAction.PRINT,
        model=Plan,
        object_id=str(plan_id),
        detail={"document": str(document.uuid), "step": step, "status": document.status},
    )


# What the PDF shows


def _plan_for_print(plan_pk) -> Plan:
    today = timezone.localdate()
    return (
        Plan.objects.select_related(
            "episode__family", "episode__lead_professional", "episode__team"
        )
        .prefetch_related(
            Prefetch("outcomes", queryset=PlanOutcome.objects.prefetch_related("people")),
            Prefetch(
                "actions",
                queryset=PlanAction.objects.select_related("owner_user", "owner_agency"),
            ),
            Prefetch(
                "episode__taf_members",
                queryset=TafMember.objects.current(today).select_related("user__agency", "agency"),
                to_attr="current_taf_members",
            ),
            Prefetch(
                "episode__family__memberships",
                queryset=FamilyMembership.objects.filter(
                    Q(left_on__isnull=True) | Q(left_on__gt=today),
                    person__merged_into__isnull=True,
                )
                .select_related("person")
                .order_by("person__date_of_birth", "id"),
                to_attr="current_memberships",
            ),
        )
        .get(pk=plan_pk)
    )


def first_name(person) -> str:
    return person.known_as or person.given_name or "Baby"


def _age_in_words(person, today) -> str:
    if person.record_type == RecordType.UNBORN:
        return "baby on the way"
    age = person.age_on(today)
    if age is None:
        return ""
    if age == 0:
        return "under 1 year old"
    return f"{age} year{'' if age == 1 else 's'} old"


def _member(membership, today):
    """Only what the family's copy needs: a first name and an age."""
    person = membership.person
    return {"name": first_name(person), "age": _age_in_words(person, today)}


def _taf_contact(member):
    if member.user_id:
        user = member.user
        agency = user.agency.name if user.agency_id else ""
        return {
            "name": user.get_full_name(),
            "role": member.role,
            "agency": agency,
            "email": user.email,
            "phone": user.phone,
        }
    return {
        "name": member.contact_name or member.agency.name,
        "role": member.role,
        "agency": member.agency.name if member.contact_name else "",
        "email": member.contact_email or member.agency.email,
        "phone": member.contact_phone or member.agency.phone,
    }


def _outcome(outcome):
    return {
        "description": outcome.description,
        "for_whom": [first_name(person) for person in outcome.people.all()],
        "need": outcome.need,
        "baseline": outcome.baseline,
        "target": outcome.target,
    }


def _action(action):
    return {
        "description": action.description,
        "owner": action.owner,
        "due_on": action.due_on,
        "status": action.get_status_display(),
    }


def family_plan_context(plan) -> dict:
    """The template's context, from a plan loaded by `_plan_for_print`."""
    today = timezone.localdate()
    episode = plan.episode
    lead = episode.lead_professional
    return {
        "plan": plan,
        "family_name": episode.family.name,
        "members": [_member(m, today) for m in episode.family.current_memberships],
        "outcomes": [_outcome(outcome) for outcome in plan.outcomes.all()],
        "actions": [_action(action) for action in plan.actions.all()],
        "lead": (
            {
                "name": lead.get_full_name(),
                "email": lead.email,
                "phone": lead.phone,
                "job_title": lead.job_title,
            }
            if lead
            else None
        ),
        "team": episode.team,
        "taf": [_taf_contact(member) for member in episode.current_taf_members],
        "printed_at": timezone.now(),
        "council_name": settings.COUNCIL_NAME,
    }


def family_plan_html(plan) -> str:
    return render_to_string(TEMPLATE, family_plan_context(plan))
