"""Every route the product answers, found from the URL resolver and the OpenAPI schema,
and how to call one as a given user: its URL filled from the scenario's records, an empty
body for writes, and the outcome read from the response."""

import html
import io
import json
import re
from dataclasses import dataclass
from urllib.parse import quote, quote_plus, urlencode, urlsplit

from django.conf import settings
from django.shortcuts import resolve_url
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.views.generic.edit import ProcessFormView

# Outcomes.
OK = "allowed"  # 2xx, a 3xx to somewhere other than sign-in, or (writes) 400/409/422
FORBIDDEN = "403"
NOT_FOUND = "404"
SIGN_IN = "sign in"  # pages: redirect to sign-in; API: 401
NOT_ALLOWED = "405"
BAD_REQUEST = "400"  # a read refused for its query (a filter naming a record one may not see)

WRITE_METHODS = ("POST", "PUT", "PATCH", "DELETE")

# Admin URLs not tried one by one. The admin's object pages (change, delete, history, the
# redirect to change, view on site) ask the same has_*_permission as its list and add pages,
# which are tried for every model; logout, password change, the JavaScript catalogue,
# autocomplete and the catch-all belong to Django's admin machinery, not to this product
# (password changes and sign-out are the service's own pages, tried below).
ADMIN_SKIPPED = re.compile(
    r"_(change|delete|history)$|^admin:(logout|password_change|password_change_done|jsi18n|"
    r"autocomplete|view_on_site|auth_user_password_change)$"
)
# Pages tried with a query, so lists, counts and filters are tried with the family in them.
PAGE_QUERIES = {
    "cases:family-list": {"q": "Quince"},
    "cases:search": {"date_of_birth_0": "3", "date_of_birth_1": "3", "date_of_birth_2": "2019"},
    "referrals:request-list": {"q": "Ottie"},
    "referrals:triage-queue": {"q": "Ottie"},
    "accounts:user-list": {"q": "a"},
}


@dataclass(frozen=True)
class Route:
    key: str  # what the rules name: "namespace:name METHOD", or the API's operationId
    method: str
    pattern: str  # the URL pattern, with parameters in braces
    name: str | None = None  # URL name (pages)
    params: tuple = ()

    @property
    def is_api(self):
        return self.pattern.startswith("/api/")

    @property
    def is_write(self):
        return self.method in WRITE_METHODS


def _walk(patterns, prefix="", namespace=None):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = namespace
            if pattern.namespace:
                inner = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
            yield from _walk(pattern.url_patterns, prefix + str(pattern.pattern), inner)
        elif isinstance(pattern, URLPattern):
            name = pattern.name
            if name and namespace:
                name = f"{namespace}:{name}"
            yield prefix + str(pattern.pattern), name, pattern


def _as_template(pattern: str) -> str:
    """'api/^families/(?P<uuid>[^/.]+)/$' and 'families/<uuid:uuid>/' -> '/…/{uuid}/'."""
    text = re.sub(r"\(\?P<(\w+)>[^)]*\)", r"{\1}", pattern)
    text = re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", text)
    return "/" + text.replace("^", "").replace("$", "").replace("\\", "")


def _methods(callback) -> list[str]:
    view_class = getattr(callback, "view_class", None)
    if view_class is None:
        return ["GET"]
    methods = []
    for method in ("get", "post", "put", "patch", "delete"):
        handler = getattr(view_class, method, None)
        if handler is None:
            continue
        if method == "put" and handler is ProcessFormView.put:
            continue  # FormView's PUT is its POST under another name
        methods.append(method.upper())
    return methods


def resolver_entries():
    """(pattern template, url name, callback) for every URL the resolver knows."""
    for pattern, name, url in _walk(get_resolver().url_patterns):
        yield _as_template(pattern), name, url.callback


