"""STUB - replaced by the credits wing (issue 3). Interface only."""

from __future__ import annotations

from attrs import frozen


@frozen(kw_only=True)
class Catalog:
    currency: str = "USD"
