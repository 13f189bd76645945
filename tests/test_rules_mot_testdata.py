"""MOT's own 27 test records give MOT's class and per-class progress, 27/27.

The Model Openness Tool ships test records with the results its evaluator computes
(data/sources/mot/Test_Data/, with expected_results.json, MIT). Each record goes the product's
whole way: the MOT importer records what it says (og:sourceValue, licenses), the records land in
an in-memory store with the vocabulary, the whole derivation runs (claim statuses from the
source values, license terms, combine, MOF components, mof.ru), and the stored MOF assessment
must carry MOT's class and MOT's progress for each class (percentages in MOT, fractions to four
decimals here).
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from openness import derive, verdicts
from openness.gate import vocabulary_graph_iri
from openness.importers import get_importer
from openness.namespaces import OG
from openness.store import OxigraphStore
from openness.vocab import load_ontology
from rdflib import URIRef
from rdflib.namespace import RDFS

TEST_DATA = Path(__file__).resolve().parents[1] / "data" / "sources" / "mot" / "Test_Data"


def _expected() -> list[dict]:
    # MOT's file is JSON with trailing commas (not valid JSON); YAML reads it as MOT wrote it
    doc = yaml.safe_load((TEST_DATA / "expected_results.json").read_text(encoding="utf-8"))
    return doc["models"]


@pytest.fixture(scope="module")
def mof_by_name() -> dict[str, verdicts.StoredVerdict]:
    """Release name (MOT's ``release.name``) -> the stored MOF assessment of its release."""
    result = get_importer("mot")(TEST_DATA)
    assert result.report.records_imported == 27, result.report
    store = OxigraphStore(None)
    graphs = {str(iri): record.graph for iri, record in result.records.items()}
    graphs.update({str(iri): g for iri, g in result.licenses.items()})
    graphs[str(result.graph_iri or "urn:openness:test:mot-version")] = result.version_graph
    graphs[str(vocabulary_graph_iri())] = load_ontology()
    store.put_graphs(graphs)
    derive.run(store)
    names = {str(r["r"]): str(r["name"]) for r in store.select(
        f"SELECT ?r ?name WHERE {{ ?r a <{OG.ModelRelease}> ; <{RDFS.label}> ?name }}")}
    out = {}
    for v in verdicts.read(store, framework="mof"):
        out[names[str(v.release)]] = v
    return out


def _class_concepts() -> dict[int, URIRef]:
    """MOT's class number -> the verdict concept (og:mofClass on og:MOFClassScheme's concepts)."""
    g = load_ontology()
    out = {0: OG.MOFUnclassified}
    for concept, number in g.subject_objects(OG.mofClass):
        if (concept, None, None) in g and str(concept).startswith(str(OG) + "MOFClass"):
            out[int(number)] = URIRef(concept)
    return out


@pytest.mark.parametrize("model", _expected(), ids=lambda m: m["release"]["name"])
def test_mot_test_record(model: dict, mof_by_name: dict[str, verdicts.StoredVerdict]) -> None:
    name = model["release"]["name"]
    want = model["classification"]
    assert name in mof_by_name, f"{name}: no MOF assessment (imported names: {sorted(mof_by_name)[:3]}...)"
    v = mof_by_name[name]
    assert v.verdict == _class_concepts()[int(want["class"])], f"{name}: {v.label} — {v.reason}"
    progress = {int(p["mofClass"]): float(p["score"]) for p in v.values["progress"]}
    for cls, percent in want["progress"].items():
        assert progress[int(cls)] == pytest.approx(float(percent) / 100, abs=1e-4), \
            f"{name}: Class {cls} progress {progress[int(cls)]}, MOT {percent} % — {v.reason}"


def test_all_27_records_are_expected() -> None:
    files = sorted(TEST_DATA.glob("*.yml"))
    assert len(files) == 27 and len(_expected()) == 27
