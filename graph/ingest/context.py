"""The part of the store a batch must be validated together with.

Validating a batch alone would miss what it joins (a claim about a release written by an earlier
batch; a derivation that closes a cycle with existing edges). Pulling the whole store would make
every ingest as slow as the store is big. So the context is:

* the description (every triple with it as subject) of every IRI the batch mentions, as subject
  or object: types, so ``sh:class`` checks pass; existing properties, so a batch that adds to a
  node is checked with what the node already has;
* the store's lineage around the batch's own derivation edges (every edge reachable from their
  ends), so the cycle check sees every cycle the batch could close.

Graphs the batch is about to replace are left out: their old content must not hide a problem in
the new one.
"""

from __future__ import annotations

from collections.abc import Iterable

from rdflib import Graph, URIRef

from ..namespaces import OG, PREFIXES
from ..store import Store, iter_chunks

#: Derivation properties (design.md): all sub-properties of og:derivedFrom.
DERIVATION_PROPERTIES = (
    OG.derivedFrom,
    OG.fineTunedFrom,
    OG.adapterOf,
    OG.mergedFrom,
    OG.quantizedFrom,
    OG.distilledFrom,
    OG.continuedPretrainingOf,
)

_CHUNK = 400


def _graph_filter(excluded: Iterable[str]) -> str:
    names = ", ".join(f"<{g}>" for g in excluded)
    return f"FILTER(?g NOT IN ({names}))" if names else ""


def store_context(store: Store, batch_iris: set[URIRef], exclude_graphs: Iterable[str] = (),
                  lineage_from: Iterable[URIRef] = ()) -> Graph:
    """The store triples a batch mentioning ``batch_iris`` must be validated with.

    ``lineage_from``: the releases at either end of the batch's own derivation edges. The cycle
    check needs the store's lineage around them — every edge reachable from them, up or down (a
    property path, bounded by the lineage's size, not the store's); a batch without derivation
    edges needs none.
    """
    context = Graph()
    graph_filter = _graph_filter(exclude_graphs)
    for chunk in iter_chunks(sorted(batch_iris), _CHUNK):
        values = " ".join(f"<{iri}>" for iri in chunk)
        context += store.construct(
            f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ VALUES ?s {{ {values} }} "
            f"GRAPH ?g {{ ?s ?p ?o }} {graph_filter} }}"
        )
    ends = sorted(set(map(str, lineage_from)))
    if ends:
        props = " ".join(f"<{p}>" for p in DERIVATION_PROPERTIES)
        path = "|".join(f"<{p}>" for p in DERIVATION_PROPERTIES)
        for chunk in iter_chunks(ends, _CHUNK):
            values = " ".join(f"<{iri}>" for iri in chunk)
            context += store.construct(
                f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ VALUES ?end {{ {values} }} "
                f"{{ ?end ({path})* ?s }} UNION {{ ?s ({path})* ?end }} "
                f"VALUES ?p {{ {props} }} GRAPH ?g {{ ?s ?p ?o }} {graph_filter} }}"
            )
    return context


_VOCABULARIES = tuple(iri for prefix, iri in PREFIXES.items() if prefix != "spdx")


def mentioned_iris(graph: Graph) -> set[URIRef]:
    """Every data IRI used as subject or object in a graph.

    Vocabulary terms (classes, SKOS concepts of our schemes) are left out: the ontology is mixed
    into every validation anyway, and they are most of the objects of a big batch.
    """
    found: set[URIRef] = set()
    for s, _p, o in graph:
        if isinstance(s, URIRef):
            found.add(s)
        if isinstance(o, URIRef):
            found.add(o)
    return {iri for iri in found if not str(iri).startswith(_VOCABULARIES)}
