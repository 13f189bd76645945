"""Dereferenceable IRIs: every minted IRI answers with HTML for people and RDF for machines.

The scheme (documented in ``docs/linked-data.md``):

* ``/id/<rest>`` names a *thing* (a release, a claim, an agent). It answers **303 See Other** with
  ``Vary: Accept`` to a document about it: ``/page/<rest>`` (HTML) or ``/data/<rest>.<ext>`` (RDF),
  chosen by ``?format=`` if given, else by the Accept header. 404 when the graph does not know it.
* ``/data/<rest>.ttl|.jsonld|.nt|.rdf`` are the RDF documents; ``/data/<rest>`` negotiates directly.
* Ontology terms are hash IRIs (``…/ns#Open``): the namespace document ``/ns`` (and ``/mof``,
  ``/spectrum``, …) is negotiated directly (200, ``Vary: Accept``, ``Content-Location``).
* ``/resource?iri=`` describes IRIs outside our base that the graph talks about (SPDX licenses,
  evidence URLs), negotiated directly.

This router is registered last because ``/id/...`` and ``/{namespace}`` catch broad paths.
"""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import RedirectResponse, Response
from openness.namespaces import bind_all
from rdflib import Graph

from . import views
from .guard import limited
from .negotiation import HTML, NotAcceptable, format_override, negotiate, with_charset

router = APIRouter(include_in_schema=False)

#: RDF documents this service writes: media type → (rdflib format, file extension).
RDF_DOCS: dict[str, tuple[str, str]] = {
    "text/turtle": ("turtle", "ttl"),
    "application/ld+json": ("json-ld", "jsonld"),
    "application/n-triples": ("nt", "nt"),
    "application/rdf+xml": ("xml", "rdf"),
}
EXTENSIONS = {ext: media for media, (_, ext) in RDF_DOCS.items()}
OFFERED = [HTML, *RDF_DOCS]


def choose(request: Request, fmt: str | None, offered: list[str]) -> str:
    """The media type to answer with: ``?format=`` wins over Accept; 406/400 when neither works."""
    try:
        media = format_override(fmt, offered) if fmt else negotiate(request.headers.get("accept"), offered)
    except NotAcceptable as err:
        raise HTTPException(status_code=406, detail=str(err)) from err
    except ValueError as err:
        raise HTTPException(status_code=400, detail=str(err)) from err
    if media is None:
        raise HTTPException(
            status_code=406, detail=str(NotAcceptable(request.headers.get("accept"), offered))
        )
    return media


def serialize(graph: Graph, media: str) -> bytes:
    bind_all(graph.namespace_manager)
    return graph.serialize(format=RDF_DOCS[media][0], encoding="utf-8")


def rdf_response(graph: Graph, media: str, *, location: str | None = None, vary: bool = False) -> Response:
    headers = {}
    if vary:
        headers["Vary"] = "Accept"
    if location:
        headers["Content-Location"] = location
    return Response(serialize(graph, media), media_type=with_charset(media), headers=headers)


@router.api_route("/id/{rest:path}", methods=["GET", "HEAD"])
@limited
def dereference(request: Request, rest: str, format: str | None = Query(None)) -> Response:  # noqa: A002
    """303 from the IRI of a thing to the document about it, in the format asked for."""
    store = views.get_store(request)
    mapper = views.IriMapper(views.base_iri(request))
    iri = mapper.iri_for(rest)
    if not views.exists(store, iri):
        raise HTTPException(status_code=404, detail=f"{iri} is not in this graph")
    media = choose(request, format, OFFERED)
    target = f"/page/{rest}" if media == HTML else f"/data/{rest}.{RDF_DOCS[media][1]}"
    return RedirectResponse(target, status_code=303, headers={"Vary": "Accept"})


@router.get("/data/{rest:path}")
@limited
def data_document(request: Request, rest: str, format: str | None = Query(None)) -> Response:  # noqa: A002
    """The RDF about one IRI: outgoing triples, its blank-node parts, incoming links."""
    stem, dot, ext = rest.rpartition(".")
    explicit = dot and ext in EXTENSIONS
    if explicit:
        rest, media = stem, EXTENSIONS[ext]
    else:
        media = choose(request, format, list(RDF_DOCS))
    store = views.get_store(request)
    iri = views.IriMapper(views.base_iri(request)).iri_for(rest)
    if not views.exists(store, iri):
        raise HTTPException(status_code=404, detail=f"{iri} is not in this graph")
    location = None if explicit else f"/data/{rest}.{RDF_DOCS[media][1]}"
    return rdf_response(views.describe(store, iri), media, location=location, vary=not explicit)


@router.get("/resource")
@limited
def resource(
    request: Request, iri: str = Query(..., min_length=3), format: str | None = Query(None)
) -> Response:  # noqa: A002
    """Any IRI the graph mentions that is not ours (an SPDX license, a source URL), negotiated."""
    store = views.get_store(request)
    views.check_iri(iri)
    mapper = views.IriMapper(views.base_iri(request))
    if mapper.local_rest(iri) is not None:
        return RedirectResponse(mapper.href(iri), status_code=303)
    if not views.exists(store, iri):
        raise HTTPException(status_code=404, detail=f"{iri} is not in this graph")
    media = choose(request, format, OFFERED)
    if media == HTML:
        from .pages import render_resource  # noqa: PLC0415 - pages imports this module too

        response = render_resource(request, iri)
        response.headers["Vary"] = "Accept"
        return response
    return rdf_response(views.describe(store, iri), media, vary=True)


def namespace_document(request: Request, ns: str, fmt: str | None) -> Response:
    """``/ns``, ``/mof``, ``/spectrum`` …: the terms of one ontology namespace, negotiated."""
    media = choose(request, fmt, OFFERED)
    if media == HTML:
        from .pages import render_namespace  # noqa: PLC0415

        response = render_namespace(request, ns)
    else:
        response = rdf_response(views.namespace_graph(ns), media)
    response.headers["Vary"] = "Accept"
    response.headers["Content-Location"] = f"/{ns}?format={'html' if media == HTML else RDF_DOCS[media][1]}"
    return response


def _namespace_route(ns: str):  # noqa: ANN202 - a FastAPI endpoint
    @limited
    def endpoint(request: Request, format: str | None = Query(None)) -> Response:  # noqa: A002
        return namespace_document(request, ns, format)

    endpoint.__name__ = f"namespace_{ns}"
    return endpoint


for _ns in views.ONTOLOGY_NAMESPACES:
    router.add_api_route(f"/{_ns}", _namespace_route(_ns), methods=["GET", "HEAD"])
