"""The ``premier-policy`` command: the library's face for shells and other services.

Thin on purpose: parse the arguments, call the library, print. Exit status 0 when the
command did its job (a replay with refused events included), 2 when its input was not
usable (not JSON, not a scenario, a naive instant, a bad number), with one line on
standard error and nothing on standard output.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import sys
from collections.abc import Sequence
from importlib import resources
from typing import Any, NoReturn, TextIO

from premier_policy.base._errors import PolicyError
from premier_policy.base._events import Event, Invalidate, LogTime, Open, Purchase, RefundRequest
from premier_policy.base._instants import parse_instant
from premier_policy.base._notifications import Notification
from premier_policy.base._refusal import Refusal
from premier_policy.base._rules import RULES
from premier_policy.engine._replay import Trace, replay, trace
from premier_policy.engine._world import World
from premier_policy.terms._policy import Policy
from premier_policy.wire._events import EVENT_TYPES

__all__ = ["main"]

PROG = "premier-policy"
#: The bundled scenario ``demo`` replays (package data, read only by this command).
DEMO = "examples/demo.json"


class _UsageError(Exception):
    """Input the command cannot use: reported on one line, exit status 2."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise _UsageError(message)


def _reject_constant(name: str) -> NoReturn:
    raise ValueError(f"{name} is not JSON")


def _read_json(text: str, source: str) -> Any:
    try:
        return json.loads(text, parse_constant=_reject_constant)
    except ValueError as error:  # JSONDecodeError included
        raise _UsageError(f"{source} is not JSON: {error}") from None
    except RecursionError:
        raise _UsageError(f"{source} is nested too deep to read") from None


def _read(path: str, stdin: TextIO) -> Any:
    """The JSON document at ``path`` (``-``: standard input), read by one rule: strict
    UTF-8 from the bytes, a byte order mark refused by the JSON reader alike."""
    source = "standard input" if path == "-" else path
    try:
        if path == "-":
            binary = getattr(stdin, "buffer", None)
            # A text stream without bytes beneath (a test's StringIO) is re-encoded
            # strictly: a lone surrogate it holds is refused as undecodable bytes are.
            data = binary.read() if binary is not None else stdin.read().encode("utf-8")
        else:
            with open(path, "rb") as handle:
                data = handle.read()
        text = data.decode("utf-8")
    except (OSError, UnicodeError) as error:
        raise _UsageError(f"cannot read {source}: {error}") from None
    return _read_json(text, source)


def _demo_document() -> Any:
    return json.loads(resources.files("premier_policy").joinpath(DEMO).read_text("utf-8"))


def _dump(data: Any, out: TextIO) -> None:
    json.dump(data, out, indent=2, ensure_ascii=False)
    out.write("\n")


# --- the demo's timeline ----------------------------------------------------------------


def _what(event: Event, world: World) -> tuple[str, str | None]:
    """A short sentence for ``event`` and the customer it concerns (if known)."""
    kind = next(name for name, cls in EVENT_TYPES.items() if isinstance(event, cls))
    if isinstance(event, Purchase):
        return f"{event.customer} buys {event.count} x {event.product} ({event.id})", event.customer
    if isinstance(event, RefundRequest):
        return f"{event.customer} asks for a refund of {event.purchase}", event.customer
    if isinstance(event, Open):
        return f"{event.customer} opens {event.id} ({event.area})", event.customer
    incident = world.incidents.get(event.incident)
    customer = incident.customer if incident is not None else None
    extra = ""
    if isinstance(event, LogTime):
        extra = f" ({event.minutes} min)"
    elif isinstance(event, Invalidate):
        extra = f" ({event.reason})"
    return f"{kind.replace('_', ' ')} on {event.incident}{extra}", customer


def _notes(policy: Policy, notes: Sequence[Notification], out: TextIO) -> None:
    for n in notes:
        if n.to == "customer":
            who, about = f"customer {n.customer}", n.incident
        else:
            who, about = "staff", n.customer if n.incident is None else f"{n.customer}/{n.incident}"
        suffix = f" ({about})" if about else ""
        print(f"    {policy.show(n.at):<21} to {who}: {n.kind}{suffix}", file=out)


def _timeline(done: Trace, out: TextIO) -> None:
    policy = done.policy
    print(f"A replay in {policy.tz.name}: each event, who is told what and when,", file=out)
    print("and the customer's usable credits after it.\n", file=out)
    before = World(policy)
    for moment in done.moments:
        if moment.event is None:
            assert isinstance(moment.result, Refusal)
            print(f"#{moment.index} malformed: {moment.result.message}", file=out)
            continue
        what, customer = _what(moment.event, before)
        at = moment.event.at
        verdict = (
            "accepted"
            if not isinstance(moment.result, Refusal)
            else f"REFUSED [{moment.result.rule}] {moment.result.message}"
        )
        print(f"#{moment.index} {policy.show(at)}  {what}: {verdict}", file=out)
        _notes(policy, moment.notifications, out)
        account = moment.world.accounts.get(customer) if customer is not None else None
        if account is not None:
            print(f"    balance of {customer}: {account.balance(at)}", file=out)
        before = moment.world
    if done.as_of is not None:
        print(f"\nuntil {policy.show(done.as_of)}", file=out)
        _notes(policy, done.closing, out)
        for customer, account in done.world.accounts.items():
            print(f"    balance of {customer}: {account.balance(done.as_of)}", file=out)
        nxt = done.world.next_event_at
        print(f"next timer: {policy.show(nxt) if nxt is not None else 'none'}", file=out)


