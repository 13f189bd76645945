"""networkx views of the graph: release lineage and the claimant–release network.

Why networkx: ancestry, descendants, cycles and connected components are one call each there,
while the facts stay in the store (queries/lineage.rq and a claims query give the edges).
"""

from __future__ import annotations

import networkx as nx

from .derive import run_query
from .namespaces import OG
from .store import Store

DERIVATIONS = ("fineTunedFrom", "adapterOf", "mergedFrom", "quantizedFrom", "distilledFrom",
               "continuedPretrainingOf")


def lineage_graph(store: Store) -> nx.DiGraph:
    """Releases as nodes (attribute ``label``), one edge child -> parent per derivation, with the
    edge attribute ``relation`` (``fineTunedFrom``, ``mergedFrom``, ...)."""
    g = nx.DiGraph()
    for r in run_query(store, "lineage.rq"):
        child, parent = str(r["child"]), str(r["parent"])
        g.add_node(child, label=str(r.get("childLabel") or "") or child.rsplit("/", 1)[-1])
        g.add_node(parent, label=str(r.get("parentLabel") or "") or parent.rsplit("/", 1)[-1])
        g.add_edge(child, parent, relation=str(r["relation"]).removeprefix(str(OG)))
    return g


def ancestors(g: nx.DiGraph, release: str) -> list[str]:
    """Every release ``release`` was derived from, directly or not (edges point child -> parent)."""
    return sorted(nx.descendants(g, release)) if release in g else []


def descendants(g: nx.DiGraph, release: str) -> list[str]:
    """Every release derived from ``release``, directly or not."""
    return sorted(nx.ancestors(g, release)) if release in g else []


def roots(g: nx.DiGraph) -> list[str]:
    """Base releases: derived from nothing in the graph, yet something is derived from them."""
    return sorted(n for n in g if g.out_degree(n) == 0 and g.in_degree(n) > 0)


_CLAIMANTS = """PREFIX og: <https://w3id.org/openness/ns#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?claimant ?release (COUNT(?claim) AS ?n) (MAX(?l0) AS ?label) WHERE {
  ?release a og:ModelRelease .
  ?claim og:about ?release ; og:claimant ?claimant .
  { BIND("" AS ?l0) } UNION { ?claimant rdfs:label ?l . BIND(STR(?l) AS ?l0) }
} GROUP BY ?claimant ?release"""


def claimant_release_graph(store: Store) -> nx.Graph:
    """Bipartite graph: claimants (``bipartite=0``, ``kind="claimant"``) and releases
    (``bipartite=1``, ``kind="release"``); an edge's ``claims`` counts the claims (claims on a
    release's components count for the release only when made about the release itself)."""
    g = nx.Graph()
    for r in store.select(_CLAIMANTS):
        who, rel = str(r["claimant"]), str(r["release"])
        g.add_node(who, bipartite=0, kind="claimant", label=str(r["label"]) or who.rsplit("/", 1)[-1])
        g.add_node(rel, bipartite=1, kind="release")
        g.add_edge(who, rel, claims=int(str(r["n"])))
    return g


def claimant_overlap(g: nx.Graph) -> nx.Graph:
    """Claimants linked by the number of releases both speak about (where disagreements can be)."""
    claimants = {n for n, d in g.nodes(data=True) if d.get("kind") == "claimant"}
    return nx.bipartite.weighted_projected_graph(g, claimants)
