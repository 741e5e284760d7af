"""The catalog and its quotes: cheapest exact combination, ties to fewer items (credits.catalog)."""

from __future__ import annotations

import itertools
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from premier_policy import Catalog, Money, Policy, PolicyError, Product, Quote, RuleId
from premier_policy.terms._catalog import MAX_QUOTE_CREDITS


def usd(amount: str) -> Money:
    return Money(amount, "USD")


def product(name: str, credits: int, price: str) -> Product:
    return Product(name=name, credits=credits, price=usd(price))


def basket(quote: Quote) -> dict[str, int]:
    return {p.name: n for p, n in quote.items}


def items(quote: Quote) -> int:
    """How many items the quote buys (the quantities summed)."""
    return sum(quantity for _, quantity in quote.items)


def test_default_catalog_is_the_service_as_sold() -> None:
    """single is 1 credit for USD 75.00, bundle-3 is 3 credits for USD 225.00."""
    catalog = Catalog()
    assert catalog.currency == "USD"
    assert catalog.product("single") == product("single", 1, "75.00")
    assert catalog.product("bundle-3") == product("bundle-3", 3, "225.00")
    assert Policy().catalog == catalog


def test_equal_price_per_credit_ties_go_to_fewer_items() -> None:
    """3 singles and one bundle-3 both cost 225.00; the bundle is one item, so it wins."""
    quote = Catalog().quote(3)
    assert basket(quote) == {"bundle-3": 1}
    assert (quote.credits, quote.total, items(quote)) == (3, usd("225.00"), 1)


@pytest.mark.parametrize(
    ("credits", "expected", "total"),
    [
        (1, {"single": 1}, "75.00"),
        (2, {"single": 2}, "150.00"),
        (4, {"single": 1, "bundle-3": 1}, "300.00"),
        (7, {"single": 1, "bundle-3": 2}, "525.00"),
        (9, {"bundle-3": 3}, "675.00"),
    ],
)
def test_default_quotes(credits: int, expected: dict[str, int], total: str) -> None:
    """Every credit costs 75.00; as many bundles as fit, singles for the rest."""
    quote = Catalog().quote(credits)
    assert basket(quote) == expected
    assert quote.total == usd(total)


def test_cheaper_bundle_beats_fewer_items() -> None:
    """Price comes first: two cheap pairs beat one dearer quad."""
    catalog = Catalog(
        products=(product("pair", 2, "100.00"), product("quad", 4, "250.00")),
    )
    assert basket(catalog.quote(4)) == {"pair": 2}


def test_further_ties_prefer_bigger_products_then_name() -> None:
    """Same price, same item count: the most units of the biggest product, then by name."""
    catalog = Catalog(
        products=(
            product("one", 1, "10.00"),
            product("two", 2, "20.00"),
            product("three", 3, "30.00"),
        )
    )
    # 4 credits in 2 items: one+three or two+two, both 40.00; three is the biggest.
    assert basket(catalog.quote(4)) == {"one": 1, "three": 1}
    twins = Catalog(products=(product("b", 2, "20.00"), product("a", 2, "20.00")))
    assert basket(twins.quote(2)) == {"a": 1}
    # Items are listed in catalog order, whatever the preference.
    assert [p.name for p, _ in catalog.quote(4).items] == ["one", "three"]


def test_tie_preference_is_by_credits_not_price_nor_smallest_first() -> None:
    """Among baskets tied on price and items, the most units of the product with the
    most credits wins: not the dearest product first, nor the smallest first."""
    # 4 credits in 2 items at 20.00: two+two or one+three; three holds the most credits
    # (sorting by price alone would fall back to names and pick a-two).
    flat = Catalog(
        products=(product("a-two", 2, "10"), product("b-one", 1, "10"), product("c-three", 3, "10"))
    )
    assert basket(flat.quote(4)) == {"b-one": 1, "c-three": 1}
    # 25 credits in 3 items at 250.00: seven+seven+eleven or five+ten+ten; the one with
    # eleven wins (smallest first would pick the one with five).
    per_credit = Catalog(
        products=(
            product("five", 5, "50"),
            product("seven", 7, "70"),
            product("ten", 10, "100"),
            product("eleven", 11, "110"),
        )
    )
    assert basket(per_credit.quote(25)) == {"seven": 2, "eleven": 1}


