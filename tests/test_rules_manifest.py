"""Run the rule test cases of tests/rules/manifest.ttl (W3C test-manifest vocabulary), one runner
for every framework.

Each case's input files (mf:action, ut:graphData) are loaded as source named graphs of an
in-memory store together with the vocabulary graph; the whole derivation runs
(``openness.derive.run``: license terms, claim statuses, positions, combine, MOF components, the
four framework rules, publish); the stored current assessments are compared with the expected
ones of mf:result. The comparison rules are written at the top of the manifest. Cases that share
an input set share one derivation.

Also here, on the same inputs: re-deriving keeps every unchanged assessment's node (its IRI is a
hash of its content), and a derivation restricted to the releases a change touched gives the
same assessments as a full one.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import cache
from pathlib import Path
from urllib.parse import unquote, urlparse

import pytest
from openness import derive
from openness.gate import vocabulary_graph_iri
from openness.namespaces import curie
from openness.store import OxigraphStore
from openness.vocab import load_ontology
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF, RDFS
from rdflib.term import Node

HERE = Path(__file__).resolve().parent / "rules"
MF = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
UT = Namespace("http://www.w3.org/2009/sparql/tests/test-update#")
OGT = Namespace("https://w3id.org/openness/tests/rules#")
OG = Namespace("https://w3id.org/openness/ns#")
TOLERANCE = 1e-4

Inputs = tuple[tuple[str, str], ...]  # (graph IRI, file path)


# --------------------------------------------------------------------------- the manifest


@cache
def _manifest() -> Graph:
    return Graph().parse(HERE / "manifest.ttl", format="turtle")


def _path(iri: Node) -> Path:
    return Path(unquote(urlparse(str(iri)).path))


def _cases() -> list[tuple[str, Inputs, Path]]:
    g = _manifest()
    manifest = g.value(None, RDF.type, MF.Manifest)
    assert manifest is not None, "tests/rules/manifest.ttl: no mf:Manifest"
    cases = []
    for entry in Collection(g, g.value(manifest, MF.entries)):
        name = str(g.value(entry, MF.name))
        action = g.value(entry, MF.action)
        inputs = tuple(sorted((str(g.value(gd, RDFS.label)), str(_path(g.value(gd, UT.graph))))
                              for gd in g.objects(action, UT.graphData)))
        assert inputs, f"{name}: mf:action names no ut:graphData"
        cases.append((name, inputs, _path(g.value(entry, MF.result))))
    return cases


def _load(inputs: Inputs) -> OxigraphStore:
    store = OxigraphStore(None)
    graphs = {iri: Graph().parse(path, format="turtle") for iri, path in inputs}
    graphs[str(vocabulary_graph_iri())] = load_ontology()
    store.put_graphs(graphs)
    return store


@cache
def _derived(inputs: Inputs) -> OxigraphStore:
    """The store of one input set after the whole derivation (derived once per input set)."""
    store = _load(inputs)
    derive.run(store)
    return store


# --------------------------------------------------------------------------- comparing


def _stored(store: OxigraphStore, release: URIRef, framework: URIRef) -> tuple[Graph, URIRef]:
    """The one current assessment of ``release`` under ``framework``, with its parts."""
    graph = derive.CURRENT.graph("assessments")
    rows = store.select(f"SELECT ?a WHERE {{ GRAPH <{graph}> {{ ?a <{OG.assessedRelease}> <{release}> ; "
                        f"<{OG.framework}> <{framework}> }} }}")
    assert len(rows) == 1, f"{len(rows)} current assessments of {release} under {framework} (want 1)"
    node = URIRef(str(rows[0]["a"]))
    g = store.construct(f"""CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{graph}> {{
        {{ <{node}> ?p ?o . BIND(<{node}> AS ?s) }}
        UNION {{ <{node}> ?link ?s . FILTER(isIRI(?s) && STRSTARTS(STR(?s), "{node}-")) ?s ?p ?o }} }} }}""")
    return g, node


def _same_literal(want: Literal, got: Node) -> bool:
    if not isinstance(got, Literal):
        return False
    w, g = want.toPython(), got.toPython()
    if isinstance(w, bool) or isinstance(g, bool):
        return w is g
    try:
        return abs(float(w) - float(g)) <= TOLERANCE
    except (TypeError, ValueError):
        return str(want) == str(got)


def _matches(exp: Graph, want: Node, got: Graph, candidate: Node) -> bool:
    if isinstance(want, BNode):
        return not _mismatches(exp, want, got, candidate, "")
    if isinstance(want, Literal):
        return _same_literal(want, candidate)
    return want == candidate


def _assign(exp: Graph, wants: list[Node], got: Graph, gots: list[Node]) -> bool:
    """Whether every expected value matches a distinct stored value (backtracking over parts)."""
    if not wants:
        return True
    want, rest = wants[0], wants[1:]
    return any(_matches(exp, want, got, candidate) and _assign(exp, rest, got, gots[:i] + gots[i + 1:])
               for i, candidate in enumerate(gots))


def _mismatches(exp: Graph, enode: Node, got: Graph, gnode: Node, where: str) -> list[str]:
    """Every way the stored node differs from the expected one (empty when it matches)."""
    problems = []
    for p in sorted(set(exp.predicates(enode)) - {RDF.type, OGT.absent}):
        wants, gots = list(exp.objects(enode, p)), list(got.objects(gnode, p))
        label = f"{where} {curie(str(p))}".strip()
        shown = sorted(str(w) for w in wants if not isinstance(w, BNode))
        if len(wants) != len(gots):
            problems.append(f"{label}: {len(gots)} value(s) {sorted(map(str, gots))}, "
                            f"want {len(wants)} {shown}")
        elif not _assign(exp, wants, got, gots):
            parts = [w for w in wants if isinstance(w, BNode)]
            if not parts:
                problems.append(f"{label}: {sorted(map(str, gots))}, want {shown}")
            for part in parts:  # the nearest stored part of each expected part that matches none
                if not any(_matches(exp, part, got, c) for c in gots):
                    nearest = min((_mismatches(exp, part, got, c, label + " part") for c in gots), key=len)
                    problems.append(f"{label}: no stored part matches an expected one; "
                                    f"nearest: {'; '.join(nearest)}")
    for p in exp.objects(enode, OGT.absent):
        values = list(got.objects(gnode, p))
        if values:
            problems.append(f"{where} {curie(str(p))}: want none, got {sorted(map(str, values))}".strip())
    return problems


def _expected(result: Path) -> Iterator[tuple[Graph, Node, URIRef, URIRef]]:
    exp = Graph().parse(result, format="turtle")
    nodes = list(exp.subjects(RDF.type, OG.Assessment))
    assert nodes, f"{result.name}: no og:Assessment to compare"
    for node in nodes:
        release, framework = exp.value(node, OG.assessedRelease), exp.value(node, OG.framework)
        assert isinstance(release, URIRef) and isinstance(framework, URIRef), \
            f"{result.name}: an expected assessment needs og:assessedRelease and og:framework"
        yield exp, node, release, framework


# --------------------------------------------------------------------------- the cases


@pytest.mark.parametrize(("name", "inputs", "result"), _cases(), ids=[c[0] for c in _cases()])
def test_case(name: str, inputs: Inputs, result: Path) -> None:
    store = _derived(inputs)
    for exp, enode, release, framework in _expected(result):
        got, gnode = _stored(store, release, framework)
        problems = _mismatches(exp, enode, got, gnode, name)
        assert not problems, "\n".join(problems)


def test_every_result_file_is_a_case() -> None:
    """A result file the manifest does not list would never run."""
    listed = {c[2].name for c in _cases()}
    on_disk = {p.name for p in (HERE / "results").glob("*.ttl")}
    assert on_disk == listed


def test_the_comparison_can_fail() -> None:
    """A wrong label, a wrong progress value and a present 'absent' property are each reported."""
    name, inputs, result = next(c for c in _cases() if c[0] == "mof-unlicensed")
    store = _derived(inputs)
    exp, enode, release, framework = next(_expected(result))
    wrong = Graph()
    wrong += exp
    wrong.set((enode, OG.verdictLabel, Literal("Class I (Open Science)")))
    part = next(p for p in wrong.objects(enode, OG.progress) if wrong.value(p, OG.mofClass).toPython() == 3)
    wrong.set((part, OG.score, Literal(0.5)))
    wrong.add((enode, OGT.absent, OG.progress))
    got, gnode = _stored(store, release, framework)
    problems = "\n".join(_mismatches(wrong, enode, got, gnode, name))
    assert "verdictLabel" in problems and "og:progress" in problems and "want none" in problems


# --------------------------------------------------------------------------- identity and focus


def _assessments(store: OxigraphStore) -> dict[tuple[str, str], tuple[str, str]]:
    """(release, framework) -> (assessment IRI, reason) of the current view."""
    graph = derive.CURRENT.graph("assessments")
    rows = store.select(f"SELECT ?r ?f ?a ?why WHERE {{ GRAPH <{graph}> {{ ?a <{OG.assessedRelease}> ?r ; "
                        f"<{OG.framework}> ?f ; <{OG.reason}> ?why }} }}")
    return {(str(r["r"]), str(r["f"])): (str(r["a"]), str(r["why"])) for r in rows}


def _all_inputs() -> Inputs:
    return tuple(sorted({i for c in _cases() for i in c[1]}))


def test_rederiving_keeps_unchanged_assessments() -> None:
    store = _load(_all_inputs())
    derive.run(store)
    first = _assessments(store)
    derive.run(store)
    assert _assessments(store) == first
    history = derive.CURRENT.graph("history")
    assert not store.ask(f"ASK {{ GRAPH <{history}> {{ ?a ?p ?o }} }}")
    frameworks = {f for _r, f in first}
    assert len(frameworks) == 4, frameworks  # every framework judged some release of the cases


def _edit(claim: str, prop: str, old: str, new: str) -> str:
    """Replace one value of a claim in the source graph that holds it and in the default graph."""
    triple_old, triple_new = f"<{claim}> {prop} {old}", f"<{claim}> {prop} {new}"
    return (f"DELETE {{ GRAPH ?g {{ {triple_old} }} }} INSERT {{ GRAPH ?g {{ {triple_new} }} }} "
            f"WHERE {{ GRAPH ?g {{ {triple_old} }} }} ;\n"
            f"DELETE {{ {triple_old} }} INSERT {{ {triple_new} }} WHERE {{ {triple_old} }}")


def test_a_focused_derivation_equals_a_full_one() -> None:
    """Change one claim of two releases (a MOF component, an Index dimension), derive only those
    releases in the same transaction (as the write gate does), and compare every current
    assessment with a full derivation of the changed data."""
    test = "https://w3id.org/openness/id/test/"
    edits = [_edit(test + "mof-contested-curator-ModelCard", "og:status", "og:Closed", "og:Open"),
             _edit(test + "index-known-licenses", "og:sourceValue", "osai:value-partial", "osai:value-open")]
    release = "https://w3id.org/openness/id/release/"
    touched = {release + "mof-contested", release + "index-known"}
    inputs = _all_inputs()

    incremental = _load(inputs)
    derive.run(incremental)
    before = _assessments(incremental)
    derive.run(incremental, derive.Focus(subjects=set(touched), releases=set(touched)), before=edits)

    full = _load(inputs)
    full.update(derive.prologue(derive.CURRENT) + " ;\n".join(edits))
    derive.run(full)

    after = _assessments(full)
    assert _assessments(incremental) == after
    changed = {release for (release, _f), value in after.items() if before.get((release, _f)) != value}
    assert changed == touched  # the edits changed verdicts there, and nowhere else


def test_an_as_of_view_judges_what_was_known_then() -> None:
    """As of 2024-01-01 only the Index's 2023 edition had spoken about index-legacy (three
    dimensions: the rest unknown, a range); no MOF claim existed yet (they are dated 2026)."""
    store = _derived(_all_inputs())
    view = derive.View("2024-01-01")
    derive.run(store, view=view)
    graph = view.graph("assessments")
    rows = store.select(f"SELECT ?f ?why ?asof WHERE {{ GRAPH <{graph}> {{ ?a <{OG.assessedRelease}> "
                        f"<https://w3id.org/openness/id/release/index-legacy> ; <{OG.framework}> ?f ; "
                        f"<{OG.reason}> ?why ; <{OG.asOf}> ?asof }} }}")
    index = [r for r in rows if str(r["f"]) == str(OG.OSAIIndex)]
    assert [str(r["asof"]) for r in index] == ["2024-01-01"]
    assert "access 0;" in str(index[0]["why"]) and "–" in str(index[0]["why"])
    mof = store.select(f"SELECT ?a WHERE {{ GRAPH <{graph}> {{ ?a <{OG.framework}> <{OG['MOF-1.0']}> }} }}")
    assert mof == []
    current = derive.CURRENT.graph("assessments")
    assert not store.ask(f"ASK {{ GRAPH <{current}> {{ ?a <{OG.asOf}> ?d }} }}")
