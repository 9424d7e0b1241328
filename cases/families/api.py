"""The families API: families, household memberships, relationships and case notes.

Reads come from `cases.families.selectors`, already filtered by the access policy; every
write goes through `cases.families.services`; list and detail reads are audited. Records
the user may not see answer 404 (or, named in a request body or a filter, a field error
that does not say whether they exist); records they see but may not change, 403.
"""

import django_filters
from django.db.models import Q
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins

from cases.families import selectors, services
from cases.families.serializers import (
    FamilyDetailSerializer,
    FamilySerializer,
    LeaveSerializer,
    MembershipSerializer,
    NoteCreateSerializer,
    NoteQuerySerializer,
    NoteSerializer,
    RelationshipSerializer,
)
from cases.models import Family, FamilyMembership, Person, Relationship
from earlyhelp import access
from earlyhelp.api import VisibleRecordFilter
from earlyhelp.api_actions import service_action
from earlyhelp.viewsets import AuditedCaseCreateViewSet, CaseRecordViewSet

Permission = access.Permission


class FamilyFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label="Family name", field_name="name", lookup_expr="icontains")

    class Meta:
        model = Family
        fields = ["q"]


class MembershipFilter(django_filters.FilterSet):
    family = VisibleRecordFilter(model=Family, label="Family (UUID)")
    person = VisibleRecordFilter(model=Person, label="Person (UUID)")
    current = django_filters.BooleanFilter(
        label="Only current (true) or only past (false) memberships",
        field_name="left_on",
        lookup_expr="isnull",
    )

    class Meta:
        model = FamilyMembership
        fields = ["family", "person", "current"]


class RelationshipFilter(django_filters.FilterSet):
    family = VisibleRecordFilter(model=Family, label="Family (UUID)")
    person = VisibleRecordFilter(
        model=Person, label="Person (UUID), on either side", method="involving"
    )

    class Meta:
        model = Relationship
        fields = ["family", "person"]

    def involving(self, queryset, name, person):
        return queryset.filter(Q(from_person=person) | Q(to_person=person))


@extend_schema_view(
    list=extend_schema(summary="Families the user may see"),
    retrieve=extend_schema(summary="A family, with its members and relationships"),
    create=extend_schema(summary="Create a family", responses={201: FamilyDetailSerializer}),
    partial_update=extend_schema(summary="Change a family"),
)
class FamilyViewSet(CaseRecordViewSet):
    list_serializer_class = FamilySerializer
    detail_serializer_class = FamilyDetailSerializer
    filterset_class = FamilyFilter
    create_service = staticmethod(services.family_create)
    update_service = staticmethod(services.family_update)

    def list_queryset(self):
        return selectors.families_for(self.request.user)

    def detail_queryset(self):
        return selectors.family_detail_for(self.request.user)


@extend_schema_view(
    list=extend_schema(summary="Household memberships in families the user may see"),
    retrieve=extend_schema(summary="A household membership"),
    create=extend_schema(summary="Add a person to a family"),
)
class MembershipViewSet(AuditedCaseCreateViewSet):
    # Memberships and relationships have no UUID: they are parts of the family's record.
    lookup_field = "pk"
    detail_serializer_class = MembershipSerializer
    filterset_class = MembershipFilter
    create_service = staticmethod(services.family_member_add)

    def detail_queryset(self):
        return selectors.memberships_for(self.request.user)

    @service_action(
        "The person has left the household",
        body=LeaveSerializer,
        permission=Permission.CHANGE_CASE_RECORD,
        permission_on=lambda membership: membership.family,
    )
    def leave(self, request, membership, **body):
        return services.family_member_leave(by=request.user, membership=membership, **body)


@extend_schema_view(
    list=extend_schema(summary="Relationships in families the user may see"),
    retrieve=extend_schema(summary="A relationship"),
    create=extend_schema(summary="Record how two members of a family are related"),
    destroy=extend_schema(summary="Remove a relationship recorded in error"),
)
class RelationshipViewSet(AuditedCaseCreateViewSet, mixins.DestroyModelMixin):
    lookup_field = "pk"
    detail_serializer_class = RelationshipSerializer
    filterset_class = RelationshipFilter
    create_service = staticmethod(services.relationship_add)

    def detail_queryset(self):
        return selectors.relationships_for(self.request.user)

    def perform_destroy(self, instance):
        services.relationship_remove(by=self.request.user, relationship=instance)


@extend_schema_view(
    list=extend_schema(
        summary="A family's case notes, newest first (or its chronology, oldest first)",
        parameters=[NoteQuerySerializer],
    ),
    retrieve=extend_schema(summary="A case note"),
    create=extend_schema(
        summary="Add a case note",
        request=NoteCreateSerializer,
        responses={201: NoteSerializer},
    ),
)
class NoteViewSet(AuditedCaseCreateViewSet):
    detail_serializer_class = NoteSerializer
    filter_backends = []
    create_serializer_class = NoteCreateSerializer
    create_service = staticmethod(services.note_add)

    def detail_queryset(self):
        return selectors.all_notes_for(self.request.user)

    def list(self, request, *args, **kwargs):
        query = NoteQuerySerializer(
            data=request.query_params, context=self.get_serializer_context()
        )
        query.is_valid(raise_exception=True)
        notes = selectors.notes_for(request.user, **query.validated_data)
        page = self.paginate_queryset(notes)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)
