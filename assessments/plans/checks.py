"""What an outcome or an action of a TAF plan must be: the plan services' checks, with
their messages (forms and serializers only parse)."""

from datetime import timedelta

from django.core.exceptions import ValidationError

from assessments.models import SupportingFamiliesArea

# What the checks say of a missing answer; the plan page's forms, which mark these fields
# required, say it in these words too.
OUTCOME_DESCRIPTION_MESSAGE = "Enter what will be different"
OUTCOME_NEED_MESSAGE = "Enter the need the outcome answers"
OUTCOME_AREA_MESSAGE = "Choose the Supporting Families outcome area"
OUTCOME_PEOPLE_MESSAGE = "Choose who the outcome is for"
ACTION_DESCRIPTION_MESSAGE = "Enter what will be done"
ACTION_DUE_ON_MESSAGE = "Enter when it will be done by"
ACTION_STATUS_MESSAGE = "Choose how the action is going"


def check_outcome(plan, *, description, people, need, area, baseline, target):
    """Refuse (naming every problem) an outcome the plan cannot have."""
    errors = {}
    if not (description or "").strip():
        errors["description"] = OUTCOME_DESCRIPTION_MESSAGE
    if not (need or "").strip():
        errors["need"] = OUTCOME_NEED_MESSAGE
    if area not in SupportingFamiliesArea.values:
        errors["area"] = OUTCOME_AREA_MESSAGE
    for name, score, label in (
        ("baseline", baseline, "where things are now"),
        ("target", target, "where the family wants to get to"),
    ):
        if score is None or not 0 <= int(score) <= 10:
            errors[name] = f"Enter {label} as a whole number from 0 to 10"
    members = set(plan.episode.family.memberships.values_list("person", flat=True))
    if not people:
        errors["people"] = OUTCOME_PEOPLE_MESSAGE
    elif any(person.pk not in members for person in people):
        errors["people"] = "Choose people in the family"
    if errors:
        raise ValidationError(errors)


OWNER_USER_MESSAGE = (
    "Choose the lead professional, someone in the episode's team or a user in the TAF"
)


def check_action(
    plan, *, description, outcome, owner_user, owner_agency, owner_name, due_on, new_owner=True
):
    """`new_owner`: the owner is being chosen now, so must be one of the episode's possible
    owners (an action kept with someone who has since left the TAF stays theirs)."""
    from assessments.plans.selectors import action_owner_users

    errors = {}
    if not (description or "").strip():
        errors["description"] = ACTION_DESCRIPTION_MESSAGE
    if outcome is not None and outcome.plan_id != plan.pk:
        errors["outcome"] = "Choose an outcome of this plan"
    if owner_user is None and owner_agency is None and not (owner_name or "").strip():
        errors["owner_user"] = "Choose who will do it: a person, an agency, or a named contact"
    if owner_user is not None and owner_agency is not None:
        errors["owner_agency"] = "Choose a person or an agency, not both"
    if owner_user is not None and not owner_user.is_active:
        errors["owner_user"] = "Choose someone who uses the service now"
    elif (
        owner_user is not None
        and new_owner
        and not action_owner_users(plan.episode).filter(pk=owner_user.pk).exists()
    ):
        # The one list of possible owners, shared with the plan page's form.
        errors["owner_user"] = OWNER_USER_MESSAGE
    if owner_agency is not None and owner_agency.is_archived:
        errors["owner_agency"] = "Choose an agency that is still in use"
    if due_on is None:
        errors["due_on"] = ACTION_DUE_ON_MESSAGE
    elif due_on < plan.created_at.date() - timedelta(days=1):
        errors["due_on"] = "The date must be on or after the day the plan was started"
    if errors:
        raise ValidationError(errors)
