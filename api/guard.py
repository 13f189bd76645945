"""Pages, linked-data documents and the JSON API under the same limits as ``/sparql``.

:func:`limited` wraps a plain (synchronous) route function so that it runs in a page thread
admitted by the service's page scheduler — per-client fairness, a bounded queue, a wait deadline
(429 with Retry-After past it) — and is answered 504 past the query timeout
(:meth:`openness.api.service.Service.read`). The event loop never runs a store query or renders a
template itself. Answers are kept until the next commit (:mod:`.cache`); a kept answer is served
without taking a slot.

Use::

    @router.get("/page/{rest:path}")
    @limited
    def page(request: Request, rest: str) -> HTMLResponse: ...
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar

from fastapi import HTTPException
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from starlette.requests import Request
from starlette.responses import Response

from .scheduler import Busy
from .service import PageTimeout

F = TypeVar("F", bound=Callable[..., Any])

#: OpenAPI entries for the answers :func:`limited` adds to a route.
LIMIT_RESPONSES: dict[int | str, dict[str, Any]] = {
    429: {"description": "busy: no slot came free within the queue deadline (see Retry-After)"},
    504: {"description": "stopped at the server's timeout"},
}


def limited(fn: F) -> F:
    """Run the route ``fn`` (which takes ``request``) through ``Service.read`` (see the module docstring)."""

    @functools.wraps(fn)
    async def wrapper(**kwargs: Any) -> Any:
        request: Request = kwargs["request"]
        service = request.app.state.service
        cache = service.responses
        key = cache.key(request) if cache is not None else None
        generation = service.generation
        if key is not None:
            kept = cache.get(key, generation)
            if kept is not None:
                return kept
        try:
            result = await service.read(request, functools.partial(fn, **kwargs))
        except Busy as err:
            raise HTTPException(status_code=429, detail=str(err),
                                headers={"Retry-After": str(err.retry_after)}) from None
        except PageTimeout:
            raise HTTPException(
                status_code=504,
                detail=f"the page took longer than {service.settings.query_timeout:g} s, the server's "
                "timeout; try again later, or query /sparql or the dumps directly",
            ) from None
        if isinstance(result, BaseModel):  # serialized once, then kept as bytes
            result = JSONResponse(result.model_dump(mode="json"))
        if key is not None and isinstance(result, Response):
            cache.put(key, generation, result)
        return result

    return wrapper  # type: ignore[return-value]


__all__ = ["LIMIT_RESPONSES", "limited"]
