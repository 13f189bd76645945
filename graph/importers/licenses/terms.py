"""License nodes: what a license is called, where its text lives, and its terms.

The terms of named custom licenses (use restrictions, ODRL constraints) and the curated typing of
licenses (``og:ProprietaryLicense``) live in ``ontology/schemes/licenses.ttl``; :func:`license_graph`
describes each license node with them. :func:`resolution_for_iri` goes the other way, from a
license IRI (found in any batch: a catalogue import, an example file, a loaded claim file) back to
what is known about it, so a license can be described from its IRI alone.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS

from ...namespaces import DEFAULT_DATA_BASE, OG, SPDX, bind_all, data_base
from ...resources import ontology_dir
from .lists import mof_list, spdx_list
from .normalize import LicenseResolution, custom_names

_CONTENT_TYPES = {"code": OG.CodeContent, "data": OG.DataContent, "document": OG.DocumentContent}


def _rebase(term: URIRef) -> URIRef:
    """licenses.ttl names custom licenses under the default data base; follow OPENNESS_BASE_IRI."""
    base = data_base()
    if base != DEFAULT_DATA_BASE and str(term).startswith(DEFAULT_DATA_BASE):
        return URIRef(base + str(term)[len(DEFAULT_DATA_BASE) :])
    return term


@cache
def _terms_graph() -> Graph:
    graph = Graph()
    graph.parse(ontology_dir() / "schemes" / "licenses.ttl", format="turtle")
    return graph


def license_terms(iri: URIRef) -> Graph:
    """The curated terms of one license (use restrictions, ODRL rules, labels, curated types),
    blank nodes included."""
    source = _terms_graph()
    out = Graph()
    original = (
        URIRef(DEFAULT_DATA_BASE + str(iri)[len(data_base()) :]) if str(iri).startswith(data_base()) else iri
    )
    todo: list = [original]
    seen: set = set()
    while todo:
        node = todo.pop()
        if node in seen:
            continue
        seen.add(node)
        for p, o in source.predicate_objects(node):
            s_out = _rebase(node) if isinstance(node, URIRef) else node
            o_out = _rebase(o) if isinstance(o, URIRef) else o
            out.add((s_out, p, o_out))
            if isinstance(o, BNode):
                todo.append(o)
    return out


def license_graph(resolutions: Iterable[LicenseResolution]) -> Graph:
    """The license nodes for the given resolutions: type, SPDX id or raw text, label, URL, terms."""
    graph = Graph()
    bind_all(graph.namespace_manager)
    spdx = spdx_list()
    for res in resolutions:
        if res.iri is None:
            continue
        if res.iri == OG.Unlicensed:
            graph.add((OG.Unlicensed, RDF.type, OG.License))
            graph.add((OG.Unlicensed, RDFS.label, Literal("no license (included but unlicensed)")))
            continue
        graph.add((res.iri, RDF.type, OG.License))
        if res.spdx_id:
            graph.add((res.iri, OG.spdxId, Literal(res.spdx_id)))
            entry = spdx.entries.get(res.spdx_id)
            graph.add((res.iri, RDFS.label, Literal(entry.name if entry else res.spdx_id)))
            graph.add((res.iri, OG.licenseURL, URIRef(f"https://spdx.org/licenses/{res.spdx_id}.html")))
        else:
            graph.add((res.iri, RDF.type, OG.CustomLicense))
            graph.add((res.iri, RDFS.label, Literal(res.custom_name or res.raw.strip())))
            if res.raw.strip() and res.method != "iri":  # a string a source wrote, not our own name
                graph.add((res.iri, OG.rawText, Literal(res.raw.strip())))
            if res.url:
                graph.add((res.iri, OG.licenseURL, URIRef(res.url)))
            if res.warning:
                graph.add((res.iri, RDFS.comment, Literal(res.warning)))
        graph += license_terms(res.iri)
        for ctype in mof_list().content_types.get(res.spdx_id or "", ()):
            if ctype in _CONTENT_TYPES:
                graph.add((res.iri, OG.licenseContentType, _CONTENT_TYPES[ctype]))
    return graph


def resolution_for_iri(iri: URIRef) -> LicenseResolution | None:
    """What is known about a license from its IRI: an SPDX id, ``og:Unlicensed``, or a custom
    license curated in the alias table (raw text: its name). None for any other IRI (an unmapped
    custom license is described by the batch that saw its raw text)."""
    text = str(iri)
    if iri == OG.Unlicensed:
        return LicenseResolution(OG.Unlicensed, None, None, "", None, "unlicensed", "special")
    if text.startswith(str(SPDX)):
        spdx_id = text[len(str(SPDX)):]
        if spdx_id in spdx_list().entries:
            return LicenseResolution(iri, spdx_id, None, spdx_id, None, "spdx", "iri")
        return None
    alias = custom_names().get(iri)
    if alias is not None and alias.custom_name:
        return LicenseResolution(iri, None, alias.custom_name, alias.custom_name, None, "custom", "iri",
                                 alias.url)
    return None


__all__ = ["license_graph", "license_terms", "resolution_for_iri"]
