# ruff: noqa: E501  (long SPARQL, Turtle and report lines)
"""Writes to a remote store are transactional per batch: a server killed mid-load keeps nothing of it.

Why: the write gate sends each commit (the batch's named graphs, their default-graph mirror, the
derive rules for what it touched) as ONE SPARQL Update request, and Oxigraph applies one request
in one transaction. A server that dies while applying it (SIGKILL: no shutdown, no flush) must
come back with the store exactly as it was before the batch — no partial named graph, no half of
the default-graph mirror, no derived data of the batch — and take the same batch again.
"""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest
from openness import gate
from openness.ingest import Batch
from openness.namespaces import OG, derived_graph_base
from openness.store import SparqlStore, StoreError
from rdflib import Graph, URIRef
from test_core_remote import OxigraphServer, free_port

pytestmark = pytest.mark.server

DERIVED = derived_graph_base()
BATCH_GRAPH = "https://w3id.org/openness/id/graph/test/remote-kill/"


def claims_batch(releases: int, tag: str) -> list[Batch]:
    """``releases`` releases with six spectrum claims each (two claimants that partly disagree),
    one named graph per release, like an importer's per-record graphs."""
    batches = []
    for i in range(releases):
        r = f"https://w3id.org/openness/id/release/kill-{tag}-{i}"
        lines = [f"<{r}> a og:ModelRelease ; rdfs:label \"kill test {tag} {i}\" ; og:developerUnknown true ; "
                 "og:releaseDateUnknown true ."]
        for j, crit in enumerate(("Code", "Weights", "Access", "InputTransparency", "DownstreamTransparency", "License")):
            for who in ("a", "b"):
                c = f"<https://w3id.org/openness/id/claim/kill-{tag}-{i}-{j}-{who}>"
                e = f"<https://w3id.org/openness/id/evidence/kill-{tag}-{i}-{j}-{who}>"
                status = ("Open", "Partial", "Closed")[(i + j + (who == "b")) % 3]
                lines.append(f"{c} a og:Claim ; og:about <{r}> ; og:criterion spectrum:{crit} ; og:status og:{status} ; "
                             f"og:claimant <https://w3id.org/openness/id/agent/kill-claimant-{who}> ; "
                             f"og:assertedOn \"2025-0{1 + (who == 'b')}-01\"^^xsd:date ; og:standing og:Asserted ; og:evidence {e} .")
                lines.append(f"{e} a og:Evidence ; og:sourceIRI <https://example.org/kill/{i}/{j}> ; "
                             "og:retrievedOn \"2025-01-01\"^^xsd:date ; og:evidenceKind og:SecondaryEvidence .")
        text = ("@prefix og: <https://w3id.org/openness/ns#> . @prefix spectrum: <https://w3id.org/openness/spectrum#> .\n"
                "@prefix xsd: <http://www.w3.org/2001/XMLSchema#> . @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
                + "\n".join(lines))
        for who in ("a", "b"):
            text += f"\n<https://w3id.org/openness/id/agent/kill-claimant-{who}> a og:Organization ; rdfs:label \"claimant {who}\" ."
        batches.append(Batch(URIRef(f"{BATCH_GRAPH}{tag}/{i}"), Graph().parse(data=text, format="turtle"), f"kill {tag} {i}"))
    return batches


def snapshot(store: SparqlStore) -> tuple[list[str], int, int]:
    """Named graphs, quads in them, triples in the default graph."""
    default = store.select("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
    return store.graph_names(), store.count(), int(default[0]["n"])


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / 100.0  # utime + stime, in clock ticks of 1/100 s


class Sending(SparqlStore):
    """A SparqlStore that says when the gate hands its update to the server."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.sending = threading.Event()

    def update(self, update: str) -> None:
        if len(update) > 100_000:  # the batch's commit, not a small bookkeeping update
            self.sending.set()
        super().update(update)


def test_a_batch_killed_mid_load_leaves_nothing_and_loads_again(tmp_path: Path) -> None:
    server = OxigraphServer(tmp_path / "db", free_port()).start()
    try:
        store = server.store()
        gate.commit(store, gate.Change(batches=claims_batch(3, "before"), label="before"))
        before = snapshot(store)
        assert any(g.startswith(DERIVED) for g in before[0])  # derived data exists before the batch
        store.close()

        # the batch: big enough that the server works on its one update for a while
        batch = claims_batch(600, "killed")
        sender = Sending(f"{server.url}/query", f"{server.url}/update", timeout=600)
        failure: list[BaseException] = []

        def commit() -> None:
            try:
                gate.commit(sender, gate.Change(batches=batch, label="killed"), validate=False)
            except BaseException as err:
                failure.append(err)

        thread = threading.Thread(target=commit)
        thread.start()
        assert sender.sending.wait(timeout=300), "the gate never sent its update"
        assert server.proc is not None
        start = cpu_seconds(server.proc.pid)
        deadline = time.monotonic() + 120
        while cpu_seconds(server.proc.pid) - start < 0.5:  # the server is applying the update
            assert thread.is_alive(), "the update finished before the server could be killed: make the batch bigger"
            assert time.monotonic() < deadline, "the server never started on the update"
            time.sleep(0.02)
        assert thread.is_alive()
        server.kill()
        thread.join(timeout=120)
        assert failure and isinstance(failure[0], StoreError), failure  # the client was told
        sender.close()

        server.start()  # the same directory, a new process
        store = server.store()
        assert snapshot(store) == before  # nothing of the batch: no graph, no mirror, no derived data
        assert not store.ask(f"ASK {{ GRAPH ?g {{ ?s ?p ?o }} FILTER(STRSTARTS(STR(?g), \"{BATCH_GRAPH}killed\")) }}")
        assert not store.ask("ASK { <https://w3id.org/openness/id/claim/kill-killed-0-0-a> ?p ?o }")
        assert not store.ask(f"ASK {{ GRAPH ?g {{ ?a <{OG.assessedRelease}> <https://w3id.org/openness/id/release/kill-killed-0> }} }}")

        # and the same batch goes in whole afterwards
        small = claims_batch(20, "killed")
        gate.commit(store, gate.Change(batches=small, label="again"))
        graphs, _, _ = snapshot(store)
        assert sum(1 for g in graphs if g.startswith(f"{BATCH_GRAPH}killed/")) == 20
        assert store.ask(f"ASK {{ GRAPH <{DERIVED}assessments> {{ ?a <{OG.assessedRelease}> "
                         "<https://w3id.org/openness/id/release/kill-killed-0> } }")
        store.close()
    finally:
        server.stop()
