import json
import textwrap

import pytest

from assessments.assessments import loader
from assessments.assessments.loader import TemplateFileError, TemplateSpec

VALID_YAML = textwrap.dedent(
    """\
    name: Our assessment
    sections:
      - key: child_development
        title: The child's developmental needs
        applies_to: child
        questions:
          - key: health
            label: Health
            type: rating
          - key: views
            label: The child's views
            type: text
            required_from_age: 5
      - key: analysis
        title: Analysis
        applies_to: family
        questions:
          - key: worry
            label: How worried are we?
            type: scale
            low_label: Very
            high_label: Not at all
          - key: attends
            label: Who attended?
            type: choice
            required: false
            options:
              - value: parent
                label: A parent
              - value: child
                label: The child
          - key: level
            label: Recommended level
            type: level
    """
)


def problems(data, source_name="template.yaml"):
    with pytest.raises(TemplateFileError) as caught:
        loader.parse(data, source_name=source_name)
    return [str(problem) for problem in caught.value.problems]


def line_of(text, fragment, occurrence=1):
    """The 1-based line of the nth line containing fragment."""
    found = [n for n, line in enumerate(text.splitlines(), 1) if fragment in line]
    return found[occurrence - 1]


# The default Early Help Assessment


def test_the_default_template_has_the_assessment_framework_sections():
    spec = loader.load_default()
    assert spec.name == "Early Help Assessment"
    assert [(section.key, section.applies_to) for section in spec.sections] == [
        ("child_development", "child"),
        ("parenting_capacity", "adult"),
        ("family_environment", "family"),
        ("signs_of_safety", "family"),
        ("voice_of_child", "child"),
        ("parents_views", "adult"),
        ("analysis", "family"),
    ]
    keys = {section.key: [q.key for q in section.questions] for section in spec.sections}
    assert keys["child_development"] == [
        "health",
        "education_and_learning",
        "emotional_and_behavioural_development",
        "identity",
        "family_and_social_relationships",
        "social_presentation",
        "self_care_skills",
    ]
    assert keys["parenting_capacity"] == [
        "basic_care",
        "ensuring_safety",
        "emotional_warmth",
        "stimulation",
        "guidance_and_boundaries",
        "stability",
    ]
    assert len(keys["family_environment"]) == 7
    for key in ("child_development", "parenting_capacity", "family_environment"):
        questions = spec.section(key).questions
        assert {q.type for q in questions} == {"rating"}, key
        assert all(q.hint and q.required for q in questions), key


def test_the_default_template_has_signs_of_safety_the_voice_of_the_child_and_a_level():
    spec = loader.load_default()
    signs = spec.section("signs_of_safety")
    assert [(q.key, q.type) for q in signs.questions] == [
        ("worries", "text"),
        ("working_well", "text"),
        ("needs_to_happen", "text"),
        ("scaling", "scale"),
    ]
    scaling = signs.question("scaling")
    assert scaling.label.startswith("On a scale of 0 to 10, where 10 means")
    assert scaling.low_label and scaling.high_label

    voice = spec.section("voice_of_child")
    assert voice.question("child_views").required_from_age == 5
    assert voice.question("how_gathered").required is False
    assert [q.type for q in spec.section("parents_views").questions] == ["text"]

    levels = [q for section in spec.sections for q in section.questions if q.type == "level"]
    assert len(levels) == 1
    section, question = spec.level_question
    assert (section.key, section.applies_to, question.key) == (
        "analysis",
        "family",
        "recommended_level",
    )


def test_the_default_template_round_trips_through_a_json_field():
    spec = loader.load_default()
    stored = json.loads(json.dumps(spec.as_dict()))
    assert TemplateSpec.from_dict(stored) == spec
    # The dict is in the file's shape, so it is itself a valid template file.
    assert loader.parse(json.dumps(stored, indent=2), source_name="eha.json") == spec
    question = stored["sections"][0]["questions"][0]
    assert question == {
        "key": "health",
        "label": "Health",
        "hint": spec.sections[0].questions[0].hint,
        "type": "rating",
        "required": True,
    }


# Valid files


def test_a_valid_yaml_file_parses_with_defaults_filled_in():
    spec = loader.parse(VALID_YAML, source_name="ours.yaml")
    assert spec.name == "Our assessment"
    assert spec.description == ""
    health = spec.section("child_development").question("health")
    assert (health.hint, health.required, health.options) == ("", True, ())
    attends = spec.section("analysis").question("attends")
    assert attends.required is False
    assert [(o.value, o.label) for o in attends.options] == [
        ("parent", "A parent"),
        ("child", "The child"),
    ]
    worry = spec.section("analysis").question("worry")
    assert (worry.low_label, worry.high_label) == ("Very", "Not at all")
    assert TemplateSpec.from_dict(json.loads(json.dumps(spec.as_dict()))) == spec


