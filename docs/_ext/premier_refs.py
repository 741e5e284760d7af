"""Sphinx glue for the API page: public names, clean data docstrings, completeness.

- Type hints name classes where they are defined, in ``_``-modules
  (``premier_policy.base._events.Open``); the API page documents them where users import
  them (``premier_policy.Open``). Without a resolver every such hint is a broken
  cross-reference and the nitpicky -W build fails.
- A constant such as ``AREAS`` has no docstring of its own, so autodoc would print
  the docstring of ``tuple``; it is dropped.
- Every name in the ``__all__`` of ``premier_policy``, ``premier_policy.rules``,
  ``premier_policy.strategies`` and ``premier_policy.whatif`` must be documented: a new
  public name missing from the API page fails the build.

>>> public_name("premier_policy.base._events.Open")
'premier_policy.Open'
>>> public_name("premier_policy.base._rules.RuleGroup")
'premier_policy.rules.RuleGroup'
>>> public_name("premier_policy.whatif._summary.Summary")
'premier_policy.whatif.Summary'
>>> public_name("premier_policy.base._events.no_such_name") is None
True
>>> public_name("pendulum.DateTime") is None
True
>>> missing = undocumented({"premier_policy.Open", "premier_policy.RuleId"})
>>> "premier_policy.Area" in missing, "premier_policy.Open" in missing
(True, False)
>>> "premier_policy.rules.RuleId" in missing, "premier_policy.rules.rule" in missing
(False, True)
"""

from __future__ import annotations

import importlib
from typing import Any

from sphinx.util import logging

__all__ = ["PUBLIC_MODULES", "public_name", "setup", "undocumented"]

PUBLIC_MODULES = (
    "premier_policy",
    "premier_policy.rules",
    "premier_policy.strategies",
    "premier_policy.whatif",
)
_logger = logging.getLogger(__name__)


def _exports(module: str) -> tuple[str, ...]:
    return tuple(importlib.import_module(module).__all__)


def public_name(target: str) -> str | None:
    """The public path of a private ``premier_policy.wing._x.Name``, or None if not public."""
    module, _, name = target.rpartition(".")
    package, *parts = module.split(".")
    if package != "premier_policy" or not any(part.startswith("_") for part in parts):
        return None
    for public in PUBLIC_MODULES:
        if name in _exports(public):
            return f"{public}.{name}"
    return None


def undocumented(documented: set[str]) -> list[str]:
    """Public names with no entry among ``documented`` (full dotted names).

    A name ``premier_policy.rules`` re-exports from ``premier_policy`` counts as
    documented when either path is.
    """
    missing = []
    for module in PUBLIC_MODULES:
        for name in _exports(module):
            paths = {f"{module}.{name}", f"premier_policy.{name}"}
            if not paths & documented:
                missing.append(f"{module}.{name}")
    return missing


def _resolve(app: Any, env: Any, node: Any, contnode: Any) -> Any:
    if node.get("refdomain") != "py":
        return None
    public = public_name(node["reftarget"])
    if public is None:
        return None
    found = env.get_domain("py").resolve_any_xref(
        env, node["refdoc"], app.builder, public, node, contnode
    )
    return found[0][1] if found else None


def _drop_type_docstring(
    app: Any, what: str, name: str, obj: Any, options: Any, lines: list[str]
) -> None:
    own = type(obj).__doc__
    if what == "data" and own and lines and lines[0].strip() == own.strip().splitlines()[0]:
        lines.clear()


def _check_complete(app: Any, env: Any) -> None:
    documented = set(env.get_domain("py").objects)
    for name in undocumented(documented):
        _logger.warning("public name %s is not documented in docs/api.md", name)


def setup(app: Any) -> dict[str, Any]:
    """Register the handlers (Sphinx extension entry point)."""
    app.connect("missing-reference", _resolve)
    app.connect("autodoc-process-docstring", _drop_type_docstring)
    app.connect("env-check-consistency", _check_complete)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
