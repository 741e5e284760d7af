"""The HTTP service: the library's answers over HTTP, JSON errors for bad input, never a 5xx.

In process through httpx's ASGI transport (what coverage measures), then against a real
uvicorn started by ``premier-policy serve`` on a free loopback port.
"""

from __future__ import annotations

import asyncio
import io
import json
import random
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpx
import jsonschema
import pendulum
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from starlette.applications import Starlette
from starlette.types import Message

from premier_policy import RULES, Calendar, Catalog, Policy, PolicyError, RuleId, replay
from premier_policy.shell._encoding import decode, encode
from premier_policy.shell.cli import main
from premier_policy.shell.service import MAX_BODY_BYTES, app, create_app, openapi
from premier_policy.strategies import instants, scenarios

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = sorted((ROOT / "examples").glob("*.json"))
DOCUMENT = openapi()
PATHS = ["/replay", "/due", "/quote", "/rules", "/health", "/openapi.json"]
FRIDAY_EVENING = "2026-11-27T18:30:00+01:00"


def call(
    method: str,
    url: str,
    *,
    service: Starlette = app,
    content: bytes | None = None,
    params: Any = None,
    headers: dict[str, str] | None = None,
) -> httpx.Response:
    """One request to ``service`` in process, as an HTTP client would send it."""

    async def send() -> httpx.Response:
        transport = httpx.ASGITransport(app=service)
        async with httpx.AsyncClient(transport=transport, base_url="http://policy") as client:
            return await client.request(
                method, url, content=content, params=params, headers=headers
            )

    return asyncio.run(send())


def resolve(pointer: str) -> Any:
    """The node of the OpenAPI document that the local reference ``pointer`` names."""
    assert pointer.startswith("#/"), pointer
    node: Any = DOCUMENT
    for part in pointer[2:].split("/"):
        node = node[part.replace("~1", "/").replace("~0", "~")]
    return node


def validate(name: str, instance: Any) -> None:
    """``instance`` matches the component ``name``, references resolved in the document."""
    root = {**DOCUMENT, "$schema": "https://json-schema.org/draft/2020-12/schema"}
    validator = jsonschema.Draft202012Validator({**root, "$ref": f"#/components/schemas/{name}"})
    validator.validate(instance)


# --- POST /replay -------------------------------------------------------------------------


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda path: path.stem)
def test_replay_answers_the_outcome_in_the_cli_encoding(example: Path) -> None:
    """POST /replay: 200 with exactly the text premier-policy replay prints."""
    text = example.read_text(encoding="utf-8")
    answer = call("POST", "/replay", content=text.encode("utf-8"))
    assert answer.status_code == 200
    assert answer.headers["content-type"] == "application/json"
    assert answer.text == encode(replay(json.loads(text)))


def cli_replay(text: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    status = main(["replay", "-"], stdout=out, stderr=err, stdin=io.StringIO(text))
    return status, out.getvalue(), err.getvalue()


def assert_same_as_cli(text: str) -> None:
    status, out, err = cli_replay(text)
    answer = call("POST", "/replay", content=text.encode("utf-8"))
    if status == 0:
        assert (answer.status_code, answer.text) == (200, out)
    else:
        assert status == 2
        assert answer.status_code == 400
        validate("Error", answer.json())
        assert err.startswith("premier-policy: ")
        # The CLI names its source (standard input); the service says "the body".
        said = answer.json()["error"].replace("the body", "standard input")
        assert err == f"premier-policy: {said}\n"


@pytest.mark.parametrize(
    "text",
    [
        "not json",
        '{"events": [NaN]}',
        "[1, 2]",
        '{"policy": {}}',
        '{"events": [], "policy": {"timezone": "Mars/Base"}}',
        '{"events": [], "until": "tomorrow"}',
        '{"events": [], "until": "2026-11-27T10:00:00"}',
        '{"events": [{"at": "2026-11-27T10:00:00", "type": "purchase"}]}',
        '{"events": [], "surprise": 1}',
        "[" * 50_000,
        "",
    ],
)
def test_replay_answers_400_exactly_when_the_cli_exits_2(text: str) -> None:
    """Exit 0 is 200 with the same outcome, naive `at` included; exit 2 is 400 naming it."""
    assert_same_as_cli(text)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=8),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=8,
)
near_scenarios = st.one_of(
    scenarios(valid="mixed", max_size=6),
    st.fixed_dictionaries({"events": st.lists(json_values, max_size=3)}),
    st.dictionaries(st.sampled_from(["events", "policy", "until", "x"]), json_values, max_size=3),
    json_values,
)


