"""Allocation meeting pages (DESIGN section 5, step 3 "Allocate"): the list, scheduling,
the meeting page (attendees, agenda with a decision per item, minutes) and its PDFs.

The meeting page is one page with several small forms; each posts to its own address, and
a form with errors re-renders the whole page with that form's errors and typed values.
Thin: forms parse, services in cases/services/meetings.py change, selectors read."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views import View
from django.views.generic import TemplateView

from audit.models import AuditAction
from audit.services import record, record_list
from cases.meetings import forms, selectors, services
from cases.meetings import pdf as meeting_pdf
from cases.models import AgendaItem, AgendaReason, AllocationMeeting, Episode
from earlyhelp import access
from earlyhelp.pages import (
    CaseWorkerMixin,
    FormPage,
    PageFormAction,
    RecordDetailView,
    RecordPage,
    report_outcome,
)

Permission = access.Permission
LIST_PAGE_SIZE = 25


def _meeting_for(user, uuid):
    return access.get_for_user(user, selectors.meeting_detail_for(user), uuid=uuid)


def _waited(since, now):
    days = (now - since).days
    if days < 1:
        return "Less than a day"
    if days < 14:
        return f"{days} day{'s' if days != 1 else ''}"
    weeks = days // 7
    return f"{weeks} weeks"


def _agenda_rows(user, meeting):
    """Each item with whether the user may see its family (one query for the whole agenda).
    The record of an item (its family, why it is here, the decision, its notes and the
    minute of the discussion) is for those who may see the family: for the others the
    templates show only its position, the kind of reason and whether it was decided."""
    visible = selectors.visible_episode_ids(user, meeting)
    now = timezone.now()
    rows = []
    for item in selectors.agenda_of(meeting):
        shown = item.episode_id in visible
        rows.append(
            {
                "item": item,
                "episode": item.episode if shown else None,
                "shown": shown,
                "step_down": item.reason == AgendaReason.STEP_DOWN,
                "waited": _waited(item.episode.opened_at, now) if shown else "",
            }
        )
    return rows


def _audit_agenda_read(user, meeting, rows):
    shown = [row["episode"] for row in rows if row["shown"]]
    if shown:
        record_list(
            actor=user, model=Episode, objects=shown, filters={"meeting": str(meeting.uuid)}
        )


class MeetingListView(CaseWorkerMixin, TemplateView):
    template_name = "meetings/meeting_list.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        page = Paginator(selectors.meetings_for(user), LIST_PAGE_SIZE).get_page(
            self.request.GET.get("page")
        )
        record_list(actor=user, model=AllocationMeeting, objects=page.object_list)
        return super().get_context_data(
            page_obj=page,
            now=timezone.now(),
            may_schedule=bool(access.managed_locality_ids(user)),
            **kwargs,
        )


class MeetingScheduleView(FormPage):
    template_name = "meetings/meeting_form.html"
    form_class = forms.ScheduleForm

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not access.managed_locality_ids(request.user):
            raise PermissionDenied("Allocation meetings are scheduled by locality managers.")
        return super().dispatch(request, *args, **kwargs)

    def form_kwargs(self):
        return {"user": self.request.user}

    def perform(self, form):
        data = form.cleaned_data
        meeting = services.meeting_schedule(
            by=self.request.user,
            locality=data["locality"],
            starts_at=form.starts_at(),
            chair=data["chair"],
            venue=data["venue"].strip(),
        )
        count = meeting.agenda_items.count()
        messages.success(
            self.request,
            f"Meeting scheduled: {count} item{'s' if count != 1 else ''} on the agenda",
        )
        return redirect("meetings:detail", uuid=meeting.uuid)


class MeetingPage(CaseWorkerMixin, RecordPage):
    """Builds the meeting page; the views that post a form re-render it on errors."""

    template_name = "meetings/meeting_detail.html"
    record_selector = staticmethod(selectors.meeting_detail_for)

    def load(self):
        self.meeting = self.get_record()
        self.may_run = access.can(self.request.user, Permission.RUN_MEETING, self.meeting)
        self.may_read_minutes = access.can(
            self.request.user, Permission.VIEW_MEETING_MINUTES, self.meeting
        )
        self.can_change = self.may_run and not self.meeting.is_held

    def shown_records(self):
        return [self.meeting]

    def render_page(self, **bound):
        user = self.request.user
        meeting = self.meeting
        attendees = list(selectors.attendees_of(meeting))
        rows = _agenda_rows(user, meeting)
        decision_forms = bound.get("decision_forms", {})
        if self.can_change:
            choices = selectors.DecisionChoices(meeting)
            for row in rows:
                item = row["item"]
                if not item.is_decided:
                    row["form"] = decision_forms.get(item.pk) or forms.DecisionForm(
                        item=item, choices=choices
                    )
        context = {
            "meeting": meeting,
            "may_run": self.may_run,
            "may_read_minutes": self.may_read_minutes,
            "can_change": self.can_change,
            "present": [a for a in attendees if a.attendance == "present"],
            "apologies": [a for a in attendees if a.attendance == "apologies"],
            "attendees": attendees,
            "rows": rows,
            "undecided": sum(1 for row in rows if not row["item"].is_decided),
            "attendee_form": bound.get("attendee_form") or forms.AttendeeForm(),
            "minutes_form": bound.get("minutes_form")
            or forms.MinutesForm(initial={"minutes": meeting.minutes}),
        }
        context["error_forms"] = [
            form
            for form in [
                context["attendee_form"],
                context["minutes_form"],
                *decision_forms.values(),
            ]
            if form.is_bound
        ]
        _audit_agenda_read(user, meeting, rows)
        return render(self.request, self.template_name, context)


class MeetingDetailView(MeetingPage, RecordDetailView):
    """The meeting page."""


class MeetingChangeView(MeetingPage):
    """POST a change to the meeting: only those who run it, and only before it is held."""

    def post(self, request, uuid, **kwargs):
        self.load()
        if not self.may_run:
            raise PermissionDenied("Only the locality's managers and the chair run its meetings")
        if self.meeting.is_held:
            messages.error(
                request, "The minutes of this meeting are complete: it can no longer change"
            )
            return self.back()
        return self.change()

    def change(self):
        raise NotImplementedError

    def back(self, anchor=""):
        return redirect(f"{self.meeting_url()}{anchor}")

    def meeting_url(self):
        return reverse("meetings:detail", kwargs={"uuid": self.meeting.uuid})


class MeetingFormView(PageFormAction, MeetingChangeView):
    """One of the meeting page's forms: on success back to the page, else show it."""

    anchor = ""

    def change(self):
        return self.submit()

    def success_url(self):
        return f"{self.meeting_url()}{self.anchor}"


