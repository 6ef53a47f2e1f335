"""No test depends on the machine's speed: hypothesis runs without deadlines or speed checks."""

from __future__ import annotations

import ast
from pathlib import Path

from hypothesis import HealthCheck, settings

TESTS = Path(__file__).resolve().parent


def test_the_suite_profile_has_no_deadline_and_no_speed_health_check() -> None:
    profile = settings.get_profile("suite")
    assert settings.default == profile
    assert profile.deadline is None
    assert HealthCheck.too_slow in profile.suppress_health_check


def _settings_calls() -> list[tuple[str, ast.Call]]:
    calls = []
    for path in sorted(TESTS.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "settings":
                calls.append((f"{path.relative_to(TESTS)}:{node.lineno}", node))
    return calls


def test_no_test_sets_a_deadline_or_brings_the_speed_check_back() -> None:
    calls = _settings_calls()
    assert calls, "the scan found no @settings at all"
    timed = [
        where
        for where, call in calls
        for keyword in call.keywords
        if keyword.arg == "deadline"
        and not (isinstance(keyword.value, ast.Constant) and keyword.value.value is None)
    ]
    checked = [
        where
        for where, call in calls
        for keyword in call.keywords
        if keyword.arg == "suppress_health_check" and "too_slow" not in ast.unparse(keyword.value)
    ]
    assert (timed, checked) == ([], [])
