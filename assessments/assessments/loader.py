"""Read an assessment template file (YAML or JSON) and check it, naming the line at fault.

A council defines its assessment form as data, so it can change the form without code.
The file describes one template version::

    name: Early Help Assessment
    description: Whole-family assessment of needs and strengths.       # optional
    sections:
      - key: child_development                  # unique; lower-case letters, digits, _
        title: The child's developmental needs
        applies_to: child                       # child | adult | family
        description: One copy for each child.   # optional
        questions:
          - key: health                         # unique within the section
            label: Health
            hint: Physical health, development, diet, sleep…                # optional
            type: rating                        # rating | text | scale | level | choice
            required: true                      # optional, default true
            required_from_age: 5                # optional; child sections only

A section that applies to a child is answered once for each child the assessment covers,
one that applies to an adult once for each parent or carer, one that applies to the family
once. Question types:

- `rating`: strength / some need / significant need, with a narrative (both are the answer);
- `text`: free text;
- `scale`: a whole number from 0 to 10, with optional `low_label` and `high_label`;
- `level`: a level of the council's threshold framework, chosen when answering. Exactly
  one question in the template has this type: the recommended level, so it sits in a
  section that applies to the family;
- `choice`: one of `options`, a list of `{value, label}` with unique values.

`required_from_age: N` makes an answer required only for children aged N or over; for a
younger child the practitioner may record why there is none instead.

`parse(text, source_name=…)` returns a `TemplateSpec` or raises `TemplateFileError`,
whose `problems` each carry a line number (1-based) and a message in plain English.
This module touches no database (nor Django), so a data migration can use it too.
"""

import re
from dataclasses import dataclass
from pathlib import Path

from earlyhelp.linefiles import FileProblems, Problem, read_document

DEFAULT_TEMPLATE = Path(__file__).resolve().parent / "data" / "default_eha.yaml"

RATING, TEXT, SCALE, LEVEL, CHOICE = "rating", "text", "scale", "level", "choice"
QUESTION_TYPES = (RATING, TEXT, SCALE, LEVEL, CHOICE)
CHILD, ADULT, FAMILY = "child", "adult", "family"
APPLIES_TO = (CHILD, ADULT, FAMILY)
SCALE_MIN, SCALE_MAX = 0, 10
OLDEST_AGE = 18

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


class TemplateFileError(FileProblems):
    """The file is not a valid template. `problems` lists every fault found, by line."""


# What a valid file holds. `as_dict()` gives the file's shape with the defaults filled in
# (JSON-serialisable, for a JSONField); `from_dict()` rebuilds the spec from it.


@dataclass(frozen=True)
class OptionSpec:
    value: str
    label: str

    def as_dict(self):
        return {"value": self.value, "label": self.label}

    @classmethod
    def from_dict(cls, data):
        return cls(data["value"], data["label"])


@dataclass(frozen=True)
class QuestionSpec:
    key: str
    label: str
    hint: str = ""
    type: str = TEXT
    required: bool = True
    options: tuple[OptionSpec, ...] = ()
    low_label: str = ""
    high_label: str = ""
    required_from_age: int | None = None

    def as_dict(self):
        data = {
            "key": self.key,
            "label": self.label,
            "hint": self.hint,
            "type": self.type,
            "required": self.required,
        }
        # Only the keys the type allows, so the dict is itself a valid question.
        if self.type == CHOICE:
            data["options"] = [option.as_dict() for option in self.options]
        if self.type == SCALE:
            data["low_label"] = self.low_label
            data["high_label"] = self.high_label
        if self.required_from_age is not None:
            data["required_from_age"] = self.required_from_age
        return data

    @classmethod
    def from_dict(cls, data):
        return cls(
            key=data["key"],
            label=data["label"],
            hint=data.get("hint", ""),
            type=data["type"],
            required=data.get("required", True),
            options=tuple(OptionSpec.from_dict(option) for option in data.get("options", ())),
            low_label=data.get("low_label", ""),
            high_label=data.get("high_label", ""),
            required_from_age=data.get("required_from_age"),
        )


