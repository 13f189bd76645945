"""The compiled validator gives exactly pySHACL's results (issue 14: verdicts identical to pySHACL's).

Compared on every result, nested ``sh:detail`` results included: focus node, path, value, severity,
constraint component, source shape (blank property shapes by identity), messages, and how many
times each occurs. Data: every shape case of tests/shapes/manifest.ttl (whose expectations the
compiled engine must also meet), the bundled examples, and random mutations of valid data (dropped
and duplicated properties, other datatypes and lexical forms, literals for IRIs, words outside
their schemes, new types, derivation cycles, literal targets) — in memory, and on a store, where
the compiled queries run on the store itself. The whole bundled corpus is compared by
bench/bench_validation.py (building it takes minutes).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openness.gate import vocabulary_digest, vocabulary_graph_iri
from openness.namespaces import OG
from openness.store import OxigraphStore, write_operations
from openness.validation import ValidationReport, compiled_shapes, validate, validate_store
from openness.validation.compiled import Fallback, MemoryDataset, run
from openness.vocab import load_ontology, load_shapes
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import RDF, SH, XSD
from rdflib.term import Node

HERE = Path(__file__).parent / "shapes"
MF = Namespace("https://w3id.org/openness/tests/shapes#")
ODRL = Namespace("http://www.w3.org/ns/odrl/2/")
EX = Namespace("https://example.org/")


def _case_graph(path: Path) -> Graph:
    text = path.read_text(encoding="utf-8").replace("@@TODAY@@", dt.date.today().isoformat())
    return Graph().parse(data=text, format="turtle", publicID=path.resolve().as_uri())


def _raw_keys(report: ValidationReport, blank: bool = False) -> Counter[tuple[object, ...]]:
    """Every result (details too) as rdflib terms; ``blank``: blank data nodes as one placeholder
    (a store hands out its own blank node labels)."""

    def term(node: Node | None) -> object:
        return "_:b" if blank and isinstance(node, BNode) else node

    keys: Counter[tuple[object, ...]] = Counter()
    for top in report.raw:
        for r in top.walk():
            keys[(term(r.focus), r.path, term(r.value), r.severity, r.component, r.shape,
                  frozenset(str(m) for m in r.messages))] += 1
    return keys


def _result_keys(report: ValidationReport) -> Counter[tuple[object, ...]]:
    return Counter((r.focus_node, r.path, r.value, r.severity, r.constraint, r.source_shape, r.message)
                   for r in report.results)


class ReferenceFailed(Exception):
    """pySHACL stopped with an error (e.g. comparing "NaN"^^xsd:decimal): nothing to compare with."""


def assert_same(data: Graph, **kwargs: object) -> ValidationReport:
    """Validate ``data`` with both engines; the compiled one must not fall back, and agree."""
    try:
        reference = validate(data, engine="pyshacl", **kwargs)  # type: ignore[arg-type]
    except ArithmeticError as err:
        raise ReferenceFailed(str(err)) from err
    run(MemoryDataset([data, load_ontology()], compiled_shapes().probe_predicates), compiled_shapes())
    compiled = validate(data, engine="compiled", **kwargs)  # type: ignore[arg-type]
    assert compiled.engine == "compiled"
    assert _raw_keys(compiled) == _raw_keys(reference), _diff(_raw_keys(reference), _raw_keys(compiled))
    assert _result_keys(compiled) == _result_keys(reference)
    assert compiled.conforms == reference.conforms
    return compiled


def _diff(reference: Counter[tuple[object, ...]], compiled: Counter[tuple[object, ...]]) -> str:
    lines = [f"only pySHACL: {k}" for k in reference - compiled]
    lines += [f"only compiled: {k}" for k in compiled - reference]
    return "\n".join(lines[:20])


# --------------------------------------------------------------------------- the shape cases


def _cases() -> list[URIRef]:
    return sorted(Graph().parse(HERE / "manifest.ttl").subjects(RDF.type, MF.ShapeTest))


@pytest.mark.parametrize("case", _cases(), ids=lambda c: str(c).rsplit("#", 1)[-1])
def test_shape_case(case: URIRef) -> None:
    """Same results as pySHACL, and the manifest's expectations hold for the compiled engine."""
    manifest = Graph().parse(HERE / "manifest.ttl")
    report = assert_same(_case_graph(HERE / str(manifest.value(case, MF.data))))
    assert report.conforms == manifest.value(case, MF.conforms).toPython()
    assert len(report.raw) == manifest.value(case, MF.resultCount).toPython()  # top-level results
    shapes = load_shapes()
    fields = {MF.focus: "focus", MF.path: "path", MF.severity: "severity", MF.component: "component",
              MF.shape: "shape", MF.value: "value"}
    for expected in manifest.objects(case, MF.result):
        want = {attr: manifest.value(expected, p) for p, attr in fields.items()
                if manifest.value(expected, p) is not None}

        def matches(raw: object, want: dict[str, Node] = want) -> bool:
            return all(getattr(raw, a) == v or (a == "shape" and (v, SH.property, getattr(raw, a)) in shapes)
                       for a, v in want.items())

        assert any(matches(r) for r in report.raw), f"no result matches {want}"


