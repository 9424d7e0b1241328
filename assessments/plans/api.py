"""The TAF plan API: plans, their outcomes and actions, and TAF reviews (DESIGN section 5,
step 5; issue 6 item 8).

As in `assessments.assessments.api`: reads are filtered by the access policy (404 for what the user
may not see) and audited; every change goes through `assessments.plans.services` and
`.reviews`, whose refusals answer 403 (not allowed) or 400 (not in this state, with the
service's message). A record named by UUID in a body that does not exist, or may not be
used, is a 400 on that field that does not say which.

A plan's narrative is saved with a revision, as assessment sections are: a save that names
a revision someone else has since saved over answers 409, with the plan as it now is.
Reviews are a record of a meeting: they are not changed afterwards.
"""

import django_filters
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Prefetch
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view
from rest_framework import exceptions, mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from accounts.api import UserRefSerializer
from accounts.models import Agency, User
from assessments.models import (
    ActionStatus,
    Plan,
    PlanAction,
    PlanOutcome,
    PlanStatus,
    Rag,
    Review,
    ReviewDecision,
    ReviewProgress,
    SupportingFamiliesArea,
)
from assessments.plans import services as plans
from assessments.reviews import services as reviews
from audit.views import AuditedViewSetMixin
from cases.episodes.serializers import FamilyRefSerializer, level_field
from cases.models import ClosureReason, Episode, OutcomesAchieved, Person, TafMember
from cases.people.serializers import PersonRefSerializer
from earlyhelp import access
from earlyhelp.api import UUIDRecordField, VisibleRecordField, VisibleRecordFilter
from earlyhelp.api_fields import choice_text, team_field
from earlyhelp.exceptions import ServiceError
from earlyhelp.viewsets import WorksOnCases


def _values(choices):
    return "One of: " + ", ".join(value for value, _ in choices)


# Representations


class AgencyNameSerializer(serializers.ModelSerializer):
    class Meta:
        model = Agency
        fields = ["uuid", "name"]


class TafMemberRefSerializer(serializers.ModelSerializer):
    """Someone in the Team Around the Family, and how to reach them."""

    name = serializers.CharField(read_only=True)
    agency = AgencyNameSerializer(read_only=True, allow_null=True)

    class Meta:
        model = TafMember
        fields = ["uuid", "name", "role", "agency", "contact_email", "contact_phone"]


class PlanOutcomeSerializer(serializers.ModelSerializer):
    plan = serializers.SlugRelatedField(slug_field="uuid", read_only=True)
    people = PersonRefSerializer(many=True, read_only=True)
    area = choice_text(SupportingFamiliesArea.choices)
    area_display = serializers.CharField(source="get_area_display", read_only=True)
    lineage = serializers.UUIDField(
        read_only=True, help_text="The same outcome in every version of the plan"
    )

    class Meta:
        model = PlanOutcome
        fields = [
            "uuid",
            "plan",
            "lineage",
            "position",
            "description",
            "people",
            "need",
            "area",
            "area_display",
            "baseline",
            "target",
        ]


class PlanActionSerializer(serializers.ModelSerializer):
    plan = serializers.SlugRelatedField(slug_field="uuid", read_only=True)
    outcome = serializers.SlugRelatedField(
        slug_field="uuid",
        read_only=True,
        allow_null=True,
        help_text="The outcome the action works towards, if any",
    )
    owner_user = UserRefSerializer(read_only=True, allow_null=True)
    owner_agency = AgencyNameSerializer(read_only=True, allow_null=True)
    owner = serializers.CharField(read_only=True, help_text="Who will do it, in words")
    status = choice_text(ActionStatus.choices)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    is_overdue = serializers.BooleanField(read_only=True)
    status_changed_by = UserRefSerializer(read_only=True, allow_null=True)

    class Meta:
        model = PlanAction
        fields = [
            "uuid",
            "plan",
            "outcome",
            "position",
            "description",
            "owner_user",
            "owner_agency",
            "owner_name",
            "owner",
            "due_on",
            "status",
            "status_display",
            "is_overdue",
            "status_changed_by",
            "status_changed_at",
        ]


