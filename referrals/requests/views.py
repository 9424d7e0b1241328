"""Pages for asking for support: the professional form, the public form, and the
requester's own view of their requests (status and outcome, never the case)."""

import logging
import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views import View
from django.views.generic import TemplateView

from accounts.views import ServiceUserMixin
from audit.context import client_ip
from audit.services import record_list, record_view
from earlyhelp import access
from earlyhelp.pages import CaseWorkerMixin, RecordMixin, ServiceFormView
from referrals.models import (
    CHILD_ROLES,
    REQUEST_MOVES,
    RequestAttachment,
    RequestForSupport,
    Source,
    Status,
)
from referrals.requests import forms, selectors, services
from referrals.requests.downloads import attachment_response

logger = logging.getLogger(__name__)

SESSION_REFERENCE = "referrals_public_reference"
HONEYPOT_FIELD = "website"
# Letters only, so a decoy never matches a real (numbered) reference.
DECOY_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ"


def public_rate_limit():
    """Submissions allowed per client address per hour (setting REFERRALS_PUBLIC_RATE_LIMIT)."""
    return getattr(settings, "REFERRALS_PUBLIC_RATE_LIMIT", 5)


class RequesterMixin(ServiceUserMixin):
    """Professionals who may ask for support: any practice role."""

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not access.can(
            request.user, access.Permission.SUBMIT_REQUEST
        ):
            raise PermissionDenied("Requests for support are made by practitioners.")
        return super().dispatch(request, *args, **kwargs)


class RequestFormPage(ServiceFormView):
    """The form, the person blocks and the files, validated together; a refusal from the
    service is shown on the form (the people's on the person blocks) with everything typed
    kept (files must be chosen again)."""

    def setup_objects(self):
        self.blocks = forms.person_blocks(
            self.request.POST if self.request.method == "POST" else None
        )

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            person_forms=self.blocks, honeypot_field=HONEYPOT_FIELD, **kwargs
        )

    def post(self, request, *args, **kwargs):
        self.setup_objects()
        form = self.get_form()
        valid = form.is_valid()
        if all([block.is_valid() for block in self.blocks]) and valid:
            return self.form_valid(form)
        if all(block.is_valid() for block in self.blocks) and not any(
            person["role"] in CHILD_ROLES for person in forms.people_data(self.blocks)
        ):
            # Say it now too, not only after the other errors are put right.
            forms.add_people_error(self.blocks, [services.NO_CHILD])
        return self.form_invalid(form)

    def form_invalid(self, form):
        form.ask_for_files_again()
        return super().form_invalid(form)

    def perform(self, form):
        try:
            return self.submit(form)
        except ValidationError as error:
            people = error.message_dict.get("people") if hasattr(error, "error_dict") else None
            if not people:
                raise
            # The people's errors go on the person blocks, the rest on the form.
            forms.add_people_error(self.blocks, people)
            raise ValidationError(
                {k: v for k, v in error.message_dict.items() if k != "people"}
            ) from error

    def call_service(self, form, **extra):
        return services.request_submit(
            people=forms.people_data(self.blocks),
            presenting_needs=form.cleaned_data["presenting_needs"],
            attachments=form.files_chosen(),
            **form.service_fields(),
            **extra,
        )


class RequestCreateView(RequesterMixin, RequestFormPage):
    template_name = "referrals/request_form.html"
    form_class = forms.ProfessionalRequestForm

    def form_kwargs(self):
        return {"user": self.request.user}

    def submit(self, form):
        request_for_support = self.call_service(
            form, by=self.request.user, source=Source.PROFESSIONAL
        )
        messages.success(
            self.request,
            f"Request for support sent. Your reference is {request_for_support.reference}",
        )
        return redirect("referrals:request-detail", uuid=request_for_support.uuid)


