"""The terms of the service (``credits.catalog`` and every number): money, the product
catalog and the :class:`~premier_policy.Policy` that holds them with the calendar.
"""

from premier_policy.terms._catalog import Catalog, Product, Quote
from premier_policy.terms._money import Money
from premier_policy.terms._policy import Policy, PolicyChange

__all__ = ["Catalog", "Money", "Policy", "PolicyChange", "Product", "Quote"]
