"""The code's limits hold on app, bench and tests (modules ≤ 400 lines, functions ≤ 60, private
names kept in their module), and the check itself catches each kind of breach."""

from __future__ import annotations

from pathlib import Path

import pytest

from tools import code_rules

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.slow
def test_the_application_the_benchmarks_and_the_tests_keep_the_rules():
    found = [line for folder in ("app", "bench", "tests")
             for path in sorted((ROOT / folder).rglob("*.py"))
             for line in code_rules.breaches(path)]
    assert found == []


def test_each_breach_is_reported(tmp_path):
    long_function = "def f():\n" + "    x = 1\n" * 60 + "    return x\n"
    source = (
        "from app.forms import _hidden, visible\n"
        "from app.campaigns import service\n"
        "value = service._private_helper()\n"
        "own = service.public\n"
        + long_function
        + "\n" * (code_rules.MODULE_LINES - 62)
    )
    module = tmp_path / "module.py"
    module.write_text(source)
    found = code_rules.breaches(module)
    assert any("402 lines" in line or "lines (at most 400)" in line for line in found)
    assert any("f() has 62 lines" in line for line in found)
    assert any("imports the private _hidden from app.forms" in line for line in found)
    assert any("reads the private service._private_helper" in line for line in found)
    assert len(found) == 4  # `visible` and `service.public` are fine


def test_a_tree_within_the_limits_passes(tmp_path):
    (tmp_path / "small.py").write_text("def f():\n    return 1\n")
    assert code_rules.main([str(tmp_path)]) == 0
    (tmp_path / "bad.py").write_text("from app.x import _y\n")
    assert code_rules.main([str(tmp_path)]) == 1
