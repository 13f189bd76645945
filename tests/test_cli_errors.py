"""Errors that help (issue 11): every bad input of a new user's first hour, fed to the real command.

Each message must keep the parser's own reason, point at the user's own line (and column where
the parser knows it), show no traceback, and exit with the code the README gives (1 bad input,
2 usage, refused before any work). Expected positions are computed from the texts written here.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from clisupport import RunCli
from openness.gate import ingest_files
from openness.store import open_store

BAD_TURTLE = """\
@prefix og: <https://w3id.org/openness/ns#> .

<https://w3id.org/openness/id/claim/x> a og:Claim ;
    og:about <https://w3id.org/openness/id/release/llama-2>
    og:status og:Open .
"""

BAD_DATE = """\
- id: https://w3id.org/openness/id/claim/errors-bad-date
  type: Claim
  about: https://w3id.org/openness/id/release/grok-1
  criterion: spectrum:Weights
  status: Open
  claimant: https://w3id.org/openness/id/agent/openness-graph-curators
  assertedOn: 2024-13-45
  standing: Asserted
  evidence:
    - type: Evidence
      sourceIRI: https://github.com/xai-org/grok-1
      retrievedOn: 2024-11-19
      evidenceKind: PrimaryEvidence
"""

BAD_QUERY = """\
SELECT ?claim ?status WHERE {
  ?claim a og:Claim ;
         ex:status ?status .
}
"""


def _position(text: str, needle: str) -> tuple[int, int]:
    """1-based line and column of ``needle`` in ``text``."""
    at = text.index(needle)
    return text.count("\n", 0, at) + 1, at - (text.rfind("\n", 0, at) + 1) + 1


def _clean(result) -> str:
    output = result.stdout + result.stderr
    assert "Traceback" not in output and "Failed to convert" not in output, output
    return " ".join(output.split())


@pytest.fixture(scope="module")
def store_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("errors") / "store"
    from openness.resources import data_dir

    with open_store(path) as store:
        ingest_files(store, sorted((data_dir() / "examples").glob("*.ttl")))
    return path


def test_malformed_turtle_names_line_column_and_reason(run_cli: RunCli, tmp_path: Path,
                                                       store_path: Path) -> None:
    bad = tmp_path / "bad.ttl"
    bad.write_text(BAD_TURTLE)
    line, column = _position(BAD_TURTLE, "og:status og:Open")  # where the parser stopped: a missing ';'
    for args in (["validate", str(bad)], ["--store", str(store_path), "load", str(bad)]):
        result = run_cli(*args)
        assert result.returncode == 1
        said = _clean(result)
        assert f"bad.ttl:{line}:{column}: cannot parse as turtle" in said, said
        assert "expected '.' or '}' or ']' at end of statement" in said, said  # the parser's reason


def test_bad_date_in_yaml_points_at_its_own_line(run_cli: RunCli, tmp_path: Path, store_path: Path) -> None:
    bad = tmp_path / "claims.yaml"
    bad.write_text(BAD_DATE)
    line, _ = _position(BAD_DATE, "assertedOn: 2024-13-45")
    with open_store(store_path, read_only=True) as store:
        before = store.count()
    result = run_cli("--store", str(store_path), "load", str(bad))
    assert result.returncode == 1
    said = _clean(result)
    assert f"claims.yaml record 1, line {line}: VIOLATION" in said, said
    assert "[property og:assertedOn] [value 2024-13-45]" in said
    assert "nothing was written" in said
    with open_store(store_path, read_only=True) as store:
        assert store.count() == before
    checked = run_cli("validate", str(bad))  # no store: the file on its own, same place
    assert checked.returncode == 1 and f"claims.yaml record 1, line {line}: VIOLATION" in _clean(checked)


@pytest.mark.parametrize(("name", "text", "needle", "reason"), [
    ("flow.yaml", "a: [1, 2\nb: 3\n", "b: 3", "not valid YAML: expected ',' or ']', but got ':'"),
    ("broken.json", '{"id": "x",\n  "type": "Claim",,\n}', ',\n}', "not valid JSON: Expecting property name"),
])
def test_document_syntax_errors_name_line_and_column(run_cli: RunCli, tmp_path: Path, name: str, text: str,
                                                     needle: str, reason: str) -> None:
    bad = tmp_path / name
    bad.write_text(text)
    result = run_cli("validate", str(bad))
    assert result.returncode == 1
    said = _clean(result)
    line, _ = _position(text, needle)
    assert f"{name}:{line}:" in said and reason in said, said


def test_sparql_errors_point_at_the_users_own_lines(run_cli: RunCli, tmp_path: Path,
                                                    store_path: Path) -> None:
    rq = tmp_path / "claims.rq"
    rq.write_text(BAD_QUERY)
    line, _ = _position(BAD_QUERY, "ex:status")
    result = run_cli("--store", str(store_path), "query", str(rq))
    assert result.returncode == 1
    said = _clean(result)
    assert f"claims.rq:{line}:" in said, said  # not shifted by the predeclared prefix lines
    assert "ex:status ?status ." in said and "the prefix 'ex:' is not declared" in said

    inline = "SELECT ?x WHERE { ?x og:status ?y FILTER(?y = ) }"
    result = run_cli("--store", str(store_path), "query", inline)
    assert result.returncode == 1
    said = _clean(result)
    assert "query:1:" in said and "SPARQL syntax error: expected one of" in said, said
    assert "\\u{" not in said  # no wall of Unicode ranges

    undeclared = run_cli("--store", str(store_path), "query", "SELECT * WHERE { ?x zz:p ?y }")
    said = _clean(undeclared)
    assert undeclared.returncode == 1 and "the prefix 'zz:' is not declared" in said, said


def test_options_are_checked_before_any_work(run_cli: RunCli, tmp_path: Path, store_path: Path) -> None:
    nowhere = tmp_path / "no-store-here"
    for args in (["classify", "--format", "xml"], ["classify", "--framework", "nope"],
                 ["classify", "--as-of", "2024-13-01"], ["trace", "llama-2", "--format", "xml"],
                 ["diff", "--from", "yesterday", "--to", "2025-01-01"],
                 ["disagreements", "--kind", "everything"], ["import", "nope", str(tmp_path)]):
        result = run_cli("--store", str(nowhere), *args)
        assert result.returncode == 2, (args, result.stderr)  # a usage error, not "no store" (1)
        assert "Traceback" not in result.stderr
    assert not nowhere.exists()

    unwritable = tmp_path / "a-file"
    unwritable.write_text("not a folder")
    for args in (["build", "--report-dir", str(unwritable / "report")],
                 ["import", "mot", str(tmp_path), "--report-dir", str(unwritable / "report")]):
        result = run_cli("--store", str(tmp_path / "new-store"), *args)
        assert result.returncode == 2, result.stderr
        assert "--report-dir" in result.stderr and "cannot write there" in _clean(result)
        assert not (tmp_path / "new-store").exists()  # refused before the store was created or written


def test_a_store_that_is_not_a_store_is_refused(run_cli: RunCli, tmp_path: Path) -> None:
    missing = tmp_path / "typo-store"
    claims = tmp_path / "claims.ttl"
    claims.write_text("")
    for args in (["stats"], ["show", "llama"], ["classify"], ["assess"], ["summary"],
                 ["validate", str(claims)]):
        result = run_cli("--store", str(missing), *args)
        assert result.returncode == 1, (args, result.stdout)
        said = _clean(result)
        assert f"--store {missing} does not exist" in said and "openness build" in said, said
    assert not missing.exists()

    a_file = tmp_path / "notes.txt"
    a_file.write_text("hello")
    result = run_cli("--store", str(a_file), "stats")
    assert result.returncode == 1 and "is a file, not a store" in _clean(result)

    folder = tmp_path / "documents"
    folder.mkdir()
    (folder / "thesis.md").write_text("mine")
    result = run_cli("--store", str(folder), "load", str(a_file))
    assert result.returncode == 1 and "holds other files, not a store" in _clean(result)
    assert sorted(p.name for p in folder.iterdir()) == ["thesis.md"]  # nothing written among them


def test_unknown_command_is_a_usage_error(run_cli: RunCli) -> None:
    result = run_cli("shwo", "llama")
    assert result.returncode == 2 and "No such command" in result.stderr
