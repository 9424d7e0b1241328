from django.views.generic import TemplateView

from accounts import selectors as account_selectors
from accounts.notifications.services import unread_count
from accounts.views import ServiceUserMixin
from earlyhelp import access
from home import selectors


class HomeView(ServiceUserMixin, TemplateView):
    template_name = "home/home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        me = account_selectors.me(user)
        context["me"] = me
        context["my_teams"] = selectors.teams_of(me)
        if access.has_role(user, *access.PRACTICE_ROLES):
            context["case_counts"] = selectors.case_counts_for(user)
            context["unread_notifications"] = unread_count(user)
        if access.can(user, access.Permission.CONFIGURE):
            context["directory_counts"] = selectors.directory_counts()
        return context
