"""License nodes, their curated terms (ODRL), the license-fact claims, and MOT coverage."""

from __future__ import annotations

import pytest
import yaml
from openness import mint
from openness.importers import licenses as lic
from openness.importers.licenses import normalize_license
from openness.namespaces import MOF, ODRL, OG, SPDX
from openness.resources import data_dir
from openness.store import open_store
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS

MOT_MODELS = data_dir() / "sources" / "mot" / "models"


def test_llama2_node_carries_curated_terms_and_odrl_threshold() -> None:
    res = normalize_license("Llama 2 Community License")
    g = lic.license_graph([res])
    assert (res.iri, RDF.type, OG.CustomLicense) in g
    assert str(g.value(res.iri, RDFS.label)) == "Llama 2 Community License Agreement"
    assert (res.iri, OG.rawText, Literal("Llama 2 Community License")) in g
    restrictions = set(g.objects(res.iri, OG.hasUseRestriction))
    assert {OG.AcceptableUsePolicy, OG.UserThreshold, OG.AttributionDuty} <= restrictions
    rows = list(
        g.query(
            "PREFIX odrl: <http://www.w3.org/ns/odrl/2/> PREFIX og: <https://w3id.org/openness/ns#>\n"
            "SELECT ?op ?n WHERE { ?lic odrl:permission/odrl:constraint ?c .\n"
            " ?c odrl:leftOperand og:monthlyActiveUsers ;"
            " odrl:operator ?op ; odrl:rightOperand ?n }",
            initBindings={"lic": res.iri},
        )
    )
    assert [(op, int(n)) for op, n in rows] == [(ODRL.lteq, 700000000)]


def test_llama3_has_naming_duty_and_gemma_an_aup() -> None:
    llama3, gemma = normalize_license("llama3"), normalize_license("gemma")
    g = lic.license_graph([llama3, gemma])
    assert (llama3.iri, OG.hasUseRestriction, OG.NamingDuty) in g
    assert (gemma.iri, OG.hasUseRestriction, OG.AcceptableUsePolicy) in g
    assert (gemma.iri, OG.hasUseRestriction, OG.UserThreshold) not in g


def test_noncommercial_spdx_license_gets_commercial_use_ban_and_research_license_research_only() -> None:
    nc, research, apache = (
        normalize_license(x) for x in ("CC-BY-NC-4.0", "tongyi-qianwen-research", "Apache 2.0")
    )
    g = lic.license_graph([nc, research, apache])
    assert (SPDX["CC-BY-NC-4.0"], OG.hasUseRestriction, OG.CommercialUseBan) in g
    assert (research.iri, OG.hasUseRestriction, OG.ResearchOnly) in g
    assert not list(g.objects(SPDX["Apache-2.0"], OG.hasUseRestriction))
    assert (SPDX["Apache-2.0"], OG.spdxId, Literal("Apache-2.0")) in g
    assert {OG.CodeContent, OG.DocumentContent} == set(g.objects(SPDX["Apache-2.0"], OG.licenseContentType))


def test_custom_license_iris_follow_the_configured_base(monkeypatch) -> None:
    monkeypatch.setenv("OPENNESS_BASE_IRI", "https://example.org/og/")
    res = normalize_license("Gemma Terms of Use")
    assert str(res.iri) == "https://example.org/og/license/gemma-terms-of-use"
    g = lic.license_graph([res])
    assert (res.iri, OG.hasUseRestriction, OG.AcceptableUsePolicy) in g


def _status(g, about: URIRef, criterion: URIRef) -> tuple[URIRef, URIRef]:
    rows = list(
        g.query(
            "PREFIX og: <https://w3id.org/openness/ns#>\n"
            "SELECT ?s ?who WHERE { ?c og:about ?a ; og:criterion ?k ;"
            " og:status ?s ; og:claimant ?who }",
            initBindings={"a": about, "k": criterion},
        )
    )
    assert len(rows) == 1, rows
    return rows[0][0], rows[0][1]


def test_license_fact_claims_follow_the_spdx_and_mof_lists() -> None:
    res = [normalize_license(x) for x in ("Apache 2.0", "CC-BY-NC-4.0", "BSD-3", "llama2")]
    g = lic.license_fact_claims(res)
    spdx_agent, mof_agent = (
        mint.agent_iri("SPDX License List"),
        mint.agent_iri("LF AI & Data Model Openness Tool"),
    )
    assert _status(g, SPDX["Apache-2.0"], OG.OSIApproved) == (OG.Open, spdx_agent)
    assert _status(g, SPDX["Apache-2.0"], OG.FSFLibre) == (OG.Open, spdx_agent)
    assert _status(g, SPDX["Apache-2.0"], OG.MOFAcceptedLicense) == (OG.Open, mof_agent)
    assert _status(g, SPDX["CC-BY-NC-4.0"], OG.OSIApproved)[0] == OG.Closed
    assert _status(g, SPDX["CC-BY-NC-4.0"], OG.MOFAcceptedLicense)[0] == OG.Closed
    # MOF's list does not carry BSD-3-Clause although OSI approves it: the two lists are kept apart
    assert _status(g, SPDX["BSD-3-Clause"], OG.OSIApproved)[0] == OG.Open
    assert _status(g, SPDX["BSD-3-Clause"], OG.MOFAcceptedLicense)[0] == OG.Closed
    # no list speaks for a custom license
    assert not list(g.subjects(OG.about, res[3].iri))
    osi = [c for c in g.subjects(OG.about, SPDX["Apache-2.0"]) if (c, OG.criterion, OG.OSIApproved) in g]
    ev = g.value(osi[0], OG.evidence)
    assert g.value(ev, OG.sourceIRI) == URIRef("https://spdx.org/licenses/Apache-2.0.html")


