"""The house's import rules: wings stand on the base, the engine on the wings, the shell on
everything; nothing imports upward, no module imports itself round a circle, and the core
imports nothing that reaches the world.

Read from the source with :mod:`ast`, so an import inside a function or under
``TYPE_CHECKING`` counts as much as one at the top: a circle that only type hints close
is still a circle for a reader.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src"
PACKAGE = SRC / "premier_policy"

#: Each part of the house and the rank it stands at: a module may import parts of its own
#: rank or lower, never higher. ``premier_policy`` itself (the re-exports) and the
#: ``rules`` facade are read by users, not by the wings, so they rank above the engine.
RANKS = {
    "base": 0,
    "hours": 1,
    "terms": 2,
    "credits": 3,
    "incidents": 4,
    "wire": 5,
    "engine": 6,
    "whatif": 7,
    "__init__": 8,
    "rules": 8,
    "strategies": 9,
    "shell": 10,
    "__main__": 10,
}
#: The shell is the only part that may touch the world.
SHELL = frozenset({"shell", "__main__"})
#: Standard modules that reach the world (clock, files, environment, network, logging).
WORLDLY = frozenset(
    {
        "asyncio", "http", "io", "logging", "os", "pathlib", "random", "shutil", "socket",
        "subprocess", "sys", "tempfile", "threading", "time", "urllib", "uuid", "warnings",
    }
)  # fmt: skip
#: Optional extras: never on the core's import path.
EXTRAS = ("starlette", "uvicorn", "httpx", "dask", "distributed", "matplotlib")


def module_name(path: Path) -> str:
    parts = path.relative_to(SRC).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def part_of(module: str) -> str:
    """``premier_policy.hours._calendar`` -> ``hours``; the package itself -> ``__init__``."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


def imports(path: Path) -> Iterator[str]:
    """Every module ``path`` imports, absolute, wherever the import statement stands."""
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module is not None:
            assert node.level == 0, f"{path}: relative import"
            yield node.module
            # ``from premier_policy.hours import _timetable`` imports a module too.
            yield from (f"{node.module}.{alias.name}" for alias in node.names)


def graph() -> dict[str, set[str]]:
    """Module -> the library's modules it imports."""
    paths = {module_name(p): p for p in PACKAGE.rglob("*.py")}
    return {
        name: {target for target in imports(path) if target in paths and target != name}
        for name, path in paths.items()
    }


def upward(edges: dict[str, set[str]]) -> list[str]:
    return sorted(
        f"{source} -> {target}"
        for source, targets in edges.items()
        for target in targets
        if RANKS[part_of(target)] > RANKS[part_of(source)]
        or (part_of(target) in SHELL and part_of(source) not in SHELL)
    )


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """The circles of ``edges`` (one path each), found by depth-first search.

    A package's ``__init__`` re-exports its own modules, so the edges from a module to
    its own package are left out: importing ``premier_policy.hours._span`` runs
    ``premier_policy.hours`` first, which is no circle of the code's making.
    """
    found: list[list[str]] = []
    state: dict[str, int] = {}  # 1 on the current path, 2 done

    def visit(node: str, path: list[str]) -> None:
        state[node] = 1
        for target in sorted(edges[node]):
            if node.startswith(f"{target}."):
                continue
            if state.get(target) == 1:
                found.append([*path[path.index(target) :], target])
            elif target not in state:
                visit(target, [*path, target])
        state[node] = 2

    for node in sorted(edges):
        if node not in state:
            visit(node, [node])
    return found


def test_every_module_has_a_rank() -> None:
    """Each module of the library belongs to a part of the house the rules know."""
    assert sorted({part_of(m) for m in graph()} - RANKS.keys()) == []


def test_no_part_imports_a_higher_one() -> None:
    """A wing never imports the engine, the wire or the shell; the engine never imports
    the shell; the wings import only the base and the wings below them."""
    assert upward(graph()) == []


def test_no_import_cycles() -> None:
    """No module reaches itself through the imports of others."""
    assert cycles(graph()) == []


def test_checks_find_what_they_look_for() -> None:
    """The checks see an upward import and a circle when there is one."""
    edges = {
        "premier_policy.hours._calendar": {"premier_policy.engine._world"},
        "premier_policy.engine._world": {"premier_policy.hours._calendar"},
        "premier_policy.hours": {"premier_policy.hours._calendar"},
    }
    assert upward(edges) == ["premier_policy.hours._calendar -> premier_policy.engine._world"]
    assert cycles(edges) == [
        [
            "premier_policy.engine._world",
            "premier_policy.hours._calendar",
            "premier_policy.engine._world",
        ]
    ]
    assert upward({"premier_policy.engine._x": {"premier_policy.shell.cli"}}) != []


@pytest.mark.parametrize(
    "path",
    sorted(p for p in PACKAGE.rglob("*.py") if part_of(module_name(p)) not in SHELL),
    ids=lambda p: module_name(p),
)
def test_the_core_imports_nothing_worldly(path: Path) -> None:
    """Outside the shell no module imports the clock, files, the environment, the network
    or logging: every instant and every document is a parameter."""
    found = {target.split(".")[0] for target in imports(path)}
    assert sorted(found & (WORLDLY | set(EXTRAS))) == []


def test_importing_the_library_loads_no_extra() -> None:
    """``import premier_policy`` loads none of the optional extras' packages."""
    probe = (
        "import sys, premier_policy, premier_policy.rules\n"
        f"print(sorted(m for m in sys.modules if m.split('.')[0] in {EXTRAS!r}))"
    )
    run = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert run.stdout.strip() == "[]"
