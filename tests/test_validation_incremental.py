"""Incremental validation equals whole-store validation (issue 8: "a batch is validated with the
part of the store it touches ... its verdicts are the same as whole-store validation").

For a store and a batch (new graphs, or graphs that replace stored ones): validating the batch
with its neighbourhood (openness.validation.validate_batch) gives exactly the results that
validating the whole store after the write gives about the batch's subjects. Checked on cases
where the neighbourhood is not just the descriptions of the IRIs the batch mentions, and on random
splits of random data into a store and a batch.
"""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openness.gate import _vocabulary_graph, vocabulary_digest, vocabulary_graph_iri
from openness.namespaces import OG, derived_graph_base
from openness.store import OxigraphStore, write_operations
from openness.validation import ValidationReport, validate_batch, validate_store
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import RDF, XSD
from test_validation_differential import _raw_keys, mutated

ODRL = Namespace("http://www.w3.org/ns/odrl/2/")
ID = Namespace("https://w3id.org/openness/id/")
HERE = Path(__file__).parent


def _store(graphs: dict[str, Graph]) -> OxigraphStore:
    store = OxigraphStore(None)
    graphs = {**graphs, str(vocabulary_graph_iri()): _vocabulary_graph(vocabulary_digest())}
    store.update(";\n".join(write_operations(graphs)))
    return store


def whole_store_after(stored: dict[str, Graph], batch: dict[str, Graph]) -> ValidationReport:
    """Validate the store after writing ``batch`` (replacing graphs of the same names); keep the
    results about the batch's subjects."""
    store = _store(stored)
    store.update(";\n".join(write_operations(batch, existing=store.graph_names())))
    subjects = {s for g in batch.values() for s in g.subjects()}
    report = validate_store(store)
    assert report.engine == "compiled"
    report.raw = [r for top in report.raw for r in top.walk() if _about(r.focus, subjects)]
    for r in report.raw:
        r.details = []
    return report


def _about(focus: object, subjects: set[object]) -> bool:
    return focus in subjects


def incremental(stored: dict[str, Graph], batch: dict[str, Graph]) -> ValidationReport:
    store = _store(stored)
    report = validate_batch(store, list(batch.values()), exclude_graphs=[g for g in batch if g in stored])
    assert report.engine == "compiled"
    report.raw = [r for top in report.raw for r in top.walk() if _about(r.focus, {s for g in batch.values()
                                                                                 for s in g.subjects()})]
    for r in report.raw:
        r.details = []
    return report


def assert_incremental_is_whole(stored: dict[str, Graph], batch: dict[str, Graph]) -> None:
    whole, part = whole_store_after(stored, batch), incremental(stored, batch)
    assert _raw_keys(part, blank=True) == _raw_keys(whole, blank=True)


def _g(*triples: tuple[object, object, object]) -> Graph:
    g = Graph()
    for t in triples:
        g.add(t)  # type: ignore[arg-type]
    return g


G1, G2, BATCH = str(ID["graph/test/one"]), str(ID["graph/test/two"]), str(ID["graph/test/batch"])


def test_an_odrl_rule_named_by_a_stored_license() -> None:
    """The batch describes a rule a stored license points at: it is a focus node only through the
    stored odrl:permission (a sh:targetObjectsOf target), and it lacks its action."""
    license, rule = ID["license/l"], ID["rule/p"]
    stored = {G1: _g((license, RDF.type, OG.License), (license, ODRL.permission, rule))}
    batch = {BATCH: _g((rule, ODRL.target, ID["thing"]))}
    assert_incremental_is_whole(stored, batch)
    assert incremental(stored, batch).violations


def test_an_attribute_verdict_of_a_stored_assessment() -> None:
    """The batch gives a stored assessment's attribute verdict a second status: reported through the
    assessment's sh:node, as a detail about the verdict."""
    assessment, verdict = ID["assessment/a"], ID["verdict/v"]
    stored = {G1: _g((assessment, RDF.type, OG.Assessment), (assessment, OG.attributeVerdict, verdict),
                     (verdict, OG.attribute, OG.OpenCode), (verdict, OG.status, OG.Open))}
    batch = {BATCH: _g((verdict, OG.status, OG.Closed))}
    assert_incremental_is_whole(stored, batch)
    assert any(v.focus_node == str(verdict) for v in incremental(stored, batch).violations)


