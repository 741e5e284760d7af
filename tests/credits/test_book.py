"""The index of an account's lots: persistent search trees agreeing with a plain dict,
and the book a value that compares, hashes and pickles by its lots
(credits.consume-order, credits.expiry-notice)."""

from __future__ import annotations

import pickle
from typing import Any

import pendulum
from hypothesis import given, settings
from hypothesis import strategies as st

from premier_policy import Account, Money, Policy
from premier_policy.credits._book import Book, Tree, after, drop, get, put, weight_after
from premier_policy.credits._lots import EXPIRY_NOTICES, Lot

T0 = pendulum.datetime(2026, 1, 1)


def lot(i: int, remaining: int = 1) -> Lot:
    return Lot(id=f"p{i}", product="single", credits=1, remaining=remaining,
               purchased_at=T0.add(days=i), expires_at=T0.add(years=1, days=i),
               price=Money("75.00", "USD"))  # fmt: skip


@given(st.lists(st.tuples(st.integers(0, 40), st.integers(-1, 5)), max_size=80),
       st.integers(-1, 41))  # fmt: skip
def test_trees_agree_with_a_dict(moves: list[tuple[int, int]], probe: int) -> None:
    """Puts (weight >= 0) and drops (weight -1) of keys keep every earlier tree as it was,
    and lookups, in-order walks and weights after a key match a dict's."""
    tree: Tree = None
    model: dict[tuple[int], int] = {}
    history: list[tuple[Tree, dict[tuple[int], int]]] = []
    for key, weight in moves:
        if weight < 0:
            if (key,) in model:
                tree = drop(tree, (key,))
                del model[(key,)]
        else:
            tree = put(tree, (key,), key, weight)
            model[(key,)] = weight
        history.append((tree, dict(model)))
    for old, seen in history:
        assert [n[0] for n in after(old, probe)] == sorted(k for k in seen if k[0] > probe)
        assert weight_after(old, probe) == sum(w for k, w in seen.items() if k[0] > probe)
        assert all(get(old, k) == k[0] for k in seen)
    assert get(tree, (probe,)) == (probe if (probe,) in model else None)


def test_a_book_is_a_value_of_its_lots() -> None:
    """Equal, with equal hashes, when the lots are, in order; pickled as its lots, so any
    size pickles; an account shows its lots."""
    lots = tuple(lot(i) for i in range(5))
    book = Book.of(lots)
    rebuilt = Book.of(lots[:3]).put(lots[3], None).put(lots[4], None)
    assert book == rebuilt
    assert hash(book) == hash(rebuilt)
    assert book != Book.of(lots[::-1])
    assert book != lots  # a book equals only a book
    big = Account("acme", [lot(i) for i in range(3000)])
    again = pickle.loads(pickle.dumps(big))
    assert again == big
    assert again.lots == big.lots
    assert repr(Account("acme", lots[:1])) == f"Account(customer='acme', lots=({lots[0]!r},))"


def test_timers_follow_the_policy_asked_about() -> None:
    """The notice timers kept for one policy are rebuilt for another, dropped by a
    change made without a policy, and kept along by one made with it."""
    policy, other = Policy(), Policy(expiry_notice_days=0)
    book = Book.of((lot(0), lot(1)))
    assert book.next_timer(policy) == T0.add(years=1).subtract(days=30)
    assert book.next_timer(other) == T0.add(years=1)
    changed = book.put(lot(0, remaining=0), None)
    assert changed.next_timer(other) == T0.add(years=1, days=1)
    indexed = Indexed.of((lot(0), lot(1)))
    assert indexed.next_timer(policy) == T0.add(years=1).subtract(days=30)
    used_up = indexed.put(lot(0, remaining=0), policy)  # its timers kept, lot 0's gone
    assert used_up.next_timer(policy) == T0.add(years=1, days=1).subtract(days=30)


