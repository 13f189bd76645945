# ruff: noqa: E501  (inline Turtle test data)
"""disagreements, open-washing, diff, lineage, and the CLI through the real entry point."""

from __future__ import annotations

import json
from pathlib import Path

import networkx as nx
import pytest
from openness import derive
from openness.analysis import ancestors, claimant_overlap, claimant_release_graph, lineage_graph
from openness.gate import ingest_files, rederive
from openness.importers.build import import_source
from openness.rules.diff import diff
from openness.rules.disagreements import disagreements
from openness.rules.openwashing import openwashing
from openness.rules.trace import trace_rows
from openness.store import open_store
from rdflib import URIRef

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = [ROOT / "data" / "examples" / "report-spectrum.ttl", ROOT / "data" / "examples" / "primary-evidence.ttl"]
ID = "https://w3id.org/openness/id/"


@pytest.fixture(scope="module")
def examples():
    store = open_store(":memory:")
    ingest_files(store, EXAMPLES)
    return store


def test_placements_beside_computed_tiers_and_grok_differs(examples) -> None:
    rows = disagreements(examples, include_agreeing=True, kind="placement")
    placed = {r.release.rsplit("/", 1)[1]: (r.status_a, r.status_b, r.agree) for r in rows}
    assert placed["grok-1"] == ("tier 3", "tier 2", False)  # xAI published the weights
    assert placed["llama-2"] == ("tier 2", "tier 2", True)
    assert len(placed) == 7
    only = disagreements(examples)
    grok = [d for d in only if d.release == ID + "release/grok-1"]
    # the placement row and the criterion behind it, each side with its evidence URL
    assert {d.kind for d in grok} == {"placement", "criterion"}
    weights = next(d for d in grok if d.kind == "criterion")
    assert weights.criterion == "spectrum:Weights"
    assert (weights.status_a, weights.status_b) == ("og:Open", "og:Closed")
    assert weights.evidence_a == "https://github.com/xai-org/grok-1"
    assert weights.evidence_b.startswith("https://www.newamerica.org/")
    place = next(d for d in grok if d.kind == "placement")
    assert place.evidence_a.startswith("https://www.newamerica.org/") and "github.com/xai-org" in place.evidence_b
    assert all(not d.agree for d in only)


def test_openwashing_llama_2_with_evidence_for_both_sides(examples) -> None:
    rows = {r.release.rsplit("/", 1)[1]: r for r in openwashing(examples)}
    assert set(rows) == {"llama-2"}  # Mistral and Grok are not called open source in the examples
    llama = rows["llama-2"]
    assert llama.evidence_self == "https://about.fb.com/news/2023/07/llama-2/"
    assert any("restricts use" in s and "AcceptableUsePolicy" in s for s in llama.shortfalls)
    assert any("not OSI-approved" in s for s in llama.shortfalls)
    assert llama.evidence_short == "https://ai.meta.com/llama/license/"


def test_open_access_label(tmp_path: Path) -> None:
    store = open_store(":memory:")
    ingest_files(store, EXAMPLES)
    extra = tmp_path / "data.ttl"
    extra.write_text("""@prefix og: <https://w3id.org/openness/ns#> . @prefix mof: <https://w3id.org/openness/mof#> .
@prefix prov: <http://www.w3.org/ns/prov#> . @prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
<https://w3id.org/openness/id/claim/t-mistral-data> a og:Claim ; og:about <https://w3id.org/openness/id/release/mistral-7b> ;
  og:criterion mof:Datasets ; og:status og:Closed ; og:claimant <https://w3id.org/openness/id/agent/openness-graph-curators> ;
  prov:wasAttributedTo <https://w3id.org/openness/id/agent/openness-graph-curators> ; og:assertedOn "2026-01-01"^^xsd:date ;
  og:standing og:Asserted ; og:evidence <https://w3id.org/openness/id/evidence/t-mistral-data> .
<https://w3id.org/openness/id/evidence/t-mistral-data> a og:Evidence ; og:sourceIRI <https://example.org/no-data> ;
  og:retrievedOn "2026-01-01"^^xsd:date ; og:evidenceKind og:SecondaryEvidence .
""")
    assert not [r for r in openwashing(store, open_access=True) if r.open_access]  # data unknown: no label
    ingest_files(store, [extra])
    labelled = [r.release for r in openwashing(store, open_access=True) if r.open_access]
    assert labelled == [ID + "release/mistral-7b"]
    # before the data claim was made, the label is not given
    assert not [r for r in openwashing(store, as_of="2025-12-31", open_access=True) if r.open_access]


