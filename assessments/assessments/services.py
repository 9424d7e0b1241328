"""Early Help Assessments: start, save a section, submit, return, approve, new version
(DESIGN section 5, step 4).

A section saves on its own, complete or not, so nothing typed is lost; completing it checks
the required answers. Each save names the revision it started from: if someone else saved
the section since, the save is refused with who and when, rather than overwriting them.
"""

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from assessments.models import (
    ASSESSMENT_MOVES,
    FAMILY_SUBJECT,
    Assessment,
    AssessmentSection,
    AssessmentStatus,
    AssessmentTemplate,
)
from assessments.models.assessment import IN_PROGRESS_MESSAGE
from audit.models import AuditAction
from audit.services import record
from cases.episodes import services as episode_services
from cases.models import Episode, EpisodeStatus, Person
from earlyhelp import access, working_days
from earlyhelp.exceptions import ServiceError
from earlyhelp.services import audit_step, locked, next_number, require
from thresholds.models import Level

RATINGS = {"strength": "Strength", "some_need": "Some need", "significant_need": "Significant need"}
STARTABLE = (EpisodeStatus.ALLOCATED, EpisodeStatus.ASSESSING, EpisodeStatus.PLAN_IN_PLACE)

# What the services say when a required answer is missing; the page forms that check the
# same field themselves use these words too.
CHILDREN_MESSAGE = "Choose at least one child the assessment covers"
RETURN_COMMENTS_MESSAGE = "Enter what needs to change"


def current_template() -> AssessmentTemplate:
    template = AssessmentTemplate.objects.filter(is_current=True).first()
    if template is None:
        raise ServiceError("No assessment template is published: ask an administrator")
    return template


def _subjects(section_spec, children, adults):
    if section_spec.applies_to == "child":
        return [(str(person.uuid), person) for person in children]
    if section_spec.applies_to == "adult":
        return [(str(person.uuid), person) for person in adults]
    return [(FAMILY_SUBJECT, None)]


def _create_sections(assessment, spec, children, adults, answers_from=None):
    position = 0
    sections = []
    for section_spec in spec.sections:
        for subject, person in _subjects(section_spec, children, adults):
            position += 1
            previous = (answers_from or {}).get((section_spec.key, subject))
            sections.append(
                AssessmentSection(
                    assessment=assessment,
                    key=section_spec.key,
                    subject=subject,
                    person=person,
                    position=position,
                    answers=dict(previous.answers) if previous else {},
                    completed=previous.completed if previous else False,
                )
            )
    AssessmentSection.objects.bulk_create(sections)


def _check_people(episode, children, adults):
    members = set(episode.family.memberships.values_list("person", flat=True))
    errors = {}
    if not children:
        errors["children"] = CHILDREN_MESSAGE
    elif any(person.pk not in members for person in children):
        errors["children"] = "Choose children in the family"
    elif any(person.record_type == "adult" for person in children):
        errors["children"] = "Choose children, not adults, as the children covered"
    if any(person.pk not in members for person in adults):
        errors["adults"] = "Choose parents or carers in the family"
    if errors:
        raise ValidationError(errors)


def _require_lead(by, episode, message="Only the lead professional can do this"):
    require(by, access.Permission.WORK_ON_EPISODE, episode, message=message)


@transaction.atomic
def assessment_start(
    *, by: User, episode: Episode, children: list[Person], adults: list[Person] = ()
) -> Assessment:
    """Start the family's Early Help Assessment on the current template; the episode moves
    to assessing. Due ASSESSMENT_DUE_WORKING_DAYS working days after allocation."""
    episode = locked(episode)
    _require_lead(by, episode)
    if episode.status not in STARTABLE:
        raise ServiceError("Allocate the episode before assessing")
    if episode.assessments.exclude(status=AssessmentStatus.APPROVED).exists():
        raise ServiceError(IN_PROGRESS_MESSAGE)
    children, adults = list(children), list(adults)
    _check_people(episode, children, adults)
    template = current_template()
    version = next_number(episode.assessments, "version")
    assessment = Assessment.objects.create(
        episode=episode,
        template=template,
        version=version,
        due_at=working_days.add_working_days(
            episode.allocated_at or timezone.now(), settings.ASSESSMENT_DUE_WORKING_DAYS
        ),
        created_by=by,
        modified_by=by,
    )
    ASSESSMENT_MOVES.start(assessment, by=by)
    assessment.children.set(children)
    assessment.adults.set(adults)
    _create_sections(assessment, template.spec, children, adults)
    if episode.status == EpisodeStatus.ALLOCATED:
        episode_services.episode_start_assessment(by=by, episode=episode)
    record(actor=by, action=AuditAction.CREATE, obj=assessment, detail={"version": version})
    return assessment


# Sections


def _age(person, on):
    return person.age_on(on) if person is not None and person.date_of_birth else None


