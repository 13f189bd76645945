"""The SPARQL 1.1 Graph Store HTTP Protocol at ``/rdf-graph-store`` (reads also at ``/sparql``).

Reading — ``GET`` / ``HEAD`` ``?graph=<iri>`` (404 when the store lacks it) or ``?default`` (the
default graph: the merge of the source graphs and the current derived graphs), as RDF by Accept,
cut at ``max_graph_triples`` (and saying so, as ``/sparql`` does).

Writing, with the update token (:mod:`.auth`), each request one commit through the write gate
(validated, one transaction, derived layer maintained, provenance recorded):

* ``PUT ?graph=<iri>`` replaces the graph with the body; ``POST ?graph=<iri>`` adds the body's
  triples to it; ``DELETE ?graph=<iri>`` drops it (404 if the store lacks it);
* ``PUT`` / ``POST`` without ``graph`` take a dataset (TriG or N-Quads): every graph the body
  names is replaced (PUT) or added to (POST), all in one commit — how ``openness load`` writes
  through a running server (``SparqlStore.put_graphs``);
* bodies: Turtle, N-Triples, RDF/XML, JSON-LD (through the bounded, offline claim-file readers of
  :mod:`openness.ingest.readers`), TriG and N-Quads (bracket depth checked, then Oxigraph's parser);
* ``?default`` writes and derived graphs (``id/graph/derived/…``) are refused, as for SPARQL
  Update: the default graph is maintained by the server, derived graphs by the derive rules.

Answers: 201 (graph created), 204 (graph replaced, added to, dropped), 400 (unreadable body),
401/403 (token), 404, 413 (too big), 415 (media type), 422 (shapes violated: nothing written).
"""

from __future__ import annotations

import hashlib
import tempfile
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from fastapi import APIRouter, Request
from fastapi.responses import Response
from openness import formats
from openness.gate import Change
from openness.ingest import IngestError
from openness.ingest.readers import ReadError, read_file
from openness.ingest.safe import check_rdf_text
from openness.namespaces import derived_graph_base
from openness.store import StoreError, to_rdflib
from rdflib import Graph

from . import negotiation as neg
from .auth import check_write
from .protocol import BadRequest, check_iris, decode, error, failure, media_type, one, read_body, url_params
from .sparql import RDF_TYPES, accept, result_headers, service

router = APIRouter(tags=["Graph Store"])

#: Graph bodies → the claim-file suffix the bounded readers know them by.
GRAPH_MEDIA = {
    formats.TURTLE: ".ttl",
    formats.X_TURTLE: ".ttl",
    formats.N_TRIPLES: ".nt",
    formats.TEXT: ".nt",
    formats.RDF_XML: ".rdf",
    formats.JSON_LD: ".jsonld",
}
#: Dataset bodies → Oxigraph format (and the bounded reader's format name).
DATASET_MEDIA = {
    f.media_type: (f.ox, f.rdflib) for f in (formats.RDF_BY_KEY["trig"], formats.RDF_BY_KEY["nq"])
}

WRITE_RESPONSES: dict[int | str, dict[str, Any]] = {
    201: {"description": "the graph was created"},
    204: {"description": "the graph was replaced, added to or dropped"},
    400: {"description": "unreadable body or bad parameters", "content": {formats.TEXT: {}}},
    401: {"description": "no Bearer token", "content": {formats.TEXT: {}}},
    403: {"description": "writing disabled, wrong token, or a derived graph", "content": {formats.TEXT: {}}},
    404: {"description": "DELETE of a graph the store lacks", "content": {formats.TEXT: {}}},
    413: {"description": "the body is over the size limit", "content": {formats.TEXT: {}}},
    415: {"description": "unsupported media type", "content": {formats.TEXT: {}}},
    422: {"description": "the data violates the shapes; nothing was written", "content": {formats.TEXT: {}}},
    429: {"description": "busy (Retry-After)", "content": {formats.TEXT: {}}},
    500: {"description": "the store refused the write (nothing written)", "content": {formats.TEXT: {}}},
    503: {"description": "a worker died (nothing written)", "content": {formats.TEXT: {}}},
    504: {"description": "the write did not finish in time (nothing written)", "content": {formats.TEXT: {}}},
}
GRAPH_PARAMETERS = [
    {"name": "graph", "in": "query", "required": False, "schema": {"type": "string"},
     "description": "the graph's IRI"},
    {"name": "default", "in": "query", "required": False, "schema": {"type": "string"},
     "allowEmptyValue": True, "description": "the default graph (reads only)"},
]
WRITE_PARAMETERS = [GRAPH_PARAMETERS[0]]
READ_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {"description": "the graph", "content": {m: {} for m in RDF_TYPES}},
    400: {"description": "bad parameters", "content": {formats.TEXT: {}}},
    404: {"description": "no such graph", "content": {formats.TEXT: {}}},
    406: {"description": "no acceptable RDF format", "content": {formats.TEXT: {}}},
    429: {"description": "busy (Retry-After)", "content": {formats.TEXT: {}}},
    503: {"description": "the worker died (Retry-After)", "content": {formats.TEXT: {}}},
    504: {"description": "stopped at the timeout", "content": {formats.TEXT: {}}},
}


