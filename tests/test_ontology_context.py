"""The JSON-LD context lets people write claims as plain JSON/YAML; the shipped examples validate."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pyoxigraph
import yaml
from openness.namespaces import OG, SPECTRUM
from openness.resources import ontology_dir
from openness.vocab import load_shapes
from pyshacl import validate
from rdflib import Graph, URIRef
from rdflib.compare import to_isomorphic
from rdflib.namespace import RDF

EXAMPLES = Path(__file__).resolve().parents[1] / "docs" / "examples"
SHIPPED = "https://w3id.org/openness/context.jsonld"


def _context() -> dict[str, Any]:
    return json.loads((ontology_dir() / "context.jsonld").read_text(encoding="utf-8"))["@context"]


def _with_context(doc: dict[str, Any]) -> dict[str, Any]:
    """What ingest does: inject the shipped context when absent or referenced by its IRI."""
    if doc.get("@context") in (None, SHIPPED):
        doc = {**doc, "@context": _context()}
    return doc


def _graph(doc: dict[str, Any]) -> Graph:
    return Graph().parse(data=json.dumps(_with_context(doc)), format="json-ld")


def _yaml_example() -> dict[str, Any]:
    return yaml.safe_load((EXAMPLES / "claim.yaml").read_text(encoding="utf-8"))


def _jsonld_example() -> dict[str, Any]:
    return json.loads((EXAMPLES / "claim.jsonld").read_text(encoding="utf-8"))


def _conforms(graph: Graph) -> tuple[bool, str]:
    conforms, _r, text = validate(
        graph, shacl_graph=load_shapes(), inference="none", advanced=True, allow_warnings=True
    )
    return conforms, text


def test_yaml_example_is_a_valid_claim() -> None:
    g = _graph(_yaml_example())
    claims = list(g.subjects(RDF.type, OG.Claim))
    assert claims == [URIRef("https://w3id.org/openness/id/claim/example-llama-2-weights")]
    assert g.value(claims[0], OG.status) == OG.Partial
    assert g.value(claims[0], OG.criterion) == SPECTRUM.Weights
    evidence = g.value(claims[0], OG.evidence)
    assert g.value(evidence, OG.sourceIRI) == URIRef("https://ai.meta.com/llama/license/")
    conforms, text = _conforms(g)
    assert conforms, text


def test_jsonld_example_is_valid_and_pyoxigraph_reads_it_the_same() -> None:
    doc = _with_context(_jsonld_example())
    g = _graph(doc)
    assert len(set(g.subjects(RDF.type, OG.Claim))) == 2
    conforms, text = _conforms(g)
    assert conforms, text
    quads = pyoxigraph.parse(json.dumps(doc).encode(), format=pyoxigraph.RdfFormat.JSON_LD)
    ox = Graph().parse(data="\n".join(f"{q.subject} {q.predicate} {q.object} ." for q in quads), format="nt")
    assert to_isomorphic(ox) == to_isomorphic(g)


def test_bare_words_and_prefixed_names_mean_the_same() -> None:
    base = {
        "id": "claim/x",
        "type": "Claim",
        "about": "release/r",
        "criterion": "spectrum:Code",
        "claimant": "agent/a",
        "assertedOn": "2024-01-01",
    }
    bare = _graph({**base, "status": "Open", "standing": "Asserted"})
    prefixed = _graph({**base, "type": "og:Claim", "status": "og:Open", "standing": "og:Asserted"})
    full = _graph({**base, "status": str(OG.Open), "standing": str(OG.Asserted)})
    assert to_isomorphic(bare) == to_isomorphic(prefixed) == to_isomorphic(full)
    assert (URIRef("https://w3id.org/openness/id/claim/x"), OG.status, OG.Open) in bare


def test_a_claim_without_evidence_written_in_yaml_is_refused() -> None:
    doc = _yaml_example()
    doc["status"] = "Closed"
    del doc["evidence"]
    conforms, text = _conforms(_graph(doc))
    assert not conforms and "og:evidence" in text