def _clean_answer(question, value, errors, key):
    """Check one answer's shape; returns it normalised (or None for no answer)."""
    if value in (None, "", {}):
        return None
    match question.type:
        case "rating":
            if not isinstance(value, dict):
                errors[key] = f"{question.label}: give a rating and a narrative"
                return None
            rating = value.get("rating") or ""
            narrative = str(value.get("narrative") or "")
            if rating and rating not in RATINGS:
                errors[key] = f"{question.label}: choose strength, some need or significant need"
            return {"rating": rating, "narrative": narrative}
        case "scale":
            try:
                number = int(value)
            except (TypeError, ValueError):
                errors[key] = f"{question.label}: enter a whole number from 0 to 10"
                return str(value)
            if not 0 <= number <= 10:
                errors[key] = f"{question.label}: enter a whole number from 0 to 10"
            return number
        case "level":
            if not Level.objects.filter(framework__is_current=True, uuid=str(value)).exists():
                errors[key] = f"{question.label}: choose a level of the current framework"
            return str(value)
        case "choice":
            allowed = {option.value for option in question.options}
            if value not in allowed:
                errors[key] = f"{question.label}: choose one of the options"
            return value
        case _:
            return str(value)


def _is_answered(question, value):
    if question.type == "rating":
        return bool(value and value.get("rating") and value.get("narrative", "").strip())
    return value not in (None, "")


def _check_answers(section_spec, section, answers, *, complete):
    """Normalised answers; answers of the wrong shape (refused); and, when the section is
    being completed, the required answers missing (saved anyway, not complete)."""
    errors = {}
    missing = {}
    cleaned = {}
    today = timezone.localdate()
    by_key = {question.key: question for question in section_spec.questions}
    for key, value in answers.items():
        if key.endswith("__reason") and key.removesuffix("__reason") in by_key:
            cleaned[key] = str(value or "")
            continue
        if key not in by_key:
            errors[key] = f"{key} is not a question in this section"
            continue
        cleaned[key] = _clean_answer(by_key[key], value, errors, key)
    if complete:
        for question in section_spec.questions:
            answer = cleaned.get(question.key)
            if _is_answered(question, answer) or question.key in errors:
                continue
            if question.required_from_age is not None:
                age = _age(section.person, today)
                if age is not None and age < question.required_from_age:
                    if not cleaned.get(f"{question.key}__reason", "").strip():
                        missing[f"{question.key}__reason"] = (
                            f"{question.label}: for a child under {question.required_from_age}, "
                            "record the child's views or why they could not be gathered"
                        )
                    continue
            if question.required:
                missing[question.key] = (
                    f"{question.label}: give a rating and a narrative"
                    if question.type == "rating"
                    else f"{question.label}: answer this question"
                )
    return cleaned, errors, missing


def section_spec_for(assessment, section):
    for section_spec in assessment.template.spec.sections:
        if section_spec.key == section.key:
            return section_spec
    raise ServiceError("This section is not in the assessment's template")


SAVED_NOT_COMPLETE = "Your answers are saved, but the section is not complete yet"


def assessment_section_save(
    *,
    by: User,
    section: AssessmentSection,
    answers: dict,
    expected_revision: int,
    complete: bool = False,
) -> AssessmentSection:
    """Save one section's answers. Saved even when incomplete; marked complete only when
    every required answer is given (otherwise, after saving, a ValidationError names what
    is missing). Refused if someone saved it since `expected_revision`."""
    section, missing = _save_section(
        by=by,
        section=section,
        answers=answers,
        expected_revision=expected_revision,
        complete=complete,
    )
    if missing:
        raise ValidationError({NON_FIELD_ERRORS: [SAVED_NOT_COMPLETE], **missing})
    return section


@transaction.atomic
def _save_section(*, by, section, answers, expected_revision, complete):
    assessment = locked(section.assessment)
    _require_lead(by, assessment.episode, "Only the lead professional can write the assessment")
    if not assessment.is_editable:
        raise ServiceError(
            f"The assessment is {assessment.get_status_display().lower()}: "
            + (
                "start a new version to change it"
                if assessment.status == AssessmentStatus.APPROVED
                else "wait for the manager's decision"
            )
        )
    section = locked(section)
    if section.revision != expected_revision:
        who = section.updated_by.get_full_name() if section.updated_by else "Someone"
        when = timezone.localtime(section.updated_at) if section.updated_at else None
        raise ServiceError(
            f"{who} saved this section"
            + (f" at {when:%H:%M on %-d %B}" if when else "")
            + " since you opened it. Your answers are below: check theirs, then save again."
        )
    cleaned, wrong, missing = _check_answers(
        section_spec_for(assessment, section), section, answers, complete=complete
    )
    if wrong:
        raise ValidationError(wrong)
    section.answers = cleaned
    section.completed = complete and not missing
    section.revision += 1
    section.updated_by = by
    section.updated_at = timezone.now()
    section.save()
    audit_step(by, assessment, "save section", section=section.key, subject=section.subject)
    return section, missing


# Approval


