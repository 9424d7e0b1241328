"""Early Help Assessment pages (DESIGN section 5, step 4): start one, the task list of its
sections, a section's form, the manager's decision, and two versions side by side.

Thin: forms parse, services change, selectors read. A section saves before it checks
completeness, so every outcome of a save re-shows what was typed, with the revision now
saved so that saving again works.
"""

import functools

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views import View

from assessments.assessments import forms, selectors, services
from assessments.models import ASSESSMENT_MOVES, Assessment, AssessmentSection, AssessmentStatus
from audit.services import record_view
from cases.episodes.forms import ConfirmForm
from cases.models import Episode
from earlyhelp import access
from earlyhelp.exceptions import ServiceError
from earlyhelp.pages import (
    CaseWorkerMixin,
    FormPage,
    PageFormAction,
    RecordDetailView,
    RecordPage,
)
from earlyhelp.services import require

Permission = access.Permission


class StartView(FormPage):
    """Choose the children and the parents or carers the assessment covers."""

    template_name = "assessments/start.html"
    form_class = forms.StartForm

    def setup_objects(self):
        user = self.request.user
        self.episode = access.get_for_change(
            user,
            Episode.objects.select_related("family"),
            Permission.WORK_ON_EPISODE,
            uuid=self.kwargs["uuid"],
        )

    def shown_records(self):
        return [self.episode]

    def form_kwargs(self):
        return {"family": self.episode.family}

    def get_context_data(self, **kwargs):
        return super().get_context_data(episode=self.episode, family=self.episode.family, **kwargs)

    def perform(self, form):
        assessment = services.assessment_start(
            by=self.request.user,
            episode=self.episode,
            children=list(form.cleaned_data["children"]),
            adults=list(form.cleaned_data["adults"]),
        )
        messages.success(self.request, "Assessment started")
        return redirect("assessments:detail", uuid=assessment.uuid)


# The task list and the decisions on it


class AssessmentPage(CaseWorkerMixin, RecordPage):
    template_name = "assessments/assessment_detail.html"
    record_selector = staticmethod(selectors.assessment_detail_for)

    def load(self):
        user = self.request.user
        self.assessment = self.get_record()
        episode = self.assessment.episode
        self.may_work = access.can(user, Permission.WORK_ON_EPISODE, episode)
        self.may_manage = access.can(user, Permission.MANAGE_EPISODE, episode)

    def shown_records(self):
        return [self.assessment]

    def render_page(self, **bound):
        user, assessment = self.request.user, self.assessment
        sections = list(assessment.sections.all())
        complete = sum(1 for section in sections if section.completed)
        submitted = assessment.status == AssessmentStatus.SUBMITTED
        approved = assessment.status == AssessmentStatus.APPROVED
        newer = (
            Assessment.objects.filter(previous=assessment).only("uuid", "version").first()
            if approved
            else None
        )
        deciding = self.may_manage and submitted and assessment.submitted_by_id != user.pk
        can_move = functools.partial(ASSESSMENT_MOVES.can_move, assessment)
        actions = {
            "submit": self.may_work
            and can_move(AssessmentStatus.SUBMITTED)
            and complete == len(sections),
            "approve": deciding and can_move(AssessmentStatus.APPROVED),
            "return": deciding and can_move(AssessmentStatus.RETURNED),
            "new_version": self.may_work and approved and newer is None,
        }
        page_forms = {
            "submit": bound.get("submit") or ConfirmForm(prefix="submit"),
            "approve": bound.get("approve") or ConfirmForm(prefix="approve"),
            "return": bound.get("return") or forms.ReturnForm(prefix="return"),
            "new_version": bound.get("new_version") or ConfirmForm(prefix="new-version"),
        }
        read_only = not (assessment.is_editable and self.may_work)
        context = {
            "assessment": assessment,
            "episode": assessment.episode,
            "family": assessment.episode.family,
            "groups": selectors.task_groups(
                assessment,
                sections,
                with_answers=not assessment.is_editable,
                levels=selectors.current_levels() if not assessment.is_editable else (),
            ),
            "read_only": read_only,
            "complete": complete,
            "total": len(sections),
            "actions": actions,
            "forms": page_forms,
            "error_forms": [form for form in bound.values() if form.errors],
            "submitted_by_you": self.may_manage and submitted and not deciding,
            "newer": newer,
        }
        return render(self.request, self.template_name, context)


class AssessmentDetailView(AssessmentPage, RecordDetailView):
    """The assessment's task list."""


class AssessmentActionView(PageFormAction, AssessmentPage):
    """POST one of the task list's forms: on success to the task list of the assessment the
    service answers with (for a new version, the new one), else the page again."""

    form_class = ConfirmForm
    # Asked before the form is read, so a user who may not do this gets 403, not the form
    # back with errors; the service asks again (it is the authority).
    required = None
    # Called with the assessment and what the form parsed; answers with an assessment.
    service = None
    done = ""  # the success message

    def post(self, request, uuid):
        self.load()
        if self.required is not None:
            require(request.user, self.required, self.assessment.episode)
        return self.submit()

    def perform(self, form):
        self.result = self.service(
            by=self.request.user, assessment=self.assessment, **form.cleaned_data
        )
        return self.done

    def success_url(self):
        return reverse("assessments:detail", kwargs={"uuid": self.result.uuid})


