"""Service settings, from the environment (``OPENNESS_*``) or the ``openness serve`` options.

Every limit the service applies is here, with its unit; the service description (GET /sparql)
and docs/service.md state them to clients.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, fields


@dataclass
class Settings:
    store: str | None = None  # as for openness.store.open_store(); None = default embedded store
    query_timeout: float = 30.0  # seconds; a query (or page, API call, update) past it is stopped
    max_rows: int = 10_000  # result rows before a result is cut (and says so)
    max_result_bytes: int = 16_000_000  # result bytes (SPARQL JSON / N-Triples size) before a cut
    max_concurrent_queries: int = 5  # query worker processes (slots); one is kept for light clients
    max_concurrent_pages: int = 4  # pages and JSON API calls running at once
    queue_wait: float = 10.0  # seconds a request may wait for a slot before 429
    max_queue: int = 256  # requests waiting at once (all clients) before 429
    reserve_slots: int = 1  # slots heavy clients may not take (see openness.api.scheduler)
    heavy_after: float = 1.0  # seconds of slot time that make a client heavy
    max_query_bytes: int = 1_000_000  # a query (URL, form or body)
    max_update_bytes: int = 64_000_000  # an update or a Graph Store write body
    max_depth: int = 128  # bracket nesting of a query or update (checked before the engine)
    update_token: str | None = None  # SPARQL Update, Graph Store writes and POST /api/claims
    base_iri: str | None = None  # data IRI base (defaults to openness.namespaces.data_base())
    max_graph_triples: int = 1_000_000  # Graph Store reads (?graph=) are cut (and say so) past this
    cors_origins: tuple[str, ...] = ("*",)  # who may call the endpoint from a browser page
    trust_forwarded: bool = False  # take the client's address from X-Forwarded-For (behind a proxy)
    response_cache: int = 2048  # pages / API answers kept until the next commit (0: off)

    @classmethod
    def from_env(cls) -> Settings:
        """Defaults, overridden by ``OPENNESS_<FIELD>`` variables (e.g. OPENNESS_QUERY_TIMEOUT)."""
        env = os.environ
        values: dict[str, object] = {}
        for f in fields(cls):
            raw = env.get(f"OPENNESS_{f.name.upper()}")
            if raw is None or raw == "":
                continue
            default = getattr(cls, f.name, None)
            if f.name == "cors_origins":
                values[f.name] = tuple(o.strip() for o in raw.split(",") if o.strip())
            elif isinstance(default, bool):
                values[f.name] = raw.strip().lower() in ("1", "true", "yes", "on")
            elif isinstance(default, int):
                values[f.name] = int(raw)
            elif isinstance(default, float):
                values[f.name] = float(raw)
            else:
                values[f.name] = raw
        return cls(**values)  # type: ignore[arg-type]
