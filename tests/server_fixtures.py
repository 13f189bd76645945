"""Real server processes for the web-service tests (imported by ``tests/conftest.py``).

Fixtures:

* ``live_server`` (session): the base URL (``http://127.0.0.1:PORT``, no trailing slash) of a real
  ``openness serve`` process on an on-disk store built in a temporary folder from the bundled
  examples (``data/examples/*.ttl``, loaded through ``openness.ingest`` exactly like
  ``openness load``), plus the ontology files when ``ontology/`` has any (so ontology terms
  dereference). Read-only, query timeout 10 s, max rows 10000, 5 query workers. Use it for
  anything that only reads; do not change its data.
* ``live_server_store`` (session): the path of that store (for building expectations by opening it
  read-only: ``OxigraphStore(path, read_only=True)``).
* ``server_factory`` (session): ``server_factory(store_path, **options) -> ServerProcess`` starts
  another server with its own options (``timeout``, ``max_rows``, ``max_concurrent``,
  ``update_token``, ``examples``, ``queue_wait``, ``max_result_bytes``, ``env``); every server
  it started is stopped at the end of the session.
  ``build_store(path, files)`` builds a store to give it.

Each server runs ``python -m openness.cli serve`` (the console script's code) on a free port on
127.0.0.1; its output goes to ``server.log`` next to the store, shown when it fails to start.
"""

from __future__ import annotations

import gc
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from openness.resources import data_dir, ontology_dir
from openness.store import OxigraphStore

HOST = "127.0.0.1"


def free_port() -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


def example_files() -> list[Path]:
    """The bundled example claim files."""
    return sorted((data_dir() / "examples").glob("*.ttl"))


def build_store(path: Path, files: list[Path] | None = None, *, raw: list[Path] = ()) -> Path:
    """Build an on-disk store at ``path``: ``files`` through the validated ingest (default: the
    bundled examples), ``raw`` loaded as they are (N-Quads/TriG keep their graphs, Turtle goes to a
    graph named after the file). The store is released before returning, so a server can open it."""
    from openness.gate import ingest_files

    store = OxigraphStore(path)
    try:
        files = example_files() if files is None else files
        if files:
            ingest_files(store, files)
        for extra in raw:
            fmt = {".nq": "nq", ".trig": "trig", ".ttl": "ttl", ".nt": "nt"}[extra.suffix]
            store.load_file(extra, fmt, graph=f"https://w3id.org/openness/id/graph/test/{extra.stem}")
        store.flush()
    finally:
        del store
        gc.collect()  # pyoxigraph drops its lock with the object
    return path


class ServerProcess:
    """One running ``openness serve`` process."""

    def __init__(
        self,
        store: Path,
        *,
        timeout: float = 10.0,
        max_rows: int = 10_000,
        max_concurrent: int = 5,
        update_token: str | None = None,
        examples: bool = False,
        queue_wait: float | None = None,
        max_result_bytes: int | None = None,
        env: dict[str, str] | None = None,
    ) -> None:
        self.store = Path(store)
        self.port = free_port()
        self.url = f"http://{HOST}:{self.port}"
        self.log_path = self.store.parent / f"server-{self.port}.log"
        args = [
            sys.executable,
            "-c",
            "from openness.cli import main; main()",
            "serve",
            "--store",
            str(self.store),
            "--host",
            HOST,
            "--port",
            str(self.port),
            "--timeout",
            str(timeout),
            "--max-rows",
            str(max_rows),
            "--max-concurrent",
            str(max_concurrent),
            "--log-level",
            "warning",
            "--examples" if examples else "--no-examples",
        ]
        if queue_wait is not None:
            args += ["--queue-wait", str(queue_wait)]
        if max_result_bytes is not None:
            args += ["--max-result-bytes", str(max_result_bytes)]
        full_env = {k: v for k, v in os.environ.items() if k != "OPENNESS_UPDATE_TOKEN"}
        if update_token:
            full_env["OPENNESS_UPDATE_TOKEN"] = update_token
        full_env.update(env or {})
        self._log = self.log_path.open("wb")
        self.proc = subprocess.Popen(args, stdout=self._log, stderr=subprocess.STDOUT, env=full_env)
        self._wait_ready()

    def _wait_ready(self, limit: float = 90.0) -> None:
        deadline = time.monotonic() + limit
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"the server exited with {self.proc.returncode}:\n{self.log()}")
            try:
                if httpx.get(f"{self.url}/sparql", timeout=2).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"the server did not answer within {limit:g} s:\n{self.log()}")

    def log(self) -> str:
        self._log.flush()
        return self.log_path.read_text(encoding="utf-8", errors="replace")[-5000:]

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=5)
        self._log.close()


@pytest.fixture(scope="session")
def server_factory(tmp_path_factory: pytest.TempPathFactory) -> Iterator[object]:
    """Start servers with custom options; all are stopped at the end of the session."""
    started: list[ServerProcess] = []

    def start(store: Path, **options: object) -> ServerProcess:
        server = ServerProcess(store, **options)  # type: ignore[arg-type]
        started.append(server)
        return server

    yield start
    for server in started:
        server.stop()


@pytest.fixture(scope="session")
def live_server_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An on-disk store with the bundled examples and the ontology, built once per session."""
    path = tmp_path_factory.mktemp("live") / "store"
    ontology = sorted(ontology_dir().rglob("*.ttl"))
    return build_store(path, raw=ontology)


@pytest.fixture(scope="session")
def live_server(server_factory, live_server_store: Path) -> str:
    """Base URL of a read-only server on the examples store (see the module docstring)."""
    return server_factory(live_server_store, timeout=10.0).url
