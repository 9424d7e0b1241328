"""Checking an assessment template file's contents, naming the line at fault for each
problem (the file's format is described in `assessments.assessments.loader`)."""

import re

from assessments.assessments.template_spec import (
    ADULT,
    APPLIES_TO,
    CHILD,
    CHOICE,
    FAMILY,
    LEVEL,
    OLDEST_AGE,
    QUESTION_TYPES,
    SCALE,
    OptionSpec,
    QuestionSpec,
    SectionSpec,
)
from earlyhelp.linefiles import LineChecker, shortened

TOP_LEVEL_KEYS = {"name", "description", "sections"}
SECTION_KEYS = {"key", "title", "applies_to", "description", "questions"}
QUESTION_KEYS = {
    "key",
    "label",
    "hint",
    "type",
    "required",
    "options",
    "low_label",
    "high_label",
    "required_from_age",
}
OPTION_KEYS = {"value", "label"}
KEY_PATTERN = re.compile(r"^[a-z0-9_]+$")


def _name(item, index, noun):
    """`section "health"` when the item has a usable key, else `section 2`."""
    key = item.get("key") if isinstance(item, dict) else None
    if isinstance(key, str) and key.strip():
        return f'{noun} "{shortened(key.strip())}"'
    return f"{noun} {index + 1}"


class Checker(LineChecker):
    def slug(self, item, what):
        key = self.text(item, "key", what)
        if key and not KEY_PATTERN.match(key):
            self.problem(
                item.key_line("key"),
                f"{what}: key '{key}' may use only lower-case letters, numbers and underscores",
            )
            return None
        return key

    def boolean(self, item, key, what, default):
        value = item.get(key, default)
        if not isinstance(value, bool):
            self.problem(item.key_line(key), f"{what}: '{key}' must be true or false")
            return None
        return value

    def sequence(self, item, key, what, entries):
        value = item.get(key)
        if not isinstance(value, list):
            self.problem(item.key_line(key), f"{what}: '{key}' must be a list")
            return None
        if not value:
            self.problem(item.key_line(key), f"{what}: '{key}' must list at least one {entries}")
        return value


def _check_options(check, question, what):
    """The valid options of a choice question, or None if any is faulty."""
    items = check.sequence(question, "options", what, "option")
    if items is None:
        return None
    options, values, good = [], set(), bool(items)
    for index, raw in enumerate(items):
        option_what = f"{what} option {index + 1}"
        item = check.mapping(raw, items.item_line(index), option_what)
        if item is None:
            good = False
            continue
        if not check.keys(item, OPTION_KEYS, ["value", "label"], option_what):
            good = False
        value = check.text(item, "value", option_what) if "value" in item else None
        label = check.text(item, "label", option_what) if "label" in item else None
        if value and value in values:
            check.problem(
                item.key_line("value"), f"{option_what}: value '{value}' is given to another option"
            )
            value = None
        if value:
            values.add(value)
        if value and label:
            options.append(OptionSpec(value, label))
        else:
            good = False
    return tuple(options) if good else None


def _check_question(check, item, what, applies_to):
    """A QuestionSpec, or None if the question has a fault (each one is reported)."""
    good = check.keys(item, QUESTION_KEYS, ["key", "label", "type"], what)
    key = check.slug(item, what) if "key" in item else None
    label = check.text(item, "label", what) if "label" in item else None
    hint = check.text(item, "hint", what, required=False)
    required = check.boolean(item, "required", what, True)

    kind = item.get("type")
    if "type" in item and kind not in QUESTION_TYPES:
        check.problem(
            item.key_line("type"), f"{what}: type must be one of {', '.join(QUESTION_TYPES)}"
        )
        kind = None

    options = ()
    if kind == CHOICE:
        if "options" not in item:
            check.problem(item.line, f"{what}: a choice question needs 'options'")
            options = None
        else:
            options = _check_options(check, item, what)
    elif kind is not None and "options" in item:
        check.problem(item.key_line("options"), f"{what}: only a choice question has 'options'")
        good = False

    low_label = check.text(item, "low_label", what, required=False)
    high_label = check.text(item, "high_label", what, required=False)
    for key_name in ("low_label", "high_label"):
        if kind is not None and kind != SCALE and key_name in item:
            check.problem(
                item.key_line(key_name), f"{what}: only a scale question has '{key_name}'"
            )
            good = False

    required_from_age = item.get("required_from_age")
    if "required_from_age" in item:
        line = item.key_line("required_from_age")
        if isinstance(required_from_age, bool) or not isinstance(required_from_age, int):
            check.problem(line, f"{what}: 'required_from_age' must be a whole number")
            required_from_age = None
            good = False
        elif not 0 <= required_from_age <= OLDEST_AGE:
            check.problem(
                line, f"{what}: 'required_from_age' must be from 0 to {OLDEST_AGE} (an age)"
            )
            good = False
        if applies_to in (ADULT, FAMILY):
            check.problem(
                line,
                f"{what}: 'required_from_age' is only for sections that apply to a child "
                f"(this one applies to the {applies_to})",
            )
            good = False
        if required is False:
            check.problem(
                line,
                f"{what}: 'required_from_age' makes the answer required from that age, "
                "so 'required' cannot be false",
            )
            good = False

    if not good or None in (key, label, hint, required, kind, options, low_label, high_label):
        return None
    return QuestionSpec(
        key=key,
        label=label,
        hint=hint,
        type=kind,
        required=required,
        options=options,
        low_label=low_label,
        high_label=high_label,
        required_from_age=required_from_age,
    )


