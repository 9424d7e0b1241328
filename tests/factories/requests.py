"""Requests for support as the front door's services leave them, with their status changes:
submitted by a professional, and in screening with a child matched to a record."""

import uuid

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from accounts.models import Role
from cases.models import FamilyMembership
from referrals import timescales
from referrals.models import (
    CHILD_ROLES,
    REQUEST_MOVES,
    PresentingNeed,
    RequestForSupport,
    RequestPerson,
    Source,
    Status,
)
from tests.factories.people import UserFactory
from tests.factories.status_rows import record_moves

MIA_AND_GRACE = [
    {"role": "child", "given_name": "Mia", "family_name": "Okafor"},
    {"role": "parent_or_carer", "given_name": "Grace", "family_name": "Okafor"},
]


class SubmittedRequestFactory(DjangoModelFactory):
    """A practitioner's request about Mia and her mother Grace (`people=` other people as
    the form sends them), for neglect (`presenting_needs=` other codes), due as its urgency
    says."""

    class Meta:
        model = "referrals.RequestForSupport"
        skip_postgeneration_save = True

    source = Source.PROFESSIONAL
    requested_by = factory.SubFactory(UserFactory, roles=[Role.PRACTITIONER])
    requester_name = "Sam Teacher"
    requester_agency_name = "Brackenford Primary"
    requester_email = "sam@school.example"
    concerns = "Mia is often hungry and tired in class."
    consent = "given"
    consent_given_by = "Grace Okafor, mother"
    consent_covers = "both"
    consent_given_on = factory.LazyFunction(timezone.localdate)
    urgency = "soon"
    received_at = factory.LazyFunction(timezone.now)
    due_at = factory.LazyAttribute(
        lambda request: timescales.due_at(
            request.received_at, RequestForSupport(urgency=request.urgency).urgency_rag
        )
    )
    status = Status.SUBMITTED
    # The real reference comes from the primary key, once saved (below).
    reference = factory.LazyFunction(lambda: f"pending-{uuid.uuid4().hex[:12]}")
    created_by = factory.SelfAttribute("requested_by")
    modified_by = factory.SelfAttribute("requested_by")

    @factory.post_generation
    def submitted(request, create, extracted, **kwargs):
        if not create:
            return
        request.reference = f"EH-{request.received_at.year}-{request.pk:06d}"
        RequestForSupport.objects.filter(pk=request.pk).update(reference=request.reference)
        record_moves(
            REQUEST_MOVES,
            request,
            [(Status.SUBMITTED, request.requested_by)],
            at=request.received_at,
        )

    @factory.post_generation
    def presenting_needs(request, create, extracted, **kwargs):
        if create:
            request.presenting_needs.set(
                PresentingNeed.objects.active().filter(code__in=extracted or ["neglect"])
            )

    @factory.post_generation
    def people(request, create, extracted, **kwargs):
        if create:
            RequestPerson.objects.bulk_create(
                RequestPerson(request=request, position=position, **person)
                for position, person in enumerate(extracted or MIA_AND_GRACE, start=1)
            )


class RequestInScreeningFactory(SubmittedRequestFactory):
    """Taken by a triage officer, who matched its first child to `matched` (a record in one
    household, which links the request to that family)."""

    status = Status.IN_SCREENING
    assigned_to = factory.SubFactory(UserFactory, roles=[Role.TRIAGE_OFFICER])
    assigned_at = factory.LazyFunction(timezone.now)
    modified_by = factory.SelfAttribute("assigned_to")

    @factory.post_generation
    def matched(request, create, extracted, **kwargs):
        if not create:
            return
        record_moves(
            REQUEST_MOVES,
            request,
            [(Status.IN_SCREENING, request.assigned_to)],
            after=Status.SUBMITTED,
            at=request.assigned_at,
        )
        if extracted is None:
            return
        child = request.people.filter(role__in=CHILD_ROLES).order_by("position").first()
        child.matched_person = extracted
        child.save(update_fields=["matched_person"])
        households = FamilyMembership.objects.filter(person=extracted, left_on__isnull=True)
        families = {
            membership.family for membership in households.select_related("family__owning_team")
        }
        if len(families) == 1:
            (family,) = families
            request.family, request.locality = family, family.owning_team.locality
            request.save(update_fields=["family", "locality"])