def test_a_date_statement_about_a_stored_release() -> None:
    """The batch adds to a stored date statement; sh:class needs the type of the release it is
    about, which the batch does not mention."""
    statement, release = ID["date/d"], ID["release/r"]
    stored = {G1: _g((release, RDF.type, OG.ModelRelease)),
              G2: _g((statement, RDF.type, OG.ReleaseDateStatement), (statement, OG.about, release),
                     (statement, OG.statedReleaseDate, Literal("2024", datatype=XSD.gYear)),
                     (statement, OG.claimant, ID["agent/a"]))}
    batch = {BATCH: _g((statement, URIRef("http://purl.org/dc/terms/source"), ID["dataset/x"]))}
    assert_incremental_is_whole(stored, batch)
    assert incremental(stored, batch).conforms


def test_derived_graphs_and_replaced_graphs_are_left_out() -> None:
    """A derived release date (the rules' output) is not source data; the graph the batch replaces
    no longer holds its old triples."""
    release = ID["release/r"]
    derived = derived_graph_base() + "release-dates"
    def day(text: str) -> Literal:
        return Literal(text, datatype=XSD.date)

    stored = {G1: _g((release, RDF.type, OG.ModelRelease), (release, OG.releaseDate, day("2023-01-01"))),
              derived: _g((release, OG.releaseDate, day("2023-02-01")))}
    batch = {G1: _g((release, RDF.type, OG.ModelRelease), (release, OG.releaseDate, day("2024-01-01")))}
    assert_incremental_is_whole(stored, batch)
    assert incremental(stored, batch).conforms


def test_a_stored_assessment_with_blank_verdicts() -> None:
    """The batch adds to a stored assessment whose attribute verdicts are blank nodes in the store:
    the verdicts' descriptions come along (one of them is bad)."""
    assessment, good, bad = ID["assessment/a"], BNode(), BNode()
    stored = {G1: _g((assessment, RDF.type, OG.Assessment), (assessment, OG.attributeVerdict, good),
                     (assessment, OG.attributeVerdict, bad), (good, OG.attribute, OG.OpenCode),
                     (good, OG.status, OG.Open), (bad, OG.attribute, OG.Open), (bad, OG.status, OG.Open))}
    batch = {BATCH: _g((assessment, OG.tierMin, Literal(2)))}
    assert_incremental_is_whole(stored, batch)
    nodes = [v for v in incremental(stored, batch).violations if v.constraint == "NodeConstraintComponent"]
    assert len(nodes) == 1


def test_a_derivation_that_closes_a_stored_cycle() -> None:
    a, b, c = ID["release/a"], ID["release/b"], ID["release/c"]
    stored = {G1: _g((a, OG.fineTunedFrom, b)), G2: _g((b, OG.quantizedFrom, c))}
    batch = {BATCH: _g((c, OG.mergedFrom, a))}
    assert_incremental_is_whole(stored, batch)
    assert [v.focus_node for v in incremental(stored, batch).violations] == [str(c)]


def _own(node: object, graph: str) -> object:
    """Blank nodes as IRIs of their graph: the store names blank nodes its own way, and results
    about them could not be matched with the batch's."""
    return URIRef(f"urn:x-blank:{graph.rsplit('/', 1)[-1]}:{node}") if isinstance(node, BNode) else node


@pytest.fixture(autouse=True)
def _quiet_rdflib() -> None:
    logging.getLogger("rdflib.term").setLevel(logging.ERROR)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated(), st.randoms(use_true_random=False), st.booleans())
def test_random_splits(data: Graph, random: object, replace: bool) -> None:
    """Random data cut into two stored graphs and a batch (new, or replacing one of them)."""
    subjects = sorted({s for s in data.subjects() if not isinstance(s, BNode)}, key=str)
    part = {s: random.choice([G1, G2, BATCH]) for s in subjects}  # type: ignore[attr-defined]
    for s in data.subjects():  # a blank node lives in the graph of the node that names it
        if isinstance(s, BNode):
            owner = next((o for o in data.subjects(None, s) if not isinstance(o, BNode)), None)
            part[s] = part.get(owner, G1) if owner is not None else G1
    graphs: dict[str, Graph] = {G1: Graph(), G2: Graph(), BATCH: Graph()}
    for s, p, o in data:
        g = part[s]
        graphs[g].add((_own(s, g), p, _own(o, g)))
    stored = {G1: graphs[G1], G2: graphs[G2]}
    batch = {G2 if replace else BATCH: graphs[BATCH]}
    if not len(graphs[BATCH]):
        return
    assert_incremental_is_whole(stored, batch)
