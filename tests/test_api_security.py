"""Security of the SPARQL endpoint against a real server process with a 2 s query timeout.

Each hostile query is refused or stopped within the timeout plus one second, while a simple query
sent at the same time answers in under one second. The data is big enough that the slow queries
really are slow (each runs for minutes when nothing stops it: checked in
``test_the_slow_queries_are_really_slow``).
"""

from __future__ import annotations

import socket
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pyoxigraph as ox
import pytest
from openness.api.pool import Worker
from server_fixtures import ServerProcess, build_store, free_port

pytestmark = [pytest.mark.server, pytest.mark.slow]

TIMEOUT = 2.0
CHAIN = 4000  # <urn:n0> <urn:p> <urn:n1> ... : a path query over it visits CHAIN² pairs
LONG_TEXTS = 300  # literals of 20 000 "a" and a "!", for the regex

CARTESIAN_COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
CARTESIAN = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
PATH = "SELECT (COUNT(*) AS ?n) WHERE { ?s (<urn:p>|^<urn:p>)* ?o }"
REGEX = 'SELECT (COUNT(*) AS ?n) WHERE { ?s <urn:text> ?t FILTER REGEX(?t, "(a+)+$") }'
ORDERED_CARTESIAN = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f } ORDER BY ?c ?f"
SIMPLE = "SELECT ?o WHERE { <urn:n10> <urn:p> ?o }"


def big_quads() -> list[ox.Quad]:
    graph = ox.NamedNode("https://w3id.org/openness/id/graph/test/big")
    p, text = ox.NamedNode("urn:p"), ox.NamedNode("urn:text")
    quads = [
        ox.Quad(ox.NamedNode(f"urn:n{i}"), p, ox.NamedNode(f"urn:n{i + 1}"), graph) for i in range(CHAIN)
    ]
    quads += [
        ox.Quad(ox.NamedNode(f"urn:s{i}"), text, ox.Literal("a" * 20_000 + "!"), graph)
        for i in range(LONG_TEXTS)
    ]
    return quads


def make_big_store(folder: Path) -> Path:
    nq = folder / "big.nq"
    nq.write_bytes(ox.serialize(big_quads(), format=ox.RdfFormat.N_QUADS) or b"")
    return build_store(folder / "store", files=[], raw=[nq])


@pytest.fixture(scope="module")
def big_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_big_store(tmp_path_factory.mktemp("security"))


@pytest.fixture(scope="module")
def server(server_factory, big_store: Path) -> ServerProcess:
    return server_factory(big_store, timeout=TIMEOUT, max_rows=1000, max_concurrent=5)


def ask(base: str, query: str, **headers: str) -> tuple[httpx.Response, float]:
    started = time.monotonic()
    resp = httpx.post(f"{base}/sparql", data={"query": query}, headers=headers, timeout=60)
    return resp, time.monotonic() - started


def worker_request(store: Path, query: str) -> dict[str, object]:
    """A worker's query request on ``store`` opened as snapshot generation 1."""
    return {
        "op": "query",
        "query": query,
        "generation": 1,
        "snapshot": str(store),
        "results_media_type": "application/sparql-results+json",
        "rdf_media_type": None,
        "max_rows": 10,
        "max_bytes": 1_000_000,
        "max_depth": 128,
    }


def wait_until_idle(base: str, slots: int = 5) -> None:
    """Killed workers are replaced in the background: wait until every slot answers again."""
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        with ThreadPoolExecutor(slots) as pool:
            codes = list(pool.map(lambda _: ask(base, SIMPLE)[0].status_code, range(slots)))
        if all(c == 200 for c in codes):
            return
        time.sleep(0.3)
    raise AssertionError("the server did not get its query slots back")


class Listener:
    """A TCP listener on 127.0.0.1 that records whether anything connected to it."""

    def __init__(self) -> None:
        self.port = free_port()
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", self.port))
        self.sock.listen(5)
        self.sock.settimeout(0.2)
        self.connections = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            self.connections += 1
            conn.close()

    def close(self) -> None:
        self._stop.set()
        self._thread.join(2)
        self.sock.close()


# --------------------------------------------------------------------------- refused outright


