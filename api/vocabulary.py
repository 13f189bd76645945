"""The vocabulary the pages show: the shipped ontology and SKOS schemes (read once), display labels
(ontology first, then the store, then the IRI's local name), and the terms of each ontology
namespace for its ``/<ns>`` document."""

from __future__ import annotations

from functools import cache
from typing import Any

from openness.namespaces import bind_all
from openness.resources import turtle_files
from openness.store import Store
from rdflib import BNode, Graph, URIRef
from rdflib.namespace import DCTERMS, FOAF, RDF, RDFS, SKOS

from .iris import ONTOLOGY_NAMESPACES, SAFE_IRI, local_name
from .page_queries import run_plain

_LABEL_PROPS = (RDFS.label, SKOS.prefLabel, DCTERMS.title, FOAF.name)


@cache
def ontology_graph() -> Graph:
    """The shipped ontology and SKOS schemes (labels, definitions of criteria, tiers, statuses)."""
    graph = Graph()
    bind_all(graph.namespace_manager)
    try:
        files = turtle_files("ontology")
    except FileNotFoundError:
        files = []
    for path in files:
        graph.parse(path, format="turtle")
    return graph


@cache
def ontology_labels() -> dict[str, str]:
    """IRI → display label of every labelled term of the shipped ontology (read once)."""
    onto = ontology_graph()
    out: dict[str, str] = {}
    for prop in reversed(_LABEL_PROPS):  # the first property of _LABEL_PROPS wins
        for s, o in onto.subject_objects(prop):
            if isinstance(s, URIRef):
                out[str(s)] = str(o)
    return out


def labels(store: Store, iris: list[str] | set[str]) -> dict[str, str]:
    """Display labels: ontology first, then the store, then the IRI's local name."""
    known = ontology_labels()
    out: dict[str, str] = {}
    missing = []
    for iri in {str(i) for i in iris if i}:
        if iri in known:
            out[iri] = known[iri]
        elif SAFE_IRI.match(iri):
            missing.append(iri)
    for start in range(0, len(missing), 200):
        for row in run_plain(store, "labels", iri=missing[start : start + 200]):
            out[row["x"]] = row["label"]
    for iri in missing:
        out.setdefault(iri, local_name(iri))
    return out


def criterion_scheme(criterion: str) -> str:
    """The short name of the scheme a criterion belongs to (by its namespace)."""
    for ns, iri in ONTOLOGY_NAMESPACES.items():
        if criterion.startswith(iri):
            return ns
    return "ns"


def ontology_terms(ns: str) -> list[dict[str, Any]]:
    """Every term of one ontology namespace with its label, definition and types (for ``/<ns>``)."""
    onto = ontology_graph()
    prefix = ONTOLOGY_NAMESPACES[ns]
    terms = sorted({s for s in onto.subjects() if isinstance(s, URIRef) and str(s).startswith(prefix)})
    out = []
    for term in terms:
        out.append(
            {
                "iri": str(term),
                "name": str(term)[len(prefix) :],
                "label": str(onto.value(term, RDFS.label) or onto.value(term, SKOS.prefLabel) or ""),
                "definition": str(onto.value(term, SKOS.definition) or onto.value(term, RDFS.comment) or ""),
                "types": sorted(str(t) for t in onto.objects(term, RDF.type)),
            }
        )
    return out


def namespace_graph(ns: str) -> Graph:
    """The ontology triples whose subject is in one namespace (the RDF of ``/<ns>``)."""
    onto = ontology_graph()
    prefix = ONTOLOGY_NAMESPACES[ns]
    out = Graph()
    bind_all(out.namespace_manager)
    for s, p, o in onto:
        if str(s).startswith(prefix) or (ns == "ns" and str(s) == prefix.rstrip("#")):
            out.add((s, p, o))
            if isinstance(o, BNode):
                for triple in onto.triples((o, None, None)):
                    out.add(triple)
    return out
