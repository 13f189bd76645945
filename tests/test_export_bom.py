"""SPDX 3.0.1 and CycloneDX 1.6 exports (openness export --format spdx3|cyclonedx), validated
against the published SPDX 3.0.1 JSON schema (vendored in tests/schemas/spdx-3.0.1) and with the
official CycloneDX library (cyclonedx-python-lib's strict 1.6 JSON validator): on a small store
built from the bundled examples and the license fixtures, and for every release of the built
corpus (tests/analysis_corpus.py, one build per session; there the library's schema files are
compiled by jsonschema-rs, checked to agree with the library on the small store)."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

import jsonschema_rs
import pytest
from analysis_corpus import built_corpus
from cyclonedx.schema import SchemaVersion
from cyclonedx.validation.json import JsonStrictValidator
from openness.gate import ingest_files
from openness.store import open_store

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
SMALL = [
    ROOT / "data" / "examples" / "report-spectrum.ttl",
    ROOT / "data" / "examples" / "primary-evidence.ttl",
    HERE / "analysis" / "licenses" / "conflict.ttl",
]


@cache
def _spdx_validator() -> jsonschema_rs.Validator:
    schema = json.loads(
        (HERE / "schemas" / "spdx-3.0.1" / "spdx-json-schema.json").read_text(encoding="utf-8")
    )
    return jsonschema_rs.validator_for(schema)


def _spdx_errors(doc: dict) -> list[str]:
    return [str(e)[:500] for e in _spdx_validator().iter_errors(doc)]


@cache
def _cyclonedx_validator() -> jsonschema_rs.Validator:
    """The official CycloneDX 1.6 JSON schema files that cyclonedx-python-lib ships (its strict 1.6
    validator uses the same), compiled by jsonschema-rs: the corpus's 1.6 MB BOM validates in
    milliseconds where the library's pure-Python validator takes a minute."""
    import cyclonedx

    res = Path(cyclonedx.__file__).parent / "schema" / "_res"

    def local(uri: str) -> object:  # the $refs (spdx, jsf) name the library's local copies
        name = uri.rsplit("/", 1)[-1]
        if ".SNAPSHOT." not in name:
            name = name.replace(".schema.json", ".SNAPSHOT.schema.json")
        return json.loads((res / name).read_text(encoding="utf-8"))

    schema = json.loads((res / "bom-1.6.SNAPSHOT.schema.json").read_text(encoding="utf-8"))
    return jsonschema_rs.validator_for(schema, retriever=local, validate_formats=True)


def _cyclonedx_error(doc: dict) -> str | None:
    err = JsonStrictValidator(SchemaVersion.V1_6).validate_str(json.dumps(doc), all_errors=True)
    return None if err is None else str(err)[:2000]


def _releases(store_path: Path) -> set[str]:
    with open_store(str(store_path), read_only=True) as db:
        return {
            str(r["r"])
            for r in db.select("SELECT ?r WHERE { ?r a <https://w3id.org/openness/ns#ModelRelease> }")
        }


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("bom") / "store"
    db = open_store(str(path))
    try:
        ingest_files(db, SMALL)
    finally:
        db.close()
    return path


def test_spdx3_of_the_examples_validates_and_says_what_the_graph_says(
    small: Path, run_cli, tmp_path: Path
) -> None:
    out = tmp_path / "bom.spdx.json"
    res = run_cli("--store", str(small), "export", "--format", "spdx3", "--out", str(out))
    assert res.returncode == 0, res.stderr
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert _spdx_errors(doc) == []
    graph = doc["@graph"]
    packages = {e["spdxId"]: e for e in graph if e["type"] == "ai_AIPackage"}
    assert set(packages) == _releases(small)
    llama = packages["https://w3id.org/openness/id/release/llama-2"]
    assert llama["software_primaryPurpose"] == "model" and llama["releaseTime"] == "2023-07-18T00:00:00Z"
    by_id = {e.get("spdxId"): e for e in graph}
    # the fixture's Apache fine-tune: declared license and lineage as relationships
    tune = "https://w3id.org/openness/id/release/fx-apache-tune"
    rels = [e for e in graph if e["type"] == "Relationship" and e["from"] == tune]
    declared = next(r for r in rels if r["relationshipType"] == "hasDeclaredLicense")
    assert [by_id[t]["simplelicensing_licenseExpression"] for t in declared["to"]] == ["Apache-2.0"]
    descent = next(r for r in rels if r["relationshipType"] == "descendantOf")
    assert descent["to"] == ["https://w3id.org/openness/id/release/fx-llama-base"]
    assert descent["comment"] == "og:fineTunedFrom"
    custom = next(
        e for e in graph if e.get("simplelicensing_licenseExpression", "").startswith("LicenseRef-llama-2")
    )
    assert custom["simplelicensing_customIdToUri"][0]["value"].endswith(
        "/license/llama-2-community-license-agreement"
    )
    document = next(e for e in graph if e["type"] == "SpdxDocument")
    assert set(document["rootElement"]) == set(packages)
    assert "ai" in document["profileConformance"]


