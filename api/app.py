"""The FastAPI application: one factory, one router per concern.

* :mod:`.sparql`: the SPARQL 1.1 endpoint, Graph Store reads, service description
* :mod:`.dumps`: ``/dumps`` and ``/.well-known/void``
* :mod:`.linked_data`: dereferenceable IRIs (HTML / RDF by content negotiation)
* :mod:`.pages`: HTML pages (home, release, model, organization, query page)
* :mod:`.rest`: the JSON API under ``/api``
"""

from __future__ import annotations

from fastapi import FastAPI

from .settings import Settings


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build the service for one store; every router reads the store through ``app.state``."""
    settings = settings or Settings.from_env()
    app = FastAPI(
        title="openness-graph",
        version=__import__("openness").__version__,
        description="A knowledge graph of AI openness claims: SPARQL endpoint, linked data and JSON API.",
    )
    app.state.settings = settings
    from . import dumps, linked_data, pages, rest, sparql  # noqa: PLC0415 - routers register in order

    for module in (sparql, dumps, rest, pages, linked_data):
        router = getattr(module, "router", None)
        if router is not None:
            app.include_router(router)
    return app