def test_a_valid_json_file_parses():
    data = loader.parse(VALID_YAML).as_dict()
    spec = loader.parse(json.dumps(data, indent=2), source_name="ours.json")
    assert spec == loader.parse(VALID_YAML)


# Malformed files, each named by the line at fault


def test_malformed_yaml_is_rejected_with_the_line_at_fault():
    broken = VALID_YAML.replace("    label: Health\n", "    label: Health: a: b\n")
    found = problems(broken)
    assert len(found) == 1
    assert found[0].startswith("line 8: not valid YAML")


def test_malformed_json_is_rejected_with_the_line_at_fault():
    text = json.dumps(loader.parse(VALID_YAML).as_dict(), indent=2).splitlines()
    # Drop the comma after the first question's label: a syntax error on the next line.
    index = next(n for n, line in enumerate(text) if '"label": "Health",' in line)
    text[index] = text[index].rstrip(",")
    found = problems("\n".join(text), source_name="ours.json")
    assert len(found) == 1
    assert found[0].startswith(f"line {index + 2}: not valid JSON")


def test_the_problems_name_the_source_file():
    with pytest.raises(TemplateFileError) as caught:
        loader.parse(VALID_YAML.replace("type: rating", "type: stars"), source_name="ours.yaml")
    assert str(caught.value) == (
        'ours.yaml: line 9: section "child_development" question "health": '
        "type must be one of rating, text, scale, level, choice"
    )


def test_an_unknown_key_is_rejected_naming_the_line():
    broken = VALID_YAML.replace("label: Health\n", "label: Health\n        lable: Health\n")
    found = problems(broken)
    assert len(found) == 1
    assert found[0].startswith(
        'line 9: section "child_development" question "health" has an unknown key \'lable\' '
        "(expected high_label, hint, key, label, "
    )
    top = problems(VALID_YAML.replace("name: Our", "version: 2\nname: Our"))
    assert top[0].startswith("line 1: the file has an unknown key 'version' (expected ")


def test_a_missing_key_is_rejected_naming_the_line():
    broken = VALID_YAML.replace("    title: Analysis\n", "")
    assert problems(broken) == ["line 14: section \"analysis\" is missing 'title'"]
    no_label = VALID_YAML.replace("        label: Health\n", "")
    assert problems(no_label) == [
        'line 7: section "child_development" question "health" is missing \'label\''
    ]
    assert problems("sections: []\n") == [
        "line 1: the file is missing 'name'",
        "line 1: the template: 'sections' must list at least one section",
    ]


def test_a_value_of_the_wrong_type_is_rejected_naming_the_line():
    broken = (
        VALID_YAML.replace("type: rating", "type: rating\n        required: sometimes")
        .replace("label: Health", "label: [Health]")
        .replace("required_from_age: 5", "required_from_age: five")
    )
    assert problems(broken) == [
        'line 8: section "child_development" question "health": \'label\' must be text',
        'line 10: section "child_development" question "health": \'required\' must be '
        "true or false",
        'line 14: section "child_development" question "views": \'required_from_age\' must '
        "be a whole number",
    ]
    applies = VALID_YAML.replace("applies_to: family", "applies_to: household")
    assert problems(applies) == [
        'line 16: section "analysis": applies_to must be one of child, adult, family'
    ]
    assert problems("name: A\nsections: 3\n") == ["line 2: the template: 'sections' must be a list"]


def test_a_section_with_no_questions_is_rejected():
    text = (
        "name: A\nsections:\n  - key: a\n    title: A\n    applies_to: family\n    questions: []\n"
    )
    assert problems(text) == [
        "line 2: the template has no question of type level: add one (usually in the analysis "
        "section, applying to the family) for the recommended level",
        "line 6: section \"a\": 'questions' must list at least one question",
    ]


def test_a_duplicate_question_key_is_rejected_naming_the_line():
    broken = VALID_YAML.replace("  - key: views", "  - key: health")
    assert problems(broken) == [
        'line 10: section "child_development" question "health": key \'health\' is given to '
        "another question in this section"
    ]
    # The same question key in two sections is fine.
    assert loader.parse(VALID_YAML.replace("key: worry", "key: health"))


def test_a_choice_question_needs_options():
    start = VALID_YAML.index("        options:")
    end = VALID_YAML.index("      - key: level")
    broken = VALID_YAML[:start] + VALID_YAML[end:]
    assert problems(broken) == [
        'line 23: section "analysis" question "attends": a choice question needs \'options\''
    ]


