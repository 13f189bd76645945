"""The importers read catalogues without reaching out or blowing up (docs/security.md).

Catalogue records and model cards name web addresses everywhere (repositories, papers, license
links, base models): an import records them and never fetches one, while a listener on 127.0.0.1
that they all point at counts connections. YAML bombs in a model card's front matter or a
catalogue record are rejected records (the report names the file and the limit) and the rest of
the import goes on; a file over the size limit is refused without being read (a 4 GB sparse
file, which reading at all would cost far more than 200 MB).

Time: an import has a fixed cost of its own (store, license lists, writing the batch, seconds on
a busy machine), so the 2 s bound is checked on the importers' own record readers, which are
what refuses a bomb; the import command's memory is measured as a whole.
"""

from __future__ import annotations

import json
import time
import tracemalloc
from pathlib import Path

import pytest
from openness.importers.base import ImportReport, load_yaml_record
from openness.importers.hfcard import front_matter
from openness.ingest.limits import MAX_CATALOGUE_FILE_BYTES
from openness.resources import data_dir
from security_helpers import DEPTH, HUGE, MAX_MB, MAX_SECONDS, Listener, sparse_file, yaml_alias_bomb

pytestmark = [pytest.mark.server]

DEEP_YAML = "x: " + "[" * DEPTH + "]" * DEPTH + "\n"


def _card(url: str) -> str:
    return (
        f"---\nlicense: other\nlicense_link: {url}/LICENSE\nbase_model: {url}/base\n"
        f"base_model_relation: finetune\ndatasets:\n- {url}/data\n---\n# A card\n![logo]({url}/logo.png)\n"
    )


def _mot_record(url: str) -> str:
    record = (data_dir() / "sources" / "mot" / "models" / "Amber.yml").read_text(encoding="utf-8")
    record = record.replace("https://github.com/LLM360/amber-train", f"{url}/repo")
    return record.replace("https://huggingface.co/LLM360/Amber", f"{url}/hf")


def _epoch_csv(url: str) -> str:
    real = data_dir() / "sources" / "epoch" / "data" / "ai_models" / "notable_ai_models.csv"
    header = real.read_text(encoding="utf-8-sig").splitlines()[0]
    columns = header.split(",")
    row = dict.fromkeys(columns, "")
    row.update(
        {
            "Model": "Evil-1",
            "Organization": "Evil",
            "Publication date": "2024-01-01",
            "Link": f"{url}/paper",
            "Model accessibility": "Open weights (unrestricted)",
        }
    )
    return header + "\n" + ",".join(row[c] for c in columns) + "\n"


def _hf_cards(root: Path, url: str) -> Path:
    root.mkdir()
    (root / "evil__model.md").write_text(_card(url), encoding="utf-8")
    (root / "evil__aliases.md").write_text(f"---\n{yaml_alias_bomb()}---\n# card\n", encoding="utf-8")
    (root / "evil__deep.md").write_text(f"---\n{DEEP_YAML}---\n", encoding="utf-8")
    return root


def _mot(root: Path, url: str) -> Path:
    models = root / "models"
    models.mkdir(parents=True)
    (models / "Amber.yml").write_text(_mot_record(url), encoding="utf-8")
    (models / "Aliases.yml").write_text(yaml_alias_bomb(), encoding="utf-8")
    (models / "Deep.yml").write_text(DEEP_YAML, encoding="utf-8")
    sparse_file(models / "Huge.yml", HUGE, b"release:\n")
    return root


@pytest.mark.parametrize("source", ["hf-card", "mot"])
def test_yaml_catalogues_make_no_request_and_reject_bombs(
    cli,
    listener: Listener,
    tmp_path: Path,
    source: str,
) -> None:
    path = (_hf_cards if source == "hf-card" else _mot)(tmp_path / source, listener.url)
    result = cli("import", source, str(path), timeout=120)
    output = " ".join((result.stdout + result.stderr).split())
    print(
        f"openness import {source}: exit {result.returncode}, {result.seconds:.2f} s, {result.peak_mb:.0f} MB"
    )
    listener.assert_untouched(f"openness import {source}")
    assert "Traceback" not in result.stderr, result.stderr
    assert "alias limit" in output and "nesting-depth limit" in output, output
    if source == "mot":
        assert "Huge.yml" in output and "size limit" in output, output
    assert result.peak_mb < MAX_MB