class SubmitView(AssessmentActionView):
    form_key = prefix = "submit"
    service = staticmethod(services.assessment_submit)
    done = "Assessment submitted for approval"


class ApproveView(AssessmentActionView):
    form_key = prefix = "approve"
    service = staticmethod(services.assessment_approve)
    done = "Assessment approved"


class ReturnView(AssessmentActionView):
    form_key = prefix = "return"
    form_class = forms.ReturnForm
    required = Permission.MANAGE_EPISODE
    service = staticmethod(services.assessment_return)
    done = "Assessment returned to the lead professional"


class NewVersionView(AssessmentActionView):
    form_key, prefix = "new_version", "new-version"
    service = staticmethod(services.assessment_new_version)

    def perform(self, form):
        super().perform(form)
        return f"Version {self.result.version} started from version {self.result.version - 1}"


# A section


class SectionView(FormPage):
    """A section's questions; a reader, or anyone once the assessment is submitted, sees the
    answers instead. A save over someone else's shows the form again with the reason."""

    template_name = "assessments/section_form.html"
    form_class = forms.SectionForm
    stale = False

    def setup_objects(self):
        user = self.request.user
        self.assessment = access.get_for_user(
            user, selectors.assessments_for(user), uuid=self.kwargs["uuid"]
        )
        self.section = access.get_for_user(
            user,
            selectors.sections_for(user).filter(assessment=self.assessment),
            uuid=self.kwargs["section_uuid"],
        )
        try:
            self.section_spec = services.section_spec_for(self.assessment, self.section)
        except ServiceError as error:
            raise Http404(str(error)) from error
        self.may_work = access.can(user, Permission.WORK_ON_EPISODE, self.assessment.episode)
        self.levels = selectors.current_levels()
        if self.request.method == "POST":
            return self.refuse_change()
        return None

    def refuse_change(self):
        """403 for a reader; a redirect with the reason when the assessment can no longer
        change; else None."""
        if not self.may_work:
            raise PermissionDenied("Only the lead professional can write the assessment")
        if self.assessment.is_editable:
            return None
        messages.error(
            self.request,
            f"This assessment is {self.assessment.get_status_display().lower()}: "
            "it cannot be changed"
            + (
                ". Start a new version to change it."
                if self.assessment.status == AssessmentStatus.APPROVED
                else " until the manager decides."
            ),
        )
        return redirect(
            "assessments:section", uuid=self.assessment.uuid, section_uuid=self.section.uuid
        )

    def shown_records(self):
        return [self.section]

    def get_form(self, form_class=None):
        if not (self.assessment.is_editable and self.may_work):
            return None
        return super().get_form(form_class)

    def get_initial(self):
        return forms.SectionForm.initial_from(self.section)

    def form_kwargs(self):
        kwargs = {
            "section_spec": self.section_spec,
            "person": self.section.person,
            "levels": self.levels,
        }
        if self.request.method == "POST":
            kwargs["data"] = self.request.POST.copy()  # its revision is updated if shown again
        return kwargs

    def get_context_data(self, **kwargs):
        levels_by_uuid = {str(level.uuid): level for level in self.levels}
        return super().get_context_data(
            assessment=self.assessment,
            family=self.assessment.episode.family,
            section=self.section,
            section_spec=self.section_spec,
            name=selectors.section_name(self.section_spec, self.section),
            status=selectors.section_status(self.section),
            stale=self.stale,
            answers=selectors.answer_rows(self.section_spec, self.section.answers, levels_by_uuid),
            **kwargs,
        )

    def perform(self, form):
        complete = self.request.POST.get("complete") == "yes"
        try:
            services.assessment_section_save(
                by=self.request.user,
                section=self.section,
                answers=form.answers(self.section.answers),
                expected_revision=form.cleaned_data["revision"],
                complete=complete,
            )
        except ServiceError:
            self.stale = True  # someone saved it since: their answers are shown
            raise
        messages.success(
            self.request,
            f"{'Completed' if complete else 'Saved'}: "
            f"{selectors.section_name(self.section_spec, self.section)}",
        )
        return redirect("assessments:detail", uuid=self.assessment.uuid)

    def form_invalid(self, form):
        # Whatever happened, the page shows what was typed, at the revision now saved (the
        # service may have saved it, or someone else may have), so saving again works.
        self.section = AssessmentSection.objects.select_related("person", "updated_by").get(
            pk=self.section.pk
        )
        form.data["revision"] = str(self.section.revision)
        return super().form_invalid(form)


# Two versions side by side


class CompareView(CaseWorkerMixin, View):
    template_name = "assessments/compare.html"

    def get(self, request, uuid):
        user = request.user
        assessment = access.get_for_user(user, selectors.assessment_detail_for(user), uuid=uuid)
        previous = assessment.previous
        if previous is None:
            raise Http404("This is the first version of the assessment")
        record_view(actor=user, obj=assessment)
        record_view(actor=user, obj=previous)
        compared = selectors.compare(
            assessment,
            list(assessment.sections.all()),
            selectors.sections_for(user).filter(assessment=previous).order_by("position", "id"),
            selectors.current_levels(),
        )
        context = {
            "assessment": assessment,
            "previous": previous,
            "family": assessment.episode.family,
            "sections": compared,
            "changes": sum(section.changes for section in compared),
        }
        return render(request, self.template_name, context)
