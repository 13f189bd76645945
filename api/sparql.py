"""The SPARQL 1.1 endpoint (``/sparql``) and its Service Description.

Protocol (https://www.w3.org/TR/sparql11-protocol/), as the W3C protocol tests check it
(``tests/w3c/protocol``):

* query by ``GET /sparql?query=``, by ``POST`` form (``query=``) and by ``POST`` direct (the query
  as the body); ``default-graph-uri`` and
  ``named-graph-uri`` (repeatable; URL or form) give the dataset and win over the query's FROM. A
  graph the store lacks is an empty graph: nothing is ever fetched;
* update by ``POST`` only (form ``update=`` or the update as the body), with the server's
  token (:mod:`.sparql_update`); an update sent by GET is refused and never run;
* every request is UTF-8 (:mod:`.protocol`); queries and updates get this endpoint's URL as base
  IRI and the project prefixes (``og:``, ``spectrum:``, ``id:``, ``derived:`` …) predeclared;
* results by content negotiation (q-values; ``?format=`` overrides): SELECT/ASK as SPARQL JSON,
  XML, CSV, TSV; CONSTRUCT/DESCRIBE as Turtle, N-Triples, JSON-LD, RDF/XML, TriG, N-Quads, keeping
  the prefixes the query declared and the project's own that the result uses; 406 lists what
  could be produced;
* ``GET /sparql`` with no query: the Service Description (RDF by Accept; a browser is sent to the
  query page); ``GET /sparql?graph=`` / ``?default``: Graph Store reads (:mod:`.graph_store`).

Limits (:mod:`.settings`): query size and nesting depth (400/413 before the engine sees it), a
queue with a deadline (429 with Retry-After past it), the timeout (504), a row cap and a byte
cap. A cut result always says so and by which cap: headers ``X-Openness-Truncated: true``,
``X-Openness-Truncated-By: rows|bytes``, ``X-Openness-Max-Rows``, ``X-Openness-Max-Bytes``; in
the body, SPARQL JSON gets ``"truncated": true``, ``"truncatedBy"``, ``"maxRows"``, ``"maxBytes"``
and ``head.link`` to og:TruncatedResult, SPARQL XML a ``<link href>``, Turtle/N-Triples/TriG/
N-Quads/RDF-XML a leading comment (CSV, TSV and JSON-LD have no room: the headers say it).
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from openness import formats
from openness.namespaces import OG
from openness.precheck import Refused
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import RDF, RDFS, SH, XSD

from . import negotiation as neg
from .auth import writing_enabled
from .protocol import (
    BadRequest,
    check_charset,
    check_iris,
    decode,
    error,
    failure,
    media_type,
    one,
    parse_pairs,
    read_body,
    url_params,
)
from .service import QueryResult, Service

router = APIRouter(tags=["SPARQL"])

SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
FORMATS = Namespace(formats.W3C_FORMATS)
VOID = Namespace("http://rdfs.org/ns/void#")

_FORMAT_IRIS = {**{f.media_type: URIRef(f.iri) for f in formats.RESULTS},
                **{f.media_type: URIRef(f.iri) for f in formats.RDF}}
RESULTS = list(neg.RESULTS_MEDIA_TYPES)
RDF_TYPES = list(neg.RDF_MEDIA_TYPES)
TRUNCATION_LINK = f'<{OG.TruncatedResult}>; rel="describedby"'

#: What /sparql answers, for the OpenAPI document.
SPARQL_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {"description": "query results, an update summary, a graph, or the service description",
          "content": {m: {} for m in [*RESULTS, *RDF_TYPES, formats.JSON]}},
    303: {"description": "a browser asking for the endpoint itself is sent to the query page"},
    400: {"description": "malformed request, query or update (the parser's message)",
          "content": {formats.TEXT: {}}},
    401: {"description": "an update without a Bearer token", "content": {formats.TEXT: {}}},
    403: {"description": "SERVICE, LOAD, a wrong token, writing disabled, a derived graph",
          "content": {formats.TEXT: {}}},
    404: {"description": "Graph Store read of a graph the store lacks", "content": {formats.TEXT: {}}},
    406: {"description": "no acceptable result format", "content": {formats.TEXT: {}}},
    413: {"description": "the request is over the size limit", "content": {formats.TEXT: {}}},
    415: {"description": "a charset other than UTF-8", "content": {formats.TEXT: {}}},
    422: {"description": "the update's result violates the shapes (nothing written)",
          "content": {formats.TEXT: {}}},
    429: {"description": "busy: no slot within the queue deadline (Retry-After)",
          "content": {formats.TEXT: {}}},
    503: {"description": "the worker died while answering (Retry-After)", "content": {formats.TEXT: {}}},
    504: {"description": "stopped at the timeout", "content": {formats.TEXT: {}}},
}


def service(request: Request) -> Service:
    return request.app.state.service


def endpoint_url(request: Request) -> str:
    """The absolute URL of /sparql as the client reached it (the base IRI of queries and updates)."""
    return str(request.url_for("sparql"))


# --------------------------------------------------------------------------- reading the request


async def read_request(request: Request) -> dict[str, list[str]]:
    """All protocol parameters of a request (URL, form or direct body) as lists of strings."""
    settings = service(request).settings
    params = url_params(request)
    if request.method != "POST":
        return params
    ctype, ctype_params = media_type(request)
    check_charset(ctype_params)
    if ctype == formats.FORM:
        body = await read_body(request, settings.max_update_bytes, "form body")
        form = parse_pairs(decode(body, "form body"), "form body")
        for key in ("query", "update"):
            if key in params:
                raise BadRequest(f"'{key}' is in the URL of a form POST: put it in the form body only")
        if "query" in form and len(body) > settings.max_query_bytes:
            raise BadRequest(f"the query is over the size limit of {settings.max_query_bytes:,} bytes", 413)
        for key, values in form.items():
            params.setdefault(key, []).extend(values)
        return params
    if ctype in (formats.SPARQL_QUERY, formats.SPARQL_UPDATE):
        key = "query" if ctype == formats.SPARQL_QUERY else "update"
        if "query" in params or "update" in params:
            raise BadRequest(f"a direct POST ({ctype}) carries the {key} in its body; do not also put "
                             "query= or update= in the URL")
        limit = settings.max_query_bytes if key == "query" else settings.max_update_bytes
        params[key] = [decode(await read_body(request, limit, key), f"{key} body")]
        return params
    raise BadRequest(
        f"unsupported Content-Type {ctype or '(none)'!r} for POST /sparql; use "
        f"{formats.FORM} (query= or update=), {formats.SPARQL_QUERY} or {formats.SPARQL_UPDATE}",
        415 if ctype else 400,
    )


def accept(request: Request, params: dict[str, list[str]], offered: list[str]) -> str | None:
    fmt = one(params, "format")
    if fmt:
        try:
            return neg.format_override(fmt, offered)
        except ValueError as err:
            raise BadRequest(str(err)) from None
        except neg.NotAcceptable:
            return None
    return neg.negotiate(request.headers.get("accept"), offered)


def result_headers(svc: Service, result: QueryResult, max_rows: int | None = None) -> dict[str, str]:
    """The headers of a query result: media type, row count, truncation (and by which cap), the
    time it waited and ran, and which snapshot generation and worker answered it."""
    media, truncated = result.media_type, result.truncated
    headers = {
        "Content-Type": neg.with_charset(media),
        "Vary": "Accept",
        "X-Openness-Truncated": "true" if truncated else "false",
        "X-Openness-Rows": str(result.rows),
        "X-Openness-Query-Seconds": f"{result.seconds:.3f}",
        "X-Openness-Queue-Seconds": f"{result.waited:.3f}",
        "X-Openness-Generation": str(result.generation),
        "X-Openness-Worker": str(result.worker),
    }
    if truncated:
        headers["X-Openness-Truncated-By"] = truncated
        headers["X-Openness-Max-Rows"] = str(max_rows or svc.settings.max_rows)
        headers["X-Openness-Max-Bytes"] = str(svc.settings.max_result_bytes)
        headers["Link"] = TRUNCATION_LINK
    return headers


# --------------------------------------------------------------------------- the endpoint


_PROTOCOL_PARAMETERS = [
    {"name": "query", "in": "query", "required": False, "schema": {"type": "string"},
     "description": "a SPARQL 1.1 query (GET, or in the URL of a direct POST: not both)"},
    {"name": "default-graph-uri", "in": "query", "required": False,
     "schema": {"type": "array", "items": {"type": "string"}}, "style": "form", "explode": True,
     "description": "the dataset's default graph (repeatable); a graph the store lacks is empty"},
    {"name": "named-graph-uri", "in": "query", "required": False,
     "schema": {"type": "array", "items": {"type": "string"}}, "style": "form", "explode": True,
     "description": "the dataset's named graphs (repeatable)"},
    {"name": "format", "in": "query", "required": False, "schema": {"type": "string"},
     "description": "result format short name (json, xml, csv, tsv, ttl, nt, jsonld, rdf, trig, nq); "
                    "wins over Accept"},
    {"name": "graph", "in": "query", "required": False, "schema": {"type": "string"},
     "description": "Graph Store read: the graph to return"},
    {"name": "default", "in": "query", "required": False, "schema": {"type": "string"},
     "allowEmptyValue": True, "description": "Graph Store read: the default graph"},
]
_UPDATE_PARAMETERS = [
    {"name": "using-graph-uri", "in": "query", "required": False,
     "schema": {"type": "array", "items": {"type": "string"}}, "style": "form", "explode": True,
     "description": "update: the default graph of every WHERE clause (repeatable)"},
    {"name": "using-named-graph-uri", "in": "query", "required": False,
     "schema": {"type": "array", "items": {"type": "string"}}, "style": "form", "explode": True,
     "description": "update: the named graphs of every WHERE clause (repeatable)"},
]
_POST_BODY = {
    "required": True,
    "content": {
        formats.FORM: {"schema": {"type": "object", "properties": {
            "query": {"type": "string"}, "update": {"type": "string"},
            "default-graph-uri": {"type": "array", "items": {"type": "string"}},
            "named-graph-uri": {"type": "array", "items": {"type": "string"}},
            "using-graph-uri": {"type": "array", "items": {"type": "string"}},
            "using-named-graph-uri": {"type": "array", "items": {"type": "string"}}}}},
        formats.SPARQL_QUERY: {"schema": {"type": "string"}},
        formats.SPARQL_UPDATE: {"schema": {"type": "string"}},
    },
}


@router.get(
    "/sparql",
    name="sparql",
    operation_id="sparql_get",
    summary="SPARQL 1.1 query by GET, Graph Store read, or the service description",
    responses={**SPARQL_RESPONSES, 405: {"description": "an update sent by GET (never carried out)",
                                         "content": {formats.TEXT: {}}}},
    openapi_extra={"parameters": _PROTOCOL_PARAMETERS},
)
async def sparql(request: Request) -> Response:
    """Run a SPARQL query (``query=``), a Graph Store read (``graph=`` / ``default``), or describe
    the service (no parameters). An ``update=`` sent by GET is refused (405) and never run."""
    return await handle(request)


@router.post(
    "/sparql",
    name="sparql_post",
    operation_id="sparql_post",
    summary="SPARQL 1.1 query (form or direct POST) or update (with the token)",
    responses={**SPARQL_RESPONSES, 500: {"description": "the store refused a write (nothing written)",
                                         "content": {formats.TEXT: {}}}},
    openapi_extra={"parameters": [*_PROTOCOL_PARAMETERS[1:4], *_UPDATE_PARAMETERS],
                   "requestBody": _POST_BODY, "security": [{}, {"updateToken": []}]},
)
async def sparql_post(request: Request) -> Response:
    """Run a SPARQL query (form ``query=`` or the query as the body) or an update (form
    ``update=`` or the update as the body, with ``Authorization: Bearer <token>``)."""
    return await handle(request)


async def handle(request: Request) -> Response:
    """Both methods of /sparql: read the request, dispatch, answer failures as plain text."""
    svc = service(request)
    try:
        params = await read_request(request)
        query, update = one(params, "query"), one(params, "update")
        if query is not None and update is not None:
            raise BadRequest("the request has both query= and update=; send one")
        if update is not None:
            if request.method != "POST":
                raise BadRequest("updates are accepted by POST only (SPARQL 1.1 Protocol §2.2); "
                                 "this GET was not carried out", 405)
            from .sparql_update import run_update

            return await run_update(request, update, params)
        if query is not None:
            return await run_query(request, query, params)
        if "graph" in params or "default" in params:
            from .graph_store import read_graph

            return await read_graph(request, params)
        if request.method == "POST":
            raise BadRequest("POST /sparql needs query= or update= (or a direct query/update body)")
        return await service_description_response(request, params)
    except Exception as err:
        response = failure(err, timeout=svc.settings.query_timeout)
        if response.status_code == 405:
            response.headers["Allow"] = "POST"
        return response


async def run_query(request: Request, query: str, params: dict[str, list[str]]) -> Response:
    svc = service(request)
    if not query.strip():
        raise BadRequest("the query is empty")
    results_media = accept(request, params, RESULTS)
    rdf_media = accept(request, params, RDF_TYPES)
    if results_media is None and rdf_media is None:
        return error(406, str(neg.NotAcceptable(request.headers.get("accept"), [*RESULTS, *RDF_TYPES])))
    defaults, named = params.get("default-graph-uri"), params.get("named-graph-uri")
    check_iris(defaults, "default-graph-uri")
    check_iris(named, "named-graph-uri")
    try:
        result = await _run(svc, request, query, results_media, rdf_media, defaults, named)
    except Refused as err:
        if err.status != 406:
            raise
        offered = RESULTS if results_media is None else RDF_TYPES
        return error(406, f"{err}; {neg.NotAcceptable(request.headers.get('accept'), offered)}")
    return Response(result.body, headers=result_headers(svc, result))


async def _run(svc: Service, request: Request, query: str, results_media: str | None,
               rdf_media: str | None, defaults: list[str] | None, named: list[str] | None) -> QueryResult:
    return await svc.query(
        request,
        {
            "query": query,
            "results_media_type": results_media,
            "rdf_media_type": rdf_media,
            "protocol_dataset": defaults is not None or named is not None,
            "default_graphs": defaults or [],
            "named_graphs": named or [],
            "base_iri": endpoint_url(request),
        },
    )


# --------------------------------------------------------------------------- service description


async def service_description_response(request: Request, params: dict[str, list[str]]) -> Response:
    header = request.headers.get("accept", "")
    if "format" not in params and neg.negotiate(header, [*RDF_TYPES, formats.HTML]) == formats.HTML:
        # A person with a browser opened the endpoint itself: show the query page, which runs
        # its queries here (SPARQL clients ask for RDF or results and get the description).
        return RedirectResponse("/query", status_code=303, headers={"Vary": "Accept"})
    media = accept(request, params, RDF_TYPES)
    if media is None:
        return error(406, str(neg.NotAcceptable(request.headers.get("accept"), RDF_TYPES)))
    svc = service(request)
    graphs = await svc.read(request, svc.graph_names)
    graph = service_description(request, graphs)
    data = graph.serialize(format=formats.RDF_BY_MEDIA[media].rdflib, encoding="utf-8")
    return Response(data, headers={"Content-Type": neg.with_charset(media), "Vary": "Accept"})


def service_description(request: Request, graphs: list[str]) -> Graph:
    """The SPARQL 1.1 Service Description: languages, formats, limits, the named graphs and the
    predeclared prefixes (as SHACL prefix declarations, ``sh:declare``)."""
    svc = service(request)
    settings = svc.settings
    g = Graph()
    g.bind("sd", SD)
    g.bind("formats", FORMATS)
    g.bind("void", VOID)
    g.bind("sh", SH)
    url = URIRef(endpoint_url(request))
    me = URIRef(str(url) + "#service")
    g.add((me, RDF.type, SD.Service))
    g.add((me, SD.endpoint, url))
    g.add((me, SD.supportedLanguage, SD.SPARQL11Query))
    if writing_enabled(settings):
        g.add((me, SD.supportedLanguage, SD.SPARQL11Update))
    g.add((me, SD.feature, SD.UnionDefaultGraph))
    for media in (*RESULTS, *RDF_TYPES):
        g.add((me, SD.resultFormat, _FORMAT_IRIS[media]))
    for prefix, namespace in svc.prefixes.items():
        decl = BNode()
        g.add((me, SH.declare, decl))
        g.add((decl, SH.prefix, Literal(prefix)))
        g.add((decl, SH.namespace, Literal(namespace, datatype=XSD.anyURI)))
    dataset = BNode()
    g.add((me, SD.defaultDataset, dataset))
    g.add((dataset, RDF.type, SD.Dataset))
    g.add((dataset, RDFS.seeAlso, URIRef(str(request.url_for("void")))))
    default = BNode()
    g.add((dataset, SD.defaultGraph, default))
    g.add((default, RDF.type, SD.Graph))
    g.add((default, RDFS.comment, Literal(
        "The merge of the source graphs (every named graph outside id/graph/derived/) and of the "
        "current derived graphs: each triple once.")))
    for name in graphs:
        named = BNode()
        g.add((dataset, SD.namedGraph, named))
        g.add((named, RDF.type, SD.NamedGraph))
        g.add((named, SD.name, URIRef(name)))
    g.add((me, RDFS.comment, Literal(
        ("Updates (POST only) need the update token. " if writing_enabled(settings) else "Read-only. ")
        + f"Queries wait up to {settings.queue_wait:g} s for one of {settings.max_concurrent_queries} "
        f"query slots (429 with Retry-After past that) and stop after {settings.query_timeout:g} s; "
        f"results are cut at {settings.max_rows} rows or {settings.max_result_bytes:,} bytes "
        "(X-Openness-Truncated: true, X-Openness-Truncated-By says which); queries are limited to "
        f"{settings.max_query_bytes:,} bytes and {settings.max_depth} levels of nesting. The base IRI "
        "is this endpoint's URL; the prefixes of sh:declare are predeclared. SERVICE and LOAD are "
        "refused; FROM and default-graph-uri read only graphs of this store (a graph it lacks is empty).")))
    return g
