"""The write gate validates exactly as whole-store validation would (issue 8, Done-when 2: "the same
differential check covers incremental validation against whole-store validation on random valid
and invalid batches").

Random data (the valid shape cases, clean or with random mistakes) is cut into two stored graphs
and a change: a new batch, a batch replacing a stored graph, either with the other stored graph
dropped, or a triple-level edit (triples added to and removed from a stored graph, as SPARQL
Update and the Graph Store protocol send them). The change goes through ``openness.gate.commit``
into a real embedded store holding the stored graphs with their derived layer. Whole-store
validation of the store after the write, computed on a scratch copy with the change applied
(``openness.validation.validate_store``), decides: the gate accepts exactly when it finds no
violation about the change's subjects, and the gate's report holds exactly its results about
them. A refused change leaves every quad of the store as it was; an accepted one leaves a store
whose own whole-store validation agrees again.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Callable, Iterable

import pyoxigraph as ox
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openness import gate
from openness.ingest import Batch, IngestError
from openness.ingest.batch import prepare
from openness.namespaces import OG
from openness.store import OxigraphStore, drop_operations, write_operations
from openness.validation import ValidationReport, validate, validate_store
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import RDF, XSD
from rdflib.term import Node
from test_validation_differential import _BASE, _raw_keys, mutated

ID = Namespace("https://w3id.org/openness/id/")
ODRL = Namespace("http://www.w3.org/ns/odrl/2/")
G1, G2, NEW = str(ID["graph/test/one"]), str(ID["graph/test/two"]), str(ID["graph/test/batch"])


@pytest.fixture(autouse=True)
def _quiet_rdflib() -> None:
    logging.getLogger("rdflib.term").setLevel(logging.ERROR)  # ill-typed literals are the point here


@pytest.fixture(scope="module")
def empty_store() -> OxigraphStore:
    """A store with the current vocabulary and rules and no data (copied for each example)."""
    store = OxigraphStore(None)
    gate.rederive(store)
    return store


def _copy(store: OxigraphStore) -> OxigraphStore:
    copy = OxigraphStore(None)
    copy.native.load(store.native.dump(format=ox.RdfFormat.N_QUADS), format=ox.RdfFormat.N_QUADS)
    return copy


def _quads(store: OxigraphStore) -> Counter[str]:
    return Counter(str(q) for q in store.native)


def _about(report: ValidationReport, subjects: set[Node]) -> ValidationReport:
    """The report's results (nested ones too) about ``subjects``, each on its own."""
    report.raw = [r for top in report.raw for r in top.walk() if r.focus in subjects]
    for r in report.raw:
        r.details = []
        if isinstance(r.value, Literal) and r.value.datatype == XSD.string:  # one RDF term, two rdflib
            r.value = Literal(str(r.value))  # ones (the store read into memory when the ontology changes)
    return report


def _has_violation(report: ValidationReport) -> bool:
    return any(str(r.severity).endswith("#Violation") for r in report.raw)


def whole_store_after(store: OxigraphStore, change: gate.Change) -> ValidationReport:
    """Whole-store validation of a scratch copy of ``store`` with ``change`` written (its batches
    with their provenance records, as the gate writes them), about the change's subjects."""
    scratch = _copy(store)
    blanks = _blank_nodes(scratch)
    ops = write_operations(prepare(change.batches), existing=scratch.graph_names()) if change.batches else []
    ops += drop_operations(list(change.drop))
    for name in sorted(set(change.add) | set(change.remove)):
        ops += gate.drop_operations_for_triples(name, change.remove.get(name, Graph()))
        ops += write_operations({name: change.add.get(name, Graph())}, replace=False)
    scratch.update(";\n".join(ops))
    report = validate_store(scratch)
    assert report.engine == "compiled"
    return _about(report, subjects_in(scratch, change, blanks))


