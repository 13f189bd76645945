"""Service settings, from the environment (``OPENNESS_*``) or the ``openness serve`` options."""

from __future__ import annotations

import os
from dataclasses import dataclass


@dataclass
class Settings:
    store: str | None = None  # as for openness.store.open_store(); None = default embedded store
    query_timeout: float = 30.0  # seconds; a query past it is stopped, not abandoned
    max_rows: int = 10_000  # result rows before a result is truncated (and says so)
    max_concurrent_queries: int = 4  # past it: 429 with Retry-After
    update_token: str | None = None  # SPARQL Update and POST /api/claims only when set
    base_iri: str | None = None  # data IRI base (defaults to openness.namespaces.data_base())
    max_graph_triples: int = 1_000_000  # Graph Store reads (?graph=) are cut (and say so) past this
    cors_origins: tuple[str, ...] = ("*",)  # who may call the endpoint from a browser page

    @classmethod
    def from_env(cls) -> Settings:
        env = os.environ
        return cls(
            store=env.get("OPENNESS_STORE"),
            query_timeout=float(env.get("OPENNESS_QUERY_TIMEOUT", "30")),
            max_rows=int(env.get("OPENNESS_MAX_ROWS", "10000")),
            max_concurrent_queries=int(env.get("OPENNESS_MAX_CONCURRENT_QUERIES", "4")),
            update_token=env.get("OPENNESS_UPDATE_TOKEN") or None,
            base_iri=env.get("OPENNESS_BASE_IRI") or None,
            max_graph_triples=int(env.get("OPENNESS_MAX_GRAPH_TRIPLES", "1000000")),
            cors_origins=tuple(
                o.strip() for o in env.get("OPENNESS_CORS_ORIGINS", "*").split(",") if o.strip()
            ),
        )
