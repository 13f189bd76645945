"""The shape compiler: its generated queries are committed and current, it refuses what it cannot
translate (naming the shape), its notion of a stable literal holds in rdflib and in Oxigraph, and
the engine switch and fall-back to pySHACL work."""

from __future__ import annotations

import importlib.util
import logging
import re
from pathlib import Path

import pyoxigraph as ox
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openness.namespaces import OG
from openness.validation import (
    CompileError,
    compiled_shapes,
    default_engine,
    use_engine,
    validate,
)
from openness.validation import literals as lit
from openness.validation.compiler import compile_shapes
from openness.vocab import load_shapes
from rdflib import Graph, Literal
from rdflib.namespace import RDF, SH, XSD

ROOT = Path(__file__).resolve().parents[1]


def _script():
    spec = importlib.util.spec_from_file_location("compile_shapes", ROOT / "scripts" / "compile_shapes.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_generated_queries_are_current() -> None:
    """queries/shapes-compiled/ is what scripts/compile_shapes.py writes from today's shapes:
    after changing a shape, regenerate (the test names the files that differ)."""
    stale = _script().differences()
    assert not stale, (f"queries/shapes-compiled/ is out of date for {stale}: "
                       "run python scripts/compile_shapes.py")


def test_generated_queries_run(memory_store: object) -> None:
    """Every generated file is one SPARQL query Oxigraph accepts as written."""
    store = ox.Store()
    folder = ROOT / "queries" / "shapes-compiled"
    files = sorted(folder.glob("*.rq"))
    assert len(files) == len(compiled_shapes().render())
    for path in files:
        list(store.query(path.read_text(encoding="utf-8")))


def test_shipped_shapes_use_only_what_the_compiler_reads() -> None:
    """Lists the SHACL the shapes use, so a reader sees the subset the compiler must cover."""
    shapes = load_shapes()
    used = {str(p).rsplit("#", 1)[-1] for p in shapes.predicates() if str(p).startswith(str(SH))}
    assert used <= {
        "targetClass", "targetSubjectsOf", "targetObjectsOf", "target", "select", "prefixes", "declare",
        "prefix", "namespace", "property", "path", "alternativePath", "minCount", "maxCount", "nodeKind",
        "datatype", "in", "hasValue", "class", "pattern", "minInclusive", "maxInclusive", "or", "not",
        "node", "sparql", "severity", "message", "deactivated",
    }, used


_HEAD = """@prefix sh: <http://www.w3.org/ns/shacl#> . @prefix og: <https://w3id.org/openness/ns#> .
@prefix ex: <https://example.org/> . @prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
"""


@pytest.mark.parametrize("shape, why", [
    ("ex:S a sh:NodeShape ; sh:targetClass og:Claim ; sh:property [ sh:path og:about ; "
     "sh:qualifiedValueShape [ sh:class og:ModelRelease ] ; sh:qualifiedMinCount 1 ; "
     "sh:message \"m og:about\" ] .",
     "qualified"),
    ("ex:S a sh:NodeShape ; sh:targetClass og:Claim ; sh:closed true ; sh:message \"m\" .", "closed"),
    ("ex:S a sh:NodeShape ; sh:targetClass og:Claim ; sh:property [ sh:path og:about ; sh:minLength 3 ; "
     "sh:message \"m\" ] .", "minLength"),
    ("ex:S a sh:NodeShape ; sh:targetClass og:Claim ; sh:property [ sh:path og:about ; sh:minCount 1 ] .",
     "no sh:message"),
    ("ex:S a sh:NodeShape ; sh:targetClass og:Claim ; sh:property [ sh:path og:assertedOn ; "
     "sh:minInclusive \"2020-01-01\"^^xsd:date ; sh:message \"m\" ] .", "bounds"),
    ("ex:S a sh:NodeShape ; sh:targetClass og:Claim ; sh:sparql [ sh:message \"m\" ; sh:select "
     "\"SELECT $this WHERE { OPTIONAL { $this og:about ?x } }\" ] .", "sh:select"),
    ("ex:S a sh:NodeShape ; sh:targetClass og:Claim ; sh:node ex:T . ex:T a sh:NodeShape ; sh:node ex:S .",
     "recursive"),
    ("ex:S a sh:NodeShape ; sh:targetClass og:Claim ; sh:property [ sh:path og:about ; "
     "sh:pattern \"(?=a)b\" ; sh:message \"m\" ] .", "lookaround"),
])
def test_compiler_refuses_what_it_cannot_translate(shape: str, why: str) -> None:
    graph = Graph().parse(data=_HEAD + shape, format="turtle")
    with pytest.raises(CompileError) as err:
        compile_shapes(graph).render()
    message = str(err.value)
    names_it = "ex:S" in message or "example.org/S" in message or "sh:path" in message
    assert why in message and names_it, message


def test_a_compile_error_stops_validation() -> None:
    graph = Graph().parse(data=_HEAD + "ex:S a sh:NodeShape ; sh:targetClass og:Claim ; sh:closed true ; "
                                       "sh:message \"m\" .", format="turtle")
    with pytest.raises(CompileError, match="closed"):
        validate(Graph(), shapes=graph)
    assert validate(Graph(), shapes=graph, engine="pyshacl").conforms  # the reference still runs it


# --------------------------------------------------------------------------- stable literals


def _stored(lexical: str, datatype: str) -> str:
    store = ox.Store()
    value = ox.Literal(lexical, datatype=ox.NamedNode(datatype))
    store.add(ox.Quad(ox.NamedNode("urn:s"), ox.NamedNode("urn:p"), value))
    return next(iter(store)).object.value


@pytest.mark.parametrize("datatype", sorted(lit.CANONICAL), ids=lambda d: str(d).rsplit("#", 1)[-1])
@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_stable_forms_are_stable_in_both_libraries(datatype: str, data: st.DataObject) -> None:
    """A literal the compiler treats as stable reads the same in rdflib (valid, same lexical form)
    and in Oxigraph (stored as written): the assumption that makes SPARQL verdicts pySHACL's."""
    canonical = lit.CANONICAL[datatype]  # type: ignore[index]
    lexical = data.draw(st.from_regex(f"^({canonical.pattern})$", fullmatch=True))
    if lit.suspicious_stored(lexical, str(datatype)):
        return  # an impossible day, year 0000 ...: judged in Python, not assumed
    literal = Literal(lexical, datatype=datatype)
    assert str(literal) == lexical
    assert literal.ill_typed is not True
    assert lit.is_stable(literal)
    assert _stored(lexical, str(datatype)) == lexical


@pytest.mark.parametrize("lexical, datatype", [
    ("01", XSD.integer), ("1.50", XSD.decimal), ("1.0", XSD.double), ("TRUE", XSD.boolean),
    ("2024-02-30", XSD.date), ("2024-01-01Z", XSD.date), ("2025-06-01T12:00:00Z", XSD.dateTime),
    ("2024Z", XSD.gYear), (" 5", XSD.integer), ("1_0", XSD.integer), ("NaN", XSD.double),
])
def test_what_reads_differently_is_caught(lexical: str, datatype: str) -> None:
    """A batch's literal the compiler trusts is stored unchanged; a stored literal it trusts reads
    the same, and valid, in rdflib (what pySHACL sees after reading the store)."""
    logging.getLogger("rdflib.term").setLevel(logging.ERROR)
    view = Literal(lexical, datatype=datatype)  # what pySHACL sees in a batch
    stored = _stored(str(view), str(datatype))  # what Oxigraph holds when rdflib wrote it
    if lit.is_stable(view):  # else the batch's own literal is judged in Python
        assert stored == str(view) and not lit.suspicious_stored(stored, str(datatype))
    from_store = _stored(lexical, str(datatype))  # what a store holds when written as is
    reread = Literal(from_store, datatype=datatype)  # what pySHACL sees after reading the store
    assert lit.suspicious_stored(from_store, str(datatype)) or (
        str(reread) == from_store and reread.ill_typed is not True)


# --------------------------------------------------------------------------- engines


def test_engine_switch() -> None:
    data = Graph()
    data.add((OG.c1, RDF.type, OG.Claim))
    assert default_engine() == "compiled"
    with use_engine("pyshacl"):
        assert default_engine() == "pyshacl"
        assert validate(data).engine == "pyshacl"
    assert validate(data).engine == "compiled"
    with pytest.raises(ValueError, match="unknown validation engine"):
        validate(data, engine="jena")


def test_falls_back_to_pyshacl_when_not_exact(caplog: pytest.LogCaptureFixture) -> None:
    """"TRUE" (ill-typed, rewritten to "true" by rdflib) and a well-typed true on two releases:
    two literals for pySHACL, one term for Oxigraph; the compiled engine says so and hands over."""
    logging.getLogger("rdflib.term").setLevel(logging.ERROR)
    data = Graph()
    for name, value in (("r1", Literal("TRUE", datatype=XSD.boolean)), ("r2", Literal(True))):
        data.add((OG[name], RDF.type, OG.ModelRelease))
        data.add((OG[name], OG.developerUnknown, value))
    with caplog.at_level(logging.WARNING, logger="openness.validation"):
        report = validate(data)
    assert report.engine == "pyshacl"
    assert any("one literal" in r.getMessage() for r in caplog.records)
    assert [r.focus_node for r in report.violations] == [str(OG.r1)]
    assert re.search("Datatype", report.violations[0].constraint or "")
