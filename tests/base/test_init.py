"""The base wing's public names, each imported from its module when first used."""

from __future__ import annotations

import importlib

import pytest

import premier_policy.base as base


def test_every_public_name_is_its_modules_own() -> None:
    """Each name of __all__ has a home module, and is that module's object."""
    assert set(base.__all__) == set(base._HOMES)
    for name, home in base._HOMES.items():
        assert getattr(base, name) is getattr(importlib.import_module(home), name)


def test_the_lazy_loader_imports_each_name_from_its_module_and_keeps_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """__getattr__, called as Python calls it for a name not loaded yet, returns the
    module's own object and keeps it, so the next use finds it without a call."""
    names = vars(base)
    for name, home in base._HOMES.items():
        monkeypatch.delitem(names, name, raising=False)
        value = base.__getattr__(name)
        assert value is getattr(importlib.import_module(home), name)
        assert names[name] is value


def test_the_lazy_loader_names_the_package_for_an_unknown_name() -> None:
    """An unknown name raises AttributeError worded as Python words it for a module."""
    with pytest.raises(AttributeError) as raised:
        base.__getattr__("Replay")
    assert str(raised.value) == "module 'premier_policy.base' has no attribute 'Replay'"


def test_dir_lists_every_public_name_and_the_modules_own_sorted() -> None:
    """dir() offers every public name, loaded or not, beside the module's own globals,
    sorted and without repeats."""
    listed = base.__dir__()
    assert listed == sorted(set(listed))
    assert set(base.__all__) | {"_HOMES", "__getattr__"} <= set(listed)