class Scanned(Book):
    """A book that never builds its trees."""

    __slots__ = ()
    SMALL = 1_000_000


class Indexed(Book):
    """A book in trees from its first lot."""

    __slots__ = ()
    SMALL = 0


class Switching(Book):
    """A book that builds its trees at its fourth lot."""

    __slots__ = ()
    SMALL = 3


POLICIES = (Policy(), Policy(expiry_notice_days=3))
DAYS = st.integers(0, 130)
#: Mostly the first policy, so the timers kept for it are updated along; sometimes the
#: other, or none, which drops them.
WHICH = st.sampled_from((0, 0, 0, 1, None))
MOVES = st.lists(
    st.one_of(
        st.tuples(st.just("buy"), st.integers(0, 60), st.integers(1, 60), st.integers(1, 3), WHICH),
        st.tuples(st.just("take"), DAYS, WHICH),
        st.tuples(st.just("back"), st.integers(0, 20), DAYS, WHICH),
        st.tuples(st.just("fire"), DAYS, st.booleans()),
    ),
    max_size=40,
)


def _day(n: int) -> pendulum.DateTime:
    return T0.add(days=n)


def _step(book: Book, move: tuple[Any, ...], bought: int) -> tuple[Book, Any]:
    """``book`` after ``move``, done as an account does it, and what it answered."""
    kind, *args = move
    if kind == "buy":
        start, length, credits, which = args
        new = Lot(id=f"p{bought}", product="single", credits=credits, remaining=credits,
                  purchased_at=_day(start), expires_at=_day(start + length),
                  price=Money("75.00", "USD"))  # fmt: skip
        return book.put(new, None if which is None else POLICIES[which]), None
    if kind == "take":
        day, which = args
        chosen = book.first_usable(_day(day))
        if chosen is not None:
            book = book.put(chosen.take(), None if which is None else POLICIES[which])
        return book, chosen
    if kind == "back":
        pick, day, which = args
        taken = [each for each in book.lots if each.consumed]
        if not taken:
            return book, None
        back = taken[pick % len(taken)]
        policy = None if which is None else POLICIES[which]
        if policy is not None and not back.remaining:  # as Account.restore deals with them
            passed = tuple(k for at, k in back.pending(policy) if at < _day(day))
            back = back.noticed((*back.notices, *passed))
        return book.put(back.give_back(), policy), back.id
    day, inclusive = args
    due = book.due(POLICIES[0], _day(day), inclusive=inclusive)
    for _, notice, fired in due:  # as Account.advance sends them
        held = book.get(fired.id)
        assert held is not None
        book = book.put(held.noticed((*held.notices, notice)), POLICIES[0])
    return book, due


def _answers(book: Book) -> list[Any]:
    """Every query of ``book``, at instants all over its lots' lives."""
    found: list[Any] = [book.lots, hash(book), book.get("p0"), book.get("nope")]
    for day in range(0, 131, 10):
        found += [book.balance(_day(day)), book.first_usable(_day(day))]
    for policy in POLICIES[::-1]:  # the timers of the first are then kept along
        found.append(book.next_timer(policy))
        for day in (20, 60, 121):
            found += [book.due(policy, _day(day), inclusive=i) for i in (False, True)]
    return found


@given(MOVES)
def test_scans_and_trees_answer_alike(moves: list[tuple[Any, ...]]) -> None:
    """Buying, taking, restoring and firing notices on a book scanned throughout, one in
    trees throughout and one switching at its fourth lot give the same answers to every
    query (credits.consume-order, credits.expiry-notice, input.timers), and equal
    books."""
    books: list[Book] = [Scanned(), Indexed(scan=None), Switching()]
    bought = 0
    for move in moves:
        stepped = [_step(book, move, bought) for book in books]
        bought += move[0] == "buy"
        books = [book for book, _ in stepped]
        assert all(answer == stepped[0][1] for _, answer in stepped)
        expected = _answers(books[0])
        assert all(_answers(book) == expected for book in books[1:])
        assert all(book == books[0] for book in books)
    assert pickle.loads(pickle.dumps(books[1])) == Book.of(books[0].lots) == books[2]


