"""The page bases shared by every domain's views: case work, and service actions."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.views.generic import FormView

from accounts.views import ServiceUserMixin
from audit.services import record_view
from earlyhelp import access
from earlyhelp.exceptions import ServiceError
from earlyhelp.forms import add_service_errors


def perform_if_valid(form, perform):
    """`(True, perform(form))` if the form is valid and the service it calls accepts it;
    otherwise `(False, None)`, with the reasons on the form's fields and what was typed kept.
    For pages with several small forms, each posting to its own address."""
    if not form.is_valid():
        return False, None
    try:
        return True, perform(form)
    except (ValidationError, ServiceError) as error:
        add_service_errors(form, error)
        return False, None


class ServiceFormView(FormView):
    """A page whose form, once valid, calls one service through `perform(form)`.

    GET shows the form; POST validates it. A refusal from the service (a `ServiceError`, or a
    model's `ValidationError`) lands on the form's fields and the page is shown again with
    everything typed kept. Showing the records the page is about is a read, and audited.
    """

    def setup_objects(self):
        """Load the records the page is about (checking access) before the form is built."""

    def shown_records(self):
        """Records whose contents the page shows."""
        return []

    def form_kwargs(self):
        """The form's own arguments (a user, a record), besides what was posted."""
        return {}

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), **self.form_kwargs()}

    def get(self, request, *args, **kwargs):
        self.setup_objects()
        for obj in self.shown_records():
            record_view(actor=request.user, obj=obj)
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        self.setup_objects()
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        # Valid already: perform_if_valid only adds the service's refusal to the form.
        succeeded, response = perform_if_valid(form, self.perform)
        return response if succeeded else self.form_invalid(form)

    def perform(self, form):
        """Call the service with what the form parsed; answer with where to go next."""
        raise NotImplementedError


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
