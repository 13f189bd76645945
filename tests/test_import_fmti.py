"""FMTI importer: selected indicators on flagship releases, history across editions, bad input."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from openness.namespaces import FMTI, OG
from openness.resources import data_dir
from openness.sources.base import ImportError_
from openness.sources.fmti import import_fmti, indicators, load_flagships
from openness.sources.resolve import Resolver
from rdflib import Literal

FMTI_DIR = data_dir() / "sources" / "fmti"


@pytest.fixture(scope="module")
def result():
    return import_fmti(FMTI_DIR, Resolver())


def _claims(g, about_label: str, criterion) -> list[tuple[str, str, str]]:
    q = """PREFIX og: <https://w3id.org/openness/ns#> PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
    SELECT ?d ?s ?st WHERE { ?c og:about ?r ; og:criterion ?k ; og:assertedOn ?d ; og:status ?s ;
    og:standing ?st . ?r rdfs:label ?l FILTER(LCASE(STR(?l)) = LCASE(STR(?want))) }"""
    rows = g.query(q, initBindings={"k": criterion, "want": Literal(about_label)})
    return sorted((str(d), str(s).split("#")[1], str(st).split("#")[1]) for d, s, st in rows)


def test_counts_equal_developers_per_edition(result) -> None:
    rep = result.report
    assert rep.records_read == 10 + 14 + 13
    assert rep.records_imported == rep.records_read and not rep.rejected
    assert rep.claims_written == len(set(result.graph.subjects(None, OG.Claim)))
    assert rep.claims_written > 37 * 10


def test_every_flagship_has_its_evidence_in_the_curated_table() -> None:
    flags = load_flagships()
    assert flags[("May2024", "Meta")].name == "Llama 2"
    assert all(f.evidence and f.source.startswith("https://") for f in flags.values())


def test_supersession_only_within_the_same_flagship(result) -> None:
    # Llama 2 was Meta's flagship in Oct 2023 and May 2024: the newer claim supersedes the older
    rows = _claims(result.graph, "Llama 2", FMTI.ModelArchitecture)
    assert [r[0] for r in rows] == ["2023-10-18", "2024-05-21"]
    assert rows[0][2] == "Superseded" and rows[1][2] == "Asserted"
    # the Dec 2025 flagship is Llama 4 Maverick: a different release with its own current claim
    assert _claims(result.graph, "Llama 4 Maverick", FMTI.FullExternalModelAccess) == [
        ("2025-12-09", "Open", "Asserted")
    ]


def test_disclosure_text_is_the_quote(result) -> None:
    rows = list(
        result.graph.query(
            """PREFIX og: <https://w3id.org/openness/ns#>
        SELECT ?q WHERE { ?e og:quote ?q ; og:locator "IBM / Data size" }"""
        )
    )
    assert rows and any("tokens" in str(r[0]) for r in rows)


def test_only_openness_indicators_are_imported(result) -> None:
    used = {o for o in result.graph.objects(None, OG.criterion)}
    assert used <= set(indicators().values())
    assert {FMTI.ModelLicense, FMTI.RisksDescription, FMTI.CodeAccess} <= used


def test_missing_indicator_column_refuses_the_file(tmp_path: Path) -> None:
    folder = tmp_path / "Dec2025"
    folder.mkdir()
    (folder / "Dec2025_scores.csv").write_text("Name,Meta\nData size,1\n", encoding="utf-8")
    with pytest.raises(ImportError_, match=r"Dec2025_scores.csv.*'Indicator' is missing"):
        import_fmti(folder, Resolver())


def test_bad_score_skips_that_developer_and_reports_it(tmp_path: Path) -> None:
    folder = tmp_path / "Dec2025"
    shutil.copytree(FMTI_DIR / "Dec2025", folder)
    scores = folder / "Dec2025_scores.csv"
    lines = scores.read_text(encoding="utf-8-sig").splitlines()
    meta = lines[0].split(",").index("Meta")
    for i, line in enumerate(lines):
        if line.startswith("Open weights,"):
            cells = line.split(",")
            cells[meta] = "yes"
            lines[i] = ",".join(cells)
    scores.write_text("\n".join(lines) + "\n", encoding="utf-8")
    res = import_fmti(folder, Resolver())
    assert res.report.records_read == 13 and res.report.records_imported == 12
    (reject,) = res.report.rejected
    assert reject.record == "Meta" and "Open weights" in reject.reason and "'yes'" in reject.reason