# --- the commands -----------------------------------------------------------------------


def _replay(args: argparse.Namespace, out: TextIO, stdin: TextIO) -> None:
    _dump(replay(_read(args.file, stdin)), out)


def _demo(args: argparse.Namespace, out: TextIO, stdin: TextIO) -> None:
    document = _demo_document()
    if args.json:
        _dump(replay(document), out)
    else:
        _timeline(trace(document), out)


def _due(args: argparse.Namespace, out: TextIO, stdin: TextIO) -> None:
    policy = Policy()
    started = parse_instant(args.instant, policy.tz, field="instant")
    print(policy.response_due(started).isoformat(), file=out)


def _quote(args: argparse.Namespace, out: TextIO, stdin: TextIO) -> None:
    quote = Policy().catalog.quote(args.credits)
    for product, quantity in quote.items:
        each = f"{product.credits} credit{'s' if product.credits > 1 else ''}"
        print(f"{quantity} x {product.name} ({each}, {product.price})", file=out)
    print(f"total {quote.total} for {quote.credits} credits", file=out)


def _rules(args: argparse.Namespace, out: TextIO, stdin: TextIO) -> None:
    width = max(len(rule_id) for rule_id in RULES)
    for rule_id, rule in RULES.items():
        print(f"{rule_id:<{width}}  {rule.summary}", file=out)


def _count(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(prog=PROG, description="Premier Support policy, from the shell.")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def command(name: str, summary: str) -> argparse.ArgumentParser:
        return commands.add_parser(name, help=summary, description=summary)

    run = command("replay", "replay a JSON scenario and print the JSON outcome")
    run.add_argument("file", metavar="FILE", help="the scenario, or - for standard input")
    run.set_defaults(handler=_replay)
    demo = command("demo", "replay the bundled example as a readable timeline")
    demo.add_argument("--json", action="store_true", help="print the raw JSON outcome instead")
    demo.set_defaults(handler=_demo)
    due = command("due", "when a response is due for an incident waiting from INSTANT")
    due.add_argument("instant", metavar="INSTANT", help="ISO 8601 with a UTC offset")
    due.set_defaults(handler=_due)
    quote = command("quote", "the cheapest way to buy exactly N credits")
    quote.add_argument("credits", metavar="N", type=_count, help="how many credits")
    quote.set_defaults(handler=_quote)
    rules = command("rules", "every rule ID with its one-line summary")
    rules.set_defaults(handler=_rules)
    return parser


def main(
    argv: Sequence[str] | None = None,
    *,
    stdout: TextIO | None = None,
    stderr: TextIO | None = None,
    stdin: TextIO | None = None,
) -> int:
    """Run the command line ``argv`` (default: the process's); return the exit status."""
    out = sys.stdout if stdout is None else stdout
    err = sys.stderr if stderr is None else stderr
    try:
        args = _parser().parse_args(argv)
        # The whole outcome is made and encoded before a byte of it is written: a
        # document is never left half-written on standard output.
        made = io.StringIO()
        args.handler(args, made, sys.stdin if stdin is None else stdin)
        text = _encodable(made.getvalue(), out)
        out.write(text)
    except (_UsageError, PolicyError) as error:
        print(f"{PROG}: {error}", file=err)
        return 2
    except SystemExit as done:  # --help
        return done.code if isinstance(done.code, int) else 0
    except BrokenPipeError:  # the reader left (`| head`): stop quietly
        _silence(out)
        return 1
    return 0


def _encodable(text: str, out: TextIO) -> str:
    encoding = getattr(out, "encoding", None) or "utf-8"
    try:
        text.encode(encoding)
    except UnicodeEncodeError as error:
        raise _UsageError(
            f"the output cannot be written in {encoding}: {error.reason} "
            f"({error.object[error.start : error.end]!a} at position {error.start})"
        ) from None
    return text


def _silence(out: TextIO) -> None:
    """Point ``out``'s descriptor at the null device, so that Python's final flush at
    exit cannot fail on the closed pipe a second time (the Python docs' recipe)."""
    try:
        descriptor = out.fileno()
    except (AttributeError, OSError, ValueError):
        return
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, descriptor)
    os.close(devnull)