def test_diff_shows_a_changed_claim(tmp_path: Path) -> None:
    store = open_store(":memory:")
    ingest_files(store, EXAMPLES[:1])
    assert diff(store, "2025-01-01", "2026-01-01") == []
    change = tmp_path / "change.ttl"
    change.write_text("""@prefix og: <https://w3id.org/openness/ns#> . @prefix spectrum: <https://w3id.org/openness/spectrum#> .
@prefix prov: <http://www.w3.org/ns/prov#> . @prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
<https://w3id.org/openness/id/claim/t-claude-code> a og:Claim ; og:about <https://w3id.org/openness/id/release/claude> ;
  og:criterion spectrum:Code ; og:status og:Open ; og:claimant <https://w3id.org/openness/id/agent/openness-graph-curators> ;
  prov:wasAttributedTo <https://w3id.org/openness/id/agent/openness-graph-curators> ; og:assertedOn "2025-06-01"^^xsd:date ;
  og:standing og:Asserted ; og:evidence <https://w3id.org/openness/id/evidence/t-claude-code> .
<https://w3id.org/openness/id/evidence/t-claude-code> a og:Evidence ; og:sourceIRI <https://example.org/claude-code> ;
  og:retrievedOn "2025-06-01"^^xsd:date ; og:evidenceKind og:PrimaryEvidence .
""")
    ingest_files(store, [change])
    changes = diff(store, "2025-01-01", "2026-01-01")
    assert [(c.release.rsplit("/", 1)[1], c.framework, c.verdict_from, c.verdict_to) for c in changes] == [
        ("claude", "spectrum", "tier 4", "tier 3")]
    assert changes[0].claims_added == [ID + "claim/t-claude-code"]
    assert ID + "claim/oti-2024-claude-code" in changes[0].claims_dropped + changes[0].newly_set_aside


def test_lineage_from_hf_cards() -> None:
    store = open_store(":memory:")
    import_source(store, "hf-card", ROOT / "data" / "examples" / "hf-cards", validate=False)
    g = lineage_graph(store)
    relations = {d["relation"] for _, _, d in g.edges(data=True)}
    assert {"quantizedFrom", "mergedFrom", "adapterOf"} <= relations
    assert nx.is_directed_acyclic_graph(g)
    merge = next(c for c, _, d in g.edges(data=True) if d["relation"] == "mergedFrom")
    assert g.out_degree(merge) >= 2  # one edge per parent
    quant = next(c for c, _, d in g.edges(data=True) if d["relation"] == "quantizedFrom")
    assert ancestors(g, quant)
    bip = claimant_release_graph(store)
    assert nx.is_bipartite(bip)
    assert claimant_overlap(bip).number_of_nodes() >= 1


def test_trace_query_and_cli_give_the_same_chain(run_cli, tmp_path: Path) -> None:
    db = str(tmp_path / "store")
    assert run_cli("--store", db, "load", *map(str, EXAMPLES)).returncode == 0
    assert run_cli("--store", db, "assess").returncode == 0  # re-derives: nothing changes
    out = run_cli("--store", db, "trace", "grok-1", "--framework", "spectrum", "--format", "json")
    assert out.returncode == 0, out.stderr
    chain = json.loads(out.stdout)
    store = open_store(db)
    try:
        rows = trace_rows(store, URIRef(ID + "release/grok-1"), "spectrum")
    finally:
        store.close()
    # trace.rq gives each claim's facts on its own row (empty ?evidence) and each evidence item on another
    activity = {str(r["claim"]): str(r["activity"]) for r in rows if not str(r.get("evidence", ""))}
    from_query = {(str(r["claim"]), str(r["url"]), activity[str(r["claim"])]) for r in rows if str(r.get("evidence", ""))}
    from_cli = {(c["claim"], e["url"], c["activity"]) for a in chain for c in a["claims"] for e in c["evidence"]}
    assert from_cli == from_query and len(from_cli) >= 3
    assert all(url.startswith("https://") for _, url, _ in from_cli)


def test_classify_and_disagreements_cli(run_cli, tmp_path: Path) -> None:
    db = str(tmp_path / "store")
    assert run_cli("--store", db, "load", *map(str, EXAMPLES)).returncode == 0
    out = run_cli("--store", db, "classify", "--framework", "spectrum", "--format", "json")
    assert out.returncode == 0, out.stderr
    tiers = {r["release"].rsplit("/", 1)[1]: r["verdict"] for r in json.loads(out.stdout)}
    assert tiers["mistral-7b"] == "tier 1" and tiers["grok-1"] == "tier 2" and tiers["claude"] == "tier 4"
    out = run_cli("--store", db, "disagreements", "--kind", "placement", "--format", "csv")
    assert out.returncode == 0, out.stderr
    assert out.stdout.count("\n") == 2 and "grok-1" in out.stdout  # header + Grok
    bad = run_cli("--store", db, "classify", "--framework", "nope")
    assert bad.returncode != 0 and "unknown framework" in bad.stderr
    with_store = open_store(":memory:")
    ingest_files(with_store, EXAMPLES)
    assert rederive(with_store).releases is None  # a full re-derivation


def test_example_queries_have_headers_and_run(examples) -> None:
    files = sorted((ROOT / "queries" / "examples").glob("*.rq"))
    assert 5 <= len(files) <= 12
    for f in files:
        text = f.read_text()
        assert text.startswith("# title: ") and "\n# description: " in text, f.name
        # parses and runs on the store, with the prefixes the endpoint predeclares
        examples.select(derive.prologue(derive.CURRENT) + text)
    rows = examples.select(derive.prologue(derive.CURRENT)
                           + (ROOT / "queries" / "examples" / "evidence-of-a-release.rq").read_text())
    assert any(str(r["url"]) == "https://ai.meta.com/llama/license/" for r in rows)
