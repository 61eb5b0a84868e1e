"""Architecture as tests: which package may import which, and where writes happen.

- programs never import each other (they meet in core: declared references, the
  home registry, the ledger);
- core imports no program;
- views and API routes do not write through models: they call services.
"""

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[2]  # src/gaoxin
PLATFORM = {"core", "ledger"}  # what every program may use
PROGRAMS = sorted(
    p.name
    for p in SRC.iterdir()
    if p.is_dir() and (p / "apps.py").exists() and p.name not in PLATFORM
)


def _modules(package: str):
    for path in sorted((SRC / package).rglob("*.py")):
        rel = path.relative_to(SRC)
        if "tests" in rel.parts or "migrations" in rel.parts:
            continue
        yield rel, ast.parse(path.read_text(encoding="utf-8"))


def _gaoxin_imports(tree: ast.AST) -> set[str]:
    """Top-level gaoxin packages a module imports (`gaoxin.stations.x` → `stations`)."""
    found = set()
    for node in ast.walk(tree):
        names = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module]
        for name in names:
            parts = name.split(".")
            if parts[0] == "gaoxin" and len(parts) > 1:
                found.add(parts[1])
    return found


def test_there_are_programs_to_check():
    assert {"stations", "welfare", "activities"} <= set(PROGRAMS)


@pytest.mark.parametrize("program", PROGRAMS)
def test_programs_never_import_each_other(program):
    offences = []
    for rel, tree in _modules(program):
        # The demo orchestrator (gaoxin.demo) may be used by a program's own demo.py.
        allowed = {program, *PLATFORM} | ({"demo"} if rel.name == "demo.py" else set())
        for imported in _gaoxin_imports(tree) - allowed:
            offences.append(f"{rel} imports gaoxin.{imported}")
    assert offences == []


@pytest.mark.parametrize("package", sorted(PLATFORM))
def test_platform_imports_no_program(package):
    offences = [
        f"{rel} imports gaoxin.{imported}"
        for rel, tree in _modules(package)
        for imported in _gaoxin_imports(tree) & set(PROGRAMS)
    ]
    assert offences == []


# Model writes a view or an API route must leave to a service.
_ALWAYS_WRITES = {"bulk_create", "bulk_update", "get_or_create", "update_or_create"}
_QUERYSET_WRITES = {"create", "update", "delete"}
_QUERYSET_HINTS = {"objects", "filter", "exclude", "all", "select_for_update"}


def _chain(node: ast.AST) -> list[str]:
    """Names along a call's receiver: `Station.objects.filter(...).update` → [..]."""
    names = []
    while True:
        if isinstance(node, ast.Call):
            node = node.func
        elif isinstance(node, ast.Attribute):
            names.append(node.attr)
            node = node.value
        elif isinstance(node, ast.Name):
            names.append(node.id)
            return names
        else:
            return names


def _writes(tree: ast.AST) -> list[int]:
    lines = []
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
            continue
        method = node.func.attr
        receiver = set(_chain(node.func.value))
        model_save = method == "save" and not node.args  # a QR code's save(buffer) is no write
        if (
            model_save
            or method in _ALWAYS_WRITES
            or (method in _QUERYSET_WRITES and receiver & _QUERYSET_HINTS)
        ):
            lines.append(node.lineno)
    return lines


def _interface_modules():
    for package in ["core", *PROGRAMS]:
        for rel, tree in _modules(package):
            parts = rel.parts
            if rel.name == "api.py" or rel.name.startswith(("api_", "views")) or "views" in parts:
                yield rel, tree


def test_views_and_routes_do_not_write_models():
    offences = [f"{rel}:{line}" for rel, tree in _interface_modules() for line in _writes(tree)]
    assert offences == []


def test_write_detector_sees_writes():
    """The check above must be able to fail."""
    tree = ast.parse(
        "def view(request):\n"
        "    Station.objects.filter(pk=1).update(name='x')\n"
        "    s.save()\n"
        "    context.update({})\n"
        "    Station.objects.create(name='x')\n"
        "    qr.save(buffer, kind='svg')\n"
    )
    assert _writes(tree) == [2, 3, 5]