def page_routes() -> list[Route]:
    routes = []
    for template, name, callback in resolver_entries():
        if template.startswith("/api/"):
            continue  # the API is enumerated from its schema (api_routes)
        if template.startswith("/admin/"):
            if name is None or ADMIN_SKIPPED.search(name):
                continue
        if name is None:
            raise AssertionError(f"{template} has no URL name: the matrix cannot name its rule")
        params = tuple(re.findall(r"{(\w+)}", template))
        for method in _methods(callback):
            routes.append(Route(f"{name} {method}", method, template, name, params))
    return routes


# API URLs outside the schema: the browsable root, the schema itself and its docs page.
API_OUTSIDE_SCHEMA = {"/api/": "api-root", "/api/schema/": "api-schema", "/api/docs/": "api-docs"}


def api_routes(schema) -> list[Route]:
    routes = []
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            params = tuple(re.findall(r"{(\w+)}", path))
            routes.append(Route(operation["operationId"], method.upper(), path, None, params))
    for path, name in API_OUTSIDE_SCHEMA.items():
        routes.append(Route(f"{name} GET", "GET", path, name))
    return routes


def api_paths_missing_from_schema(schema) -> list[str]:
    """API URLs the resolver answers that neither the schema nor API_OUTSIDE_SCHEMA lists
    (format-suffix twins of a listed URL excepted)."""

    def shape(path):  # the router says {pk} where the schema says {id}
        return re.sub(r"{\w+}", "{}", path)

    listed = {shape(path) for path in [*schema["paths"], *API_OUTSIDE_SCHEMA]}
    missing = []
    for template, _name, _callback in resolver_entries():
        if not template.startswith("/api/") or "{format}" in template:
            continue
        if shape(template) not in listed:
            missing.append(template)
    return missing


# Filling in URLs


# Which scenario record a route's `uuid`, `pk` or `id` means, by the first path segment
# (API) or URL namespace and name (pages).
API_SEGMENT_OBJECTS = {
    "agencies": "agency",
    "agenda-items": "agenda_item",
    "assessment-sections": "section",
    "assessment-templates": "template",
    "assessments": "assessment",
    "episodes": "episode",
    "families": "family",
    "family-plans": "document",
    "level-history": "level_change",
    "localities": "locality",
    "meetings": "meeting",
    "memberships": "membership",
    "merges": "merge",
    "notes": "note",
    "notifications": "notification",
    "people": "person",
    "plan-actions": "action",
    "plan-outcomes": "outcome",
    "plans": "plan",
    "relationships": "relationship",
    "requests": "request",
    "reviews": "review",
    "taf-members": "taf_member",
    "teams": "team",
    "thresholds": "framework",
    "transitions": "step_up",
    "users": "user",
}
PAGE_NAMESPACE_OBJECTS = {
    "notifications": "notification",
    "cases": "family",
    "episodes": "episode",
    "meetings": "meeting",
    "transitions": "step_up",
    "referrals": "request",
    "thresholds": "framework",
    "assessments": "assessment",
    "plans": "plan",
}
PAGE_NAME_OBJECTS = {
    "accounts:agency-detail": "agency",
    "accounts:locality-detail": "locality",
    "accounts:team-detail": "team",
    "accounts:user-detail": "user",
    "cases:person-detail": "person",
    "cases:person-edit": "person",
    "cases:person-birth": "person",
    "cases:person-name-add": "person",
    "cases:person-address-add": "person",
    "cases:person-join-family": "person",
    "cases:person-merge": "person",
    "cases:merge-undo": "merge",
    "episodes:reopen": "closed_episode",
    "transitions:step-down-request": "step_down_family",
    "transitions:step-up-request": "episode",
    "assessments:start": "episode",
    "assessments:family-plan-request": "plan",
    "assessments:family-plan-download": "document",
    "plans:start": "episode",
    "plans:review-detail": "review",
    "plans:action-status": "plan",
}
# The other parameters, by name (and for `pk`, by the page it is on).
PARAM_OBJECTS = {
    "section_uuid": "section",
    "outcome_uuid": "outcome",
    "action_uuid": "action",
    "item_uuid": "agenda_item",
    "member_uuid": "taf_member",
    "check_uuid": "check",
    "person_pk": "request_person",
    "attendee_id": "attendee",
    "attachment_pk": "attachment",
}
PK_OBJECTS = {
    "cases:member-leave": "membership",
    "cases:relationship-remove": "relationship",
    "meetings:attendee-remove": "attendee",
    "referrals:attachment-download": "attachment",
}
# Routes tried on a record other than their default one, as (route key -> {param: record}).
ROUTE_OBJECTS = {
    # The action owned by the school: its status is for the school's users too.
    "plans:action-status POST": {"action_uuid": "school_action"},
    "plans:action-status GET": {"action_uuid": "school_action"},
    "plan_actions_status_create": {"uuid": "school_action"},
    # The draft second version, compared with the approved first.
    "assessments:compare GET": {"uuid": "assessment_v2"},
}


