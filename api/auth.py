"""The one authorization check of every write route (SPARQL Update, Graph Store writes,
``POST /api/claims``).

Writing is off unless the server has an update token (``openness serve --update-token`` or
``OPENNESS_UPDATE_TOKEN``); a request writes only with ``Authorization: Bearer <token>``. The token
is compared in constant time (:func:`hmac.compare_digest` on bytes), so response timing does not
tell how much of a guess was right.

Answers: 403 when writing is disabled or the token is wrong; 401 with ``WWW-Authenticate: Bearer``
when no Bearer token was sent.
"""

from __future__ import annotations

import hmac

from starlette.requests import Request


class Denied(Exception):
    """The request may not write; ``status`` (401 or 403), ``headers`` and the message say why."""

    def __init__(self, status: int, message: str, headers: dict[str, str] | None = None) -> None:
        self.status = status
        self.headers = headers or {}
        super().__init__(message)


def writing_enabled(settings: object) -> bool:
    """Whether the server takes writes at all (it has an update token)."""
    return bool(getattr(settings, "update_token", None))


def check_write(request: Request) -> None:
    """Raise :class:`Denied` unless ``request`` carries this server's update token."""
    token = request.app.state.settings.update_token
    if not token:
        raise Denied(
            403,
            "writing is disabled on this server (start it with --update-token or OPENNESS_UPDATE_TOKEN "
            "to enable SPARQL Update, Graph Store writes and POST /api/claims)",
        )
    scheme, _, given = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not given.strip():
        raise Denied(
            401,
            "writing needs 'Authorization: Bearer <update token>'",
            {"WWW-Authenticate": 'Bearer realm="openness"'},
        )
    if not hmac.compare_digest(given.strip().encode("utf-8"), token.encode("utf-8")):
        raise Denied(403, "the bearer token is not this server's update token")


__all__ = ["Denied", "check_write", "writing_enabled"]
