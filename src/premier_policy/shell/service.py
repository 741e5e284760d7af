"""The HTTP face of the library, for services that keep asking: an ASGI app (Starlette).

Thin on purpose: read the request, call the library, write the answer in the shell's one
JSON encoding, the one ``premier-policy replay`` prints. Every answer is the library's
own; no rule is decided here.

- ``POST /replay``: a scenario in, its outcome out (200), as ``premier-policy replay``;
  a body that is not UTF-8 JSON or not a scenario is 400, one over the size limit 413.
- ``GET /due?at=INSTANT[&minutes=N]``: when a response is due for an incident waiting
  on staff from ``at``, ``minutes`` business minutes later (default: the policy's
  response target).
- ``GET /quote?credits=N``: the cheapest basket of exactly N credits.
- ``GET /rules``, ``GET /health``, ``GET /openapi.json`` (OpenAPI 3.1, with the shipped
  JSON Schemas of the scenario and the outcome).

Every error is JSON, ``{"error": ..., "rule": ..., "field": ...}``, never a traceback:
400 for unusable input, 404 for an unknown path, 405 for a wrong method, 413 for a body
over the limit. Run it with ``premier-policy serve`` or any ASGI server::

    uvicorn premier_policy.shell.service:app

>>> import asyncio, httpx
>>> async def get(path, **params):
...     transport = httpx.ASGITransport(app=create_app())
...     async with httpx.AsyncClient(transport=transport, base_url="http://policy") as client:
...         return await client.get(path, params=params)
>>> asyncio.run(get("/due", at="2026-11-27T18:30:00+01:00")).json()
{'at': '2026-11-27T18:30:00+01:00', 'minutes': 120, 'due_at': '2026-11-30T09:30:00+01:00'}
>>> answer = asyncio.run(get("/due", at="2026-11-27T18:30:00"))
>>> answer.status_code, answer.json()["rule"], answer.json()["field"]
(400, 'input.aware-only', 'at')
"""

from __future__ import annotations

import copy
import re
from collections.abc import Awaitable, Callable, Collection, Mapping
from datetime import datetime, timedelta
from importlib import resources
from typing import Any, Final

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import ClientDisconnect, Request
from starlette.responses import Response
from starlette.routing import Route

from premier_policy import RULES, Policy, PolicyError, RuleId, replay
from premier_policy.base._echo import named
from premier_policy.shell._encoding import decode, encode, encode_outcome

__all__ = ["MAX_BODY_BYTES", "app", "create_app", "openapi"]

#: The default limit on a ``POST /replay`` body: 10 MB (the 10,000-event benchmark
#: scenario, indented as the shell writes it, is 1.3 MB).
MAX_BODY_BYTES: Final = 10_000_000

_JSON: Final = "application/json"
_DIGITS: Final = re.compile(r"[0-9]+")
#: Python reads at most 4,300 digits into an int; no count here needs more than a few.
_MAX_DIGITS: Final = 100
_DEFAULT_POLICY: Final = Policy()

Endpoint = Callable[[Request], Awaitable[Response]]


# --- answers ----------------------------------------------------------------------------


def _json(data: Any, status: int = 200, headers: Mapping[str, str] | None = None) -> Response:
    return Response(encode(data).encode("utf-8"), status, headers, media_type=_JSON)


def _error(
    status: int,
    message: str,
    *,
    rule: str | None = None,
    field: str | None = None,
    headers: Mapping[str, str] | None = None,
) -> Response:
    return _json({"error": message, "rule": rule, "field": field}, status, headers)


def _refused(error: PolicyError) -> Response:
    """A 400 for input the library refused, with its sentence, rule ID and field."""
    rule = None if error.rule is None else str(error.rule)
    return _error(400, str(error), rule=rule, field=error.field)


async def _http_error(request: Request, exc: Exception) -> Response:
    """Starlette's own errors (404, 405) as the service's JSON errors."""
    assert isinstance(exc, HTTPException)
    if exc.status_code == 405:
        message = f"{request.method} is not allowed on {request.url.path}"
    else:
        message = f"no such path: {request.url.path}"
    return _error(exc.status_code, message, headers=exc.headers)


# --- reading a request ------------------------------------------------------------------


