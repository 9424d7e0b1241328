"""The access policy's machinery: rules declared as data by each app, refused when missing,
and a foundation that imports no domain app."""

import ast
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from accounts.models import Team
from assessments.models import Plan, ReviewProgress
from audit.models import AuditEvent
from cases.access_rules import families_visible
from cases.models import CaseNote, Family
from earlyhelp import access
from earlyhelp.access import visibility
from referrals.models import RequestForSupport, RequestPerson

DOMAIN_APPS = {"cases", "referrals", "assessments", "thresholds", "reporting"}
ROOT = Path(__file__).resolve().parent.parent


def test_the_access_package_imports_no_domain_app():
    imported = set()
    for module in (ROOT / "earlyhelp" / "access").glob("*.py"):
        for node in ast.walk(ast.parse(module.read_text())):
            if isinstance(node, ast.Import):
                imported |= {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.module:
                imported.add(node.module.split(".")[0])
    assert not imported & DOMAIN_APPS


def test_every_permission_has_a_check_once_the_apps_are_ready():
    for permission in access.Permission:
        assert callable(access.permissions.check_for(permission))


@pytest.mark.django_db
def test_an_unknown_permission_is_refused(practitioner):
    with pytest.raises(ValueError, match="Unknown permission"):
        access.can(practitioner, "fly")


@pytest.mark.django_db
def test_a_model_without_a_rule_is_refused(practitioner):
    with pytest.raises(NotImplementedError, match="does not govern AuditEvent"):
        access.visible(practitioner, AuditEvent.objects.all())


def test_case_records_are_declared_by_their_path_to_the_family():
    rule_for, PathRule = visibility.rule_for, visibility.PathRule
    assert rule_for(Family) is families_visible
    assert rule_for(CaseNote) == PathRule("family", Family)
    assert rule_for(Plan) == PathRule("episode__family", Family)
    assert rule_for(ReviewProgress) == PathRule("review__episode__family", Family)
    assert rule_for(RequestPerson) == PathRule("request", RequestForSupport)


def test_a_rule_is_declared_once():
    # The same declaration again is harmless (an app's ready() run twice) ...
    access.register_rules({CaseNote: "family"})
    # ... a different one is refused.
    with pytest.raises(ImproperlyConfigured, match="already has a visibility rule"):
        access.register_rules({CaseNote: access.everyone})
    with pytest.raises(ImproperlyConfigured, match="already has a check"):
        access.register_checks({access.Permission.USE_SERVICE: lambda user, obj: True})


def test_a_path_must_follow_relations():
    with pytest.raises(ImproperlyConfigured, match="not a relation"):
        access.register_rules({Team: "name"})
