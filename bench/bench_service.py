"""Load benchmark of ``openness serve``: throughput and latency at 1, 4 and 16 clients.

Scenarios (each client is its own process with its own keep-alive connection, bound to its own
loopback address 127.0.0.N so the server sees distinct clients):

* ``select`` — a small SELECT on ``/sparql``;
* ``trace`` — ``GET /api/releases/{id}/trace`` (the JSON API);
* ``page`` — ``GET /page/release/{id}`` (a release page, HTML);
* ``fairness`` — 4 clients sending a slow query back to back while a fifth sends the small SELECT:
  the fifth's latency is what matters.

Reports, per scenario and client count: requests, req/s, p50/p99/max latency in ms, 429s (refused)
and other errors. Targets (issue 10): release page p50 ≤ 50 ms at 1 client; trace API ≥ 200 req/s
at 8 clients; select at 16 clients with no 429 and p99 ≤ 100 ms; the fairness scenario's simple
query p99 ≤ 1 s.

Usage::

    python bench/bench_service.py --store PATH [--duration 10] [--clients 1,4,16]   # starts a server
    python bench/bench_service.py --url http://127.0.0.1:8000 ...                    # a running one
    python bench/bench_service.py ... --scenario select --json out.json

The functions :func:`run_clients` and :func:`start_server` are used by the acceptance tests
(``tests/test_api_load.py``).
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import json
import multiprocessing as mp
import os
import socket
import statistics
import subprocess
import sys
import time
import urllib.parse
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass
from pathlib import Path

SMALL_SELECT = "PREFIX og: <https://w3id.org/openness/ns#> SELECT ?r WHERE { ?r a og:ModelRelease } LIMIT 5"
#: A query that takes a second or more on the built corpus (a bounded cartesian product).
SLOW_QUERY = (
    "SELECT (COUNT(*) AS ?n) WHERE { { SELECT ?a WHERE { ?a ?b ?c } LIMIT 3000 } "
    "{ SELECT ?d WHERE { ?d ?e ?f } LIMIT 3000 } }"
)


@dataclass
class Request:
    method: str
    path: str
    body: bytes | None = None
    headers: dict[str, str] | None = None


@dataclass
class Stats:
    scenario: str
    clients: int
    requests: int
    seconds: float
    rps: float
    p50_ms: float
    p99_ms: float
    max_ms: float
    refused: int
    errors: int
    statuses: dict[str, int]

    def line(self) -> str:
        return (f"{self.scenario:<10} {self.clients:>3} clients  {self.requests:>6} req  "
                f"{self.rps:>7.1f} req/s  p50 {self.p50_ms:>7.1f} ms  p99 {self.p99_ms:>7.1f} ms  "
                f"max {self.max_ms:>7.1f} ms  "
                f"429: {self.refused:>4}  errors: {self.errors}")


def sparql_get(query: str) -> Request:
    return Request("GET", "/sparql?" + urllib.parse.urlencode({"query": query}),
                   headers={"Accept": "application/sparql-results+json"})


def sparql_post(query: str) -> Request:
    return Request("POST", "/sparql", query.encode(), {"Content-Type": "application/sparql-query",
                                                         "Accept": "application/sparql-results+json"})


# --------------------------------------------------------------------------- clients


def _client(url: str, address: str, requests: list[Request], until: float, out: mp.Queue) -> None:
    """One client: send ``requests`` round-robin until ``until`` (time.time()); report latencies."""
    parsed = urllib.parse.urlsplit(url)
    conn: http.client.HTTPConnection | None = None
    samples: list[tuple[float, int]] = []
    i = 0
    while time.time() < until:
        req = requests[i % len(requests)]
        i += 1
        started = time.perf_counter()
        try:
            if conn is None:
                conn = http.client.HTTPConnection(parsed.hostname, parsed.port, timeout=120,
                                                  source_address=(address, 0))
            conn.request(req.method, req.path, body=req.body, headers=req.headers or {})
            resp = conn.getresponse()
            resp.read()
            status = resp.status
            if resp.getheader("connection", "").lower() == "close":
                conn.close()
                conn = None
        except (OSError, http.client.HTTPException):
            status = 0
            with contextlib.suppress(Exception):
                conn.close()  # type: ignore[union-attr]
            conn = None
        samples.append((time.perf_counter() - started, status))
    out.put(samples)


def run_clients(url: str, groups: list[tuple[int, list[Request]]], duration: float,
                first_address: int = 2) -> list[list[tuple[float, int]]]:
    """Run client processes: ``groups`` is [(how many clients, their requests)]; returns one
    sample list (latency seconds, status) per group, all clients of a group together."""
    ctx = mp.get_context("fork")
    until = time.time() + duration + 0.5  # every process starts before the clock runs
    queues, procs, owners = [], [], []
    n = first_address
    for g, (count, requests) in enumerate(groups):
        for _ in range(count):
            q: mp.Queue = ctx.Queue()
            p = ctx.Process(target=_client, args=(url, f"127.0.0.{n}", requests, until, q))
            n += 1
            p.start()
            queues.append(q)
            procs.append(p)
            owners.append(g)
    results: list[list[tuple[float, int]]] = [[] for _ in groups]
    for q, p, g in zip(queues, procs, owners, strict=True):
        results[g].extend(q.get(timeout=duration + 180))
        p.join(timeout=30)
    return results


def summarize(scenario: str, clients: int, samples: list[tuple[float, int]], seconds: float) -> Stats:
    latencies = sorted(s for s, _ in samples) or [0.0]
    statuses: dict[str, int] = {}
    for _, status in samples:
        statuses[str(status)] = statuses.get(str(status), 0) + 1
    refused = statuses.get("429", 0)
    errors = sum(n for s, n in statuses.items() if s != "200" and s != "429")
    p99 = latencies[min(len(latencies) - 1, int(round(0.99 * (len(latencies) - 1))))]
    return Stats(scenario, clients, len(samples), seconds, len(samples) / seconds,
                 statistics.median(latencies) * 1000, p99 * 1000, latencies[-1] * 1000, refused, errors,
                 statuses)


# --------------------------------------------------------------------------- a server to measure


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextlib.contextmanager
def start_server(store: Path, *extra: str, env: dict[str, str] | None = None) -> Iterator[str]:
    """Run ``openness serve`` on ``store`` (a free port); yields its base URL."""
    port = free_port()
    log = open(store.parent / f"bench-server-{port}.log", "wb")  # noqa: SIM115 - closed below
    proc = subprocess.Popen(
        [sys.executable, "-c", "from openness.cli import main; main()", "serve", "--store", str(store),
         "--port", str(port), "--no-examples", "--log-level", "warning", *extra],
        stdout=log, stderr=subprocess.STDOUT, env={**os.environ, **(env or {})},
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            if proc.poll() is not None:
                raise RuntimeError(f"the server exited: {(store.parent / log.name).read_text()[-2000:]}")
            with contextlib.suppress(OSError):
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
                conn.request("GET", "/sparql", headers={"Accept": "text/turtle"})
                if conn.getresponse().status == 200:
                    break
            if time.monotonic() > deadline:
                raise RuntimeError("the server did not start")
            time.sleep(0.3)
        yield url
    finally:
        proc.terminate()
        with contextlib.suppress(subprocess.TimeoutExpired):
            proc.wait(timeout=20)
        if proc.poll() is None:
            proc.kill()
        log.close()


def release_ids(url: str, limit: int = 50) -> list[str]:
    parsed = urllib.parse.urlsplit(url)
    conn = http.client.HTTPConnection(parsed.hostname, parsed.port, timeout=120)
    conn.request("GET", f"/api/releases?limit={limit}")
    data = json.loads(conn.getresponse().read())
    return [item["id"] for item in data["items"]]


# --------------------------------------------------------------------------- scenarios


def scenario_requests(url: str) -> dict[str, Callable[[], list[Request]]]:
    ids = release_ids(url)
    return {
        "select": lambda: [sparql_get(SMALL_SELECT)],
        "trace": lambda: [Request("GET", f"/api/releases/{i}/trace") for i in ids],
        "page": lambda: [Request("GET", f"/page/release/{i}") for i in ids],
    }


def fairness(url: str, duration: float, slow_clients: int = 4) -> tuple[Stats, Stats]:
    """``slow_clients`` clients hammer SLOW_QUERY while one more sends SMALL_SELECT."""
    slow, fast = run_clients(url, [(slow_clients, [sparql_post(SLOW_QUERY)]),
                                   (1, [sparql_get(SMALL_SELECT)])], duration)
    return (summarize("slow", slow_clients, slow, duration),
            summarize("fair-fast", 1, fast, duration))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    where = parser.add_mutually_exclusive_group(required=True)
    where.add_argument("--url", help="a running server's base URL")
    where.add_argument("--store", type=Path, help="start openness serve on this store (a copy is not made)")
    parser.add_argument("--duration", type=float, default=10.0, help="seconds per measurement")
    parser.add_argument("--clients", default="1,4,16", help="client counts, comma-separated")
    parser.add_argument("--scenario", action="append",
                        choices=["select", "trace", "page", "fairness"], help="default: all")
    parser.add_argument("--json", type=Path, help="also write the results as JSON here")
    parser.add_argument("--no-response-cache", action="store_true",
                        help="serve with OPENNESS_RESPONSE_CACHE=0: every answer computed, none kept")
    args = parser.parse_args(argv)
    counts = [int(c) for c in args.clients.split(",")]
    scenarios = args.scenario or ["select", "trace", "page", "fairness"]
    with contextlib.ExitStack() as stack:
        env = {"OPENNESS_RESPONSE_CACHE": "0"} if args.no_response_cache else None
        url = args.url or stack.enter_context(start_server(args.store, env=env))
        makers = scenario_requests(url)
        results: list[Stats] = []
        for name in scenarios:
            if name == "fairness":
                for stats in fairness(url, args.duration):
                    print(stats.line(), flush=True)
                    results.append(stats)
                continue
            for n in counts:
                samples = run_clients(url, [(n, makers[name]())], args.duration)[0]
                stats = summarize(name, n, samples, args.duration)
                print(stats.line(), flush=True)
                results.append(stats)
        if args.json:
            args.json.write_text(json.dumps([asdict(r) for r in results], indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
