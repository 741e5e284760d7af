"""The ``premier-policy`` command: the library's face for shells and other services.

Thin on purpose: parse the arguments, call the library, print. Exit status 0 when the
command did its job (a replay with refused events included), 2 when its input was not
usable (not JSON, not a scenario, a naive instant, a bad number), with one line on
standard error and nothing on standard output. ``serve`` runs the HTTP service (the
``serve`` extra, imported only then) until it is stopped.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import sys
from collections.abc import Sequence
from datetime import timedelta
from typing import TYPE_CHECKING, Any, NoReturn, TextIO

from premier_policy.base._errors import PolicyError
from premier_policy.base._instants import parse_instant
from premier_policy.shell._encoding import decode, encode, encode_outcome
from premier_policy.terms._policy import Policy

# Each command imports the rest of the library it needs when it runs: `due` and `quote`
# start in a fraction of the time the engine, the wire (cattrs) and the metadata take.
if TYPE_CHECKING:
    from premier_policy.base._events import Event
    from premier_policy.base._notifications import Notification
    from premier_policy.engine._replay import Trace
    from premier_policy.engine._world import World

__all__ = ["main"]

PROG = "premier-policy"
#: The bundled scenario ``demo`` replays (package data, read only by this command).
DEMO = "examples/demo.json"


class _UsageError(Exception):
    """Input the command cannot use: reported on one line, exit status 2."""


class _Printed(Exception):  # noqa: N818 - not an error: a line to print, then exit 0
    """An option that prints one line and ends the command, successfully (``--version``)."""


class _Version(argparse.Action):
    """``--version``: the installed distribution's version, from its metadata."""

    def __call__(self, parser: argparse.ArgumentParser, *_: object) -> NoReturn:
        from importlib import metadata

        raise _Printed(f"{PROG} {metadata.version(PROG)}")


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise _UsageError(message)


def _read_json(text: str, source: str) -> Any:
    try:
        return decode(text)
    except ValueError as error:  # JSONDecodeError and nesting too deep included
        raise _UsageError(f"{source} is not JSON: {error}") from None


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
    from importlib import resources

    return json.loads(resources.files("premier_policy").joinpath(DEMO).read_text("utf-8"))


def _dump(data: Any, out: TextIO, args: argparse.Namespace) -> None:
    out.write(encode(data, indent=args.indent))


def _dump_outcome(outcome: dict[str, Any], out: TextIO, args: argparse.Namespace) -> None:
    # The canonical text by the fast writer; --indent only lays it out for a reader.
    out.write(
        encode_outcome(outcome) if args.indent is None else encode(outcome, indent=args.indent)
    )


# --- the demo's timeline ----------------------------------------------------------------


def _what(event: Event, world: World) -> tuple[str, str | None]:
    """A short sentence for ``event`` and the customer it concerns (if known)."""
    from premier_policy.base._events import Invalidate, LogTime, Open, Purchase, RefundRequest
    from premier_policy.wire._events import EVENT_TYPES

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


def _notes(
    policy: Policy, notes: Sequence[Notification], out: TextIO, *, before: str | None = None
) -> None:
    """One line per notification, at its own instant, marked as a timer's (which fired by
    itself) when ``before`` is given: the event it preceded, or ``""`` for none."""
    for n in notes:
        if n.to == "customer":
            who, about = f"customer {n.customer}", n.incident
        else:
            who, about = "staff", n.customer if n.incident is None else f"{n.customer}/{n.incident}"
        suffix = f" ({about})" if about else ""
        label = "" if before is None else f"timer, before {before}: " if before else "timer: "
        print(f"    {policy.show(n.at):<21} {label}to {who}: {n.kind}{suffix}", file=out)


def _raw_instant(policy: Policy, raw: object) -> str:
    """The instant a malformed event says it has, if it can be read at all."""
    try:
        at = raw.get("at") if isinstance(raw, dict) else None
        return policy.show(parse_instant(at, policy.tz))
    except PolicyError:
        return "(no instant)"


_HEADING = """\
A replay in {zone}. Every line starts with its instant: an event (#n) and its verdict,
then who is told what, and the customer's usable credits after it. A line marked
"timer, before #n" was sent by a timer that fired by itself, earlier than event #n,
before that event was applied.
"""


