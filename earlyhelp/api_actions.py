"""The API base for service actions, shared by every domain's viewsets.

An action is a POST on a record the user may see: ask the access policy before reading the
body (so a refusal never depends on what was sent), parse the body, call one service, answer
with the record as it now is. `service_action` writes those steps and the schema once, and
`service_create` the same for a create whose body is not the record's serializer.
"""

import functools

from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, status
from rest_framework.decorators import action
from rest_framework.response import Response

from earlyhelp import access


class ServiceActionMixin:
    """For a viewset whose actions (and create, with `service_create`) each call one service.

    `detail_serializer_class` is what an action answers with unless it says otherwise;
    `detail_object(obj)` re-reads the record for that answer (the user has just acted on it:
    it is shown even if it has now left their view).
    """

    detail_serializer_class = None

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        for name, member in list(vars(cls).items()):
            spec = getattr(member, "service_action", None)
            if spec is not None and not spec["schema_applied"]:
                respond = spec["respond"] or cls.detail_serializer_class
                if spec["status_code"] != 200 and not isinstance(respond, dict):
                    respond = {spec["status_code"]: respond}
                setattr(cls, name, extend_schema(responses=respond, **spec["schema"])(member))
                spec["schema_applied"] = True

    def parse_body(self, serializer_class, **kwargs):
        serializer = serializer_class(
            data=self.request.data, context=self.get_serializer_context(), **kwargs
        )
        serializer.is_valid(raise_exception=True)
        return dict(serializer.validated_data)

    def detail_object(self, obj):
        return obj

    def detail_data(self, obj):
        """The record as it now is, as an answer shows it."""
        serializer_class = self.detail_serializer_class
        return serializer_class(self.detail_object(obj), context=self.get_serializer_context()).data

    def detail_response(self, obj, status_code=200, serializer_class=None):
        """The record as it now is, or `obj` through another serializer (another record)."""
        if serializer_class is None:
            return Response(self.detail_data(obj), status=status_code)
        data = serializer_class(obj, context=self.get_serializer_context()).data
        return Response(data, status=status_code)


def conflict_response(message, **current):
    """409: someone saved the record since the revision the client started from. `current`
    names the record as it now is, so the client can show both and save again."""
    body = {"status": status.HTTP_409_CONFLICT, "code": "conflict", "message": message, **current}
    return Response(body, status=status.HTTP_409_CONFLICT)


def require_before_body(user, permission, obj, refusal=None):
    """Refuse before the body is read. With no `refusal` message the policy's own (audited)
    refusal is used; the service asks again, since it is the authority."""
    if refusal is None:
        access.require(user, permission, obj)
    elif not access.can(user, permission, obj):
        raise exceptions.PermissionDenied(refusal)


def service_action(
    summary,
    *,
    body=None,
    respond=None,
    permission=None,
    permission_on=None,
    refusal=None,
    status_code=200,
    description="",
    url_path=None,
    **options,
):
    """Make `perform(self, request, obj, **body)` a POST action on the record at the URL.

    `perform` calls one service and returns the record to answer with (None: the record at
    the URL). `permission` is asked of `permission_on(obj)` (default: the record) before the
    body is read; `body` is the serializer that parses it; `respond` the answer's schema
    (default: the viewset's `detail_serializer_class`). Other `options` (such as
    `permission_classes`) go to DRF's `action`.
    """

    def decorate(perform):
        @functools.wraps(perform)
        def handle(self, request, *args, **kwargs):
            obj = self.get_object()
            if permission is not None:
                target = permission_on(obj) if permission_on else obj
                require_before_body(request.user, permission, target, refusal)
            data = self.parse_body(body) if body is not None else {}
            result = perform(self, request, obj, **data)
            if isinstance(result, Response):
                return result
            return self.detail_response(
                obj if result is None else result, status_code, respond_class
            )

        respond_class = respond if respond is not None and not isinstance(respond, dict) else None
        handle.service_action = {
            "respond": respond,
            "status_code": status_code,
            "schema": {"summary": summary, "description": description, "request": body},
            "schema_applied": False,
        }
        return action(
            detail=True,
            methods=["post"],
            url_path=url_path,
            **options,
        )(handle)

    return decorate


def service_create(summary, *, body, status_code=status.HTTP_201_CREATED, description=""):
    """Make `perform(self, request, **body)` the viewset's create: `body` is the serializer
    that parses the request, `perform` calls one service and returns the new record, and the
    answer is the record in full (the viewset's `detail_serializer_class`)."""

    def decorate(perform):
        @functools.wraps(perform)
        def create(self, request, *args, **kwargs):
            record = perform(self, request, **self.parse_body(body))
            return self.detail_response(record, status_code)

        create.service_action = {
            "respond": None,
            "status_code": status_code,
            "schema": {"summary": summary, "description": description, "request": body},
            "schema_applied": False,
        }
        return create

    return decorate
