import functools

import factory
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from factory.django import DjangoModelFactory

from accounts.models import Agency, AgencyType, Locality, Team, User

factory.Faker._DEFAULT_LOCALE = "en_GB"

TEST_PASSWORD = "correct-horse-battery-staple"


@functools.cache
def _test_password_hash():
    return make_password(TEST_PASSWORD)


class AgencyFactory(DjangoModelFactory):
    class Meta:
        model = Agency

    name = factory.Sequence(lambda n: f"Agency {n:03d}")
    agency_type = AgencyType.COUNCIL_EARLY_HELP
    email = factory.LazyAttribute(lambda agency: f"contact{agency.name[-3:]}@agency.example")


class LocalityFactory(DjangoModelFactory):
    class Meta:
        model = Locality

    name = factory.Sequence(lambda n: f"Locality {n:03d}")
    code = factory.Sequence(lambda n: f"loc{n:03d}")


class TeamFactory(DjangoModelFactory):
    class Meta:
        model = Team

    name = factory.Sequence(lambda n: f"Team {n:03d}")
    agency = factory.SubFactory(AgencyFactory)
    locality = factory.SubFactory(LocalityFactory)


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n:04d}@example.org")
    full_name = factory.Faker("name")
    job_title = factory.Faker("job")
    agency = factory.SubFactory(AgencyFactory)
    # Hashed once per run: hashing for every user would dominate the suite's time.
    password = factory.LazyFunction(lambda: _test_password_hash())

    @factory.post_generation
    def roles(user, create, extracted, **kwargs):
        if create and extracted:
            # get_or_create: a transactional test's flush removes the migration's groups.
            user.groups.set([Group.objects.get_or_create(name=str(role))[0] for role in extracted])
        if create:
            user.save()

    @factory.post_generation
    def teams(user, create, extracted, **kwargs):
        if create and extracted:
            for team in extracted:
                team.members.add(user)

    @factory.post_generation
    def manages(user, create, extracted, **kwargs):
        if create and extracted:
            for team in extracted:
                team.managers.add(user)

    @classmethod
    def member_of(cls, team, role, **kwargs):
        """Someone in the team with the role, employed by the team's agency."""
        return cls(roles=[role], agency=team.agency, teams=[team], **kwargs)

    @classmethod
    def manager_of(cls, team, role, **kwargs):
        """Someone who manages the team with the role, employed by the team's agency."""
        return cls(roles=[role], agency=team.agency, manages=[team], **kwargs)


class FamilyFactory(DjangoModelFactory):
    class Meta:
        model = "cases.Family"

    name = factory.Sequence(lambda n: f"Family {n:03d}")
    line_1 = factory.Sequence(lambda n: f"{n} Mill Lane")
    town = "Brackenford"
    postcode = "BK1 2AB"
    owning_team = factory.SubFactory(TeamFactory)


class PersonFactory(DjangoModelFactory):
    """A child by default. Search keys are built as the services would."""

    class Meta:
        model = "cases.Person"
        skip_postgeneration_save = True

    record_type = "child"
    given_name = factory.Faker("first_name")
    family_name = factory.Faker("last_name")
    date_of_birth = factory.Faker("date_between", start_date="-15y", end_date="-1y")
    owning_team = factory.SubFactory(TeamFactory)

    @factory.post_generation
    def indexed(person, create, extracted, **kwargs):
        if create:
            from cases.people.search import index_person

            index_person(person)

    @factory.post_generation
    def families(person, create, extracted, **kwargs):
        if create and extracted:
            from cases.models import FamilyMembership

            for family in extracted:
                FamilyMembership.objects.create(family=family, person=person)


class FamilyWithChildFactory(FamilyFactory):
    """A family with a child in it (`children=N` for more), as an episode needs."""

    class Meta:
        skip_postgeneration_save = True

    @factory.post_generation
    def children(family, create, extracted, **kwargs):
        if create:
            for _ in range(1 if extracted is None else extracted):
                PersonFactory(owning_team=family.owning_team, families=[family])
