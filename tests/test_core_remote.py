# ruff: noqa: E501  (long SPARQL, Turtle and report lines)
"""The integration path against both stores: the embedded one and a real Oxigraph server.

Why: a user who outgrows one machine points ``--store`` at an external SPARQL 1.1 store and every
command, rule and read keeps working (issue 14). The server is the PyPI package ``oxigraph``,
started on 127.0.0.1 by the fixture below **without** ``--union-default-graph``: the product keeps
the default graph itself as the merge of the source graphs (every write mirrors them) and reads
derived data with explicit ``GRAPH`` patterns (docs/derived-layer.md), so the server's plain
SPARQL 1.1 dataset is what it needs.

Each scenario runs on both stores through the same code (the ``stores`` fixture gives an embedded
store and a remote one loaded the same way) and must give the same answers: the write gate
(validation with the neighbourhood, one update per commit, the derive rules), stored verdicts of
every framework, trace, disagreements, open-washing, whole-store validation, re-derivation,
corrections, the CLI with ``--store URL``, and dumps.
"""

from __future__ import annotations

import re
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from openness import derive, gate
from openness.gate import ingest_files
from openness.ingest import IngestError, file_graph_iri
from openness.namespaces import OG, derived_graph_base
from openness.rules.openwashing import openwashing
from openness.rules.trace import trace
from openness.store import OxigraphStore, SparqlStore, Store, open_store
from openness.validation import validate_store
from openness.verdicts import read
from rdflib import Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import PROV

pytestmark = pytest.mark.server

DERIVED = derived_graph_base()


# --------------------------------------------------------------------------- the server


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def oxigraph_executable() -> str:
    candidate = Path(sys.executable).parent / "oxigraph"
    found = str(candidate) if candidate.is_file() else shutil.which("oxigraph")
    if not found:
        raise RuntimeError("the oxigraph server is not installed: pip install oxigraph (it is in the test extra)")
    return found


@dataclass
class OxigraphServer:
    """One ``oxigraph serve`` process on a directory; can be killed and started again on it."""

    location: Path
    port: int
    proc: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> OxigraphServer:
        # no --union-default-graph: the product keeps the default graph itself (see the module docstring)
        self.proc = subprocess.Popen(
            [oxigraph_executable(), "serve", "--location", str(self.location), "--bind", f"127.0.0.1:{self.port}"],
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
        )
        deadline = time.monotonic() + 30
        while True:
            try:
                httpx.get(f"{self.url}/query", params={"query": "ASK {}"}, timeout=1)
                return self
            except httpx.TransportError as err:
                if self.proc.poll() is not None or time.monotonic() > deadline:
                    stderr = self.proc.stderr.read().decode() if self.proc.stderr and self.proc.poll() is not None else ""
                    raise RuntimeError(f"oxigraph server did not start: {stderr}") from err
                time.sleep(0.1)

    def kill(self) -> None:
        """SIGKILL: no shutdown, no flush (what a crash or a pulled plug does)."""
        if self.proc is not None and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(timeout=10)

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.kill()

    def store(self, timeout: float = 120.0) -> SparqlStore:
        return SparqlStore(f"{self.url}/query", f"{self.url}/update", timeout=timeout)


@pytest.fixture
def oxigraph_server(tmp_path: Path) -> Iterator[OxigraphServer]:
    """A fresh Oxigraph server on a free local port (default graph NOT the union of the graphs)."""
    server = OxigraphServer(tmp_path / "server-db", free_port()).start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def remote(oxigraph_server: OxigraphServer) -> Iterator[SparqlStore]:
    store = oxigraph_server.store()
    yield store
    store.close()


@pytest.fixture
def stores(remote: SparqlStore, examples_dir: Path) -> dict[str, Store]:
    """The bundled examples loaded through the gate into an embedded store and a remote one."""
    files = sorted(examples_dir.glob("*.ttl"))
    local = OxigraphStore(None)
    for store in (local, remote):
        report = ingest_files(store, files)
        assert report.validation.conforms
    return {"embedded": local, "remote": remote}


def verdict_table(store: Store) -> dict[tuple[str, str], tuple[str, str, frozenset[str]]]:
    return {(v.framework, str(v.release)): (v.label, v.reason, frozenset(map(str, v.used)))
            for v in read(store, claims=True)}


# --------------------------------------------------------------------------- both stores, same answers


