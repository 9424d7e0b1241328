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
The specs are in `.template_spec`, the checks in `.template_checks`. None of these modules
touches the database (nor Django), so a data migration can use them too.
"""

from pathlib import Path

from assessments.assessments.template_checks import (
    TOP_LEVEL_KEYS,
    Checker,
    check_level_question,
    check_sections,
)
from assessments.assessments.template_spec import TemplateSpec
from earlyhelp.linefiles import FileProblems, Problem, read_document

__all__ = [
    "DEFAULT_TEMPLATE",
    "TemplateFileError",
    "TemplateSpec",
    "load_default",
    "load_file",
    "parse",
]

DEFAULT_TEMPLATE = Path(__file__).resolve().parent / "data" / "default_eha.yaml"


class TemplateFileError(FileProblems):
    """The file is not a valid template. `problems` lists every fault found, by line."""


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
    check = Checker()
    check.keys(document, TOP_LEVEL_KEYS, ["name", "sections"], "the file")
    what = "the template"
    name = check.text(document, "name", what) if "name" in document else None
    description = check.text(document, "description", what, required=False)
    sections = []
    if "sections" in document:
        items = check.sequence(document, "sections", what, "section")
        if items is not None:
            sections, level_questions = check_sections(check, items)
            if items:
                check_level_question(check, level_questions, document.key_line("sections"))
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