# Fewer examples than the profile's: each runs the CLI and the app, and the fuzz below
# sends the same documents again.
@settings(max_examples=100)
@given(near_scenarios)
def test_replay_agrees_with_the_cli_on_any_document(document: Any) -> None:
    """Scenarios valid or broken, and JSON that is not one: 200 iff the CLI exits 0."""
    assert_same_as_cli(json.dumps(document))


def test_replay_refuses_a_body_that_is_not_utf8() -> None:
    """Bytes that are not UTF-8 are a 400, not a 500."""
    answer = call("POST", "/replay", content=b'{"events": ["caf\xe9"]}')
    assert answer.status_code == 400
    assert "not UTF-8" in answer.json()["error"]


def test_replay_takes_no_query_parameters() -> None:
    """POST /replay?...: the scenario is the body; a parameter is refused, naming it."""
    answer = call("POST", "/replay", params={"until": "tomorrow"}, content=b'{"events": []}')
    assert answer.status_code == 400
    assert answer.json()["field"] == "until"


# --- the body limit -----------------------------------------------------------------------


def small_service(limit: int) -> Starlette:
    return create_app(max_body_bytes=limit)


def test_a_body_at_the_limit_is_read() -> None:
    """A body of exactly max_body_bytes bytes is replayed; one byte more is 413."""
    body = b'{"events": []}'
    service = small_service(len(body))
    assert call("POST", "/replay", service=service, content=body).status_code == 200
    answer = call("POST", "/replay", service=service, content=body + b" ")
    assert answer.status_code == 413
    assert answer.json()["error"] == f"the body is over the limit of {len(body):,} bytes"


async def _raw(
    service: Starlette, headers: list[tuple[bytes, bytes]], messages: list[Message]
) -> tuple[list[Message], int]:
    """Drive ``service`` with ASGI messages directly; returns what it sent and how many
    messages it asked for."""
    asked = 0
    pending = list(messages)
    sent: list[Message] = []

    async def receive() -> Message:
        nonlocal asked
        asked += 1
        return pending.pop(0) if pending else {"type": "http.disconnect"}

    async def send(message: Message) -> None:
        sent.append(message)

    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": "/replay",
        "raw_path": b"/replay",
        "query_string": b"",
        "root_path": "",
        "headers": headers,
        "client": ("127.0.0.1", 50000),
        "server": ("policy", 80),
    }
    await service(scope, receive, send)
    return sent, asked


def raw(
    headers: list[tuple[bytes, bytes]], messages: list[Message], *, limit: int = 100
) -> tuple[int, bytes, int]:
    sent, asked = asyncio.run(_raw(small_service(limit), headers, messages))
    start = next(m for m in sent if m["type"] == "http.response.start")
    body = b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")
    return start["status"], body, asked


def chunk(data: bytes, *, more: bool = True) -> Message:
    return {"type": "http.request", "body": data, "more_body": more}


def test_a_declared_length_over_the_limit_is_refused_unread() -> None:
    """Content-Length over the limit: 413 before a single byte of the body is read."""
    status, body, asked = raw([(b"content-length", b"101")], [chunk(b"x" * 101, more=False)])
    assert (status, asked) == (413, 0)
    assert json.loads(body)["error"] == "the body is over the limit of 100 bytes"


def test_a_streamed_body_is_refused_as_soon_as_it_passes_the_limit() -> None:
    """No declared length (chunked): the read stops at the chunk that passes the limit,
    and the chunks after it are never asked for."""
    chunks = [chunk(b"x" * 60), chunk(b"x" * 60), *[chunk(b"x" * 60) for _ in range(10)]]
    status, _, asked = raw([], chunks)
    assert (status, asked) == (413, 2)


