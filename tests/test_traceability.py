"""Traceability: every rule of the registry is explained in the docs, used by the code and
named by a test, and the handbook's own pages stay in step with the registry.

The rule IDs tie the specification, code, docs and tests together; these tests fail the
build when one of those links is missing, naming the rules at fault.
"""

from __future__ import annotations

import ast
import io
import re
import tokenize
from collections.abc import Iterator
from pathlib import Path

import attrs
import pytest

from premier_policy.hours._weekly import WEEKDAYS
from premier_policy.rules import RULES, RuleId
from premier_policy.wire._policy import _Overrides

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
SRC = ROOT / "src" / "premier_policy"
TESTS = ROOT / "tests"

# The handbook's own pages index, catalogue or use the rules; a rule is explained on
# its group's page, so headings here do not count as its explanation.
HANDBOOK_PAGES = frozenset(
    {"index.md", "rules.md", "errors.md", "api.md", "embedding.md", "calling.md", "architecture.md"}
)
# The registry types every ID once; using a rule means naming it elsewhere.
REGISTRY_MODULES = frozenset({"_rules.py", "rules.py"})
# These two name every ID (or made-up ones) by construction.
REGISTRY_TESTS = frozenset({"test_rules.py", "test_traceability.py"})

ID = r"[a-z]+\.[a-z]+(?:-[a-z]+)*"
PREFIXES = sorted({rid.value.split(".")[0] for rid in RuleId})
# Something shaped like a rule ID: a known group prefix, a dot, a kebab-case name.
ID_LIKE = re.compile(rf"(?<![\w.-])((?:{'|'.join(PREFIXES)})\.[a-z]+(?:-[a-z]+)*)(?![\w-])")
# File names share the shape ("credits.md"); no rule ID ends in a file suffix.
FILE_SUFFIXES = frozenset({"md", "py", "json", "txt", "toml", "yaml", "yml", "csv", "html"})
# A scenario's field paths share it too ("policy.timezone", a day of the hours "hours.mon");
# no rule ID names a policy field or a weekday.
FIELD_PATHS = frozenset(f"policy.{field.name}" for field in attrs.fields(_Overrides)) | {
    f"hours.{day}" for day in WEEKDAYS
}
RULE_ID_ATTR = re.compile(r"\bRuleId\.([A-Z][A-Z0-9_]*)\b")
# A rule heading starts with its ID in backticks; levels 1-3 get anchors (conf.py).
RULE_HEADING = re.compile(rf"^#{{1,3}} `({ID})`", re.MULTILINE)
FENCE = re.compile(r"^(`{3,}|~{3,}).*?^\1[ \t]*$", re.MULTILINE | re.DOTALL)
ALL_IDS = {rid.value for rid in RuleId}


# --- scanners ---------------------------------------------------------------------------


def prose(page: Path) -> str:
    """A Markdown page without its fenced blocks (a heading in a code sample is none)."""
    return FENCE.sub("", page.read_text(encoding="utf-8"))


def rule_headings(pages: list[Path]) -> dict[str, list[str]]:
    """Rule ID -> names of the pages where it is a heading."""
    found: dict[str, list[str]] = {}
    for page in pages:
        for rid in RULE_HEADING.findall(prose(page)):
            found.setdefault(rid, []).append(page.name)
    return found


def rule_pages() -> list[Path]:
    """The docs pages that explain rules: every page but the handbook's own."""
    return [p for p in sorted(DOCS.glob("*.md")) if p.name not in HANDBOOK_PAGES]


def code_references(source: str) -> set[str]:
    """Rule IDs used as ``RuleId.NAME`` in code (docstrings and comments do not count)."""
    return {
        RuleId[node.attr].value
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.Attribute)
        and isinstance(node.value, ast.Name)
        and node.value.id == "RuleId"
        and node.attr in RuleId.__members__
    }


def docstring_references(source: str) -> set[str]:
    """Rule IDs named in the docstrings of a module, its classes and functions: the
    code that implements a rule with no refusal or error of its own (an ordering, a
    notice) says so there. Comments do not count."""
    nodes = ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef
    return {
        found
        for node in ast.walk(ast.parse(source))
        if isinstance(node, nodes)
        for found in re.findall(ID, ast.get_docstring(node) or "")
        if found in ALL_IDS
    }