def _graph_param(params: dict[str, list[str]]) -> str | None:
    graph = one(params, "graph")
    if graph is not None and "default" in params:
        raise BadRequest("give either graph=<iri> or default, not both")
    if graph is not None:
        check_iris([graph], "graph=")
    return graph


async def read_graph(request: Request, params: dict[str, list[str]]) -> Response:
    """``GET ?graph=`` / ``?default``: the graph as RDF (Graph Store read)."""
    svc = service(request)
    graph = _graph_param(params)
    media = accept(request, params, RDF_TYPES)
    if media is None:
        return error(406, str(neg.NotAcceptable(request.headers.get("accept"), RDF_TYPES)))
    limit = svc.settings.max_graph_triples
    result = await svc.query(request, {"op": "graph", "graph": graph, "rdf_media_type": media,
                                       "results_media_type": None, "max_rows": limit})
    return Response(result.body, headers=result_headers(svc, result, max_rows=limit))


@router.get("/rdf-graph-store", operation_id="graph_store_get", summary="Graph Store Protocol: read a graph",
            responses=READ_RESPONSES, openapi_extra={"parameters": GRAPH_PARAMETERS})
async def graph_store_get(request: Request) -> Response:
    """Read one named graph (``?graph=<iri>``) or the default graph (``?default``)."""
    return await graph_store_read(request)


@router.head("/rdf-graph-store", operation_id="graph_store_head",
             summary="Graph Store Protocol: headers of a graph read", responses=READ_RESPONSES,
             openapi_extra={"parameters": GRAPH_PARAMETERS})
async def graph_store_head(request: Request) -> Response:
    """As GET, without the body."""
    return await graph_store_read(request)


async def graph_store_read(request: Request) -> Response:
    svc = service(request)
    try:
        params = url_params(request)
        if "graph" not in params and "default" not in params:
            raise BadRequest("name a graph: ?graph=<iri>, or ?default for the default graph")
        response = await read_graph(request, params)
    except Exception as err:
        response = failure(err, timeout=svc.settings.query_timeout, what="reading the graph")
    if request.method == "HEAD":
        response.body = b""
    return response


def _write_route(method: str, summary: str):
    body = {} if method == "DELETE" else {"requestBody": {"required": True, "content": {
        m: {"schema": {"type": "string"}} for m in [*GRAPH_MEDIA, *DATASET_MEDIA]}}}
    return router.api_route(
        "/rdf-graph-store", methods=[method], operation_id=f"graph_store_{method.lower()}", summary=summary,
        status_code=204, response_class=Response, responses=WRITE_RESPONSES,
        openapi_extra={"parameters": WRITE_PARAMETERS, "security": [{"updateToken": []}], **body},
    )


@_write_route("PUT", "Graph Store Protocol: replace a graph, or every graph of a dataset (needs the token)")
async def graph_store_put(request: Request) -> Response:
    """Replace ``?graph=<iri>`` with the body; without ``graph``, every graph a TriG/N-Quads body names."""
    return await graph_store_write(request)


@_write_route("POST", "Graph Store Protocol: add to a graph, or to each graph of a dataset (needs the token)")
async def graph_store_post(request: Request) -> Response:
    """Add the body's triples to ``?graph=<iri>``; without ``graph``, a TriG/N-Quads body's graphs."""
    return await graph_store_write(request)


@_write_route("DELETE", "Graph Store Protocol: drop a graph (needs the token)")
async def graph_store_delete(request: Request) -> Response:
    """Drop ``?graph=<iri>`` (404 when the store lacks it)."""
    return await graph_store_write(request)