# Keys of one element, so their priorities (hashes) are the same in every process; the
# pool holds keys whose hashes are equal (hash(-1) == hash(-2), 2**61 hashes as 1 and
# 2**61 + 1 as 2), so that equal priorities meet too.
KEYS = (-2, -1, *range(24), 2**61, 2**61 + 1)
TREE_MOVES = st.lists(
    st.one_of(
        st.tuples(st.just("put"), st.sampled_from(KEYS), st.integers(0, 5)),
        st.tuples(st.just("plain"), st.sampled_from(KEYS), st.just(0)),  # weight by default
        st.tuples(st.just("drop"), st.integers(0, 1_000), st.just(0)),
    ),
    max_size=60,
)


def _treap(node: Tree, top: float = float("inf")) -> list[Any]:
    """The keys of ``node`` in order, checking that each total is the sum of the weights
    below it and that no priority exceeds its parent's (which keeps the trees shallow)."""
    if node is None:
        return []
    key, _, weight, total, prio, left, right = node
    assert prio <= top
    assert total == weight + (0 if left is None else left[3]) + (0 if right is None else right[3])
    return [*_treap(left, prio), key, *_treap(right, prio)]


def _agrees(tree: Tree, model: dict[tuple[int], int]) -> None:
    """``tree`` holds the keys of ``model`` with their weights, as a treap."""
    assert _treap(tree) == sorted(model)
    assert [n[0] for n in after(tree, -3)] == sorted(model)
    for key, weight in model.items():
        assert get(tree, key) == f"v{key[0]}"
        assert weight_after(tree, key[0] - 1) - weight_after(tree, key[0]) == weight
    assert all(get(tree, (k,)) is None for k in (-3, *KEYS, 64) if (k,) not in model)
    assert weight_after(tree, -3) == sum(model.values())


@given(TREE_MOVES)
def test_puts_and_drops_keep_a_treap_of_the_keys(moves: list[tuple[str, int, int]]) -> None:
    """Puts (new keys or replaced ones, equal priorities included; weighing 0 unless
    told) and drops of held keys give the dict's keys, values and weights, in a valid
    treap; earlier trees stay."""
    tree: Tree = None
    model: dict[tuple[int], int] = {}
    history: list[tuple[Tree, dict[tuple[int], int]]] = []
    for kind, number, weight in moves:
        if kind == "put":
            tree = put(tree, (number,), f"v{number}", weight)
            model[(number,)] = weight
        elif kind == "plain":
            tree = put(tree, (number,), f"v{number}")
            model[(number,)] = 0
        elif model:
            key = sorted(model)[number % len(model)]
            tree = drop(tree, key)
            del model[key]
        history.append((tree, dict(model)))
    for old, seen in history:
        _agrees(old, seen)


def test_dropping_each_key_of_a_full_tree() -> None:
    """Dropping any one of 64 keys, from the root down to the leaves, leaves the others
    with their values and weights, in a treap, and the full tree as it was."""
    full: Tree = None
    for number in range(64):
        full = put(full, (number,), f"v{number}", number % 7)
    everything = {(number,): number % 7 for number in range(64)}
    for number in range(64):
        rest = dict(everything)
        del rest[(number,)]
        _agrees(drop(full, (number,)), rest)
    _agrees(full, everything)


