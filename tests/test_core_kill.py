"""A process killed (SIGKILL) while writing a large batch leaves the store exactly as it was.

The child process ingests a large generated batch into an on-disk store through the real
``ingest_graph`` and prints each stage; the parent kills it at several points after "writing"
(inside the single SPARQL Update that writes the batch), then reopens the store.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from openness import mint
from openness.gate import ingest_graph
from openness.store import OxigraphStore
from rdflib import Graph

CHILD = textwrap.dedent(
    """
    import sys
    from rdflib import Graph, Literal, URIRef
    from openness.gate import ingest_batches
    from openness.ingest import Batch
    from openness.store import OxigraphStore

    store = OxigraphStore(sys.argv[1])
    g = Graph()
    for i in range(int(sys.argv[2])):
        g.add((URIRef(f"https://w3id.org/openness/id/bulk/s{i % 5000}"), URIRef("https://example.org/p"),
               Literal(f"value {i}")))
    batch = Batch(URIRef("https://w3id.org/openness/id/graph/bulk"), g, "bulk")

    def hook(stage, detail):
        print(stage, detail, flush=True)

    ingest_batches(store, [batch], validate_batches=False, progress=hook)
    store.close()
    print("finished", flush=True)
    """
)


@pytest.mark.slow
@pytest.mark.parametrize("delay", [0.3, 1.0, 1.8])
def test_sigkill_during_ingest_leaves_store_unchanged(
    tmp_path: Path, examples_dir: Path, delay: float
) -> None:
    path = tmp_path / "store"
    store = OxigraphStore(path)
    example = Graph().parse(examples_dir / "report-spectrum.ttl")
    ingest_graph(store, example, graph_iri=mint.graph_iri("test", "before"), source_label="before")
    before = store.count()
    graphs_before = store.graph_names()
    store.close()
    del store  # release the lock for the child

    script = tmp_path / "child.py"
    script.write_text(CHILD)
    child = subprocess.Popen(
        [sys.executable, str(script), str(path), "120000"],
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ},
    )
    assert child.stdout is not None
    lines = []
    for line in child.stdout:
        lines.append(line)
        if line.startswith("writing"):
            break
    assert lines and lines[-1].startswith("writing"), lines
    time.sleep(delay)
    child.send_signal(signal.SIGKILL)
    rest = child.stdout.read()
    child.wait(timeout=30)
    assert child.returncode == -signal.SIGKILL
    assert "finished" not in rest, "the write finished before the kill: make the batch larger"

    reopened = OxigraphStore(path)
    try:
        assert reopened.count() == before
        assert reopened.graph_names() == graphs_before
    finally:
        reopened.close()
