"""The people API: people, their other names and addresses, search and merges.

Reads come from `cases.people.selectors`, already filtered by the access policy; every
write goes through `cases.people.services`; list and detail reads are audited. Records the
user may not see answer 404 (or, named in a request body or a filter, a field error that
does not say whether they exist); records they see but may not change, 403.
"""

import django_filters
from django.db.models import Q
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.response import Response

from cases.models import Family, FamilyMembership, Person, PersonMerge
from cases.people import search, selectors, services
from cases.people.serializers import (
    AddressCreateSerializer,
    AddressSerializer,
    BirthSerializer,
    MergeSerializer,
    OtherNameSerializer,
    PersonCreateSerializer,
    PersonDetailSerializer,
    PersonMergeSerializer,
    PersonSerializer,
    PossibleDuplicatesSerializer,
    SearchQuerySerializer,
    SearchResultPageSerializer,
    SearchResultSerializer,
    UndoMergeSerializer,
    address_data,
)
from earlyhelp import access
from earlyhelp.api import PageNumberPagination, VisibleRecordFilter, may_see_sensitive
from earlyhelp.api_actions import service_action
from earlyhelp.viewsets import (
    AuditedCaseViewSet,
    CaseRecordViewSet,
)

Permission = access.Permission


class PersonFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label="Name", method="filter_name")
    family = VisibleRecordFilter(
        model=Family, label="Family (UUID): its current and past members", method="in_family"
    )

    class Meta:
        model = Person
        fields = ["q", "family"]

    def filter_name(self, queryset, name, value):
        for word in value.split():
            queryset = queryset.filter(
                Q(given_name__icontains=word)
                | Q(middle_names__icontains=word)
                | Q(family_name__icontains=word)
                | Q(known_as__icontains=word)
            )
        return queryset

    def in_family(self, queryset, name, family):
        return queryset.filter(
            pk__in=FamilyMembership.objects.filter(family=family).values("person")
        )


def adds_to_person(summary, body, respond):
    """A POST that adds a part to a person's record (for those who may change it),
    answering 201 with the part added."""
    return service_action(
        summary,
        body=body,
        respond=respond,
        permission=Permission.CHANGE_CASE_RECORD,
        status_code=status.HTTP_201_CREATED,
    )


def possible_duplicates_response(user, duplicates, context):
    """409, with the records that may be this person as this user may see them (wherever a
    person record is created: here and in screening)."""
    results = services.results_for(user, duplicates.matches)
    body = {
        "status": status.HTTP_409_CONFLICT,
        "code": "possible_duplicates",
        "message": duplicates.message,
        "errors": {duplicates.field: [duplicates.message]},
        "matches": SearchResultSerializer(results, many=True, context=context).data,
    }
    return Response(body, status=status.HTTP_409_CONFLICT)


class MergeFilter(django_filters.FilterSet):
    person = VisibleRecordFilter(
        model=Person, label="Person (UUID), kept or merged", method="involving"
    )

    class Meta:
        model = PersonMerge
        fields = ["person"]

    def involving(self, queryset, name, person):
        return queryset.filter(Q(survivor=person) | Q(duplicate=person))


@extend_schema_view(
    list=extend_schema(summary="People the user may see (merged duplicates left out)"),
    retrieve=extend_schema(
        summary="A person",
        description="A merged duplicate answers 200 with `merged_into` set: follow it.",
    ),
    create=extend_schema(
        summary="Create a person",
        request=PersonCreateSerializer,
        responses={201: PersonDetailSerializer, 409: PossibleDuplicatesSerializer},
    ),
    partial_update=extend_schema(summary="Change a person", responses=PersonDetailSerializer),
)
class PersonViewSet(CaseRecordViewSet):
    list_serializer_class = PersonSerializer
    detail_serializer_class = PersonDetailSerializer
    filterset_class = PersonFilter
    create_serializer_class = PersonCreateSerializer
    create_service = staticmethod(services.person_create)
    update_service = staticmethod(services.person_update)

    def list_queryset(self):
        return selectors.people_for(self.request.user)

    def detail_queryset(self):
        return selectors.person_detail_for(self.request.user)

    def detail_object(self, person):
        return self.detail_queryset().get(pk=person.pk)

    def create(self, request, *args, **kwargs):
        try:
            return super().create(request, *args, **kwargs)
        except search.PossibleDuplicates as duplicates:
            context = self.get_serializer_context()
            return possible_duplicates_response(request.user, duplicates, context)

    @service_action(
        "Record the birth of an unborn child: the same record becomes a child's",
        body=BirthSerializer,
        permission=Permission.CHANGE_CASE_RECORD,
    )
    def birth(self, request, person, **body):
        return services.person_record_birth(by=request.user, person=person, **body)

    @adds_to_person("Add a previous name or alias", OtherNameSerializer, OtherNameSerializer)
    def names(self, request, person, **body):
        return services.person_name_add(by=request.user, person=person, **body)

    @adds_to_person(
        "Add an address (a new current address ends the previous one)",
        AddressCreateSerializer,
        AddressSerializer,
    )
    def addresses(self, request, person, **body):
        address = services.person_address_add(by=request.user, person=person, **body)
        sees = may_see_sensitive(request.user, person)
        return Response(address_data(address, sees_sensitive=sees), status=201)

    @service_action(
        "Merge a duplicate record into this one (locality managers)",
        body=MergeSerializer,
        respond=PersonMergeSerializer,
        permission=Permission.MERGE_PEOPLE,
        status_code=status.HTTP_201_CREATED,
    )
    def merge(self, request, survivor, **body):
        return services.person_merge(by=request.user, survivor=survivor, **body)

    @extend_schema(
        summary="Do we already know this person?",
        description=(
            "Matches by name (typos, nicknames, previous names), date or year of birth, NHS "
            "number, UPN and postcode, best first, each with its score and reasons. For a "
            "record the user may not see, `person` is null: `known` and `contact` say whom "
            "to talk to. Every search is audited with its terms."
        ),
        parameters=[SearchQuerySerializer],
        responses=SearchResultPageSerializer,
    )
    @action(detail=False, methods=["get"], filter_backends=[])
    def search(self, request):
        serializer = SearchQuerySerializer(data=request.query_params)
        serializer.is_valid(raise_exception=True)
        results = services.search_people(
            by=request.user, criteria=search.Criteria(**serializer.validated_data)
        )
        paginator = PageNumberPagination()
        page = paginator.paginate_queryset(results, request, view=self)
        data = SearchResultSerializer(page, many=True, context=self.get_serializer_context())
        return paginator.get_paginated_response(data.data)


@extend_schema_view(
    list=extend_schema(summary="Merges of records the user may see"),
    retrieve=extend_schema(summary="A merge"),
)
class MergeViewSet(AuditedCaseViewSet):
    detail_serializer_class = PersonMergeSerializer
    filterset_class = MergeFilter

    def detail_queryset(self):
        return selectors.merges_for(self.request.user).order_by("-merged_at", "-id")

    @service_action(
        "Undo a merge: both records are separate again, with their own links",
        body=UndoMergeSerializer,
        permission=Permission.MERGE_PEOPLE,
        permission_on=lambda merge: merge.survivor,
    )
    def undo(self, request, merge, **body):
        return services.person_merge_undo(by=request.user, merge=merge, **body)
