"""The SPARQL 1.1 endpoint (``/sparql``), Graph Store reads and the Service Description.

Protocol (https://www.w3.org/TR/sparql11-protocol/):

* query by ``GET /sparql?query=``, by ``POST`` form (``application/x-www-form-urlencoded``,
  ``query=``) and by ``POST`` direct (``application/sparql-query``); ``default-graph-uri`` and
  ``named-graph-uri`` (repeatable; in the URL, or in the form);
* results by content negotiation (q-values; ``?format=`` overrides): SELECT/ASK as SPARQL JSON,
  XML, CSV, TSV; CONSTRUCT/DESCRIBE as Turtle, N-Triples, JSON-LD, RDF/XML, TriG, N-Quads (graph
  results sit in the default graph of TriG/N-Quads); 406 lists what could be produced;
* ``GET /sparql`` without a query: the Service Description (RDF by Accept);
* Graph Store Protocol, reading: ``GET /sparql?graph=<iri>`` or ``/rdf-graph-store?graph=<iri>``,
  ``?default`` for the default graph (the union of all graphs);
* updates: ``POST`` ``update=`` or ``application/sparql-update``, only with the server's token
  (see :mod:`.update`).

Errors are ``text/plain`` with a message that says what to change: 400 malformed request or query
(with Oxigraph's parser message), 403 forbidden operation (SERVICE, LOAD), 406, 429 (+Retry-After)
when every query slot is busy, 504 when the query ran out of time (its worker was killed).

Truncation: a result cut at the server's ``max_rows`` always says so: headers
``X-Openness-Truncated: true`` and ``X-Openness-Max-Rows``; in the body, SPARQL JSON gets
``"truncated": true`` and ``"maxRows"`` plus ``head.link`` to og:TruncatedResult, SPARQL XML a
``<link href>`` in its head, Turtle/N-Triples/TriG/N-Quads/RDF-XML a leading comment. CSV, TSV
and JSON-LD have nowhere to say it without breaking the format: their signal is the headers.
Complete results carry ``X-Openness-Truncated: false``.
"""

from __future__ import annotations

import urllib.parse

from fastapi import APIRouter, Request
from fastapi.responses import PlainTextResponse, RedirectResponse, Response
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import RDF, RDFS

from . import negotiation as neg
from .query_service import Busy, QueryService, QueryTimeout
from .query_worker import QueryError
from .safety import Refused, check_query, inspect_sparql

router = APIRouter(tags=["SPARQL"])

SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
FORMATS = Namespace("http://www.w3.org/ns/formats/")
VOID = Namespace("http://rdfs.org/ns/void#")

_FORMAT_IRIS = {
    "application/sparql-results+json": FORMATS.SPARQL_Results_JSON,
    "application/sparql-results+xml": FORMATS.SPARQL_Results_XML,
    "text/csv": FORMATS.SPARQL_Results_CSV,
    "text/tab-separated-values": FORMATS.SPARQL_Results_TSV,
    "text/turtle": FORMATS.Turtle,
    "application/n-triples": FORMATS["N-Triples"],
    "application/ld+json": FORMATS["JSON-LD"],
    "application/rdf+xml": FORMATS.RDF_XML,
    "application/trig": FORMATS.TriG,
    "application/n-quads": FORMATS["N-Quads"],
}

_RESULTS = list(neg.RESULTS_MEDIA_TYPES)
_RDF = list(neg.RDF_MEDIA_TYPES)


def error(status: int, message: str, headers: dict[str, str] | None = None) -> PlainTextResponse:
    """Every endpoint error: plain text saying what went wrong and what to do."""
    return PlainTextResponse(message + "\n", status_code=status, headers=headers)


class BadRequest(Exception):
    """A malformed protocol request (answered 400)."""


def service(request: Request) -> QueryService:
    return request.app.state.queries


# --------------------------------------------------------------------------- reading the request


