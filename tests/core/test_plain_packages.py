"""The plain-Python packages (the scoring engine, the import's parsing, the contract
document) load neither Flask nor the ORM nor the extensions: they can be driven without an
app, and an import's reading process stays small. Every module of them is imported in a
fresh interpreter (the test session has imported everything already), one test per module.

And the packages of app/ are folders, not façades: their __init__.py imports nothing, so
importing one module of a feature never loads the rest of it."""

from __future__ import annotations

import ast
import importlib
import json
import pkgutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
APP = ROOT / "app"
PLAIN_PACKAGES = ("app.scoring.engine", "app.imports.parsing", "app.contracts.document")
FORBIDDEN = ("flask", "flask_babel", "flask_login", "flask_wtf", "flask_sqlalchemy", "sqlalchemy",
             "app.extensions", "app.models")
# The application factory, and the models gathered for Alembic.
INIT_WITH_IMPORTS = {APP / "__init__.py", APP / "models" / "__init__.py"}

LOADED = """
import importlib, json, sys
importlib.import_module(sys.argv[1])
print(json.dumps(sorted(name for name in sys.argv[2:] if name in sys.modules)))
"""


def _plain_modules() -> list[str]:
    names = []
    for package_name in PLAIN_PACKAGES:
        package = importlib.import_module(package_name)
        names.append(package_name)
        names += [info.name for info in pkgutil.walk_packages(package.__path__,
                                                               package_name + ".")]
    return sorted(names)


@pytest.mark.slow
@pytest.mark.parametrize("module", _plain_modules())
def test_a_plain_module_loads_neither_flask_nor_the_orm(module):
    result = subprocess.run(  # noqa: S603 - our interpreter, our module names
        [sys.executable, "-c", LOADED, module, *FORBIDDEN],
        capture_output=True, text=True, cwd=ROOT, check=False)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == [], f"importing {module} loads these"


def test_the_plain_packages_have_modules():
    """The walk finds what is there (a renamed package would leave nothing to check)."""
    found = _plain_modules()
    for package_name in PLAIN_PACKAGES:
        assert any(name.startswith(package_name + ".") for name in found), package_name


def _package_inits() -> list[Path]:
    return sorted(APP.rglob("__init__.py"))


@pytest.mark.parametrize("init", _package_inits(), ids=lambda path: str(path.relative_to(ROOT)))
def test_a_package_init_imports_nothing(init):
    tree = ast.parse(init.read_text(encoding="utf-8"), filename=str(init))
    imports = [ast.unparse(node) for node in ast.walk(tree)
               if isinstance(node, ast.Import | ast.ImportFrom)]
    if init in INIT_WITH_IMPORTS:
        assert imports, f"{init} gathers what it imports: it holds imports"
    else:
        assert imports == []
