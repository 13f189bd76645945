"""SPARQL Update at ``POST /sparql``: off unless the server has a token, and never around the ingest.

Decision (documented in the endpoint's module): only ``INSERT DATA`` / ``DELETE DATA`` are
accepted, each naming its graph with ``GRAPH <iri> { ... }`` — the store's unit is the named graph
(one batch each), and a WHERE-driven update could touch any graph without it being validated. The
update is applied to an in-memory copy of the graphs it names; each changed graph is then written
through :func:`openness.ingest.ingest_batches` — the same SHACL validation and single transaction
as ``openness load`` — so a refused update (422, with the validation report) changes nothing.
The write happens in the main process while every query worker is stopped
(:meth:`QueryService.exclusive`); the workers restart on the new data.

Auth: ``Authorization: Bearer <token>``; 403 when updates are disabled or the token is wrong,
401 (with ``WWW-Authenticate: Bearer``) when there is no token.
"""

from __future__ import annotations

import asyncio
import hmac

import pyoxigraph as ox
from fastapi import Request
from fastapi.responses import JSONResponse, PlainTextResponse, Response
from openness.ingest import Batch, IngestError, ingest_batches
from openness.store import OxigraphStore, to_rdflib
from rdflib import Graph, URIRef

from .safety import Refused, check_update, inspect_sparql


def _text(status: int, message: str, headers: dict[str, str] | None = None) -> PlainTextResponse:
    return PlainTextResponse(message + "\n", status_code=status, headers=headers)


def authorize(request: Request) -> Response | None:
    """None when the request may write; else the 401/403 answer."""
    token = request.app.state.settings.update_token
    if not token:
        return _text(
            403,
            "SPARQL Update is disabled on this server (start it with --update-token or "
            "OPENNESS_UPDATE_TOKEN to enable writing)",
        )
    auth = request.headers.get("authorization", "")
    if not auth.lower().startswith("bearer "):
        return _text(
            401,
            "updates need 'Authorization: Bearer <token>'",
            {"WWW-Authenticate": 'Bearer realm="openness"'},
        )
    if not hmac.compare_digest(auth[7:].strip().encode(), token.encode()):
        return _text(403, "the bearer token is not this server's update token")
    return None


def _graph_of(store: ox.Store, iri: str) -> Graph:
    g = Graph()
    for q in store.quads_for_pattern(None, None, None, ox.NamedNode(iri)):
        g.add((to_rdflib(q.subject), to_rdflib(q.predicate), to_rdflib(q.object)))  # type: ignore[arg-type]
    return g


def apply_update(store: OxigraphStore, update: str, graphs: list[str]) -> dict[str, object]:
    """Apply ``update`` to a copy of ``graphs``, validate the changed graphs, write them (or nothing)."""
    copy = ox.Store()
    for iri in graphs:
        copy.extend(store.native.quads_for_pattern(None, None, None, ox.NamedNode(iri)))
    try:
        copy.update(update)
    except SyntaxError as err:
        raise Refused(400, f"SPARQL Update syntax error: {err}") from err
    if any(True for _ in copy.quads_for_pattern(None, None, None, ox.DefaultGraph())):
        raise Refused(400, "the update writes to the default graph; put the triples in GRAPH <iri> { ... }")
    batches, emptied = [], []
    for iri in graphs:
        after = _graph_of(copy, iri)
        if after == _graph_of(store.native, iri):
            continue
        if len(after) == 0:
            emptied.append(iri)
        else:
            batches.append(Batch(URIRef(iri), after, f"SPARQL Update of <{iri}>"))
    if batches:
        ingest_batches(store, batches)
    for iri in emptied:
        store.drop_graph(iri)
    store.flush()
    return {"changed": [str(b.graph_iri) for b in batches], "dropped": emptied}


async def run_update(request: Request, update: str, params: dict[str, list[str]]) -> Response:
    """Authorize, inspect and apply one update request."""
    denied = authorize(request)
    if denied is not None:
        return denied
    found = inspect_sparql(update)
    try:
        check_update(found)
        if params.get("using-graph-uri") or params.get("using-named-graph-uri"):
            raise Refused(
                400,
                "using-graph-uri / using-named-graph-uri only apply to WHERE updates, which are not accepted",
            )
        if not found.graph_refs:
            raise Refused(400, "name the graph: INSERT DATA { GRAPH <iri> { ... } }")
        service = request.app.state.queries
        async with service.exclusive() as store:
            summary = await asyncio.to_thread(
                apply_update, store, update, list(dict.fromkeys(found.graph_refs))
            )
    except Refused as err:
        return _text(err.status, str(err))
    except IngestError as err:
        return _text(422, str(err))
    except ValueError as err:
        return _text(400, str(err))
    return JSONResponse({"status": "applied", **summary})