def test_spdx3_validation_can_fail(small: Path, run_cli) -> None:
    res = run_cli("--store", str(small), "export", "--format", "spdx3")
    doc = json.loads(res.stdout)
    rel = next(e for e in doc["@graph"] if e["type"] == "Relationship")
    rel["relationshipType"] = "fineTunedFrom"  # not an SPDX relationship type
    assert _spdx_errors(doc)


def test_cyclonedx_of_the_examples_validates_with_model_card_and_pedigree(small: Path, run_cli) -> None:
    res = run_cli("--store", str(small), "export", "--format", "cyclonedx")
    assert res.returncode == 0, res.stderr
    bom = json.loads(res.stdout)
    assert _cyclonedx_error(bom) is None
    models = {c["bom-ref"]: c for c in bom["components"] if c["type"] == "machine-learning-model"}
    assert set(models) == _releases(small)
    tune = models["https://w3id.org/openness/id/release/fx-apache-tune"]
    assert tune["licenses"] == [{"license": {"id": "Apache-2.0", "acknowledgement": "declared"}}]
    ancestor = tune["pedigree"]["ancestors"][0]
    assert ancestor["name"] == "Fixture Llama base"
    assert {"name": "openness:derivation", "value": "og:fineTunedFrom"} in ancestor["properties"]
    mistral = models["https://w3id.org/openness/id/release/mistral-7b"]
    assert {"name": "openness:spectrum", "value": "tier 1"} in mistral["modelCard"]["properties"]
    broken = json.loads(res.stdout)
    broken["components"][0]["type"] = "neural-network"
    assert _cyclonedx_error(broken) is not None  # the validator can fail
    assert _cyclonedx_validator().is_valid(bom)  # the fast validator agrees with the library
    assert not _cyclonedx_validator().is_valid(broken)


@pytest.mark.slow
def test_every_release_of_the_built_corpus_exports_valid_spdx3_and_cyclonedx(run_cli, tmp_path: Path) -> None:
    corpus = built_corpus()
    releases = _releases(corpus)
    spdx_out, cdx_out = tmp_path / "corpus.spdx.json", tmp_path / "corpus.cdx.json"
    for fmt, out in (("spdx3", spdx_out), ("cyclonedx", cdx_out)):
        res = run_cli("--store", str(corpus), "export", "--format", fmt, "--out", str(out), timeout=900)
        assert res.returncode == 0, res.stderr
    doc = json.loads(spdx_out.read_text(encoding="utf-8"))
    assert _spdx_errors(doc) == []
    assert {e["spdxId"] for e in doc["@graph"] if e["type"] == "ai_AIPackage"} == releases
    assert any(e["type"] == "dataset_DatasetPackage" for e in doc["@graph"])
    assert any(e.get("relationshipType") == "descendantOf" for e in doc["@graph"])
    bom = json.loads(cdx_out.read_text(encoding="utf-8"))
    assert [str(e)[:500] for e in _cyclonedx_validator().iter_errors(bom)] == []
    assert {c["bom-ref"] for c in bom["components"] if c["type"] == "machine-learning-model"} == releases
    assert sum(1 for c in bom["components"] if "pedigree" in c) >= 200