def _params(pairs: list[tuple[str, str]]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for key, value in pairs:
        out.setdefault(key, []).append(value)
    return out


def _one(params: dict[str, list[str]], name: str) -> str | None:
    values = params.get(name)
    if not values:
        return None
    if len(values) > 1:
        raise BadRequest(f"the request has {len(values)} '{name}' parameters; send exactly one")
    return values[0]


def _decode(body: bytes, what: str) -> str:
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError as err:
        raise BadRequest(
            f"the {what} is not UTF-8 (byte {err.start}: {body[err.start : err.start + 1]!r}); "
            "SPARQL requests must be encoded in UTF-8"
        ) from None


async def _read(request: Request) -> dict[str, list[str]]:
    """All protocol parameters of a request (URL, form or direct body) as lists of strings."""
    url_params = _params(
        urllib.parse.parse_qsl(_decode(request.url.query.encode("latin-1"), "URL"), keep_blank_values=True)
    )
    if request.method != "POST":
        return url_params
    ctype = request.headers.get("content-type", "").split(";")[0].strip().lower()
    body = await request.body()
    if ctype == "application/x-www-form-urlencoded":
        form = _params(urllib.parse.parse_qsl(_decode(body, "form body"), keep_blank_values=True))
        for key in ("query", "update"):
            if key in url_params:
                raise BadRequest(f"'{key}' is in the URL of a form POST: put it in the form body only")
        for key, values in form.items():
            url_params.setdefault(key, []).extend(values)
        return url_params
    if ctype in ("application/sparql-query", "application/sparql-update"):
        key = "query" if ctype == "application/sparql-query" else "update"
        if "query" in url_params or "update" in url_params:
            raise BadRequest(
                f"a direct POST ({ctype}) carries the {key} in its body; "
                "do not also put query= or update= in the URL"
            )
        url_params[key] = [_decode(body, f"{key} body")]
        return url_params
    raise BadRequest(
        f"unsupported Content-Type {ctype or '(none)'!r} for POST /sparql; use "
        "application/x-www-form-urlencoded (query= or update=), application/sparql-query or "
        "application/sparql-update"
    )


def _accept(request: Request, params: dict[str, list[str]], offered: list[str]) -> str | None:
    fmt = _one(params, "format")
    if fmt:
        try:
            return neg.format_override(fmt, offered)
        except ValueError as err:
            raise BadRequest(str(err)) from None
        except neg.NotAcceptable:
            return None
    return neg.negotiate(request.headers.get("accept"), offered)


def _headers_for(
    result_media: str, truncated: bool, rows: int, max_rows: int, seconds: float
) -> dict[str, str]:
    headers = {
        "Content-Type": neg.with_charset(result_media),
        "Vary": "Accept",
        "X-Openness-Truncated": "true" if truncated else "false",
        "X-Openness-Rows": str(rows),
        "X-Openness-Query-Seconds": f"{seconds:.3f}",
    }
    if truncated:
        headers["X-Openness-Max-Rows"] = str(max_rows)
        headers["Link"] = '<https://w3id.org/openness/ns#TruncatedResult>; rel="describedby"'
    return headers


# --------------------------------------------------------------------------- routes


@router.api_route("/sparql", methods=["GET", "POST"], summary="SPARQL 1.1 query / update endpoint")
async def sparql(request: Request) -> Response:
    """Run a SPARQL query (GET, POST form, POST direct), an update (with the token), a Graph
    Store read (``graph=`` / ``default``), or describe the service (no parameters)."""
    try:
        params = await _read(request)
        query = _one(params, "query")
        update = _one(params, "update")
        if query is not None and update is not None:
            raise BadRequest("the request has both query= and update=; send one")
        if update is not None:
            from .update import run_update  # noqa: PLC0415 - only update requests need it

            return await run_update(request, update, params)
        if query is not None:
            return await _query(request, query, params)
        if "graph" in params or "default" in params:
            return await _graph_store(request, params)
        if request.method == "POST":
            raise BadRequest("POST /sparql needs query= or update= (or a direct query/update body)")
        return await _service_description(request, params)
    except BadRequest as err:
        return error(400, str(err))


@router.api_route("/rdf-graph-store", methods=["GET", "HEAD"], summary="Graph Store Protocol (read)")
async def graph_store(request: Request) -> Response:
    """Read one named graph (``?graph=<iri>``) or the default graph (``?default``)."""
    try:
        params = await _read(request)
        if "graph" not in params and "default" not in params:
            raise BadRequest(
                "name a graph: ?graph=<iri>, or ?default for the default graph (the union of all graphs)"
            )
        response = await _graph_store(request, params)
    except BadRequest as err:
        return error(400, str(err))
    if request.method == "HEAD":
        response.body = b""
    return response


async def _query(request: Request, query: str, params: dict[str, list[str]]) -> Response:
    svc = service(request)
    if not query.strip():
        raise BadRequest("the query is empty")
    found = inspect_sparql(query)
    default_graphs = params.get("default-graph-uri") or None
    named_graphs = params.get("named-graph-uri") or None
    try:
        extra = [*(default_graphs or []), *(named_graphs or [])]
        graphs = await svc.graph_names() if (extra or found.from_graphs or found.from_named_graphs) else set()
        check_query(found, graphs, extra)
    except Refused as err:
        return error(err.status, str(err))
    except Busy as err:
        return error(429, str(err), {"Retry-After": str(err.retry_after)})
    results_media = rdf_media = None
    if found.form in ("SELECT", "ASK", None):
        results_media = _accept(request, params, _RESULTS)
    if found.form in ("CONSTRUCT", "DESCRIBE", None):
        rdf_media = _accept(request, params, _RDF)
    if found.form is not None and results_media is None and rdf_media is None:
        offered = _RESULTS if found.form in ("SELECT", "ASK") else _RDF
        return error(406, str(neg.NotAcceptable(request.headers.get("accept"), offered)))
    try:
        result = await svc.run(
            query,
            results_media_type=results_media,
            rdf_media_type=rdf_media,
            default_graphs=default_graphs,
            named_graphs=named_graphs,
            query_dataset=bool(found.from_graphs or found.from_named_graphs),
        )
    except Busy as err:
        return error(429, str(err), {"Retry-After": str(err.retry_after)})
    except QueryTimeout:
        return error(
            504,
            f"the query was stopped after {svc.timeout:g} s, the server's query timeout. Make it more "
            "selective (bind a subject or class, add LIMIT, avoid unbounded property paths and "
            "cartesian products), or download a dump from /dumps and query it locally.",
        )
    except QueryError as err:
        if err.kind == "not_acceptable":
            offered = _RESULTS if rdf_media is None else _RDF
            return error(406, f"{err}; {neg.NotAcceptable(request.headers.get('accept'), offered)}")
        return error(400, str(err))
    headers = _headers_for(result.media_type, result.truncated, result.rows, svc.max_rows, result.seconds)
    return Response(result.body, headers=headers, media_type=None)


async def _graph_store(request: Request, params: dict[str, list[str]]) -> Response:
    svc = service(request)
    graph = _one(params, "graph")
    if graph is not None and "default" in params:
        raise BadRequest("give either graph=<iri> or default, not both")
    media = _accept(request, params, _RDF)
    if media is None:
        return error(406, str(neg.NotAcceptable(request.headers.get("accept"), _RDF)))
    if graph is not None:
        if not graph or any(c in graph for c in '<>"{}|^`\\ \n'):
            raise BadRequest(f"graph={graph!r} is not an IRI")
        if graph not in await svc.graph_names():
            return error(404, f"no graph <{graph}> in this store; see /.well-known/void for the graph list")
        query = f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}"
    else:
        query = "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }"
    limit = request.app.state.settings.max_graph_triples
    try:
        result = await svc.run(query, results_media_type=None, rdf_media_type=media, max_rows=limit)
    except Busy as err:
        return error(429, str(err), {"Retry-After": str(err.retry_after)})
    except QueryTimeout:
        return error(
            504, f"reading the graph took longer than {svc.timeout:g} s; download it from /dumps instead"
        )
    except QueryError as err:
        return error(400, str(err))
    return Response(
        result.body, headers=_headers_for(media, result.truncated, result.rows, limit, result.seconds)
    )


