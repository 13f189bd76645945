"""The source value schemes and the source-to-criterion mappings, checked as data.

Every criterion a source rates names its values (og:valueScheme); every value quotes the source
(skos:definition, dcterms:source) and says what status it stands for; every og:informs /
og:rollsUpTo link of a source criterion says why in a skos:scopeNote; disclosure indicators never
inform license, code or weights (issue 9 §2).
"""

from __future__ import annotations

import pytest
from openness.importers.values import UnknownValue, allowed_words, source_value, value_sets
from openness.namespaces import EPOCH, FMTI, HF, MOF, OG, OSAI, OSMAP, SPECTRUM
from openness.vocab import load_ontology
from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, SKOS

SOURCE_SCHEMES = (OG.OSAIDimensionScheme, OG.FMTIIndicatorScheme, OG.EpochFieldScheme,
                  OG.OSMapDimensionScheme, OG.HFCardFieldScheme, OG.MOFComponentScheme,
                  OG.MOFReleaseLicenseScheme)
STATUSES = {OG.Open, OG.Partial, OG.Closed, OG.Unknown, OG.NotApplicable, OG.NotListed}


def _criteria(g) -> set[URIRef]:
    return {URIRef(c) for s in SOURCE_SCHEMES for c in g.subjects(SKOS.inScheme, s)}


def test_every_source_criterion_names_its_values() -> None:
    g = load_ontology()
    criteria = _criteria(g) | {OG.OSAIDConformance}
    assert len(criteria) > 60
    missing = sorted(str(c) for c in criteria if g.value(c, OG.valueScheme) is None)
    assert not missing, missing
    assert set(value_sets()) >= criteria


def test_every_value_quotes_its_source_and_maps_to_a_status() -> None:
    g = load_ontology()
    values = {v for vs in value_sets().values() for v in vs.by_key.values()}
    assert len(values) >= 45
    for v in values:
        assert g.value(v, SKOS.prefLabel) is not None, v
        assert list(g.objects(v, SKOS.notation)), v
        assert g.value(v, SKOS.definition) is not None and g.value(v, DCTERMS.source) is not None, v
        assert g.value(v, OG.mapsToStatus) in STATUSES, v  # the default too, for og:statusByTerms
        assert (v, RDF.type, SKOS.Concept) in g and g.value(v, SKOS.inScheme) is not None, v


def test_notations_are_unambiguous_within_a_criterion() -> None:
    g = load_ontology()
    for criterion, vs in value_sets().items():
        concepts = set(vs.by_key.values())
        notations = [str(n) for c in concepts for n in g.objects(c, SKOS.notation)]
        assert len(notations) == len(set(notations)), (criterion, notations)


def test_the_values_importers_use_are_found_by_the_sources_words() -> None:
    assert source_value(OSAI.weights_endmodel, "Partial") == OSAI["value-partial"]
    assert source_value(OSAI.weights_endmodel, None) == OSAI["value-not-applicable"]
    assert source_value(FMTI.ModelLicense, "1") == FMTI["value-disclosed"]
    assert source_value(EPOCH.ModelAccessibility, "API access") == EPOCH["value-api-access"]
    assert source_value(EPOCH.PublicAccess, "API access") == EPOCH["value-public-api-access"]
    assert source_value(OSMAP.OpennessScore, "null") == OSMAP["value-score-null"]
    assert source_value(MOF.Datasets, "missing") == MOF["value-not-listed"]
    assert source_value(MOF.Datasets, "Component not included") == MOF["value-not-included"]
    assert source_value(HF.License, "license") == HF["value-license-declared"]
    assert source_value(OG.OSAIDConformance, "would pass with a license change") == OG.OSIValidationWouldPass
    with pytest.raises(UnknownValue, match=r"unknown value 'mostly' for osai:weights_endmodel; use one of"):
        source_value(OSAI.weights_endmodel, "mostly")
    # a word of one column reading is not a value of another criterion
    with pytest.raises(UnknownValue):
        source_value(EPOCH.TrainingCodeAccessibility, "API access")
    assert "Open access (non-commercial)" in allowed_words(EPOCH.InferenceCodeAccessibility)


def test_values_whose_status_follows_the_terms() -> None:
    g = load_ontology()
    by_terms = set(g.subjects(OG.statusByTerms, Literal(True)))
    assert by_terms == {MOF["value-listed"], HF["value-license-declared"], OSMAP["value-license"]}
    assert g.value(MOF["value-not-listed"], OG.mapsToStatus) == OG.NotListed  # absence is its own value
    assert g.value(MOF["value-undisclosed"], OG.mapsToStatus) == OG.Unknown


def test_every_link_of_a_source_criterion_says_why() -> None:
    """Each og:informs / og:rollsUpTo of a source criterion (sources-*.ttl) has a skos:scopeNote
    naming the link's target, and quoting the source (a quotation mark in the note)."""
    g = load_ontology()
    own = {s for s in SOURCE_SCHEMES if s not in (OG.MOFComponentScheme, OG.MOFReleaseLicenseScheme)}
    criteria = {URIRef(c) for s in own for c in g.subjects(SKOS.inScheme, s)}
    assert len(criteria) > 40
    for c in criteria:
        notes = " ".join(str(n) for n in g.objects(c, SKOS.scopeNote))
        assert notes, c
        for target in (*g.objects(c, OG.informs), *g.objects(c, OG.rollsUpTo)):
            local = str(target).rsplit("#", 1)[-1]
            assert local in notes, (c, local)
        if list(g.objects(c, OG.informs)) or list(g.objects(c, OG.rollsUpTo)):
            assert "'" in notes or "\u2018" in notes or '"' in notes, c


def test_disclosure_indicators_inform_transparency_only() -> None:
    """A disclosure indicator ("is X disclosed?") is not openness: it never informs the license,
    code or weights criteria (before, FMTI's license disclosure gave 23 closed releases 'open
    license')."""
    g = load_ontology()
    disclosures = [c for c in g.subjects(SKOS.inScheme, OG.FMTIIndicatorScheme)
                   if "disclosed" in str(g.value(c, SKOS.definition))]
    assert FMTI.ModelLicense in disclosures and FMTI.TermsOfUse in disclosures
    for c in disclosures:
        informs = set(g.objects(c, OG.informs))
        assert informs <= {SPECTRUM.InputTransparency, SPECTRUM.DownstreamTransparency}, (c, informs)
        assert g.value(c, OG.rollsUpTo) != OG.OpenLicense, c


def test_only_license_judgments_inform_the_license_criterion() -> None:
    g = load_ontology()
    informing = {c for c in _criteria(g) if (c, OG.informs, SPECTRUM.License) in g}
    assert informing == {OSAI.licenses, HF.License, OSMAP.License}
