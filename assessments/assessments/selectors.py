"""Reads of assessments: querysets already filtered by the access policy and prefetched
once, and the rows the pages show (task list, answers, comparison of two versions).

Pages stay at a fixed number of queries however many sections an assessment has.
"""

from dataclasses import dataclass, field

from django.db.models import Prefetch
from django.template.defaultfilters import linebreaksbr

from assessments.assessments.services import RATINGS, STARTABLE
from assessments.models import Assessment, AssessmentSection
from earlyhelp import access
from thresholds.models import Level

NOT_STARTED, IN_PROGRESS, COMPLETED = "Not yet started", "In progress", "Completed"


ASSESSMENT_RELATED = (
    "episode__family",
    "episode__lead_professional",
    "template",
    "previous",
    "submitted_by",
    "decided_by",
    "recommended_level",
)
SECTION_RELATED = ("assessment__template", "person", "updated_by")


def assessments_for(user):
    """The assessments the user may see (pages and API)."""
    return access.visible(user, Assessment.objects.select_related(*ASSESSMENT_RELATED))


def assessment_detail_for(user):
    """With its sections (and who saved each) in template order."""
    return assessments_for(user).prefetch_related(
        Prefetch(
            "sections",
            queryset=AssessmentSection.objects.select_related("person", "updated_by").order_by(
                "position", "id"
            ),
        )
    )


def sections_for(user):
    """The assessment sections the user may see (pages and API)."""
    return access.visible(user, AssessmentSection.objects.select_related(*SECTION_RELATED))


def with_parts(assessments):
    """Assessments with the people they cover and their sections (the API's detail)."""
    return assessments.select_related(
        "submitted_by", "decided_by", "recommended_level"
    ).prefetch_related(
        "children",
        "adults",
        Prefetch(
            "sections",
            queryset=AssessmentSection.objects.select_related("person", "updated_by"),
        ),
    )


def latest_for_episode(episode):
    """The episode's newest assessment version, or None (the episode is already visible)."""
    return (
        Assessment.objects.filter(episode=episode)
        .select_related("previous")
        .order_by("-version")
        .first()
    )


def may_start(*, may_work, episode, latest):
    """Whether to offer "Start the assessment": none yet, and the episode allows one."""
    return may_work and latest is None and episode.status in STARTABLE


def current_levels():
    return list(Level.objects.filter(framework__is_current=True).order_by("rank"))


# What the pages show


def section_name(section_spec, section):
    if section.person is not None:
        return f"{section_spec.title} for {section.person.full_name}"
    return section_spec.title


def section_status(section):
    if section.completed:
        return COMPLETED
    if section.answers:
        return IN_PROGRESS
    return NOT_STARTED


@dataclass
class TaskGroup:
    title: str
    description: str
    rows: list = field(default_factory=list)


@dataclass
class TaskRow:
    section: AssessmentSection
    name: str
    status: str
    answers: list = field(default_factory=list)  # (label, text) pairs, for read-only


def task_groups(assessment, sections, *, with_answers=False, levels=None):
    """The task list: one group per template section, one row per subject."""
    spec = assessment.template.spec
    groups = {s.key: TaskGroup(s.title, s.description) for s in spec.sections}
    levels_by_uuid = {str(level.uuid): level for level in levels or ()}
    for section in sections:
        section_spec = spec.section(section.key)
        if section_spec is None:
            continue
        row = TaskRow(section, section_name(section_spec, section), section_status(section))
        if with_answers:
            row.answers = answer_rows(section_spec, section.answers, levels_by_uuid)
        groups[section.key].rows.append(row)
    return [group for group in groups.values() if group.rows]


def display_answer(question, answers, levels_by_uuid):
    """One answer in words, or "" for none."""
    value = answers.get(question.key)
    text = ""
    if value not in (None, "", {}):
        match question.type:
            case "rating":
                rating = RATINGS.get(value.get("rating") or "", "No rating")
                narrative = (value.get("narrative") or "").strip()
                text = f"{rating}: {narrative}" if narrative else rating
            case "scale":
                text = f"{value} out of 10"
            case "level":
                level = levels_by_uuid.get(str(value))
                text = level.name if level else "A level no longer in use"
            case "choice":
                labels = {option.value: option.label for option in question.options}
                text = labels.get(value, str(value))
            case _:
                text = str(value)
    reason = (answers.get(f"{question.key}__reason") or "").strip()
    if reason:
        text = f"{text}\n" if text else ""
        text += f"Why the child's views could not be gathered: {reason}"
    return text


def answer_rows(section_spec, answers, levels_by_uuid):
    """(label, answer) pairs for a summary list; line breaks kept (escaped, then marked safe)."""
    return [
        (
            question.label,
            linebreaksbr(display_answer(question, answers, levels_by_uuid) or "Not answered"),
        )
        for question in section_spec.questions
    ]


@dataclass
class ComparedSection:
    name: str
    rows: list  # (label, previous text, this text, changed)

    @property
    def changes(self):
        return sum(1 for row in self.rows if row[3])


def compare(assessment, sections, previous_sections, levels):
    """Each section of this version beside the same section (and subject) of the previous
    one, question by question."""
    spec = assessment.template.spec
    previous_spec = assessment.previous.template.spec
    levels_by_uuid = {str(level.uuid): level for level in levels}
    before = {(s.key, s.subject): s for s in previous_sections}
    compared = []
    for section in sections:
        section_spec = spec.section(section.key)
        if section_spec is None:
            continue
        old = before.get((section.key, section.subject))
        old_answers = old.answers if old else {}
        old_spec = previous_spec.section(section.key) or section_spec
        old_questions = {question.key: question for question in old_spec.questions}
        rows = []
        for question in section_spec.questions:
            was = display_answer(
                old_questions.get(question.key, question), old_answers, levels_by_uuid
            )
            now = display_answer(question, section.answers, levels_by_uuid)
            rows.append((question.label, was or "Not answered", now or "Not answered", was != now))
        compared.append(ComparedSection(section_name(section_spec, section), rows))
    return compared
