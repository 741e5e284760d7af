"""Sphinx configuration for the premier_policy rules handbook."""

from __future__ import annotations

import sys
from pathlib import Path

# docs/_ext holds the heading-anchor function MyST imports by name (a string keeps the
# configuration picklable, so the build cache works and -W stays quiet).
sys.path.insert(0, str(Path(__file__).resolve().parent / "_ext"))

project = "premier_policy"
author = "premier_policy developers"
copyright = "2026, premier_policy developers"

# No napoleon: docstrings here are plain prose with doctests, and napoleon would read a
# property's "Summary: detail" first line as a type annotation.
extensions = [
    "myst_parser",
    "sphinx.ext.autodoc",
    "sphinx.ext.intersphinx",
    "sphinxcontrib.mermaid",
    "premier_refs",
]
source_suffix = {".md": "markdown"}
exclude_patterns = ["_build", "_ext"]

# MyST: rule headings are level 2 ("## `hours.schedule` — Business hours"); each gets
# its rule ID as anchor, so `credits.md#credits.restore` links to that rule.
myst_enable_extensions = ["colon_fence", "deflist"]
myst_heading_anchors = 3
myst_heading_slug_func = "rule_anchors.rule_slug"
myst_fence_as_directive = ["mermaid"]

html_theme = "furo"
html_title = "premier_policy"

# autodoc: the API page documents the public names of premier_policy.__all__.
autodoc_member_order = "bysource"
autodoc_typehints = "description"
autodoc_default_options = {"show-inheritance": True}

# Nitpicky: every cross-reference must resolve, or the -W build fails. Types from
# outside the project cannot be resolved without intersphinx (no network at build
# time), so they are listed here; a private path of ours (premier_policy._x.Name) is
# resolved to its public name by premier_refs instead.
nitpicky = True
nitpick_ignore_regex = [
    (
        r"py:.*",
        r"(pendulum|datetime|decimal|collections\.abc|typing|types|enum|attrs?|hypothesis)\..*",
    ),
    (r"py:.*", r"(str|int|bool|bytes|object|None|dict|list|tuple|Any|ValueError|Exception)"),
    (r"py:.*", r"Literal\[.*\]|Mapping\[.*\]"),
]
intersphinx_mapping: dict[str, tuple[str, None]] = {}