class PublicRequestView(RequestFormPage):
    """For parents, carers and young people: no sign-in, rate-limited per address, with
    a honeypot against spam."""

    template_name = "referrals/public_form.html"
    form_class = forms.PublicRequestForm

    def _rate_key(self):
        return f"referrals:public-requests:{client_ip(self.request) or 'unknown'}"

    def _submissions_this_hour(self):
        try:
            return cache.get(self._rate_key()) or 0
        except Exception:
            # The cache (Redis) is down: count this address's saved requests in the audit
            # log instead. A parent's request is never refused because of the cache.
            logger.warning("Cache unavailable: public requests counted in the database")
            return services.public_requests_saved_since(
                timezone.now() - timedelta(hours=1), ip_address=client_ip(self.request)
            )

    def post(self, request, *args, **kwargs):
        if self._submissions_this_hour() >= public_rate_limit():
            return render(request, "referrals/public_too_many.html", status=429)
        if request.POST.get(HONEYPOT_FIELD, "").strip():
            # A bot filled the field people cannot see: pretend it worked, save nothing.
            self._count_submission()
            decoy = "".join(secrets.choice(DECOY_ALPHABET) for _ in range(6))
            return self._confirm(f"EH-{timezone.localdate().year}-{decoy}")
        return super().post(request, *args, **kwargs)

    def _count_submission(self):
        key = self._rate_key()
        try:
            cache.add(key, 0, timeout=60 * 60)
            try:
                cache.incr(key)
            except ValueError:  # expired between add and incr
                cache.set(key, 1, timeout=60 * 60)
        except Exception:
            # Without the cache the count comes from the audit log (_submissions_this_hour).
            logger.warning("Cache unavailable: public request not counted in the cache")

    def _confirm(self, reference):
        # The reference is kept in the session, not the address, so nobody can list
        # references by trying addresses.
        self.request.session[SESSION_REFERENCE] = reference
        return redirect("referrals:public-sent")

    def submit(self, form):
        request_for_support = self.call_service(form, by=None, source=form.cleaned_data["source"])
        self._count_submission()
        return self._confirm(request_for_support.reference)


class PublicSentView(TemplateView):
    template_name = "referrals/public_sent.html"

    def get(self, request, *args, **kwargs):
        reference = request.session.get(SESSION_REFERENCE)
        if not reference:
            return redirect("referrals:public-request")
        return self.render_to_response({"reference": reference})


class RequestListView(RequesterMixin, TemplateView):
    template_name = "referrals/request_list.html"

    def get_context_data(self, **kwargs):
        requests = selectors.own_requests_for(self.request.user)
        page = Paginator(requests, 50).get_page(self.request.GET.get("page"))
        record_list(actor=self.request.user, model=RequestForSupport, objects=page.object_list)
        return super().get_context_data(page_obj=page, **kwargs)


class RequestDetailView(RequesterMixin, RecordMixin, TemplateView):
    template_name = "referrals/request_detail.html"
    record_selector = staticmethod(selectors.request_detail_for)

    def get_context_data(self, **kwargs):
        request_for_support = self.get_record()
        record_view(actor=self.request.user, obj=request_for_support)
        # The requester may withdraw it while it can still become withdrawn.
        can_withdraw = request_for_support.requested_by_id == self.request.user.pk and (
            REQUEST_MOVES.can_move(request_for_support, Status.WITHDRAWN)
        )
        return super().get_context_data(
            request_for_support=request_for_support, can_withdraw=can_withdraw, **kwargs
        )


class AttachmentDownloadView(ServiceUserMixin, View):
    """A file sent with a request, to those who may see the request. Files are kept
    outside the web root and only ever served through here, as downloads."""

    def get(self, request, uuid, pk):
        attachment = access.get_for_user(
            request.user,
            RequestAttachment.objects.select_related("request"),
            request__uuid=uuid,
            pk=pk,
        )
        return attachment_response(request.user, attachment)


class WithdrawView(CaseWorkerMixin, ServiceFormView):
    """Withdraw a request not yet decided: its requester, or a triage officer."""

    template_name = "referrals/withdraw.html"
    form_class = forms.WithdrawForm

    def setup_objects(self):
        self.request_for_support = access.get_for_user(
            self.request.user, selectors.requests_for(self.request.user), uuid=self.kwargs["uuid"]
        )

    def shown_records(self):
        return [self.request_for_support]

    def get_context_data(self, **kwargs):
        return super().get_context_data(request_for_support=self.request_for_support, **kwargs)

    def perform(self, form):
        withdrawn = services.request_withdraw(
            by=self.request.user,
            request=self.request_for_support,
            reason=form.cleaned_data["withdrawn_reason"],
        )
        messages.success(self.request, f"{withdrawn.reference} withdrawn")
        if withdrawn.requested_by_id == self.request.user.pk:
            return redirect("referrals:request-detail", uuid=withdrawn.uuid)
        return redirect("referrals:triage-queue")
