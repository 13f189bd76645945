"""Build pipeline: cross-source resolution on the real corpus, idempotent builds, history order."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from openness import mint
from openness.namespaces import OG
from openness.resources import data_dir
from openness.sources.build import build, import_source, run_importers
from openness.sources.resolve import Resolver
from openness.store import open_store
from rdflib import URIRef
from rdflib.namespace import DCTERMS, RDF

SOURCES = data_dir() / "sources"


@pytest.fixture(scope="module")
def corpus() -> tuple[Resolver, list]:
    resolver = Resolver()
    plan = [("mot", SOURCES / "mot"), ("osai", SOURCES / "osai-index"),
            ("osai-legacy", SOURCES / "osai-index-v1.0.2"), ("osai-legacy", SOURCES / "opening-up-chatgpt"),
            ("fmti", SOURCES / "fmti"), ("epoch", SOURCES / "epoch")]
    results, skipped = run_importers(plan, resolver)
    assert not skipped, skipped
    return resolver, results


def test_counts_equal_records_less_documented_rejects(corpus) -> None:
    _, results = corpus
    by = {(r.report.source, r.report.version): r.report for r in results}
    mot = by[("mot", "2026-05-11")]
    assert mot.records_read == len(list((SOURCES / "mot" / "models").glob("*.yml")))
    assert {r.file for r in mot.rejected} == {"DeepSeek-V3-test.yml", "Unnamed-Model.yml"}
    index = by[("osai", "2026-06-12")]
    assert index.records_read == len(list((SOURCES / "osai-index").glob("*.yaml"))) - 1  # template
    for rep in (mot, index, by[("osai-legacy", "2025-09-06")], by[("osai-legacy", "2025-03-11")]):
        assert rep.records_read == rep.records_imported + len(rep.rejected)
        assert all(r.reason for r in rep.rejected)
    assert mot.license_mapped_share >= 0.95


def _series(result_graphs, release: URIRef) -> set[str]:
    out = set()
    for graph in result_graphs:
        for claim in graph.subjects(OG.about, release):
            if (claim, RDF.type, OG.Claim) in graph:
                ds = graph.value(claim, DCTERMS.source)
                out.add(str(ds).split("/dataset/")[1].split("/")[0])
    return out


@pytest.mark.parametrize("name,expected", [
    ("Llama-2-chat-70B", {"mot", "osai-index"}),
    ("Llama-2-70B", {"mot", "epoch"}),
    ("Claude-2", {"mot", "fmti", "epoch"}),
    ("Falcon-40B", {"mot", "epoch"}),
    ("GPT-4", {"mot", "fmti"}),
    ("Mistral 7B", {"mot", "fmti"}),
])
def test_models_in_several_sources_are_one_release(corpus, name: str, expected: set[str]) -> None:
    resolver, results = corpus
    release = next(URIRef(m.release) for m in resolver.matches if m.name == name)
    assert expected <= _series([r.graph for r in results], release)


def test_sizes_of_one_family_are_not_merged(corpus) -> None:
    resolver, _ = corpus
    releases = {m.name: m.release for m in resolver.matches if m.source == "mot"}
    sizes = [releases[n] for n in ("Llama-2-7B", "Llama-2-13B", "Llama-2-70B")]
    assert len(set(sizes)) == 3
    assert releases["Pythia-12B"] != releases["Pythia-6.9B"]


def _subset(tmp_path: Path) -> Path:
    root = tmp_path / "sources"
    (root / "mot" / "models").mkdir(parents=True)
    (root / "mot" / "schema").mkdir()
    for name in ("Llama-2-7B.yml", "Llama-2-70B.yml", "Llama-2-chat-70B.yml"):
        shutil.copy(SOURCES / "mot" / "models" / name, root / "mot" / "models" / name)
    shutil.copy(SOURCES / "mot" / "schema" / "mof_schema.json", root / "mot" / "schema")
    for folder in ("osai-index", "osai-index-v1.0.2"):
        (root / folder).mkdir()
        for name in ("llama-2-chat.yaml", "Pythia.yaml"):
            shutil.copy(SOURCES / folder / name, root / folder / name)
    return root


PLAN = (("mot", "mot"), ("osai", "osai-index"), ("osai-legacy", "osai-index-v1.0.2"))


def test_build_twice_gives_the_same_count(tmp_path: Path) -> None:
    root = _subset(tmp_path)
    with open_store(tmp_path / "store") as store:
        first = build(store, sources_dir=root, plan=PLAN, report_dir=tmp_path / "report")
        second = build(store, sources_dir=root, plan=PLAN)
        assert first.triples == second.triples == store.count() > 0
    assert (tmp_path / "report" / "import-report.json").is_file()
    assert (tmp_path / "report" / "matches.csv").read_text(encoding="utf-8").count("\n") > 3


CURRENT = mint.dataset_iri("osai-index", "2026-06-12")
OLDER = mint.dataset_iri("osai-index", "2025-09-06")


def _standings(store) -> dict[str, set[str]]:
    rows = store.select(
        "PREFIX og: <https://w3id.org/openness/ns#> PREFIX dcterms: <http://purl.org/dc/terms/>\n"
        "SELECT ?ds ?standing (COUNT(?c) AS ?n) WHERE {"
        " ?c a og:Claim ; dcterms:source ?ds ; og:standing ?standing ."
        f" FILTER(?ds IN (<{CURRENT}>, <{OLDER}>)) }} GROUP BY ?ds ?standing")
    out: dict[str, set[str]] = {}
    for row in rows:
        out.setdefault(str(row["ds"]), set()).add(str(row["standing"]).split("#")[1])
    return out


@pytest.mark.parametrize("order", [("osai", "osai-legacy"), ("osai-legacy", "osai")])
def test_older_index_never_overwrites_newer(tmp_path: Path, order: tuple[str, str]) -> None:
    root = _subset(tmp_path)
    folders = {"osai": root / "osai-index", "osai-legacy": root / "osai-index-v1.0.2"}
    with open_store(tmp_path / "store") as store:
        for source in order:
            import_source(store, source, folders[source])
        standings = _standings(store)
        assert standings[str(CURRENT)] == {"Asserted"}
        assert "Superseded" in standings[str(OLDER)]
        # every superseded claim points at a claim of the newer version about the same thing
        assert store.ask(
            "PREFIX og: <https://w3id.org/openness/ns#> PREFIX dcterms: <http://purl.org/dc/terms/>\n"
            f"ASK {{ ?old og:supersededBy ?new ; og:about ?a ; og:criterion ?k . "
            f"?new dcterms:source <{CURRENT}> ; og:about ?a ; og:criterion ?k }}")
        # legacy-only criteria (package, api) have no newer claim and stay asserted
        assert store.ask(
            "PREFIX og: <https://w3id.org/openness/ns#> PREFIX osai: <https://w3id.org/openness/osai#>\n"
            "ASK { ?c og:criterion osai:package ; og:standing og:Asserted }")