def _timeline(done: Trace, out: TextIO, events: Sequence[object] = ()) -> None:
    """The replay ``done`` as lines for a reader; ``events`` are the document's raw
    events, for the instants of the malformed ones."""
    from premier_policy.base._refusal import Refusal
    from premier_policy.engine._world import World

    policy = done.policy
    print(_HEADING.format(zone=policy.tz.name), file=out)
    before = World(policy)
    for moment in done.moments:
        if moment.event is None:
            assert isinstance(moment.result, Refusal)
            raw = events[moment.index] if moment.index < len(events) else None
            when = _raw_instant(policy, raw)
            print(f"#{moment.index} {when}  malformed: {moment.result.message}", file=out)
            continue
        what, customer = _what(moment.event, before)
        at = moment.event.at
        shown = policy.show(at)
        verdict = (
            "accepted"
            if not isinstance(moment.result, Refusal)
            else f"REFUSED [{moment.result.rule}] {moment.result.message}"
        )
        print(f"#{moment.index} {shown}  {what}: {verdict}", file=out)
        # Timers fire strictly before the event; the event's own notices are at its instant.
        fired = [n for n in moment.notifications if n.at < at]
        _notes(policy, fired, out, before=f"#{moment.index}")
        _notes(policy, moment.notifications[len(fired) :], out)
        account = moment.world.accounts.get(customer) if customer is not None else None
        if account is not None:
            print(f"    {shown:<21} balance of {customer}: {account.balance(at)}", file=out)
        before = moment.world
    if done.as_of is not None:
        until = policy.show(done.as_of)
        print(
            f"\n#- {until}  until: the instant described, every timer due by then fired", file=out
        )
        _notes(policy, done.closing, out, before="")
        for customer, account in done.world.accounts.items():
            print(f"    {until:<21} balance of {customer}: {account.balance(done.as_of)}", file=out)
        nxt = done.world.next_event_at
        if nxt is None:
            print(f"#- {until}  next timer: none, nothing will happen by itself", file=out)
        else:
            _, sent = done.world.advance(nxt)
            print(
                f"#- {policy.show(nxt)}  next timer: the first instant after {until} at which "
                f"something happens by itself, unless an event comes first ({len(sent)} to "
                "send):",
                file=out,
            )
            _notes(policy, sent, out)


# --- the commands -----------------------------------------------------------------------


def _replay(args: argparse.Namespace, out: TextIO, stdin: TextIO) -> None:
    from premier_policy.engine._replay import replay

    _dump_outcome(replay(_read(args.file, stdin)), out, args)


def _demo(args: argparse.Namespace, out: TextIO, stdin: TextIO) -> None:
    from premier_policy.engine._replay import replay, trace

    document = _demo_document()
    if args.json:
        _dump_outcome(replay(document), out, args)
    else:
        _timeline(trace(document), out, document["events"])


def _due(args: argparse.Namespace, out: TextIO, stdin: TextIO) -> None:
    policy = Policy()
    started = parse_instant(args.instant, policy.tz, field="instant")
    if args.minutes is None and not (args.explain or args.json):
        print(policy.response_due(started).isoformat(), file=out)
        return
    minutes = policy.response_target_minutes if args.minutes is None else args.minutes
    deadline = policy.calendar.explain_add(started, timedelta(minutes=minutes))
    if args.json:
        _dump(deadline.as_dict(), out, args)
    elif args.explain:
        print("\n".join(deadline.lines()), file=out)
    else:
        print(deadline.due_at.isoformat(), file=out)


def _explain(args: argparse.Namespace, out: TextIO, stdin: TextIO) -> None:
    from premier_policy.engine import credit_ledger, incident_story

    document = _read(args.file, stdin)
    told = (
        incident_story(document, args.incident)
        if args.incident is not None
        else credit_ledger(document, args.customer)
    )
    if args.json:
        _dump(told.as_dict(), out, args)
    else:
        print("\n".join(told.lines()), file=out)


def _quote(args: argparse.Namespace, out: TextIO, stdin: TextIO) -> None:
    quote = Policy().catalog.quote(args.credits)
    for product, quantity in quote.items:
        each = f"{product.credits} credit{'s' if product.credits > 1 else ''}"
        print(f"{quantity} x {product.name} ({each}, {product.price})", file=out)
    print(f"total {quote.total} for {quote.credits} credits", file=out)


def _rules(args: argparse.Namespace, out: TextIO, stdin: TextIO) -> None:
    from premier_policy.base._rules import RULES

    width = max(len(rule_id) for rule_id in RULES)
    for rule_id, rule in RULES.items():
        print(f"{rule_id:<{width}}  {rule.summary}", file=out)


def _serve(args: argparse.Namespace, out: TextIO, stdin: TextIO) -> None:
    # Imported here: the core and the other commands never load the HTTP stack.
    try:
        import uvicorn

        from premier_policy.shell.service import create_app
    except ImportError as missing:
        raise _UsageError(
            f"serve needs the serve extra: pip install 'premier-policy[serve]' ({missing})"
        ) from None
    policy = Policy() if args.policy is None else _policy(_read(args.policy, stdin))
    service = create_app(policy, max_body_bytes=args.max_body_bytes)
    uvicorn.run(service, host=args.host, port=args.port, log_level=args.log_level)


def _policy(overrides: Any) -> Policy:
    """The policy a scenario with these ``policy`` overrides would replay under."""
    from premier_policy.engine._replay import trace

    return trace({"policy": overrides, "events": []}).policy


