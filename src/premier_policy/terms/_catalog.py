"""The catalog: products that sell credits, and the cheapest way to buy exactly N of them.

Rule ``credits.catalog``. A quote is the cheapest combination giving exactly N credits;
ties go to the combination with fewer items (units bought), then to the one with the
most units of the product carrying the most credits (then by product name), so that a
quote never depends on the order products are listed in.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from attrs import Attribute, field, frozen

from premier_policy.base._checks import text, whole
from premier_policy.base._echo import named, shown
from premier_policy.base._errors import PolicyError
from premier_policy.base._rules import RuleId
from premier_policy.terms._money import Amount, Money

__all__ = ["DEFAULT_PRODUCTS", "MAX_QUOTE_CREDITS", "Catalog", "Product", "Quote"]

#: The most credits one quote is for: the quote's table grows with the count, and no
#: customer buys more than this at once; a larger count is a ``credits.catalog`` error.
MAX_QUOTE_CREDITS = 100_000


def _price(_: object, attribute: Attribute[Any], value: object) -> None:
    if not isinstance(value, Money):
        raise PolicyError(
            f"expected Money, got {type(value).__name__}",
            rule=RuleId.CREDITS_CATALOG,
            field=attribute.name,
        )
    if value.amount < 0:
        raise PolicyError(
            f"a price is never negative, got {value}",
            rule=RuleId.CREDITS_CATALOG,
            field=attribute.name,
        )


@frozen(kw_only=True)
class Product:
    """Something the customer can buy: ``credits`` credits for ``price``.

    >>> Product(name="single", credits=1, price=Money("75.00", "USD")).credits
    1
    """

    name: str = field(validator=text(what="product name", rule=RuleId.CREDITS_CATALOG))
    credits: int = field(validator=whole(1, rule=RuleId.CREDITS_CATALOG))
    price: Money = field(validator=_price)


DEFAULT_PRODUCTS: tuple[Product, ...] = (
    Product(name="single", credits=1, price=Money("75.00", "USD")),
    Product(name="bundle-3", credits=3, price=Money("225.00", "USD")),
)


def _products(value: Iterable[Product]) -> tuple[Product, ...]:
    if isinstance(value, str | bytes | Mapping) or not isinstance(value, Iterable):
        raise PolicyError(
            f"expected a sequence of products, got {type(value).__name__}",
            rule=RuleId.CREDITS_CATALOG,
            field="products",
        )
    return tuple(value)


@frozen(kw_only=True)
class Quote:
    """What to buy for exactly ``credits`` credits: ``(product, quantity)`` pairs, catalog
    order, and what it costs. Checked on construction, so a quote always adds up."""

    items: tuple[tuple[Product, int], ...]
    credits: int
    total: Money

    def __attrs_post_init__(self) -> None:
        if not self.items or any(quantity < 1 for _, quantity in self.items):
            raise PolicyError(
                "a quote lists at least one product, each at least once",
                rule=RuleId.CREDITS_CATALOG,
                field="items",
            )
        if sum(product.credits * quantity for product, quantity in self.items) != self.credits:
            raise PolicyError(
                "the items do not add up to the credits",
                rule=RuleId.CREDITS_CATALOG,
                field="credits",
            )
        total = Money.zero(self.total.currency)
        for product, quantity in self.items:
            total += product.price * quantity
        if total != self.total:
            raise PolicyError(
                f"the items cost {total}, not {self.total}",
                rule=RuleId.CREDITS_CATALOG,
                field="total",
            )


@frozen(kw_only=True)
class Catalog:
    """The products on sale, all priced in one currency.

    >>> catalog = Catalog()
    >>> catalog.product("bundle-3").price
    Money(amount=Decimal('225.00'), currency='USD')
    >>> q = catalog.quote(4)
    >>> [(p.name, n) for p, n in q.items], str(q.total)
    ([('single', 1), ('bundle-3', 1)], '300.00 USD')
    >>> catalog.product("gold")
    Traceback (most recent call last):
    ...
    premier_policy.PolicyError: input.malformed: product: unknown product 'gold'; the catalog sells single, bundle-3
    """

    currency: str = field(default="USD")
    products: tuple[Product, ...] = field(default=DEFAULT_PRODUCTS, converter=_products)

    @currency.validator
    def _check_currency(self, _: Attribute[str], value: str) -> None:
        Money.zero(value)  # the one place that knows what a currency code looks like

    @products.validator
    def _check_products(
        self, _: Attribute[tuple[Product, ...]], value: tuple[Product, ...]
    ) -> None:
        def bad(detail: str) -> PolicyError:
            return PolicyError(detail, rule=RuleId.CREDITS_CATALOG, field="products")

        if not value:
            raise bad("a catalog sells at least one product")
        seen: set[str] = set()
        for product in value:
            if not isinstance(product, Product):
                raise bad(f"expected Product, got {type(product).__name__}")
            if product.name in seen:
                raise bad(f"product {shown(product.name)} is listed twice")
            if product.price.currency != self.currency:
                raise bad(
                    f"product {shown(product.name)} costs {product.price}; "
                    f"the catalog sells in {self.currency}"
                )
            seen.add(product.name)

    @classmethod
    def from_prices(
        cls, currency: str, prices: Mapping[str, tuple[int, Amount] | list[Any]]
    ) -> Catalog:
        """A catalog from ``{name: (credits, price)}``, prices in ``currency``, as the wire
        gives them; an error names the faulty field as ``products.<name>.<field>``.

        >>> Catalog.from_prices("EUR", {"single": (1, "70.00")}).product("single").price
        Money(amount=Decimal('70.00'), currency='EUR')
        >>> Catalog.from_prices("EUR", {"single": (0, "70.00")})
        Traceback (most recent call last):
        ...
        premier_policy.PolicyError: credits.catalog: products.single.credits: expected a whole number of at least 1, got 0
        """
        if not isinstance(prices, Mapping):
            raise PolicyError(
                f"expected a mapping of product names, got {type(prices).__name__}",
                rule=RuleId.CREDITS_CATALOG,
                field="products",
            )
        Money.zero(currency)
        products = []
        for name, entry in prices.items():
            where = f"products.{named(name)}"
            if not isinstance(entry, tuple | list) or len(entry) != 2:
                raise PolicyError(
                    f"expected (credits, price), got {shown(entry)}",
                    rule=RuleId.CREDITS_CATALOG,
                    field=where,
                )
            credits, price = entry
            try:
                money = Money(price, currency)
            except PolicyError as error:
                raise PolicyError(error.detail, rule=error.rule, field=f"{where}.price") from None
            try:
                products.append(Product(name=name, credits=credits, price=money))
            except PolicyError as error:
                raise PolicyError(
                    error.detail, rule=error.rule, field=f"{where}.{error.field}"
                ) from None
        return cls(currency=currency, products=products)

    def product(self, name: str) -> Product:
        """The product called ``name``; an unknown one is malformed input."""
        for product in self.products:
            if product.name == name:
                return product
        known = ", ".join(product.name for product in self.products)
        raise PolicyError(
            f"unknown product {shown(name)}; the catalog sells {known}",
            rule=RuleId.INPUT_MALFORMED,
            field="product",
        )

    def quote(self, credits: int) -> Quote:
        """The cheapest way to buy exactly ``credits`` credits (ties: fewer items).

        Dynamic programming over 0..credits, O(credits x products): ``best[k]`` is the
        least (cost in cents, items) giving exactly k credits. Any part of an optimal
        basket is optimal for its own credits, so the basket is rebuilt from the top,
        taking at each step the most preferred product (most credits, then name) that
        stays on an optimal path; that yields the most units of preferred products.
        ``credits`` is at most 100,000 (``MAX_QUOTE_CREDITS``), which bounds that table.

        >>> [(p.name, n) for p, n in Catalog().quote(3).items]
        [('bundle-3', 1)]
        """
        if type(credits) is not int or credits < 1:
            raise PolicyError(
                f"a quote is for a whole number of credits of at least 1, got {shown(credits)}",
                rule=RuleId.CREDITS_CATALOG,
                field="credits",
            )
        if credits > MAX_QUOTE_CREDITS:
            raise PolicyError(
                f"a quote is for at most {MAX_QUOTE_CREDITS:,} credits, got {credits:,}",
                rule=RuleId.CREDITS_CATALOG,
                field="credits",
            )
        # Cents as ints: exact, and far faster than Decimal in the inner loop.
        offers = [(p, p.credits, int(p.price.amount.scaleb(2))) for p in self.products]
        best: list[tuple[int, int] | None] = [None] * (credits + 1)
        best[0] = (0, 0)
        for k in range(1, credits + 1):
            for _, size, cents in offers:
                before = best[k - size] if size <= k else None
                if before is not None:
                    candidate = (before[0] + cents, before[1] + 1)
                    current = best[k]
                    if current is None or candidate < current:
                        best[k] = candidate
        if best[credits] is None:
            sizes = ", ".join(str(size) for _, size, _ in offers)
            raise PolicyError(
                f"no combination of products gives exactly {credits} credits "
                f"(products hold {sizes})",
                rule=RuleId.CREDITS_CATALOG,
                field="credits",
            )
        preferred = sorted(offers, key=lambda offer: (-offer[1], offer[0].name))
        counts = dict.fromkeys((p.name for p in self.products), 0)
        k = credits
        while k:
            target = best[k]
            product, size, _ = next(
                (p, size, cents)
                for p, size, cents in preferred
                if size <= k
                and (step := best[k - size]) is not None
                and (step[0] + cents, step[1] + 1) == target
            )
            counts[product.name] += 1
            k -= size
        items = tuple((p, counts[p.name]) for p in self.products if counts[p.name])
        total = Money.zero(self.currency)
        for p, quantity in items:
            total += p.price * quantity
        return Quote(items=items, credits=credits, total=total)
