"""The claimant–release network: who speaks about which releases, and where claimants overlap.

Why: disagreements can only arise where two claimants speak about the same release; the bipartite
graph and its projection show where that is.
"""

from __future__ import annotations

import networkx as nx

from ..namespaces import prefix_lines
from ..store import Store

_CLAIMANTS = prefix_lines("og", "rdfs") + """
SELECT ?claimant ?release (COUNT(?claim) AS ?n) (MAX(?l0) AS ?label) WHERE {
  ?release a og:ModelRelease .
  ?claim og:about ?release ; og:claimant ?claimant .
  { BIND("" AS ?l0) } UNION { ?claimant rdfs:label ?l . BIND(STR(?l) AS ?l0) }
} GROUP BY ?claimant ?release"""


def claimant_release_graph(store: Store) -> nx.Graph:
    """Bipartite graph: claimants (``bipartite=0``, ``kind="claimant"``) and releases
    (``bipartite=1``, ``kind="release"``); an edge's ``claims`` counts the claims (claims on a
    release's components count for the release only when made about the release itself)."""
    g: nx.Graph[str] = nx.Graph()
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


__all__ = ["claimant_overlap", "claimant_release_graph"]