class PlanSerializer(serializers.ModelSerializer):
    episode = serializers.SlugRelatedField(slug_field="uuid", read_only=True)
    family = FamilyRefSerializer(source="episode.family", read_only=True)
    previous = serializers.SlugRelatedField(
        slug_field="uuid",
        read_only=True,
        allow_null=True,
        help_text="The version this one changes",
    )
    status = choice_text(PlanStatus.choices)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    is_editable = serializers.BooleanField(read_only=True)
    is_review_overdue = serializers.BooleanField(read_only=True)

    class Meta:
        model = Plan
        fields = [
            "uuid",
            "episode",
            "family",
            "version",
            "previous",
            "status",
            "status_display",
            "is_editable",
            "revision",
            "agreed_on",
            "next_review_on",
            "is_review_overdue",
        ]


class PlanDetailSerializer(PlanSerializer):
    assessment = serializers.SlugRelatedField(
        slug_field="uuid",
        read_only=True,
        allow_null=True,
        help_text="The approved assessment the plan answers",
    )
    from_review = serializers.SlugRelatedField(
        slug_field="uuid",
        read_only=True,
        allow_null=True,
        help_text="The review that started this version",
    )
    agreed_by = UserRefSerializer(read_only=True, allow_null=True)
    outcomes = PlanOutcomeSerializer(many=True, read_only=True)
    actions = PlanActionSerializer(many=True, read_only=True)
    taf_members = TafMemberRefSerializer(
        source="episode.current_taf_members",
        many=True,
        read_only=True,
        help_text="The episode's Team Around the Family now",
    )

    class Meta(PlanSerializer.Meta):
        fields = [
            *PlanSerializer.Meta.fields,
            "assessment",
            "from_review",
            "worries",
            "working_well",
            "family_words",
            "contingency",
            "agreed_by",
            "outcomes",
            "actions",
            "taf_members",
        ]


class ReviewProgressSerializer(serializers.ModelSerializer):
    outcome = serializers.UUIDField(source="outcome.uuid", read_only=True)
    outcome_description = serializers.CharField(source="outcome.description", read_only=True)
    rag = choice_text(Rag.choices)
    rag_display = serializers.CharField(source="get_rag_display", read_only=True)
    baseline = serializers.IntegerField(source="outcome.baseline", read_only=True)
    target = serializers.IntegerField(source="outcome.target", read_only=True)

    class Meta:
        model = ReviewProgress
        fields = [
            "outcome",
            "outcome_description",
            "rag",
            "rag_display",
            "score",
            "comment",
            "baseline",
            "target",
        ]


class ReviewSerializer(serializers.ModelSerializer):
    episode = serializers.SlugRelatedField(slug_field="uuid", read_only=True)
    family = FamilyRefSerializer(source="episode.family", read_only=True)
    plan = serializers.SlugRelatedField(slug_field="uuid", read_only=True)
    plan_version = serializers.IntegerField(source="plan.version", read_only=True)
    attendees = TafMemberRefSerializer(many=True, read_only=True)
    progress = ReviewProgressSerializer(many=True, read_only=True)
    decision = choice_text(ReviewDecision.choices)
    decision_display = serializers.CharField(source="get_decision_display", read_only=True)
    held_on_time = serializers.BooleanField(read_only=True)
    transition = serializers.SlugRelatedField(
        slug_field="uuid",
        read_only=True,
        allow_null=True,
        help_text="The step up the review asked for",
    )
    new_plan = serializers.SerializerMethodField(
        help_text="The new version of the plan the review started, if any"
    )
    created_by = UserRefSerializer(read_only=True, allow_null=True)

    class Meta:
        model = Review
        fields = [
            "uuid",
            "episode",
            "family",
            "plan",
            "plan_version",
            "held_on",
            "due_on",
            "held_on_time",
            "attendees",
            "other_attendees",
            "child_views",
            "family_views",
            "summary",
            "progress",
            "decision",
            "decision_display",
            "decision_reason",
            "next_review_on",
            "transition",
            "new_plan",
            "created_by",
            "created_at",
        ]

    @extend_schema_field(serializers.UUIDField(allow_null=True))
    def get_new_plan(self, review):
        started = review.plans_started.all()
        return str(started[0].uuid) if started else None


