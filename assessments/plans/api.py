"""The TAF plan API: plans, their outcomes and actions (DESIGN section 5, step 5; issue 6
item 8). TAF reviews are in `assessments.reviews.api`; how each record is shown, and the
bodies, in `.serializers`.

As in `assessments.assessments.api`: reads are filtered by the access policy (404 for what
the user may not see) and audited; every change goes through `assessments.plans.services`,
whose refusals answer 403 (not allowed) or 400 (not in this state, with the service's
message). A record named by UUID in a body that does not exist, or may not be used, is a
400 on that field that does not say which.

A plan's narrative is saved with a revision, as assessment sections are: a save that names
a revision someone else has since saved over answers 409, with the plan as it now is."""

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import status
from rest_framework.response import Response

from assessments.models import Plan
from assessments.plans import selectors
from assessments.plans import services as plans
from assessments.plans.serializers import (
    PlanActionCreateSerializer,
    PlanActionFilter,
    PlanActionSerializer,
    PlanActionStatusSerializer,
    PlanActionWriteSerializer,
    PlanAgreeSerializer,
    PlanConflictSerializer,
    PlanCreateSerializer,
    PlanDetailSerializer,
    PlanFilter,
    PlanOutcomeCreateSerializer,
    PlanOutcomeFilter,
    PlanOutcomeSerializer,
    PlanOutcomeWriteSerializer,
    PlanSerializer,
    PlanUpdateSerializer,
)
from earlyhelp import access
from earlyhelp.api_actions import (
    conflict_response,
    require_before_body,
    service_action,
    service_create,
)
from earlyhelp.exceptions import ServiceError
from earlyhelp.viewsets import AuditedCaseViewSet

# Plans


@extend_schema_view(
    list=extend_schema(summary="TAF plans the user may see"),
    retrieve=extend_schema(
        summary="A TAF plan, with its outcomes, actions and the Team Around the Family"
    ),
    partial_update=extend_schema(
        summary="Change the draft plan's words (lead professional)",
        description="A revision someone else has saved over since answers 409 with the "
        "plan as it now is.",
        request=PlanUpdateSerializer,
        responses={200: PlanDetailSerializer, 409: PlanConflictSerializer},
    ),
)
class PlanViewSet(AuditedCaseViewSet):
    """Each action answers with the plan as it now is."""

    list_serializer_class = PlanSerializer
    detail_serializer_class = PlanDetailSerializer
    filterset_class = PlanFilter
    http_method_names = ["get", "post", "patch", "head", "options"]

    def list_queryset(self):
        return selectors.plans_for(self.request.user)

    def detail_queryset(self):
        return selectors.with_parts(self.list_queryset())

    def detail_object(self, plan):
        # The user has just acted on it: shown even if it has now left their view.
        return selectors.with_parts(Plan.objects.select_related(*selectors.PLAN_RELATED)).get(
            pk=plan.pk
        )

    @service_create(
        "Start the episode's plan from its approved assessment (lead professional)",
        body=PlanCreateSerializer,
    )
    def create(self, request, **body):
        return plans.plan_create(by=request.user, **body)

    def partial_update(self, request, uuid=None):
        plan = self.get_object()
        require_before_body(
            request.user,
            access.Permission.WORK_ON_EPISODE,
            plan.episode,
            "Only the lead professional can change the plan",
        )
        body = self.parse_body(PlanUpdateSerializer)
        expected = body.pop("revision")
        words = {
            field: body.get(field, getattr(plan, field))
            for field in ("worries", "working_well", "family_words", "contingency")
        }
        try:
            plan = plans.plan_update(
                by=request.user, plan=plan, expected_revision=expected, **words
            )
        except ServiceError as error:
            current = Plan.objects.get(pk=plan.pk)
            if current.is_editable and current.revision != expected:
                return conflict_response(error.message, plan=self.detail_data(current))
            raise
        return self.detail_response(plan)

    @service_action(
        "Agree the plan with the family and the TAF: it is in force (lead professional)",
        body=PlanAgreeSerializer,
        description="It needs the family's words, what happens if things do not improve, "
        "an outcome and an action. The first review falls due a cadence later.",
    )
    def agree(self, request, plan, **body):
        return plans.plan_agree(by=request.user, plan=plan, **body)

    @service_action(
        "Start a new version of the agreed plan, to change it (lead professional)",
        status_code=status.HTTP_201_CREATED,
        url_path="new-version",
    )
    def new_version(self, request, plan):
        return plans.plan_new_version(by=request.user, plan=plan)


# Outcomes and actions