def _blank_nodes(store: OxigraphStore) -> set[str]:
    return {q.subject.value for q in store.native if isinstance(q.subject, ox.BlankNode)}


def subjects_in(store: OxigraphStore, change: gate.Change, blanks_before: set[str]) -> set[Node]:
    """The nodes the gate reports about, as ``store`` (after the change) names them: the subjects
    of the written graphs (provenance records included) and of the triples added or removed; blank
    ones are the blank subjects the change brought into the graphs it writes."""
    written = prepare(change.batches) if change.batches else {}
    graphs: Iterable[Graph] = [*written.values(), *change.add.values(), *change.remove.values()]
    found: set[Node] = {s for g in graphs for s in g.subjects() if not isinstance(s, BNode)}
    for name in [*written, *change.add]:
        for q in store.native.quads_for_pattern(None, None, None, ox.NamedNode(name)):
            if isinstance(q.subject, ox.BlankNode) and q.subject.value not in blanks_before:
                found.add(BNode(q.subject.value))
    return found


def assert_gate_is_whole(stored: dict[str, Graph], change: gate.Change, base: OxigraphStore) -> bool:
    """Commit ``change`` into a store holding ``stored``; returns whether the gate accepted it."""
    store = _copy(base)
    batches = [Batch(URIRef(name), data, name.rsplit("/", 1)[-1]) for name, data in stored.items()
               if len(data)]
    if batches:
        gate.commit(store, gate.Change(batches=batches, label="stored"), validate=False)
    expected = whole_store_after(store, change)
    before, blanks = _quads(store), _blank_nodes(store)
    try:
        report = gate.commit(store, change).ingest.validation
        accepted = True
    except IngestError as refused:
        report, accepted = refused.report, False
    assert report.engine == "compiled"
    assert accepted == (not _has_violation(expected)), expected.raw
    assert _raw_keys(report, blank=True) == _raw_keys(expected, blank=True)
    assert report.conforms == accepted
    if accepted:  # the real store after the write says the same
        after = _about(validate_store(store), subjects_in(store, change, blanks))
        assert _raw_keys(after, blank=True) == _raw_keys(expected, blank=True)
    else:
        assert _quads(store) == before, "a refused change wrote something"
    return accepted


def _g(*triples: tuple[Node, Node, Node]) -> Graph:
    g = Graph()
    for t in triples:
        g.add(t)
    return g


def _batch(name: str, data: Graph) -> gate.Change:
    return gate.Change(batches=[Batch(URIRef(name), data, name.rsplit("/", 1)[-1])])


# --------------------------------------------------------------------------- cases


def test_where_descriptions_of_mentioned_iris_are_not_enough(empty_store: OxigraphStore) -> None:
    """Where the gate's former context (descriptions of the IRIs a batch mentions) differed from
    whole-store validation: a stored license's ODRL rule, a stored assessment's verdict, a date
    statement about a stored release; all refused or accepted as whole-store validation says."""
    license, rule = ID["license/l"], ID["rule/p"]
    stored = {G1: _g((license, RDF.type, OG.License), (license, ODRL.permission, rule))}
    assert not assert_gate_is_whole(stored, _batch(NEW, _g((rule, ODRL.target, ID["thing"]))), empty_store)
    assessment, verdict = ID["assessment/a"], ID["verdict/v"]
    stored = {G1: _g((assessment, RDF.type, OG.Assessment), (assessment, OG.attributeVerdict, verdict),
                     (verdict, OG.attribute, OG.OpenCode), (verdict, OG.status, OG.Open))}
    assert not assert_gate_is_whole(stored, _batch(NEW, _g((verdict, OG.status, OG.Closed))), empty_store)
    statement, release = ID["date/d"], ID["release/r"]
    stored = {G1: _g((release, RDF.type, OG.ModelRelease)),
              G2: _g((statement, RDF.type, OG.ReleaseDateStatement), (statement, OG.about, release),
                     (statement, OG.statedReleaseDate, Literal("2024", datatype=XSD.gYear)),
                     (statement, OG.claimant, ID["agent/a"]))}
    source = URIRef("http://purl.org/dc/terms/source")
    assert assert_gate_is_whole(stored, _batch(NEW, _g((statement, source, ID["dataset/x"]))), empty_store)


