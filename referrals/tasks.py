from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string


@shared_task(name="referrals.send_request_acknowledgement")
def send_request_acknowledgement(request_pk: int) -> bool:
    """Email the requester their reference and what happens next. Returns whether an
    email was sent (not when the requester gave no email address)."""
    from .models import RequestForSupport

    request = RequestForSupport.objects.filter(pk=request_pk).select_related("requested_by").first()
    if request is None or not request.requester_email:
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
    the case). Returns whether an email was sent."""
    from .models import RequestForSupport

    request = RequestForSupport.objects.filter(pk=request_pk).select_related("requested_by").first()
    if request is None or request.status not in ("decided", "withdrawn"):
        return False
    email = request.requested_by.email if request.requested_by_id else request.requester_email
    if not email:
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