class RefreshAgendaView(MeetingChangeView):
    def change(self):
        report_outcome(self.request, self.build_agenda)
        return self.back("#agenda")

    def build_agenda(self):
        added = services.meeting_build_agenda(by=self.request.user, meeting=self.meeting)
        return f"{added} item{'s' if added != 1 else ''} added to the agenda"


class AttendeeAddView(MeetingFormView):
    form_key = "attendee_form"
    form_class = forms.AttendeeForm
    anchor = "#attendees"

    def perform(self, form):
        attendee = services.meeting_attendee_add(
            by=self.request.user, meeting=self.meeting, **form.service_fields()
        )
        return f"{attendee.display_name} added"


class AttendeeRemoveView(MeetingChangeView):
    def change(self):
        attendee = get_object_or_404(
            self.meeting.attendees.select_related("user"), pk=self.kwargs["pk"]
        )

        def remove():
            name = attendee.display_name
            services.meeting_attendee_remove(by=self.request.user, attendee=attendee)
            return f"{name} removed"

        report_outcome(self.request, remove)
        return self.back("#attendees")


class ItemDecideView(MeetingFormView):
    def load(self):
        super().load()
        self.item = get_object_or_404(
            AgendaItem.objects.filter(meeting=self.meeting).select_related("episode__family"),
            uuid=self.kwargs["item_uuid"],
        )
        self.anchor = f"#item-{self.item.uuid}"

    def change(self):
        if self.item.is_decided:
            messages.error(
                self.request,
                f"This item was already decided: {self.item.get_decision_display().lower()}",
            )
            return self.back(self.anchor)
        return super().change()

    def make_form(self, data):
        return forms.DecisionForm(
            data=data, item=self.item, choices=selectors.DecisionChoices(self.meeting)
        )

    def bound(self, form):
        return {"decision_forms": {self.item.pk: form}}

    def perform(self, form):
        item = services.agenda_item_decide(
            by=self.request.user, item=self.item, **form.service_fields()
        )
        return f"Decision recorded: {item.get_decision_display().lower()}"


class MinutesView(MeetingFormView):
    form_key = "minutes_form"
    form_class = forms.MinutesForm
    anchor = "#minutes"

    def perform(self, form):
        complete = self.request.POST.get("action") == "complete"
        services.meeting_record_minutes(
            by=self.request.user,
            meeting=self.meeting,
            minutes=form.cleaned_data["minutes"],
            complete=complete,
        )
        return "Minutes completed: the meeting is held" if complete else "Minutes saved"


# PDFs


class MeetingPdfView(CaseWorkerMixin, View):
    kind = None  # "agenda" or "minutes"

    def get(self, request, uuid):
        user = request.user
        meeting = _meeting_for(user, uuid)
        attendees = list(selectors.attendees_of(meeting))
        rows = _agenda_rows(user, meeting)
        context = meeting_pdf.meeting_context(
            meeting,
            attendees,
            rows,
            show_minutes=access.can(user, Permission.VIEW_MEETING_MINUTES, meeting),
        )
        html = (
            meeting_pdf.agenda_html(context)
            if self.kind == "agenda"
            else meeting_pdf.minutes_html(context)
        )
        pdf = meeting_pdf.html_to_pdf(html)
        record(actor=user, action=AuditAction.PRINT, obj=meeting, detail={"document": self.kind})
        _audit_agenda_read(user, meeting, rows)
        day = timezone.localtime(meeting.starts_at)
        filename = f"{self.kind}-{meeting.locality.code}-{day:%Y-%m-%d}.pdf"
        response = HttpResponse(pdf, content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        response["Cache-Control"] = "no-store"
        return response
