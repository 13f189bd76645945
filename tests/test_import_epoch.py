"""Epoch importer: counts, status mapping with raw values, lineage, licenses, bad input."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from openness.importers.base import ImportError_
from openness.importers.epoch import import_epoch
from openness.importers.resolve import Resolver
from openness.namespaces import EPOCH, OG, SPDX
from openness.resources import data_dir
from openness.vocab import load_ontology
from rdflib import Literal

EPOCH_DIR = data_dir() / "sources" / "epoch"
NOTABLE = EPOCH_DIR / "data" / "ai_models" / "notable_ai_models.csv"


@pytest.fixture(scope="module")
def result():
    return import_epoch(EPOCH_DIR, Resolver())


def test_counts_match_the_files_less_documented_duplicates(result) -> None:
    rep = result.report
    with NOTABLE.open(encoding="utf-8") as fh:
        notable = sum(1 for _ in csv.DictReader(fh))
    assert notable == 969
    assert rep.records_read == notable + 137
    assert all("duplicate of the record in notable_ai_models.csv" in r.reason for r in rep.rejected)
    assert rep.records_imported == rep.records_read - len(rep.rejected)
    assert rep.records_imported > notable  # frontier-only rows are added


def _claim(g, model: str, criterion):
    q = """PREFIX og: <https://w3id.org/openness/ns#> PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
    SELECT ?v ?raw ?lic WHERE { ?c og:about ?r ; og:criterion ?k ; og:sourceValue ?v ; og:rawValue ?raw .
    OPTIONAL { ?c og:claimedLicense ?lic } ?r rdfs:label ?l FILTER(STR(?l) = STR(?want)) }"""
    return list(g.query(q, initBindings={"k": criterion, "want": Literal(model)}))


def _values(g, criterion) -> dict[str, str]:
    rows = g.query(
        """PREFIX og: <https://w3id.org/openness/ns#>
        SELECT DISTINCT ?raw ?v WHERE { ?c og:criterion ?k ; og:rawValue ?raw ; og:sourceValue ?v }""",
        initBindings={"k": criterion},
    )
    return {str(r[0]): str(r[1]).split("#")[1] for r in rows}


def test_each_column_reading_records_epochs_own_value(result) -> None:
    """The importer writes Epoch's word as a value concept of the criterion's collection; one
    word read for two criteria is two concepts ("API access": closed weights, public access)."""
    g = result.graph
    assert all((c, OG.status, None) not in g for c in g.subjects(OG.sourceValue, None))
    assert _values(g, EPOCH.ModelAccessibility) == {
        "Open weights (unrestricted)": "value-open-weights-unrestricted",
        "Open weights (restricted use)": "value-open-weights-restricted-use",
        "Open weights (non-commercial)": "value-open-weights-non-commercial",
        "API access": "value-api-access",
        "Hosted access (no API)": "value-hosted-access",
        "Unreleased": "value-unreleased",
    }
    public = _values(g, EPOCH.PublicAccess)
    assert public["API access"] == "value-public-api-access" and public["Unreleased"] == "value-unreleased"
    onto = load_ontology()
    status = {v: onto.value(EPOCH[v], OG.mapsToStatus)
              for v in ("value-api-access", "value-public-api-access")}
    assert status == {"value-api-access": OG.Closed, "value-public-api-access": OG.Open}  # the scheme says
    assert set(_values(g, EPOCH.TrainingCodeAccessibility).values()) == {
        "value-open-source", "value-open-non-commercial", "value-open-restricted-use", "value-unreleased"}


def test_license_note_becomes_claimed_license_and_base_model_an_edge(result) -> None:
    g = result.graph
    assert any(lic == SPDX["MIT"] for *_, lic in _claim(g, "MiniMax-M2", EPOCH.ModelAccessibility))
    # "Modified MIT license (…) for weights and inference code": the license of each named component
    kimi = {k: lic for k in (EPOCH.ModelAccessibility, EPOCH.TrainingCodeAccessibility)
            for *_, lic in _claim(g, "Kimi K2", k)}
    assert str(kimi[EPOCH.ModelAccessibility]).endswith("/modified-mit-license")
    assert kimi[EPOCH.TrainingCodeAccessibility] is None  # training code unreleased: no license for it
    # a compound note is never read as its first license
    (row,) = _claim(g, "GLM-4.5", EPOCH.ModelAccessibility)
    assert row[2] == SPDX["MIT"]  # its first line names one license: MIT (the inference code line is apart)
    assert any("compound" in w for w in result.report.warnings)
    assert len(set(g.subject_objects(OG.fineTunedFrom))) > 50
    assert all((s, OG.fineTunedFrom, s) not in g for s, _ in g.subject_objects(OG.fineTunedFrom))


def test_missing_column_refuses_the_file(tmp_path: Path) -> None:
    bad = tmp_path / "notable_ai_models.csv"
    bad.write_text("Model,Organization\nX,Y\n", encoding="utf-8")
    with pytest.raises(ImportError_, match=r"notable_ai_models.csv: required column\(s\) 'Publication date'"):
        import_epoch(bad, Resolver())


def test_unknown_value_skips_the_row_with_file_and_line(tmp_path: Path) -> None:
    with NOTABLE.open(encoding="utf-8") as fh:
        reader = csv.DictReader(fh)
        rows = [next(reader), next(reader), next(reader)]
        fields = reader.fieldnames
    rows[1]["Model accessibility"] = "Sort of open"
    bad = tmp_path / "notable_ai_models.csv"
    with bad.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=fields)
        writer.writeheader()
        writer.writerows(rows)
    res = import_epoch(bad, Resolver())
    assert res.report.records_read == 3 and res.report.records_imported == 2
    (reject,) = res.report.rejected
    assert reject.file == "notable_ai_models.csv" and reject.line == 3 and "'Sort of open'" in reject.reason
