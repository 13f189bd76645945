"""Deeply nested SPARQL is refused before it reaches the engine (docs/security.md, "Limits").

Oxigraph's SPARQL parser is recursive: a query or update nested a few thousand levels deep
overflows its stack and takes the process down (a query worker, or for an update the whole
server, which applies updates itself; the CLI for ``openness query``). The expected behaviour
(issue 10, "Crash-proof parsing"): queries nested 5,000 and 50,000 deep and an update nested
10,000 deep get 400 within 2 s, with a message naming the nesting limit, and the server and its
workers stay up; ``openness query`` exits 1 with the same message.

Each test gets a server that is running (a fresh one if an earlier bomb brought it down), so
one crash is reported once, not by every later test.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from security_helpers import MAX_MB, MAX_SECONDS, auth, peak_growth_mb, reset_peak, sparql_bombs
from server_fixtures import ServerProcess, build_store

pytestmark = [pytest.mark.server]

NESTING = re.compile(r"nest|depth", re.IGNORECASE)
QUERIES, UPDATES = sparql_bombs()


class _Servers:
    def __init__(self, factory, store: Path) -> None:
        self.factory, self.store = factory, store
        self.current: ServerProcess | None = None

    def running(self) -> ServerProcess:
        if self.current is None or self.current.proc.poll() is not None:
            self.current = self.factory(self.store, update_token="security-suite-token", timeout=5.0)
        return self.current


@pytest.fixture(scope="module")
def _servers(server_factory, tmp_path_factory: pytest.TempPathFactory) -> Iterator[_Servers]:
    yield _Servers(server_factory, build_store(tmp_path_factory.mktemp("sparql-bombs") / "store", files=[]))


@pytest.fixture
def server(_servers: _Servers) -> ServerProcess:
    return _servers.running()


def _alive(server: ServerProcess) -> bool:
    try:
        ok = httpx.post(f"{server.url}/sparql", data={"query": "ASK { }"}, timeout=30).status_code == 200
    except httpx.HTTPError:
        return False
    return ok and server.proc.poll() is None


def _send(server: ServerProcess, field: str, text: str) -> tuple[httpx.Response | None, float, float]:
    before = reset_peak(server.proc.pid)
    try:
        resp = httpx.post(f"{server.url}/sparql", data={field: text}, headers=auth(), timeout=60)
    except httpx.HTTPError:
        return None, 0.0, 0.0
    return resp, resp.elapsed.total_seconds(), peak_growth_mb(server.proc.pid, before)


@pytest.mark.parametrize("vector", sorted(QUERIES))
def test_nested_query_is_refused_and_the_server_stays_up(server: ServerProcess, vector: str) -> None:
    resp, seconds, grown = _send(server, "query", QUERIES[vector])
    alive = _alive(server)
    print(
        f"query {vector}: {resp.status_code if resp else 'no answer'} in {seconds:.2f} s, +{grown:.0f} MB, "
        f"server alive: {alive}: {resp.text[:200] if resp else ''}"
    )
    assert resp is not None and alive, "the server or its worker went down"
    assert resp.status_code == 400 and NESTING.search(resp.text), resp.text
    assert seconds < MAX_SECONDS and grown < MAX_MB


@pytest.mark.parametrize("vector", sorted(UPDATES))
def test_nested_update_is_refused_and_the_server_stays_up(server: ServerProcess, vector: str) -> None:
    resp, seconds, grown = _send(server, "update", UPDATES[vector])
    alive = _alive(server)
    print(
        f"update {vector}: {resp.status_code if resp else 'no answer'} in {seconds:.2f} s, +{grown:.0f} MB, "
        f"server alive: {alive}: {resp.text[:200] if resp else ''}"
    )
    assert resp is not None and alive, "the server went down"
    assert resp.status_code == 400 and NESTING.search(resp.text), resp.text
    assert seconds < MAX_SECONDS and grown < MAX_MB


@pytest.mark.parametrize("vector", ["parentheses-5000", "groups-5000"])
def test_cli_query_refuses_nested_sparql(cli, cli_startup: float, tmp_path: Path, vector: str) -> None:
    build_store(tmp_path / "store", files=[])  # the store the cli fixture points at
    result = cli("query", QUERIES[vector], timeout=30)
    print(
        f"openness query {vector}: exit {result.returncode}, {result.seconds:.2f} s wall, "
        f"{result.cpu_seconds:.2f} s CPU, "
        f"{result.peak_mb:.0f} MB: "
        f"{result.stderr.strip()[-200:]}"
    )
    assert result.returncode == 1, f"exit status {result.returncode} (negative: killed by that signal)"
    assert NESTING.search(result.stderr), result.stderr
    assert result.cpu_seconds - cli_startup < MAX_SECONDS and result.peak_mb < MAX_MB
