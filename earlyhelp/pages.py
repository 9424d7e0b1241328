"""The page bases shared by every domain's views: case work, and service actions.

Two kinds of page call a service. A form page (`ServiceFormView`) shows the service's
refusal on the form's fields, with what was typed kept. A button (`ServiceActionView`, and
`ConfirmActionView` that asks "Are you sure?" first) has no form to show it on: it goes
back to a page and says what came of it in a message.

A record's own page (an episode's, a meeting's) is a `RecordPage`: it loads the record
through the access policy, and each showing of it, fresh or with a form's errors, is an
audited read. Its small forms are `PageFormAction`s.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.views import View
from django.views.generic import FormView

from accounts.views import ServiceUserMixin
from audit.services import record_view
from earlyhelp import access
from earlyhelp.confirm import confirmation_page
from earlyhelp.exceptions import ServiceError
from earlyhelp.forms import add_service_errors


def perform_if_valid(form, perform):
    """`(True, perform(form))` if the form is valid and the service it calls accepts it;
    otherwise `(False, None)`, with the reasons on the form's fields and what was typed kept.
    For pages with several small forms, each posting to its own address.

    A form that knows better where a refusal belongs has its own `add_service_errors`."""
    if not form.is_valid():
        return False, None
    try:
        return True, perform(form)
    except (ValidationError, ServiceError) as error:
        if hasattr(form, "add_service_errors"):
            form.add_service_errors(error)
        else:
            add_service_errors(form, error)
        return False, None


def refusal_text(error):
    """A service's refusal (a `ServiceError` or a model's `ValidationError`) as one message."""
    if isinstance(error, ServiceError):
        return error.message
    return " ".join(error.messages)


def report_outcome(request, perform):
    """Call `perform()` and say what came of it in a message: the success message it answers
    with, or the service's refusal. True if it succeeded."""
    try:
        message = perform()
    except (ValidationError, ServiceError) as error:
        messages.error(request, refusal_text(error))
        return False
    messages.success(request, message)
    return True


def record_views(user, records):
    """Showing records is a read, and audited."""
    for obj in records:
        record_view(actor=user, obj=obj)


class ServiceFormView(FormView):
    """A page whose form, once valid, calls one service through `perform(form)`.

    GET shows the form; POST validates it. A refusal from the service (a `ServiceError`, or a
    model's `ValidationError`) lands on the form's fields and the page is shown again with
    everything typed kept. Showing the records the page is about is a read, and audited.
    """

    def setup_objects(self):
        """Load the records the page is about (checking access) before the form is built.
        To turn the user away instead (a redirect with the reason), answer with a response."""

    def shown_records(self):
        """Records whose contents the page shows."""
        return []

    def form_kwargs(self):
        """The form's own arguments (a user, a record), besides what was posted."""
        return {}

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), **self.form_kwargs()}

    def get(self, request, *args, **kwargs):
        refusal = self.setup_objects()
        if refusal is not None:
            return refusal
        record_views(request.user, self.shown_records())
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        return self.setup_objects() or super().post(request, *args, **kwargs)

    def form_valid(self, form):
        # Valid already: perform_if_valid only adds the service's refusal to the form.
        succeeded, response = perform_if_valid(form, self.perform)
        return response if succeeded else self.form_invalid(form)

    def perform(self, form):
        """Call the service with what the form parsed; answer with where to go next."""
        raise NotImplementedError


class ServiceActionView(View):
    """A button that posts one action to a service and goes back to a page, saying what came
    of it: the success message `perform()` answers with, or the service's refusal."""

    def setup_objects(self):
        """Load the records the action is on (checking access). To turn the user away
        instead (a redirect with the reason), answer with a response."""

    def perform(self):
        """Call the service; answer with the success message."""
        raise NotImplementedError

    def success_url(self):
        raise NotImplementedError

    def failure_url(self):
        return self.success_url()

    def post(self, request, *args, **kwargs):
        refusal = self.setup_objects()
        if refusal is not None:
            return refusal
        succeeded = report_outcome(request, self.perform)
        return redirect(self.success_url() if succeeded else self.failure_url())


