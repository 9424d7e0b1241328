"""Submitting requests for support through the service and the two forms, as the request
tests do."""

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from referrals.models import RequestForSupport, Source

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


PDF = b"%PDF-1.7\n" + b"\x00" * 64


class RequestFactory(DjangoModelFactory):
    class Meta:
        model = RequestForSupport

    reference = factory.Sequence(lambda n: f"EH-2026-9{n:05d}")
    source = Source.PROFESSIONAL
    requester_name = factory.Faker("name")
    requester_agency_name = "Brackenford Primary School"
    requester_email = "teacher@school.example"
    concerns = "Often hungry and tired in class."
    consent = "not_asked"
    urgency = "soon"
    due_at = factory.LazyFunction(timezone.now)


def child(**extra):
    return {"role": "child", "given_name": "Mia", "family_name": "Okafor", **extra}