# Reads


PLAN_RELATED = ("episode__family", "previous")


def plans_for(user):
    return access.visible(user, Plan.objects.all()).select_related(*PLAN_RELATED)


def _current_taf_members():
    return TafMember.objects.current().select_related("user", "agency")


OUTCOME_RELATED = ("plan",)
ACTION_RELATED = ("plan", "outcome", "owner_user", "owner_agency", "status_changed_by")


def _outcomes():
    return PlanOutcome.objects.select_related(*OUTCOME_RELATED).prefetch_related("people")


def _actions():
    return PlanAction.objects.select_related(*ACTION_RELATED)


def with_details(plans_qs):
    return plans_qs.select_related("assessment", "from_review", "agreed_by").prefetch_related(
        Prefetch("outcomes", queryset=_outcomes()),
        Prefetch("actions", queryset=_actions()),
        Prefetch(
            "episode__taf_members",
            queryset=_current_taf_members(),
            to_attr="current_taf_members",
        ),
    )


def outcomes_for(user):
    return access.visible(user, _outcomes())


def actions_for(user):
    return access.visible(user, _actions())


def _reviews():
    return Review.objects.select_related(
        "episode__family", "plan", "transition", "created_by"
    ).prefetch_related(
        Prefetch("attendees", queryset=TafMember.objects.select_related("user", "agency")),
        Prefetch("progress", queryset=ReviewProgress.objects.select_related("outcome")),
        Prefetch("plans_started", queryset=Plan.objects.only("uuid", "from_review")),
    )


def reviews_for(user):
    return access.visible(user, _reviews())


# Bodies


def _score_field(what):
    message = f"Enter {what} as a whole number from 0 to 10"
    return serializers.IntegerField(
        required=False,
        allow_null=True,
        default=None,
        help_text="0 to 10",
        error_messages={"invalid": message, "max_string_length": message},
    )


def _text(**kwargs):
    return serializers.CharField(required=False, allow_blank=True, default="", **kwargs)


class PlanCreateSerializer(serializers.Serializer):
    episode = VisibleRecordField(
        queryset=Episode.objects.all(), error_messages={"does_not_exist": "Choose an episode"}
    )


class PlanUpdateSerializer(serializers.Serializer):
    """Fields left out keep what the plan has."""

    worries = serializers.CharField(required=False, allow_blank=True)
    working_well = serializers.CharField(required=False, allow_blank=True)
    family_words = serializers.CharField(required=False, allow_blank=True)
    contingency = serializers.CharField(required=False, allow_blank=True)
    revision = serializers.IntegerField(
        min_value=0,
        help_text="The revision the words were started from; a save over someone else's "
        "since answers 409",
    )


class PlanAgreeSerializer(serializers.Serializer):
    agreed_on = serializers.DateField(
        required=False, allow_null=True, default=None, help_text="Today if left out"
    )


class PlanConflictSerializer(serializers.Serializer):
    """409: someone saved the plan since the revision sent. `plan` is as it now is."""

    status = serializers.IntegerField()
    code = serializers.CharField()
    message = serializers.CharField()
    plan = PlanDetailSerializer()


class PlanOutcomeWriteSerializer(serializers.Serializer):
    """Checked by the service, which names every problem at once."""

    description = _text()
    people = VisibleRecordField(
        queryset=Person.objects.all(),
        many=True,
        required=False,
        default=list,
        error_messages={"does_not_exist": "Choose people in the family"},
        help_text="Whom the outcome is for (UUIDs of people in the family)",
    )
    need = _text()
    area = _text(help_text=_values(SupportingFamiliesArea.choices))
    baseline = _score_field("where things are now")
    target = _score_field("where the family wants to get to")


class PlanOutcomeCreateSerializer(PlanOutcomeWriteSerializer):
    plan = VisibleRecordField(
        queryset=Plan.objects.all(), error_messages={"does_not_exist": "Choose a plan"}
    )


