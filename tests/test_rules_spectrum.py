# ruff: noqa: E501  (inline Turtle and SPARQL test data)
"""The report's spectrum from its own claims, stored as assessments when the batch lands, and the
rule's documented decisions (D5 ranges, D10 contested criteria), history and as-of views."""

from __future__ import annotations

from pathlib import Path

import pytest
from openness import derive
from openness.gate import ingest_files
from openness.rules.trace import trace
from openness.store import OxigraphStore, open_store
from openness.verdicts import read, view_store
from rdflib import URIRef

ROOT = Path(__file__).resolve().parents[1]
REPORT = ROOT / "data" / "examples" / "report-spectrum.ttl"
EXPECTED = {"mistral-7b": 1, "llama-2": 2, "grok-1": 3, "chatgpt": 4, "gemini": 4, "claude": 4,
            "example-internal-system": 5}
NEW_INPUTS = """@prefix og: <https://w3id.org/openness/ns#> . @prefix spectrum: <https://w3id.org/openness/spectrum#> .
@prefix prov: <http://www.w3.org/ns/prov#> . @prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
<https://w3id.org/openness/id/agent/test-curator> a og:Organization ; rdfs:label "test curator" .
<https://w3id.org/openness/id/claim/test-llama-inputs> a og:Claim ;
  og:about <https://w3id.org/openness/id/release/llama-2> ; og:criterion spectrum:InputTransparency ;
  og:status og:Open ; og:claimant <https://w3id.org/openness/id/agent/test-curator> ;
  prov:wasAttributedTo <https://w3id.org/openness/id/agent/test-curator> ;
  og:assertedOn "2025-06-01"^^xsd:date ; og:standing og:Asserted ;
  og:evidence <https://w3id.org/openness/id/evidence/test-llama-inputs> .
<https://w3id.org/openness/id/evidence/test-llama-inputs> a og:Evidence ;
  og:sourceIRI <https://example.org/llama-data> ; og:retrievedOn "2025-06-01"^^xsd:date ;
  og:evidenceKind og:SecondaryEvidence ; og:quote "all data sources listed" .
"""


def spectrum(store, release: str, **kw):
    return next(v for v in read(store, framework="spectrum", **kw) if v.release.endswith("/" + release))


@pytest.fixture(scope="module")
def report_store():
    store = open_store(":memory:")
    ingest_files(store, [REPORT])
    return store


def test_report_tiers_from_its_own_claims_are_stored_when_the_batch_lands(report_store) -> None:
    verdicts = {v.release.rsplit("/", 1)[1]: v for v in read(report_store, framework="spectrum", claims=True)}
    got = {slug: (verdicts[slug].values["tierMin"], verdicts[slug].values["tierMax"]) for slug in EXPECTED}
    assert got == {slug: (t, t) for slug, t in EXPECTED.items()}
    # every verdict lists the claims it used, and says why in one sentence
    assert all(verdicts[s].used for s in EXPECTED)
    assert verdicts["llama-2"].reason == ("tier 2: code released; weights released; "
                                          "inputs partly documented; downstream effects partly documented")
    assert verdicts["grok-1"].reason.startswith("tier 3: code released; weights not released")


def test_unknown_criterion_gives_a_range_naming_it(tmp_path: Path) -> None:
    store = open_store(":memory:")
    text = REPORT.read_text()
    # without the Mistral downstream claim, tier 1 needs what nobody says: the tier is 1-2
    start = text.index("claim:oti-2024-mistral-7b-downstreamtransparency a og:Claim")
    end = text.index("\n\n", start)
    trimmed = tmp_path / "report-no-mistral-downstream.ttl"
    trimmed.write_text(text[:start] + text[end:])
    ingest_files(store, [trimmed])
    v = spectrum(store, "mistral-7b")
    assert (v.values["tierMin"], v.values["tierMax"]) == (1, 2)
    assert v.label == "tier 1–2" and v.verdict is None
    assert v.values["missingCriterion"] == URIRef("https://w3id.org/openness/spectrum#DownstreamTransparency")
    assert "the range depends on downstream" in v.reason


def test_a_second_claimant_contests_instead_of_replacing(tmp_path: Path) -> None:
    store = OxigraphStore(None)
    ingest_files(store, [REPORT])
    before = spectrum(store, "llama-2")
    new = tmp_path / "new.ttl"
    new.write_text(NEW_INPUTS)
    ingest_files(store, [new])  # the batch lands: llama-2 is reassessed in the same transaction
    now = spectrum(store, "llama-2", claims=True)
    # another claimant's newer "open" does not replace the report's "partial": both are shown
    assert "inputs=OP" in now.values["profile"]
    assert now.values["contestedCriterion"] == URIRef("https://w3id.org/openness/spectrum#InputTransparency")
    assert "input documentation contested" in now.reason
    assert now.label == "tier 2"  # downstream is still only "some": tier 2 either way
    assert "https://w3id.org/openness/id/claim/test-llama-inputs" in map(str, now.used)
    # the old verdict is kept, as history, never overwritten
    assert before.assessment != now.assessment
    history = store.select(f"""PREFIX og: <https://w3id.org/openness/ns#> SELECT ?on WHERE {{
        GRAPH <{derive.CURRENT.graph('history')}> {{ <{before.assessment}> og:verdictLabel ?l ; og:replacedOn ?on }} }}""")
    assert len(history) == 1
    # what the graph said on an earlier date: the view as of 2025-01-01 has no curator claim
    db, view = view_store(store, "2025-01-01")
    earlier = spectrum(db, "llama-2", view=view)
    assert "inputs=P " in earlier.values["profile"] and earlier.values["asOf"].isoformat() == "2025-01-01"
    # reads never write: the view was derived in a scratch copy
    assert db is not store and store.graph_names() != []
    assert not [g for g in store.graph_names() if "/as-of/" in g]


def test_trace_reads_the_stored_assessment(report_store) -> None:
    chain = trace(report_store, spectrum(report_store, "llama-2").release, "spectrum")
    assert chain and chain[0]["verdict"] == "tier 2" and chain[0]["reason"].startswith("tier 2:")
    for claim in chain[0]["claims"]:
        assert claim["evidence"][0]["url"].startswith("https://")
        assert claim["activity"].startswith("https://w3id.org/openness/id/")