def refusing_rules(source: str) -> set[str]:
    """Rule IDs the code refuses or raises with: the first argument of a call to anything
    named like a refusal (``Refusal(RuleId.X, ...)``, ``self._refuse(RuleId.X, ...)``),
    ``refused=RuleId.X`` (a transition table's refusal), or ``rule=RuleId.X`` passed to
    an error (``PolicyError(..., rule=RuleId.X)``)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        callee = func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")
        args = [kw.value for kw in node.keywords if kw.arg == "refused"]
        if callee.endswith("Error"):
            args += [kw.value for kw in node.keywords if kw.arg == "rule"]
        if "refus" in callee.lower() and node.args:
            args.append(node.args[0])
        found |= {rid for arg in args for rid in code_references(ast.unparse(arg))}
    return found


def strings(source: str) -> Iterator[str]:
    """The string literals of Python source (docstrings included, comments not), with
    regex-escaped dots unescaped so ``r"input\\.malformed"`` reads as the ID."""
    for token in tokenize.generate_tokens(io.StringIO(source).readline):
        if token.type == tokenize.STRING:
            yield token.string.replace("\\.", ".")


def named_ids(source: str) -> set[str]:
    """Rule-ID-shaped strings in string literals (known or not), minus file names."""
    return {
        found
        for text in strings(source)
        for found in ID_LIKE.findall(text)
        if found.rpartition(".")[2] not in FILE_SUFFIXES and found not in FIELD_PATHS
    }


def named_members(source: str) -> set[str]:
    """Member names written as ``RuleId.NAME`` (known or not)."""
    return set(RULE_ID_ATTR.findall(source))


def src_modules() -> list[Path]:
    return [p for p in sorted(SRC.rglob("*.py")) if p.name not in REGISTRY_MODULES]


def suite_modules() -> list[Path]:
    return [p for p in sorted(TESTS.rglob("*.py")) if p.name not in REGISTRY_TESTS]


def toctree_entries(page: Path) -> list[str]:
    """Documents named by the ``{toctree}`` blocks of a page (options skipped)."""
    text = page.read_text(encoding="utf-8")
    entries = []
    for block in re.findall(r"^```\{toctree\}[^\n]*\n(.*?)^```", text, re.MULTILINE | re.DOTALL):
        for line in block.splitlines():
            line = line.strip()
            if line and not line.startswith(":"):
                entries.append(line.removesuffix(".md"))
    return entries


# --- the scanners themselves --------------------------------------------------------------


def test_scanners_read_code_strings_and_headings() -> None:
    """The scanners find real uses and ignore look-alikes, so a gap cannot hide."""
    code = 'Refusal(RuleId.CREDITS_NO_REFUNDS, "no")\n"""RuleId.LIFECYCLE_FINAL"""\n'
    assert code_references(code) == {"credits.no-refunds"}
    documented = 'def f():\n    """Soonest first (``credits.consume-order``)."""\n# input.timers\n'
    assert docstring_references(documented) == {"credits.consume-order"}
    assert refusing_rules(code) == {"credits.no-refunds"}
    raised = 'PolicyError("x", rule=RuleId.INPUT_MALFORMED)\nf(rule=RuleId.INPUT_TIMERS)\n'
    assert refusing_rules(raised) == {"input.malformed"}
    row = "Transition(rule=RuleId.LIFECYCLE_OPEN, refused=RuleId.LIFECYCLE_FINAL)"
    assert refusing_rules(row) == {"lifecycle.final"}
    assert refusing_rules("self._refuse(RuleId.LIFECYCLE_FINAL, m)") == {"lifecycle.final"}
    tests = 'match=r"time\\.allowance-exceeded"\nopen("credits.md")  # hours.schedule\n'
    assert named_ids(tests) == {"time.allowance-exceeded"}
    assert named_members("RuleId.NO_SUCH + RuleId.INPUT_TIMERS") == {"NO_SUCH", "INPUT_TIMERS"}
    assert RULE_HEADING.findall("## `hours.schedule` — Business hours\n") == ["hours.schedule"]
    assert RULE_HEADING.findall("#### `hours.schedule` — too deep for an anchor\n") == []
    assert FENCE.sub("", "```md\n## `a.b`\n```\n") == "\n"
    assert "rules" in toctree_entries(DOCS / "index.md")


# --- every rule: docs, code, tests -----------------------------------------------------------


def test_every_rule_has_one_heading_on_a_rule_page() -> None:
    """Each rule ID is the heading of exactly one section on a rule-group page."""
    found = rule_headings(rule_pages())
    missing = sorted(ALL_IDS - found.keys())
    repeated = {rid: pages for rid, pages in found.items() if len(pages) > 1}
    unknown = sorted(found.keys() - ALL_IDS)
    assert (missing, repeated, unknown) == ([], {}, [])


def test_every_rule_is_used_by_the_code() -> None:
    """Each rule ID is named in library code outside the registry: as ``RuleId.NAME``
    in code, or in the docstring of the module, class or function implementing it."""
    sources = [p.read_text(encoding="utf-8") for p in src_modules()]
    used = set().union(*(code_references(s) | docstring_references(s) for s in sources))
    assert sorted(ALL_IDS - used) == []


def test_every_rule_is_named_by_a_test() -> None:
    """Each rule ID is named by a test module, as ``RuleId.NAME`` or as its ID string."""
    named: set[str] = set()
    for path in suite_modules():
        source = path.read_text(encoding="utf-8")
        named |= named_ids(source)
        named |= {RuleId[m].value for m in named_members(source) if m in RuleId.__members__}
    assert sorted(ALL_IDS - named) == []


@pytest.mark.parametrize("path", suite_modules(), ids=lambda p: p.name)
def test_tests_name_only_known_rules(path: Path) -> None:
    """A test naming a rule the registry does not have fails (a typo tests nothing)."""
    source = path.read_text(encoding="utf-8")
    assert sorted(named_ids(source) - ALL_IDS) == []
    assert sorted(named_members(source) - set(RuleId.__members__)) == []


# --- the handbook's own pages --------------------------------------------------------------


def rules_index_rows() -> list[tuple[str, str, str, str, str]]:
    """(ID, linked page, anchor, title, summary) for each row of docs/rules.md."""
    row = re.compile(rf"^\| \[`({ID})`\]\(([\w-]+\.md)#({ID})\) \| (.+?) \| (.+?) \|$", re.M)
    return row.findall((DOCS / "rules.md").read_text(encoding="utf-8"))


def test_rules_index_matches_the_registry() -> None:
    """docs/rules.md has one row per rule, in registry order, with its title and summary."""
    rows = rules_index_rows()
    assert [(rid, anchor, title, summary) for rid, _, anchor, title, summary in rows] == [
        (r.id.value, r.id.value, r.title, r.summary) for r in RULES.values()
    ]


def test_rules_index_links_to_each_rule_heading() -> None:
    """Each row of docs/rules.md links to the page where that rule is a heading."""
    found = rule_headings(rule_pages())
    wrong = {
        rid: (page, found.get(rid, []))
        for rid, page, *_ in rules_index_rows()
        if [page] != found.get(rid)
    }
    assert wrong == {}


def test_errors_page_covers_every_rule() -> None:
    """docs/errors.md has an entry for every rule: a refusal or error heading with an
    example, or a line in the list of rules that never refuse."""
    text = prose(DOCS / "errors.md")
    entries, _, never = text.partition("## Rules that never refuse")
    headed = RULE_HEADING.findall(entries)
    listed = re.findall(rf"^- `({ID})`", never, re.MULTILINE)
    assert sorted(headed + listed) == sorted(ALL_IDS)


def test_errors_page_lists_every_rule_the_code_refuses_with() -> None:
    """A rule the code refuses or raises with is not filed as one that never refuses."""
    text = prose(DOCS / "errors.md")
    entries = set(RULE_HEADING.findall(text.partition("## Rules that never refuse")[0]))
    refusing = set().union(*(refusing_rules(p.read_text(encoding="utf-8")) for p in src_modules()))
    assert sorted(refusing - entries) == []


def test_every_page_is_in_the_toctree() -> None:
    """Every docs page is reachable from the landing page's toctree, and every entry exists."""
    pages = {
        p.relative_to(DOCS).with_suffix("").as_posix()
        for p in DOCS.rglob("*.md")
        if "_build" not in p.parts
    }
    reachable, todo = set(), ["index"]
    while todo:
        name = todo.pop()
        if name in reachable or name not in pages:
            continue
        reachable.add(name)
        todo.extend(toctree_entries(DOCS / f"{name}.md"))
    named = {entry for page in pages for entry in toctree_entries(DOCS / f"{page}.md")}
    assert (sorted(pages - reachable), sorted(named - pages)) == ([], [])