class PlanActionWriteSerializer(serializers.Serializer):
    outcome = VisibleRecordField(
        queryset=PlanOutcome.objects.all(),
        required=False,
        allow_null=True,
        default=None,
        error_messages={"does_not_exist": "Choose an outcome of this plan"},
    )
    description = _text()
    owner_user = UUIDRecordField(
        # Any user by UUID: whether they may own an action of this plan is the plan service's
        # question, answered from the same list as the plan page's form (one message for
        # both, so the answer does not say whether the UUID exists).
        queryset=User.objects.filter(is_active=True),
        message=plans.OWNER_USER_MESSAGE,
        required=False,
        allow_null=True,
        default=None,
        help_text="The lead professional, a member of the episode's team or a user in the TAF",
    )
    owner_agency = UUIDRecordField(
        queryset=Agency.objects.all(),
        message="Choose an agency from the list",
        required=False,
        allow_null=True,
        default=None,
    )
    owner_name = _text(max_length=200, help_text="A named contact at the agency, or in the family")
    due_on = serializers.DateField(required=False, allow_null=True, default=None)


class PlanActionCreateSerializer(PlanActionWriteSerializer):
    plan = VisibleRecordField(
        queryset=Plan.objects.all(), error_messages={"does_not_exist": "Choose a plan"}
    )


class PlanActionStatusSerializer(serializers.Serializer):
    status = serializers.CharField(
        help_text=_values(ActionStatus.choices),
        error_messages={
            "blank": "Choose how the action is going",
            "required": "Choose how the action is going",
        },
    )


class ProgressSerializer(serializers.Serializer):
    outcome = serializers.UUIDField(
        help_text="An outcome of the plan",
        error_messages={"invalid": "Choose an outcome of the plan"},
    )
    rag = _text(help_text=_values(Rag.choices))
    score = _score_field("the scaling score")
    comment = _text()


class StepUpBodySerializer(serializers.Serializer):
    to_level = level_field(
        "Choose a level of the current threshold framework",
        required=False,
        allow_null=True,
        default=None,
    )
    receiving_team = team_field(
        "Choose a children's social care team", required=False, allow_null=True, default=None
    )
    evidence = _text()
    handover_notes = _text()


class ClosureBodySerializer(serializers.Serializer):
    reason = _text(help_text=_values(ClosureReason.choices))
    summary = _text()
    outcomes_achieved = _text(help_text=_values(OutcomesAchieved.choices))
    family_feedback = _text(help_text="The family's views are used if left blank")


class ReviewCreateSerializer(serializers.Serializer):
    """Checked by the service, which names every problem at once."""

    plan = VisibleRecordField(
        queryset=Plan.objects.all(), error_messages={"does_not_exist": "Choose a plan"}
    )
    held_on = serializers.DateField(required=False, allow_null=True, default=None)
    attendees = VisibleRecordField(
        queryset=TafMember.objects.all(),
        many=True,
        required=False,
        default=list,
        error_messages={"does_not_exist": "Choose members of this family's Team Around the Family"},
        help_text="TAF members who came (UUIDs)",
    )
    other_attendees = _text()
    child_views = _text()
    family_views = _text()
    summary = _text()
    progress = ProgressSerializer(
        many=True, required=False, default=list, help_text="One for every outcome of the plan"
    )
    decision = _text(help_text=_values(ReviewDecision.choices))
    decision_reason = _text()
    next_review_on = serializers.DateField(
        required=False, allow_null=True, default=None, help_text="A cadence on if left out"
    )
    new_plan_version = serializers.BooleanField(
        required=False, default=False, help_text="Start a new version of the plan (continue)"
    )
    step_up = StepUpBodySerializer(required=False, allow_null=True, default=None)
    closure = ClosureBodySerializer(required=False, allow_null=True, default=None)


# The service names fields as the review page does; the API's body nests some of them.
_REVIEW_NESTED_FIELDS = {
    "to_level": ("step_up", "to_level"),
    "receiving_team": ("step_up", "receiving_team"),
    "closure_reason": ("closure", "reason"),
    "closure_summary": ("closure", "summary"),
    "outcomes_achieved": ("closure", "outcomes_achieved"),
}
_PROGRESS_PREFIX = "progress-"


