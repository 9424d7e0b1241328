from audit import context


class AuditContextMiddleware:
    """Makes the request's address and path available to audit.services.record, and writes
    the events kept back until the response was ready (refused reads, audit.context.defer)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = context.set_current(context.context_from_request(request))
        deferred = context.start_deferring()
        try:
            return self.get_response(request)
        finally:
            try:
                context.write_deferred(deferred)
            finally:
                context.reset(token)