async def graph_store_write(request: Request) -> Response:
    """PUT replaces, POST adds, DELETE drops; without ``graph``, PUT/POST take a TriG/N-Quads dataset."""
    svc = service(request)
    try:
        check_write(request)
        params = url_params(request)
        if "default" in params:
            raise BadRequest("the default graph is the merge of the named source graphs and is maintained "
                             "by the server; write a named graph (?graph=<iri>) instead")
        graph = _graph_param(params)
        if graph is not None and graph.startswith(derived_graph_base()):
            return error(403, f"<{graph}> is a derived graph: it is written only by the server's derive "
                              "rules, from the source graphs")
        if request.method == "DELETE":
            if graph is None:
                raise BadRequest("DELETE needs ?graph=<iri>")
            exists = graph in await svc.read(request, svc.graph_names)
            if not exists:
                return error(404, f"no graph <{graph}> in this store")
            await svc.commit(request, Change(drop=[graph], label=f"Graph Store DELETE <{graph}>"))
            return Response(status_code=204)
        graphs = await _read_payload(request, graph)
        existed = set(await svc.read(request, svc.graph_names))
        replace = request.method == "PUT"
        change = Change(label=f"Graph Store {request.method} " + ", ".join(f"<{g}>" for g in graphs))
        for name, data in graphs.items():
            if replace and name in existed:
                change.drop = [*change.drop, name]
            if len(data):
                change.add[name] = data
        if change.is_empty():
            return Response(status_code=204)
        await svc.commit(request, change)
        created = graph is not None and graph not in existed
        return Response(status_code=201 if created else 204)
    except IngestError as err:
        return error(422, str(err))
    except StoreError as err:
        return error(500, f"the store refused the write; nothing was written: {err}")
    except ValueError as err:  # the gate's own refusals (a derived graph, nothing to write)
        return error(400, str(err))
    except Exception as err:
        return failure(err, timeout=svc.settings.query_timeout, what="the write")


async def _read_payload(request: Request, graph: str | None) -> dict[str, Graph]:
    """The body as graphs: {graph: data} (a graph body needs ?graph=, a dataset body names its own)."""
    svc = service(request)
    ctype, _ = media_type(request)
    body = await read_body(request, svc.settings.max_update_bytes, "body")
    if graph is not None:
        suffix = GRAPH_MEDIA.get(ctype)
        if suffix is None:
            raise BadRequest(f"send the graph as one of: {', '.join(GRAPH_MEDIA)}", 415)
        return {graph: await svc.read(request, _parse_graph, body, suffix)}
    if ctype not in DATASET_MEDIA:
        raise BadRequest("without ?graph=<iri> the body must be a dataset: " + ", ".join(DATASET_MEDIA), 415)
    return await svc.read(request, _parse_dataset, body, ctype)


def _parse_graph(body: bytes, suffix: str) -> Graph:
    name = f"graph-store-{hashlib.sha256(body).hexdigest()[:16]}{suffix}"
    with tempfile.TemporaryDirectory(prefix="openness-gsp-") as tmp:
        path = Path(tmp) / name
        path.write_bytes(body)
        try:
            return read_file(path).graph
        except (ReadError, ValueError) as err:
            raise BadRequest(str(err).replace(str(path), "the body")) from err


def _parse_dataset(body: bytes, ctype: str) -> dict[str, Graph]:
    fmt, name = DATASET_MEDIA[ctype]
    text = decode(body, "body")
    try:
        check_rdf_text(text, name, "the body")
        quads = list(ox.parse(body, format=fmt))
    except (ValueError, SyntaxError) as err:
        raise BadRequest(f"the body cannot be read as {ctype}: {err}") from err
    out: dict[str, Graph] = {}
    base = derived_graph_base()
    for q in quads:
        if isinstance(q.graph_name, ox.DefaultGraph):
            raise BadRequest("the dataset has triples in the default graph, which is maintained by the "
                             "server; put every triple in a named graph")
        name_ = q.graph_name.value
        if name_.startswith(base):
            raise BadRequest(f"<{name_}> is a derived graph: it is written only by the derive rules", 403)
        triple = (to_rdflib(q.subject), to_rdflib(q.predicate), to_rdflib(q.object))
        out.setdefault(name_, Graph()).add(triple)  # type: ignore[arg-type]
    return out
