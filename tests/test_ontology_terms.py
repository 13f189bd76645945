"""The vocabulary holds exactly what docs/design.md promises, and the schemes agree with their sources."""

from __future__ import annotations

import re
from pathlib import Path

import yaml
from openness.namespaces import MOF, OG, PREFIXES, SPECTRUM
from openness.resources import data_dir
from openness.vocab import load_ontology
from rdflib import Literal, URIRef
from rdflib.namespace import DCAT, DCTERMS, ODRL2, OWL, PROV, RDF, RDFS, SKOS, XSD

REPO = Path(__file__).resolve().parents[1]
DESIGN = REPO / "docs" / "design.md"
MOF_SETTINGS = (
    data_dir() / "sources" / "mot" / "web" / "modules" / "mof" / "config" / "install" / "mof.settings.yml"
)
TERM = re.compile(r"\b(og|spectrum|mof):([A-Za-z][\w.-]*[A-Za-z0-9])")
PLACEHOLDERS = {"og:TierN"}  # design.md's "og:TierN" stands for og:Tier1 ... og:Tier5


def _in_scheme(g, scheme):
    return set(g.subjects(SKOS.inScheme, scheme))


def test_every_term_named_in_the_design_contract_is_defined() -> None:
    g = load_ontology()
    named = {f"{p}:{local}" for p, local in TERM.findall(DESIGN.read_text(encoding="utf-8"))} - PLACEHOLDERS
    assert len(named) > 100  # the contract names well over a hundred terms; a broken regex would find few
    missing = sorted(
        t
        for t in named
        if not any(
            True for _ in g.triples((URIRef(PREFIXES[t.split(":")[0]] + t.split(":")[1]), RDF.type, None))
        )
    )
    assert not missing, f"named in docs/design.md but not defined (typed) in ontology/: {missing}"


def test_alignments_required_by_the_contract() -> None:
    g = load_ontology()
    axioms = [
        (OG.Claim, RDFS.subClassOf, PROV.Entity),
        (OG.Evidence, RDFS.subClassOf, PROV.Entity),
        (OG.ModelRelease, RDFS.subClassOf, PROV.Entity),
        (OG.ModelRelease, RDFS.subClassOf, DCAT.Resource),
        (OG.License, RDFS.subClassOf, DCTERMS.LicenseDocument),
        (OG.License, RDFS.subClassOf, ODRL2.Policy),
        (OG.Ingest, RDFS.subClassOf, PROV.Activity),
        (OG.AssessmentRun, RDFS.subClassOf, PROV.Activity),
        (OG.derivedFrom, RDFS.subPropertyOf, PROV.wasDerivedFrom),
        (OG.claimant, RDFS.subPropertyOf, PROV.wasAttributedTo),
        (OG.developer, RDFS.subPropertyOf, DCTERMS.creator),
        (OG.CustomLicense, RDFS.subClassOf, OG.License),
    ]
    missing = [a for a in axioms if a not in g]
    assert not missing, missing
    derivations = set(g.subjects(RDFS.subPropertyOf, OG.derivedFrom))
    assert derivations == {
        OG.fineTunedFrom,
        OG.adapterOf,
        OG.mergedFrom,
        OG.quantizedFrom,
        OG.distilledFrom,
        OG.continuedPretrainingOf,
    }


def test_no_owl_equivalences_to_other_vocabularies() -> None:
    """Alignments to DPV, AIRO, SPDX 3 and schema.org are mappings, not equivalence axioms."""
    g = load_ontology()
    assert not list(g.triples((None, OWL.equivalentClass, None)))
    assert not list(g.triples((None, OWL.equivalentProperty, None)))


def test_mof_components_match_the_model_openness_tool_settings() -> None:
    g = load_ontology()
    components = yaml.safe_load(MOF_SETTINGS.read_text(encoding="utf-8"))["components"]
    content = {"code": OG.CodeContent, "data": OG.DataContent, "document": OG.DocumentContent}
    concepts = _in_scheme(g, OG.MOFComponentScheme)
    assert len(concepts) == len(components)
    by_id = {int(g.value(c, OG.mofComponentId)): c for c in concepts}
    for comp in components:
        concept = by_id[comp["id"]]
        assert str(concept).startswith(str(MOF))
        assert g.value(concept, SKOS.prefLabel) == Literal(comp["name"], lang="en")
        assert g.value(concept, OG.mofClass) == Literal(comp["class"], datatype=XSD.integer)
        assert g.value(concept, OG.mofRequired).toPython() is comp["required"]
        assert g.value(concept, OG.contentType) == content[comp["content_type"]]
        assert (concept, SKOS.inScheme, OG.ComponentTypeScheme) in g


def test_status_values_and_tiers() -> None:
    g = load_ontology()
    values = {s: g.value(s, OG.statusValue) for s in _in_scheme(g, OG.StatusScheme)}
    assert {s: (v.toPython() if v is not None else None) for s, v in values.items()} == {
        OG.Open: 1,
        OG.Partial: 0.5,
        OG.Closed: 0,
        OG.Unknown: None,
        OG.NotApplicable: None,
        OG.NotListed: None,  # absence from a listing: its own value, never counted as closed
    }
    tiers = {int(g.value(t, OG.tierNumber)): t for t in _in_scheme(g, OG.TierScheme)}
    assert tiers == {n: OG[f"Tier{n}"] for n in range(1, 6)}
    assert {
        int(g.value(c, OG.mofClass)) for c in _in_scheme(g, OG.MOFClassScheme) if g.value(c, OG.mofClass)
    } == {1, 2, 3}


def test_spectrum_criteria_roll_up_as_documented() -> None:
    g = load_ontology()
    roll = {c: g.value(c, OG.rollsUpTo) for c in _in_scheme(g, OG.SpectrumCriteriaScheme)}
    assert roll == {
        SPECTRUM.Code: OG.OpenCode,
        SPECTRUM.Weights: OG.InputTransparency,
        SPECTRUM.Access: None,
        SPECTRUM.InputTransparency: OG.InputTransparency,
        SPECTRUM.DownstreamTransparency: OG.ThreatTransparency,
        SPECTRUM.License: OG.OpenLicense,
        SPECTRUM.Standards: OG.OpenStandards,
    }


def test_every_spectrum_criterion_is_informed_by_some_component_type() -> None:
    """Each spectrum criterion except license (which comes from license facts) has a component behind it."""
    g = load_ontology()
    informed = {o for c in _in_scheme(g, OG.ComponentTypeScheme) for o in g.objects(c, OG.informs)}
    assert informed == _in_scheme(g, OG.SpectrumCriteriaScheme) - {SPECTRUM.License}
