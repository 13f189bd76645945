"""Every vocabulary and shapes file parses in both RDF stacks the product uses (rdflib, pyoxigraph)."""

from __future__ import annotations

import json
from pathlib import Path

import pyoxigraph
import pytest
from openness.resources import resource_dir, turtle_files
from openness.vocab import load_ontology, load_shapes, ontology_files
from rdflib import Graph, URIRef
from rdflib.namespace import DCTERMS, OWL, RDF

TTL_FILES = turtle_files("ontology") + turtle_files("shapes")
ONTOLOGY = URIRef("https://w3id.org/openness/ns")


def _id(path: Path) -> str:
    return f"{path.parent.name}/{path.name}"


@pytest.mark.parametrize("path", TTL_FILES, ids=_id)
def test_parses_in_rdflib(path: Path) -> None:
    graph = Graph().parse(path, format="turtle")
    assert len(graph) > 0


@pytest.mark.parametrize("path", TTL_FILES, ids=_id)
def test_parses_in_pyoxigraph_with_the_same_triple_count(path: Path) -> None:
    store = pyoxigraph.Store()
    store.load(path=str(path), format=pyoxigraph.RdfFormat.TURTLE)
    rdflib_count = len(Graph().parse(path, format="turtle"))
    assert len(store) == rdflib_count


def test_loaders_merge_every_file() -> None:
    merged = sum(len(Graph().parse(p, format="turtle")) for p in ontology_files())
    # files may repeat a triple (e.g. a scheme and its members), so the merge is at most the sum
    assert 0 < len(load_ontology()) <= merged
    assert len(load_shapes()) > 0
    assert set(ontology_files()) == set(resource_dir("ontology").rglob("*.ttl"))


def test_ontology_header() -> None:
    g = load_ontology()
    assert (ONTOLOGY, RDF.type, OWL.Ontology) in g
    version_iri = g.value(ONTOLOGY, OWL.versionIRI)
    assert version_iri is not None and str(version_iri).startswith(str(ONTOLOGY) + "/")
    for prop in (
        DCTERMS.title,
        DCTERMS.description,
        DCTERMS.created,
        DCTERMS.modified,
        DCTERMS.license,
        DCTERMS.creator,
    ):
        assert g.value(ONTOLOGY, prop) is not None, f"ontology header lacks {prop}"


def test_context_is_json_with_every_prefix() -> None:
    context = json.loads((resource_dir("ontology") / "context.jsonld").read_text(encoding="utf-8"))[
        "@context"
    ]
    for prefix in (
        "og",
        "mof",
        "spectrum",
        "osai",
        "fmti",
        "epoch",
        "osmap",
        "hf",
        "spdx",
        "prov",
        "dcterms",
        "xsd",
    ):
        assert context.get(prefix, "").startswith("http"), f"context.jsonld lacks the {prefix}: prefix"
    # "id" is the key for a node's IRI; data IRIs are written relative to the id/ base instead of id:
    assert context["id"] == "@id"
    assert context["@base"] == "https://w3id.org/openness/id/"