def test_bundled_examples(examples_dir: Path) -> None:
    combined = Graph()
    for path in sorted(examples_dir.glob("*.ttl")):
        graph = Graph().parse(path)
        assert_same(graph)
        combined += graph
    report = assert_same(combined, focus_filter=set(combined.subjects()))
    assert report.warnings, "the examples' evidence is more than a year old: stale-evidence warnings"


# --------------------------------------------------------------------------- random batches

_BASE = Graph()
for _path in sorted((HERE / "valid").glob("*.ttl")):
    _BASE += _case_graph(_path)
_TRIPLES = sorted(_BASE, key=lambda t: tuple(map(str, t)))
_PREDICATES = sorted({q for _s, q, _o in _TRIPLES}, key=str)
_LITERAL_TRIPLES = [t for t in _TRIPLES if isinstance(t[2], Literal)]
_IRI_TRIPLES = [t for t in _TRIPLES if isinstance(t[2], URIRef) and t[1] != RDF.type]
_SUBJECTS = sorted({s for s in _BASE.subjects() if isinstance(s, URIRef)}, key=str)
_RELEASES = sorted({s for s in _BASE.subjects(RDF.type, OG.ModelRelease)}, key=str) + [EX.r9]
_CLASSES = [OG.Claim, OG.Evidence, OG.License, OG.CustomLicense, OG.ModelRelease, OG.Model, OG.Component,
            OG.Assessment, OG.AttributeVerdict, OG.Rule, OG.ReleaseDateStatement, OG.Organization]
_CONCEPTS = [OG.Open, OG.Partial, OG.Closed, OG.Unknown, OG.NotListed, OG.Asserted, OG.Retracted, OG.Tier1,
             OG.Tier6, OG.OSAIDPass, OG.OpenCode, OG.PrimaryEvidence, OG.SpectrumPlacement,
             OG.OSAIDConformance,
             OG.Downloadable, OG.CommercialUseBan, OG.CodeContent, OG.Nonsense, EX.thing]
_DERIVATIONS = [OG.fineTunedFrom, OG.adapterOf, OG.mergedFrom, OG.quantizedFrom, OG.distilledFrom,
                OG.continuedPretrainingOf, OG.derivedFrom]
_LEXICAL = ["", "x y", "01", "1", "-0", "0", "2", "6", "1.50", "0.5", "1e3", "NaN", "INF", " 5", "1_0",
            "true",
            "TRUE", "false", "yes", "2024-02-30", "2024-01-01", "2024-01-01Z", "2024-13-01", "0000-01-01",
            "20240101", "2001-05-01", "2024", "2024-05", "2025-06-01T12:00:00", "2025-06-01T12:00:00Z",
            "2025-06-01T24:00:00", "sha256:ab", "sha256:ab\n", "sha256:AB", "Apache-2.0"]
_DATATYPES: list[URIRef | None] = [None, XSD.string, XSD.date, XSD.dateTime, XSD.gYear, XSD.gYearMonth,
                                   XSD.integer,
                                   XSD.decimal, XSD.double, XSD.boolean, XSD.nonNegativeInteger, XSD.anyURI,
                                   XSD.normalizedString, EX.datatype]

literals = st.builds(
    lambda lex, dt_, lang: Literal(lex, lang=lang) if lang else Literal(lex, datatype=dt_),
    st.one_of(st.sampled_from(_LEXICAL), st.text(max_size=6)),
    st.sampled_from(_DATATYPES),
    st.sampled_from([None, None, None, "en", "EN-gb"]),
)
objects = st.one_of(literals, st.sampled_from(_CONCEPTS + _SUBJECTS), st.builds(BNode))


