"""What a valid assessment template file holds (see `assessments.assessments.loader` for the
file's format), as frozen dataclasses. `as_dict()` gives the file's shape with the defaults
filled in (JSON-serialisable, for a JSONField); `from_dict()` rebuilds the spec from it.

Touches no database (nor Django), so a data migration can use it too.
"""

from dataclasses import dataclass

RATING, TEXT, SCALE, LEVEL, CHOICE = "rating", "text", "scale", "level", "choice"
QUESTION_TYPES = (RATING, TEXT, SCALE, LEVEL, CHOICE)
CHILD, ADULT, FAMILY = "child", "adult", "family"
APPLIES_TO = (CHILD, ADULT, FAMILY)
SCALE_MIN, SCALE_MAX = 0, 10
OLDEST_AGE = 18


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