def _review_errors(message_dict):
    """The service's field errors in the shape of the body: `step_up` and `closure` nested,
    progress by outcome UUID under `progress`."""
    errors = {}
    for field, messages in message_dict.items():
        if field in _REVIEW_NESTED_FIELDS:
            outer, inner = _REVIEW_NESTED_FIELDS[field]
            errors.setdefault(outer, {})[inner] = messages
        elif field.startswith(_PROGRESS_PREFIX):
            errors.setdefault("progress", {})[field.removeprefix(_PROGRESS_PREFIX)] = messages
        elif field == "progress":
            errors.setdefault("progress", {})["non_field_errors"] = messages
        elif field == "__all__":
            errors["non_field_errors"] = messages
        else:
            errors[field] = messages
    return errors


# Filters


class PlanFilter(django_filters.FilterSet):
    episode = VisibleRecordFilter(model=Episode)
    status = django_filters.ChoiceFilter(
        choices=PlanStatus.choices,
        error_messages={"invalid_choice": "Choose a status from the list"},
    )

    class Meta:
        model = Plan
        fields = ["episode", "status"]


class PlanOutcomeFilter(django_filters.FilterSet):
    plan = VisibleRecordFilter(model=Plan)

    class Meta:
        model = PlanOutcome
        fields = ["plan"]


class PlanActionFilter(django_filters.FilterSet):
    plan = VisibleRecordFilter(model=Plan)
    status = django_filters.ChoiceFilter(
        choices=ActionStatus.choices,
        error_messages={"invalid_choice": "Choose a status from the list"},
    )

    class Meta:
        model = PlanAction
        fields = ["plan", "status"]


class ReviewFilter(django_filters.FilterSet):
    episode = VisibleRecordFilter(model=Episode)
    plan = VisibleRecordFilter(model=Plan)

    class Meta:
        model = Review
        fields = ["episode", "plan"]


class _BodyMixin:
    def _body(self, serializer_class, **kwargs):
        serializer = serializer_class(
            data=self.request.data, context=self.get_serializer_context(), **kwargs
        )
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data

    def _require(self, permission, obj, message):
        """Ask the policy before reading the body, so a user who may see the record but not
        do this gets 403 rather than a 400 about what they sent. The service asks again: it
        is the authority."""
        if not access.can(self.request.user, permission, obj):
            raise exceptions.PermissionDenied(message)


# Plans


def _plan_action(summary, request=None, responses=PlanDetailSerializer, description=""):
    return extend_schema(
        summary=summary, description=description, request=request, responses=responses
    )


