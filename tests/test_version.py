"""The version: one number, in pyproject.toml, the package and its installed metadata."""

from __future__ import annotations

import tomllib
from importlib import metadata
from pathlib import Path

import premier_policy

ROOT = Path(__file__).resolve().parents[1]


def test_the_version_is_the_one_pyproject_gives() -> None:
    """premier_policy.__version__ (a literal: importing reads no file) is pyproject's
    version and the installed distribution's, which premier-policy --version prints."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert premier_policy.__version__ == project["version"]
    assert metadata.version(project["name"]) == project["version"]