class ConfirmActionView(ServiceActionView):
    """An action that cannot be undone: GET asks "Are you sure?" (see `earlyhelp.confirm`),
    and only the POST from that page acts."""

    def confirmation(self):
        """What the confirmation page asks: `confirmation_page`'s keyword arguments."""
        raise NotImplementedError

    def shown_records(self):
        """Records whose contents the confirmation page shows."""
        return []

    def get(self, request, *args, **kwargs):
        refusal = self.setup_objects()
        if refusal is not None:
            return refusal
        question = self.confirmation()
        record_views(request.user, self.shown_records())
        return confirmation_page(request, **question)


class PageFormAction:
    """One of the several small forms of a page (an episode's, a meeting's), each posting to
    its own address: on success back to the page with a message; otherwise the whole page
    again, with this form's errors and what was typed, an audited read like any showing of
    the page. Mixed into a `RecordPage`, whose `show_page(**bound)` shows the forms in
    `bound` in place of fresh ones."""

    form_key = None  # the context name of the form, to show it again with its errors
    form_class = None
    prefix = None  # the form's prefix on the page, where its field names would clash

    def make_form(self, data):
        return self.form_class(data, prefix=self.prefix)

    def perform(self, form):
        """Call the service with what the form parsed; answer with the success message."""
        raise NotImplementedError

    def success_url(self):
        raise NotImplementedError

    def bound(self, form):
        return {self.form_key: form}

    def submit(self):
        form = self.make_form(self.request.POST)
        succeeded, message = perform_if_valid(form, self.perform)
        if succeeded:
            messages.success(self.request, message)
            return redirect(self.success_url())
        return self.render_invalid(form)

    def render_invalid(self, form):
        return self.show_page(**self.bound(form))


class RecordMixin:
    """For views about the one record their address names (by its uuid)."""

    # The records this user may see, as the view reads them: a selector taking the user.
    record_selector = None

    def get_record(self):
        """The record, through the access policy: 404 for a user who may not see it."""
        user = self.request.user
        return access.get_for_user(user, self.record_selector(user), uuid=self.kwargs["uuid"])


class RecordPage(RecordMixin, View):
    """A page about one record, with several small forms that each post to their own
    address (see `PageFormAction`).

    `load()` fetches the record (`get_record()`) and works out what the user may do with
    it; `render_page(**bound)` builds the page, showing the forms in `bound` in place of
    fresh ones. Every showing of the page, fresh or with a form's errors, is a read of
    `shown_records()`, and audited.
    """

    def load(self):
        raise NotImplementedError

    def shown_records(self):
        """Records whose contents the page shows."""
        raise NotImplementedError

    def render_page(self, **bound):
        raise NotImplementedError

    def show_page(self, **kwargs):
        record_views(self.request.user, self.shown_records())
        return self.render_page(**kwargs)


class RecordDetailView(RecordPage):
    """GET: the record's page."""

    def get(self, request, *args, **kwargs):
        self.load()
        return self.show_page()


class CaseWorkerMixin(ServiceUserMixin):
    """People who work on case records: the practice roles."""

    def dispatch(self, request, *args, **kwargs):
        user = request.user
        if user.is_authenticated and not access.has_role(user, *access.PRACTICE_ROLES):
            raise PermissionDenied("Case records are for practitioners and their managers.")
        return super().dispatch(request, *args, **kwargs)


class FormPage(CaseWorkerMixin, ServiceFormView):
    """A service action's page on case records, for the practice roles."""

    # A form is posted: PUT is refused (405), not taken for a POST as FormView would.
    http_method_names = [name for name in ServiceFormView.http_method_names if name != "put"]


class CreateRecordPage(FormPage):
    """A page that creates a family or person record: for the roles that may."""

    refusal = ""  # why someone whose role may not is turned away

    def dispatch(self, request, *args, **kwargs):
        user = request.user
        if user.is_authenticated and not access.can(user, access.Permission.CREATE_CASE_RECORDS):
            raise PermissionDenied(self.refusal)
        return super().dispatch(request, *args, **kwargs)
