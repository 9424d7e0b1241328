"""Small factories and checks shared by the case records API tests."""

import datetime

from django.utils import timezone

from cases.models import Family, Person
from cases.people import search
from cases.people import services as people_services
from tests.dates import years_before

NHS_NUMBER = "4857773457"


def years_ago(years, *, days=0):
    today = timezone.localdate()
    return years_before(today, years) - datetime.timedelta(days=days)


def all_messages(body):
    return [message for messages in body["errors"].values() for message in messages]


# Small factories: records straight into the database, for reads; writes under test go
# through the services or the API.


def make_person(team, *, by=None, **fields):
    fields = {
        "record_type": "child",
        "given_name": "Amara",
        "family_name": "Okafor",
        "date_of_birth": years_ago(8),
        **fields,
    }
    person = Person.objects.create(owning_team=team, created_by=by, **fields)
    search.index_person(person)
    return person


def make_family(team, *, by=None, **fields):
    fields = {"name": "Okafor family", "line_1": "1 High Street", "town": "Wexmoor", **fields}
    return Family.objects.create(owning_team=team, created_by=by, **fields)


def create_person(by, team, **fields):
    fields = {
        "record_type": "child",
        "given_name": "Amara",
        "family_name": "Okafor",
        "date_of_birth": years_ago(8),
        **fields,
    }
    return people_services.person_create(
        by=by, owning_team=team, confirmed_not_duplicate=True, **fields
    )
