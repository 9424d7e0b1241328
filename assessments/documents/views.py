"""The family's copy of their plan as a PDF: ask for it from the plan page, download it
once made. Asking is for those who may work on the episode; downloading for anyone who may
see the plan. Every download is audited as an export."""

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.views import View

from assessments.documents import services as documents
from assessments.documents.downloads import plan_document_response
from assessments.models import FamilyPlanDocument, FamilyPlanDocumentStatus, Plan
from cases.episodes.forms import ConfirmForm
from earlyhelp import access
from earlyhelp.exceptions import ServiceError
from earlyhelp.pages import CaseWorkerMixin


def plan_url(plan) -> str:
    return reverse("plans:detail", kwargs={"uuid": plan.uuid}) + "#family-plan"


class FamilyPlanRequestView(CaseWorkerMixin, View):
    """POST from the plan page: make the family's copy of the plan in force."""

    def post(self, request, uuid):
        plan = access.get_for_user(request.user, Plan.objects.select_related("episode"), uuid=uuid)
        form = ConfirmForm(request.POST)
        if form.is_valid():
            try:
                document = documents.plan_document_request(by=request.user, plan=plan)
            except ServiceError as error:
                messages.error(request, error.message)
            else:
                # Without a broker the job has already run, once the request committed.
                document.refresh_from_db(fields=["status"])
                if document.status == FamilyPlanDocumentStatus.READY:
                    messages.success(request, "The family plan PDF is ready")
                elif document.status == FamilyPlanDocumentStatus.FAILED:
                    messages.error(request, "The family plan PDF could not be made: try again")
                else:
                    messages.success(request, "The family plan PDF is being prepared")
        return redirect(plan_url(plan))


class FamilyPlanDownloadView(CaseWorkerMixin, View):
    def get(self, request, uuid):
        document = access.get_for_user(
            request.user, FamilyPlanDocument.objects.select_related("plan"), uuid=uuid
        )
        return plan_document_response(request.user, document)
