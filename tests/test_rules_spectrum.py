# ruff: noqa: E501  (inline Turtle and SPARQL test data)
"""The report's spectrum from its own claims, and the rule's documented decisions (D1-D7)."""

from __future__ import annotations

from pathlib import Path

import pytest
from openness.ingest import ingest_files
from openness.rules.assess import assess
from openness.rules.classify import classify
from openness.rules.trace import trace
from openness.store import open_store

ROOT = Path(__file__).resolve().parents[1]
REPORT = ROOT / "data" / "examples" / "report-spectrum.ttl"
EXPECTED = {"mistral-7b": 1, "llama-2": 2, "grok-1": 3, "chatgpt": 4, "gemini": 4, "claude": 4,
            "example-internal-system": 5}


@pytest.fixture(scope="module")
def report_store():
    store = open_store(":memory:")
    ingest_files(store, [REPORT])
    return store


def test_report_tiers_from_its_own_claims(report_store) -> None:
    verdicts = {v.release.rsplit("/", 1)[1]: v for v in classify(report_store, "spectrum")}
    got = {slug: (verdicts[slug].values["tierMin"], verdicts[slug].values["tierMax"]) for slug in EXPECTED}
    assert got == {slug: (t, t) for slug, t in EXPECTED.items()}
    # every verdict lists the claims it used, all about that release
    assert all(verdicts[s].used for s in EXPECTED)


def test_unknown_criterion_gives_a_range_naming_it(tmp_path) -> None:
    store = open_store(":memory:")
    ingest_files(store, [REPORT])
    # drop the Mistral downstream claim: tier 1 needs it, so the tier becomes 1-2
    store.update("""PREFIX og: <https://w3id.org/openness/ns#> PREFIX spectrum: <https://w3id.org/openness/spectrum#>
      DELETE { GRAPH ?g { ?c ?p ?o } } WHERE { GRAPH ?g { ?c og:about <https://w3id.org/openness/id/release/mistral-7b> ;
        og:criterion spectrum:DownstreamTransparency ; ?p ?o } }""")
    v = next(v for v in classify(store, "spectrum") if v.release.endswith("/mistral-7b"))
    assert (v.values["tierMin"], v.values["tierMax"]) == (1, 2)
    assert v.label == "tier 1–2"
    assert v.values["missing"] == ["https://w3id.org/openness/spectrum#DownstreamTransparency"]
    assert v.verdict is None


def test_assess_trace_and_as_of(tmp_path) -> None:
    store = open_store(":memory:")
    ingest_files(store, [REPORT])
    first = assess(store, as_of="2025-01-01")
    assert first.by_framework["spectrum"] == 7
    again = assess(store, as_of="2025-01-01")
    assert again.written == 0 and again.unchanged == first.written
    chain = trace(store, next(iter(
        v.release for v in classify(store, "spectrum") if v.release.endswith("/llama-2"))), "spectrum")
    assert chain and chain[0]["verdict"] == "tier 2"
    for claim in chain[0]["claims"]:
        assert claim["evidence"][0]["url"].startswith("https://")
        assert claim["activity"].startswith("https://w3id.org/openness/id/")
    # a newer claim by another curator: Llama 2 inputs are open (disagrees with the report)
    new = tmp_path / "new.ttl"
    new.write_text("""@prefix og: <https://w3id.org/openness/ns#> . @prefix spectrum: <https://w3id.org/openness/spectrum#> .
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
""")
    ingest_files(store, [new])
    later = assess(store, as_of="2025-07-01")
    assert later.by_framework == {"spectrum": 1}
    now = next(v for v in classify(store, "spectrum", as_of="2025-07-01") if v.release.endswith("/llama-2"))
    before = next(v for v in classify(store, "spectrum", as_of="2025-01-01") if v.release.endswith("/llama-2"))
    # the newer claim wins on inputs (downstream is still only "some", so the tier stays 2)
    assert now.values["inputs"] == "open" and before.values["inputs"] == "partial"
    assert "https://w3id.org/openness/id/claim/test-llama-inputs" in map(str, now.used)
    assert "https://w3id.org/openness/spectrum#InputTransparency" in now.values["contested"]
    n = store.select("""PREFIX og: <https://w3id.org/openness/ns#> SELECT (COUNT(?a) AS ?n) WHERE {
        ?a og:assessedRelease <https://w3id.org/openness/id/release/llama-2> ; og:framework og:SpectrumOTI2024 }""")
    assert int(n[0]["n"]) == 2  # the old verdict is kept beside the new one
