"""The FastAPI application: one factory, one router per concern.

* :mod:`.sparql`: the SPARQL 1.1 endpoint, Graph Store reads, service description
* :mod:`.dumps`: ``/dumps`` and ``/.well-known/void``
* :mod:`.linked_data`: dereferenceable IRIs (HTML / RDF by content negotiation)
* :mod:`.pages`: HTML pages (home, release, model, organization, query page)
* :mod:`.rest`: the JSON API under ``/api``
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware

from .settings import Settings


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    """Open the store once (the server is its only writer) and start the query workers."""
    from .query_service import open_service  # noqa: PLC0415 - keeps `import openness.api.app` light

    service = await open_service(app.state.settings)
    app.state.store = service.store
    app.state.queries = service
    try:
        yield
    finally:
        await service.stop()
        service.store.close()


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build the service for one store; every router reads the store through ``app.state``."""
    settings = settings or Settings.from_env()
    app = FastAPI(
        title="openness-graph",
        version=__import__("openness").__version__,
        description="A knowledge graph of AI openness claims: SPARQL endpoint, linked data and JSON API.",
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.add_middleware(
        CORSMiddleware,
        allow_origins=list(settings.cors_origins),
        allow_methods=["GET", "POST", "HEAD", "OPTIONS"],
        allow_headers=["Accept", "Content-Type", "Authorization"],
        expose_headers=[
            "X-Openness-Truncated", "X-Openness-Rows", "X-Openness-Max-Rows", "Retry-After", "Link",
        ],
        max_age=3600,
    )
    from . import dumps, linked_data, pages, rest, sparql  # noqa: PLC0415 - routers register in order

    for module in (sparql, dumps, rest, pages, linked_data):
        router = getattr(module, "router", None)
        if router is not None:
            app.include_router(router)
    return app
