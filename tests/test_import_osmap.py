"""AI Stack Map importer: model products only, evidence {url, shows, accessed}, mappings, bad input."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from openness.namespaces import OG, OSMAP
from openness.resources import data_dir
from openness.sources.base import ImportError_
from openness.sources.osmap import import_osmap, split_components
from openness.sources.resolve import Resolver
from rdflib import Literal

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
        SELECT ?k ?s ?src ?d ?loc WHERE { ?c og:about ?r ; og:criterion ?k ; og:status ?s ; og:evidence ?e .
        ?e og:sourceIRI ?src ; og:retrievedOn ?d ; og:locator ?loc .
        ?r rdfs:label ?l FILTER(STR(?l) = STR(?n)) }""",
            initBindings={"n": Literal("OLMo 2")},
        )
    )
    by_k = {}
    for k, s, src, d, loc in rows:
        by_k.setdefault(k, set()).add((str(s).split("#")[1], str(src), str(d)))
        assert "shows: flagship phase-C verification source" in str(loc)
    assert {s for s, _, _ in by_k[OSMAP.OpennessScore]} == {"Open"}
    assert ("Open", "https://allenai.org/blog/olmo2", "2026-06-04") in by_k[OSMAP.Weights]
    assert len(by_k[OSMAP.Data]) == 4  # one evidence per cited source


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
