"""Deciding a request (DESIGN section 5, step 2): the decision form, and the decision as
made. For triage officers; thin: the form parses, `services.request_decide` decides."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.views.generic import TemplateView

from accounts.models import User
from audit.services import record_view
from earlyhelp.pages import RecordMixin, ServiceFormView
from referrals.models import Outcome, Status
from referrals.requests import selectors
from referrals.screening import selectors as screening_selectors
from referrals.screening.decisions import forms, services
from referrals.screening.services import suggested_level
from referrals.screening.views import TriageOfficerMixin, screened_request
from thresholds import selectors as threshold_selectors

# The details each outcome needs, shown under the outcomes in this order.
OUTCOME_FIELDS = {
    Outcome.SIGNPOSTING: ("signposted_to",),
    Outcome.SINGLE_AGENCY: ("single_agency", "single_agency_name"),
    Outcome.TAF: ("locality",),
    Outcome.STEP_UP: ("social_care_reference",),
}


class DecideView(TriageOfficerMixin, ServiceFormView):
    template_name = "referrals/decision_form.html"
    form_class = forms.DecisionForm

    def setup_objects(self):
        self.item = screened_request(self.request.user, self.kwargs["uuid"])
        self.framework = threshold_selectors.current_framework()
        self.indicators = list(self.item.indicators.all())
        self.suggested = suggested_level(self.indicators)

    def get(self, request, *args, **kwargs):
        # A decided request shows its decision instead, and is not read here.
        self.setup_objects()
        if self.item.status == Status.DECIDED:
            messages.info(request, f"{self.item.reference} has already been decided")
            return redirect("referrals:decision", uuid=self.item.uuid)
        record_view(actor=request.user, obj=self.item)
        return self.render_to_response(self.get_context_data())

    def get_initial(self):
        return {"level": self.suggested.pk} if self.suggested else {}

    def form_kwargs(self):
        return {"framework": self.framework}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = context["form"]
        chosen = form["outcome"].value()
        outcome_options = [
            {
                "value": value,
                "label": label,
                "checked": chosen == value,
                "fields": [form[name] for name in OUTCOME_FIELDS.get(value, ())],
            }
            for value, label in Outcome.choices
        ]
        return {
            **context,
            "request_for_support": self.item,
            "outcome_options": outcome_options,
            "framework": self.framework,
            "ticked_indicators": self.indicators,
            "suggested_level": self.suggested,
            "consent_refusal": services.CONSENT_REFUSAL,
        }

    def perform(self, form):
        services.request_decide(by=self.request.user, request=self.item, data=form.decision_input())
        messages.success(self.request, f"{self.item.reference} decided")
        return redirect("referrals:decision", uuid=self.item.uuid)


class DecisionView(TriageOfficerMixin, RecordMixin, TemplateView):
    """The decision as made: outcome, level and why, for the triage officers who screened
    or decided it (the requester sees the outcome on their own request page)."""

    template_name = "referrals/decision_detail.html"
    record_selector = staticmethod(selectors.request_detail_for)

    def get_context_data(self, **kwargs):
        user = self.request.user
        item = self.get_record()
        decision = screening_selectors.decision_for(user, item)
        if decision is None:
            raise Http404("This request has not been decided")
        record_view(actor=user, obj=decision)
        return super().get_context_data(
            request_for_support=item, decision=decision, decided_by=_name(decision.decided_by)
        )


def _name(user: User):
    return user.get_full_name() or user.email