async def _service_description(request: Request, params: dict[str, list[str]]) -> Response:
    accept = request.headers.get("accept", "")
    if "format" not in params and neg.negotiate(accept, [*_RDF, "text/html"]) == "text/html":
        # A person with a browser opened the endpoint itself: show the query page, which runs
        # its queries here (SPARQL clients ask for RDF or results and get the description).
        return RedirectResponse("/query", status_code=303, headers={"Vary": "Accept"})
    media = _accept(request, params, [*_RDF])
    if media is None:
        return error(406, str(neg.NotAcceptable(request.headers.get("accept"), _RDF)))
    graph = service_description(request)
    data = graph.serialize(format=_RDFLIB_FORMATS[media], encoding="utf-8")
    return Response(data, headers={"Content-Type": neg.with_charset(media), "Vary": "Accept"})


_RDFLIB_FORMATS = {
    "text/turtle": "turtle",
    "application/n-triples": "nt",
    "application/ld+json": "json-ld",
    "application/rdf+xml": "xml",
    "application/trig": "trig",
    "application/n-quads": "nquads",
}


def endpoint_url(request: Request) -> str:
    """The absolute URL of /sparql as the client reached it."""
    return str(request.url_for("sparql"))


def service_description(request: Request) -> Graph:
    """The SPARQL 1.1 Service Description of this endpoint."""
    settings = request.app.state.settings
    g = Graph()
    g.bind("sd", SD)
    g.bind("formats", FORMATS)
    g.bind("void", VOID)
    url = URIRef(endpoint_url(request))
    me = URIRef(str(url) + "#service")
    g.add((me, RDF.type, SD.Service))
    g.add((me, SD.endpoint, url))
    g.add((me, SD.supportedLanguage, SD.SPARQL11Query))
    if settings.update_token:
        g.add((me, SD.supportedLanguage, SD.SPARQL11Update))
    g.add((me, SD.feature, SD.UnionDefaultGraph))
    for media in (*_RESULTS, *_RDF):
        g.add((me, SD.resultFormat, _FORMAT_IRIS[media]))
    dataset = BNode()
    g.add((me, SD.defaultDataset, dataset))
    g.add((dataset, RDF.type, SD.Dataset))
    void_url = URIRef(str(request.url_for("void")))
    g.add((dataset, RDFS.seeAlso, void_url))
    default = BNode()
    g.add((dataset, SD.defaultGraph, default))
    g.add((default, RDF.type, SD.Graph))
    g.add(
        (
            me,
            RDFS.comment,
            Literal(
                "Read-only unless an update token is configured. "
                f"Queries stop after {settings.query_timeout:g} s; "
                f"results are cut at {settings.max_rows} rows (X-Openness-Truncated: true); "
                f"{settings.max_concurrent_queries} queries run at once (429 past that). "
                "SERVICE, LOAD and FROM of "
                "graphs outside the store are refused."
            ),
        )
    )
    return g
