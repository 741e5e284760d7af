"""``python -m premier_policy``: the ``premier-policy`` command."""

from premier_policy.shell.cli import main

if __name__ == "__main__":  # pragma: no cover - only as `python -m`; tested by a subprocess
    raise SystemExit(main())
