"""The permission matrix: every page and API operation, tried as every kind of user.

Routes come from the URL resolver and the OpenAPI schema, so a new page or endpoint is
tried the moment it exists, and fails here until rules.py says who may use it. Each route
is one test; inside it every role of the scenario calls the route (writes with an empty
body, each inside a rolled-back savepoint) and must get the outcome its rule names. Every
answer, to every role, is searched for the secrets of the records that role may not see:
names, address, date of birth and the request's words, raw, escaped or inside a PDF.
"""

import copy
import datetime
import json
import os
import zoneinfo

import pytest
import time_machine
from django.conf import settings
from django.db import transaction
from django.test import Client
from drf_spectacular.generators import SchemaGenerator

from cases.access_rules import owned_by_own_team
from cases.models import Family, Person
from earlyhelp import access
from tests.access_matrix import routes as r
from tests.access_matrix.route_rules import ROUTE_RULES
from tests.access_matrix.rules import RULES
from tests.access_matrix.scenario import FAMILY_NAME, FAMILY_SECRETS, LEAD, ROLES, build
from tests.openapi import generated_schema

SCHEMA = generated_schema()
ROUTES = {route.key: route for route in r.page_routes() + r.api_routes(SCHEMA)}

# A Tuesday morning in term time: reminders, due dates and "today" behave the same at any
# hour the suite runs.
FROZEN_AT = datetime.datetime(2026, 3, 10, 10, 0, tzinfo=zoneinfo.ZoneInfo("Europe/London"))


@pytest.fixture(scope="module", autouse=True)
def _schema_view_generates_once():
    """`/api/schema/` generates the whole document for every request, seconds each time,
    though it is the same for every caller (SERVE_PUBLIC). Here every role asks for it, so
    the view's document is generated once and kept for the module; the view still decides,
    for each role, whether it may have it."""
    original = SchemaGenerator.get_schema
    made = {}

    def get_schema(self, request=None, public=False):
        if request is None:
            return original(self, request=request, public=public)
        key = (self.urlconf, self.api_version, public)
        if key not in made:
            made[key] = original(self, request=request, public=public)
        return copy.deepcopy(made[key])

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(SchemaGenerator, "get_schema", get_schema)
        yield


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """The scenario and one signed-in client per role, made once for the module inside a
    transaction rolled back at the end."""
    traveller = time_machine.travel(FROZEN_AT, tick=True)
    traveller.start()
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            scenario = build()
            clients = {}
            for role in ROLES:
                client = Client(raise_request_exception=False)
                if scenario.users[role] is not None:
                    client.force_login(scenario.users[role])
                clients[role] = client
        except BaseException:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)
            traveller.stop()
            raise
    yield scenario, clients
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        atomic.__exit__(None, None, None)
    traveller.stop()


def _try(client, route, url, query):
    if not route.is_write:
        return r.call(client, route, url, query)
    session = client.cookies.get(settings.SESSION_COOKIE_NAME)
    with transaction.atomic():
        response = r.call(client, route, url, query)
        transaction.set_rollback(True)
    if session is not None:
        client.cookies[settings.SESSION_COOKIE_NAME] = session.value  # after sign-out
    return response


def test_every_api_url_is_in_the_schema_or_named():
    assert r.api_paths_missing_from_schema(SCHEMA) == []


def test_every_rule_names_a_route_that_exists():
    assert sorted(set(ROUTE_RULES) - set(ROUTES)) == []
    assert sorted(set(ROUTE_RULES.values()) - set(RULES)) == []


def test_the_leak_check_finds_what_readers_may_see(world, db):
    """The search for secrets works: the lead professional's family page and the family
    plan PDF carry the names and date of birth that outsiders' answers are searched for."""
    scenario, clients = world
    lead = clients[LEAD]
    page = lead.get(r.url_for(ROUTES["cases:family-detail GET"], scenario.objects))
    found = r.leaks(r.body_text(page), FAMILY_SECRETS)
    assert {FAMILY_NAME, "Ottilie", "Rosalind", "17 Quince Walk"} <= set(found)
    assert {"2019-03-03", "3 March 2019", "03/03/2019", "3 Mar 2019"} & set(found)
    pdf = lead.get(r.url_for(ROUTES["assessments:family-plan-download GET"], scenario.objects))
    text = r.body_text(pdf)
    assert text.startswith("%PDF") and "Ottilie" in r.leaks(text, FAMILY_SECRETS)


def test_one_record_is_seen_exactly_when_the_list_would_show_it(world, db):
    """`sees` answers some questions from memory (a family or person owned by one of the
    user's teams): for every kind of user it must give `visible`'s answer, both ways."""
    scenario, _ = world
    users = [user for user in scenario.users.values() if user is not None]
    answers = set()
    for model in (Family, Person):
        for record in model.objects.all():
            for user in users:
                user = type(user).objects.get(pk=user.pk)  # no scopes cached from before
                listed = access.visible(user, model.objects.filter(pk=record.pk)).exists()
                assert access.sees(user, record) is listed, (model.__name__, record.pk, user)
                answers.add((listed, owned_by_own_team(user, record)))
    # Each way of answering was tried: from memory, by the whole rule, and refused.
    assert answers == {(True, True), (True, False), (False, False)}


@pytest.mark.parametrize("key", sorted(ROUTES))
def test_route(key, world, db):
    scenario, clients = world
    route = ROUTES[key]
    url = r.url_for(route, scenario.objects)
    observed, leaked, errors = {}, [], []
    for number, query in enumerate(r.list_queries(route, SCHEMA, scenario.objects)):
        for role in ROLES if number == 0 else scenario.outsiders:
            response = _try(clients[role], route, url, query)
            outcome = r.outcome_of(response, route)
            if number == 0:
                observed[role] = outcome
            if response.status_code >= 500:
                errors.append(f"{role} {query}: {response.status_code}")
            found = r.leaks(r.body_text(response), scenario.secrets[role])
            if found:
                leaked.append(f"{role} {query or ''}: {found}")

    if os.environ.get("ACCESS_MATRIX_DUMP"):
        with open(os.environ["ACCESS_MATRIX_DUMP"], "a") as dump:
            dump.write(json.dumps({"key": key, "url": url, "observed": observed}) + "\n")

    rule = ROUTE_RULES.get(key)
    table = "\n".join(f"  {role}: {observed[role]}" for role in ROLES)
    assert rule is not None, (
        f"{key} ({url}) has no rule: name one in tests/access_matrix/route_rules.py.\n"
        f"What it answers today:\n{table}"
    )
    expected = RULES[rule]
    wrong = [
        f"  {role}: expected {expected[role]}, got {observed[role]}"
        for role in ROLES
        if observed[role] != expected[role]
    ]
    problems = []
    if errors:
        problems.append("answered a server error:\n" + "\n".join(errors))
    if wrong:
        problems.append(f"rule {rule!r}:\n" + "\n".join(wrong))
    if leaked:
        problems.append("shows records to people who may not see them:\n" + "\n".join(leaked))
    assert not problems, f"{key} ({url}) " + "\n".join(problems)
