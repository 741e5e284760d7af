"""The package's public names: every one imports, each from its wing when first used."""

from __future__ import annotations

import importlib
import subprocess
import sys

import pytest

import premier_policy


def _loaded_after(code: str) -> set[str]:
    probe = f"import sys\n{code}\nprint(' '.join(sorted(sys.modules)))"
    run = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    return set(run.stdout.split())


def test_every_public_name_imports_and_is_its_wings_own() -> None:
    """Each name of __all__ is the object its wing defines, each wing's name is listed,
    and from premier_policy import * brings them all."""
    assert set(premier_policy.__all__) == set(premier_policy._HOMES)
    for name in premier_policy.__all__:
        home = importlib.import_module(premier_policy._HOMES[name])
        assert getattr(premier_policy, name) is getattr(home, name)
        assert name in dir(premier_policy)
    namespace: dict[str, object] = {}
    exec("from premier_policy import *", namespace)
    assert set(premier_policy.__all__) <= set(namespace)


def test_an_unknown_name_is_an_attribute_error() -> None:
    """A name the package does not have is an AttributeError, as for any module."""
    with pytest.raises(AttributeError, match="has no attribute 'Replay'"):
        premier_policy.Replay  # noqa: B018 - the access is the test


def test_importing_the_package_loads_no_wing() -> None:
    """import premier_policy loads none of its wings until a name of theirs is used."""
    loaded = _loaded_after("import premier_policy")
    assert {m for m in loaded if m.startswith("premier_policy.")} == set()
    assert "premier_policy.engine" in _loaded_after("from premier_policy import replay")


def test_due_loads_neither_engine_nor_wire() -> None:
    """premier-policy due starts without the engine, the wire, cattrs, orjson, holidays
    and the metadata reader: the lazy imports that keep it within 120 ms (bench)."""
    loaded = _loaded_after(
        "from premier_policy.shell.cli import main\nmain(['due', '2026-11-27T18:30:00+01:00'])"
    )
    heavy = {"cattrs", "orjson", "holidays", "importlib.metadata", "premier_policy.engine"}
    assert loaded & heavy == set()
    assert {m for m in loaded if m.startswith("premier_policy.wire")} == set()


def test_the_lazy_loader_imports_each_name_from_its_wing_and_keeps_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """__getattr__, called as Python calls it for a name not loaded yet, returns the
    wing's own object and keeps it, so the next use finds it without a call."""
    names = vars(premier_policy)
    for name, home in premier_policy._HOMES.items():
        monkeypatch.delitem(names, name, raising=False)
        value = premier_policy.__getattr__(name)
        assert value is getattr(importlib.import_module(home), name)
        assert names[name] is value


def test_the_lazy_loader_names_the_package_for_an_unknown_name() -> None:
    """An unknown name raises AttributeError worded as Python words it for a module."""
    with pytest.raises(AttributeError) as raised:
        premier_policy.__getattr__("Replay")
    assert str(raised.value) == "module 'premier_policy' has no attribute 'Replay'"


def test_dir_lists_every_public_name_and_the_modules_own_sorted() -> None:
    """dir() offers every public name, loaded or not, beside the module's own globals,
    sorted and without repeats."""
    listed = premier_policy.__dir__()
    assert listed == sorted(set(listed))
    assert set(premier_policy.__all__) | {"_HOMES", "__getattr__"} <= set(listed)