@extend_schema_view(
    list=extend_schema(summary="TAF plans the user may see"),
    retrieve=extend_schema(
        summary="A TAF plan, with its outcomes, actions and the Team Around the Family"
    ),
    create=extend_schema(
        summary="Start the episode's plan from its approved assessment (lead professional)",
        request=PlanCreateSerializer,
        responses={201: PlanDetailSerializer},
    ),
    partial_update=extend_schema(
        summary="Change the draft plan's words (lead professional)",
        description="A revision someone else has saved over since answers 409 with the "
        "plan as it now is.",
        request=PlanUpdateSerializer,
        responses={200: PlanDetailSerializer, 409: PlanConflictSerializer},
    ),
)
class PlanViewSet(
    AuditedViewSetMixin,
    _BodyMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """Each action answers with the plan as it now is."""

    permission_classes = [WorksOnCases]
    lookup_field = "uuid"
    filterset_class = PlanFilter
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        plans_qs = plans_for(self.request.user)
        if self.action == "list":
            return plans_qs
        return with_details(plans_qs)

    def get_serializer_class(self):
        if self.action == "list":
            return PlanSerializer
        return PlanDetailSerializer

    def _plan_data(self, plan):
        # The user has just acted on it: shown even if it has now left their view.
        plan = with_details(Plan.objects.select_related(*PLAN_RELATED)).get(pk=plan.pk)
        return PlanDetailSerializer(plan, context=self.get_serializer_context()).data

    def _detail(self, plan, status_code=status.HTTP_200_OK):
        return Response(self._plan_data(plan), status=status_code)

    def create(self, request):
        body = self._body(PlanCreateSerializer)
        plan = plans.plan_create(by=request.user, episode=body["episode"])
        return self._detail(plan, status.HTTP_201_CREATED)

    def partial_update(self, request, uuid=None):
        plan = self.get_object()
        self._require(
            access.Permission.WORK_ON_EPISODE,
            plan.episode,
            "Only the lead professional can change the plan",
        )
        body = self._body(PlanUpdateSerializer)
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
                return self._conflict(error, current)
            raise
        return self._detail(plan)

    def _conflict(self, error, plan):
        body = {
            "status": status.HTTP_409_CONFLICT,
            "code": "conflict",
            "message": error.message,
            "plan": self._plan_data(plan),
        }
        return Response(body, status=status.HTTP_409_CONFLICT)

    @_plan_action(
        "Agree the plan with the family and the TAF: it is in force (lead professional)",
        PlanAgreeSerializer,
        description="It needs the family's words, what happens if things do not improve, "
        "an outcome and an action. The first review falls due a cadence later.",
    )
    @action(detail=True, methods=["post"])
    def agree(self, request, uuid=None):
        plan = self.get_object()
        body = self._body(PlanAgreeSerializer)
        return self._detail(plans.plan_agree(by=request.user, plan=plan, **body))

    @_plan_action(
        "Start a new version of the agreed plan, to change it (lead professional)",
        responses={201: PlanDetailSerializer},
    )
    @action(detail=True, methods=["post"], url_path="new-version")
    def new_version(self, request, uuid=None):
        new = plans.plan_new_version(by=request.user, plan=self.get_object())
        return self._detail(new, status.HTTP_201_CREATED)


# Outcomes and actions


class _PlanPartViewSet(
    AuditedViewSetMixin,
    _BodyMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """An outcome or action of a draft plan: PUT replaces it, PATCH changes the fields
    sent; changes and removals are refused once the plan is agreed."""

    permission_classes = [WorksOnCases]
    lookup_field = "uuid"
    http_method_names = ["get", "post", "put", "patch", "delete", "head", "options"]
    write_serializer = None
    create_serializer = None

    def _current(self, instance):
        """The instance's values as a body, for a PATCH to start from."""
        raise NotImplementedError

    def _data(self, instance, status_code=status.HTTP_200_OK):
        # The user has just acted on it: shown even if it has now left their view.
        instance = self.related_queryset().get(pk=instance.pk)
        return Response(self.get_serializer(instance).data, status=status_code)

    def create(self, request):
        body = self._body(self.create_serializer)
        return self._data(self.add(body), status.HTTP_201_CREATED)

    def update(self, request, uuid=None):
        instance = self.get_object()
        return self._data(self.change(instance, self._body(self.write_serializer)))

    def partial_update(self, request, uuid=None):
        instance = self.get_object()
        body = self._body(self.write_serializer, partial=True)
        return self._data(self.change(instance, {**self._current(instance), **body}))


@extend_schema_view(
    list=extend_schema(summary="Outcomes of plans the user may see"),
    retrieve=extend_schema(summary="An outcome of a plan"),
    create=extend_schema(
        summary="Add an outcome to a draft plan (lead professional)",
        request=PlanOutcomeCreateSerializer,
        responses={201: PlanOutcomeSerializer},
    ),
    update=extend_schema(
        summary="Change an outcome of a draft plan (lead professional)",
        request=PlanOutcomeWriteSerializer,
        responses=PlanOutcomeSerializer,
    ),
    partial_update=extend_schema(
        summary="Change some of an outcome of a draft plan (lead professional)",
        request=PlanOutcomeWriteSerializer,
        responses=PlanOutcomeSerializer,
    ),
    destroy=extend_schema(
        summary="Remove an outcome from a draft plan; its actions stay (lead professional)"
    ),
)
class PlanOutcomeViewSet(_PlanPartViewSet):
    serializer_class = PlanOutcomeSerializer
    filterset_class = PlanOutcomeFilter
    write_serializer = PlanOutcomeWriteSerializer
    create_serializer = PlanOutcomeCreateSerializer

    def get_queryset(self):
        return outcomes_for(self.request.user)

    def related_queryset(self):
        return _outcomes()

    def _current(self, outcome):
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

    def destroy(self, request, uuid=None):
        plans.plan_outcome_remove(by=request.user, outcome=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema_view(
    list=extend_schema(summary="Actions of plans the user may see"),
    retrieve=extend_schema(summary="An action of a plan"),
    create=extend_schema(
        summary="Add an action to a draft plan (lead professional)",
        description="Its owner is a user of the service, or an agency (with a named "
        "contact, or as a whole), or a named person in the family.",
        request=PlanActionCreateSerializer,
        responses={201: PlanActionSerializer},
    ),
    update=extend_schema(
        summary="Change an action of a draft plan (lead professional)",
        request=PlanActionWriteSerializer,
        responses=PlanActionSerializer,
    ),
    partial_update=extend_schema(
        summary="Change some of an action of a draft plan (lead professional)",
        request=PlanActionWriteSerializer,
        responses=PlanActionSerializer,
    ),
    destroy=extend_schema(summary="Remove an action from a draft plan (lead professional)"),
)
class PlanActionViewSet(_PlanPartViewSet):
    serializer_class = PlanActionSerializer
    filterset_class = PlanActionFilter
    write_serializer = PlanActionWriteSerializer
    create_serializer = PlanActionCreateSerializer

    def get_queryset(self):
        return actions_for(self.request.user)

    def related_queryset(self):
        return _actions()

    def _current(self, plan_action):
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

    def destroy(self, request, uuid=None):
        plans.plan_action_remove(by=request.user, action=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(
        summary="Say how an action of the agreed plan is going (its owner or the lead "
        "professional)",
        request=PlanActionStatusSerializer,
        responses=PlanActionSerializer,
    )
    @action(detail=True, methods=["post"], url_path="status")
    def set_status(self, request, uuid=None):
        plan_action = self.get_object()
        self._require(
            access.Permission.UPDATE_PLAN_ACTION,
            plan_action,
            "Only the action's owner or the lead professional can do this",
        )
        body = self._body(PlanActionStatusSerializer)
        plan_action = plans.plan_action_set_status(
            by=request.user, action=plan_action, status=body["status"]
        )
        return self._data(plan_action)


# Reviews


@extend_schema_view(
    list=extend_schema(summary="TAF reviews the user may see, latest first"),
    retrieve=extend_schema(summary="A TAF review: who came, progress per outcome, decision"),
    create=extend_schema(
        summary="Record a review of the plan in force and carry out its decision "
        "(lead professional)",
        description="Progress is needed on every outcome of the plan. Continue may start a "
        "new version of the plan (`new_plan_version`); step up asks for a step up "
        "(`step_up`); step down and close ask a manager to close the episode (`closure`). "
        "Problems with progress are under `errors.progress`, by outcome UUID. A review is "
        "not changed afterwards.",
        request=ReviewCreateSerializer,
        responses={201: ReviewSerializer},
    ),
)
class ReviewViewSet(
    AuditedViewSetMixin,
    _BodyMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    permission_classes = [WorksOnCases]
    serializer_class = ReviewSerializer
    lookup_field = "uuid"
    filterset_class = ReviewFilter
    http_method_names = ["get", "post", "head", "options"]

    def get_queryset(self):
        return reviews_for(self.request.user)

    def create(self, request):
        body = self._body(ReviewCreateSerializer)
        step_up, closure = body.pop("step_up"), body.pop("closure")
        progress = [
            reviews.Progress(
                outcome=str(item["outcome"]),
                rag=item["rag"],
                score=item["score"],
                comment=item["comment"],
            )
            for item in body.pop("progress")
        ]
        try:
            review = reviews.review_record(
                by=request.user,
                progress=progress,
                step_up=reviews.StepUp(**step_up) if step_up else None,
                closure=reviews.Closure(**closure) if closure else None,
                **body,
            )
        except DjangoValidationError as error:
            if not hasattr(error, "error_dict"):
                raise
            raise exceptions.ValidationError(_review_errors(error.message_dict)) from error
        # The user has just recorded it: shown even if the episode has now left their view.
        review = _reviews().get(pk=review.pk)
        data = ReviewSerializer(review, context=self.get_serializer_context()).data
        return Response(data, status=status.HTTP_201_CREATED)