@pytest.mark.parametrize(
    "template",
    [
        "SELECT * WHERE {{ SERVICE <http://127.0.0.1:{port}/sparql> {{ ?s ?p ?o }} }}",
        "select * where {{ service silent <http://127.0.0.1:{port}/> {{ ?s ?p ?o }} }}",
        "SELECT * WHERE {{ SERVICE#sneaky\n<http://localhost:{port}/> {{ ?s ?p ?o }} }}",
        "PREFIX x: <http://127.0.0.1:{port}/> SELECT * WHERE {{ SERVICE x:sparql {{ ?s ?p ?o }} }}",
    ],
)
def test_service_to_a_local_address_is_refused_and_never_called(server: ServerProcess, template: str) -> None:
    listener = Listener()
    try:
        resp, seconds = ask(server.url, template.format(port=listener.port))
        time.sleep(0.3)
        assert resp.status_code == 403, resp.text
        assert "SERVICE" in resp.text
        assert seconds < TIMEOUT + 1
        assert listener.connections == 0
    finally:
        listener.close()


def test_load_is_refused(server: ServerProcess) -> None:
    as_query, _ = ask(server.url, "LOAD <file:///etc/passwd>")
    assert as_query.status_code == 403 and "LOAD" in as_query.text
    as_update = httpx.post(
        f"{server.url}/sparql", data={"update": "LOAD <file:///etc/passwd> INTO GRAPH <urn:x>"}, timeout=30
    )
    assert as_update.status_code == 403  # updates are not enabled on this server at all
    direct = httpx.post(
        f"{server.url}/sparql",
        content=b"LOAD <http://127.0.0.1:1/x>",
        headers={"Content-Type": "application/sparql-update"},
        timeout=30,
    )
    assert direct.status_code == 403


@pytest.mark.parametrize(
    "template",
    [
        "SELECT * FROM <file:///etc/passwd> WHERE {{ ?s ?p ?o }}",
        "SELECT * FROM NAMED <file:///etc/passwd> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}",
        "PREFIX f: <file:///etc/> SELECT * FROM f:passwd WHERE {{ ?s ?p ?o }}",
        "BASE <file:///etc/> SELECT * FROM <passwd> WHERE {{ ?s ?p ?o }}",
        "SELECT * FROM <http://127.0.0.1:{port}/data.ttl> WHERE {{ ?s ?p ?o }}",
        "SELECT * FROM NAMED <http://127.0.0.1:{port}/data.ttl> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}",
    ],
)
def test_from_outside_the_store_is_an_empty_graph_never_fetched(server: ServerProcess, template: str) -> None:
    """SPARQL 1.1 Protocol: a dataset graph the store lacks is empty; the endpoint never reads files
    or the network to fill it."""
    listener = Listener()
    try:
        resp, _ = ask(server.url, template.format(port=listener.port))
        time.sleep(0.3)
        assert resp.status_code == 200, resp.text
        assert resp.json()["results"]["bindings"] == []
        assert "root:" not in resp.text
        assert listener.connections == 0
    finally:
        listener.close()


def test_graph_store_does_not_read_files(server: ServerProcess) -> None:
    resp = httpx.get(f"{server.url}/sparql", params={"graph": "file:///etc/passwd"}, timeout=30)
    assert resp.status_code == 404 and "root:" not in resp.text


# --------------------------------------------------------------------------- stopped in time


def test_the_slow_queries_are_really_slow(big_store: Path) -> None:
    """Without the endpoint's timeout these queries run far longer than it (here: > 3 × timeout)."""
    for query in (CARTESIAN_COUNT, PATH):
        worker = Worker()
        try:
            started = time.monotonic()
            with pytest.raises(Exception, match="QueryTimeout|^$"):
                worker.call(worker_request(big_store, query), 3 * TIMEOUT)
            assert time.monotonic() - started >= 3 * TIMEOUT
        finally:
            worker.kill()


