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
# Events a request writes only once its response is ready (see defer).
_deferred = ContextVar("audit_deferred_events", default=None)


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


def start_deferring():
    """From now until write_deferred, defer() keeps events back (the middleware, per request)."""
    return _deferred.set([])


def defer(write) -> bool:
    """Keep `write` (a callable writing an event) until the response is ready.

    A refusal is usually followed by an exception that rolls back the view's transaction,
    with anything written in it; the middleware writes these events after the view, outside
    any transaction of the view's (ATOMIC_REQUESTS included). False outside a request: write
    it now.
    """
    pending = _deferred.get()
    if pending is None:
        return False
    pending.append(write)
    return True


def write_deferred(token):
    pending = _deferred.get() or []
    _deferred.reset(token)
    for write in pending:
        write()