def test_required_from_age_must_be_an_age():
    broken = VALID_YAML.replace("required_from_age: 5", "required_from_age: 19")
    assert problems(broken) == [
        'line 13: section "child_development" question "views": \'required_from_age\' must '
        "be from 0 to 18 (an age)"
    ]
    optional = VALID_YAML.replace(
        "required_from_age: 5", "required_from_age: 5\n        required: false"
    )
    assert problems(optional)[0].startswith(
        'line 13: section "child_development" question "views": \'required_from_age\' makes '
    )


# One change to the valid template, and every problem it makes, in the loader's words.
EDITS = {
    "duplicate_section_key": (
        ("  - key: analysis", "  - key: child_development"),
        [
            "line 14: section \"child_development\": key 'child_development' is given to another "
            "section"
        ],
    ),
    "bad_key": (
        ("key: health", "key: Physical Health"),
        [
            'line 7: section "child_development" question "Physical Health": key '
            "'Physical Health' may use only lower-case letters, numbers and underscores"
        ],
    ),
    "duplicate_choice_value": (
        ("value: child", "value: parent"),
        [
            'line 30: section "analysis" question "attends" option 2: value \'parent\' is given '
            "to another option"
        ],
    ),
    "empty_choice_label": (
        ("label: The child\n", "label: ''\n"),
        ['line 31: section "analysis" question "attends" option 2: \'label\' must not be empty'],
    ),
    "unlisted_options": (
        (
            "options:\n          - value: parent\n            label: A parent\n"
            "          - value: child\n            label: The child",
            "options: parent, child",
        ),
        ['line 27: section "analysis" question "attends": \'options\' must be a list'],
    ),
    "options_not_on_a_choice": (
        (
            "label: Health\n",
            "label: Health\n        options:\n          - value: a\n            label: A\n",
        ),
        [
            'line 9: section "child_development" question "health": only a choice question '
            "has 'options'"
        ],
    ),
    "low_label_not_on_a_scale": (
        ("label: Health\n", "label: Health\n        low_label: Poor\n"),
        [
            'line 9: section "child_development" question "health": only a scale question '
            "has 'low_label'"
        ],
    ),
    "required_from_age_not_for_a_child": (
        ("    high_label: Not at all\n", "    required_from_age: 5\n"),
        [
            'line 22: section "analysis" question "worry": \'required_from_age\' is only for '
            "sections that apply to a child (this one applies to the family)"
        ],
    ),
    "no_level_question": (
        ("type: level", "type: text"),
        [
            "line 2: the template has no question of type level: add one (usually in the "
            "analysis section, applying to the family) for the recommended level"
        ],
    ),
    "two_level_questions": (
        ("type: rating", "type: level"),
        [
            'line 9: section "child_development" question "health": the recommended level '
            "(type level) is for the whole family, so its section must apply to the family, "
            "not to each child",
            'line 34: section "analysis" question "level": only one question may be of type '
            'level (the recommended level); section "child_development" question "health" at '
            "line 9 already is",
        ],
    ),
}


@pytest.mark.parametrize(("edit", "expected"), EDITS.values(), ids=EDITS.keys())
def test_a_broken_template_is_rejected_naming_the_line(edit, expected):
    assert problems(VALID_YAML.replace(*edit)) == expected


def test_every_problem_is_reported_not_only_the_first():
    broken = (
        VALID_YAML.replace("type: rating", "type: stars")
        .replace("title: Analysis", "title: ''")
        .replace("type: level", "type: text")
    )
    assert problems(broken) == [
        "line 2: the template has no question of type level: add one (usually in the analysis "
        "section, applying to the family) for the recommended level",
        'line 9: section "child_development" question "health": type must be one of rating, '
        "text, scale, level, choice",
        "line 15: section \"analysis\": 'title' must not be empty",
    ]


def test_json_problems_name_the_line():
    data = loader.parse(VALID_YAML).as_dict()
    data["sections"][1]["questions"][0]["required_from_age"] = 7
    data["sections"][0]["questions"][0]["type"] = "stars"
    text = json.dumps(data, indent=2)
    stars, age = line_of(text, '"stars"'), line_of(text, '"required_from_age"', 2)
    assert problems(text, source_name="ours.json") == [
        f'line {stars}: section "child_development" question "health": '
        "type must be one of rating, text, scale, level, choice",
        f'line {age}: section "analysis" question '
        "\"worry\": 'required_from_age' is only for sections that apply to a child (this one "
        "applies to the family)",
    ]
    twice = text.replace('"name": "Our assessment",', '"name": "Ours",\n  "name": "Again",')
    assert problems(twice, source_name="ours.json") == ["line 3: 'name' is given twice"]


def test_the_whole_file_must_be_a_mapping():
    assert problems("- just\n- a list\n") == [
        "line 1: the file must be a mapping with 'name' and 'sections'"
    ]
    assert problems("") == ["line 1: the file must be a mapping with 'name' and 'sections'"]
