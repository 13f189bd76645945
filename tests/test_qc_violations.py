"""Quality checks as data: every ``queries/qc/*-violation.rq`` must return no rows.

Like the QC queries ontology projects run in CI: each file states one promise of the derived layer
(unknown is a value; every verdict says why; a combined status is a status or a range), and
returns the nodes that break it. They run on a store built from the bundled examples here, and
on the bundled corpus in bench/ (too slow for every CI run).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from openness import derive
from openness.gate import ingest_files
from openness.resources import queries_dir
from openness.store import OxigraphStore

ROOT = Path(__file__).resolve().parents[1]
CHECKS = sorted((queries_dir() / "qc").glob("*-violation.rq"))


@pytest.fixture(scope="module")
def store() -> OxigraphStore:
    db = OxigraphStore(None)
    ingest_files(db, sorted((ROOT / "data" / "examples").glob("*.ttl")))
    return db


def test_there_are_checks() -> None:
    assert len(CHECKS) >= 4


@pytest.mark.parametrize("check", CHECKS, ids=[c.stem for c in CHECKS])
def test_check_returns_no_rows(store: OxigraphStore, check: Path) -> None:
    rows = derive.run_query(store, f"qc/{check.name}")
    assert rows == [], f"{check.name}: {rows[:5]}"


def test_a_check_can_fail(store: OxigraphStore) -> None:
    # a release nobody dates or names a developer of, written straight into a source graph (no
    # gate: the derived layer does not know it) breaks two promises
    store.update("PREFIX og: <https://w3id.org/openness/ns#> INSERT DATA { GRAPH <urn:test:raw> { "
                 "<https://w3id.org/openness/id/release/qc-test> a og:ModelRelease } }")
    store.update("INSERT { ?s ?p ?o } WHERE { GRAPH <urn:test:raw> { ?s ?p ?o } }")
    for name in ("release-without-date-violation.rq", "release-without-developer-violation.rq"):
        rows = derive.run_query(store, f"qc/{name}")
        assert [str(r["release"]) for r in rows] == ["https://w3id.org/openness/id/release/qc-test"]


def test_a_release_of_two_models_is_found(store: OxigraphStore) -> None:
    store.update("PREFIX og: <https://w3id.org/openness/ns#> INSERT DATA { GRAPH <urn:test:two> { "
                 "<https://w3id.org/openness/id/release/qc-two> a og:ModelRelease ; "
                 "og:releaseOf <https://w3id.org/openness/id/model/a> , "
                 "<https://w3id.org/openness/id/model/b> } }")
    store.update("INSERT { ?s ?p ?o } WHERE { GRAPH <urn:test:two> { ?s ?p ?o } }")
    rows = derive.run_query(store, "qc/release-of-two-models-violation.rq")
    assert [str(r["release"]) for r in rows] == ["https://w3id.org/openness/id/release/qc-two"]