#: One policy with expiring notices two days before expiry, one with none; the first is
#: the one most changes are made with, so its timers are kept along.
MODEL_POLICIES = (Policy(expiry_notice_days=2), Policy(expiry_notice_days=0))
#: A lot, as (purchase day, days of validity, credits, credits used, notices dealt
#: with): few days, so that lots share purchase and expiry instants and the consume
#: order falls back on the purchase ID ("p10" before "p2").
LOT = st.tuples(
    st.integers(0, 3),
    st.integers(1, 4),
    st.integers(1, 2),
    st.integers(0, 2),
    st.sampled_from(((), ("credits_expiring",), ("credits_expired",))),
)
WITH = st.sampled_from((0, 0, 1, None))
BOOK_MOVES = st.lists(
    st.one_of(
        st.tuples(st.just("buy"), LOT, WITH),
        st.tuples(st.just("take"), st.integers(0, 7), WITH),
        st.tuples(st.just("back"), st.integers(0, 99), WITH),
        st.tuples(st.just("change"), st.integers(0, 99), LOT, WITH),
    ),
    max_size=6,
)


def _model_lot(number: int, shape: tuple[int, int, int, int, tuple[Any, ...]]) -> Lot:
    start, length, credits, used, notices = shape
    return Lot(id=f"p{number}", product="single", credits=credits,
               remaining=max(credits - used, 0), purchased_at=_day(start),
               expires_at=_day(start + length), price=Money("75.00", "USD"),
               notices=notices)  # fmt: skip


def _model_order(each: Lot) -> tuple[pendulum.DateTime, pendulum.DateTime, str]:
    return each.expires_at, each.purchased_at, each.id


def _as_the_model(book: Book, model: list[Lot]) -> None:
    """``book`` answers every query as a scan of the lots ``model`` would."""
    assert book.lots == tuple(model)
    assert book == Book.of(tuple(model))
    assert hash(book) == hash(tuple(model))
    for each in model:
        assert book.get(each.id) is each
    assert book.get(f"p{len(model)}") is None
    for day in range(9):
        t = _day(day)
        valid = [each for each in model if each.purchased_at <= t < each.expires_at]
        assert book.balance(t) == sum(each.remaining for each in valid)
        usable = [each for each in valid if each.remaining]
        assert book.first_usable(t) == min(usable, key=_model_order, default=None)
    for policy in MODEL_POLICIES:  # the first's, perhaps kept along, then rebuilt
        notices = sorted(
            ((at, EXPIRY_NOTICES.index(kind), _model_order(each)), (at, kind, each))
            for each in model
            if each.remaining
            for at, kind in each.pending(policy)
        )
        assert book.next_timer(policy) == (notices[0][0][0] if notices else None)
        for day in range(9):
            end = _day(day)
            for inclusive in (False, True):
                expected = [
                    due for (at, *_), due in notices if at < end or (inclusive and at == end)
                ]
                assert book.due(policy, end, inclusive=inclusive) == expected
    book.next_timer(MODEL_POLICIES[0])  # whose timers the next change keeps along


@settings(max_examples=60)
@given(st.one_of(st.lists(LOT, max_size=5), st.lists(LOT, min_size=30, max_size=40)), BOOK_MOVES)
def test_a_book_answers_as_its_list_of_lots(
    shapes: list[tuple[int, int, int, int, tuple[Any, ...]]], moves: list[tuple[Any, ...]]
) -> None:
    """Made of a few lots or of 30 to 40 (beyond ``Book.SMALL``), at once or one at a
    time, then buying, taking, giving back and changing lots with or without the policy
    of its timers, a book answers every query (lots, lookups, balance, the lot to take
    from, timers, due notices) as a plain list of its lots does (credits.consume-order,
    credits.expiry-notice)."""
    model = [_model_lot(number, shape) for number, shape in enumerate(shapes)]
    at_once, one_by_one = Book.of(tuple(model)), Book()
    for each in model:
        one_by_one = one_by_one.put(each, None)
    _as_the_model(at_once, model)
    book = one_by_one
    for kind, *args in moves:
        policy = None if args[-1] is None else MODEL_POLICIES[args[-1]]
        if kind == "buy":
            new = _model_lot(len(model), args[0])
            model.append(new)
        else:
            if kind == "take":
                t = _day(args[0])
                usable = [e for e in model if e.remaining and e.purchased_at <= t < e.expires_at]
                found = min(usable, key=_model_order, default=None)
                assert book.first_usable(t) == found
                if found is None:
                    continue
                new = found.take()
            elif kind == "back":
                taken = [each for each in model if each.consumed]
                if not taken:
                    continue
                new = taken[args[0] % len(taken)].give_back()
            else:
                if not model:
                    continue
                new = _model_lot(args[0] % len(model), args[1])
            model[int(new.id[1:])] = new
        book = book.put(new, policy)
        _as_the_model(book, model)
    _as_the_model(book, model)


