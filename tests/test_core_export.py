"""Export round trips: what `openness export` writes loads back into an identical store."""

from __future__ import annotations

from pathlib import Path

import pytest
from clisupport import RunCli
from openness.export import load_export
from openness.store import OxigraphStore
from rdflib import Dataset, Graph
from rdflib.compare import isomorphic

EXAMPLE_FILES = ("report-spectrum.ttl", "primary-evidence.ttl")


def _graphs(store: OxigraphStore) -> dict[str, Graph]:
    return {name: store.get_graph(name) for name in store.graph_names()}


@pytest.fixture
def loaded_store(run_cli: RunCli, tmp_path: Path, examples_dir: Path) -> Path:
    store = tmp_path / "original"
    result = run_cli("--store", str(store), "load", *(str(examples_dir / f) for f in EXAMPLE_FILES))
    assert result.returncode == 0, result.stderr
    return store


@pytest.mark.parametrize("fmt", ["jsonld", "nq", "trig"])
def test_dataset_formats_keep_named_graphs(
    run_cli: RunCli, loaded_store: Path, tmp_path: Path, fmt: str
) -> None:
    out = tmp_path / f"dump.{fmt}"
    result = run_cli("--store", str(loaded_store), "export", "--format", fmt, "--out", str(out))
    assert result.returncode == 0, result.stderr
    original = OxigraphStore(loaded_store, read_only=True)
    copy = OxigraphStore(None)
    load_export(copy, out, fmt)
    before, after = _graphs(original), _graphs(copy)
    # every named graph comes back: the two files, the vocabulary and the derived layer
    assert sorted(before) == sorted(after)
    assert sum("/graph/file/" in g for g in before) == 2 and any("/graph/derived/" in g for g in before)
    for name, graph in before.items():
        assert isomorphic(graph, after[name]), name
    assert copy.count() == original.count()


@pytest.mark.parametrize("fmt", ["ttl", "nt", "rdfxml"])
def test_graph_formats_give_the_union(run_cli: RunCli, loaded_store: Path, tmp_path: Path, fmt: str) -> None:
    result = run_cli("--store", str(loaded_store), "export", "--format", fmt)  # to stdout
    assert result.returncode == 0, result.stderr
    parser = {"ttl": "turtle", "nt": "nt", "rdfxml": "xml"}[fmt]
    exported = Graph().parse(data=result.stdout, format=parser)
    original = OxigraphStore(loaded_store, read_only=True)
    union = Graph()
    for graph in _graphs(original).values():
        union += graph
    assert len(union) > 500
    assert isomorphic(exported, union)


def test_jsonld_export_parses_in_rdflib(run_cli: RunCli, loaded_store: Path) -> None:
    """An independent parser (rdflib) reads the JSON-LD export with its named graphs."""
    result = run_cli("--store", str(loaded_store), "export", "--format", "jsonld")
    assert result.returncode == 0, result.stderr
    ds = Dataset()
    ds.parse(data=result.stdout, format="json-ld")
    names = {str(g.identifier) for g in ds.graphs() if len(g)}
    assert any(n.endswith("/graph/file/report-spectrum-ttl") for n in names), names
