"""The shape of the code, checked: no import circles, no oversized module or function, and every
public service write starts with an access check (see ../shared/STYLE.md, "In every app").

These read the source as text (AST); they import nothing from the apps.
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
APPS = [
    "sli_portal",
    "accounts",
    "notifications",
    "regions",
    "events",
    "peer_challenge",
    "benchmarking",
]
MAX_MODULE_LINES = 500
MAX_FUNCTION_LINES = 80
# Calls that write to the database or send something: a service must check access before them.
WRITE_CALLS = {
    "save",
    "create",
    "bulk_create",
    "bulk_update",
    "get_or_create",
    "update_or_create",
    "update",
    "delete",
    "send_once",
    "record_many",
    "requeue",
    "enqueue_on_commit",
}


def _source_files(app: str) -> list[Path]:
    return sorted(
        path
        for path in (ROOT / app).rglob("*.py")
        if "migrations" not in path.relative_to(ROOT).parts
    )


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _parse(path: Path) -> ast.Module:
    return ast.parse(path.read_text(), filename=str(path))


def _import_graph() -> dict[str, set[str]]:
    """Module -> project modules it imports, anywhere in the file (function-level imports too)."""
    files = {_module_name(path): path for app in APPS for path in _source_files(app)}
    graph: dict[str, set[str]] = {name: set() for name in files}
    for name, path in files.items():
        is_package = path.name == "__init__.py"
        package = name if is_package else name.rpartition(".")[0]
        for node in ast.walk(_parse(path)):
            targets: list[str] = []
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                if node.level:
                    base = package.split(".")
                    base = base[: len(base) - (node.level - 1)]
                    module = ".".join([*base, node.module] if node.module else base)
                else:
                    module = node.module or ""
                # `from pkg import submodule` imports the submodule; other names come from pkg.
                targets = [
                    f"{module}.{alias.name}" if f"{module}.{alias.name}" in files else module
                    for alias in node.names
                ]
            for target in targets:
                # `import a.b.c` depends on a.b.c; keep the longest project module it names.
                while target and target not in files:
                    target = target.rpartition(".")[0]
                if target and target != name:
                    graph[name].add(target)
    return graph


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of two or more modules (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in graph[node]:
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_no_module_imports_itself_through_a_circle():
    circles = _cycles(_import_graph())
    assert not circles, "Modules importing each other (directly or round a circle):\n" + "\n".join(
        " <-> ".join(circle) for circle in circles
    )


@pytest.mark.parametrize("app", APPS)
def test_no_module_over_500_lines(app):
    long = {
        str(path.relative_to(ROOT)): n
        for path in _source_files(app)
        if (n := len(path.read_text().splitlines())) > MAX_MODULE_LINES
    }
    assert not long, f"Modules over {MAX_MODULE_LINES} lines (split them by noun): {long}"


@pytest.mark.parametrize("app", APPS)
def test_no_function_over_80_lines(app):
    long = {}
    for path in _source_files(app):
        for node in ast.walk(_parse(path)):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                length = node.end_lineno - node.lineno + 1
                if length > MAX_FUNCTION_LINES:
                    long[f"{path.relative_to(ROOT)}:{node.lineno} {node.name}"] = length
    assert not long, f"Functions over {MAX_FUNCTION_LINES} lines: {long}"


def _service_modules(app: str) -> list[Path]:
    package = ROOT / app / "services"
    module = ROOT / app / "services.py"
    if package.is_dir():
        return sorted(p for p in package.glob("*.py") if p.name != "__init__.py")
    return [module] if module.exists() else []


def _called_name(call: ast.Call) -> str:
    func = call.func
    if isinstance(func, ast.Attribute):
        return func.attr
    if isinstance(func, ast.Name):
        return func.id
    return ""


def _own_calls(function: ast.FunctionDef) -> list[ast.Call]:
    """Calls in the function's own body, not in functions defined inside it."""
    calls = []
    pending: list[ast.AST] = list(function.body)
    while pending:
        node = pending.pop()
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
            continue
        if isinstance(node, ast.Call):
            calls.append(node)
        pending.extend(ast.iter_child_nodes(node))
    return calls


def _service_problems(path: Path) -> list[str]:
    problems = []
    module_functions = {
        node.name: node
        for node in _parse(path).body
        if isinstance(node, ast.FunctionDef) and not node.name.startswith("_")
    }
    for name, function in module_functions.items():
        where = f"{path.relative_to(ROOT)}:{function.lineno} {name}"
        actor = [arg for arg in function.args.kwonlyargs if arg.arg == "actor"]
        if not actor:
            problems.append(f"{where}: no keyword-only `actor` argument")
            continue
        index = function.args.kwonlyargs.index(actor[0])
        default = function.args.kw_defaults[index]
        if default is not None:
            problems.append(f"{where}: `actor` has a default (pass the user, or SYSTEM)")
        calls = sorted(_own_calls(function), key=lambda call: (call.lineno, call.col_offset))
        checks = [call for call in calls if _called_name(call) == "require"]
        if not checks:
            problems.append(f"{where}: never calls access.require")
            continue
        first_check = (checks[0].lineno, checks[0].col_offset)
        early_writes = [
            call
            for call in calls
            if (call.lineno, call.col_offset) < first_check
            and (_called_name(call) in WRITE_CALLS or _called_name(call) in module_functions)
        ]
        if early_writes:
            problems.append(f"{where}: writes (line {early_writes[0].lineno}) before require()")
    return problems


@pytest.mark.parametrize("app", [app for app in APPS if app != "sli_portal"])
def test_every_public_service_checks_access_before_it_writes(app):
    problems = [problem for path in _service_modules(app) for problem in _service_problems(path)]
    assert not problems, "Public service functions without an access check first:\n" + "\n".join(
        problems
    )


def test_the_walker_catches_a_service_that_writes_without_a_check(tmp_path):
    service = tmp_path / "writes.py"
    service.write_text(
        "def thing_close(*, actor, thing):\n"
        "    thing.save()\n"
        "    require(actor, 'app.close_thing', thing)\n"
        "def thing_open(*, actor=None, thing):\n"
        "    require(actor, 'app.open_thing', thing)\n"
        "def thing_rename(*, actor, thing, name):\n"
        "    require(actor, 'app.change_thing', thing)\n"
        "    thing.save()\n"
    )
    global ROOT
    saved, ROOT = ROOT, tmp_path
    try:
        problems = _service_problems(service)
    finally:
        ROOT = saved
    assert problems == [
        "writes.py:1 thing_close: writes (line 2) before require()",
        "writes.py:4 thing_open: `actor` has a default (pass the user, or SYSTEM)",
    ]


def test_the_cycle_finder_sees_a_circle_through_a_local_import():
    graph = {"a.services": {"a.tasks"}, "a.tasks": {"a.services"}, "a.models": set()}
    assert _cycles(graph) == [["a.services", "a.tasks"]]