def _params(
    request: Request, *, required: Collection[str] = (), optional: Collection[str] = ()
) -> dict[str, str]:
    """The query parameters, each at most once, none unknown, the required ones present."""
    found: dict[str, str] = {}
    for name, value in request.query_params.multi_items():
        if name not in required and name not in optional:
            takes = ", ".join([*required, *optional]) or "no parameters"
            raise PolicyError(
                f"unknown query parameter; {request.url.path} takes {takes}",
                rule=RuleId.INPUT_MALFORMED,
                field=named(name),
            )
        if name in found:
            raise PolicyError("given more than once", rule=RuleId.INPUT_MALFORMED, field=name)
        found[name] = value
    for name in required:
        if name not in found:
            raise PolicyError("missing", rule=RuleId.INPUT_MALFORMED, field=name)
    return found


def _instant(text: str, policy: Policy, *, field: str) -> datetime:
    """An ISO 8601 instant from a query parameter, in the policy zone; a naive one is
    refused by the library (``input.aware-only``)."""
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        # A "+" in a query string is a space: the usual way an offset gets lost.
        hint = "; send a + in an offset as %2B" if " " in text else ""
        raise PolicyError(
            f"not an ISO 8601 instant: {_shown(text)}{hint}",
            rule=RuleId.INPUT_MALFORMED,
            field=field,
        ) from None
    return policy.local(parsed, field=field)


def _shown(text: str) -> str:
    """``text`` quoted for an error message, cut short when long."""
    return repr(text) if len(text) <= 40 else f"{text[:40]!r}... ({len(text):,} characters)"


def _whole(text: str, *, field: str) -> int:
    """A whole number of at least 1, in decimal digits, from a query parameter."""
    if _DIGITS.fullmatch(text) and len(text) <= _MAX_DIGITS and int(text) >= 1:
        return int(text)
    raise PolicyError(
        f"expected a whole number of at least 1, got {_shown(text)}",
        rule=RuleId.INPUT_MALFORMED,
        field=field,
    )


def _business_minutes(minutes: int) -> timedelta:
    try:
        return timedelta(minutes=minutes)
    except OverflowError:
        raise PolicyError(
            f"{minutes:,} minutes is longer than any calendar counts",
            rule=RuleId.INPUT_MALFORMED,
            field="minutes",
        ) from None


def _too_large(limit: int) -> Response:
    return _error(
        413, f"the body is over the limit of {limit:,} bytes", headers={"Connection": "close"}
    )


async def _body(request: Request, limit: int) -> bytes | Response:
    """The request body, or the error to answer: read chunk by chunk, and refused as soon
    as it is known to exceed ``limit`` (from its declared length, or while reading)."""
    declared = request.headers.get("content-length")
    if declared is not None:
        if not _DIGITS.fullmatch(declared):
            return _error(400, f"Content-Length is not a number of bytes: {declared!r}")
        if int(declared) > limit:
            return _too_large(limit)
    chunks: list[bytes] = []
    size = 0
    try:
        async for chunk in request.stream():
            size += len(chunk)
            if size > limit:
                return _too_large(limit)
            chunks.append(chunk)
    except ClientDisconnect:
        return Response(status_code=400)  # nobody is left to read an answer
    return b"".join(chunks)


def _replay_answer(body: bytes) -> Response:
    """Decode, replay, encode: the CPU-bound part of ``POST /replay``, run off the loop."""
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as error:
        return _error(400, f"the body is not UTF-8: {error}")
    try:
        document = decode(text)
    except ValueError as error:  # JSONDecodeError included
        return _error(400, f"the body is not JSON: {error}")
    try:
        outcome = replay(document)
    except PolicyError as error:  # ScenarioError: not a scenario
        return _refused(error)
    # The CLI's text, by the same fast writer.
    return Response(encode_outcome(outcome).encode("utf-8"), 200, media_type=_JSON)


# --- the document of the API ------------------------------------------------------------


def _schema(name: str, component: str) -> dict[str, Any]:
    """The shipped schema ``name``, as the component ``component`` of the document: its
    own references (``#/$defs/...``) become references into the document and its ``$id``
    goes, so that every OpenAPI tool resolves them; nothing else changes."""
    text = resources.files("premier_policy").joinpath(f"schemas/{name}.schema.json")
    loaded: dict[str, Any] = decode(text.read_text(encoding="utf-8"))
    del loaded["$id"]
    rebased: dict[str, Any] = _rebased(loaded, f"#/components/schemas/{component}/")
    return rebased