@transaction.atomic
def assessment_submit(*, by: User, assessment: Assessment) -> Assessment:
    assessment = locked(assessment)
    _require_lead(by, assessment.episode, "Only the lead professional can submit")
    if not assessment.is_editable:
        raise ServiceError(f"The assessment is {assessment.get_status_display().lower()}")
    unfinished = assessment.sections.filter(completed=False).count()
    if unfinished:
        raise ServiceError(
            f"{unfinished} section{'s are' if unfinished > 1 else ' is'} not complete: "
            "complete every section before submitting"
        )
    ASSESSMENT_MOVES.move(assessment, AssessmentStatus.SUBMITTED, by=by)
    assessment.submitted_by, assessment.submitted_at = by, timezone.now()
    assessment.modified_by = by
    assessment.save()
    audit_step(by, assessment, "submit")
    return assessment


def _require_manager(by, assessment):
    require(
        by,
        access.Permission.MANAGE_EPISODE,
        assessment.episode,
        message="Only a manager over the episode can approve or return the assessment",
    )
    if assessment.status != AssessmentStatus.SUBMITTED:
        raise ServiceError("Only a submitted assessment can be approved or returned")
    if assessment.submitted_by_id == by.pk:
        raise PermissionDenied("Someone other than its author approves an assessment")


def _decided(by, assessment, step):
    assessment.decided_by, assessment.decided_at = by, timezone.now()
    assessment.save()
    audit_step(by, assessment, step)
    return assessment


@transaction.atomic
def assessment_return(*, by: User, assessment: Assessment, comments: str) -> Assessment:
    assessment = locked(assessment)
    _require_manager(by, assessment)
    if not comments.strip():
        raise ValidationError({"comments": RETURN_COMMENTS_MESSAGE})
    ASSESSMENT_MOVES.move(assessment, AssessmentStatus.RETURNED, by=by, reason=comments)
    assessment.return_comments = comments
    return _decided(by, assessment, "return")


def _recommended_level(assessment):
    for section_spec in assessment.template.spec.sections:
        for question in section_spec.questions:
            if question.type == "level":
                section = assessment.sections.filter(key=section_spec.key).first()
                value = section.answers.get(question.key) if section else None
                return Level.objects.filter(uuid=value).first() if value else None
    return None


@transaction.atomic
def assessment_approve(*, by: User, assessment: Assessment) -> Assessment:
    """Approve: the assessment can no longer change (a change is a new version)."""
    assessment = locked(assessment)
    _require_manager(by, assessment)
    ASSESSMENT_MOVES.move(assessment, AssessmentStatus.APPROVED, by=by)
    assessment.recommended_level = _recommended_level(assessment)
    return _decided(by, assessment, "approve")


@transaction.atomic
def assessment_new_version(*, by: User, assessment: Assessment) -> Assessment:
    """A draft copy of an approved assessment, to change it; the approved one stays."""
    assessment = locked(assessment)
    _require_lead(by, assessment.episode)
    if assessment.status != AssessmentStatus.APPROVED:
        raise ServiceError("Only an approved assessment gets a new version")
    if Assessment.objects.filter(previous=assessment).exists():
        raise ServiceError("A newer version of this assessment exists")
    episode = assessment.episode
    if episode.assessments.exclude(status=AssessmentStatus.APPROVED).exists():
        raise ServiceError(IN_PROGRESS_MESSAGE)
    children, adults = list(assessment.children.all()), list(assessment.adults.all())
    version = next_number(episode.assessments, "version")
    new = Assessment.objects.create(
        episode=episode,
        template=assessment.template,
        version=version,
        previous=assessment,
        due_at=working_days.add_working_days(timezone.now(), settings.ASSESSMENT_DUE_WORKING_DAYS),
        created_by=by,
        modified_by=by,
    )
    ASSESSMENT_MOVES.start(new, by=by, reason=f"A new version of version {assessment.version}")
    new.children.set(children)
    new.adults.set(adults)
    previous = {(s.key, s.subject): s for s in assessment.sections.all()}
    _create_sections(new, assessment.template.spec, children, adults, answers_from=previous)
    record(actor=by, action=AuditAction.CREATE, obj=new, detail={"version": version})
    return new


# Templates


def template_import(*, by: User | None, data: str | bytes, source_name: str = ""):
    """Check a template file and store it as the next version (not yet in use)."""
    from assessments.assessments import loader

    text = data.decode("utf-8") if isinstance(data, bytes) else data
    spec = loader.parse(text, source_name=source_name)
    version = next_number(AssessmentTemplate.objects, "version")
    template = AssessmentTemplate.objects.create(
        version=version,
        name=spec.name,
        definition=spec.as_dict(),
        source_name=source_name,
        created_by=by,
        modified_by=by,
    )
    record(
        actor=by,
        action=AuditAction.CREATE,
        obj=template,
        detail={"version": version, "source": source_name},
        actor_label=None if by else "assessment template import",
    )
    return template


@transaction.atomic
def template_publish(*, by: User | None, template: AssessmentTemplate) -> AssessmentTemplate:
    """Make this version the one new assessments use. Assessments already started keep
    the version they were written on."""
    AssessmentTemplate.objects.filter(is_current=True).exclude(pk=template.pk).update(
        is_current=False
    )
    template.is_current = True
    template.save(update_fields=["is_current", "modified_at"])
    record(
        actor=by,
        action=AuditAction.CHANGE,
        obj=template,
        detail={"step": "publish"},
        actor_label=None if by else "assessment template import",
    )
    return template
