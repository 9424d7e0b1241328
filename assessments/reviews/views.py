"""TAF review pages (DESIGN section 5, step 6): record a review of the plan in force, whose
decision the episode services carry out, and read it afterwards.

Thin: the form parses, `assessments.reviews.services` records, selectors read.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from assessments.models import PlanStatus, ReviewDecision
from assessments.plans import selectors as plan_selectors
from assessments.plans import services as plans
from assessments.plans.views import PlanFormPage, to_plan
from assessments.reviews import selectors
from assessments.reviews import services as reviews
from assessments.reviews.forms import ReviewForm
from earlyhelp.pages import CaseWorkerMixin, RecordDetailView

RAG_COLOURS = {"red": "red", "amber": "orange", "green": "green"}


def _url_or_none(name, *args):
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return None


class ReviewRecordView(PlanFormPage):
    template_name = "plans/review_form.html"
    form_class = ReviewForm

    def refuse_unless_ready(self):
        if self.plan.status == PlanStatus.AGREED:
            return None
        messages.error(
            self.request,
            "Reviews are of the plan in force: agree the plan first"
            if self.plan.status == PlanStatus.DRAFT
            else "This version of the plan has been replaced: review the current one",
        )
        return to_plan(self.plan)

    def setup_objects(self):
        self.outcomes = list(plan_selectors.outcomes_of(self.plan).order_by("position", "id"))
        self.default_next_review = plans.next_review_date(timezone.localdate(), self.episode.level)

    def form_kwargs(self):
        return {
            "outcomes": self.outcomes,
            "members": plan_selectors.current_taf_members(self.episode),
            "default_next_review": self.default_next_review,
        }

    def get_context_data(self, **kwargs):
        return super().get_context_data(decisions=ReviewDecision, **kwargs)

    def perform(self, form):
        try:
            review = self.record(form)
        except ValidationError as error:
            raise form.errors_on_fields(error) from error
        messages.success(self.request, self.what_next(review))
        return redirect("plans:review-detail", uuid=review.uuid)

    def record(self, form):
        data = form.cleaned_data
        decision = data["decision"]
        step_up = closure = None
        if decision == ReviewDecision.STEP_UP:
            step_up = reviews.StepUp(
                to_level=data.get("to_level"),
                receiving_team=data.get("receiving_team"),
                evidence=data.get("evidence") or "",
                handover_notes=data.get("handover_notes") or "",
            )
        elif decision in (ReviewDecision.STEP_DOWN, ReviewDecision.CLOSE):
            closure = reviews.Closure(
                reason=data.get("closure_reason") or "",
                summary=data.get("closure_summary") or "",
                outcomes_achieved=data.get("outcomes_achieved") or "",
            )
        continuing = decision == ReviewDecision.CONTINUE
        return reviews.review_record(
            by=self.request.user,
            plan=self.plan,
            held_on=data["held_on"],
            child_views=data["child_views"],
            family_views=data["family_views"],
            progress=form.progress(),
            decision=decision,
            attendees=list(data["attendees"]),
            other_attendees=data["other_attendees"],
            summary=data["summary"],
            decision_reason=data["decision_reason"],
            next_review_on=data["next_review_on"] if continuing else None,
            new_plan_version=continuing and data["new_plan_version"],
            step_up=step_up,
            closure=closure,
        )

    def what_next(self, review):
        match review.decision:
            case ReviewDecision.CONTINUE:
                text = (
                    f"Review recorded. The next review is due on {review.next_review_on:%-d %B %Y}."
                )
                if self.request.POST.get("new_plan_version"):
                    text += " A new version of the plan has been started: change it, then agree it."
                return text
            case ReviewDecision.STEP_UP:
                return (
                    "Review recorded. The step up goes to a manager to approve, then to "
                    "children's social care to accept."
                )
            case ReviewDecision.STEP_DOWN:
                return "Review recorded. The step down goes to a manager to approve."
        return "Review recorded. The closure goes to a manager to approve."


class ReviewDetailView(CaseWorkerMixin, RecordDetailView):
    template_name = "plans/review_detail.html"
    record_selector = staticmethod(selectors.review_detail_for)

    def load(self):
        self.review = self.get_record()

    def shown_records(self):
        return [self.review]

    def render_page(self, **bound):
        review = self.review
        rows = [
            (progress, RAG_COLOURS.get(progress.rag, "grey")) for progress in review.progress.all()
        ]
        context = {
            "review": review,
            "plan": review.plan,
            "episode": review.episode,
            "family": review.episode.family,
            "attendees": list(review.attendees.all()),
            "rows": rows,
            "new_version": review.plans_started.only("uuid", "version", "from_review").first(),
            "transition_url": _url_or_none("transitions:detail", review.transition.uuid)
            if review.transition_id
            else None,
        }
        return render(self.request, self.template_name, context)
