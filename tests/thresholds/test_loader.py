import json
import textwrap

import pytest

from tests.thresholds.helpers import framework_data
from thresholds import loader
from thresholds.loader import FrameworkFileError

VALID_YAML = textwrap.dedent(
    """\
    name: Our thresholds
    levels:
      - rank: 1
        name: Universal
        description: Needs met by universal services.
        colour: green
      - rank: 2
        name: Additional needs
        description: One agency can help.
        colour: blue
    domains:
      - key: child
        name: Child's developmental needs
    indicators:
      - text: Attendance below 90% without an explained reason
        domain: child
        level: 2
      - text: Persistent absence
        domain: child
        level: 2
    """
)


def problems(data, source_name="framework.yaml"):
    with pytest.raises(FrameworkFileError) as caught:
        loader.parse(data, source_name=source_name)
    return [str(problem) for problem in caught.value.problems]


def test_the_default_framework_loads_with_four_levels_three_domains_and_40_indicators():
    spec = loader.load_file(loader.DEFAULT_FRAMEWORK)
    assert [level.name for level in spec.levels] == [
        "Universal",
        "Additional needs",
        "Multiple needs, early help with a TAF",
        "Specialist / children's social care",
    ]
    assert [level.statutory for level in spec.levels] == [False, False, False, True]
    assert len(spec.indicators) >= 40
    assert {indicator.domain for indicator in spec.indicators} == {"child", "parenting", "family"}
    assert {indicator.level for indicator in spec.indicators} == {1, 2, 3, 4}
    for rank in (1, 2, 3, 4):
        domains = {i.domain for i in spec.indicators if i.level == rank}
        assert domains == {"child", "parenting", "family"}, rank


def test_a_valid_yaml_file_parses():
    spec = loader.parse(VALID_YAML, source_name="ours.yaml")
    assert spec.name == "Our thresholds"
    assert [(i.text, i.domain, i.level) for i in spec.indicators][0] == (
        "Attendance below 90% without an explained reason",
        "child",
        2,
    )


def test_a_valid_json_file_parses():
    spec = loader.parse(json.dumps(framework_data(indicators=5)), source_name="ours.json")
    assert len(spec.levels) == 4 and len(spec.indicators) == 5


def test_malformed_yaml_is_rejected_with_the_line_at_fault():
    broken = VALID_YAML.replace("    colour: blue\n", "    colour: blue\n    description: a: b\n")
    assert problems(broken)[0].startswith("line 11: not valid YAML")


def test_malformed_json_is_rejected_with_the_line_at_fault():
    text = json.dumps(framework_data(), indent=2).splitlines()
    # Drop the comma after the first level's name: a syntax error on the next line.
    index = next(n for n, line in enumerate(text) if '"name": "Universal",' in line)
    text[index] = text[index].rstrip(",")
    found = problems("\n".join(text), source_name="ours.json")
    assert found[0].startswith(f"line {index + 2}: not valid JSON")


def test_an_unknown_level_is_rejected_naming_the_line_yaml():
    broken = VALID_YAML.replace(
        "Persistent absence\n    domain: child\n    level: 2",
        ("Persistent absence\n    domain: child\n    level: 5"),
    )
    assert problems(broken) == [
        "line 20: indicator 'Persistent absence' names level 5, which is not defined"
    ]


def test_an_unknown_level_is_rejected_naming_the_line_json():
    data = framework_data(indicators=3)
    data["indicators"][2]["level"] = 7
    text = json.dumps(data, indent=2)
    lines = text.splitlines()
    expected = next(n for n, line in enumerate(lines) if '"level": 7' in line) + 1
    assert problems(text, source_name="ours.json") == [
        f"line {expected}: indicator 'Indicator number 2' names level 7, which is not defined"
    ]


def test_an_unknown_domain_is_rejected_naming_the_line():
    broken = VALID_YAML.replace("domain: child\n    level: 2", "domain: kids\n    level: 2", 1)
    assert problems(broken) == [
        "line 16: indicator 'Attendance below 90% without an explained reason' names domain "
        "'kids', which is not defined"
    ]


def test_a_duplicate_rank_is_rejected_naming_the_line():
    broken = VALID_YAML.replace("  - rank: 2", "  - rank: 1")
    found = problems(broken)
    assert "line 7: level 'Additional needs': rank 1 is given to another level" in found


def test_ranks_must_run_from_one_without_gaps():
    broken = VALID_YAML.replace("  - rank: 2", "  - rank: 3").replace("level: 2", "level: 3")
    assert problems(broken) == ["line 2: level ranks must run 1, 2, 3… without gaps; they are 1, 3"]


def test_a_colour_outside_the_list_is_rejected_naming_the_line():
    broken = VALID_YAML.replace("colour: blue", "colour: beige")
    found = problems(broken)
    assert len(found) == 1
    assert found[0].startswith("line 10: level 'Additional needs': colour 'beige' is not one of")


def test_missing_or_empty_indicator_text_is_rejected_naming_the_line():
    broken = VALID_YAML.replace("text: Persistent absence", "text: '  '")
    assert problems(broken) == ["line 18: indicator 2: 'text' must not be empty"]
    missing = VALID_YAML.replace("  - text: Persistent absence\n    domain", "  - domain")
    assert problems(missing) == ["line 18: indicator 2 is missing 'text'"]


def test_at_least_one_level_is_needed():
    data = framework_data()
    data["levels"] = []
    data["indicators"] = []
    found = problems(json.dumps(data, indent=2), source_name="ours.json")
    assert "line 3: 'levels' must list at least one entry" in found


def test_unknown_keys_and_duplicate_keys_are_named():
    typo = VALID_YAML.replace("    colour: green", "    color: green")
    assert (
        "line 6: level 'Universal' has an unknown key 'color' (expected colour, "
        in (problems(typo)[1])
    )
    twice = VALID_YAML.replace("name: Our thresholds\n", "name: Our thresholds\nname: Again\n")
    assert problems(twice) == ["line 2: 'name' is given twice"]


def test_the_whole_file_must_be_a_mapping():
    assert problems("- just\n- a list\n") == ["line 1: the file must be a mapping with 'levels'"]