def _check_section(check, item, what, level_questions):
    """A SectionSpec, or None if the section has a fault (each one is reported)."""
    good = check.keys(item, SECTION_KEYS, ["key", "title", "applies_to", "questions"], what)
    key = check.slug(item, what) if "key" in item else None
    title = check.text(item, "title", what) if "title" in item else None
    description = check.text(item, "description", what, required=False)
    applies_to = item.get("applies_to")
    if "applies_to" in item and applies_to not in APPLIES_TO:
        check.problem(
            item.key_line("applies_to"),
            f"{what}: applies_to must be one of {', '.join(APPLIES_TO)}",
        )
        applies_to = None

    questions, keys = [], set()
    items = check.sequence(item, "questions", what, "question") if "questions" in item else None
    if not items:
        good = False
    for index, raw in enumerate(items or ()):
        question_what = f"{what} {_name(raw, index, 'question')}"
        question = check.mapping(raw, items.item_line(index), question_what)
        if question is None:
            good = False
            continue
        if question.get("type") == LEVEL:
            level_questions.append((question_what, question.key_line("type"), applies_to))
        spec = _check_question(check, question, question_what, applies_to)
        key_written = question.get("key")
        if isinstance(key_written, str) and key_written.strip() in keys:
            check.problem(
                question.key_line("key"),
                f"{question_what}: key '{key_written.strip()}' is given to another question "
                "in this section",
            )
            spec = None
        if isinstance(key_written, str):
            keys.add(key_written.strip())
        if spec is None:
            good = False
        else:
            questions.append(spec)

    if not good or None in (key, title, description, applies_to):
        return None
    return SectionSpec(key, title, applies_to, description, tuple(questions))


def check_sections(check, items):
    sections, keys, level_questions = [], set(), []
    for index, raw in enumerate(items):
        what = _name(raw, index, "section")
        item = check.mapping(raw, items.item_line(index), what)
        if item is None:
            continue
        spec = _check_section(check, item, what, level_questions)
        key_written = item.get("key")
        if isinstance(key_written, str) and key_written.strip() in keys:
            check.problem(
                item.key_line("key"),
                f"{what}: key '{key_written.strip()}' is given to another section",
            )
            spec = None
        if isinstance(key_written, str):
            keys.add(key_written.strip())
        if spec is not None:
            sections.append(spec)
    return sections, level_questions


def check_level_question(check, level_questions, sections_line):
    """Exactly one question is the recommended level, answered once for the family."""
    if not level_questions:
        check.problem(
            sections_line,
            "the template has no question of type level: add one (usually in the analysis "
            "section, applying to the family) for the recommended level",
        )
        return
    first_what, first_line, applies_to = level_questions[0]
    if applies_to in (CHILD, ADULT):
        check.problem(
            first_line,
            f"{first_what}: the recommended level (type level) is for the whole family, "
            f"so its section must apply to the family, not to each {applies_to}",
        )
    for what, line, _ in level_questions[1:]:
        check.problem(
            line,
            f"{what}: only one question may be of type level (the recommended level); "
            f"{first_what} at line {first_line} already is",
        )