def _batch(args: argparse.Namespace, out: TextIO, stdin: TextIO) -> None:
    try:  # Dask only when batch runs, and only with the extra installed
        from premier_policy.shell import batch
    except ImportError as error:
        raise _UsageError(
            f"batch needs the batch extra ({error.name} is missing): "
            "pip install 'premier-policy[batch]'"
        ) from None
    batch.run(
        log=args.log,
        policy=args.policy,
        against=args.against,
        workers=args.workers,
        scheduler=args.scheduler,
        until=args.until,
        partitions=args.partitions,
        json_out=args.json,
        chart_out=args.chart,
        out=out,
    )


def _positive(text: str) -> int:
    count = _count(text)
    if count < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number of at least 1, got {text!r}")
    return count


def _count(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None


def _port(text: str) -> int:
    port = _count(text)
    if not 0 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"a TCP port is from 0 to 65535, got {port}")
    return port


def _indent(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--indent",
        type=_count,
        metavar="N",
        help="lay the JSON out with N spaces a level, for reading (default: compact)",
    )


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(prog=PROG, description="Premier Support policy, from the shell.")
    parser.add_argument("--version", action=_Version, nargs=0, help="print the version and exit")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def command(name: str, summary: str) -> argparse.ArgumentParser:
        return commands.add_parser(name, help=summary, description=summary)

    run = command("replay", "replay a JSON scenario and print the JSON outcome")
    run.add_argument("file", metavar="FILE", help="the scenario, or - for standard input")
    _indent(run)
    run.set_defaults(handler=_replay)
    demo = command("demo", "replay the bundled example as a readable timeline")
    demo.add_argument("--json", action="store_true", help="print the raw JSON outcome instead")
    _indent(demo)
    demo.set_defaults(handler=_demo)
    due = command("due", "when a response is due for an incident waiting from INSTANT")
    due.add_argument("instant", metavar="INSTANT", help="ISO 8601 with a UTC offset")
    due.add_argument(
        "--minutes", type=_count, metavar="N", help="business minutes (default: the target)"
    )
    due.add_argument("--explain", action="store_true", help="say which open spans count")
    due.add_argument("--json", action="store_true", help="the explanation as JSON")
    _indent(due)
    due.set_defaults(handler=_due)
    explain = command(
        "explain", "replay FILE and tell one incident's story or one customer's credits"
    )
    explain.add_argument("file", metavar="FILE", help="the scenario, or - for standard input")
    about = explain.add_mutually_exclusive_group(required=True)
    about.add_argument("--incident", metavar="ID", help="every step that touched incident ID")
    about.add_argument("--customer", metavar="ID", help="every move of customer ID's credits")
    explain.add_argument("--json", action="store_true", help="the same as JSON")
    _indent(explain)
    explain.set_defaults(handler=_explain)
    quote = command("quote", "the cheapest way to buy exactly N credits")
    quote.add_argument("credits", metavar="N", type=_count, help="how many credits")
    quote.set_defaults(handler=_quote)
    what = command("batch", "what-if replay of a JSON-lines event log on Dask, by policy")
    what.add_argument("log", metavar="LOG", help="the event log: one event a line")
    what.add_argument("--policy", required=True, metavar="A.json", help="a scenario policy")
    what.add_argument("--against", metavar="B.json", help="a second policy, side by side")
    where = what.add_mutually_exclusive_group()
    where.add_argument("--workers", type=_positive, metavar="N", help="local worker processes")
    where.add_argument("--scheduler", metavar="ADDRESS", help="a running Dask scheduler")
    what.add_argument("--until", metavar="INSTANT", help="the instant to report on")
    what.add_argument("--partitions", type=_positive, metavar="N", help="how finely to split")
    what.add_argument("--json", metavar="OUT", help="write the report as JSON")
    what.add_argument("--chart", metavar="OUT.png", help="draw the weekly breach rate")
    what.set_defaults(handler=_batch)
    rules = command("rules", "every rule ID with its one-line summary")
    rules.set_defaults(handler=_rules)
    serve = command("serve", "answer the same questions over HTTP (needs the serve extra)")
    serve.add_argument("--host", default="127.0.0.1", help="the address to listen on")
    serve.add_argument("--port", type=_port, default=8000, help="the TCP port (default 8000)")
    serve.add_argument(
        "--policy",
        metavar="FILE",
        help="a JSON file of policy overrides, as a scenario's policy (- for standard input)",
    )
    serve.add_argument(
        "--max-body-bytes",
        metavar="N",
        type=_count,
        default=10_000_000,
        help="refuse POST /replay bodies over N bytes with 413 (default 10,000,000)",
    )
    serve.add_argument(
        "--log-level",
        choices=["critical", "error", "warning", "info", "debug"],
        default="info",
        help="the server's log level; info logs each request (default)",
    )
    serve.set_defaults(handler=_serve)
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
    except _Printed as printed:  # --version
        print(printed, file=out)
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
