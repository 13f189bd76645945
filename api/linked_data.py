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
* JSON-LD documents are compacted with the project's published context
  (``ontology/context.jsonld``, IRI ``https://w3id.org/openness/context.jsonld``) and name it by that
  IRI in ``"@context"``; the context itself is served at ``/context.jsonld`` (and ``/context``), the
  address its w3id IRI redirects to, and ``openness load`` resolves the IRI locally, so a served
  document loads back offline.

This router is registered last because ``/id/...`` and ``/{namespace}`` catch broad paths.
"""

from __future__ import annotations

import json
from typing import Any

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import RedirectResponse, Response
from openness import formats
from openness.ingest.safe import LOCAL_CONTEXTS, shipped_context
from openness.namespaces import bind_all
from openness.resources import ontology_dir
from rdflib import Graph

from . import views
from .guard import limited
from .negotiation import HTML, NotAcceptable, format_override, negotiate, with_charset

router = APIRouter(include_in_schema=False)

#: RDF documents this service writes: media type → (rdflib format, file extension).
RDF_DOCS: dict[str, tuple[str, str]] = {
    f.media_type: (f.rdflib, f.extension)
    for f in (formats.RDF_BY_KEY[k] for k in ("ttl", "jsonld", "nt", "rdfxml"))
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


#: The IRI of the published JSON-LD context (the one ``openness load`` resolves locally).
CONTEXT_IRI = next(iri for iri in LOCAL_CONTEXTS if iri.endswith(".jsonld"))
JSONLD = formats.JSON_LD


def jsonld(graph: Graph) -> bytes:
    """The graph as JSON-LD compacted with the published context, which ``"@context"`` names by
    its IRI (:data:`CONTEXT_IRI`) instead of repeating it."""
    doc: Any = json.loads(graph.serialize(format="json-ld", context=shipped_context(), auto_compact=True))
    if isinstance(doc, dict):
        doc["@context"] = CONTEXT_IRI
    else:
        doc = {"@context": CONTEXT_IRI, "@graph": doc}
    return json.dumps(doc, ensure_ascii=False, indent=2).encode("utf-8")


def serialize(graph: Graph, media: str) -> bytes:
    if media == JSONLD:
        return jsonld(graph)
    bind_all(graph.namespace_manager)
    return graph.serialize(format=RDF_DOCS[media][0], encoding="utf-8")


def rdf_response(graph: Graph, media: str, *, location: str | None = None, vary: bool = False) -> Response:
    headers = {}
    if vary:
        headers["Vary"] = "Accept"
    if location:
        headers["Content-Location"] = location
    return Response(serialize(graph, media), media_type=with_charset(media), headers=headers)


@router.api_route("/context.jsonld", methods=["GET", "HEAD"])
@router.api_route("/context", methods=["GET", "HEAD"])
def context_document() -> Response:
    """The published JSON-LD context (``ontology/context.jsonld``), the one every served JSON-LD
    document names in ``"@context"``."""
    body = (ontology_dir() / LOCAL_CONTEXTS[CONTEXT_IRI]).read_bytes()
    return Response(body, media_type=with_charset(JSONLD),
                    headers={"Cache-Control": "public, max-age=3600", "Content-Location": "/context.jsonld"})


@router.api_route("/id/{rest:path}", methods=["GET", "HEAD"])
@limited
def dereference(request: Request, rest: str, format: str | None = Query(None)) -> Response:
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
def data_document(request: Request, rest: str, format: str | None = Query(None)) -> Response:
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
) -> Response:
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
        from .pages import render_resource

        response = render_resource(request, iri)
        response.headers["Vary"] = "Accept"
        return response
    return rdf_response(views.describe(store, iri), media, vary=True)


def namespace_document(request: Request, ns: str, fmt: str | None) -> Response:
    """``/ns``, ``/mof``, ``/spectrum`` …: the terms of one ontology namespace, negotiated."""
    media = choose(request, fmt, OFFERED)
    if media == HTML:
        from .pages import render_namespace

        response: Response = render_namespace(request, ns)
    else:
        response = rdf_response(views.namespace_graph(ns), media)
    response.headers["Vary"] = "Accept"
    response.headers["Content-Location"] = f"/{ns}?format={'html' if media == HTML else RDF_DOCS[media][1]}"
    return response


def _namespace_route(ns: str):
    @limited
    def endpoint(request: Request, format: str | None = Query(None)) -> Response:
        return namespace_document(request, ns, format)

    endpoint.__name__ = f"namespace_{ns}"
    return endpoint


for _ns in views.ONTOLOGY_NAMESPACES:
    router.add_api_route(f"/{_ns}", _namespace_route(_ns), methods=["GET", "HEAD"])
