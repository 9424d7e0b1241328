"""The public 'thresholds of need' page: no sign-in, the framework is public information."""

from django.http import Http404
from django.views.generic import TemplateView

from thresholds import selectors


class FrameworkPageMixin:
    template_name = "thresholds/framework.html"

    def framework(self):
        raise NotImplementedError

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        framework = self.framework()
        context["framework"] = framework
        context["sections"] = selectors.sections(framework) if framework else []
        context["versions"] = list(selectors.published_frameworks())
        return context


class CurrentFrameworkView(FrameworkPageMixin, TemplateView):
    def framework(self):
        return selectors.current_framework()


class FrameworkVersionView(FrameworkPageMixin, TemplateView):
    def framework(self):
        framework = selectors.published_framework(self.kwargs["uuid"])
        if framework is None:
            raise Http404("No published framework version has that identifier.")
        return framework
