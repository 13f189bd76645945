"""FMTI importer: selected indicators on flagship releases, one catalogue version per edition, bad input."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from openness.importers.base import ImportError_
from openness.importers.fmti import import_fmti, import_fmti_editions, indicators, load_flagships
from openness.importers.resolve import Resolver
from openness.namespaces import FMTI, OG
from openness.resources import data_dir
from rdflib import Graph, Literal

FMTI_DIR = data_dir() / "sources" / "fmti"


@pytest.fixture(scope="module")
def editions():
    return import_fmti_editions(FMTI_DIR, Resolver())


class _All:
    """Every edition's output as one graph (the editions are separate catalogue versions)."""

    def __init__(self, editions) -> None:
        self.graph = Graph()
        for r in editions:
            self.graph += r.graph


@pytest.fixture(scope="module")
def result(editions):
    return _All(editions)


def _claims(g, about_label: str, criterion) -> list[tuple[str, str, str]]:
    q = """PREFIX og: <https://w3id.org/openness/ns#> PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
    SELECT ?d ?s ?st WHERE { ?c og:about ?r ; og:criterion ?k ; og:assertedOn ?d ; og:rawValue ?s ;
    og:standing ?st . ?r rdfs:label ?l FILTER(LCASE(STR(?l)) = LCASE(STR(?want))) }"""
    rows = g.query(q, initBindings={"k": criterion, "want": Literal(about_label)})
    return sorted((str(d), str(s), str(st).split("#")[1]) for d, s, st in rows)


def test_counts_equal_developers_per_edition(editions) -> None:
    assert [r.report.version for r in editions] == ["October2023", "May2024", "Dec2025"]
    assert [r.report.records_read for r in editions] == [10, 14, 13]
    for r in editions:
        rep = r.report
        assert rep.records_imported == rep.records_read and not rep.rejected
        assert len(r.records) == rep.records_imported  # one record graph per developer entry
        assert rep.claims_written == len(set(r.graph.subjects(None, OG.Claim)))
    assert sum(r.report.claims_written for r in editions) > 37 * 10
    assert import_fmti(FMTI_DIR / "May2024", Resolver()).report.version == "May2024"


def test_every_flagship_has_its_evidence_in_the_curated_table() -> None:
    flags = load_flagships()
    assert flags[("May2024", "Meta")].name == "Llama 2"
    assert all(f.evidence and f.source.startswith("https://") for f in flags.values())


def test_every_edition_keeps_its_own_claims(result) -> None:
    # Llama 2 was Meta's flagship in Oct 2023 and May 2024: both editions' claims are kept as read
    # (the combine rule lets FMTI's newer claim replace its own older one)
    rows = _claims(result.graph, "Llama 2", FMTI.ModelArchitecture)
    assert [r[0] for r in rows] == ["2023-10-18", "2024-05-21"]
    assert rows[0][2] == rows[1][2] == "Asserted"
    # the Dec 2025 flagship is Llama 4 Maverick: a different release with its own current claim
    assert _claims(result.graph, "Llama 4 Maverick", FMTI.FullExternalModelAccess) == [
        ("2025-12-09", "1", "Asserted")  # FMTI's own score, kept as read
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