@dataclass(frozen=True)
class SectionSpec:
    key: str
    title: str
    applies_to: str
    description: str = ""
    questions: tuple[QuestionSpec, ...] = ()

    def question(self, key):
        """The question with this key, or None."""
        return next((question for question in self.questions if question.key == key), None)

    def as_dict(self):
        return {
            "key": self.key,
            "title": self.title,
            "applies_to": self.applies_to,
            "description": self.description,
            "questions": [question.as_dict() for question in self.questions],
        }

    @classmethod
    def from_dict(cls, data):
        return cls(
            key=data["key"],
            title=data["title"],
            applies_to=data["applies_to"],
            description=data.get("description", ""),
            questions=tuple(QuestionSpec.from_dict(question) for question in data["questions"]),
        )


@dataclass(frozen=True)
class TemplateSpec:
    name: str
    description: str = ""
    sections: tuple[SectionSpec, ...] = ()

    def section(self, key):
        """The section with this key, or None."""
        return next((section for section in self.sections if section.key == key), None)

    @property
    def level_question(self):
        """(section, question) for the recommended level: the one question of type level."""
        return next(
            (section, question)
            for section in self.sections
            for question in section.questions
            if question.type == LEVEL
        )

    def as_dict(self):
        return {
            "name": self.name,
            "description": self.description,
            "sections": [section.as_dict() for section in self.sections],
        }

    @classmethod
    def from_dict(cls, data):
        return cls(
            name=data["name"],
            description=data.get("description", ""),
            sections=tuple(SectionSpec.from_dict(section) for section in data["sections"]),
        )


# Checking


def _label(value):
    text = str(value)
    return text if len(text) <= 60 else text[:57] + "…"


def _name(item, index, noun):
    """`section "health"` when the item has a usable key, else `section 2`."""
    key = item.get("key") if isinstance(item, dict) else None
    if isinstance(key, str) and key.strip():
        return f'{noun} "{_label(key.strip())}"'
    return f"{noun} {index + 1}"


class _Checker:
    def __init__(self):
        self.problems = []

    def problem(self, line, message):
        self.problems.append(Problem(line, message))

    def mapping(self, value, line, what):
        if not isinstance(value, dict):
            self.problem(line, f"{what} must be a mapping of keys to values")
            return None
        return value

    def keys(self, item, allowed, required, what):
        for key in item:
            if key not in allowed:
                expected = ", ".join(sorted(allowed))
                self.problem(
                    item.key_line(key), f"{what} has an unknown key '{key}' (expected {expected})"
                )
        missing = [key for key in required if key not in item]
        for key in missing:
            self.problem(item.line, f"{what} is missing '{key}'")
        return not missing

    def text(self, item, key, what, *, required=True):
        value = item.get(key, "")
        if value is None:
            value = ""
        if not isinstance(value, str):
            self.problem(item.key_line(key), f"{what}: '{key}' must be text")
            return None
        value = value.strip()
        if required and not value and key in item:
            self.problem(item.key_line(key), f"{what}: '{key}' must not be empty")
            return None
        return value

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


def _check_sections(check, items):
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


def _check_level_question(check, level_questions, sections_line):
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


def parse(data, source_name=""):
    """Parse and check a template file's contents (str or bytes)."""
    try:
        document = read_document(data, source_name)
    except FileProblems as error:
        raise TemplateFileError(error.problems, source_name) from None
    if not isinstance(document, dict):
        raise TemplateFileError(
            [
                Problem(
                    getattr(document, "line", 1),
                    "the file must be a mapping with 'name' and 'sections'",
                )
            ],
            source_name,
        )
    check = _Checker()
    check.keys(document, TOP_LEVEL_KEYS, ["name", "sections"], "the file")
    what = "the template"
    name = check.text(document, "name", what) if "name" in document else None
    description = check.text(document, "description", what, required=False)
    sections = []
    if "sections" in document:
        items = check.sequence(document, "sections", what, "section")
        if items is not None:
            sections, level_questions = _check_sections(check, items)
            if items:
                _check_level_question(check, level_questions, document.key_line("sections"))
    if check.problems:
        raise TemplateFileError(
            sorted(check.problems, key=lambda problem: problem.line or 0), source_name
        )
    return TemplateSpec(name, description or "", tuple(sections))


def load_file(path):
    path = Path(path)
    return parse(path.read_bytes(), source_name=path.name)


def load_default():
    """The Early Help Assessment that ships with the service."""
    return load_file(DEFAULT_TEMPLATE)
