"""Run the shape test cases listed in tests/shapes/manifest.ttl against the shipped shapes.

The cases are data (small Turtle files plus expectations in the manifest), so adding a case needs
no Python. Each data file is validated together with the ontology, the way ingest validates
batches: pyshacl, inference "none", SHACL-AF on (for the stale-evidence targets).
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from openness.vocab import load_ontology, load_shapes
from pyshacl import validate
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import RDF, SH

HERE = Path(__file__).parent / "shapes"
MF = Namespace("https://w3id.org/openness/tests/shapes#")
#: A message must name the property to fix, as a prefixed name (og:evidence, odrl:action, ...).
PROPERTY_NAME = re.compile(r"\b(og|odrl|rdfs|dcterms|skos):[A-Za-z]+")


def _manifest() -> Graph:
    return Graph().parse(HERE / "manifest.ttl", format="turtle")


def _cases() -> list[URIRef]:
    return sorted(_manifest().subjects(RDF.type, MF.ShapeTest))


def _results(report: Graph) -> list[dict[str, object]]:
    """Top-level results only (nested sh:detail results explain these, they are not counted)."""
    out = []
    for report_node in report.subjects(RDF.type, SH.ValidationReport):
        for r in report.objects(report_node, SH.result):
            out.append(
                {
                    "focus": report.value(r, SH.focusNode),
                    "path": report.value(r, SH.resultPath),
                    "severity": report.value(r, SH.resultSeverity),
                    "component": report.value(r, SH.sourceConstraintComponent),
                    "shape": report.value(r, SH.sourceShape),
                    "message": report.value(r, SH.resultMessage),
                }
            )
    return out


FIELDS = {
    "focus": MF.focus,
    "path": MF.path,
    "severity": MF.severity,
    "component": MF.component,
    "shape": MF.shape,
}


@pytest.mark.parametrize("case", _cases(), ids=lambda c: str(c).rsplit("#", 1)[-1])
def test_shape_case(case: URIRef) -> None:
    manifest = _manifest()
    data_file = HERE / str(manifest.value(case, MF.data))
    text = data_file.read_text(encoding="utf-8").replace("@@TODAY@@", dt.date.today().isoformat())
    data = Graph().parse(data=text, format="turtle", publicID=data_file.as_uri())
    data += load_ontology()

    conforms, report, report_text = validate(
        data, shacl_graph=load_shapes(), inference="none", advanced=True, allow_warnings=True
    )
    results = _results(report)

    assert conforms == manifest.value(case, MF.conforms).toPython(), report_text
    assert len(results) == manifest.value(case, MF.resultCount).toPython(), report_text
    shapes = load_shapes()

    def matches(result: dict[str, object], field: str, want: object) -> bool:
        # a property shape's result names the (often blank) property shape; the manifest may name
        # the node shape that owns it
        if field == "shape" and (want, SH.property, result["shape"]) in shapes:
            return True
        return result[field] == want

    for expected in manifest.objects(case, MF.result):
        want = {
            k: manifest.value(expected, p)
            for k, p in FIELDS.items()
            if manifest.value(expected, p) is not None
        }
        assert any(all(matches(r, k, v) for k, v in want.items()) for r in results), (
            f"no result matches {want} in:\n{report_text}"
        )
    for r in results:
        message = r["message"]
        assert isinstance(message, Literal) and PROPERTY_NAME.search(str(message)), (
            f"result for {r['focus']} has a message that names no property: {message!r}"
        )


def test_manifest_covers_every_data_file() -> None:
    """A data file nobody lists would be a test that never runs."""
    listed = {str(o) for o in _manifest().objects(None, MF.data)}
    on_disk = {p.relative_to(HERE).as_posix() for p in HERE.rglob("*.ttl") if p.name != "manifest.ttl"}
    assert on_disk == listed


def test_every_user_facing_constraint_has_a_message_naming_a_property() -> None:
    """Every targeted shape's constraints carry an sh:message that names the property to fix."""
    shapes = load_shapes()
    targets = (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf, SH.target)
    targeted = {s for t in targets for s in shapes.subjects(t, None)}
    assert targeted, "no targeted shapes found"
    missing = []
    for shape in targeted:
        owners = []
        if any(shapes.value(shape, p) is not None for p in (SH["or"], SH["not"], SH.xone, SH["and"])):
            owners.append(shape)
        owners += list(shapes.objects(shape, SH.property)) + list(shapes.objects(shape, SH.sparql))
        for owner in owners:
            message = shapes.value(owner, SH.message)
            if message is None or not PROPERTY_NAME.search(str(message)):
                missing.append((shape, owner))
    assert not missing, f"constraints without a helpful sh:message: {missing}"
