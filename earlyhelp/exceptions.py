class ServiceError(Exception):
    """A business rule refused a change. Views show it on the form; the API returns 400.

    `field` names the form or serializer field the message belongs to, when there is one.
    """

    def __init__(self, message, *, field=None):
        super().__init__(message)
        self.message = message
        self.field = field
