"""API conventions shared by every app: pagination and one error format.

Every error response has the same shape:

    {"status": 400, "code": "invalid", "message": "…", "errors": {"field": ["…"]}}

`errors` appears only for validation errors; non-field errors are under "non_field_errors".
"""

import uuid as uuid_lib

import django_filters
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import exceptions, pagination, serializers
from rest_framework.views import exception_handler as drf_exception_handler

from accounts.filters import UUIDChoiceFilter
from earlyhelp import access
from earlyhelp.exceptions import ServiceError


def request_user(serializer):
    """The user a serializer (or one of its fields) is answering, if there is a request."""
    request = serializer.context.get("request")
    return getattr(request, "user", None)


def may_see_sensitive(user, obj):
    """Whether a representation may include what the policy keeps to fewer people."""
    return user is not None and access.can(user, access.Permission.VIEW_SENSITIVE, obj)


@extend_schema_field(OpenApiTypes.UUID)
class UUIDRecordField(serializers.SlugRelatedField):
    """A record named by its UUID among `queryset`. Anything else (a UUID that does not
    exist or may not be used here, or no UUID at all) gets the one `message`, so the answer
    never says which."""

    def __init__(self, *, message=None, **kwargs):
        kwargs.setdefault("slug_field", "uuid")
        super().__init__(**kwargs)
        if message:
            self.error_messages["does_not_exist"] = message
            self.error_messages["invalid"] = message

    def to_internal_value(self, data):
        try:
            uuid_lib.UUID(str(data))
        except ValueError:
            self.fail("does_not_exist", slug_name=self.slug_field, value=data)
        return super().to_internal_value(data)


class VisibleRecordField(UUIDRecordField):
    """A record named by its UUID, found only among those the user may see.

    A UUID the user may not see gets the same message as one that does not exist.
    """

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        if self.queryset is not None and "does_not_exist" not in kwargs.get("error_messages", {}):
            name = self.queryset.model._meta.verbose_name
            self.error_messages["does_not_exist"] = f"Choose a {name} you can see"

    def get_queryset(self):
        return access.visible(request_user(self), super().get_queryset())


@extend_schema_field(OpenApiTypes.UUID)
class VisibleRecordFilter(UUIDChoiceFilter):
    """A filter by the UUID of a record the user may see; any other UUID is a 400 that does
    not say whether the record exists."""

    def __init__(self, *args, model, **kwargs):
        def visible_records(request):
            return access.visible(getattr(request, "user", None), model.objects.all())

        kwargs.setdefault("queryset", visible_records)
        kwargs.setdefault(
            "error_messages",
            {"invalid_choice": f"Choose a {model._meta.verbose_name} you can see"},
        )
        super().__init__(*args, **kwargs)


def status_filter(choices):
    """A list's filter by status, one of `choices`."""
    return django_filters.ChoiceFilter(
        choices=choices, error_messages={"invalid_choice": "Choose a status from the list"}
    )


class PageNumberPagination(pagination.PageNumberPagination):
    page_size_query_param = "page_size"
    max_page_size = 200


def _as_drf_exception(exc):
    if isinstance(exc, ServiceError):
        field = exc.field or "non_field_errors"
        return exceptions.ValidationError({field: [exc.message]})
    if isinstance(exc, DjangoValidationError):
        if hasattr(exc, "message_dict"):
            errors = dict(exc.message_dict)
            if NON_FIELD_ERRORS in errors:
                errors["non_field_errors"] = errors.pop(NON_FIELD_ERRORS)
            return exceptions.ValidationError(errors)
        return exceptions.ValidationError({"non_field_errors": exc.messages})
    if isinstance(exc, Http404):
        return exceptions.NotFound()
    if isinstance(exc, PermissionDenied):
        return exceptions.PermissionDenied(str(exc) or None)
    return exc


def exception_handler(exc, context):
    refusal = exc.message if isinstance(exc, ServiceError) else None
    exc = _as_drf_exception(exc)
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    body = {"status": response.status_code, "code": "error", "message": ""}
    if isinstance(exc, exceptions.ValidationError):
        body["code"] = "invalid"
        # A business rule's refusal is the message itself; it is also under `errors`.
        body["message"] = refusal or "The request has errors: correct them and send it again."
        detail = exc.detail if isinstance(exc.detail, dict) else {"non_field_errors": exc.detail}
        body["errors"] = detail
    elif isinstance(exc, exceptions.APIException):
        codes = exc.get_codes()
        body["code"] = codes if isinstance(codes, str) else "error"
        body["message"] = str(exc.detail)
    response.data = body
    return response


# The schema documents the error answers every operation can give, in the one error format.

ERROR_SCHEMA = {
    "type": "object",
    "properties": {
        "status": {"type": "integer"},
        "code": {"type": "string"},
        "message": {"type": "string"},
        "errors": {
            "type": "object",
            "additionalProperties": {},
            "description": "Only for validation errors: the messages by field "
            '(`non_field_errors` for the request as a whole), e.g. {"name": ["Enter a name"]}',
        },
    },
    "required": ["status", "code", "message"],
}
ERROR_RESPONSES = {
    "400": "The request has errors, or the record's state does not allow this",
    "401": "Not signed in, or the token is not valid",
    "403": "The user's role may not do this",
    "404": "No such record, or not one the user may see",
}


def document_error_responses(result, generator, request, public):
    """drf-spectacular postprocessing hook: add the `Error` component and the error
    responses to every operation that does not already document its own."""
    result.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR_SCHEMA
    content = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
    for path_item in result.get("paths", {}).values():
        for method, operation in path_item.items():
            if method not in {"get", "post", "put", "patch", "delete"}:
                continue
            responses = operation.setdefault("responses", {})
            for code, description in ERROR_RESPONSES.items():
                responses.setdefault(code, {"content": content, "description": description})
    return result