def _value(obj, param):
    if param in ("pk", "id", "attendee_id", "attachment_pk", "person_pk"):
        return obj.pk
    return obj.uuid


def url_for(route: Route, objects) -> str:
    if route.name == "admin:app_list":
        return reverse(route.name, kwargs={"app_label": "accounts"})
    overrides = ROUTE_OBJECTS.get(route.key, {})
    kwargs = {}
    for param in route.params:
        if param in overrides:
            key = overrides[param]
        elif param in PARAM_OBJECTS:
            key = PARAM_OBJECTS[param]
        elif route.is_api:
            key = API_SEGMENT_OBJECTS[route.pattern.split("/")[2]]
        elif param == "pk":
            key = PK_OBJECTS[route.name]
        else:
            namespace = route.name.split(":")[0]
            key = PAGE_NAME_OBJECTS.get(route.name) or PAGE_NAMESPACE_OBJECTS[namespace]
        kwargs[param] = _value(objects[key], param)
    if route.is_api:
        url = route.pattern
        for param, value in kwargs.items():
            url = url.replace("{" + param + "}", str(value))
        return url
    return reverse(route.name, kwargs=kwargs)


# Routes that answer only with a query naming a record: the first query is judged.
JUDGED_QUERIES = {
    "cases:member-add GET": {"person": "barnaby"},
    "cases:member-add POST": {"person": "barnaby"},
    "cases:person-merge GET": {"duplicate": "barnaby"},
    "cases:person-merge POST": {"duplicate": "barnaby"},
    "notes_list": {"family": "family"},
}


def judged_query(route: Route, objects) -> dict:
    return {name: str(objects[key].uuid) for name, key in JUDGED_QUERIES.get(route.key, {}).items()}


def list_queries(route: Route, schema, objects) -> list[dict]:
    """The queries to try a route with. The first, empty, is the one whose outcome is
    judged. A list is tried again with each filter naming the family's records, and with
    bad values, so that filters, counts and their error answers are searched for leaks."""
    if route.is_api and route.method == "GET" and route.pattern in schema["paths"]:
        names = [
            p["name"]
            for p in schema["paths"][route.pattern]["get"].get("parameters", [])
            if p["in"] == "query" and p["name"] not in ("page", "page_size")
        ]
        if names:
            good = {name: _filter_value(name, objects) for name in names}
            bad = {name: "not-a-valid-value" for name in names}
            if route.key == "people_search_retrieve":
                return [good, bad]  # a search needs something to search for
            return [judged_query(route, objects), good, bad]
    if not route.is_api and route.method == "GET" and route.name in PAGE_QUERIES:
        return [{}, PAGE_QUERIES[route.name], {**PAGE_QUERIES[route.name], "page": "x"}]
    return [judged_query(route, objects)]


FILTER_OBJECTS = {
    "family": "family",
    "episode": "episode",
    "plan": "plan",
    "person": "person",
    "meeting": "meeting",
    "locality": "locality",
    "team": "team",
    "agency": "agency",
    "lead_professional": "user",
}