def test_a_streamed_body_within_the_limit_is_replayed() -> None:
    """A body sent in pieces is joined before it is read as JSON."""
    status, body, _ = raw([], [chunk(b'{"events"'), chunk(b": []}", more=False)])
    assert status == 200
    assert json.loads(body)["results"] == []


@pytest.mark.parametrize("declared", [b"ten", b"-1", b"\xb2"])
def test_a_content_length_that_is_not_a_number_is_400(declared: bytes) -> None:
    """A Content-Length header that is not a count of bytes: 400, not 500."""
    status, body, asked = raw([(b"content-length", declared)], [chunk(b"{}", more=False)])
    assert (status, asked) == (400, 0)
    assert "Content-Length" in json.loads(body)["error"]


def test_a_client_that_leaves_mid_body_gets_no_500() -> None:
    """The client disconnects before the body ends: nothing to answer, no server error."""
    status, _, _ = raw([], [chunk(b'{"events"'), {"type": "http.disconnect"}])
    assert status == 400


# --- GET /due -----------------------------------------------------------------------------


def due(at: str, **params: str) -> httpx.Response:
    return call("GET", "/due", params={"at": at, **params})


@pytest.mark.parametrize(
    ("at", "due_at"),
    [
        # response.target: 30 minutes on Friday, 90 on Monday.
        (FRIDAY_EVENING, "2026-11-30T09:30:00+01:00"),
        # 19:00 sharp is closed ([08:00, 19:00)): the count starts on Monday at 08:00.
        ("2026-11-27T19:00:00+01:00", "2026-11-30T10:00:00+01:00"),
        # The DST weekend of March: Friday in CET, Monday in CEST.
        ("2026-03-27T18:30:00+01:00", "2026-03-30T09:30:00+02:00"),
        # The DST weekend of October: Friday in CEST, Monday in CET.
        ("2026-10-23T18:00:00+02:00", "2026-10-26T09:00:00+01:00"),
        # Another offset, the same instant: the answer is in the policy zone.
        ("2026-11-27T17:30:00Z", "2026-11-30T09:30:00+01:00"),
    ],
)
def test_due_named_instants(at: str, due_at: str) -> None:
    """GET /due: the response target from named instants, in the policy's zone."""
    answer = due(at)
    assert answer.status_code == 200
    assert answer.json()["due_at"] == due_at
    assert answer.json()["minutes"] == 120


@settings(max_examples=150)
@given(instants(), st.none() | st.integers(1, 20_000))
def test_due_is_the_library_answer(at: pendulum.DateTime, minutes: int | None) -> None:
    """Any instant and span: the due instant the library computes, written as the CLI does."""
    policy = Policy()
    params = {} if minutes is None else {"minutes": str(minutes)}
    answer = due(at.isoformat(), **params)
    assert answer.status_code == 200
    validate("Due", answer.json())
    if minutes is None:
        expected = policy.response_due(at)
        status, out, _ = run_cli("due", at.isoformat())
        assert (status, out) == (0, expected.isoformat() + "\n")
    else:
        expected = policy.calendar.add(at, timedelta(minutes=minutes))
    assert answer.json() == {
        "at": policy.local(at).isoformat(),
        "minutes": policy.response_target_minutes if minutes is None else minutes,
        "due_at": expected.isoformat(),
    }


