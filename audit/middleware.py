from . import context


class AuditContextMiddleware:
    """Makes the request's address and path available to audit.services.record."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = context.set_current(context.context_from_request(request))
        try:
            return self.get_response(request)
        finally:
            context.reset(token)
