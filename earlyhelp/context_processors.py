from django.conf import settings


def service(request):
    """The service's name and phase, on every page (the menu: home.context_processors)."""
    return {
        "service_name": settings.SERVICE_NAME,
        "council_name": settings.COUNCIL_NAME,
        "phase": settings.PHASE,
    }
