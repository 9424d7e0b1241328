"""Where the current request came from, so services can audit without being handed it."""

from contextvars import ContextVar
from dataclasses import dataclass

from django.conf import settings


@dataclass(frozen=True)
class RequestContext:
    ip_address: str | None = None
    user_agent: str = ""
    path: str = ""


_current = ContextVar("audit_request_context", default=None)


def client_ip(request):
    """The client's address. X-Forwarded-For is trusted only for PROXY_COUNT hops."""
    proxies = getattr(settings, "AXES_IPWARE_PROXY_COUNT", None) or 0
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if proxies and forwarded:
        hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
        if len(hops) >= proxies:
            return hops[-proxies]
    return request.META.get("REMOTE_ADDR") or None


def context_from_request(request):
    return RequestContext(
        ip_address=client_ip(request),
        user_agent=request.META.get("HTTP_USER_AGENT", "")[:300],
        path=request.get_full_path()[:500],
    )


def current():
    """The request being served, or an empty context in a task or command."""
    return _current.get() or RequestContext()


def set_current(context):
    return _current.set(context)


def reset(token):
    _current.reset(token)
