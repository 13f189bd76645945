"""The FastAPI application: one factory, one router per concern.

* :mod:`.sparql`: the SPARQL 1.1 endpoint and service description (updates: :mod:`.sparql_update`)
* :mod:`.graph_store`: the Graph Store protocol (reads and writes)
* :mod:`.dumps`: ``/dumps`` and ``/.well-known/void``
* :mod:`.rest`: the JSON API under ``/api``
* :mod:`.pages`: HTML pages (home, release, model, organization, query page)
* :mod:`.linked_data`: dereferenceable IRIs (HTML / RDF by content negotiation)

Every route reads and writes the store through one :class:`~.service.Service`
(``app.state.service``): queries in worker processes on the newest snapshot, pages in threads,
writes through the write gate under one lock. A body-size guard answers 413 before reading a
request whose declared length is over the biggest limit any route accepts.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from openness import formats
from starlette.types import ASGIApp, Receive, Scope, Send

from .settings import Settings


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    """Open the store (the server is its single writer), take the first snapshot, start the workers
    and the background preparation of the dumps; on shutdown (uvicorn runs it on SIGTERM and
    Ctrl-C) stop them and delete the dump files."""
    from .dumps import Dumps
    from .service import Service

    service = Service(app.state.settings)
    await service.start()
    app.state.service = service
    app.state.store = service.store
    dumps = Dumps(service)
    app.state.dumps = dumps
    try:
        await dumps.start()
        yield
    finally:
        try:
            await dumps.stop()
        finally:
            await service.stop()


class BodyLimit:
    """ASGI guard: 413 for a request that declares a body over ``limit`` bytes (routes enforce
    their own, smaller limits while reading; this stops the obviously oversized at the door)."""

    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            for name, value in scope.get("headers", []):
                if name == b"content-length" and value.isdigit() and int(value) > self.limit:
                    body = f"the request body is over the size limit of {self.limit:,} bytes\n".encode()
                    await send({"type": "http.response.start", "status": 413,
                                "headers": [(b"content-type", f"{formats.TEXT}; charset=utf-8".encode()),
                                            (b"content-length", str(len(body)).encode())]})
                    await send({"type": "http.response.body", "body": body})
                    return
        await self.app(scope, receive, send)


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build the service for one store; every router reads the store through ``app.state.service``."""
    settings = settings or Settings.from_env()
    app = FastAPI(
        title="openness-graph",
        version=__import__("openness").__version__,
        description="A knowledge graph of AI openness claims: SPARQL endpoint, linked data and JSON API.",
        lifespan=lifespan,
        docs_url=None,  # /docs is served by .pages with the bundled Swagger UI (offline)
        redoc_url=None,  # ReDoc would load its script from a CDN
    )
    app.state.settings = settings
    app.add_middleware(
        CORSMiddleware,
        allow_origins=list(settings.cors_origins),
        allow_methods=["GET", "POST", "PUT", "DELETE", "HEAD", "OPTIONS"],
        allow_headers=["Accept", "Content-Type", "Authorization"],
        expose_headers=[
            "X-Openness-Truncated", "X-Openness-Truncated-By", "X-Openness-Rows", "X-Openness-Max-Rows",
            "X-Openness-Max-Bytes", "X-Openness-Generation", "X-Openness-Worker", "Retry-After", "Link",
        ],
        max_age=3600,
    )
    app.add_middleware(BodyLimit, limit=max(settings.max_update_bytes, settings.max_query_bytes))
    from . import dumps, graph_store, linked_data, pages, rest, sparql

    for module in (sparql, graph_store, dumps, rest, pages, linked_data):
        router = getattr(module, "router", None)
        if router is not None:
            app.include_router(router)
    app.openapi = lambda: openapi(app)  # type: ignore[method-assign]
    return app


def openapi(app: FastAPI) -> dict:
    """FastAPI's schema plus the update token's security scheme (named by the write operations)."""
    if app.openapi_schema is None:
        from fastapi.openapi.utils import get_openapi

        schema = get_openapi(title=app.title, version=app.version, description=app.description,
                             routes=app.routes)
        schema.setdefault("components", {}).setdefault("securitySchemes", {})["updateToken"] = {
            "type": "http",
            "scheme": "bearer",
            "description": "the server's update token (openness serve --update-token); writing is off "
            "without one",
        }
        app.openapi_schema = schema
    return app.openapi_schema
