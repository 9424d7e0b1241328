"""Requests for support as the request tests make them: straight into the database, and
what the professional and public forms post."""

import datetime

import factory
from django.urls import reverse
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


# The child both forms ask about, as typed into the first person's fields.
MIA_TYPED = {
    "person-1-role": "child",
    "person-1-given_name": "Mia",
    "person-1-family_name": "Okafor",
    "person-1-date_of_birth_day": "3",
    "person-1-date_of_birth_month": "4",
    "person-1-date_of_birth_year": "2016",
}


def child(**extra):
    return {"role": "child", "given_name": "Mia", "family_name": "Okafor", **extra}


def professional_post(**overrides):
    consent_day = timezone.localdate() - datetime.timedelta(days=1)
    data = {
        "requester_name": "Sam Teacher",
        "requester_role": "Designated safeguarding lead",
        "requester_agency": "",
        "requester_agency_name": "Brackenford Primary",
        "requester_email": "sam@school.example",
        "requester_phone": "",
        **MIA_TYPED,
        "person-1-postcode": "bk1 2ab",
        "presenting_needs": ["neglect"],
        "concerns": "Often hungry.",
        "what_has_been_tried": "Breakfast club.",
        "consent": "given",
        "consent_given_by": "Grace Okafor",
        "consent_covers": "both",
        "consent_given_on_day": str(consent_day.day),
        "consent_given_on_month": str(consent_day.month),
        "consent_given_on_year": str(consent_day.year),
        "urgency": "routine",
    }
    data.update(overrides)
    return data


def public_post(**overrides):
    data = {
        "website": "",
        "source": "parent_or_carer",
        "requester_name": "Grace Okafor",
        "requester_role": "Mum",
        "requester_email": "grace@home.example",
        "requester_phone": "07700 900123",
        **MIA_TYPED,
        "person-1-address_line_1": "12 Mill Lane",
        "person-1-town": "Brackenford",
        "person-1-postcode": "BK1 2AB",
        "person-1-school_or_setting": "Brackenford Primary",
        "person-2-role": "parent_or_carer",
        "person-2-given_name": "Grace",
        "person-2-family_name": "Okafor",
        "presenting_needs": ["housing", "finance"],
        "concerns": "We may lose our flat.",
        "what_has_been_tried": "Citizens Advice.",
        "agrees": "yes",
        "consent_not_given_reason": "",
        "urgency": "soon",
    }
    data.update(overrides)
    return data


def post_public_until_refused(client, limit, address="203.0.113.9"):
    """Sends the public form from one address as often as the limit allows, each one
    accepted, and once more: that last answer."""
    url = reverse("referrals:public-request")
    for _ in range(limit):
        assert client.post(url, public_post(), REMOTE_ADDR=address).status_code == 302
    return client.post(url, public_post(), REMOTE_ADDR=address)
