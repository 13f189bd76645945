"""``openness.analysis``: the researcher's API — pandas DataFrames and networkx graphs read from
the stored assessments and the derived layer (docs/derived-layer.md); no framework rule runs here.

One module per concern:

* :mod:`.network` — :func:`to_networkx`: the graph or a CONSTRUCT-selected part as a MultiDiGraph
  (GraphML / GEXF round trips);
* :mod:`.lineage` — the derivation DAG (relations from the ontology), base models' descendants,
  depth and centrality;
* :mod:`.claimants` — the claimant–release network;
* :mod:`.licenses` — derivatives whose declared license conflicts with their base's terms
  (``queries/analysis/license-conflicts.rq``), with the evidence for both;
* :mod:`.tables` — every verdict on its framework's scale (ranks from the ontology);
* :mod:`.agreement` — rank correlation and Cohen's kappa between frameworks, largest disagreements;
* :mod:`.timeline` — verdicts by release date, by Index edition, per organization;
* :mod:`.lenses` — transparency / reusability / extensibility (derived:lenses) and open-access;
* :mod:`.charts` — matplotlib figures (Agg) as PNG / SVG, for the CLI and the served pages.
"""

from __future__ import annotations

from .agreement import Agreement, agreement
from .claimants import claimant_overlap, claimant_release_graph
from .lenses import lens_profiles, open_access_releases
from .licenses import license_conflicts
from .lineage import (
    ancestors,
    base_models,
    derivation_properties,
    descendants,
    lineage_edges,
    lineage_graph,
    roots,
)
from .network import graph_to_networkx, read_graph, to_networkx, write_graph
from .tables import verdict_table
from .timeline import editions, organizations, releases, timeline

__all__ = [
    "Agreement",
    "agreement",
    "ancestors",
    "base_models",
    "claimant_overlap",
    "claimant_release_graph",
    "derivation_properties",
    "descendants",
    "editions",
    "graph_to_networkx",
    "lens_profiles",
    "license_conflicts",
    "lineage_edges",
    "lineage_graph",
    "open_access_releases",
    "organizations",
    "read_graph",
    "releases",
    "roots",
    "timeline",
    "to_networkx",
    "verdict_table",
    "write_graph",
]
