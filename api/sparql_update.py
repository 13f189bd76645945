"""SPARQL 1.1 Update at ``POST /sparql``: every operation, one transaction, through the write gate.

Accepted: INSERT DATA, DELETE DATA, DELETE/INSERT … WHERE (with WITH and USING), DELETE WHERE,
CLEAR, DROP, CREATE, ADD, MOVE, COPY — several per request, separated by ``;``. Never LOAD (it
would make the server fetch a URL) nor SERVICE.

How (decision, documented in docs/service.md):

1. The token is checked (:mod:`.auth`); only POST reaches here.
2. The update runs, in a query worker, on a *scratch copy* of the store (a checkpoint opened
   read-write, :mod:`.snapshots`), with the endpoint URL as base IRI, the project prefixes
   predeclared, and ``using-graph-uri`` / ``using-named-graph-uri`` written in as USING clauses.
   Its effect is read back graph by graph: triples added and removed per named graph
   (:func:`openness.api.worker.update_effect`).
3. The effect is committed through :func:`openness.gate.commit` — SHACL validation with the
   neighbourhood, one transaction, the default graph and the derived layer maintained, a
   provenance record — under the single writer lock. A refusal (422 with the validation report)
   changes nothing: the scratch copy is thrown away either way.

The default graph is the merge of the source graphs, maintained by the server: an update that
would write it directly (a triple outside GRAPH, CLEAR DEFAULT, ADD/MOVE/COPY to DEFAULT) is
refused with 400 and a message naming the graph form to use; CLEAR ALL / DROP ALL / NAMED drop
every source graph. Derived graphs (``id/graph/derived/…``) are written only by the derive rules:
writing them is refused with 403 (removals that fall on them through ``GRAPH ?g`` are left to the
gate, which recomputes them from the sources).

Answer: 200 with JSON ``{"status": "applied", "changed": [graphs], "dropped": [graphs],
"added": n, "removed": n, "operations": [...]}``.
"""

from __future__ import annotations

from fastapi.responses import JSONResponse, Response
from openness.ingest import IngestError
from openness.store import StoreError
from starlette.requests import Request

from .auth import check_write
from .protocol import check_iris, error
from .sparql import endpoint_url, service


async def run_update(request: Request, update: str, params: dict[str, list[str]]) -> Response:
    """Authorize and apply one update request (POST only; the caller checked the method)."""
    check_write(request)
    if not update.strip():
        return error(400, "the update is empty")
    svc = service(request)
    using = check_iris(params.get("using-graph-uri"), "using-graph-uri")
    using_named = check_iris(params.get("using-named-graph-uri"), "using-named-graph-uri")
    try:
        outcome = await svc.update(
            request, update, base_iri=endpoint_url(request), using_default=using, using_named=using_named
        )
    except IngestError as err:
        return error(422, str(err))
    except StoreError as err:
        return error(500, f"the store refused the write; nothing was written: {err}")
    except ValueError as err:  # the gate's own refusals (a derived graph, nothing to write)
        return error(400, str(err))
    effect = outcome["effect"]
    changed = sorted(g for g, e in effect.items() if not e["drop"])
    dropped = sorted(g for g, e in effect.items() if e["drop"])
    return JSONResponse(
        {
            "status": "applied",
            "changed": changed,
            "dropped": dropped,
            "added": sum(len([x for x in e["added"].splitlines() if x.strip()]) for e in effect.values()),
            "removed": sum(len([x for x in e["removed"].splitlines() if x.strip()]) for e in effect.values()),
            "operations": outcome["operations"],
            "generation": svc.generation,
        }
    )
