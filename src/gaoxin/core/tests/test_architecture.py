"""Architecture as tests: which package may import which, and where writes happen.

- programs never import each other (they meet in the platform: core's declared
  references and home registry, the registry of enterprises and people, the ledger);
- the platform imports no program;
- core does not import the registry at module level: where core must reach a registry
  model (User.person, phone login by a person's phone, `gaoxin rekey`) it names it by
  string or `apps.get_model`; only code that runs inside a function (the demo loader)
  may import it there. The registry imports core, never a program;
- views and API routes do not write through models: they call services.
"""

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[2]  # src/gaoxin
PLATFORM = {"core", "registry", "ledger"}  # what every program may use
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


def _gaoxin_imports(tree: ast.AST, *, module_level: bool = False) -> set[str]:
    """Top-level gaoxin packages a module imports (`gaoxin.stations.x` → `stations`);
    with `module_level`, only imports that run when the module is imported (not those
    inside a function)."""
    found = set()
    nodes = _module_level_nodes(tree) if module_level else ast.walk(tree)
    for node in nodes:
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


def _module_level_nodes(tree: ast.AST):
    """Every node outside function bodies: module, class and if/try/with blocks."""
    stack = [tree]
    while stack:
        node = stack.pop()
        yield node
        for child in ast.iter_child_nodes(node):
            if not isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
                stack.append(child)


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


def test_core_does_not_import_the_registry_at_module_level():
    offences = [
        str(rel)
        for rel, tree in _modules("core")
        if "registry" in _gaoxin_imports(tree, module_level=True)
    ]
    assert offences == []


def test_module_level_detector_skips_only_function_bodies():
    """The check above must be able to fail, and must not see inside functions."""
    tree = ast.parse(
        "from gaoxin.registry.models import Person\n"
        "if True:\n"
        "    import gaoxin.welfare\n"
        "class A:\n"
        "    from gaoxin.stations import x\n"
        "def load():\n"
        "    from gaoxin.activities import services\n"
    )
    assert _gaoxin_imports(tree, module_level=True) == {"registry", "welfare", "stations"}
    assert "activities" in _gaoxin_imports(tree)


def test_registry_imports_core_and_no_program():
    offences = [
        f"{rel} imports gaoxin.{imported}"
        for rel, tree in _modules("registry")
        for imported in _gaoxin_imports(tree) - {"registry", "core"}
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
    for package in ["core", "registry", *PROGRAMS]:
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
