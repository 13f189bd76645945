# ruff: noqa: E501  (inline Turtle test data)
"""``openness trace`` for every release and framework: nothing the chain needs is dropped, and every
chain ends at a source URL and an import activity (issue #4, "trace works for every release")."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from openness.gate import ingest_files
from openness.importers.build import import_source
from openness.rules.trace import render_text, render_turtle, trace
from openness.store import Store, open_store
from openness.verdicts import read
from rdflib import Graph, URIRef

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = [ROOT / "data" / "examples" / "report-spectrum.ttl", ROOT / "data" / "examples" / "primary-evidence.ttl"]
OG = "https://w3id.org/openness/ns#"

# a claim "nobody knows" (status Unknown, no evidence) and a release nobody has said anything about
EXTRA = """@prefix og: <https://w3id.org/openness/ns#> . @prefix spectrum: <https://w3id.org/openness/spectrum#> .
@prefix prov: <http://www.w3.org/ns/prov#> . @prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
<https://w3id.org/openness/id/agent/trace-curator> a og:Organization ; rdfs:label "trace curator" .
<https://w3id.org/openness/id/release/trace-unknown> a og:ModelRelease ; rdfs:label "Trace Unknown" ; og:releaseDateUnknown true ; og:developerUnknown true .
<https://w3id.org/openness/id/claim/trace-unknown-weights> a og:Claim ;
  og:about <https://w3id.org/openness/id/release/trace-unknown> ; og:criterion spectrum:Weights ; og:status og:Unknown ;
  og:claimant <https://w3id.org/openness/id/agent/trace-curator> ;
  prov:wasAttributedTo <https://w3id.org/openness/id/agent/trace-curator> ;
  og:assertedOn "2025-01-01"^^xsd:date ; og:standing og:Asserted .
<https://w3id.org/openness/id/release/trace-silent> a og:ModelRelease ; rdfs:label "Trace Silent" ; og:releaseDateUnknown true ; og:developerUnknown true .
"""


def _assessments(store: Store) -> dict[tuple[str, str], tuple[str, int]]:
    """(release, framework key) -> (label, number of claims used) of the current assessment."""
    return {(str(v.release), v.framework): (v.label, v.used_count) for v in read(store)}


def _check_chains(store: Store, releases: list[str]) -> int:
    """Trace each release under every framework; return how many claims were checked."""
    expected = _assessments(store)
    activities = {str(r["a"]) for r in store.select(
        "PREFIX prov: <http://www.w3.org/ns/prov#> SELECT DISTINCT ?a WHERE { GRAPH ?g { ?g prov:wasGeneratedBy ?a } }")}
    checked = 0
    for rel in releases:
        chain = trace(store, URIRef(rel))
        got = {a["framework"]: a for a in chain}
        want = {fw for (r, fw) in expected if r == rel}
        assert set(got) == want, rel
        for fw, a in got.items():
            label, n_used = expected[(rel, fw)]
            assert a["verdict"] == label
            # nothing the assessment used is dropped from the chain
            assert len(a["claims"]) == n_used, (rel, fw)
            for c in a["claims"]:
                assert c["activity"] in activities, c
                assert c["graph"].startswith("https://")
                if c["evidence"]:
                    assert all(e["url"].startswith(("http://", "https://")) for e in c["evidence"]), c
                else:
                    assert c["status"] == "Unknown", c  # only "nobody knows" comes without evidence
                checked += 1
            # the framework filter gives the same chain
            assert trace(store, URIRef(rel), fw) == [a]
        text = render_text(chain)
        assert all(a["verdict"] in text for a in chain)
        Graph().parse(data=render_turtle(chain), format="turtle")
    return checked


@pytest.fixture(scope="module")
def report_store(tmp_path_factory: pytest.TempPathFactory) -> Store:
    extra = tmp_path_factory.mktemp("trace") / "extra.ttl"
    extra.write_text(EXTRA)
    store = open_store(":memory:")
    ingest_files(store, [*EXAMPLES, extra])
    return store


def test_trace_every_release_and_framework_of_the_report_example(report_store: Store) -> None:
    releases = sorted(str(r["r"]) for r in report_store.select(
        f"SELECT ?r WHERE {{ ?r a <{OG}ModelRelease> }}"))
    assert len(releases) >= 9
    assert _check_chains(report_store, releases) >= 30


def test_unknown_claim_without_evidence_and_silent_release_are_traced(report_store: Store) -> None:
    unknown = trace(report_store, URIRef("https://w3id.org/openness/id/release/trace-unknown"), "spectrum")
    assert [c["claim"].rsplit("/", 1)[1] for c in unknown[0]["claims"]] == ["trace-unknown-weights"]
    assert unknown[0]["claims"][0]["evidence"] == []
    assert unknown[0]["verdict"] == "tier 1–5" and "spectrum#Weights" in " ".join(unknown[0]["missing"])
    silent = trace(report_store, URIRef("https://w3id.org/openness/id/release/trace-silent"), "spectrum")
    assert len(silent) == 1 and silent[0]["claims"] == []
    assert "no claims used" in render_text(silent)


def test_trace_cli_for_every_report_release(report_store: Store, run_cli, tmp_path: Path) -> None:
    db = str(tmp_path / "store")
    assert run_cli("--store", db, "load", *map(str, EXAMPLES)).returncode == 0
    for slug in ("mistral-7b", "llama-2", "grok-1", "chatgpt", "gemini", "claude", "example-internal-system"):
        out = run_cli("--store", db, "trace", slug, "--format", "json")
        assert out.returncode == 0, out.stderr
        chain = json.loads(out.stdout)
        assert chain and all(c["activity"] and c["evidence"][0]["url"].startswith("https://")
                             for a in chain for c in a["claims"])


def test_trace_a_sample_of_corpus_releases(tmp_path_factory: pytest.TempPathFactory) -> None:
    store = open_store(":memory:")
    for source in ("mot", "osai", "fmti"):
        import_source(store, source, ROOT / "data" / "sources" / {"osai": "osai-index"}.get(source, source),
                      validate=False)
    ingest_files(store, EXAMPLES)
    releases = sorted({r for (r, _fw) in _assessments(store)})
    sample = releases[:: max(1, len(releases) // 30)][:30]
    assert len(sample) == 30
    assert _check_chains(store, sample) >= 300


def test_cli_tables_fit_80_columns_and_json_keeps_iris(run_cli, tmp_path: Path) -> None:
    db = str(tmp_path / "store")
    assert run_cli("--store", db, "load", *map(str, EXAMPLES)).returncode == 0
    env_cols = {"COLUMNS": "80"}
    for args, must in ((["disagreements"], ["Grok-1", "spectrum:Weights", "github.com"]),
                       (["classify", "--framework", "spectrum"], ["Mistral 7B", "tier 1"]),
                       (["openwashing"], ["Llama 2"])):
        out = run_cli("--store", db, *args, env=env_cols)
        assert out.returncode == 0, out.stderr
        assert all(len(line) <= 80 for line in out.stdout.splitlines()), out.stdout
        assert "https://w3id.org/" not in out.stdout
        assert all(m in out.stdout for m in must), (args, out.stdout)
    out = run_cli("--store", db, "disagreements", "--format", "json")
    rows = json.loads(out.stdout)
    assert rows and all(r["release"].startswith("https://w3id.org/openness/id/") for r in rows)
