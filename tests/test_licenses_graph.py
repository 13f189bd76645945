"""License nodes, their curated terms (ODRL), the license-fact claims, and MOT coverage."""

from __future__ import annotations

from pathlib import Path

import yaml
from openness import mint
from openness.namespaces import ODRL, OG, SPDX
from openness.sources import licenses as lic
from openness.sources.licenses import normalize_license
from openness.store import open_store
from rdflib import Literal, URIRef
from rdflib.namespace import RDF, RDFS

MOT_MODELS = Path("/work/shared/data/mot/models")


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
    values = _mot_license_values()
    assert len(values) > 1400
    results = [(f, normalize_license(v)) for f, v in values]
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