def test_an_edit_is_validated_with_the_rest_of_its_graph(empty_store: OxigraphStore) -> None:
    """Triple-level edits (SPARQL Update): a comment added to a stored claim passes with the
    claim's other triples; removing its only evidence is refused, and nothing is written."""
    stored = Graph()
    stored += _BASE
    bad = {v.focus_node for v in validate(stored).violations}
    claim = min(c for c in stored.subjects(RDF.type, OG.Claim)
                if str(c) not in bad and len(list(stored.objects(c, OG.evidence))) == 1
                and (c, OG.status, OG.Unknown) not in stored)
    comment = _g((claim, URIRef("http://www.w3.org/2000/01/rdf-schema#comment"), Literal("checked")))
    assert assert_gate_is_whole({G1: stored}, gate.Change(add={G1: comment}), empty_store)
    evidence = _g(*stored.triples((claim, OG.evidence, None)))
    assert not assert_gate_is_whole({G1: stored}, gate.Change(remove={G1: evidence}), empty_store)


# --------------------------------------------------------------------------- random changes


def _split(data: Graph, pick: Callable[[list[str]], str]) -> dict[str, Graph]:
    """``data`` cut into G1, G2 and NEW by subject; a blank node stays blank when every triple
    that mentions it lands in one graph (SPARQL Update cannot share one between graphs), else it
    becomes one IRI in all of them."""
    part = {s: pick([G1, G2, NEW]) for s in sorted(set(data.subjects()), key=str) if not isinstance(s, BNode)}
    for s in data.subjects():  # a blank node lives in the graph of the node that names it
        if isinstance(s, BNode):
            owner = next((o for o in data.subjects(None, s) if not isinstance(o, BNode)), None)
            part[s] = part.get(owner, G1) if owner is not None else G1
    graphs_of: dict[Node, set[str]] = {}
    for s, _p, o in data:
        for node in (s, o):
            if isinstance(node, BNode):
                graphs_of.setdefault(node, set()).add(part[s])

    def own(node: Node) -> Node:
        shared = isinstance(node, BNode) and len(graphs_of[node]) > 1
        return URIRef(f"urn:x-blank:{node}") if shared else node

    graphs: dict[str, Graph] = {G1: Graph(), G2: Graph(), NEW: Graph()}
    for s, p, o in data:
        graphs[part[s]].add((own(s), p, own(o)))
    return graphs


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(mutated(), st.just(_BASE)), st.randoms(use_true_random=False),
       st.sampled_from(["new", "replace", "replace and drop", "edit"]))
def test_random_changes(empty_store: OxigraphStore, data: Graph, random: object, kind: str) -> None:
    """Random data cut into two stored graphs and a change of one kind."""
    pick = random.choice  # type: ignore[attr-defined]
    graphs = _split(data, pick)
    if not len(graphs[NEW]):
        return
    stored = {G1: graphs[G1], G2: graphs[G2]}
    if kind == "new":
        change = _batch(NEW, graphs[NEW])
    elif kind.startswith("replace"):
        change = _batch(G2, graphs[NEW])
        change.drop = [G1] if kind == "replace and drop" else []
    else:  # an edit of G2: the new triples added, some of its own (without blank nodes) removed
        removable = sorted((t for t in graphs[G2] if not any(isinstance(n, BNode) for n in t)), key=str)
        removed = _g(*(t for t in removable if pick([True, False, False])))
        change = gate.Change(add={G2: graphs[NEW]}, remove={G2: removed} if len(removed) else {})
    assert_gate_is_whole(stored, change, empty_store)
