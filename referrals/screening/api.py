"""The screening API: triage officers work the queue, screen requests and decide them.

Screening lives under each request's address (`/api/requests/{uuid}/claim/`, `.../decision/`),
so its actions are a mixin of the requests viewset (`ScreeningActions`), not a viewset of
their own: one URL prefix and one router name. Each action is for triage officers (403 for
anyone else, before the request is looked up); a request they cannot see is a 404. Records
named in a body by UUID that do not exist (or may not be used) are a 400 on that field.
"""

import uuid as uuid_lib

from django.db.models import Prefetch, prefetch_related_objects
from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import BasePermission
from rest_framework.response import Response

from accounts.models import Role
from audit.services import record_list, record_view
from cases.people import search
from cases.people.api import possible_duplicates_response
from cases.people.serializers import PossibleDuplicatesSerializer
from earlyhelp import access
from earlyhelp.api_actions import ServiceActionMixin, service_action
from referrals.models import RequestForSupport, ScreeningCheck
from referrals.screening import selectors, services
from referrals.screening.decisions import services as decisions
from referrals.screening.filters import TriageQueueFilter
from referrals.screening.serializers import (
    AssignSerializer,
    CandidatesSerializer,
    CheckAnswerSerializer,
    CheckCreateSerializer,
    CheckSerializer,
    ConsentSerializer,
    CreateFamilySerializer,
    CreatePersonSerializer,
    DecisionCreateSerializer,
    DecisionSerializer,
    IndicatorsResultSerializer,
    IndicatorsSerializer,
    LinkFamilySerializer,
    MatchSerializer,
    NotesSerializer,
    ScreeningSerializer,
    TriageQueueItemSerializer,
)
from thresholds.models import Indicator


class ScreensRequests(BasePermission):
    message = "Only triage officers screen requests for support."

    def has_permission(self, request, view):
        return access.has_role(request.user, Role.TRIAGE_OFFICER)


@extend_schema_view(
    list=extend_schema(
        summary="The triage queue: open requests in the order they fall due (triage officers)",
        description="`locality` filters by locality id, or `none` for not known yet; "
        "`assigned` is `me` or `unassigned`.",
    )
)
class TriageQueueViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """List only, so not AuditedViewSetMixin (whose retrieve would add a detail route):
    the page sent is recorded as a list, with the filters used."""

    permission_classes = [ScreensRequests]
    serializer_class = TriageQueueItemSerializer
    filterset_class = TriageQueueFilter

    def get_queryset(self):
        return selectors.triage_queue_for(self.request.user)

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        record_list(
            actor=self.request.user,
            model=RequestForSupport,
            objects=page if page is not None else queryset,
            filters=self.request.query_params.dict(),
        )
        return page


def screening_action(summary, **kwargs):
    """A POST that changes screening, for triage officers, answering with the screening
    view of the request."""
    return service_action(summary, permission_classes=[ScreensRequests], **kwargs)


