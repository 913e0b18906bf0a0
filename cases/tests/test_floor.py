"""The floor knows no app above it (ARCHITECTURE: dependency direction, the routine kernel)."""

import ast
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from cases import access, roles

CASES = Path(settings.BASE_DIR) / "cases"
PROJECT_APPS = {"mottak", "permisjon", "savnet", "kartlegging", "retur", "config"}


def _imported_roots(path: Path) -> set[str]:
    roots = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            roots |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            roots.add(node.module.split(".")[0])
    return roots


def test_cases_imports_no_other_project_app():
    offenders = {
        str(path.relative_to(CASES)): sorted(_imported_roots(path) & PROJECT_APPS)
        for path in CASES.rglob("*.py")
        if "tests" not in path.parts
    }
    assert {path: apps for path, apps in offenders.items() if apps} == {}


def test_no_setting_names_a_function_for_cases():
    assert not [name for name in dir(settings) if name.startswith("CASES_") and "ACCESS" in name]
    assert not hasattr(settings, "CASES_CENTRES_VISIBLE")
    assert not hasattr(settings, "CASES_RESIDENTS_VISIBLE")


def test_an_unregistered_access_function_says_how_to_register_it(monkeypatch):
    monkeypatch.setattr(access, "_functions", {})
    with pytest.raises(ImproperlyConfigured, match="cases.access.register"):
        access.residents_visible_to(None)


def test_mottak_registered_its_role_names():
    from mottak.models import Role

    names = roles.names()
    assert names.centre_roles == (Role.CENTRE_STAFF, Role.CHILD_WELFARE_LEAD, Role.CENTRE_LEADER)
    assert names.waiver_roles == {Role.CENTRE_LEADER, Role.ADMIN}
    assert (names.member_of_centre, names.member_of_region) == (
        "member_of_centre",
        "member_of_region",
    )
