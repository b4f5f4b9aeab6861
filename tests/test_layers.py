"""Layers import only downward: documents -> plan -> ledger -> assess -> exports -> web | cli.

Walks every import statement of src/duban (also those inside functions, which are imports all
the same), so an upward import, a web <-> cli import or a page importing the JSON API fails here.
"""

from __future__ import annotations

import ast
from pathlib import Path

import duban

SRC = Path(duban.__file__).parent
RANK = {"documents": 0, "plan": 1, "ledger": 2, "assess": 3, "exports": 4, "web": 5, "cli": 5}

# No known violations are left: every import against the layering fails the test.
KNOWN: set[tuple[str, str]] = set()


def module_name(path: Path, root: Path = SRC) -> str:
    parts = ("duban", *path.relative_to(root).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported(path: Path, root: Path = SRC) -> set[str]:
    """Every duban module named by an import in the file, relative imports resolved."""
    package = module_name(path, root).split(".")
    if path.name != "__init__.py":
        package = package[:-1]
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = ".".join(package[: len(package) - node.level + 1]) if node.level else ""
            module = ".".join(p for p in (base, node.module or "") if p)
            if module == "duban":  # from duban import exports
                names.update(f"duban.{a.name}" for a in node.names)
            else:
                names.add(module)
    return {n for n in names if n.startswith("duban.")}


def violation(importer: str, target: str) -> str | None:
    src, dst = importer.split(".")[1:], target.split(".")[1:]
    if src[:2] == ["web", "pages"] and dst[:2] == ["web", "api"]:
        return "pages -> api"
    if not src or not dst or src[0] not in RANK or dst[0] not in RANK or src[0] == dst[0]:
        return None
    if RANK[dst[0]] > RANK[src[0]]:
        return "upward"
    if RANK[dst[0]] == RANK[src[0]]:
        return "sibling top layers"
    return None


def all_violations() -> set[tuple[str, str]]:
    found = set()
    for path in sorted(SRC.rglob("*.py")):
        importer = module_name(path)
        for target in imported(path):
            if violation(importer, target):
                found.add((importer, target))
    return found


def test_layers_import_only_downward() -> None:
    found = all_violations()
    new = sorted(found - KNOWN)
    assert not new, "imports against the layering:\n" + "\n".join(f"{a} -> {b}" for a, b in new)
    stale = sorted(KNOWN - found)
    assert not stale, "fixed, remove from KNOWN in tests/test_layers.py:\n" + "\n".join(map(str, stale))


def test_the_walk_sees_each_kind_of_violation() -> None:
    assert violation("duban.plan.parser", "duban.ledger.models") == "upward"
    assert violation("duban.documents.reader", "duban.plan.model") == "upward"
    assert violation("duban.web.app", "duban.cli.common") == "sibling top layers"
    assert violation("duban.web.pages.tasks", "duban.web.api.tasks") == "pages -> api"
    assert violation("duban.ledger.tasks", "duban.plan.model") is None
    assert violation("duban.cli.ledger", "duban.ledger.tasks") is None
    assert violation("duban.web.api.tasks", "duban.web.deps") is None
    # Imports inside functions count too (cli/ledger.py imports the services lazily).
    assert "duban.ledger.clock" in imported(SRC / "cli" / "ledger.py")


def test_relative_imports_resolve(tmp_path: Path) -> None:
    pkg = tmp_path / "duban" / "plan"
    pkg.mkdir(parents=True)
    (pkg / "__init__.py").write_text("from .model import Plan\n", encoding="utf-8")
    (pkg / "x.py").write_text("from ..ledger import models\nfrom . import y\n", encoding="utf-8")
    assert imported(pkg / "__init__.py", tmp_path / "duban") == {"duban.plan.model"}
    assert imported(pkg / "x.py", tmp_path / "duban") == {"duban.ledger", "duban.plan"}