def _rebased(node: Any, base: str) -> Any:
    if isinstance(node, dict):
        return {
            key: base + value[2:]
            if key == "$ref" and value.startswith("#/")
            else _rebased(value, base)
            for key, value in node.items()
        }
    if isinstance(node, list):
        return [_rebased(item, base) for item in node]
    return node


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _content(name: str) -> dict[str, Any]:
    return {"content": {_JSON: {"schema": _ref(name)}}}


def _answer(name: str, description: str) -> dict[str, Any]:
    return {"description": description, **_content(name)}


_ERRORS: Final = {
    "400": _answer("Error", "the input is unusable; `rule` and `field` say why"),
    "405": _answer("Error", "wrong method"),
}
_TEXT: Final = {"type": "string"}
_NULLABLE_TEXT: Final = {"type": ["string", "null"]}
_WHOLE: Final = {"type": "integer", "minimum": 1}


def _query(
    name: str, description: str, schema: dict[str, Any], *, required: bool
) -> dict[str, Any]:
    return {
        "name": name,
        "in": "query",
        "required": required,
        "description": description,
        "schema": schema,
    }


def _get(summary: str, answer: str, params: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    return {
        "get": {
            "summary": summary,
            "parameters": params or [],
            "responses": {"200": _answer(answer, summary), **_ERRORS},
        }
    }


def openapi() -> dict[str, Any]:
    """The OpenAPI 3.1 document of the service; the scenario and outcome schemas in it are
    the ones shipped in ``premier_policy/schemas/``, as they are.

    >>> document = openapi()
    >>> document["openapi"], sorted(document["paths"])
    ('3.1.0', ['/due', '/health', '/openapi.json', '/quote', '/replay', '/rules'])
    """
    instant = (
        "ISO 8601 with a UTC offset or Z; a naive instant is refused (input.aware-only). "
        "In a query string a + is a space: send an offset such as +01:00 as %2B01:00."
    )
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Premier Support policy",
            "version": "1",
            "description": (
                "The premier-policy rules over HTTP: the same answers as the "
                "`premier-policy` command and the Python library."
            ),
        },
        "paths": {
            "/replay": {
                "post": {
                    "summary": "replay a scenario; refused events are results, not errors",
                    "requestBody": {"required": True, **_content("Scenario")},
                    "responses": {
                        "200": _answer("Outcome", "the outcome, as `premier-policy replay`"),
                        **_ERRORS,
                        "413": _answer("Error", "the body is over the service's limit"),
                    },
                }
            },
            "/due": _get(
                "when a response is due for an incident waiting on staff from `at`",
                "Due",
                [
                    _query("at", instant, _TEXT, required=True),
                    _query(
                        "minutes",
                        "business minutes; default: the policy's response target",
                        _WHOLE,
                        required=False,
                    ),
                ],
            ),
            "/quote": _get(
                "the cheapest basket of exactly `credits` credits (ties: fewer items)",
                "Quote",
                [_query("credits", "how many credits", _WHOLE, required=True)],
            ),
            "/rules": _get("every rule of the specification, by ID", "Rules"),
            "/health": _get("the service answers", "Health"),
            "/openapi.json": _get("this document", "OpenAPI"),
        },
        "components": {"schemas": copy.deepcopy(_SCHEMAS)},
    }


def _object(properties: dict[str, Any]) -> dict[str, Any]:
    return {
        "type": "object",
        "properties": properties,
        "required": list(properties),
        "additionalProperties": False,
    }


