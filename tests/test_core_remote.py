"""The same ingest and query code against a remote SPARQL 1.1 store (a real Oxigraph server)."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from openness.ingest import IngestError, file_graph_iri, ingest_files
from openness.namespaces import OG
from openness.store import OxigraphStore, SparqlStore, open_store
from rdflib import Literal
from rdflib.compare import isomorphic
from rdflib.namespace import PROV


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _oxigraph() -> str:
    candidate = Path(sys.executable).parent / "oxigraph"
    found = str(candidate) if candidate.is_file() else shutil.which("oxigraph")
    if not found:
        raise RuntimeError(
            "the oxigraph server is not installed: pip install oxigraph (it is in the test extra)"
        )
    return found


@pytest.fixture
def oxigraph_server(tmp_path: Path) -> Iterator[str]:
    """An Oxigraph server on a free local port, union default graph on; yields its base URL."""
    port = _free_port()
    proc = subprocess.Popen(
        [
            _oxigraph(),
            "serve",
            "--location",
            str(tmp_path / "server-db"),
            "--bind",
            f"127.0.0.1:{port}",
            "--union-default-graph",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                httpx.get(f"{base}/query", params={"query": "ASK {}"}, timeout=1)
                break
            except httpx.TransportError as err:
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(
                        f"oxigraph server did not start: {proc.stderr.read() if proc.stderr else ''}"
                    ) from err
                time.sleep(0.1)
        yield base
    finally:
        proc.terminate()
        proc.wait(timeout=10)


@pytest.mark.server
def test_ingest_and_query_through_sparql_protocol(
    oxigraph_server: str, examples_dir: Path, tmp_path: Path
) -> None:
    store = open_store(f"{oxigraph_server}/query", update_url=f"{oxigraph_server}/update")
    assert isinstance(store, SparqlStore)
    assert store.count() == 0
    paths = sorted(examples_dir.glob("*.ttl"))
    report = ingest_files(store, paths)
    assert report.validation.conforms

    # Same result as the embedded store given the same files.
    local = OxigraphStore(None)
    ingest_files(local, paths)
    assert store.count() == local.count()
    assert store.graph_names() == local.graph_names()
    graph = str(file_graph_iri(paths[-1]))
    remote_graph, local_graph = store.get_graph(graph), local.get_graph(graph)
    # Provenance times differ between the two runs; everything else is identical.
    for g in (remote_graph, local_graph):
        g.remove((None, PROV.startedAtTime, None))
        g.remove((None, PROV.endedAtTime, None))
    assert isomorphic(remote_graph, local_graph)

    rows = store.select(
        f"SELECT ?tier WHERE {{ ?c <{OG.criterion}> <{OG.SpectrumPlacement}> ; <{OG.claimedTier}> ?tier }}"
    )
    assert len(rows) == 7
    assert store.ask(f"ASK {{ ?r a <{OG.ModelRelease}> }}")

    # A refused batch changes nothing on the server either.
    before = store.count()
    bad = tmp_path / "bad.ttl"
    bad.write_text(
        "@prefix og: <https://w3id.org/openness/ns#> .\n"
        "<https://w3id.org/openness/id/claim/remote-bad> a og:Claim ; og:status og:Open .\n"
    )
    with pytest.raises(IngestError):
        ingest_files(store, [bad])
    assert store.count() == before

    # Dumps with named graphs work remotely too.
    assert b"report-spectrum" in store.dump("nq")


@pytest.mark.server
def test_rules_give_the_same_verdicts_on_a_remote_store(
    oxigraph_server: str, examples_dir: Path, tmp_path: Path
) -> None:
    """The brief's promise: the same code runs against an external SPARQL 1.1 store with nothing
    else changed. Every framework rule, and ``assess``, run through the SPARQL protocol give the
    verdicts they give on the embedded store."""
    from openness.rules.assess import assess
    from openness.rules.classify import classify_all

    files = sorted(examples_dir.glob("*.ttl"))
    remote = open_store(f"{oxigraph_server}/query", update_url=f"{oxigraph_server}/update")
    local = OxigraphStore(None)
    ingest_files(remote, files)
    ingest_files(local, files)

    def verdicts(store: object) -> dict[tuple[str, str], tuple[str, frozenset[str]]]:
        return {
            (key, str(v.release)): (v.label, frozenset(map(str, v.used)))
            for key, rows in classify_all(store).items()  # type: ignore[arg-type]
            for v in rows
        }

    on_remote, on_local = verdicts(remote), verdicts(local)
    assert on_remote == on_local
    spectrum = {release for key, release in on_remote if key == "spectrum"}
    releases = {str(r["r"]) for r in local.select(
        "SELECT ?r WHERE { ?r a <https://w3id.org/openness/ns#ModelRelease> }")}
    assert spectrum == releases  # every release got a spectrum verdict, remotely too
    report = assess(remote)
    assert report.written > 0
    stored = remote.select(
        "SELECT (COUNT(?a) AS ?n) WHERE { ?a a <https://w3id.org/openness/ns#Assessment> }"
    )
    assert int(stored[0]["n"]) == report.written


@pytest.mark.server
def test_a_query_whose_comment_names_an_update_keyword_is_still_a_query(oxigraph_server: str) -> None:
    """SPARQLWrapper guesses the query form from keywords and can read them in comments; a rule
    whose header says "drops" must still go out as a query (it was sent as an update: 415)."""
    store = open_store(f"{oxigraph_server}/query", update_url=f"{oxigraph_server}/update")
    # a rule header like mof-1.0.rq's: SPARQLWrapper alone takes this for a DROP update
    query = "# a rule header\n#   the count drops by one\nSELECT (1 AS ?one) {}"
    assert store.select(query) == [{"one": Literal(1)}]
    assert b"one" in store.query_raw(query, "application/sparql-results+json")
