from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache


@never_cache
def health(request):
    """For the load balancer and docker-compose: the process is up and the database answers."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


def _is_api(request):
    return request.path.startswith("/api/")


def _error(request, status, title, message):
    if _is_api(request):
        return JsonResponse(
            {"status": status, "code": title.lower().replace(" ", "_"), "message": message},
            status=status,
        )
    return render(
        request,
        "errors/error.html",
        {"title": title, "message": message, "status": status},
        status=status,
    )


def bad_request(request, exception=None):
    return _error(request, 400, "Bad request", "The request could not be understood.")


def permission_denied(request, exception=None):
    message = (
        str(exception)
        if exception and str(exception)
        else ("You do not have permission to do this. If you think you should, ask your manager.")
    )
    return _error(request, 403, "You do not have permission", message)


def page_not_found(request, exception=None):
    return _error(
        request,
        404,
        "Page not found",
        "If you typed the web address, check it is correct. If you followed a link, the "
        "record may not exist or you may not have access to it.",
    )


def server_error(request):
    return _error(
        request,
        500,
        "Sorry, there is a problem with the service",
        "Try again later. What you entered has not been saved.",
    )


def csrf_failure(request, reason=""):
    return _error(
        request,
        403,
        "Your form could not be sent",
        "This can happen if the page was open for a long time or you signed out in another "
        "tab. Go back, refresh the page and try again.",
    )
