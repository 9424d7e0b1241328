"""The foundation (accounts, audit, outbox, earlyhelp) imports no domain app, nor what is above.

Domains depend on the foundation, never the other way: the home page, the menu and the demo
data, which read across domains, live above them (home/, demo/); see
docs/decisions/0013-foundation-imports-no-domain.md. Read from the source with `ast`, so an
import inside a function counts as much as one at the top of a module.
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

FOUNDATION = ("accounts", "audit", "outbox", "earlyhelp")
# The domain apps, and the apps above them.
NOT_FROM_THE_FOUNDATION = {
    "cases",
    "referrals",
    "assessments",
    "thresholds",
    "reporting",
    "home",
    "demo",
}
# Calls that import by name.
IMPORTING_CALLS = {"import_module", "__import__", "get_model", "get_app_config"}

# Files of the foundation still allowed to import domain apps, and why.
ALLOWED = {
    # The root URLconf wires every app's pages and API viewsets, and the home page, into
    # one site: it is the top of the tree, not the foundation.
    "earlyhelp/urls.py",
}


def _foundation_files():
    return sorted(
        path.relative_to(ROOT).as_posix()
        for package in FOUNDATION
        for path in (ROOT / package).rglob("*.py")
    )


def _imports(relative_path, root):
    """(line, module) for every absolute import in the file, and every import by name."""
    tree = ast.parse((root / relative_path).read_text(encoding="utf-8"), relative_path)
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            yield node.lineno, node.module
        elif isinstance(node, ast.Call) and node.args:
            function = node.func
            name = getattr(function, "attr", None) or getattr(function, "id", None)
            first = node.args[0]
            if (
                name in IMPORTING_CALLS
                and isinstance(first, ast.Constant)
                and isinstance(first.value, str)
            ):
                yield node.lineno, first.value


def _domain_imports(relative_path, root=ROOT):
    return [
        f"{relative_path}:{line} imports {module}"
        for line, module in sorted(_imports(relative_path, root))
        if module.split(".")[0] in NOT_FROM_THE_FOUNDATION
    ]


def test_the_foundation_is_found():
    files = _foundation_files()
    assert "accounts/views.py" in files
    assert "audit/services.py" in files
    assert "outbox/services.py" in files
    assert "earlyhelp/context_processors.py" in files


@pytest.mark.parametrize(
    "relative_path", [path for path in _foundation_files() if path not in ALLOWED]
)
def test_the_foundation_imports_no_domain_app(relative_path):
    assert _domain_imports(relative_path) == []


def test_only_files_of_the_foundation_are_allowed():
    assert ALLOWED <= set(_foundation_files())


@pytest.mark.parametrize("relative_path", sorted(ALLOWED))
def test_each_allowed_file_still_needs_it(relative_path):
    # When a file stops importing domain apps, take it off the list so it stays clean.
    assert _domain_imports(relative_path), f"{relative_path} no longer needs to be in ALLOWED"


def test_the_check_sees_imports_inside_functions(tmp_path):
    source = (
        "import datetime\n"
        "def f():\n"
        "    from cases.families.selectors import families_for\n"
        "    import referrals.models\n"
        "    return apps.get_model('thresholds', 'Level'), import_module('demo.families')\n"
    )
    (tmp_path / "accounts").mkdir()
    (tmp_path / "accounts" / "example.py").write_text(source)
    assert _domain_imports("accounts/example.py", tmp_path) == [
        "accounts/example.py:3 imports cases.families.selectors",
        "accounts/example.py:4 imports referrals.models",
        "accounts/example.py:5 imports demo.families",
        "accounts/example.py:5 imports thresholds",
    ]
