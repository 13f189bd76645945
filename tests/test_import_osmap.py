"""AI Stack Map importer: model products only, evidence {url, shows, accessed}, mappings, bad input."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from openness.importers.base import ImportError_
from openness.importers.osmap import import_osmap, split_components
from openness.importers.resolve import Resolver
from openness.namespaces import OG, OSMAP, SPDX
from openness.resources import data_dir
from openness.vocab import load_ontology
from rdflib import Literal
from rdflib.namespace import RDFS

MAP_DIR = data_dir() / "sources" / "os-ai-map"


@pytest.fixture(scope="module")
def result():
    return import_osmap(MAP_DIR, Resolver())


def test_only_the_76_models_are_records(result) -> None:
    assert result.report.records_read == 76 == result.report.records_imported
    assert result.report.license_mapped_share >= 0.9


def test_olmo2_claims_cite_every_source_with_accessed_date(result) -> None:
    g = result.graph
    rows = list(
        g.query(
            """PREFIX og: <https://w3id.org/openness/ns#> PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
        SELECT ?k ?v ?src ?d ?loc WHERE { ?c og:about ?r ; og:criterion ?k ; og:sourceValue ?v ;
        og:evidence ?e . ?e og:sourceIRI ?src ; og:retrievedOn ?d ; og:locator ?loc .
        ?r rdfs:label ?l FILTER(STR(?l) = STR(?n)) }""",
            initBindings={"n": Literal("OLMo 2")},
        )
    )
    by_k = {}
    for k, v, src, d, loc in rows:
        by_k.setdefault(k, set()).add((str(v).split("#")[1], str(src), str(d)))
        assert "shows: flagship phase-C verification source" in str(loc)
    assert {v for v, _, _ in by_k[OSMAP.OpennessScore]} == {"value-score-5"}
    assert ("value-open", "https://allenai.org/blog/olmo2", "2026-06-04") in by_k[OSMAP.Weights]
    assert len(by_k[OSMAP.Data]) == 4  # one evidence per cited source


def test_license_is_a_claim_of_its_own_and_components_get_their_licenses(result) -> None:
    """The map's license:… is an osmap:License claim (status by terms); the class is not read as a
    license. "code MIT + model DeepSeek-Model-License" gives the code and the weights their own
    licenses; "CC-BY-NC(…)+Cohere-Acceptable-Use-Policy" is kept unresolved with a warning."""
    g = result.graph
    assert all(g.value(c, OG.criterion) != OSMAP.OpennessClass for c in g.subjects(OG.claimedLicense, None))

    def claims(label: str) -> dict:
        q = """PREFIX og: <https://w3id.org/openness/ns#> PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
        SELECT ?k ?lic WHERE { ?c og:about ?r ; og:criterion ?k . OPTIONAL { ?c og:claimedLicense ?lic }
        ?r rdfs:label ?l FILTER(STR(?l) = STR(?n)) }"""
        return {k: lic for k, lic in g.query(q, initBindings={"n": Literal(label)})}

    deepseek = next(label for label in map(str, g.objects(None, RDFS.label)) if label.startswith("DeepSeek")
                    and OSMAP.Code in claims(label) and claims(label).get(OSMAP.Code) is not None)
    got = claims(deepseek)
    assert got[OSMAP.Code] == SPDX["MIT"]
    deepseek_license = got[OSMAP.Weights]
    assert str(deepseek_license).endswith("/deepseek-license-agreement")
    assert got[OSMAP.License] == deepseek_license  # the model's license is the weights'
    assert got.get(OSMAP.OpennessClass) is None
    assert any("command-r" in w and "compound" in w for w in result.report.warnings)
    onto = load_ontology()
    assert (OSMAP["value-license"], OG.statusByTerms, Literal(True)) in onto


def test_components_split_outside_parentheses_only() -> None:
    parts = split_components("weights:open(a; b);code:closed(no training pipeline);license:Apache-2.0(OSI)")
    assert parts == {
        "weights": "open(a; b)",
        "code": "closed(no training pipeline)",
        "license": "Apache-2.0(OSI)",
    }


def test_unknown_class_skips_the_product(tmp_path: Path) -> None:
    root = tmp_path / "os-ai-map"
    shutil.copytree(MAP_DIR / "sources", root / "sources")
    score = root / "sources" / "scores" / "olmo-2.yaml"
    score.write_text(
        score.read_text(encoding="utf-8").replace("class: open_source", "class: sorta_open"), encoding="utf-8"
    )
    res = import_osmap(root, Resolver())
    assert res.report.records_imported == 75
    (reject,) = res.report.rejected
    assert reject.record == "olmo-2" and "sorta_open" in reject.reason
    assert not list(res.graph.subjects(OG.rawValue, Literal("sorta_open")))


def test_missing_products_folder_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ImportError_, match="sources/products"):
        import_osmap(tmp_path, Resolver())
