"""Importer-level tests for the failing inputs of issue 9 (tests/cases/, copied from the cases folder):
what claims, values, licenses and warnings come out. Verdict-level tests belong to the rules.

* 01 — MOT open data licenses: CC-BY-3.0 weights are open by MOT's evaluator's own lists;
* 06 — Hugging Face merges: several base_model parents without a relation are og:mergedFrom;
* 07 — `license: other`: name or link resolves to the curated license; a bare `other` is kept;
* 08 — OpenMDW-1.1: open by curation (a fact, not code); the controls by MOT's lists;
* 09 — "License not specified": og:Unlicensed, never a license node.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from openness import mint
from openness.importers.hfcard import import_hf_card
from openness.importers.mot import import_mot
from openness.importers.resolve import Resolver
from openness.namespaces import HF, MOF, OG, SPDX
from openness.resources import data_dir
from openness.vocab import load_ontology
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, SKOS

CASES = Path(__file__).parent / "cases"


def _mot(case: str, tmp_path: Path):
    """Import a case's MOT records with MOT's schema, as the catalogue would be."""
    root = tmp_path / "mot"
    shutil.copytree(CASES / case / "models", root / "models")
    shutil.copytree(data_dir() / "sources" / "mot" / "schema", root / "schema")
    return import_mot(root, Resolver(use_default_overrides=False))


def _cards(case: str):
    return import_hf_card(CASES / case / "cards", Resolver(use_default_overrides=False))


def _component_claims(g: Graph, release: URIRef) -> dict[URIRef, URIRef]:
    claims = [c for c in g.subjects(OG.about, release) if (c, RDF.type, OG.Claim) in g]
    return {g.value(c, OG.criterion): c for c in claims}


def _open_facts(g: Graph, license_iri: URIRef) -> set[URIRef]:
    """The criteria of og:OpenTermsCriteria (the one definition of an open license, as data) that
    have a fact with status open about ``license_iri`` in ``g``."""
    members = set(load_ontology().objects(OG.OpenTermsCriteria, SKOS.member))
    return {g.value(c, OG.criterion) for c in g.subjects(OG.about, license_iri)
            if g.value(c, OG.criterion) in members and (c, OG.status, OG.Open) in g}


def test_case_01_cc_by_3_weights_are_open_by_mots_own_lists(tmp_path: Path) -> None:
    result = _mot("01-mot-open-data-licenses", tmp_path)
    assert result.report.records_imported == 2 and not result.report.rejected
    g = result.graph
    cc = _component_claims(g, mint.release_iri("Example-CCBY30-Weights"))
    weights = cc[MOF.ModelParametersFinal]
    assert g.value(weights, OG.sourceValue) == MOF["value-listed"]
    assert g.value(weights, OG.claimedLicense) == SPDX["CC-BY-3.0"]
    # CC-BY-3.0 is neither OSI-approved nor FSF-libre: it is open through MOT's OPEN_DATA_LICENSES
    assert _open_facts(g, SPDX["CC-BY-3.0"]) == {OG.MOFAcceptedLicense}
    # the control: ODbL-1.0 is FSF-libre and in MOT's list
    control = _component_claims(g, mint.release_iri("Example-ODbL-Weights"))
    assert g.value(control[MOF.ModelParametersFinal], OG.claimedLicense) == SPDX["ODbL-1.0"]
    assert _open_facts(g, SPDX["ODbL-1.0"]) == {OG.FSFLibre, OG.MOFAcceptedLicense}
    # every Class III component of the record is listed under a license with an open fact
    class3 = [k for k in (MOF.ModelArchitecture, MOF.ModelParametersFinal, MOF.ModelCard, MOF.DataCard,
                          MOF.TechnicalReport, MOF.EvaluationResults)]
    for k in class3:
        assert g.value(cc[k], OG.sourceValue) == MOF["value-listed"], k
        assert _open_facts(g, g.value(cc[k], OG.claimedLicense)), k


def test_case_06_several_parents_without_a_relation_are_a_merge() -> None:
    result = _cards("06-hf-merge-multi-base-model")
    g = result.graph
    merged = mint.release_iri("example-org/Merged-Model-7B")
    evol = mint.release_iri("example-org/Evol-CoT-3b-GGUF")
    assert len(set(g.objects(merged, OG.mergedFrom))) == 2
    assert len(set(g.objects(evol, OG.mergedFrom))) == 3  # five entries, three distinct parents
    assert not list(g.subject_objects(OG.fineTunedFrom))
    assert len([w for w in result.report.warnings if "read as a merge" in w]) == 2


def test_case_07_license_other_resolves_and_a_bare_other_is_kept() -> None:
    result = _cards("07-hf-license-other-custom")
    g = result.graph
    claims = {str(g.value(c, OG.about)).rsplit("/", 1)[-1]: c for c in g.subjects(OG.criterion, HF.License)}
    assert len(claims) == 3  # none disappears
    codestral = claims["example-quant-codestral-22b-v0-1-gguf"]
    pixtral = claims["example-quant-pixtral-large-2411-w4a16"]
    mnpl = mint.license_iri(custom_name="Mistral AI Non-Production License")
    mrl = mint.license_iri(custom_name="Mistral AI Research License")
    assert g.value(codestral, OG.claimedLicense) == mnpl and g.value(pixtral, OG.claimedLicense) == mrl
    assert str(g.value(codestral, OG.rawValue)) == "other: mnpl"
    bare = claims["example-org-bare-other-license"]
    assert g.value(bare, OG.rawValue) == Literal("other")
    assert g.value(bare, OG.sourceValue) == HF["value-license-declared"]
    unknown = g.value(bare, OG.claimedLicense)
    assert (unknown, RDF.type, OG.CustomLicense) in g and (unknown, OG.rawText, Literal("other")) in g
    assert not list(g.subjects(OG.about, unknown))  # no list speaks for it: no fact, so never open
    assert [w for w in result.report.warnings if "bare-other-license" in w and "license: other" in w]
    assert result.report.unmapped_licenses == {"other": 1}


def test_case_08_openmdw_1_1_is_open_by_curation_like_the_controls_by_mot() -> None:
    result = _cards("08-openmdw-1-1")
    g = result.graph
    claims = list(g.subjects(OG.criterion, HF.License))
    claimed = {str(g.value(c, OG.rawValue)): g.value(c, OG.claimedLicense) for c in claims}
    assert set(claimed) == {"openmdw-1.1", "openmdw-1.0", "cdla-permissive-2.0"}
    assert {g.value(c, OG.sourceValue) for c in claims} == {HF["value-license-declared"]}
    assert claimed["openmdw-1.1"] == mint.license_iri(custom_name="OpenMDW License Agreement v1.1")
    assert _open_facts(g, claimed["openmdw-1.1"]) == {OG.CuratedOpenLicense}
    assert _open_facts(g, SPDX["OpenMDW-1.0"]) == {OG.MOFAcceptedLicense}  # MOT's OPEN_LICENSES
    assert _open_facts(g, SPDX["CDLA-Permissive-2.0"]) == {OG.MOFAcceptedLicense}  # OPEN_DATA_LICENSES
    assert not result.report.unmapped_licenses and not result.report.warnings


def test_case_09_license_not_specified_is_unlicensed_not_a_license(tmp_path: Path) -> None:
    result = _mot("09-mot-license-not-specified", tmp_path)
    g = result.graph
    claims = _component_claims(g, mint.release_iri("Example-R1-Style"))
    for k in (MOF.ModelCard, MOF.TechnicalReport, MOF.EvaluationResults, MOF.DataCard):
        assert g.value(claims[k], OG.sourceValue) == MOF["value-listed"], k  # included, never missing
        assert g.value(claims[k], OG.claimedLicense) == OG.Unlicensed, k
    assert str(g.value(claims[MOF.ModelCard], OG.rawValue)) == "License not specified"
    assert g.value(claims[MOF.ModelArchitecture], OG.claimedLicense) == SPDX["MIT"]
    assert not list(g.subjects(RDF.type, OG.CustomLicense))  # no license named "License not specified"
    assert not result.report.warnings and not result.report.unmapped_licenses
    listed = [k for k, c in claims.items() if g.value(c, OG.sourceValue) == MOF["value-listed"]]
    assert len(listed) == 6 + 1  # the six components and the distribution license


@pytest.mark.parametrize("case", ["01-mot-open-data-licenses", "09-mot-license-not-specified"])
def test_mot_cases_write_no_status_and_no_invented_quote(case: str, tmp_path: Path) -> None:
    g = _mot(case, tmp_path).graph
    for c in g.subjects(OG.sourceValue, None):
        assert (c, OG.status, None) not in g
        for ev in g.objects(c, OG.evidence):
            quote = g.value(ev, OG.quote)
            assert quote is None or "not listed" not in str(quote)
