"""Vocabulary checks (shapes/meta/vocabulary.ttl) over every ontology file, w3c/dpv style."""

from __future__ import annotations

from openness.vocab import load_meta_shapes, load_ontology
from pyshacl import validate
from rdflib import Graph, URIRef
from rdflib.namespace import OWL, RDF, SKOS

OG = "https://w3id.org/openness/ns#"


def _check(graph: Graph) -> tuple[bool, str]:
    conforms, _report, text = validate(graph, shacl_graph=load_meta_shapes(), inference="none")
    return conforms, text


def test_every_term_has_label_definition_and_home() -> None:
    conforms, text = _check(load_ontology())
    assert conforms, text


def test_the_checks_can_fail() -> None:
    """Remove a definition, add a bare class and a wrong roll-up: each is reported."""
    g = Graph()
    g += load_ontology()
    tier3 = URIRef(OG + "Tier3")
    g.remove((tier3, SKOS.definition, None))
    g.add((URIRef(OG + "Undocumented"), RDF.type, OWL.Class))
    g.add((tier3, URIRef(OG + "rollsUpTo"), URIRef(OG + "Tier2")))
    conforms, text = _check(g)
    assert not conforms
    assert "Tier3" in text and "Undocumented" in text and "og:rollsUpTo must point" in text


def test_foreign_terms_are_not_checked() -> None:
    """Classes of other vocabularies declared in our files need no label of ours."""
    g = Graph()
    g += load_ontology()
    g.add((URIRef("http://example.org/Other"), RDF.type, OWL.Class))
    conforms, text = _check(g)
    assert conforms, text
