from datetime import timedelta

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import JsonResponse
from django.urls import reverse_lazy
from django.utils import timezone
from django.views import View
from django.views.generic import DetailView, TemplateView
from django_filters.views import FilterView

from accounts import selectors
from accounts.filters import AgencyFilter, LocalityFilter, TeamFilter, UserFilter
from accounts.forms import ChangePasswordForm, SignInForm
from accounts.models import Agency, Locality, Team, User
from audit.models import AuditAction
from audit.services import record
from audit.views import AuditedDetailMixin, AuditedListMixin
from earlyhelp import access


class SignInView(auth_views.LoginView):
    template_name = "accounts/sign_in.html"
    form_class = SignInForm
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # The timeout warning sends the page here when the session has run out.
        context["timed_out"] = "timed_out" in self.request.GET
        context["timeout_minutes"] = round(settings.SESSION_COOKIE_AGE / 60)
        return context


class ExtendSessionView(View):
    """ "Stay signed in" on the timeout warning: the request itself moves the session's
    expiry on (SESSION_SAVE_EVERY_REQUEST); the answer says how long it now has. It reads
    no record, so it writes no audit event."""

    http_method_names = ["post"]

    def post(self, request):
        if not request.user.is_authenticated:
            return JsonResponse({"detail": "You are signed out. Sign in again."}, status=401)
        request.session.modified = True
        seconds_left = request.session.get_expiry_age()
        expires_at = timezone.now() + timedelta(seconds=seconds_left)
        return JsonResponse(
            {"seconds_left": seconds_left, "expires_at": expires_at.isoformat(timespec="seconds")}
        )


class SignOutView(auth_views.LogoutView):
    pass


class SignedOutView(TemplateView):
    template_name = "accounts/signed_out.html"


class ChangePasswordView(LoginRequiredMixin, auth_views.PasswordChangeView):
    template_name = "accounts/change_password.html"
    form_class = ChangePasswordForm
    success_url = reverse_lazy("home")

    def form_valid(self, form):
        response = super().form_valid(form)
        record(
            actor=self.request.user,
            action=AuditAction.CHANGE,
            obj=self.request.user,
            detail={"fields": ["password"]},
        )
        messages.success(self.request, "Your password has been changed")
        return response


class ServiceUserMixin(LoginRequiredMixin):
    """Signed in, active and holding at least one role."""

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not access.can(
            request.user, access.Permission.USE_SERVICE
        ):
            raise PermissionDenied("Your account has no role yet. Ask your system administrator.")
        return super().dispatch(request, *args, **kwargs)


class _DirectoryList(ServiceUserMixin, AuditedListMixin, FilterView):
    paginate_by = 50
    strict = False
    selector = None

    def get_queryset(self):
        return type(self).selector(self.request.user)


class AgencyListView(_DirectoryList):
    model = Agency
    filterset_class = AgencyFilter
    selector = staticmethod(selectors.agencies_for)
    template_name = "accounts/agency_list.html"


class _DirectoryDetail(ServiceUserMixin, AuditedDetailMixin, DetailView):
    """One record of the directory, named by its uuid, among those `selector` lets the user
    see."""

    slug_field = slug_url_kwarg = "uuid"
    selector = None

    def get_queryset(self):
        return type(self).selector(self.request.user)


class _TeamsOfDetail(_DirectoryDetail):
    """An agency or locality page: its details and its teams."""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        teams = selectors.teams_for(self.request.user)
        context["teams"] = teams.filter(**{self.model._meta.model_name: self.object})
        return context


class AgencyDetailView(_TeamsOfDetail):
    model = Agency
    selector = staticmethod(selectors.agencies_for)
    template_name = "accounts/agency_detail.html"


class LocalityListView(_DirectoryList):
    model = Locality
    filterset_class = LocalityFilter
    selector = staticmethod(selectors.localities_for)
    template_name = "accounts/locality_list.html"


class LocalityDetailView(_TeamsOfDetail):
    model = Locality
    selector = staticmethod(selectors.localities_for)
    template_name = "accounts/locality_detail.html"


class TeamListView(_DirectoryList):
    model = Team
    filterset_class = TeamFilter
    selector = staticmethod(selectors.teams_for)
    template_name = "accounts/team_list.html"


class TeamDetailView(_DirectoryDetail):
    model = Team
    selector = staticmethod(selectors.team_detail_for)
    template_name = "accounts/team_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["may_see_members"] = access.can(
            self.request.user, access.Permission.VIEW_TEAM_MEMBERS, self.object
        )
        return context


class UserListView(_DirectoryList):
    model = User
    filterset_class = UserFilter
    selector = staticmethod(selectors.users_for)
    template_name = "accounts/user_list.html"


class UserDetailView(_DirectoryDetail):
    model = User
    selector = staticmethod(selectors.user_detail_for)
    context_object_name = "colleague"
    template_name = "accounts/user_detail.html"
