"""The install is lean: runtime dependencies are exactly what the package imports."""

from __future__ import annotations

import ast
import sys
import tomllib
from importlib.metadata import packages_distributions
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

REPO = Path(__file__).resolve().parent.parent
PYPROJECT = tomllib.loads((REPO / "pyproject.toml").read_text())


def _imported_distributions() -> dict[str, set[str]]:
    """Distribution name -> the package files importing it (third-party imports only)."""
    dists = packages_distributions()
    found: dict[str, set[str]] = {}
    for folder in ("recover", "spiders"):
        for path in (REPO / folder).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text(), str(path))):
                if isinstance(node, ast.Import):
                    names = [a.name for a in node.names]
                elif isinstance(node, ast.ImportFrom) and not node.level and node.module:
                    names = [node.module]
                else:
                    continue
                for name in names:
                    top = name.split(".")[0]
                    if top in sys.stdlib_module_names or top in ("recover", "spiders"):
                        continue
                    assert top in dists, f"{path.relative_to(REPO)} imports {top}: not installed"
                    for dist in dists[top]:
                        found.setdefault(canonicalize_name(dist), set()).add(path.name)
    return found


def _names(reqs: list[str]) -> set[str]:
    return {canonicalize_name(Requirement(r).name) for r in reqs}


def test_runtime_dependencies_are_what_the_package_imports() -> None:
    declared = _names(PYPROJECT["project"]["dependencies"])
    imported = _imported_distributions()
    undeclared = {d: sorted(files) for d, files in imported.items() if d not in declared}
    assert not undeclared, f"imported, not in pyproject dependencies: {undeclared}"
    unused = sorted(declared - set(imported))
    assert not unused, f"in pyproject dependencies, never imported (move to an extra): {unused}"


def test_pywb_and_trafilatura_are_extras_only() -> None:
    declared = _names(PYPROJECT["project"]["dependencies"])
    extras = PYPROJECT["project"]["optional-dependencies"]
    assert "pywb" not in declared and "trafilatura" not in declared
    assert "pywb" in _names(extras["demo"]) and "trafilatura" in _names(extras["bench"])
