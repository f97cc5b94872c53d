"""The code's size limits and privacy rule, checked on every module of the given folders:

- a module holds at most 400 lines, a function at most 60;
- a private name (`_name`) is used only in its own module: never imported from another
  module, never read as an attribute of an imported module.

`python -m tools.code_rules app bench tests` prints one line per breach and exits 1 if any
(`make lint` runs it; tests/core/test_code_rules.py too).
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

MODULE_LINES = 400
FUNCTION_LINES = 60


def _private(name: str) -> bool:
    return name.startswith("_") and not name.startswith("__")


def _module_aliases(tree: ast.Module) -> set[str]:
    """Names bound to one of the application's modules by an import."""
    aliases = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            aliases |= {(a.asname or a.name.split(".")[0]) for a in node.names
                        if a.name == "app" or a.name.startswith("app.")}
        elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("app"):
            aliases |= {a.asname or a.name for a in node.names if not a.name[:1].isupper()}
    return aliases


def breaches(path: Path) -> list[str]:
    source = path.read_text(encoding="utf-8")
    tree = ast.parse(source, str(path))
    found = []
    lines = len(source.splitlines())
    if lines > MODULE_LINES:
        found.append(f"{path}: {lines} lines (at most {MODULE_LINES})")
    aliases = _module_aliases(tree)
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            length = node.end_lineno - node.lineno + 1
            if length > FUNCTION_LINES:
                found.append(f"{path}:{node.lineno}: {node.name}() has {length} lines "
                             f"(at most {FUNCTION_LINES})")
        elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("app"):
            found += [f"{path}:{node.lineno}: imports the private {a.name} from {node.module}"
                      for a in node.names if _private(a.name)]
        elif (isinstance(node, ast.Attribute) and _private(node.attr)
              and isinstance(node.value, ast.Name) and node.value.id in aliases):
            found.append(f"{path}:{node.lineno}: reads the private {node.value.id}.{node.attr}")
    return found


def main(folders: list[str]) -> int:
    found = [line for folder in folders for path in sorted(Path(folder).rglob("*.py"))
             for line in breaches(path)]
    print("\n".join(found) if found else f"code rules kept in {', '.join(folders)}")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:] or ["app"]))
