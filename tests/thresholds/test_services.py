import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import IntegrityError, transaction

from audit.models import AuditEvent
from earlyhelp.exceptions import ServiceError
from tests.thresholds.helpers import framework_yaml, published_framework
from thresholds import selectors, services
from thresholds.loader import FrameworkFileError
from thresholds.models import Framework, FrameworkLocked, Indicator, Level

pytestmark = pytest.mark.django_db


def test_the_default_framework_is_loaded_and_published_by_the_migration():
    framework = selectors.current_framework()
    assert framework.version == 1
    assert [level.name for level in framework.levels.all()] == [
        "Universal",
        "Additional needs",
        "Multiple needs, early help with a TAF",
        "Specialist / children's social care",
    ]
    assert framework.levels.get(rank=4).statutory
    assert framework.indicators.count() >= 40
    assert framework.domains.count() == 3


def test_import_creates_an_audited_draft(system_administrator):
    framework = services.framework_import(
        by=system_administrator, data=framework_yaml(indicators=5), source_name="ours.yaml"
    )
    assert framework.status == Framework.Status.DRAFT
    assert not framework.is_current and framework.published_at is None
    assert (framework.levels.count(), framework.domains.count()) == (4, 3)
    assert framework.indicators.count() == 5
    assert framework.created_by == system_administrator
    event = AuditEvent.objects.for_object(framework).get()
    assert (event.action, event.actor) == ("create", system_administrator)
    assert event.detail["import"] == "ours.yaml"
    # The current framework is still the default one.
    assert selectors.current_framework().version == 1


def test_a_bad_file_imports_nothing(system_administrator):
    before = Framework.objects.count()
    with pytest.raises(FrameworkFileError):
        services.framework_import(
            by=system_administrator, data="name: x\nlevels: [", source_name="bad.yaml"
        )
    assert Framework.objects.count() == before


def test_publishing_switches_the_current_version_and_leaves_the_old_one_unchanged(
    system_administrator,
):
    old = selectors.current_framework()
    old_indicators = list(old.indicators.values_list("pk", "text", "level_id", "domain_id"))
    old_levels = list(old.levels.values_list("pk", "rank", "name", "description", "colour"))

    draft = services.framework_import(
        by=system_administrator, data=framework_yaml(indicators=3), source_name="new.yaml"
    )
    published = services.framework_publish(by=system_administrator, framework=draft)

    assert published.is_current and published.published_by == system_administrator
    assert selectors.current_framework() == published
    old.refresh_from_db()
    assert old.status == Framework.Status.SUPERSEDED
    assert old.published_at is not None
    assert list(old.indicators.values_list("pk", "text", "level_id", "domain_id")) == (
        old_indicators
    )
    assert list(old.levels.values_list("pk", "rank", "name", "description", "colour")) == (
        old_levels
    )
    assert Framework.objects.filter(is_current=True).count() == 1
    actions = {
        (event.object_id, event.action)
        for event in AuditEvent.objects.filter(object_type="thresholds.framework")
    }
    assert {(str(old.pk), "change"), (str(published.pk), "change")} <= actions


def test_a_published_version_cannot_be_published_again_or_changed(system_administrator):
    current = selectors.current_framework()
    with pytest.raises(ServiceError, match="already published"):
        services.framework_publish(by=system_administrator, framework=current)
    level = current.levels.first()
    level.name = "Renamed"
    with pytest.raises(FrameworkLocked):
        level.save()
    with pytest.raises(FrameworkLocked):
        current.indicators.first().delete()
    assert Level.objects.filter(framework=current, name="Renamed").count() == 0


def test_only_one_version_can_be_current():
    published_framework()
    with pytest.raises(IntegrityError), transaction.atomic():
        Framework.objects.filter(is_current=False).update(is_current=True)


def test_copy_to_draft_makes_an_editable_copy(system_administrator):
    current = selectors.current_framework()
    draft = services.framework_copy_to_draft(by=system_administrator, framework=current)
    assert draft.status == Framework.Status.DRAFT and draft.version == current.version + 1
    assert draft.indicators.count() == current.indicators.count()
    assert set(draft.indicators.values_list("text", "level__rank", "domain__key")) == set(
        current.indicators.values_list("text", "level__rank", "domain__key")
    )
    indicator = draft.indicators.first()
    indicator.text = "Edited in the draft"
    indicator.save()
    assert not current.indicators.filter(text="Edited in the draft").exists()
    event = AuditEvent.objects.for_object(draft).get()
    assert event.detail["copied_from"] == current.version


def test_a_draft_without_levels_cannot_be_published(system_administrator):
    empty = Framework.objects.create(version=services.next_version(), name="Empty")
    with pytest.raises(ServiceError, match="at least one level"):
        services.framework_publish(by=system_administrator, framework=empty)


def test_the_command_imports_and_publishes(tmp_path, capsys):
    path = tmp_path / "ours.yaml"
    path.write_text(framework_yaml(indicators=4, name="Our own thresholds"))
    call_command("load_threshold_framework", str(path), "--publish")
    current = selectors.current_framework()
    assert current.name == "Our own thresholds"
    assert current.indicators.count() == 4
    assert "is now the current framework" in capsys.readouterr().out


def test_the_command_without_publish_leaves_a_draft(tmp_path):
    path = tmp_path / "ours.json"
    path.write_text(
        '{"name": "x", "levels": [{"rank": 1, "name": "U", "description": "d", '
        '"colour": "green"}], "domains": [{"key": "c", "name": "C"}], '
        '"indicators": [{"text": "t", "domain": "c", "level": 1}]}'
    )
    call_command("load_threshold_framework", str(path))
    assert Framework.objects.order_by("-version").first().status == Framework.Status.DRAFT
    assert selectors.current_framework().version == 1


def test_the_command_fails_with_the_line_on_a_bad_file(tmp_path, capsys):
    path = tmp_path / "bad.yaml"
    text = framework_yaml(indicators=3).replace("level: 3", "level: 9")
    path.write_text(text)
    line = text.splitlines().index("  level: 9") + 1
    before = Framework.objects.count()
    with pytest.raises(CommandError, match="not a valid threshold framework"):
        call_command("load_threshold_framework", str(path), "--publish")
    err = capsys.readouterr().err
    assert f"bad.yaml: line {line}: indicator 'Indicator number 2' names level 9" in err
    assert Framework.objects.count() == before


def test_the_command_exits_non_zero_on_a_bad_file(tmp_path):
    import os
    import subprocess
    import sys

    from django.conf import settings

    path = tmp_path / "bad.json"
    path.write_text('{\n  "name": "x",\n  "levels": [\n}\n')
    result = subprocess.run(
        [sys.executable, "manage.py", "load_threshold_framework", str(path)],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "DEBUG": "1"},
        cwd=settings.BASE_DIR,
    )
    assert result.returncode != 0
    assert "bad.json: line 4: not valid JSON" in result.stderr


def test_indicators_count_stays_with_their_version():
    new = published_framework(indicators=7)
    assert Indicator.objects.filter(framework=new).count() == 7
