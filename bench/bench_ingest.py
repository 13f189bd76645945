"""Ingest cost as a ratio against raw pyoxigraph loading the same N-Triples.

Why: ingest adds provenance, store-context lookup, SHACL validation and a single-transaction
SPARQL Update on top of Oxigraph; this says how much each costs for a batch of a given size.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import pyoxigraph as ox
from openness import mint
from openness.gate import ingest_batches
from openness.ingest.batch import Batch
from openness.namespaces import OG, SPECTRUM
from openness.store import OxigraphStore, graph_to_ntriples
from rdflib import XSD, Graph, Literal, URIRef
from rdflib.namespace import PROV, RDF


def make_batch(triples: int) -> Graph:
    """Claims with evidence about a few hundred releases: the shape of a real importer's batch."""
    g = Graph()
    agent = mint.agent_iri("bench")
    g.add((agent, RDF.type, OG.Organization))
    criteria = [SPECTRUM.Code, SPECTRUM.Weights, SPECTRUM.Access, SPECTRUM.InputTransparency]
    i = 0
    while len(g) < triples:
        release = mint.release_iri(f"bench {i % 500}")
        if i < 500:
            g.add((release, RDF.type, OG.ModelRelease))
            g.add((release, OG.developer, agent))
            g.add((release, OG.releaseDateUnknown, Literal(True)))
        claim, evidence = mint.claim_iri("bench", i), mint.evidence_iri("bench", i)
        for triple in (
            (claim, RDF.type, OG.Claim),
            (claim, OG.about, release),
            (claim, OG.criterion, criteria[i % 4]),
            (claim, OG.status, OG.Open),
            (claim, OG.claimant, agent),
            (claim, PROV.wasAttributedTo, agent),
            (claim, OG.assertedOn, Literal("2024-11-19", datatype=XSD.date)),
            (claim, OG.standing, OG.Asserted),
            (claim, OG.evidence, evidence),
            (evidence, RDF.type, OG.Evidence),
            (evidence, OG.sourceIRI, URIRef(f"https://example.org/source/{i}")),
            (evidence, OG.retrievedOn, Literal("2024-11-19", datatype=XSD.date)),
            (evidence, OG.evidenceKind, OG.SecondaryEvidence),
        ):
            g.add(triple)
        i += 1
    return g


def timed(func) -> float:
    start = time.perf_counter()
    func()
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--triples", type=int, default=20000)
    args = parser.parse_args()
    graph = make_batch(args.triples)
    with tempfile.TemporaryDirectory() as tmp:
        nt = Path(tmp) / "batch.nt"
        nt.write_text(graph_to_ntriples(graph), encoding="utf-8")

        raw = ox.Store(str(Path(tmp) / "raw"))
        base = timed(
            lambda: raw.load(path=str(nt), format=ox.RdfFormat.N_TRIPLES, to_graph=ox.NamedNode("urn:g"))
        )
        print(f"baseline pyoxigraph load: {len(graph):,} triples in {base:.2f} s")

        for name, validate in (("ingest, write only", False), ("ingest, validate + write", True)):
            store = OxigraphStore(Path(tmp) / name.replace(" ", "_").replace(",", "").replace("+", ""))
            batch = Batch(mint.graph_iri("bench"), graph, "bench")
            start = time.perf_counter()
            report = ingest_batches(store, [batch], validate_batches=validate)
            seconds = time.perf_counter() - start
            parts = ", ".join(f"{k} {v:.2f} s" for k, v in report.seconds.items())
            print(f"{name}: {seconds:.2f} s = {seconds / base:.1f}x baseline ({parts})")
            store.close()


if __name__ == "__main__":
    main()
