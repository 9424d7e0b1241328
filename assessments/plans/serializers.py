"""The TAF plan in the API: how plans, their outcomes and actions are shown, the bodies that
change them, and the filters of their lists.

Bodies only parse: the plan services check what was sent and name every problem at once.
"""

import django_filters
from rest_framework import serializers

from accounts.api import UserRefSerializer
from accounts.models import Agency
from assessments.models import (
    ActionStatus,
    Plan,
    PlanAction,
    PlanOutcome,
    PlanStatus,
    SupportingFamiliesArea,
)
from assessments.plans.checks import ACTION_STATUS_MESSAGE, OWNER_USER_MESSAGE
from cases.episodes.serializers import EpisodeWorkSerializer
from cases.models import Episode, Person, TafMember
from cases.people.serializers import PersonRefSerializer
from earlyhelp.api import VisibleRecordField, VisibleRecordFilter, status_filter
from earlyhelp.api_fields import (
    ErrorBodySerializer,
    active_users,
    choice_text,
    choices_help,
    optional_record,
    optional_record_uuid,
    optional_text,
    score_field,
)

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
    outcome = optional_record_uuid("The outcome the action works towards, if any")
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


class PlanSerializer(EpisodeWorkSerializer):
    previous = optional_record_uuid("The version this one changes")
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
    assessment = optional_record_uuid("The approved assessment the plan answers")
    from_review = optional_record_uuid("The review that started this version")
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


# Bodies


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


class PlanConflictSerializer(ErrorBodySerializer):
    """409: someone saved the plan since the revision sent. `plan` is as it now is."""

    plan = PlanDetailSerializer()


class PlanOutcomeWriteSerializer(serializers.Serializer):
    """Checked by the service, which names every problem at once."""

    description = optional_text()
    people = VisibleRecordField(
        queryset=Person.objects.all(),
        many=True,
        required=False,
        default=list,
        error_messages={"does_not_exist": "Choose people in the family"},
        help_text="Whom the outcome is for (UUIDs of people in the family)",
    )
    need = optional_text()
    area = optional_text(help_text=choices_help(SupportingFamiliesArea.choices))
    baseline = score_field("where things are now")
    target = score_field("where the family wants to get to")


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
    description = optional_text()
    # Any user by UUID: whether they may own an action of this plan is the plan service's
    # question, answered from the same list as the plan page's form (one message for both,
    # so the answer does not say whether the UUID exists).
    owner_user = optional_record(
        active_users(),
        OWNER_USER_MESSAGE,
        help_text="The lead professional, a member of the episode's team or a user in the TAF",
    )
    owner_agency = optional_record(Agency.objects.all(), "Choose an agency from the list")
    owner_name = optional_text(
        max_length=200, help_text="A named contact at the agency, or in the family"
    )
    due_on = serializers.DateField(required=False, allow_null=True, default=None)


class PlanActionCreateSerializer(PlanActionWriteSerializer):
    plan = VisibleRecordField(
        queryset=Plan.objects.all(), error_messages={"does_not_exist": "Choose a plan"}
    )


class PlanActionStatusSerializer(serializers.Serializer):
    status = serializers.CharField(
        help_text=choices_help(ActionStatus.choices),
        error_messages={"blank": ACTION_STATUS_MESSAGE, "required": ACTION_STATUS_MESSAGE},
    )


# Filters


class PlanFilter(django_filters.FilterSet):
    episode = VisibleRecordFilter(model=Episode)
    status = status_filter(PlanStatus.choices)

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
    status = status_filter(ActionStatus.choices)

    class Meta:
        model = PlanAction
        fields = ["plan", "status"]