def test_the_gate_writes_the_same_graphs_and_a_set_default_graph_on_both(stores: dict[str, Store],
                                                                       examples_dir: Path) -> None:
    local, remote = stores["embedded"], stores["remote"]
    assert remote.graph_names() == local.graph_names()
    assert remote.count() == local.count() > 0
    assert any(g.startswith(DERIVED) for g in remote.graph_names())  # the rules ran on the server
    # the server's default graph is exactly the merge (a set) of the source graphs
    merge = remote.select(f'SELECT (COUNT(*) AS ?n) WHERE {{ SELECT DISTINCT ?s ?p ?o WHERE {{ GRAPH ?g {{ ?s ?p ?o }} '
                          f'FILTER(!STRSTARTS(STR(?g), "{DERIVED}")) }} }}')
    default = remote.select("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
    assert int(default[0]["n"]) == int(merge[0]["n"]) > 0
    # one graph, triple for triple, apart from the ingest times
    graph = str(file_graph_iri(sorted(examples_dir.glob("*.ttl"))[-1]))
    a, b = remote.get_graph(graph), local.get_graph(graph)
    for g in (a, b):
        g.remove((None, PROV.startedAtTime, None))
        g.remove((None, PROV.endedAtTime, None))
    assert isomorphic(a, b)


def test_stored_verdicts_trace_disagreements_and_openwashing_are_the_same(stores: dict[str, Store]) -> None:
    local, remote = stores["embedded"], stores["remote"]
    on_local, on_remote = verdict_table(local), verdict_table(remote)
    assert on_remote == on_local
    releases = {str(r["r"]) for r in local.select(f"SELECT ?r WHERE {{ ?r a <{OG.ModelRelease}> }}")}
    assert {r for fw, r in on_remote if fw == "spectrum"} == releases  # every release judged, remotely too
    def chain(store: Store, release: str) -> list[dict[str, object]]:
        # the run (derivation activity) and its time differ between the two derivations
        return [{k: v for k, v in a.items() if k not in ("assessedOn", "run")} for a in trace(store, URIRef(release))]

    for release in sorted(releases)[:3]:
        assert chain(remote, release) == chain(local, release)
        assert any(a["claims"] for a in chain(remote, release))
    def rows(store: Store, file: str) -> list[dict[str, str]]:
        return sorted(({k: str(v) for k, v in r.items()} for r in derive.run_query(store, file)), key=str)

    assert rows(remote, "disagreements.rq") == rows(local, "disagreements.rq")
    assert rows(remote, "disagreements.rq")  # the examples do disagree (curators against the report)
    def unordered(rows: list[dict[str, object]]) -> list[dict[str, object]]:
        # GROUP_CONCAT lists its values in no defined order (SPARQL 1.1, 18.5.1.7): compare words
        return [{k: sorted(re.split(r"[\s,()]+", v)) if isinstance(v, str) else v for k, v in r.items()} for r in rows]

    assert unordered([o.flat() for o in openwashing(remote)]) == unordered([o.flat() for o in openwashing(local)])
    assert openwashing(remote)  # the examples hold a self-described open source release


def test_whole_store_validation_runs_on_the_server_with_the_same_results(stores: dict[str, Store]) -> None:
    local, remote = stores["embedded"], stores["remote"]
    on_remote, on_local = validate_store(remote), validate_store(local)
    assert on_remote.engine == on_local.engine == "compiled"  # the shape queries ran on the server

    def keys(report: object) -> list[tuple[str, ...]]:
        return sorted((str(r.focus_node), str(r.path), str(r.value), str(r.severity), str(r.message))
                      for r in report.results)  # type: ignore[attr-defined]

    assert keys(on_remote) == keys(on_local)
    assert on_remote.conforms


def test_a_refused_batch_changes_nothing_on_either_store(stores: dict[str, Store], tmp_path: Path) -> None:
    bad = tmp_path / "bad.ttl"
    bad.write_text("@prefix og: <https://w3id.org/openness/ns#> .\n"
                   "<https://w3id.org/openness/id/claim/remote-bad> a og:Claim ; og:status og:Open .\n")
    for store in stores.values():
        before = store.count()
        with pytest.raises(IngestError):
            ingest_files(store, [bad])
        assert store.count() == before


def test_a_correction_replaces_the_claim_and_moves_the_old_verdict_to_history(stores: dict[str, Store],
                                                                             tmp_path: Path) -> None:
    """Loading an edited file again replaces its graph (default graph kept a set) and re-derives
    only what it touched, the same way on both stores."""
    release = "https://w3id.org/openness/id/release/remote-test-model"
    text = """@prefix og: <https://w3id.org/openness/ns#> .
@prefix spectrum: <https://w3id.org/openness/spectrum#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
<{r}> a og:ModelRelease ; <http://www.w3.org/2000/01/rdf-schema#label> "Remote test model" ;
    og:developerUnknown true ; og:releaseDateUnknown true .
<https://w3id.org/openness/id/claim/remote-weights> a og:Claim ; og:about <{r}> ;
    og:criterion spectrum:Weights ; og:status og:{status} ;
    og:claimant <https://w3id.org/openness/id/agent/openness-graph-curators> ;
    og:assertedOn "2025-01-01"^^xsd:date ; og:standing og:Asserted ;
    og:evidence <https://w3id.org/openness/id/evidence/remote-weights> .
<https://w3id.org/openness/id/evidence/remote-weights> a og:Evidence ;
    og:sourceIRI <https://example.org/remote-test> ; og:retrievedOn "2025-01-01"^^xsd:date ;
    og:evidenceKind og:PrimaryEvidence .
"""
    path = tmp_path / "remote-test.ttl"
    labels = {}
    for status in ("Open", "Closed"):
        path.write_text(text.format(r=release, status=status))
        for name, store in stores.items():
            ingest_files(store, [path])
            labels[(name, status)] = {v.framework: v.label for v in read(store, releases=[release])}
    assert labels[("remote", "Open")] == labels[("embedded", "Open")]
    assert labels[("remote", "Closed")] == labels[("embedded", "Closed")]
    assert labels[("remote", "Open")]["spectrum"] != labels[("remote", "Closed")]["spectrum"]
    for store in stores.values():
        statuses = store.select(f"SELECT ?s WHERE {{ <https://w3id.org/openness/id/claim/remote-weights> <{OG.status}> ?s }}")
        assert [str(r["s"]) for r in statuses] == [str(OG.Closed)]  # the old triple left the default graph
        history = store.ask(f"ASK {{ GRAPH <{derive.CURRENT.graph('history')}> {{ ?a <{OG.assessedRelease}> <{release}> }} }}")
        assert history  # the replaced verdict is kept, not deleted


def test_a_full_rederivation_on_the_server_gives_the_same_verdicts(stores: dict[str, Store]) -> None:
    local, remote = stores["embedded"], stores["remote"]
    before = verdict_table(remote)
    report = gate.rederive(remote)
    assert report.releases is None  # every release
    assert verdict_table(remote) == before == verdict_table(local)


def test_the_cli_works_against_the_server(remote: SparqlStore, oxigraph_server: OxigraphServer, examples_dir: Path,
                                          run_cli) -> None:
    """``openness --store URL --update-url URL`` loads, classifies, traces and exports on the server."""
    url = f"{oxigraph_server.url}/query"
    env = {"OPENNESS_UPDATE_URL": f"{oxigraph_server.url}/update"}
    files = [str(p) for p in sorted(examples_dir.glob("*.ttl"))]
    loaded = run_cli("--store", url, "load", *files, env=env)
    assert loaded.returncode == 0, loaded.stderr
    classify = run_cli("--store", url, "classify", "--framework", "spectrum", "--format", "csv", env=env)
    assert classify.returncode == 0, classify.stderr
    rows = [line for line in classify.stdout.splitlines()[1:] if line.strip()]
    releases = remote.select(f"SELECT (COUNT(DISTINCT ?r) AS ?n) WHERE {{ ?r a <{OG.ModelRelease}> }}")
    assert len(rows) == int(releases[0]["n"]) > 0
    some = str(remote.select(f"SELECT ?r WHERE {{ GRAPH <{DERIVED}assessments> {{ ?a <{OG.assessedRelease}> ?r }} }} LIMIT 1")[0]["r"])
    traced = run_cli("--store", url, "trace", some, "--format", "json", env=env)
    assert traced.returncode == 0, traced.stderr
    assert some in traced.stdout
    dump = run_cli("--store", url, "export", "--format", "nq", env=env)
    assert dump.returncode == 0, dump.stderr
    assert "report-spectrum" in dump.stdout


def test_a_query_whose_comment_names_an_update_keyword_is_still_a_query(remote: SparqlStore) -> None:
    """SPARQLWrapper guesses the query form from keywords and can read them in comments; a rule
    whose header says "drops" must still go out as a query (it was sent as an update: 415)."""
    query = "# a rule header\n#   the count drops by one\nSELECT (1 AS ?one) {}"
    assert remote.select(query) == [{"one": Literal(1)}]
    assert b"one" in remote.query_raw(query, "application/sparql-results+json")


def test_open_store_gives_a_remote_store_for_an_url(oxigraph_server: OxigraphServer) -> None:
    store = open_store(f"{oxigraph_server.url}/query", update_url=f"{oxigraph_server.url}/update")
    assert isinstance(store, SparqlStore)
    assert store.count() == 0
    store.update("INSERT DATA { GRAPH <urn:x:g> { <urn:x:s> <urn:x:p> 1 } }")
    assert store.graph_names() == ["urn:x:g"]
    store.close()
