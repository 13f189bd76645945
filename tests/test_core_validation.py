"""Validation reports: severities, renderings (text, Turtle, JSON) and file-only validation."""

from __future__ import annotations

import json
from pathlib import Path

from openness import mint
from openness.namespaces import OG
from openness.validation import validate, validate_files
from rdflib import Graph, Literal
from rdflib.namespace import RDF, SH, XSD

CLAIM = mint.iri("claim", "no-criterion")


def _claim_without_criterion() -> Graph:
    g = Graph()
    release, agent = mint.release_iri("Undated"), mint.agent_iri("Acme")
    g.add((CLAIM, RDF.type, OG.Claim))
    g.add((CLAIM, OG.about, release))
    g.add((CLAIM, OG.status, OG.Unknown))
    g.add((CLAIM, OG.claimant, agent))
    g.add((CLAIM, OG.assertedOn, Literal("2024-11-19", datatype=XSD.date)))
    g.add((agent, RDF.type, OG.Organization))
    return g


def test_violation_renderings() -> None:
    report = validate(_claim_without_criterion())
    assert not report.conforms
    assert any(v.focus_node == str(CLAIM) and v.path == str(OG.criterion) for v in report.violations)
    release = str(CLAIM)

    text = report.to_text()
    assert release in text and "VIOLATION" in text

    data = json.loads(report.to_json())
    assert data["conforms"] is False and data["violations"] == len(report.violations)
    assert data["results"][0]["severity"] == "Violation"

    turtle = Graph().parse(data=report.to_turtle(), format="turtle")
    reports = list(turtle.subjects(RDF.type, SH.ValidationReport))
    assert len(reports) == 1
    assert turtle.value(reports[0], SH.conforms) == Literal(False)
    assert len(list(turtle.objects(reports[0], SH.result))) == len(report.results)


def test_warnings_do_not_block(examples_dir: Path) -> None:
    """The bundled example has stale-evidence warnings (retrieved 2024) and no violations."""
    report = validate_files(sorted(examples_dir.glob("*.ttl")))
    assert report.conforms, report.to_text()
    assert report.warnings, "evidence retrieved in 2024 is more than a year old: a warning"
    assert sum(report.warnings_by_kind().values()) == len(report.warnings)
    fixed = _claim_without_criterion()
    fixed.add((CLAIM, OG.criterion, OG.SpectrumPlacement))
    assert not validate(fixed).conforms, "a placement names its tier"
    fixed.add((CLAIM, OG.claimedTier, OG.Tier2))
    assert validate(fixed).conforms
