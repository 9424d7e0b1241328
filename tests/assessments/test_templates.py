"""Importing a council's assessment template: the command, versions, and bad files."""

import io

import pytest
from django.core.management import CommandError, call_command

from assessments.assessments.loader import DEFAULT_TEMPLATE
from assessments.models import AssessmentTemplate

pytestmark = pytest.mark.django_db


def test_the_default_template_is_loaded_and_current():
    template = AssessmentTemplate.objects.get(is_current=True)
    assert template.name == "Early Help Assessment"
    assert template.spec.section("analysis").question("recommended_level").type == "level"


def test_the_command_imports_and_publishes_a_new_version(tmp_path):
    path = tmp_path / "our-eha.yaml"
    path.write_text(
        DEFAULT_TEMPLATE.read_text().replace(
            "name: Early Help Assessment", "name: Brackenshire EHA", 1
        )
    )
    out = io.StringIO()

    call_command("load_assessment_template", str(path), "--publish", stdout=out)

    current = AssessmentTemplate.objects.get(is_current=True)
    assert (current.name, current.version, current.source_name) == (
        "Brackenshire EHA",
        2,
        "our-eha.yaml",
    )
    assert "Imported our-eha.yaml as version 2" in out.getvalue()


def test_a_malformed_file_is_refused_with_the_line_at_fault(tmp_path):
    path = tmp_path / "broken.yaml"
    path.write_text(
        "name: Broken\nsections:\n  - key: only\n    title: Only\n    applies_to: everyone\n"
    )
    err = io.StringIO()

    with pytest.raises(CommandError, match="not a valid assessment template"):
        call_command("load_assessment_template", str(path), stderr=err)

    assert "line 5" in err.getvalue()
    assert AssessmentTemplate.objects.count() == 1