def test_hostile_queries_stop_in_time_while_a_simple_query_answers(server: ServerProcess) -> None:
    wait_until_idle(server.url)
    hostile = {"cartesian count": CARTESIAN_COUNT, "cartesian": CARTESIAN, "path": PATH, "regex": REGEX}
    with ThreadPoolExecutor(len(hostile)) as pool:
        futures = {name: pool.submit(ask, server.url, q) for name, q in hostile.items()}
        time.sleep(0.5)  # they are running now
        simple, simple_seconds = ask(server.url, SIMPLE)
        results = {name: f.result() for name, f in futures.items()}
    print(
        f"simple query: {simple_seconds:.3f} s;",
        ", ".join(f"{n}: {r.status_code} in {t:.2f} s" for n, (r, t) in results.items()),
    )
    assert simple.status_code == 200 and simple.json()["results"]["bindings"][0]["o"]["value"] == "urn:n11"
    assert simple_seconds < 1.0, f"a simple query took {simple_seconds:.2f} s while hostile queries ran"
    for name, (resp, seconds) in results.items():
        assert seconds <= TIMEOUT + 1, f"{name} took {seconds:.2f} s"
        assert resp.status_code in (200, 504), f"{name}: {resp.status_code} {resp.text}"
    # The counting forms cannot finish: they were stopped, and say so.
    for name in ("cartesian count", "path"):
        resp = results[name][0]
        assert resp.status_code == 504 and "stopped after 2 s" in resp.text
    # The streaming cartesian product is cut at max_rows, and says so.
    cut = results["cartesian"][0]
    assert cut.status_code == 200 and cut.headers["x-openness-truncated"] == "true"
    assert len(cut.json()["results"]["bindings"]) == 1000 and cut.json()["truncated"] is True
    # Oxigraph's regex engine is linear (Rust regex): "(a+)+$" over long strings finishes quickly.
    assert results["regex"][0].status_code == 200


def test_ordered_cartesian_product_is_stopped(server: ServerProcess) -> None:
    wait_until_idle(server.url)
    resp, seconds = ask(server.url, ORDERED_CARTESIAN)
    assert resp.status_code == 504 and seconds <= TIMEOUT + 1


def test_a_busy_server_queues_then_answers(server: ServerProcess) -> None:
    """Every slot busy with a query that runs to the timeout: a simple query waits in the queue
    (the queue deadline is longer than the timeout) and is answered, not refused."""
    wait_until_idle(server.url)
    with ThreadPoolExecutor(5) as pool:
        busy = [pool.submit(ask, server.url, CARTESIAN_COUNT) for _ in range(5)]
        time.sleep(0.7)
        answered, seconds = ask(server.url, SIMPLE)
        [f.result() for f in busy]
    assert answered.status_code == 200, answered.text
    assert seconds < TIMEOUT + 1.5
    assert float(answered.headers["x-openness-queue-seconds"]) > 0.5


def test_past_the_queue_deadline_a_query_gets_429_with_retry_after(server_factory, tmp_path: Path) -> None:
    store = make_big_store(tmp_path)
    impatient = server_factory(store, timeout=TIMEOUT, max_rows=1000, max_concurrent=2, queue_wait=0.5)
    with ThreadPoolExecutor(2) as pool:
        busy = [pool.submit(ask, impatient.url, CARTESIAN_COUNT) for _ in range(2)]
        time.sleep(0.7)
        refused, seconds = ask(impatient.url, SIMPLE)
        [f.result() for f in busy]
    assert refused.status_code == 429, refused.text
    assert 0.4 < seconds < 1.5
    assert int(refused.headers["retry-after"]) >= 1
    wait_until_idle(impatient.url, slots=2)
    assert ask(impatient.url, SIMPLE)[0].status_code == 200  # and the server recovers
    impatient.stop()


# --------------------------------------------------------------------------- defence in depth


def test_worker_has_no_network_even_if_service_got_through(big_store: Path) -> None:
    """Bypass the endpoint's checks: a process isolated the way every worker isolates itself at
    start (``isolate_network``) runs SERVICE and LOAD straight on Oxigraph, and cannot connect."""
    worker = Worker()
    try:
        if not worker.isolated:
            pytest.fail("the worker could not isolate itself from the network on this machine")
    finally:
        worker.kill()
    listener = Listener()
    program = (
        "import sys, pyoxigraph as ox\n"
        "from openness.api.worker import isolate_network\n"
        "assert isolate_network()\n"
        f"store = ox.Store.read_only({str(big_store)!r})\n"
        "for run in (lambda: list(store.query(sys.argv[1])), lambda: ox.Store().update(sys.argv[2])):\n"
        "    try:\n"
        "        run()\n"
        "    except Exception as err:\n"
        "        print(type(err).__name__, err)\n"
    )
    try:
        url = f"http://127.0.0.1:{listener.port}/"
        done = subprocess.run(
            [sys.executable, "-c", program, f"SELECT * WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}",
             f"LOAD <{url}x.ttl>"],
            capture_output=True, text=True, timeout=60,
        )
        time.sleep(0.3)
        assert done.returncode == 0, done.stderr
        assert listener.connections == 0
    finally:
        listener.close()
