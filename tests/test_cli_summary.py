"""The main job's end: ``openness build`` ends with a short summary read from the store, and the
README's notebook example runs.

The build is the real command on a subset of the real catalogues (``--sources-dir``: a few MOT
records and two Index entries; the other catalogues are skipped, and said), so it takes about a
minute rather than the corpus' several; every number the summary prints is checked against the
store itself, never against a number written here.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from clisupport import RunCli
from openness import derive
from openness.resources import data_dir
from openness.store import open_store
from openness.verdicts import read

ROOT = Path(__file__).resolve().parents[1]
SOURCES = data_dir() / "sources"
MOT = ("Amber.yml", "Pythia-1B.yml", "Llama-2-7B.yml", "Llama-2-70B.yml")
INDEX = ("Pythia.yaml", "llama-2-chat.yaml")
Built = tuple[Path, subprocess.CompletedProcess[str]]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    """``openness build --sources-dir SUBSET`` on a new store: the store and what the command said."""
    tmp = tmp_path_factory.mktemp("summary")
    root = tmp / "sources"
    (root / "mot" / "models").mkdir(parents=True)
    (root / "mot" / "schema").mkdir()
    for name in MOT:
        shutil.copy(SOURCES / "mot" / "models" / name, root / "mot" / "models" / name)
    shutil.copy(SOURCES / "mot" / "schema" / "mof_schema.json", root / "mot" / "schema")
    (root / "osai-index").mkdir()
    for name in INDEX:
        shutil.copy(SOURCES / "osai-index" / name, root / "osai-index" / name)
    from clisupport import openness_executable

    env = {**os.environ, "COLUMNS": "80"}
    done = subprocess.run([openness_executable(), "--store", str(tmp / "store"), "build", "--sources-dir",
                           str(root), "--report-dir", str(tmp / "report")],
                          cwd=tmp, env=env, capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, done.stderr[-3000:]
    return tmp / "store", done


def test_build_ends_with_a_summary_read_from_the_store(built: Built) -> None:
    store_path, done = built
    out = done.stdout
    lines = out.splitlines()
    assert len(lines) < 80, out  # read in ten seconds, not a table of every release
    assert all(len(line) <= 80 for line in lines), out
    assert "\x1b" not in out + done.stderr  # piped: no spinner, no colour codes
    assert "skipped fmti" in " ".join(done.stderr.split())  # a catalogue the folder lacks is said
    # it ends with what to run next
    tail = "\n".join(lines[-6:])
    assert "Next:" in tail and "openness show NAME" in tail and "openness serve" in tail

    with open_store(store_path, read_only=True) as store:
        # claims per source (catalogue version), as the store counts them
        rows = store.select("""PREFIX og: <https://w3id.org/openness/ns#>
            PREFIX dcterms: <http://purl.org/dc/terms/>
            SELECT ?ds (COUNT(DISTINCT ?c) AS ?n)
            WHERE { ?c a og:Claim ; dcterms:source ?ds } GROUP BY ?ds""")
        table = out[out.index("Claims per source"):].split("\n\n", 1)[0].splitlines()[2:]
        cells = {line: re.search(r"\s{2,}(\d[\d,]*)(?:\s{2,}\d[\d,]*)?\s*$", line) for line in table}
        printed = {line: int(m.group(1).replace(",", "")) for line, m in cells.items() if m}
        assert len(printed) == len(table), table
        cited = sorted(n for line, n in printed.items() if "citing no catalogue" not in line)
        assert cited == sorted(int(row["n"]) for row in rows), (rows, table)
        total = int(store.select("PREFIX og: <https://w3id.org/openness/ns#> "
                                 "SELECT (COUNT(?c) AS ?n) WHERE { ?c a og:Claim }")[0]["n"])
        assert sum(printed.values()) == total
        # verdict histograms: every label of the spectrum, MOF and OSAID with its count
        for key in ("spectrum", "mof", "osaid"):
            counts = Counter(v.label for v in read(store, framework=key))
            assert counts, key
            assert f"{derive.framework(key).label} — {sum(counts.values()):,} releases judged" in out
            for label, n in counts.items():
                assert re.search(rf"^\s+{re.escape(label)}\s+{n:,}\s", out, re.MULTILINE), (label, n, out)
    assert "Disagreements — " in out


def test_summary_command_prints_the_same_summary(run_cli: RunCli, built: Built) -> None:
    store_path, done = built
    again = run_cli("--store", str(store_path), "summary", env={"COLUMNS": "80"})
    assert again.returncode == 0, again.stderr
    start = done.stdout.index("Claims per source")
    assert again.stdout == done.stdout[start:]


def test_summary_on_the_examples_alone(run_cli: RunCli, tmp_path: Path, examples_dir: Path) -> None:
    db = str(tmp_path / "store")
    assert run_cli("--store", db, "load", *map(str, sorted(examples_dir.glob("*.ttl")))).returncode == 0
    out = run_cli("--store", db, "summary")
    assert out.returncode == 0, out.stderr
    assert "Openness in Artificial Intelligence Models" in out.stdout  # the report, the only catalogue
    with open_store(db, read_only=True) as store:
        spectrum = Counter(v.label for v in read(store, framework="spectrum"))
    for label, n in spectrum.items():
        assert re.search(rf"^\s+{re.escape(label)}\s+{n:,}\s", out.stdout, re.MULTILINE), out.stdout
    assert "Model Openness Framework 1.0 — 0 releases judged" in out.stdout


def _readme_notebook() -> str:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text[text.index("## Notebooks"):]
    return re.search(r"```python\n(.*?)```", section, re.DOTALL).group(1)  # type: ignore[union-attr]


def test_readme_notebook_example_runs(built: Built) -> None:
    code = _readme_notebook()
    lines = code.strip().splitlines()
    assert len(lines) == 5
    store_path, _ = built
    # run it as written (the store comes from the environment), then report what its last line gives
    script = "\n".join([*lines[:-1], f"result = {lines[-1]}", "import json",
                        "print(json.dumps({'columns': list(result.columns), "
                        "'labels': sorted(result['release_label'])}))"])
    env = {**os.environ, "OPENNESS_STORE": str(store_path)}
    done = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True,
                          timeout=300)
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert result["columns"] == ["release_label", "spectrum", "mof"]
    with open_store(store_path, read_only=True) as store:
        osaid = read(store, framework="osaid")
        open_source = sorted({str(v.release) for v in osaid if v.label == "Open Source AI"})
        assert open_source, "the subset holds releases OSAID calls open source (Amber, Pythia)"
        values = " ".join(f"<{r}>" for r in open_source)
        labels = store.select("PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> "
                              "SELECT ?r (MIN(STR(?l)) AS ?label) "
                              f"WHERE {{ VALUES ?r {{ {values} }} ?r rdfs:label ?l }} GROUP BY ?r")
    assert result["labels"] == sorted(str(row["label"]) for row in labels)  # labels, not IRIs