_MONEY: Final = {"type": "string", "pattern": r"^[0-9]+\.[0-9]{2}$"}
_SCHEMAS: Final = {
    "Scenario": _schema("scenario", "Scenario"),
    "Outcome": _schema("outcome", "Outcome"),
    "Error": _object(
        {
            "error": {"type": "string", "description": "the problem, in one sentence"},
            "rule": {**_NULLABLE_TEXT, "description": "the rule ID, when one applies"},
            "field": {**_NULLABLE_TEXT, "description": "the field or parameter at fault"},
        }
    ),
    "Due": _object({"at": _TEXT, "minutes": _WHOLE, "due_at": _TEXT}),
    "Quote": _object(
        {
            "credits": _WHOLE,
            "items": {
                "type": "array",
                "minItems": 1,
                "items": _object(
                    {"product": _TEXT, "credits": _WHOLE, "price": _MONEY, "quantity": _WHOLE}
                ),
            },
            "total": _MONEY,
            "currency": _TEXT,
        }
    ),
    "Rules": _object(
        {
            "rules": {
                "type": "array",
                "items": _object({"id": _TEXT, "group": _TEXT, "title": _TEXT, "summary": _TEXT}),
            }
        }
    ),
    "Health": _object({"status": {"const": "ok"}}),
    "OpenAPI": {"type": "object", "required": ["openapi", "paths"]},
}


# --- the app ----------------------------------------------------------------------------


def create_app(
    policy: Policy = _DEFAULT_POLICY, *, max_body_bytes: int = MAX_BODY_BYTES
) -> Starlette:
    """The service under ``policy`` (for ``/due`` and ``/quote``; a scenario carries its
    own), refusing ``POST /replay`` bodies over ``max_body_bytes``.

    >>> create_app(max_body_bytes=0)
    Traceback (most recent call last):
    ...
    premier_policy.PolicyError: max_body_bytes: expected a whole number of at least 1, got 0
    """
    if not isinstance(policy, Policy):
        raise PolicyError(f"expected a Policy, got {type(policy).__name__}", field="policy")
    if type(max_body_bytes) is not int or max_body_bytes < 1:
        raise PolicyError(
            f"expected a whole number of at least 1, got {max_body_bytes!r}",
            field="max_body_bytes",
        )
    rules = {
        "rules": [
            {"id": str(r.id), "group": r.group, "title": r.title, "summary": r.summary}
            for r in RULES.values()
        ]
    }
    document = openapi()

    async def replay_endpoint(request: Request) -> Response:
        try:
            _params(request)
        except PolicyError as error:
            return _refused(error)
        body = await _body(request, max_body_bytes)
        if isinstance(body, Response):
            return body
        return await run_in_threadpool(_replay_answer, body)

    async def due(request: Request) -> Response:
        try:
            params = _params(request, required=("at",), optional=("minutes",))
            at = _instant(params["at"], policy, field="at")
            if "minutes" in params:
                minutes = _whole(params["minutes"], field="minutes")
                due_at = policy.calendar.add(at, _business_minutes(minutes))
            else:
                minutes = policy.response_target_minutes
                due_at = policy.response_due(at)
        except PolicyError as error:
            return _refused(error)
        return _json({"at": at.isoformat(), "minutes": minutes, "due_at": due_at.isoformat()})

    async def quote(request: Request) -> Response:
        try:
            credits = _whole(_params(request, required=("credits",))["credits"], field="credits")
            basket = policy.catalog.quote(credits)
        except PolicyError as error:
            return _refused(error)
        items = [
            {
                "product": product.name,
                "credits": product.credits,
                "price": product.price.amount_text,
                "quantity": quantity,
            }
            for product, quantity in basket.items
        ]
        return _json(
            {
                "credits": basket.credits,
                "items": items,
                "total": basket.total.amount_text,
                "currency": basket.total.currency,
            }
        )

    def constant(data: Any) -> Endpoint:
        body = encode(data).encode("utf-8")

        async def endpoint(request: Request) -> Response:
            try:
                _params(request)
            except PolicyError as error:
                return _refused(error)
            return Response(body, media_type=_JSON)

        return endpoint

    return Starlette(
        routes=[
            Route("/replay", replay_endpoint, methods=["POST"]),
            Route("/due", due, methods=["GET"]),
            Route("/quote", quote, methods=["GET"]),
            Route("/rules", constant(rules), methods=["GET"]),
            Route("/health", constant({"status": "ok"}), methods=["GET"]),
            Route("/openapi.json", constant(document), methods=["GET"]),
        ],
        exception_handlers={HTTPException: _http_error},
    )


#: The service under the default policy, for any ASGI server.
app: Final = create_app()
