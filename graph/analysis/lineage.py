"""Release lineage: the derivation DAG and which base models anchor the most derivatives.

Why networkx: ancestry, descendants, depth and centrality are one call each there, while the
facts stay in the store (``queries/analysis/lineage.rq`` gives the edges). The derivation
properties are not listed here: they are the sub-properties of ``og:derivedFrom`` in the ontology
(``ontology/openness.ttl``: fine-tune, adapter, merge, quantization, distillation, continued
pre-training), so a new kind of derivation needs no code change.

Shapes: :func:`lineage_graph` — a ``networkx.MultiDiGraph``, one node per release (attribute
``label``), one edge child → parent per derivation triple, keyed by the relation's local name
(``fineTunedFrom``, ``mergedFrom``, ...) with the attribute ``relation`` (the same name); a merge
has one edge per parent. :func:`base_models` — a DataFrame, one row per release something is
derived from.
"""

from __future__ import annotations

from functools import cache

import networkx as nx
import pandas as pd
from rdflib import URIRef
from rdflib.namespace import RDFS

from ..derive import run_query
from ..namespaces import OG
from ..store import Store
from ..vocab import load_ontology


@cache
def derivation_properties() -> tuple[URIRef, ...]:
    """Every sub-property of ``og:derivedFrom`` in the ontology (transitively), not itself."""
    g = load_ontology()
    props = {URIRef(str(p)) for p in g.transitive_subjects(RDFS.subPropertyOf, OG.derivedFrom)}
    props -= {OG.derivedFrom}
    if not props:
        raise ValueError("ontology/openness.ttl declares no sub-property of og:derivedFrom")
    return tuple(sorted(props))


def relation_name(iri: str) -> str:
    """``og:fineTunedFrom`` → ``fineTunedFrom`` (the local name of a derivation property)."""
    return str(iri).removeprefix(str(OG))


def lineage_graph(store: Store) -> nx.MultiDiGraph:
    """Releases as nodes (attribute ``label``), one edge child → parent per derivation, keyed by
    the relation (``fineTunedFrom``, ``mergedFrom``, ...) with the same name as attribute
    ``relation``."""
    g: nx.MultiDiGraph[str] = nx.MultiDiGraph()
    rows = run_query(store, "analysis/lineage.rq", values={"relation": list(derivation_properties())})
    for r in rows:
        child, parent = str(r["child"]), str(r["parent"])
        g.add_node(child, label=str(r.get("childLabel") or "") or child.rsplit("/", 1)[-1])
        g.add_node(parent, label=str(r.get("parentLabel") or "") or parent.rsplit("/", 1)[-1])
        rel = relation_name(str(r["relation"]))
        g.add_edge(child, parent, key=rel, relation=rel)
    return g


def ancestors(g: nx.DiGraph, release: str) -> list[str]:
    """Every release ``release`` was derived from, directly or not (edges point child → parent)."""
    return sorted(nx.descendants(g, release)) if release in g else []


def descendants(g: nx.DiGraph, release: str) -> list[str]:
    """Every release derived from ``release``, directly or not."""
    return sorted(nx.ancestors(g, release)) if release in g else []


def roots(g: nx.DiGraph) -> list[str]:
    """Base releases: derived from nothing in the graph, yet something is derived from them."""
    return sorted(n for n in g if g.out_degree(n) == 0 and g.in_degree(n) > 0)


def _depths(g: nx.DiGraph) -> dict[str, int]:
    """Per node, the longest chain of derivations below it (0 for a leaf). Derivations never form
    a cycle (the shapes refuse one); should one slip in, its nodes get the shortest-path depth."""
    down: nx.DiGraph[str] = nx.DiGraph(g).reverse(copy=True)  # parent → child
    if nx.is_directed_acyclic_graph(down):
        depth: dict[str, int] = {}
        for node in reversed(list(nx.topological_sort(down))):
            depth[node] = 1 + max((depth[c] for c in down.successors(node)), default=-1)
        return depth
    return {n: max(nx.single_source_shortest_path_length(down, n).values()) for n in down}


def base_models(g: nx.MultiDiGraph) -> pd.DataFrame:
    """Per release something is derived from: ``release``, ``label``, ``direct`` (releases derived
    from it in one step), ``descendants`` (directly or not), ``depth`` (longest derivation chain
    below it), ``derived_from`` (how many releases it is itself derived from: 0 for a root),
    ``in_degree_centrality`` (direct ÷ (n − 1)), ``pagerank`` (on child → parent edges: a base
    ranks high when derivatives, and derivatives of derivatives, point at it), and one column per
    relation counting its direct derivations of that kind. Sorted by descendants, then direct."""
    simple: nx.DiGraph[str] = nx.DiGraph(g)
    if simple.number_of_nodes() == 0:
        return pd.DataFrame(
            columns=[
                "release",
                "label",
                "direct",
                "descendants",
                "depth",
                "derived_from",
                "in_degree_centrality",
                "pagerank",
            ]
        )
    depth = _depths(simple)
    central = nx.in_degree_centrality(simple)
    rank = nx.pagerank(simple)
    relations = sorted({k for _, _, k in g.edges(keys=True)})
    rows = []
    for node in simple:
        if simple.in_degree(node) == 0:
            continue
        row = {
            "release": node,
            "label": g.nodes[node].get("label", node),
            "direct": simple.in_degree(node),
            "descendants": len(nx.ancestors(simple, node)),
            "depth": depth[node],
            "derived_from": simple.out_degree(node),
            "in_degree_centrality": round(central[node], 6),
            "pagerank": round(rank[node], 6),
        }
        for rel in relations:
            row[rel] = sum(1 for _, _, k in g.in_edges(node, keys=True) if k == rel)
        rows.append(row)
    df = pd.DataFrame(rows)
    return df.sort_values(["descendants", "direct", "release"], ascending=[False, False, True]).reset_index(
        drop=True
    )


def lineage_edges(g: nx.MultiDiGraph) -> pd.DataFrame:
    """One row per derivation: ``child``, ``child_label``, ``relation``, ``parent``, ``parent_label``."""
    rows = [
        {
            "child": c,
            "child_label": g.nodes[c].get("label", c),
            "relation": k,
            "parent": p,
            "parent_label": g.nodes[p].get("label", p),
        }
        for c, p, k in sorted(g.edges(keys=True))
    ]
    return pd.DataFrame(rows, columns=["child", "child_label", "relation", "parent", "parent_label"])


__all__ = [
    "ancestors",
    "base_models",
    "derivation_properties",
    "descendants",
    "lineage_edges",
    "lineage_graph",
    "relation_name",
    "roots",
]