def run_cli(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    return main(list(argv), stdout=out, stderr=err), out.getvalue(), err.getvalue()


def test_due_refuses_a_naive_instant() -> None:
    """input.aware-only: an instant without an offset is a 400 naming the rule and `at`."""
    answer = due("2026-11-27T18:30:00")
    assert answer.status_code == 400
    assert answer.json() == {
        "error": "input.aware-only: at: naive datetime 2026-11-27T18:30:00; "
        "give it a UTC offset or a zone",
        "rule": "input.aware-only",
        "field": "at",
    }


def test_a_plus_sent_unencoded_is_named() -> None:
    """A raw + in the query string reads as a space: the error says to send %2B."""
    answer = call("GET", f"/due?at={FRIDAY_EVENING}")
    assert answer.status_code == 400
    body = answer.json()
    assert (body["rule"], body["field"]) == ("input.malformed", "at")
    assert "send a + in an offset as %2B" in body["error"]
    assert call("GET", "/due?at=2026-11-27T18:30:00%2B01:00").status_code == 200


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"at": "next friday"}, "at"),
        ({"at": "2026-02-30T10:00:00+01:00"}, "at"),
        ({"at": "x" * 5_000}, "at"),
        ({}, "at"),
        ({"at": FRIDAY_EVENING, "minutes": "0"}, "minutes"),
        ({"at": FRIDAY_EVENING, "minutes": "-5"}, "minutes"),
        ({"at": FRIDAY_EVENING, "minutes": "1.5"}, "minutes"),
        ({"at": FRIDAY_EVENING, "minutes": ""}, "minutes"),
        ({"at": FRIDAY_EVENING, "minutes": "٣"}, "minutes"),
        ({"at": FRIDAY_EVENING, "minutes": "9" * 5_000}, "minutes"),
        ({"at": FRIDAY_EVENING, "minutes": "9" * 17}, "minutes"),
        ({"at": FRIDAY_EVENING, "tz": "UTC"}, "tz"),
    ],
)
def test_due_refuses_unusable_parameters(params: dict[str, str], field: str) -> None:
    """A malformed instant, a minutes that is not a whole number >= 1, a missing or
    unknown parameter: 400 naming the parameter."""
    answer = call("GET", "/due", params=params)
    assert answer.status_code == 400
    assert answer.json()["field"] == field
    assert len(answer.json()["error"]) < 300


def test_due_beyond_the_calendar_is_the_library_refusal() -> None:
    """A span no calendar reaches: the library's own error (hours.arithmetic), as a 400."""
    answer = due(FRIDAY_EVENING, minutes=str(10**10))
    assert answer.status_code == 400
    assert answer.json()["rule"] == "hours.arithmetic"


def test_a_parameter_given_twice_is_refused() -> None:
    """Two values for one parameter: 400 naming it, not a silent pick."""
    answer = call("GET", "/due", params=[("at", FRIDAY_EVENING), ("at", FRIDAY_EVENING)])
    assert answer.status_code == 400
    assert answer.json()["error"] == "input.malformed: at: given more than once"


# --- GET /quote, /rules, /health ----------------------------------------------------------


@settings(max_examples=50)
@given(st.integers(1, 400))
def test_quote_is_the_catalog_quote(credits: int) -> None:
    """GET /quote: the basket Catalog.quote chooses, with its prices and total."""
    basket = Policy().catalog.quote(credits)
    answer = call("GET", "/quote", params={"credits": str(credits)})
    assert answer.status_code == 200
    validate("Quote", answer.json())
    assert answer.json() == {
        "credits": credits,
        "items": [
            {"product": p.name, "credits": p.credits, "price": p.price.amount_text, "quantity": n}
            for p, n in basket.items
        ],
        "total": basket.total.amount_text,
        "currency": "USD",
    }


@pytest.mark.parametrize(
    ("credits", "rule"),
    [("0", "input.malformed"), ("four", "input.malformed"), ("100001", "credits.catalog")],
)
def test_quote_refuses_what_is_not_a_count(credits: str, rule: str) -> None:
    """credits must be a whole number from 1 to the catalog's bound: 400 naming `credits`."""
    answer = call("GET", "/quote", params={"credits": credits})
    assert answer.status_code == 400
    assert (answer.json()["rule"], answer.json()["field"]) == (rule, "credits")


def test_rules_lists_every_rule() -> None:
    """GET /rules: every rule of the registry, in its order, with its summary."""
    answer = call("GET", "/rules")
    validate("Rules", answer.json())
    rules = answer.json()["rules"]
    assert [r["id"] for r in rules] == [str(rule_id) for rule_id in RULES]
    assert rules[0]["summary"] == RULES[RuleId(rules[0]["id"])].summary


def test_health() -> None:
    """GET /health answers ok; a parameter it does not take is refused."""
    assert call("GET", "/health").json() == {"status": "ok"}
    assert call("GET", "/health", params={"verbose": "1"}).json()["field"] == "verbose"


