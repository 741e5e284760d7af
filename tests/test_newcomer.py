"""A newcomer's path: what the README and the handbook name is in the repository.

A clone holds the whole specification (``docs/spec/``) and the handbook that explains
it; nothing a reader is pointed at lives beside the repository or only on someone's
machine.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
# The specification's own pages are copies of the steering text and speak of their own
# surroundings; every other page is the repository's.
PAGES = [ROOT / "README.md", ROOT / "CHANGELOG.md", *sorted((ROOT / "docs").glob("*.md"))]
# A path in backticks: two segments at least (``docs/spec/RULES.md``, ``../x/y``).
PATH = re.compile(r"`((?:\.\./)*[\w.*-]+(?:/[\w.*-]+)+/?)`")
LINK = re.compile(r"\]\(((?!https?:|mailto:|#)[^)#\s]+)(?:#[^)]*)?\)")
# Where a path named in prose may be read from: the root, the package's source, docs/.
BASES = (ROOT, ROOT / "src", ROOT / "src" / "premier_policy", ROOT / "docs")
# Made when a command runs, not held by a clone.
BUILT = ("docs/_build", ".venv", "mutants")


def exists(name: str, bases: tuple[Path, ...]) -> bool:
    """Whether ``name`` (a glob pattern if it has a ``*``) is a file or folder under one
    of ``bases``, inside the clone: what lies beside it (``../shared``) a clone lacks,
    even on a machine that has it."""
    if "*" in name:
        return any(any(base.glob(name.rstrip("/"))) for base in bases)
    return any(
        (base / name).resolve().is_relative_to(ROOT) and (base / name).exists() for base in bases
    )


def problems(text: str, where: Path) -> tuple[list[str], list[str]]:
    """The paths of ``text`` (a page in folder ``where``) that leave the repository, and
    those it does not hold. A path in backticks is read from the root (or the package's
    source, or docs/); a link from the page's folder."""
    named: list[tuple[str, Path, tuple[Path, ...]]]
    named = [(n, ROOT, (where, *BASES)) for n in PATH.findall(text)]
    named += [(n, where, (where,)) for n in LINK.findall(text)]
    outside = sorted({n for n, start, _ in named if not (start / n).resolve().is_relative_to(ROOT)})
    missing = sorted(
        {n for n, _, bases in named if not n.startswith(BUILT) and not exists(n, bases)}
    )
    return outside, missing


def test_the_scanner_finds_paths_beside_the_clone_and_missing_ones() -> None:
    """A pointer out of the clone, or to a file it lacks, is found, in backticks or a link."""
    text = "See `../shared/spec/RULES.md`, [the spec](../../x/RULES.md), `docs/nowhere.md`; `docs/spec/RULES.md` and `docs/*.md` exist, [up](#top) is no path."
    assert problems(text, ROOT / "docs") == (
        ["../../x/RULES.md", "../shared/spec/RULES.md"],
        ["../../x/RULES.md", "../shared/spec/RULES.md", "docs/nowhere.md"],
    )


@pytest.mark.parametrize("page", PAGES, ids=lambda page: page.name)
def test_pages_name_only_what_the_repository_holds(page: Path) -> None:
    """Every path a page names in backticks, and every relative link, is in the clone,
    and none leaves it (no ``../shared/spec``)."""
    assert problems(page.read_text(encoding="utf-8"), page.parent) == ([], [])
