"""Reading protocol requests, and answering errors, the same way on every SPARQL route.

* :func:`read_body` reads a body up to a byte limit (413 past it, without holding more);
* :func:`read_params` gives every parameter of a request — URL, form body or direct body — as
  lists of strings, refusing anything that is not UTF-8 in *every* form: raw bytes in the URL,
  ``%FF`` escapes in the URL or the form, a body that does not decode, and a ``charset`` other
  than UTF-8 (a UTF-16 body is valid UTF-8 byte by byte, so the label has to be checked too);
* :func:`error` is the plain-text answer of every failure, and :func:`failure` maps the
  service's exceptions to it: 429 (+Retry-After) when busy, 504 past the timeout, 503 when a
  worker died, the refusal's own status otherwise.
"""

from __future__ import annotations

import urllib.parse

from fastapi.responses import PlainTextResponse
from openness.precheck import Refused
from starlette.requests import Request

from .auth import Denied
from .pool import QueryTimeout, WorkerDied
from .scheduler import Busy
from .service import PageTimeout


class BadRequest(Exception):
    """A malformed protocol request (answered 400, or ``status``)."""

    def __init__(self, message: str, status: int = 400) -> None:
        self.status = status
        super().__init__(message)


def error(status: int, message: str, headers: dict[str, str] | None = None) -> PlainTextResponse:
    """Every endpoint error: plain text saying what went wrong and what to do."""
    return PlainTextResponse(message.rstrip() + "\n", status_code=status, headers=headers)


def failure(err: Exception, *, timeout: float, what: str = "the query") -> PlainTextResponse:
    """The answer for an exception raised by the service (see the module docstring)."""
    if isinstance(err, Busy):
        return error(429, str(err), {"Retry-After": str(err.retry_after)})
    if isinstance(err, QueryTimeout | PageTimeout):
        return error(
            504,
            f"{what} was stopped after {timeout:g} s, the server's timeout. Make it more selective "
            "(bind a subject or class, add LIMIT, avoid unbounded property paths and cartesian "
            "products), or download a dump from /dumps and query it locally.",
        )
    if isinstance(err, WorkerDied):
        return error(503, f"the worker running {what} ended unexpectedly ({err}); nothing was changed. "
                          "Retry; if it happens again, the request itself brings the engine down.",
                     {"Retry-After": "1"})
    if isinstance(err, Refused):
        return error(err.status, str(err))
    if isinstance(err, Denied):
        return error(err.status, str(err), err.headers)
    if isinstance(err, BadRequest):
        return error(err.status, str(err))
    raise err


def media_type(request: Request) -> tuple[str, dict[str, str]]:
    """The request's Content-Type without parameters, lower-cased, and its parameters."""
    raw = request.headers.get("content-type", "")
    parts = [p.strip() for p in raw.split(";")]
    params = {}
    for part in parts[1:]:
        key, _, value = part.partition("=")
        params[key.strip().lower()] = value.strip().strip('"')
    return parts[0].lower(), params


def check_charset(params: dict[str, str]) -> None:
    charset = params.get("charset")
    if charset is not None and charset.lower().replace("_", "-") not in ("utf-8", "utf8"):
        raise BadRequest(
            f"charset={charset} is not accepted: SPARQL requests are UTF-8 (SPARQL 1.1 Protocol §2.1); "
            "send the text encoded in UTF-8",
            415,
        )


async def read_body(request: Request, limit: int, what: str) -> bytes:
    """The body, up to ``limit`` bytes (413 past it: the rest is never read into memory)."""
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > limit:
        raise BadRequest(f"the {what} is {int(declared):,} bytes, over the size limit of {limit:,} bytes",
                         413)
    received = bytearray()
    async for chunk in request.stream():
        received += chunk
        if len(received) > limit:
            raise BadRequest(f"the {what} is over the size limit of {limit:,} bytes", 413)
    return bytes(received)


def decode(data: bytes, what: str) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as err:
        raise BadRequest(
            f"the {what} is not UTF-8 (byte {err.start}: {data[err.start : err.start + 1]!r}); "
            "SPARQL requests must be encoded in UTF-8"
        ) from None


def parse_pairs(text: str, what: str) -> dict[str, list[str]]:
    """HTML form (URL-encoded) pairs, refusing escapes that are not UTF-8."""
    try:
        pairs = urllib.parse.parse_qsl(text, keep_blank_values=True, encoding="utf-8", errors="strict")
    except UnicodeDecodeError as err:
        raise BadRequest(
            f"the {what} has a %-escape that is not UTF-8 ({err.object[err.start:err.end]!r}); "
            "SPARQL requests must be encoded in UTF-8"
        ) from None
    out: dict[str, list[str]] = {}
    for key, value in pairs:
        out.setdefault(key, []).append(value)
    return out


def url_params(request: Request) -> dict[str, list[str]]:
    return parse_pairs(decode(request.scope.get("query_string", b""), "URL"), "URL")


def check_iris(values: list[str] | None, what: str) -> list[str]:
    """``values`` if each is an absolute IRI (Oxigraph's IRI parser decides), else 400."""
    import pyoxigraph as ox

    for value in values or []:
        try:
            ox.NamedNode(value)
        except ValueError as err:
            raise BadRequest(f"{what} {value!r} is not an absolute IRI ({err})") from None
    return list(values or [])


def one(params: dict[str, list[str]], name: str) -> str | None:
    values = params.get(name)
    if not values:
        return None
    if len(values) > 1:
        raise BadRequest(f"the request has {len(values)} '{name}' parameters; send exactly one")
    return values[0]


__all__ = [
    "BadRequest",
    "check_charset",
    "check_iris",
    "decode",
    "error",
    "failure",
    "media_type",
    "one",
    "parse_pairs",
    "read_body",
    "url_params",
]
