"""Crash-proof parsing and crash-proof workers, against a real server.

* Queries nested 5,000 and 50,000 levels deep, and an update with 10,000 nested blank nodes, get a
  400 that names the nesting-depth limit before any parser runs; the server and every one of its
  workers stay up (no worker is replaced: the pool answers with its first workers only).
* A worker killed while it runs a query: the read is retried once on another worker (200, right
  answer); when that one dies too, the answer is 503 with Retry-After — never 400.
"""

from __future__ import annotations

import os
import signal
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest
from server_fixtures import ServerProcess, build_store

pytestmark = pytest.mark.server
TOKEN = "crash-token"
WORKERS = 3
SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f }"  # seconds on the examples store


@pytest.fixture(scope="module")
def server(server_factory, tmp_path_factory: pytest.TempPathFactory) -> ServerProcess:
    store = build_store(tmp_path_factory.mktemp("crash") / "store")
    return server_factory(store, update_token=TOKEN, max_concurrent=WORKERS, timeout=60.0)


def nested_query(depth: int) -> str:
    return "SELECT * WHERE { FILTER(" + "(" * depth + "true" + ")" * depth + ") }"


def post_query(server: ServerProcess, query: str, timeout: float = 120) -> httpx.Response:
    return httpx.post(f"{server.url}/sparql", content=query.encode(),
                      headers={"Content-Type": "application/sparql-query",
                               "Accept": "application/sparql-results+json"}, timeout=timeout)


def workers_answering(server: ServerProcess) -> set[int]:
    seen: set[int] = set()
    for _ in range(20):
        with ThreadPoolExecutor(2 * WORKERS) as pool:
            for resp in pool.map(lambda _: post_query(server, "ASK { ?s ?p ?o }"), range(2 * WORKERS)):
                assert resp.status_code == 200, resp.text
                seen.add(int(resp.headers["x-openness-worker"]))
        if len(seen) >= WORKERS:
            break
    return seen


@pytest.mark.parametrize("depth", [5_000, 50_000])
def test_deeply_nested_query_is_refused_before_the_engine(server: ServerProcess, depth: int) -> None:
    started = time.monotonic()
    resp = post_query(server, nested_query(depth))
    assert resp.status_code == 400, resp.text
    assert "nesting-depth limit" in resp.text
    assert time.monotonic() - started < 5
    assert server.proc.poll() is None
    assert workers_answering(server) == set(range(1, WORKERS + 1))  # the first workers, none replaced


def test_nested_query_by_get_is_refused_too(server: ServerProcess) -> None:
    resp = httpx.get(f"{server.url}/sparql", params={"query": nested_query(5_000)}, timeout=60)
    assert resp.status_code == 400 and "nesting-depth limit" in resp.text


def test_update_with_10000_nested_blank_nodes_is_refused(server: ServerProcess) -> None:
    depth = 10_000
    inner = "<urn:p> [ " * depth + '<urn:p> "bottom"' + " ]" * depth
    update = f"INSERT DATA {{ GRAPH <https://w3id.org/openness/id/graph/test/deep> {{ <urn:s> {inner} }} }}"
    resp = httpx.post(f"{server.url}/sparql", content=update.encode(),
                      headers={"Content-Type": "application/sparql-update",
                               "Authorization": f"Bearer {TOKEN}"}, timeout=120)
    assert resp.status_code == 400, resp.text
    assert "nesting-depth limit" in resp.text
    assert server.proc.poll() is None
    assert workers_answering(server) == set(range(1, WORKERS + 1))
    absent = post_query(server, "ASK { GRAPH <https://w3id.org/openness/id/graph/test/deep> { ?s ?p ?o } }")
    assert absent.json()["boolean"] is False


# --------------------------------------------------------------------------- workers that die


def worker_pids(server: ServerProcess) -> list[int]:
    """The server's query worker processes (its children running openness.api.worker)."""
    pids = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            cmdline = (entry / "cmdline").read_bytes()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        if ppid == server.proc.pid and b"openness.api.worker" in cmdline:
            pids.append(int(entry.name))
    return pids


def cpu_ticks(pid: int) -> int:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0
    return int(fields[11]) + int(fields[12])


def kill_the_busy_worker(server: ServerProcess) -> int:
    """SIGKILL the worker that is using the CPU (the one running the slow query)."""
    before = {pid: cpu_ticks(pid) for pid in worker_pids(server)}
    time.sleep(0.5)
    busy = max(before, key=lambda pid: cpu_ticks(pid) - before[pid])
    os.kill(busy, signal.SIGKILL)
    return busy


def run_in_background(server: ServerProcess, query: str) -> tuple[threading.Thread, list[httpx.Response]]:
    out: list[httpx.Response] = []
    thread = threading.Thread(target=lambda: out.append(post_query(server, query, timeout=180)))
    thread.start()
    return thread, out


def test_a_worker_killed_mid_query_is_retried_once(server: ServerProcess) -> None:
    expected = post_query(server, SLOW).json()["results"]["bindings"][0]["n"]["value"]
    thread, out = run_in_background(server, SLOW)
    time.sleep(0.5)
    kill_the_busy_worker(server)
    thread.join()
    resp = out[0]
    assert resp.status_code == 200, resp.text
    assert resp.json()["results"]["bindings"][0]["n"]["value"] == expected
    assert server.proc.poll() is None


def test_a_read_whose_workers_keep_dying_gets_503_never_400(server: ServerProcess) -> None:
    thread, out = run_in_background(server, SLOW)
    time.sleep(0.5)
    kill_the_busy_worker(server)
    time.sleep(1.0)  # the retry runs on another worker
    kill_the_busy_worker(server)
    thread.join()
    resp = out[0]
    assert resp.status_code == 503, resp.text
    assert int(resp.headers["retry-after"]) >= 1
    assert server.proc.poll() is None
    # replacements start in the background: the pool is whole again soon
    deadline = time.monotonic() + 60
    while len(worker_pids(server)) < WORKERS and time.monotonic() < deadline:
        time.sleep(0.3)
    assert post_query(server, "ASK {}").status_code == 200
