"""The lens rule (queries/rules/lenses.ru) on the cases of tests/analysis/lenses/manifest.ttl, and
the lens reader on a derived store.

Each case's input files are loaded as source named graphs of an in-memory store with the
vocabulary graph; the whole derivation runs (openness.derive.run, which includes the lenses step
registered in ontology/rules.ttl); the stored og:LensVerdict nodes are compared with the expected
ones property by property (the rules are written at the top of the manifest).
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from urllib.parse import unquote, urlparse

import pytest
from openness import derive
from openness.analysis import lens_profiles
from openness.gate import vocabulary_graph_iri
from openness.store import OxigraphStore
from openness.vocab import load_ontology
from rdflib import Graph, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF, RDFS
from rdflib.term import Node

HERE = Path(__file__).resolve().parent / "analysis" / "lenses"
MF = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
UT = Namespace("http://www.w3.org/2009/sparql/tests/test-update#")
OGT = Namespace("https://w3id.org/openness/tests/rules#")
OG = Namespace("https://w3id.org/openness/ns#")

Inputs = tuple[tuple[str, str], ...]


def _path(iri: Node) -> Path:
    return Path(unquote(urlparse(str(iri)).path))


@cache
def _cases() -> list[tuple[str, Inputs, Path]]:
    g = Graph().parse(HERE / "manifest.ttl", format="turtle")
    manifest = g.value(None, RDF.type, MF.Manifest)
    out = []
    for entry in Collection(g, g.value(manifest, MF.entries)):
        action = g.value(entry, MF.action)
        inputs = tuple(
            sorted(
                (str(g.value(gd, RDFS.label)), str(_path(g.value(gd, UT.graph))))
                for gd in g.objects(action, UT.graphData)
            )
        )
        out.append((str(g.value(entry, MF.name)), inputs, _path(g.value(entry, MF.result))))
    return out


@cache
def _derived(inputs: Inputs) -> OxigraphStore:
    store = OxigraphStore(None)
    graphs = {iri: Graph().parse(path, format="turtle") for iri, path in inputs}
    graphs[str(vocabulary_graph_iri())] = load_ontology()
    store.put_graphs(graphs)
    derive.run(store)
    return store


def _stored(store: OxigraphStore, release: Node, lens: Node) -> tuple[Graph, URIRef]:
    graph = derive.CURRENT.graph("lenses")
    rows = store.select(
        f"SELECT ?v WHERE {{ GRAPH <{graph}> {{ ?v <{OG.lensOf}> <{release}> ; <{OG.lens}> <{lens}> }} }}"
    )
    assert len(rows) == 1, f"{len(rows)} lens verdicts of {release} under {lens} (want 1)"
    node = URIRef(str(rows[0]["v"]))
    return store.construct(
        f"CONSTRUCT {{ <{node}> ?p ?o }} WHERE {{ GRAPH <{graph}> {{ <{node}> ?p ?o }} }}"
    ), node


def _problems(exp: Graph, enode: Node, got: Graph, gnode: Node) -> list[str]:
    out = []
    for p in sorted(set(exp.predicates(enode)) - {RDF.type, OGT.absent}):
        want = {str(o) for o in exp.objects(enode, p)}
        have = {str(o) for o in got.objects(gnode, p)}
        if want != have:
            out.append(f"{p}: got {sorted(have)}, want {sorted(want)}")
    for p in exp.objects(enode, OGT.absent):
        have = sorted(str(o) for o in got.objects(gnode, p))
        if have:
            out.append(f"{p}: want none, got {have}")
    return out


def _expected(result: Path) -> list[tuple[Graph, Node, Node, Node]]:
    exp = Graph().parse(result, format="turtle")
    nodes = list(exp.subjects(RDF.type, OG.LensVerdict))
    assert nodes, f"{result.name}: no og:LensVerdict to compare"
    return [(exp, n, exp.value(n, OG.lensOf), exp.value(n, OG.lens)) for n in nodes]


@pytest.mark.parametrize(("name", "inputs", "result"), _cases(), ids=[c[0] for c in _cases()])
def test_case(name: str, inputs: Inputs, result: Path) -> None:
    store = _derived(inputs)
    for exp, enode, release, lens in _expected(result):
        got, gnode = _stored(store, release, lens)
        problems = _problems(exp, enode, got, gnode)
        assert not problems, f"{name}: " + "\n".join(problems)


def test_every_result_file_is_a_case() -> None:
    listed = {c[2].name for c in _cases()}
    assert listed == {p.name for p in (HERE / "results").glob("*.ttl")}


def test_the_comparison_can_fail() -> None:
    """A wrong status and a present 'absent' property are each reported."""
    name, inputs, result = next(c for c in _cases() if c[0] == "lens-unknown")
    store = _derived(inputs)
    exp, enode, release, lens = next(e for e in _expected(result) if str(e[3]).endswith("TransparencyLens"))
    wrong = Graph()
    wrong += exp
    wrong.add((enode, OG.possibleStatus, OG.Open))
    wrong.remove((enode, OGT.absent, None))
    wrong.add((enode, OGT.absent, OG.possibleStatus))
    got, gnode = _stored(store, release, lens)
    text = "\n".join(_problems(wrong, enode, got, gnode))
    assert "possibleStatus" in text and "want none" in text


def test_reader_gives_every_release_one_profile_and_the_claims_behind_it() -> None:
    name, inputs, _result = _cases()[0]
    store = _derived(inputs)
    df = lens_profiles(store)
    releases = {str(r["r"]) for r in store.select(f"SELECT ?r WHERE {{ ?r a <{OG.ModelRelease}> }}")}
    assert set(df["release"]) == releases
    assert df["release"].is_unique
    assert {"transparency", "reusability", "extensibility"} <= set(df.columns)
    row = df.set_index("release").loc["https://w3id.org/openness/id/release/lens-mixed"]
    assert (row["transparency"], row["reusability"], row["extensibility"]) == (
        "partial",
        "partial",
        "partial",
    )
    # the claims the lens verdicts used are the claims about the release's spectrum criteria
    assert row["claims_used"] == 5