def test_a_custom_policy_answers_due_and_quote() -> None:
    """create_app(policy): /due and /quote answer under that policy, not the default."""
    policy = Policy(
        calendar=Calendar(timezone="America/New_York"),
        catalog=Catalog.from_prices("EUR", {"single": (1, "70.00")}),
        response_target_minutes=60,
    )
    service = create_app(policy)
    answer = call("GET", "/due", service=service, params={"at": "2026-11-27T18:30:00-05:00"})
    assert answer.json() == {
        "at": "2026-11-27T18:30:00-05:00",
        "minutes": 60,
        "due_at": "2026-11-30T08:30:00-05:00",
    }
    basket = call("GET", "/quote", service=service, params={"credits": "2"}).json()
    assert (basket["total"], basket["currency"]) == ("140.00", "EUR")


@pytest.mark.parametrize(
    ("arguments", "field"),
    [
        ({"policy": "Europe/Paris"}, "policy"),
        ({"max_body_bytes": 0}, "max_body_bytes"),
        ({"max_body_bytes": True}, "max_body_bytes"),
        ({"max_body_bytes": 1.5}, "max_body_bytes"),
    ],
)
def test_create_app_refuses_bad_options(arguments: dict[str, Any], field: str) -> None:
    """create_app checks its options when called: a PolicyError naming the option."""
    with pytest.raises(PolicyError) as caught:
        create_app(**arguments)
    assert caught.value.field == field


def test_the_default_limit_is_ten_megabytes() -> None:
    """The body limit defaults to 10 MB."""
    assert MAX_BODY_BYTES == 10_000_000


# --- methods, paths, and the OpenAPI document ---------------------------------------------


@pytest.mark.parametrize(
    ("method", "path", "allow"),
    [("GET", "/replay", "POST"), ("POST", "/due", "GET, HEAD"), ("DELETE", "/health", "GET, HEAD")],
)
def test_a_wrong_method_is_405_with_allow(method: str, path: str, allow: str) -> None:
    """A known path with the wrong method: 405, the Allow header, a JSON error."""
    answer = call(method, path)
    assert answer.status_code == 405
    # Starlette keeps the methods in a set: their order in the header varies.
    assert set(answer.headers["allow"].split(", ")) == set(allow.split(", "))
    assert answer.json()["error"] == f"{method} is not allowed on {path}"


def test_an_unknown_path_is_404() -> None:
    """An unknown path: 404 with a JSON error naming it."""
    answer = call("GET", "/v2/due")
    assert answer.status_code == 404
    assert answer.json() == {"error": "no such path: /v2/due", "rule": None, "field": None}


def test_openapi_reuses_the_shipped_schemas() -> None:
    """/openapi.json: OpenAPI 3.1, its Scenario and Outcome the shipped schemas with their
    references pointed into the document."""
    served = call("GET", "/openapi.json").json()
    assert served == DOCUMENT
    assert served["openapi"].startswith("3.1.")
    for name, component in [("scenario", "Scenario"), ("outcome", "Outcome")]:
        shipped = json.loads(
            resources.files("premier_policy").joinpath(f"schemas/{name}.schema.json").read_text()
        )
        prefix = f"#/components/schemas/{component}/"
        text = json.dumps(served["components"]["schemas"][component]).replace(prefix, "#/")
        assert json.loads(text) == {k: v for k, v in shipped.items() if k != "$id"}


def references(node: Any) -> Iterator[str]:
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref":
                yield value
            else:
                yield from references(value)
    elif isinstance(node, list):
        for item in node:
            yield from references(item)


def test_openapi_references_all_resolve() -> None:
    """Every $ref of the document points at a node of the document."""
    found = list(references(DOCUMENT))
    assert len(found) > 50
    for pointer in found:
        assert isinstance(resolve(pointer), dict), pointer


def test_openapi_describes_exactly_the_routes() -> None:
    """Each route of the app has its path and method in the document, and no more."""
    routes = {(route.path, method) for route in app.routes for method in route.methods or ()}  # type: ignore[attr-defined]
    described = {
        (path, method.upper()) for path, item in DOCUMENT["paths"].items() for method in item
    }
    assert described == {(path, method) for path, method in routes if method != "HEAD"}
    assert sorted(DOCUMENT["paths"]) == sorted(PATHS)