class ScreeningActions(ServiceActionMixin):
    """The screening actions of the requests viewset (see the module docstring)."""

    # Screening actions answer with the request as screening sees it, read again.
    detail_serializer_class = ScreeningSerializer

    def get_object(self):
        self.request_for_support = super().get_object()
        return self.request_for_support

    def get_serializer_context(self):
        # Bodies name people on this request by id (RequestPersonChoiceField).
        context = super().get_serializer_context()
        if getattr(self, "request_for_support", None) is not None:
            context["request_for_support"] = self.request_for_support
        return context

    def detail_object(self, obj):
        """The screening view of the request, as it is now; recorded as a view."""
        user = self.request.user
        instance = selectors.screening_detail_for(user).get(pk=obj.pk)
        record_view(actor=user, obj=instance)
        return instance

    @extend_schema(
        summary="Everything screening needs about a request", responses=ScreeningSerializer
    )
    @action(detail=True, methods=["get"], permission_classes=[ScreensRequests])
    def screening(self, request, uuid=None):
        request_for_support = self.get_object()
        record_view(actor=request.user, obj=request_for_support)
        data = ScreeningSerializer(request_for_support, context=self.get_serializer_context()).data
        return Response(data)

    @extend_schema(
        summary="Records that may be the people on the request (an audited search each)",
        responses=CandidatesSerializer(many=True),
    )
    @action(
        detail=True, methods=["get"], permission_classes=[ScreensRequests], pagination_class=None
    )
    def candidates(self, request, uuid=None):
        request_for_support = self.get_object()
        rows = [
            {
                "request_person": person,
                "results": services.screening_candidates(by=request.user, request_person=person),
            }
            for person in request_for_support.people.all()
            if person.matched_person_id is None
        ]
        return Response(
            CandidatesSerializer(rows, many=True, context=self.get_serializer_context()).data
        )

    @screening_action("Take the request to screen it yourself")
    def claim(self, request, obj):
        return services.request_claim(by=request.user, request=obj)

    @screening_action("Give the request to a triage officer", body=AssignSerializer)
    def assign(self, request, obj, assigned_to):
        services.request_assign(by=request.user, request=obj, to=assigned_to)

    @screening_action(
        "Match someone on the request to a person record (null undoes a match)",
        body=MatchSerializer,
    )
    def match(self, request, obj, request_person, person):
        services.screening_match_person(
            by=request.user, request_person=request_person, person=person
        )

    @screening_action(
        "Create a person record from someone on the request, and match it",
        body=CreatePersonSerializer,
        respond={201: ScreeningSerializer, 409: PossibleDuplicatesSerializer},
        status_code=status.HTTP_201_CREATED,
        url_path="create-person",
    )
    def create_person(self, request, obj, **data):
        try:
            services.screening_create_person(by=request.user, **data)
        except search.PossibleDuplicates as duplicates:
            context = self.get_serializer_context()
            return possible_duplicates_response(request.user, duplicates, context)

    @screening_action("Link the request to a family record", body=LinkFamilySerializer)
    def family(self, request, obj, family):
        services.screening_link_family(by=request.user, request=obj, family=family)

    @screening_action(
        "Create a family for the people matched on the request, and link it",
        body=CreateFamilySerializer,
        status_code=status.HTTP_201_CREATED,
        url_path="create-family",
    )
    def create_family(self, request, obj, **data):
        services.screening_create_family(by=request.user, request=obj, **data)

    @screening_action("Record the family's consent as found in screening", body=ConsentSerializer)
    def consent(self, request, obj, **data):
        services.screening_record_consent(by=request.user, request=obj, **data)

    @screening_action("Save the screening notes", body=NotesSerializer)
    def notes(self, request, obj, screening_notes):
        services.screening_notes_save(by=request.user, request=obj, notes=screening_notes)

    @extend_schema(
        summary="Tick threshold indicators (replacing those ticked); answers the suggested level",
        request=IndicatorsSerializer,
        responses=IndicatorsResultSerializer,
    )
    @action(detail=True, methods=["put", "post"], permission_classes=[ScreensRequests])
    def indicators(self, request, uuid=None):
        request_for_support = self.get_object()
        chosen = self.parse_body(IndicatorsSerializer)["indicators"]
        level = services.screening_indicators_set(
            by=request.user, request=request_for_support, indicators=chosen
        )
        result = {"indicators": chosen, "suggested_level": level}
        return Response(IndicatorsResultSerializer(result).data)

    @extend_schema(
        methods=["GET"], summary="Checks with other agencies", responses=CheckSerializer(many=True)
    )
    @extend_schema(
        methods=["POST"],
        summary="Record a check with another agency",
        request=CheckCreateSerializer,
        responses={201: CheckSerializer},
    )
    @action(
        detail=True,
        methods=["get", "post"],
        permission_classes=[ScreensRequests],
        pagination_class=None,
    )
    def checks(self, request, uuid=None):
        request_for_support = self.get_object()
        if request.method == "GET":
            checks = list(
                ScreeningCheck.objects.filter(request=request_for_support)
                .select_related("agency")
                .order_by("asked_at", "pk")
            )
            record_list(
                actor=request.user,
                model=ScreeningCheck,
                objects=checks,
                filters={"request": str(request_for_support.uuid)},
            )
            return Response(CheckSerializer(checks, many=True).data)
        data = self.parse_body(CheckCreateSerializer)
        check = services.screening_check_add(by=request.user, request=request_for_support, **data)
        return Response(CheckSerializer(check).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Record an agency's answer to a check",
        request=CheckAnswerSerializer,
        responses=CheckSerializer,
        parameters=[OpenApiParameter("check_uuid", OpenApiTypes.UUID, OpenApiParameter.PATH)],
    )
    @action(
        detail=True,
        methods=["post"],
        url_path=r"checks/(?P<check_uuid>[^/.]+)/answer",
        url_name="check-answer",
        permission_classes=[ScreensRequests],
    )
    def check_answer(self, request, uuid=None, check_uuid=None):
        request_for_support = self.get_object()
        check = (
            ScreeningCheck.objects.filter(
                request=request_for_support, uuid=_check_uuid_or_404(check_uuid)
            )
            .select_related("agency", "request")
            .first()
        )
        if check is None:
            raise Http404("No check found")
        data = self.parse_body(CheckAnswerSerializer)
        check = services.screening_check_answer(by=request.user, check=check, **data)
        return Response(CheckSerializer(check).data)

    @extend_schema(
        methods=["GET"],
        summary="The decision on the request (404 if not decided)",
        responses=DecisionSerializer,
    )
    @extend_schema(
        methods=["POST"],
        summary="Decide the outcome of screening (once)",
        request=DecisionCreateSerializer,
        responses={201: DecisionSerializer},
        description="A Team Around the Family opens an episode awaiting allocation in the "
        "locality (or joins the family's open episode). A second decision is a 400.",
    )
    @action(detail=True, methods=["get", "post"], permission_classes=[ScreensRequests])
    def decision(self, request, uuid=None):
        request_for_support = self.get_object()
        if request.method == "GET":
            decision = selectors.decision_for(request.user, request_for_support)
            if decision is None:
                raise Http404("This request has not been decided yet")
            record_view(actor=request.user, obj=decision)
            return Response(DecisionSerializer(decision).data)
        data = self.parse_body(DecisionCreateSerializer)
        decision = decisions.request_decide(
            by=request.user, request=request_for_support, data=decisions.DecisionInput(**data)
        )
        # The officer may no longer see the decided request (it has left the queue), so
        # the answer is the decision as made, not a read through the access policy.
        prefetch_related_objects(
            [decision], Prefetch("indicators", queryset=Indicator.objects.select_related("level"))
        )
        return Response(DecisionSerializer(decision).data, status=status.HTTP_201_CREATED)


def _check_uuid_or_404(value):
    try:
        return uuid_lib.UUID(str(value))
    except ValueError as error:
        raise Http404("No check found") from error