def test_license_graph_loads_into_a_real_store() -> None:
    res = [normalize_license(x) for x in ("Apache 2.0", "llama3.1", "odd custom thing")]
    g = lic.license_graph(res) + lic.license_fact_claims(res)
    store = open_store(":memory:")
    store.put_graph(mint.graph_iri("test", "licenses"), g)
    assert store.count() == len(g)
    rows = store.select(
        "PREFIX og: <https://w3id.org/openness/ns#> SELECT (COUNT(?c) AS ?n) WHERE { ?c a og:Claim }"
    )
    assert int(rows[0]["n"]) == 3  # three claims for the one SPDX license


def _mot_license_values() -> list[tuple[str, str]]:
    """Every `license` string in the MOT files: release-level (distribution, code, data, document)
    and component-level, with the file it came from."""
    out: list[tuple[str, str]] = []

    def walk(node: object, file: str) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                if key == "license" and isinstance(value, dict):
                    for item in value.values():
                        if isinstance(item, dict) and "name" in item:
                            out.append((file, "" if item["name"] is None else str(item["name"])))
                elif key == "license":
                    out.append((file, "" if value is None else str(value)))
                else:
                    walk(value, file)
        elif isinstance(node, list):
            for item in node:
                walk(item, file)

    for path in sorted(MOT_MODELS.glob("*.yml")):
        walk(yaml.safe_load(path.read_text(encoding="utf-8")), path.name)
    return out


def test_at_least_95_percent_of_mot_license_values_map() -> None:
    """Of MOT's license strings, those that are not MOT's own component phrases ("Component not
    include", "Undisclosed": values of og:MOTValueScheme) resolve: 95 % at least, and compound
    statements are recognized as such (kept unresolved on purpose, not counted as mapped)."""
    from openness.importers.values import find_value

    listed, missing = MOF["value-listed"], MOF["value-not-listed"]
    everything = _mot_license_values()
    values = [(f, v) for f, v in everything if find_value(MOF.ModelCard, v) in (None, listed, missing)]
    assert len(everything) > 1400 and len(everything) - len(values) >= 80  # 64 Undisclosed, 22 not included
    results = [(f, normalize_license(v)) for f, v in values]
    compound = {r.raw for _, r in results if r.kind == "compound"}
    assert len(compound) == 2  # the CodeT5+ dataset list and TeleChat's code/weights statement
    unmapped = sorted({(f, r.raw) for f, r in results if not r.mapped})
    share = sum(r.mapped for _, r in results) / len(results)
    named = [r for _, r in results if r.names_license]
    named_share = sum(r.mapped for r in named) / len(named)
    print(
        f"MOT license values: {len(results)}, resolved {share:.1%}; naming a license: {len(named)}, "
        f"mapped {named_share:.1%}; unmapped: {unmapped}"
    )
    assert share >= 0.95, unmapped
    assert named_share >= 0.95, unmapped  # also among the values that name a license at all
    assert sum(r.kind == "spdx" for _, r in results) > 300


