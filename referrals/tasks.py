from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string

from outbox.services import done_once


@shared_task(name="referrals.send_request_acknowledgement")
def send_request_acknowledgement(request_pk: int) -> bool:
    """Email the requester their reference and what happens next, once. Returns whether an
    email was sent (not when the requester gave no email address, nor a second time)."""
    from referrals.models import RequestForSupport

    with transaction.atomic():
        request = (
            RequestForSupport.objects.filter(pk=request_pk).select_related("requested_by").first()
        )
        if request is None or not request.requester_email:
            return False
        # Once, even if the job is delivered twice (outbox.services).
        if not done_once(f"referrals.acknowledgement:{request.pk}"):
            return False
        context = {"request_for_support": request, "service_name": settings.SERVICE_NAME}
        send_mail(
            subject=f"We have received your request for support: {request.reference}",
            message=render_to_string("referrals/acknowledgement_email.txt", context),
            from_email=None,
            recipient_list=[request.requester_email],
        )
    return True


@shared_task(name="referrals.send_decision_notification")
def send_decision_notification(request_pk: int) -> bool:
    """Tell the requester the outcome, or that the front door withdrew the request (never
    the case), once. Returns whether an email was sent."""
    from referrals.models import RequestForSupport

    with transaction.atomic():
        request = (
            RequestForSupport.objects.filter(pk=request_pk).select_related("requested_by").first()
        )
        if request is None or request.status not in ("decided", "withdrawn"):
            return False
        email = request.requested_by.email if request.requested_by_id else request.requester_email
        if not email or not done_once(f"referrals.outcome:{request.pk}:{request.status}"):
            return False
        context = {"request_for_support": request, "service_name": settings.SERVICE_NAME}
        send_mail(
            subject=f"Your request for support {request.reference} has been "
            f"{request.get_status_display().lower()}",
            message=render_to_string("referrals/decision_email.txt", context),
            from_email=None,
            recipient_list=[email],
        )
    return True