def test_a_catalogue_schema_never_fetches_a_reference(cli, listener: Listener, tmp_path: Path) -> None:
    """MOT ships a JSON Schema with its records; jsonschema would fetch a ``$ref`` to a web address."""
    root = _mot(tmp_path / "mot", listener.url)
    (root / "schema").mkdir()
    schema = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$ref": f"{listener.url}/schema.json",
    }
    (root / "schema" / "mof_schema.json").write_text(json.dumps(schema), encoding="utf-8")
    result = cli("import", "mot", str(root), timeout=120)
    output = " ".join((result.stdout + result.stderr).split())
    listener.assert_untouched("openness import mot with a remote $ref in its schema")
    assert "Traceback" not in result.stderr, result.stderr
    assert result.returncode == 1 and "mof_schema.json" in output and "remote-reference limit" in output, (
        output
    )


def test_csv_catalogue_makes_no_request(cli, listener: Listener, tmp_path: Path) -> None:
    csv = tmp_path / "notable_ai_models.csv"
    csv.write_text(_epoch_csv(listener.url), encoding="utf-8")
    result = cli("import", "epoch", str(csv), timeout=120)
    listener.assert_untouched("openness import epoch")
    assert "Traceback" not in result.stderr, result.stderr


@pytest.mark.parametrize("source", ["hf-card", "epoch"])
def test_a_card_or_table_over_the_size_limit_is_refused_unread(cli, tmp_path: Path, source: str) -> None:
    if source == "hf-card":
        path = sparse_file(tmp_path / "huge__card.md", HUGE, b"---\nlicense: mit\n---\n")
    else:
        header = _epoch_csv("http://127.0.0.1:9").splitlines()[0].encode() + b"\n"
        path = sparse_file(tmp_path / "notable_ai_models.csv", HUGE, header)
    result = cli("import", source, str(path), timeout=120)
    output = " ".join((result.stdout + result.stderr).split())
    assert "size limit" in output and f"{MAX_CATALOGUE_FILE_BYTES:,}" in output and path.name in output, (
        output
    )
    assert "Traceback" not in result.stderr, result.stderr
    assert result.peak_mb < MAX_MB


def _measured(read) -> tuple[object, float, float]:
    """(value, seconds, peak MB of Python allocations): timed on a plain run, memory on a second
    run under tracemalloc (which slows Python down too much to time it)."""
    started = time.monotonic()
    value = read()
    seconds = time.monotonic() - started
    tracemalloc.start()
    try:
        read()
        peak = tracemalloc.get_traced_memory()[1] / 2**20
    finally:
        tracemalloc.stop()
    return value, seconds, peak


@pytest.mark.parametrize("bomb", ["aliases", "deep"])
def test_the_record_readers_refuse_yaml_bombs_fast_and_small(tmp_path: Path, bomb: str) -> None:
    text = yaml_alias_bomb() if bomb == "aliases" else DEEP_YAML
    limit = "alias limit" if bomb == "aliases" else "nesting-depth limit"
    record = tmp_path / f"{bomb}.yml"
    record.write_text(text, encoding="utf-8")
    report = ImportReport(source="mot", version="test", path=str(tmp_path))
    value, seconds, peak = _measured(lambda: load_yaml_record(record, report))
    assert value is None and report.rejected and limit in str(report.rejected[0])
    assert seconds < MAX_SECONDS and peak < MAX_MB
    card = tmp_path / f"evil__{bomb}.md"
    card.write_text(f"---\n{text}---\n", encoding="utf-8")
    (meta, error, _line), seconds, peak = _measured(lambda: front_matter(card))
    assert meta is None and limit in str(error)
    assert seconds < MAX_SECONDS and peak < MAX_MB