def test_mof_accepted_follows_the_mot_evaluator_lists() -> None:
    """Case 01: MOT's evaluator counts a license open when it is OSI-approved, FSF-libre, in its
    OPEN_DATA_LICENSES or OPEN_LICENSES (LicenseHandler.php, vendored as data). The MOF fact says
    so for the licenses beyond OSI/FSF; licenses only type-appropriate in mof-licenses.json are
    not open to MOT (C-UDA-1.0), and MOT's 'ODC-PDDL-1.0' is the SPDX id PDDL-1.0."""
    names = ("CC-BY-3.0", "CC-BY-SA-3.0-AT", "ODC-By-1.0", "OGL-UK-3.0", "OpenMDW-1.0", "C-UDA-1.0",
             "ODC-PDDL-1.0", "CC-BY-NC-4.0")
    res = {n: normalize_license(n) for n in names}
    g = lic.license_fact_claims(res.values())
    mot = mint.agent_iri("LF AI & Data Model Openness Tool")
    for name in ("CC-BY-3.0", "CC-BY-SA-3.0-AT", "ODC-By-1.0", "OGL-UK-3.0", "OpenMDW-1.0", "ODC-PDDL-1.0"):
        assert _status(g, res[name].iri, OG.MOFAcceptedLicense) == (OG.Open, mot), name
        assert _status(g, res[name].iri, OG.OSIApproved)[0] == OG.Closed, name  # not open by OSI
    for name in ("C-UDA-1.0", "CC-BY-NC-4.0"):
        assert _status(g, res[name].iri, OG.MOFAcceptedLicense)[0] == OG.Closed, name
    assert res["ODC-PDDL-1.0"].iri == SPDX["PDDL-1.0"]
    # the evidence is MOT's evaluator at the vendored commit, with the list's own comment quoted
    (claim,) = [c for c in g.subjects(OG.about, SPDX["CC-BY-3.0"])
                if (c, OG.criterion, OG.MOFAcceptedLicense) in g]
    source = str(g.value(g.value(claim, OG.evidence), OG.sourceIRI))
    ev = g.value(claim, OG.evidence)
    assert "LicenseHandler.php" in source and "8b5d30e" in source
    assert str(g.value(ev, OG.quote)) == "These license IDs are considered open for data component types."


def test_vendored_mot_lists_are_the_evaluator_constants() -> None:
    lists = lic.mot_open_lists()
    assert len(lists.open_data) == 31 and lists.open_licenses == ("OpenMDW-1.0",)
    some = {"CC-BY-1.0", "CC-BY-2.5-AU", "CC-BY-SA-2.0-UK", "CDLA-Sharing-1.0", "ODC-By-1.0", "GFDL-1.3"}
    assert some <= set(lists.open_data)


def test_curated_open_license_is_a_fact_not_code() -> None:
    """Case 08: OpenMDW-1.1 (HF id `openmdw-1.1`) is on no list yet; the curation file makes it
    open through a fact with evidence, so every source reads it the same way."""
    res = normalize_license("openmdw-1.1")
    assert res.kind == "custom" and res.mapped
    g = lic.licenses_with_facts([res], Graph())
    curators = mint.agent_iri("openness-graph curators")
    assert _status(g, res.iri, OG.CuratedOpenLicense) == (OG.Open, curators)
    (claim,) = list(g.subjects(OG.about, res.iri))
    ev = g.value(claim, OG.evidence)
    assert str(g.value(ev, OG.sourceIRI)) == "https://openmdw.ai/" and "OpenMDW" in str(g.value(ev, OG.quote))
    # a custom license no list speaks for gets no fact at all (not "closed")
    other = normalize_license("Gemma Terms of Use")
    assert not list(lic.license_fact_claims([other]).subjects(OG.about, other.iri))


def test_curated_open_licenses_file_is_checked(tmp_path, monkeypatch) -> None:
    from openness.importers.licenses import lists

    bad = tmp_path / "open-licenses.csv"
    bad.write_text("license,reason,evidence_url,quote,asserted_on\nFoo-1.0,because,not a url,,2026-01-01\n",
                   encoding="utf-8")
    monkeypatch.setattr(lists, "open_licenses_path", lambda: bad)
    lists.curated_open_licenses.cache_clear()
    try:
        with pytest.raises(ValueError, match=r"open-licenses.csv:2: evidence_url 'not a url'"):
            lists.curated_open_licenses()
    finally:
        lists.curated_open_licenses.cache_clear()


def test_proprietary_terms_are_typed_by_curation() -> None:
    res = normalize_license("Proprietary")
    g = lic.license_graph([res])
    assert (res.iri, RDF.type, OG.ProprietaryLicense) in g and (res.iri, RDF.type, OG.License) in g


def test_licenses_described_from_their_iris_alone() -> None:
    """For writers that find license IRIs in a batch they did not import (examples, loaded files)."""
    llama = normalize_license("llama2").iri
    g = lic.describe_licenses([SPDX["Apache-2.0"], llama, OG.Unlicensed, URIRef("https://example.org/x")])
    assert (SPDX["Apache-2.0"], OG.spdxId, Literal("Apache-2.0")) in g
    assert _status(g, SPDX["Apache-2.0"], OG.OSIApproved)[0] == OG.Open
    assert str(g.value(llama, RDFS.label)) == "Llama 2 Community License Agreement"
    assert (llama, OG.rawText, None) not in g  # no source string seen: none invented
    assert not list(g.triples((URIRef("https://example.org/x"), None, None)))
    assert lic.licenses_in(g) == set()


def test_no_python_judges_openness() -> None:
    """"Open license" is defined once, as data (og:OpenTermsCriteria): the old Python judgments are gone."""
    import openness.importers.hfcard as hfcard
    import openness.importers.mot as mot

    assert not hasattr(lic, "is_open_license")
    assert not hasattr(mot, "component_status")
    assert not hasattr(hfcard, "spdx_list")