def test_the_shipped_schemas_validate_through_the_document() -> None:
    """The Scenario component accepts the examples; the Outcome one, their outcomes."""
    for example in EXAMPLES:
        document = json.loads(example.read_text(encoding="utf-8"))
        validate("Scenario", document)
        validate("Outcome", replay(document))
    with pytest.raises(jsonschema.ValidationError):
        validate("Scenario", {"events": [], "surprise": 1})


# --- fuzz ---------------------------------------------------------------------------------

methods = st.sampled_from(["GET", "POST", "PUT", "DELETE", "HEAD", "OPTIONS", "PATCH"])
paths = st.sampled_from(PATHS) | st.text(max_size=12).map(lambda text: "/" + quote(text))
instant_texts = st.one_of(
    instants().map(lambda t: t.isoformat()),
    instants().map(lambda t: t.naive().isoformat()),
    instants().map(lambda t: t.isoformat().replace("+", " ")),
    st.text(max_size=30),
)
values = instant_texts | st.integers(-5, 10**12).map(str) | st.text(max_size=10)
names = st.sampled_from(["at", "minutes", "credits"]) | st.text(max_size=6)
bodies = st.one_of(
    st.none(),
    st.binary(max_size=64),
    near_scenarios.map(lambda doc: json.dumps(doc).encode("utf-8")),
)


