"""openness.frames: labelled DataFrames for notebooks, read from the store (issue 11).

On the fixture of tests/test_cli_find.py plus the report's examples: every IRI column has a label
column holding the store's label (never the IRI), verdicts are the stored assessments, and claims
come one row per claim and piece of evidence with the claim's status.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from openness import frames
from openness.gate import ingest_files
from openness.resources import data_dir
from openness.store import OxigraphStore
from openness.verdicts import read

FIXTURE = Path(__file__).parent / "cases" / "cli" / "llama-families.ttl"
P = "PREFIX og: <https://w3id.org/openness/ns#> PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> "


@pytest.fixture(scope="module")
def store() -> Iterator[OxigraphStore]:
    db = OxigraphStore(None)
    ingest_files(db, [FIXTURE, *sorted((data_dir() / "examples").glob("*.ttl"))])
    yield db
    db.close()


def _labels(store: OxigraphStore) -> dict[str, str]:
    return {str(r["x"]): str(r["l"]) for r in store.select(P + "SELECT ?x (MIN(STR(?l)) AS ?l) "
                                                             "WHERE { ?x rdfs:label ?l } GROUP BY ?x")}


def test_releases_are_labelled_with_their_model(store: OxigraphStore) -> None:
    df = frames.releases(store)
    releases = {str(r["r"]) for r in store.select(P + "SELECT ?r WHERE { ?r a og:ModelRelease }")}
    assert set(df["release"]) == releases and df["release"].is_unique
    labels = _labels(store)
    assert all(df["label"] == df["release"].map(labels))
    row = df.set_index("slug").loc["llama-3-1-405b"]
    assert row["model_label"] == "Llama 3.1" and row["developer_label"] == "Meta"
    assert row["release_date"] == "2024-07-23" and row["claims"] == 2 and row["sources"] == 0
    assert df.set_index("slug").loc["llama-3-1-8b", "hugging_face"] == "https://huggingface.co/meta-llama/Llama-3.1-8B"


def test_verdicts_are_the_stored_assessments(store: OxigraphStore) -> None:
    long = frames.verdicts(store)
    stored = read(store)
    assert len(long) == len(stored)
    by_key = {(str(v.release), v.framework): v for v in stored}
    for row in long.itertuples():
        v = by_key[(row.release, row.framework)]
        assert (row.verdict, row.reason, row.assessment) == (v.label, v.reason, str(v.assessment))
        assert not row.release_label.startswith("http")
    wide = frames.verdicts(store, wide=True)
    assert list(wide.columns) == ["release", "release_label", "spectrum", "mof", "osaid", "osai-index"]
    spectrum = {str(v.release): v.label for v in stored if v.framework == "spectrum"}
    assert dict(zip(wide["release"], wide["spectrum"], strict=True)) == spectrum


def test_claims_come_with_evidence_and_labels(store: OxigraphStore) -> None:
    df = frames.claims(store)
    pairs = store.select(P + "SELECT ?c ?url WHERE { ?c a og:Claim . OPTIONAL { ?c og:evidence ?e . "
                             "?e og:sourceIRI ?url } }")
    assert len(df) == len(pairs)  # one row per claim and piece of evidence
    row = df.set_index("claim").loc["https://w3id.org/openness/id/claim/find-8b-weights"]
    assert row["subject_label"] == "Llama-3.1-8B" and row["criterion"] == "spectrum:Weights"
    assert row["status"] == "og:Closed" and row["claimant_label"] == "Find tester"
    assert row["evidence_url"] == "https://huggingface.co/meta-llama/Llama-3.1-405B"
    assert row["quote"].startswith("Llama 3.1 is licensed")
    assert not df["subject_label"].str.startswith("http").any()