@st.composite
def mutated(draw: st.DrawFn) -> Graph:
    """Valid data (the valid shape cases together) with one to five random mistakes."""
    g = Graph()
    g += _BASE
    for _ in range(draw(st.integers(1, 5))):
        op = draw(st.sampled_from(["drop", "duplicate", "retype", "relexical", "to-literal", "to-iri",
                                   "concept", "type", "derive", "odrl", "blank"]))
        if op in ("retype", "relexical", "to-iri"):
            s, p, o = draw(st.sampled_from(_LITERAL_TRIPLES))
        elif op in ("to-literal", "concept"):
            s, p, o = draw(st.sampled_from(_IRI_TRIPLES))
        else:
            s, p, o = draw(st.sampled_from(_TRIPLES))
        if op == "drop":
            g.remove((s, p, o))
        elif op == "duplicate":
            g.add((s, p, draw(objects)))
        elif op == "retype":
            g.remove((s, p, o))
            g.add((s, p, Literal(str(o), datatype=draw(st.sampled_from(_DATATYPES)))))
        elif op == "relexical":
            g.remove((s, p, o))
            g.add((s, p, draw(literals)))
        elif op == "to-literal":
            g.remove((s, p, o))
            g.add((s, p, Literal(str(o))))
        elif op == "to-iri":
            g.remove((s, p, o))
            g.add((s, p, EX[f"v{abs(hash(str(o))) % 97}"]))
        elif op == "concept":
            g.remove((s, p, o))
            g.add((s, p, draw(st.sampled_from(_CONCEPTS))))
        elif op == "type":
            g.add((draw(st.sampled_from(_SUBJECTS)), RDF.type, draw(st.sampled_from(_CLASSES))))
        elif op == "derive":
            g.add((draw(st.sampled_from(_RELEASES)), draw(st.sampled_from(_DERIVATIONS)),
                   draw(st.one_of(st.sampled_from(_RELEASES), literals))))
        elif op == "odrl":
            g.add((s, draw(st.sampled_from([ODRL.permission, ODRL.constraint, ODRL.duty])), draw(objects)))
        elif op == "blank":
            node = BNode()
            g.add((s, p, node))
            g.add((node, RDF.type, draw(st.sampled_from(_CLASSES))))
            g.add((node, draw(st.sampled_from(_PREDICATES)), draw(objects)))
    return g


@pytest.fixture(autouse=True)
def _quiet_rdflib() -> None:
    logging.getLogger("rdflib.term").setLevel(logging.ERROR)  # ill-typed literals are the point here


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated())
def test_random_batches_in_memory(data: Graph) -> None:
    try:
        run(MemoryDataset([data, load_ontology()], compiled_shapes().probe_predicates), compiled_shapes())
    except Fallback as why:  # two literals Oxigraph stores as one term, on one property: not comparable
        assert "as one term" in str(why) or "one literal" in str(why), why
        return
    try:
        assert_same(data)
    except ReferenceFailed:
        validate(data)  # the compiled engine still gives a report


def _store_with(data: Graph) -> OxigraphStore:
    """An in-memory store holding ``data`` as a source graph, with the current vocabulary graph."""
    from openness.gate import _vocabulary_graph

    store = OxigraphStore(None)
    graphs = {"https://w3id.org/openness/id/graph/test": data,
              str(vocabulary_graph_iri()): _vocabulary_graph(vocabulary_digest())}
    store.update(";\n".join(write_operations(graphs)))
    return store


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated())
def test_random_batches_on_a_store(data: Graph) -> None:
    """On a store the compiled queries run in place; pySHACL reads the store's source graphs."""
    store = _store_with(data)
    reference = validate_store(store, engine="pyshacl")
    compiled = validate_store(store, engine="compiled")
    if compiled.engine == "pyshacl":  # fell back (literals Oxigraph stores as one term)
        return
    assert _raw_keys(compiled, blank=True) == _raw_keys(reference, blank=True)


@pytest.mark.parametrize("case", _cases(), ids=lambda c: str(c).rsplit("#", 1)[-1])
def test_shape_case_on_a_store(case: URIRef) -> None:
    """The same cases written to a store: the compiled queries run on it in place (its literals
    as Oxigraph stores them), pySHACL on its source graphs read back into rdflib."""
    manifest = Graph().parse(HERE / "manifest.ttl")
    store = _store_with(_case_graph(HERE / str(manifest.value(case, MF.data))))
    compiled, reference = validate_store(store), validate_store(store, engine="pyshacl")
    assert compiled.engine == "compiled"
    assert _raw_keys(compiled, blank=True) == _raw_keys(reference, blank=True)


def test_store_path_is_used_and_agrees(examples_dir: Path) -> None:
    data = Graph()
    for path in sorted(examples_dir.glob("*.ttl")):
        data.parse(path)
    store = _store_with(data)
    compiled, reference = validate_store(store), validate_store(store, engine="pyshacl")
    assert compiled.engine == "compiled" and reference.engine == "pyshacl"
    assert _raw_keys(compiled, blank=True) == _raw_keys(reference, blank=True)
    assert compiled.warnings
