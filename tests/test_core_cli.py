"""The real ``openness`` command: load, validate, stats, query, export, errors and exit codes."""

from __future__ import annotations

import json
from pathlib import Path

from clisupport import RunCli

BAD_CLAIM = """\
@prefix og: <https://w3id.org/openness/ns#> .
@prefix spectrum: <https://w3id.org/openness/spectrum#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .

<https://w3id.org/openness/id/claim/cli-no-evidence> a og:Claim ;
    og:about <https://w3id.org/openness/id/release/llama-2> ;
    og:criterion spectrum:Code ;
    og:status og:Open ;
    og:claimant <https://w3id.org/openness/id/agent/new-america-oti> ;
    og:assertedOn "2024-11-19"^^xsd:date ;
    og:standing og:Asserted .
"""


def _count(run_cli: RunCli, store: Path) -> int:
    result = run_cli(
        "--store",
        str(store),
        "query",
        "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }",
        "--format",
        "json",
    )
    assert result.returncode == 0, result.stderr
    return int(json.loads(result.stdout)["results"]["bindings"][0]["n"]["value"])


def test_load_validate_stats_query(run_cli: RunCli, tmp_path: Path, examples_dir: Path) -> None:
    store = tmp_path / "s"
    examples = [str(p) for p in sorted(examples_dir.glob("*.ttl"))]
    loaded = run_cli("--store", str(store), "load", *examples)
    assert loaded.returncode == 0, loaded.stderr
    assert "report-spectrum.ttl" in loaded.stdout

    checked = run_cli("--store", str(store), "validate", "--format", "json")
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert json.loads(checked.stdout)["violations"] == 0

    stats = run_cli("stats", "--store", str(store))  # --store also works after the command
    assert stats.returncode == 0, stats.stderr
    assert "releases" in stats.stdout and "claims" in stats.stdout

    csv = run_cli(
        "--store",
        str(store),
        "query",
        "--format",
        "csv",
        "SELECT ?r WHERE { ?r a og:ModelRelease } ORDER BY ?r",
    )
    assert csv.returncode == 0, csv.stderr
    rows = csv.stdout.strip().splitlines()
    assert rows[0] == "r" and "https://w3id.org/openness/id/release/mistral-7b" in rows

    rq = tmp_path / "tiers.rq"
    rq.write_text("SELECT ?tier WHERE { ?c og:criterion og:SpectrumPlacement ; og:claimedTier ?tier }")
    table = run_cli("--store", str(store), "query", str(rq))
    assert table.returncode == 0, table.stderr
    assert "Tier4" in table.stdout


def test_claim_without_evidence_refused_by_cli(run_cli: RunCli, tmp_path: Path, examples_dir: Path) -> None:
    store = tmp_path / "s"
    assert run_cli("--store", str(store), "load", str(examples_dir / "report-spectrum.ttl")).returncode == 0
    before = _count(run_cli, store)
    bad = tmp_path / "one-claim.ttl"
    bad.write_text(BAD_CLAIM)
    result = run_cli("--store", str(store), "load", str(bad))
    assert result.returncode == 1
    output = result.stdout + result.stderr
    assert "https://w3id.org/openness/id/claim/cli-no-evidence" in output
    assert "one-claim.ttl:5" in output
    assert "og:evidence" in output
    assert "Traceback" not in output
    assert _count(run_cli, store) == before

    report = run_cli("--store", str(store), "validate", str(bad), "--format", "json")
    assert report.returncode == 1
    assert json.loads(report.stdout)["violations"] >= 1


def test_errors_and_usage(run_cli: RunCli, tmp_path: Path) -> None:
    missing = run_cli("--store", str(tmp_path / "s"), "load", str(tmp_path / "nope.ttl"))
    assert missing.returncode == 1
    assert "nope.ttl" in missing.stderr and "Traceback" not in missing.stderr
    bad_query = run_cli("--store", str(tmp_path / "s"), "query", "SELECT WHERE {")
    assert bad_query.returncode == 1 and "Traceback" not in bad_query.stderr
    usage = run_cli("export", "--format", "docx")
    assert usage.returncode == 2


def test_csv_rows_with_different_fields_share_one_header(capsys) -> None:
    """``classify --format csv``: a verdict may carry fields others lack (a missing criterion, a
    contested range); every field gets a column, empty where a row has none."""
    import csv
    import io

    from openness.cli.rules import _emit

    rows: list[dict[str, object]] = [{"release": "a", "verdict": "x"},
                                      {"release": "b", "verdict": "y", "missingCriterion": "c"}]
    _emit(rows, "csv", "verdicts")
    read = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert [r["release"] for r in read] == ["a", "b"]
    assert read[0]["missingCriterion"] == "" and read[1]["missingCriterion"] == "c"


def test_a_missing_query_file_is_named_as_missing(run_cli: RunCli, tmp_path: Path) -> None:
    result = run_cli("--store", str(tmp_path / "s"), "query", str(tmp_path / "nowhere.rq"))
    assert result.returncode == 1
    assert "nowhere.rq: no such query file" in result.stderr and "Traceback" not in result.stderr