@pytest.mark.parametrize("credits", [0, -1, 1.0, True, "3", None])
def test_quote_needs_a_positive_whole_number(credits: Any) -> None:
    """A quote is for at least one whole credit."""
    with pytest.raises(PolicyError) as info:
        Catalog().quote(credits)
    assert (info.value.rule, info.value.field) == (RuleId.CREDITS_CATALOG, "credits")


def test_impossible_quote_is_refused() -> None:
    """Bundles only: 4 credits cannot be bought exactly."""
    catalog = Catalog(products=(product("bundle-3", 3, "225.00"),))
    with pytest.raises(PolicyError, match=r"exactly 4 credits") as info:
        catalog.quote(4)
    assert info.value.rule is RuleId.CREDITS_CATALOG
    assert basket(catalog.quote(6)) == {"bundle-3": 2}
    pricier = Catalog(products=(product("bundle-3", 3, "225.00"), product("pack-5", 5, "350")))
    with pytest.raises(PolicyError) as both:
        pricier.quote(4)
    assert (both.value.rule, both.value.field, both.value.detail) == (
        RuleId.CREDITS_CATALOG,
        "credits",
        "no combination of products gives exactly 4 credits (products hold 3, 5)",
    )


def test_an_impossible_quote_names_the_product_sizes() -> None:
    """credits.catalog: when no basket gives exactly N credits the error says so, with
    the sizes on sale, on the field ``credits``."""
    catalog = Catalog.from_prices("USD", {"bundle-3": (3, "225.00")})
    with pytest.raises(PolicyError) as refused:
        catalog.quote(4)
    assert (refused.value.rule, refused.value.field) == (RuleId.CREDITS_CATALOG, "credits")
    assert refused.value.detail == (
        "no combination of products gives exactly 4 credits (products hold 3)"
    )


def test_unknown_product_is_malformed_input() -> None:
    """Naming a product the catalog lacks is input.malformed on field product."""
    with pytest.raises(PolicyError) as info:
        Catalog().product("gold")
    assert (info.value.rule, info.value.field) == (RuleId.INPUT_MALFORMED, "product")
    assert "single, bundle-3" in str(info.value)


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"name": "", "credits": 1, "price": usd("1")}, "name"),
        ({"name": 3, "credits": 1, "price": usd("1")}, "name"),
        ({"name": "x", "credits": 0, "price": usd("1")}, "credits"),
        ({"name": "x", "credits": True, "price": usd("1")}, "credits"),
        ({"name": "x", "credits": 1, "price": Decimal("1")}, "price"),
        ({"name": "x", "credits": 1, "price": usd("-0.01")}, "price"),
    ],
)
def test_product_validation(fields: dict[str, Any], field: str) -> None:
    """A product has a name, at least one credit and a price that is Money, not negative."""
    with pytest.raises(PolicyError) as info:
        Product(**fields)
    assert (info.value.rule, info.value.field) == (RuleId.CREDITS_CATALOG, field)


@pytest.mark.parametrize(
    ("price", "detail"),
    [
        (Decimal("75"), "expected Money, got Decimal"),
        ("75.00", "expected Money, got str"),
        (usd("-0.01"), "a price is never negative, got -0.01 USD"),
    ],
)
def test_a_refused_price_says_why(price: Any, detail: str) -> None:
    """credits.catalog: a price that is not Money, or is negative, is refused with a
    sentence saying which, naming the ``price`` field."""
    with pytest.raises(PolicyError) as info:
        Product(name="x", credits=1, price=price)
    assert (info.value.rule, info.value.field, info.value.detail) == (
        RuleId.CREDITS_CATALOG,
        "price",
        detail,
    )