def _height(node: Tree) -> int:
    return 0 if node is None else 1 + max(_height(node[5]), _height(node[6]))


def test_trees_stay_shallow_whatever_the_order_of_the_keys() -> None:
    """2000 keys put in increasing order, then the even ones dropped, make trees a few
    dozen levels deep, not a path: each change costs O(log n) in the lots."""
    tree: Tree = None
    for number in range(2000):
        tree = put(tree, (number,), number)
    assert _height(tree) <= 50
    for number in range(0, 2000, 2):
        tree = drop(tree, (number,))
    assert _height(tree) <= 50
    assert [n[1] for n in after(tree, -1)] == list(range(1, 2000, 2))


def test_keys_of_equal_priority_are_replaced_not_held_twice() -> None:
    """Keys whose priorities are equal (hash(-1) == hash(-2); 2**61 hashes as 1) are
    found and replaced in place, in whichever order they came, never held twice."""
    for pair in ((-1, -2), (-2, -1), (1, 2**61), (2**61, 1)):
        tree: Tree = None
        model: dict[tuple[int], int] = {}
        for round_, number in enumerate((*pair, *pair, *pair[::-1])):
            tree = put(tree, (number,), f"v{number}", round_)
            model[(number,)] = round_
            _agrees(tree, model)


def test_the_lot_beyond_small_builds_the_trees() -> None:
    """A book of ``Book.SMALL`` lots is a tuple scanned, made at once or lot by lot; the
    next lot builds the trees, which keep the lots given (module notes: a scan is faster
    at that size, the trees beyond it)."""
    lots = tuple(lot(i) for i in range(Book.SMALL + 1))
    grown = Book()
    for each in lots[:-1]:
        grown = grown.put(each, None)
    for small in (Book.of(lots[:-1]), grown):
        assert small._scan == lots[:-1]
        assert small.lots is small._scan
        big = small.put(lots[-1], None)
        assert big._scan is None
        assert big.lots == lots
    assert Book.of(lots)._scan is None
    assert Book.of(lots).lots is lots  # kept, not rebuilt from the trees


def test_a_change_made_with_the_policy_keeps_its_timers() -> None:
    """The timers of the policy last asked about are updated along by a change made with
    that policy, not dropped to be rebuilt at the next question (which costs O(n));
    a change made without it, or with another policy, drops them."""
    policy = Policy()
    book = Indexed.of((lot(0), lot(1), lot(2)))
    assert book.next_timer(policy) == T0.add(years=1).subtract(days=30)
    kept = book.put(lot(0, remaining=0), policy)
    assert kept._timers is not None
    assert kept._timers[0] is policy
    for other in (None, Policy()):
        assert book.put(lot(0, remaining=0), other)._timers is None
    assert kept.next_timer(policy) == T0.add(years=1, days=1).subtract(days=30)
    bought = kept.put(lot(3), policy)  # its notices join the kept timers
    end = T0.add(years=1, days=3)
    assert bought.due(policy, end, inclusive=False) == [
        (T0.add(years=1, days=i).subtract(days=30), "credits_expiring", lot(i)) for i in (1, 2, 3)
    ] + [(T0.add(years=1, days=i), "credits_expired", lot(i)) for i in (1, 2)]
