# ruff: noqa: E501  (inline Turtle and SPARQL test data)
"""Verdict-level tests for the failing inputs of issue 9 (tests/cases/, from the shared cases): the
records go through the real importers and the write gate, and the stored verdicts are checked
against each case's expected.md. Importer-level checks are in test_import_cases.py.

* 01 — CC-BY-3.0 final parameters: Class III, p3 = 100 %, p2 = 60 % (MOT's own lists count it);
* 04 — the default graph is a set: a license described in two batches counts once;
* 07 — a bare ``license: other`` stays visible: included under unknown custom terms, not open;
* 08 — OpenMDW-1.1 is open by curation, like OpenMDW-1.0 and CDLA-Permissive-2.0 by MOT's lists;
* 09 — "License not specified" is included but not open: p3 = 2/6, no invented license.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from openness import derive, mint
from openness.gate import ingest_files
from openness.importers.build import import_source
from openness.namespaces import HF, OG
from openness.resources import data_dir
from openness.store import OxigraphStore
from openness.verdicts import read

CASES = Path(__file__).parent / "cases"


def _mot_store(case: str, tmp_path: Path) -> OxigraphStore:
    root = tmp_path / "mot"
    shutil.copytree(CASES / case / "models", root / "models")
    shutil.copytree(data_dir() / "sources" / "mot" / "schema", root / "schema")
    store = OxigraphStore(None)
    import_source(store, "mot", root)
    return store


def _mof(store: OxigraphStore, name: str):
    release = str(mint.release_iri(name))
    return next(v for v in read(store, framework="mof") if str(v.release) == release)


def _progress(v) -> dict[int, float]:
    """MOF progress per class (1, 2, 3) -> score, from the assessment's progress nodes."""
    return {int(p["mofClass"]): round(float(p["score"]), 4) for p in v.values["progress"]}


def test_case_01_cc_by_3_weights_give_class_iii(tmp_path: Path) -> None:
    store = _mot_store("01-mot-open-data-licenses", tmp_path)
    v = _mof(store, "Example-CCBY30-Weights")
    assert v.label.startswith("Class III")
    assert _progress(v) == {3: 1.0, 2: 0.6, 1: 0.0}
    control = _mof(store, "Example-ODbL-Weights")
    assert control.label.startswith("Class III")


def test_case_09_license_not_specified_is_included_not_open(tmp_path: Path) -> None:
    store = _mot_store("09-mot-license-not-specified", tmp_path)
    v = _mof(store, "Example-R1-Style")
    assert v.label == "unclassified"
    assert _progress(v)[3] == pytest.approx(2 / 6, abs=1e-4)
    assert "not openly licensed" in v.reason and "missing" not in v.reason
    assert not store.select(f"SELECT ?l WHERE {{ ?l a <{OG.CustomLicense}> }}")


def _hf_statuses(case: str) -> dict[str, str]:
    store = OxigraphStore(None)
    import_source(store, "hf-card", CASES / case / "cards")
    out = {}
    for r in store.select(f"""SELECT ?raw ?st WHERE {{ ?c <{OG.criterion}> <{HF.License}> ; <{OG.rawValue}> ?raw .
        GRAPH <{derive.CURRENT.graph('claim-status')}> {{ ?c <{OG.status}> ?st }} }}"""):
        out[str(r["raw"])] = str(r["st"]).rsplit("#", 1)[-1]
    return out


def test_case_08_openmdw_1_1_is_open_like_the_controls() -> None:
    assert _hf_statuses("08-openmdw-1-1") == {"openmdw-1.1": "Open", "openmdw-1.0": "Open",
                                               "cdla-permissive-2.0": "Open"}


def test_case_07_a_bare_other_is_kept_as_unknown_custom_terms() -> None:
    statuses = _hf_statuses("07-hf-license-other-custom")
    assert statuses["other"] == "Partial"  # declared, under terms nobody says are open
    assert len(statuses) == 3


def test_case_04_default_graph_is_a_set(tmp_path: Path) -> None:
    one = tmp_path / "one.ttl"
    two = tmp_path / "two.ttl"
    body = """@prefix og: <https://w3id.org/openness/ns#> . @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
<http://spdx.org/licenses/Apache-2.0> a og:License ; rdfs:label "Apache License 2.0" ; og:spdxId "Apache-2.0" .
<https://w3id.org/openness/id/release/r1> a og:ModelRelease ; rdfs:label "R1" ; og:developerUnknown true ;
    og:releaseDateUnknown true ; og:license <http://spdx.org/licenses/Apache-2.0> .
"""
    one.write_text(body)
    two.write_text(body)  # the same triples in a second batch
    store = OxigraphStore(None)
    ingest_files(store, [one, two])
    n = store.select(f"SELECT (COUNT(*) AS ?n) WHERE {{ ?l a <{OG.License}> . FILTER(isIRI(?l) && STRSTARTS(STR(?l), 'http://spdx')) }}")
    assert int(str(n[0]["n"])) == 1
    labels = store.select("SELECT ?l WHERE { <http://spdx.org/licenses/Apache-2.0> <http://www.w3.org/2000/01/rdf-schema#label> ?l }")
    assert len(labels) == 1
    releases = store.select(f"SELECT (COUNT(*) AS ?n) WHERE {{ ?r <{OG.license}> <http://spdx.org/licenses/Apache-2.0> }}")
    assert int(str(releases[0]["n"])) == 1
    # dropping one batch keeps what the other still holds
    from openness.gate import Change, commit
    from openness.ingest import file_graph_iri

    commit(store, Change(drop=[str(file_graph_iri(one))]))
    assert len(store.select("SELECT ?l WHERE { <http://spdx.org/licenses/Apache-2.0> <http://www.w3.org/2000/01/rdf-schema#label> ?l }")) == 1