def _filter_value(name, objects):
    if name in FILTER_OBJECTS:
        return str(objects[FILTER_OBJECTS[name]].uuid)
    return {
        "q": "Quince",
        "given_name": "Otilie",
        "family_name": "Pemberten",
        "date_of_birth": "2019-03-03",
        "year_of_birth": "2019",
        "postcode": "BK9 7QZ",
        "nhs_number": "",
        "upn": "",
    }.get(name, "true")


# Calling and reading the answer


def _sign_in_paths():
    return (resolve_url(settings.LOGIN_URL), "/admin/login/")


def outcome_of(response, route: Route) -> str:
    status = response.status_code
    if status == 401:
        return SIGN_IN
    if status in (301, 302, 303, 307, 308):
        location = urlsplit(response["Location"]).path
        if location.startswith(_sign_in_paths()[0]):
            return SIGN_IN
        return OK
    if status == 403:
        return FORBIDDEN
    if status == 404:
        return NOT_FOUND
    if status == 405:
        return NOT_ALLOWED
    if status >= 500:
        return f"server error {status}"
    if 200 <= status < 300:
        return OK
    if route.is_write and status in (400, 409, 415, 422):
        return OK  # allowed to try; the empty body (or the record's state) was refused
    if status == 400:
        return BAD_REQUEST
    return f"unexpected {status}"


def call(client, route: Route, url: str, query: dict):
    if route.method != "GET" and query:
        url = f"{url}?{urlencode(query)}"
    if route.method == "GET":
        response = client.get(url, query)
        if response.status_code == 302 and response["Location"].startswith("/admin/login/"):
            # The admin sends everyone to its own sign-in, which refuses a signed-in
            # non-administrator (403) and sends anyone else to the service's sign-in.
            response = client.get(response["Location"])
        return response
    if route.is_api:
        return getattr(client, route.method.lower())(url, {}, content_type="application/json")
    return getattr(client, route.method.lower())(url, {})


# Random text on every page: two CSRF tokens (64 letters and digits) on a signed-in page and
# two CSP nonces. Searched without case, one page in a few hundred thousand spells a short
# secret such as "Ottie" in them.
RANDOM_TOKENS = re.compile(
    r'(name="csrfmiddlewaretoken" value=")[A-Za-z0-9]{64}(")|( nonce=")[A-Za-z0-9+/=]+(")'
)


def body_text(response) -> str:
    """The response as text to search: PDFs as their extracted text too, and the random
    tokens blanked, since they are no record's data."""
    if getattr(response, "streaming", False):
        # Consuming it closes it the way the test client expects (closing it again would
        # fire request_finished and close the test's database connection).
        content = b"".join(response.streaming_content)
    else:
        content = response.content
    text = RANDOM_TOKENS.sub(r"\1\2\3\4", content.decode("utf-8", errors="replace"))
    if content.startswith(b"%PDF"):
        try:
            from pypdf import PdfReader

            reader = PdfReader(io.BytesIO(content))
            text += " ".join(" ".join(page.extract_text().split()) for page in reader.pages)
        except Exception:  # noqa: BLE001 - an unreadable PDF has no text to leak
            pass
    return text


def forms_of(secret: str) -> set[str]:
    """The secret as it may appear in a body: raw, HTML-escaped (Django's and the standard
    library's), JSON-escaped, and URL-encoded."""
    forms = {
        secret,
        html.escape(secret),
        html.escape(secret, quote=False),
        secret.replace("&", "&amp;").replace("'", "&#39;"),
        json.dumps(secret)[1:-1],
        json.dumps(secret, ensure_ascii=True)[1:-1].replace("'", "\\u0027"),
        quote(secret),
        quote_plus(secret),
    }
    return {form.lower() for form in forms}


def leaks(text: str, secrets) -> list[str]:
    lowered = text.lower()
    return [secret for secret in secrets if any(form in lowered for form in forms_of(secret))]
