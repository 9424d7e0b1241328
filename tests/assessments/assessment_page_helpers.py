"""Addresses and form data shared by the assessment page tests."""

from django.urls import reverse


def detail(assessment):
    return reverse("assessments:detail", args=[assessment.uuid])


def section_url(item):
    return reverse("assessments:section", args=[item.assessment.uuid, item.uuid])
