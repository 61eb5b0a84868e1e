"""Every error code the API can answer with is declared (core.errors.Code and each
program's errors.Code), transitions have one shape, and the README lists them all.

The API side is also checked at run time: conftest.py wraps config.api._error so any
test that makes the API answer with an undeclared code fails.
"""

import ast
import re
from pathlib import Path

import pytest
from django.utils import translation

from gaoxin.core.errors import codes_markdown, declared_codes, program_codes

SRC = Path(__file__).resolve().parents[2]  # src/gaoxin
ROOT = SRC.parents[1]
BASE_ERRORS = {"ApplicationError", "InvalidInput", "NotFound", "Forbidden", "Conflict"}


def _trees():
    for path in sorted(SRC.rglob("*.py")):
        rel = path.relative_to(SRC)
        if "tests" in rel.parts or "migrations" in rel.parts:
            continue
        yield str(rel), ast.parse(path.read_text(encoding="utf-8"))
    yield "config/api.py", ast.parse((ROOT / "config" / "api.py").read_text(encoding="utf-8"))


def _name(node) -> str:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return ""


def _error_classes(trees) -> set[str]:
    """ApplicationError and every class that (transitively) subclasses it."""
    family = set(BASE_ERRORS)
    classes = [n for _p, t in trees for n in ast.walk(t) if isinstance(n, ast.ClassDef)]
    grew = True
    while grew:
        grew = False
        for cls in classes:
            if cls.name not in family and any(_name(b) in family for b in cls.bases):
                family.add(cls.name)
                grew = True
    return family


def _literals(node, assigned: dict) -> list | None:
    """The string(s) an expression can be, or None when it is not statically known."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.IfExp):
        a, b = _literals(node.body, assigned), _literals(node.orelse, assigned)
        return None if a is None or b is None else a + b
    if isinstance(node, ast.Attribute) and _name(node.value) == "Code":
        return [f"Code.{node.attr}"]
    if isinstance(node, ast.Name) and node.id in assigned:
        found = [_literals(v, {}) for v in assigned[node.id]]
        return None if any(f is None for f in found) else [s for f in found for s in f]
    return None


def codes_in_source(trees) -> tuple[dict[str, set[str]], set[str]]:
    """({code: {where}}, [places whose code is not a literal]) over the given modules."""
    family = _error_classes(trees)
    found: dict[str, set[str]] = {}
    unknown: set[str] = set()

    def add(values, where):
        if values is None:
            unknown.add(where)
        for value in values or []:
            found.setdefault(value, set()).add(where)

    for path, tree in trees:
        for scope in ast.walk(tree):
            if isinstance(scope, ast.ClassDef) and scope.name in family:
                for stmt in scope.body:
                    if isinstance(stmt, ast.Assign) and any(
                        _name(t) == "code" for t in stmt.targets
                    ):
                        add(_literals(stmt.value, {}), f"{path}:{stmt.lineno}")
            if not isinstance(scope, ast.FunctionDef | ast.AsyncFunctionDef | ast.Module):
                continue
            assigned: dict[str, list] = {}
            for node in ast.walk(scope):
                if isinstance(node, ast.Assign):
                    for target in node.targets:
                        if isinstance(target, ast.Name):
                            assigned.setdefault(target.id, []).append(node.value)
            for node in ast.walk(scope):
                if not isinstance(node, ast.Call):
                    continue
                where = f"{path}:{node.lineno}"
                if _name(node.func) in family:
                    for kw in node.keywords:
                        if kw.arg == "code":
                            add(_literals(kw.value, assigned), where)
                elif (
                    path == "config/api.py"
                    and _name(node.func) == "_error"
                    and isinstance(node.args[2], ast.Constant)
                ):
                    # _error(request, status, code, …): literal codes here; the ones
                    # passed through (exc.code, a table's) are checked at run time.
                    add(_literals(node.args[2], {}), where)
            if path == "config/api.py":  # on_http_error's {status: (message, code)}
                for node in ast.walk(scope):
                    if (
                        isinstance(node, ast.Tuple)
                        and len(node.elts) == 2
                        and _name(getattr(node.elts[0], "func", None)) == "_"
                    ):
                        add(_literals(node.elts[1], {}), f"{path}:{node.lineno}")
    return found, unknown


@pytest.fixture(scope="module")
def trees():
    return list(_trees())


def test_every_code_raised_in_the_source_is_declared(trees):
    found, unknown = codes_in_source(trees)
    assert {"sold_out", "not_open", "duplicate_checkin", "bad_transition", "stale"} <= set(found)
    declared = set(declared_codes())
    enum_names = {f"Code.{m.name}" for enum in program_codes().values() for m in enum}
    undeclared = {c: sorted(w) for c, w in found.items() if c not in declared | enum_names}
    assert not undeclared, (
        "undeclared error codes (add them to core/errors.py Code or the program's errors.py): "
        f"{undeclared}"
    )
    assert not unknown, f"error codes that are not a literal or a Code member: {unknown}"


def test_the_scan_catches_an_undeclared_code():
    source = """
from gaoxin.core.errors import Conflict
class Mine(Conflict):
    code = "mine_class"
def f(x):
    code = "mine_a" if x else "mine_b"
    raise Conflict("…", code=code)
def g():
    raise Mine("…", code="mine_kw")
def h(c):
    raise Conflict("…", code=c)
"""
    found, unknown = codes_in_source([("fake.py", ast.parse(source))])
    assert {"mine_class", "mine_a", "mine_b", "mine_kw"} <= set(found)
    assert unknown == {"fake.py:11"}
    assert not {"mine_class", "mine_a", "mine_kw"} & set(declared_codes())


def test_transitions_have_one_shape(trees):
    found, _unknown = codes_in_source(trees)
    for old in ("invalid_transition", "unknown_transition", "stale_status"):
        assert old not in declared_codes()
        assert old not in found, f"{old}: use bad_transition / stale"
    services = [(p, t) for p, t in trees if p.endswith("services.py")]
    for path, tree in services:
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef) and "transition" in node.name:
                assert re.fullmatch(r"[a-z]+_transition", node.name), f"{path}: {node.name}"


def test_programs_declare_their_codes():
    programs = program_codes()
    assert {"core", "activities", "welfare", "stations", "ledger"} <= set(programs)
    for label, enum in programs.items():
        for value, description in enum.choices:
            assert re.fullmatch(r"[a-z][a-z0-9_]*", value), (label, value)
            assert str(description).strip(), (label, value)


def test_readme_lists_every_code():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    with translation.override("zh-hans"):
        table = codes_markdown()
    assert table in readme, (
        "README's 'Error codes' table is out of date; regenerate it with "
        "`.venv/bin/python scripts/error_codes.py`:\n" + table
    )


def test_the_api_answers_only_declared_codes(api_client, zone_a, make_user):
    """The run-time guard (conftest wraps config.api._error) refuses an undeclared code."""
    import config.api
    from gaoxin.core.errors import ApplicationError

    request = type("R", (), {"headers": {}, "META": {}})()
    with pytest.raises(AssertionError, match="undeclared"):
        config.api.on_application_error(request, ApplicationError("x", code="no_such_code"))
    resp = api_client.get("/api/v1/no/such/route")
    assert resp.status_code == 404 and resp.json()["code"] == "not_found"