class PlanPartViewSet(AuditedCaseViewSet):
    """An outcome or action of a draft plan: PUT replaces it, PATCH changes the fields
    sent; changes and removals are refused once the plan is agreed."""

    http_method_names = ["get", "post", "put", "patch", "delete", "head", "options"]
    write_serializer = None
    create_serializer = None

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        # The bodies and answers of the writes, in the schema, are the serializers the
        # subclass names; its own extend_schema_view adds each write's summary.
        extend_schema_view(
            create=extend_schema(
                request=cls.create_serializer, responses={201: cls.detail_serializer_class}
            ),
            update=extend_schema(
                request=cls.write_serializer, responses=cls.detail_serializer_class
            ),
            partial_update=extend_schema(
                request=cls.write_serializer, responses=cls.detail_serializer_class
            ),
        )(cls)

    def related_queryset(self):
        raise NotImplementedError

    def current_body(self, instance):
        """The instance's values as a body, for a PATCH to start from."""
        raise NotImplementedError

    def add(self, body):
        raise NotImplementedError

    def change(self, instance, body):
        raise NotImplementedError

    def remove(self, instance):
        raise NotImplementedError

    def detail_object(self, instance):
        # The user has just acted on it: shown even if it has now left their view.
        return self.related_queryset().get(pk=instance.pk)

    def create(self, request):
        body = self.parse_body(self.create_serializer)
        return self.detail_response(self.add(body), status.HTTP_201_CREATED)

    def update(self, request, uuid=None):
        instance = self.get_object()
        return self.detail_response(self.change(instance, self.parse_body(self.write_serializer)))

    def partial_update(self, request, uuid=None):
        instance = self.get_object()
        body = self.parse_body(self.write_serializer, partial=True)
        return self.detail_response(self.change(instance, {**self.current_body(instance), **body}))

    def destroy(self, request, uuid=None):
        self.remove(self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema_view(
    list=extend_schema(summary="Outcomes of plans the user may see"),
    retrieve=extend_schema(summary="An outcome of a plan"),
    create=extend_schema(summary="Add an outcome to a draft plan (lead professional)"),
    update=extend_schema(summary="Change an outcome of a draft plan (lead professional)"),
    partial_update=extend_schema(
        summary="Change some of an outcome of a draft plan (lead professional)"
    ),
    destroy=extend_schema(
        summary="Remove an outcome from a draft plan; its actions stay (lead professional)"
    ),
)
class PlanOutcomeViewSet(PlanPartViewSet):
    detail_serializer_class = PlanOutcomeSerializer
    filterset_class = PlanOutcomeFilter
    write_serializer = PlanOutcomeWriteSerializer
    create_serializer = PlanOutcomeCreateSerializer

    def detail_queryset(self):
        return selectors.outcomes_for(self.request.user)

    def related_queryset(self):
        return selectors.outcome_records()

    def current_body(self, outcome):
        return {
            "description": outcome.description,
            "people": list(outcome.people.all()),
            "need": outcome.need,
            "area": outcome.area,
            "baseline": outcome.baseline,
            "target": outcome.target,
        }

    def add(self, body):
        return plans.plan_outcome_add(by=self.request.user, **body)

    def change(self, outcome, body):
        return plans.plan_outcome_change(by=self.request.user, outcome=outcome, **body)

    def remove(self, outcome):
        plans.plan_outcome_remove(by=self.request.user, outcome=outcome)


@extend_schema_view(
    list=extend_schema(summary="Actions of plans the user may see"),
    retrieve=extend_schema(summary="An action of a plan"),
    create=extend_schema(
        summary="Add an action to a draft plan (lead professional)",
        description="Its owner is a user of the service, or an agency (with a named "
        "contact, or as a whole), or a named person in the family.",
    ),
    update=extend_schema(summary="Change an action of a draft plan (lead professional)"),
    partial_update=extend_schema(
        summary="Change some of an action of a draft plan (lead professional)"
    ),
    destroy=extend_schema(summary="Remove an action from a draft plan (lead professional)"),
)
class PlanActionViewSet(PlanPartViewSet):
    detail_serializer_class = PlanActionSerializer
    filterset_class = PlanActionFilter
    write_serializer = PlanActionWriteSerializer
    create_serializer = PlanActionCreateSerializer

    def detail_queryset(self):
        return selectors.actions_for(self.request.user)

    def related_queryset(self):
        return selectors.action_records()

    def current_body(self, plan_action):
        return {
            "outcome": plan_action.outcome,
            "description": plan_action.description,
            "owner_user": plan_action.owner_user,
            "owner_agency": plan_action.owner_agency,
            "owner_name": plan_action.owner_name,
            "due_on": plan_action.due_on,
        }

    def add(self, body):
        return plans.plan_action_add(by=self.request.user, **body)

    def change(self, plan_action, body):
        return plans.plan_action_change(by=self.request.user, action=plan_action, **body)

    def remove(self, plan_action):
        plans.plan_action_remove(by=self.request.user, action=plan_action)

    @service_action(
        "Say how an action of the agreed plan is going (its owner or the lead professional)",
        body=PlanActionStatusSerializer,
        permission=access.Permission.UPDATE_PLAN_ACTION,
        refusal="Only the action's owner or the lead professional can do this",
        url_path="status",
    )
    def set_status(self, request, plan_action, **body):
        return plans.plan_action_set_status(
            by=request.user, action=plan_action, status=body["status"]
        )