def test_a_free_product_is_allowed() -> None:
    """A zero price is a promotion, not an error."""
    assert product("gift", 1, "0").price == usd("0.00")


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"products": ()}, "at least one product"),
        ({"products": (product("a", 1, "1"), product("a", 2, "2"))}, "listed twice"),
        ({"currency": "EUR"}, "sells in EUR"),
        ({"products": ("single",)}, "expected Product"),
        ({"products": "single"}, "sequence of products"),
        ({"products": 3}, "sequence of products"),
        ({"products": {"single": 1}}, "sequence of products"),
        ({"currency": "usd"}, "3-letter"),
    ],
)
def test_catalog_validation(kwargs: dict[str, Any], match: str) -> None:
    """Unique names, one currency for every price, at least one product."""
    with pytest.raises(PolicyError, match=match) as info:
        Catalog(**kwargs)
    assert info.value.rule is RuleId.CREDITS_CATALOG


def test_products_that_are_no_sequence_are_named_with_their_type() -> None:
    """A string, a number or a mapping given as products: the field and the type."""
    for value, kind in (("single", "str"), (3, "int"), ({"single": 1}, "dict")):
        with pytest.raises(PolicyError) as info:
            Catalog(products=value)  # type: ignore[arg-type]
        assert (info.value.field, info.value.detail) == (
            "products",
            f"expected a sequence of products, got {kind}",
        )


def test_catalog_accepts_any_iterable_of_products() -> None:
    """A list or generator of products is stored as a tuple."""
    catalog = Catalog(products=[product("a", 1, "1")])
    assert catalog.products == (product("a", 1, "1"),)


def test_from_prices_builds_a_catalog_from_wire_values() -> None:
    """{name: (credits, price text)} in one currency, lists accepted as pairs."""
    catalog = Catalog.from_prices("EUR", {"single": (1, "70.00"), "pack-5": [5, "300"]})
    assert catalog == Catalog(
        currency="EUR",
        products=(
            Product(name="single", credits=1, price=Money("70", "EUR")),
            Product(name="pack-5", credits=5, price=Money("300", "EUR")),
        ),
    )
    assert Catalog.from_prices("USD", {"single": (1, "75.00"), "bundle-3": (3, "225.00")}) == (
        Catalog()
    )


@pytest.mark.parametrize(
    ("currency", "prices", "field"),
    [
        ("EUR", {"single": (1, 70.0)}, "products.single.price"),
        ("EUR", {"single": (0, "70")}, "products.single.credits"),
        ("EUR", {"single": (1, "-1")}, "products.single.price"),
        ("EUR", {"single": (1,)}, "products.single"),
        ("EUR", {"single": "70"}, "products.single"),
        ("EUR", [("single", 1, "70")], "products"),
        ("EUR", {}, "products"),
        ("eur", {"single": (1, "70")}, "currency"),
    ],
)
def test_from_prices_names_the_faulty_field(currency: str, prices: Any, field: str) -> None:
    """A bad entry is reported with its place in the products mapping."""
    with pytest.raises(PolicyError) as info:
        Catalog.from_prices(currency, prices)
    assert (info.value.rule, info.value.field) == (RuleId.CREDITS_CATALOG, field)


@pytest.mark.parametrize(
    ("prices", "field", "detail"),
    [
        ([("single", 1, "70")], "products", "expected a mapping of product names, got list"),
        ({"single": (1,)}, "products.single", "expected (credits, price), got (1,)"),
        (
            {"single": (1, 70.0)},
            "products.single.price",
            "expected a Decimal, an int or a decimal string, got float",
        ),
    ],
)
def test_from_prices_says_what_is_wrong(prices: Any, field: str, detail: str) -> None:
    """credits.catalog: a bad prices mapping, entry or price is refused with a sentence
    saying what was expected and what came, naming its place."""
    with pytest.raises(PolicyError) as info:
        Catalog.from_prices("EUR", prices)
    assert (info.value.rule, info.value.field, info.value.detail) == (
        RuleId.CREDITS_CATALOG,
        field,
        detail,
    )