@given(methods, paths, st.lists(st.tuples(names, values), max_size=3), bodies)
def test_fuzz_never_a_server_error(
    method: str, path: str, params: list[tuple[str, str]], body: bytes | None
) -> None:
    """Any method, path, parameters and body: never a 5xx; every answer is JSON, an error
    shaped as the document says and a success matching its declared schema."""
    answer = call(method, path, params=params, content=body)
    assert answer.status_code < 500
    if method == "HEAD":
        assert answer.content == b""
        return
    assert answer.headers["content-type"] == "application/json"
    data = decode(answer.text)
    if answer.status_code >= 400:
        validate("Error", data)
        return
    declared = DOCUMENT["paths"][path][method.lower()]["responses"]["200"]
    validate(declared["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[1], data)


# --- the real server ----------------------------------------------------------------------

#: The policy the real server is started with (--policy FILE), and the same policy built
#: in Python, which every answer is checked against.
OVERRIDES = {"timezone": "America/New_York", "response_target_minutes": 90, "currency": "EUR"}
SERVED = Policy(
    calendar=Calendar(timezone="America/New_York"),
    catalog=Catalog.from_prices("EUR", {"single": (1, "75.00"), "bundle-3": (3, "225.00")}),
    response_target_minutes=90,
)
SERVED_LIMIT = 200_000


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def wait_for_health(base: str, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"the server stopped ({process.returncode}): {log.read_text()}")
        try:
            if httpx.get(f"{base}/health", timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            time.sleep(0.05)
    pytest.fail(f"no answer on {base}/health within 30 s: {log.read_text()}")


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """``premier-policy serve`` in a process of its own on a free loopback port; its base
    URL. Stopped with SIGTERM afterwards, as a process manager stops it: a clean shutdown."""
    folder = tmp_path_factory.mktemp("serve")
    policy_file = folder / "policy.json"
    policy_file.write_text(json.dumps(OVERRIDES), encoding="utf-8")
    log = folder / "server.log"
    port = free_port()
    command = [sys.executable, "-m", "premier_policy", "serve", "--port", str(port),
               "--policy", str(policy_file), "--max-body-bytes", str(SERVED_LIMIT)]  # fmt: skip
    with log.open("wb") as output:
        process = subprocess.Popen(command, stdout=output, stderr=subprocess.STDOUT)
    try:
        base = f"http://127.0.0.1:{port}"
        wait_for_health(base, process, log)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:  # pragma: no cover - only when shutdown hangs
            process.kill()
            process.wait()
    # uvicorn shuts down gracefully on SIGTERM, then ends by the signal it was sent.
    said = log.read_text()
    assert process.returncode == -signal.SIGTERM, said
    assert "Finished server process" in said
    assert "Traceback" not in said


def expected(request: tuple[str, str, Any, bytes | None]) -> tuple[int, Any]:
    """What the library says to one request, as (status, JSON body)."""
    _, path, params, body = request
    if path == "/replay":
        assert body is not None
        try:
            return 200, replay(json.loads(body))
        except PolicyError as error:
            return 400, str(error)
    if path == "/due":
        at = SERVED.local(pendulum.parse(params["at"]))
        minutes = int(params.get("minutes", SERVED.response_target_minutes))
        due_at = SERVED.calendar.add(at, timedelta(minutes=minutes))
        return 200, {"at": at.isoformat(), "minutes": minutes, "due_at": due_at.isoformat()}
    if path == "/quote":
        basket = SERVED.catalog.quote(int(params["credits"]))
        return 200, basket.total.amount_text
    if path == "/rules":
        return 200, len(RULES)
    return 200, {"status": "ok"}


def mixed_requests(seed: int, count: int) -> list[tuple[str, str, Any, bytes | None]]:
    """``count`` requests of every kind, drawn from ``seed``."""
    rng = random.Random(seed)
    start = pendulum.datetime(2026, 1, 1, tz="America/New_York")
    week = json.dumps(json.loads(EXAMPLES[0].read_text(encoding="utf-8"))).encode("utf-8")
    made: list[tuple[str, str, Any, bytes | None]] = []
    for _ in range(count):
        kind = rng.randrange(6)
        at = start.add(minutes=rng.randrange(0, 525_600)).isoformat()
        if kind == 0:
            made.append(("GET", "/due", {"at": at}, None))
        elif kind == 1:
            made.append(("GET", "/due", {"at": at, "minutes": str(rng.randrange(1, 5_000))}, None))
        elif kind == 2:
            made.append(("GET", "/quote", {"credits": str(rng.randrange(1, 50))}, None))
        elif kind == 3:
            made.append(("POST", "/replay", None, week))
        elif kind == 4:
            made.append(("POST", "/replay", None, b'{"events": 3}'))
        else:
            made.append(("GET", rng.choice(["/rules", "/health"]), None, None))
    return made


def check(answer: httpx.Response, request: tuple[str, str, Any, bytes | None]) -> None:
    status, want = expected(request)
    assert answer.status_code == status, (request, answer.text)
    got = answer.json()
    if request[1] == "/replay" and status == 400:
        assert got["error"] == want
    elif request[1] == "/quote":
        assert got["total"] == want
    elif request[1] == "/rules":
        assert len(got["rules"]) == want
    else:
        assert got == want


def test_the_real_server_answers_each_endpoint(server: str) -> None:
    """Over loopback HTTP, each endpoint answers as the library under the served policy."""
    with httpx.Client(base_url=server) as client:
        for request in mixed_requests(seed=0, count=30):
            method, path, params, body = request
            check(client.request(method, path, params=params, content=body), request)
        assert client.get("/openapi.json").json() == DOCUMENT
        naive = client.get("/due", params={"at": "2026-11-27T18:30:00"})
        assert (naive.status_code, naive.json()["rule"]) == (400, "input.aware-only")
        assert client.get("/nowhere").status_code == 404
        assert client.put("/due").status_code == 405


def test_the_real_server_refuses_a_large_body_with_413(server: str) -> None:
    """Over a real socket: a body over --max-body-bytes is a 413, and the server goes on."""
    with httpx.Client(base_url=server) as client:
        answer = client.post("/replay", content=b" " * (SERVED_LIMIT + 1))
        assert answer.status_code == 413
    assert httpx.get(f"{server}/health").status_code == 200


def test_sixteen_concurrent_clients(server: str) -> None:
    """16 clients x 50 mixed requests at once: every answer is the library's."""

    def client_session(seed: int) -> int:
        requests = mixed_requests(seed=seed, count=50)
        with httpx.Client(base_url=server, timeout=60) as client:
            for request in requests:
                method, path, params, body = request
                check(client.request(method, path, params=params, content=body), request)
        return len(requests)

    with ThreadPoolExecutor(max_workers=16) as pool:
        done = list(pool.map(client_session, range(1, 17)))
    assert sum(done) == 800
