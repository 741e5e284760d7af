"""Heading anchors for the rules handbook: a rule's heading is anchored by its rule ID.

A rule-group page titles each rule "## `hours.schedule` — Business hours"; its anchor
is then ``hours.schedule``, so ``business-hours.md#hours.schedule`` links to it and
the link survives a change of title. Any other heading gets GitHub-style slugs.

>>> rule_slug("hours.schedule — Business hours")
'hours.schedule'
>>> rule_slug("time.extension-not-needed")
'time.extension-not-needed'
>>> rule_slug("The host loop")
'the-host-loop'
"""

from __future__ import annotations

import re

from myst_parser.slugs import github_slugify

__all__ = ["RULE_HEADING", "rule_slug"]

# A rule ID, alone or followed by a dash of any kind and the rule's title.
RULE_HEADING = re.compile(r"^([a-z]+\.[a-z]+(?:-[a-z]+)*)(?:\s+[\u2014\u2013-]\s.*)?$")


def rule_slug(title: str) -> str:
    """The anchor of a heading: its rule ID if it starts with one, else a GitHub slug."""
    match = RULE_HEADING.match(title.strip())
    return match.group(1) if match else github_slugify(title)