def test_quote_checks_itself() -> None:
    """A hand-made quote that does not add up is refused, naming what is wrong."""
    single = product("single", 1, "75.00")
    assert items(Quote(items=((single, 2),), credits=2, total=usd("150.00"))) == 2
    listed = "a quote lists at least one product, each at least once"
    bad: list[tuple[dict[str, Any], str, str]] = [
        ({"items": (), "credits": 0, "total": usd("0")}, "items", listed),
        ({"items": ((single, 0),), "credits": 0, "total": usd("0")}, "items", listed),
        (
            {"items": ((single, 2),), "credits": 3, "total": usd("150")},
            "credits",
            "the items do not add up to the credits",
        ),
        (
            {"items": ((single, 2),), "credits": 2, "total": usd("149.99")},
            "total",
            "the items cost 150.00 USD, not 149.99 USD",
        ),
    ]
    for fields, field, detail in bad:
        with pytest.raises(PolicyError) as info:
            Quote(**fields)
        assert (info.value.rule, info.value.field, info.value.detail) == (
            RuleId.CREDITS_CATALOG,
            field,
            detail,
        )


# --- optimality against brute force -------------------------------------------------

catalogs = st.lists(
    # Few distinct prices, so that ties on price (and on items) are common.
    st.tuples(st.integers(1, 5), st.sampled_from(["0", "25", "50", "74.99", "75", "150", "225"])),
    min_size=1,
    max_size=4,
).map(
    lambda rows: Catalog(
        products=tuple(product(f"p{i}", size, price) for i, (size, price) in enumerate(rows))
    )
)


def brute_force(catalog: Catalog, credits: int) -> list[tuple[Decimal, int, tuple[int, ...]]]:
    """Every exact basket as (total, items, quantities in catalog order), by enumeration."""
    products = catalog.products
    ranges = [range(credits // p.credits + 1) for p in products]
    found = []
    for quantities in itertools.product(*ranges):
        if sum(p.credits * q for p, q in zip(products, quantities, strict=True)) == credits:
            total = sum(
                (p.price.amount * q for p, q in zip(products, quantities, strict=True)),
                Decimal(0),
            )
            found.append((total, sum(quantities), quantities))
    return found


@given(catalogs, st.integers(1, 12))
def test_quote_is_optimal_against_brute_force(catalog: Catalog, credits: int) -> None:
    """The quote is exact, as cheap as any basket, with the fewest items among the
    cheapest, and the documented preference among what still ties."""
    baskets = brute_force(catalog, credits)
    if not baskets:
        with pytest.raises(PolicyError) as info:
            catalog.quote(credits)
        assert info.value.rule is RuleId.CREDITS_CATALOG
        return
    quote = catalog.quote(credits)
    assert quote.credits == credits
    best_total, best_items = min((total, items) for total, items, _ in baskets)
    assert (quote.total.amount, items(quote)) == (best_total, best_items)
    # Preference among the remaining ties: most units of the biggest product, then name.
    products = catalog.products
    order = sorted(range(len(products)), key=lambda i: (-products[i].credits, products[i].name))
    tied = [q for total, items, q in baskets if (total, items) == (best_total, best_items)]
    preferred = max(tied, key=lambda q: [q[i] for i in order])
    got = basket(quote)
    assert tuple(got.get(p.name, 0) for p in products) == preferred


def test_quote_refuses_counts_above_the_bound_naming_rule_credits_catalog() -> None:
    """A quote is for at most MAX_QUOTE_CREDITS credits (its table grows with the
    count): the bound itself is quoted, one more is credits.catalog naming ``credits``."""
    assert Catalog().quote(MAX_QUOTE_CREDITS).credits == MAX_QUOTE_CREDITS
    for count in (MAX_QUOTE_CREDITS + 1, 10**12):
        with pytest.raises(PolicyError) as info:
            Catalog().quote(count)
        assert (info.value.rule, info.value.field) == (RuleId.CREDITS_CATALOG, "credits")
