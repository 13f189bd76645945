"""Run SPARQL queries safely: off the event loop, killable, time-limited, row-capped, bounded in number.

The service keeps a pool of worker processes (:mod:`.query_worker`), one per allowed concurrent
query, each with the embedded store open read-only. A query borrows an idle worker; if none is idle
the caller gets :class:`Busy` (the endpoint answers 429 with Retry-After). The calling coroutine
waits in a thread, so the event loop keeps serving other requests; when the timeout passes the
worker is killed (the work really stops, its memory is freed) and a fresh one replaces it.

Single writer: the web server is the only process that writes the store while it runs. It holds
the store read-write in the main process (``app.state.store``, so ``openness load`` against the
same store fails with a clear "locked" error instead of corrupting readers), and an update runs
inside :meth:`QueryService.exclusive`, which waits for running queries, stops every worker, lets
the writer commit and flush, then starts fresh workers that see the new data. (Oxigraph documents
read-only opening while another process writes as undefined behaviour; this avoids it.)

Stores that are not on disk (``:memory:``) cannot be opened by another process; for them the
service runs queries in threads on the main process's store with the same row cap, and a timeout
answers the client but cannot stop the work (documented limit; tests and ``openness serve`` use an
on-disk store).

Use from other routers (pages, linked data, JSON API)::

    service: QueryService = request.app.state.queries
    rows = await service.select("SELECT ...")          # list[dict[str, rdflib term]]
    graph = await service.construct("CONSTRUCT ...")   # rdflib.Graph
    ok = await service.ask("ASK { ... }")
    result = await service.run(query, results_media_type=..., rdf_media_type=...)
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import os
import pickle
import select
import struct
import subprocess
import sys
import threading
import time
from collections.abc import AsyncIterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

from openness.store import OxigraphStore, Row, StoreError, open_store
from openness.store import _json_term as json_to_rdflib
from rdflib import Graph

from .query_worker import QueryError, execute

log = logging.getLogger("openness.api")


class QueryTimeout(Exception):
    """The query ran past the timeout and its worker was killed."""


class Busy(Exception):
    """Every worker is busy: try again later (``retry_after`` seconds is a fair guess)."""

    def __init__(self, message: str, retry_after: int) -> None:
        self.retry_after = retry_after
        super().__init__(message)


@dataclass
class QueryResult:
    """A serialized, possibly truncated query result."""

    form: str  # select, ask, graph
    media_type: str
    body: bytes
    rows: int
    truncated: bool
    seconds: float


# --------------------------------------------------------------------------- one worker


class Worker:
    """One worker process and its pipes; blocking methods, called from threads."""

    def __init__(self, store_path: str, start_timeout: float = 60.0) -> None:
        env = dict(os.environ)
        env["PYTHONUNBUFFERED"] = "1"
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "openness.api.query_worker", store_path],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            env=env,
        )
        assert self.proc.stdin is not None and self.proc.stdout is not None
        self._in = self.proc.stdin
        self._out = self.proc.stdout.fileno()
        hello = self._receive(time.monotonic() + start_timeout)
        if not hello.get("ready"):
            self.kill()
            raise RuntimeError(hello.get("message", "the query worker did not start"))
        self.isolated = bool(hello.get("isolated"))

    @property
    def pid(self) -> int:
        return self.proc.pid

    def call(self, request: dict[str, Any], timeout: float) -> dict[str, Any]:
        """Send one request and wait for its answer; kill the worker past ``timeout``."""
        data = pickle.dumps(request, protocol=pickle.HIGHEST_PROTOCOL)
        try:
            self._in.write(struct.pack(">Q", len(data)) + data)
            self._in.flush()
        except (BrokenPipeError, OSError) as err:
            self.kill()
            raise RuntimeError(f"the query worker died: {err}") from err
        return self._receive(time.monotonic() + timeout)

    def _receive(self, deadline: float) -> dict[str, Any]:
        header = self._read_exact(8, deadline)
        (size,) = struct.unpack(">Q", header)
        return pickle.loads(self._read_exact(size, deadline))

    def _read_exact(self, size: int, deadline: float) -> bytes:
        chunks: list[bytes] = []
        remaining = size
        while remaining:
            left = deadline - time.monotonic()
            if left <= 0:
                self.kill()
                raise QueryTimeout()
            ready, _, _ = select.select([self._out], [], [], left)
            if not ready:
                continue
            chunk = os.read(self._out, min(remaining, 1 << 20))
            if not chunk:
                self.kill()
                raise RuntimeError("the query worker exited unexpectedly (out of memory?)")
            chunks.append(chunk)
            remaining -= len(chunk)
        return b"".join(chunks)

    def kill(self) -> None:
        with contextlib.suppress(ProcessLookupError):
            self.proc.kill()
        with contextlib.suppress(Exception):
            self.proc.wait(timeout=5)
        for stream in (self.proc.stdin, self.proc.stdout):
            with contextlib.suppress(Exception):
                stream.close()  # type: ignore[union-attr]

    def close(self) -> None:
        """Ask the worker to exit (stdin closed), then make sure it did."""
        with contextlib.suppress(Exception):
            self._in.close()
        try:
            self.proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.kill()
        with contextlib.suppress(Exception):
            self.proc.stdout.close()  # type: ignore[union-attr]


# --------------------------------------------------------------------------- the service


class QueryService:
    """A bounded pool of killable query workers over one store (see the module docstring)."""

    def __init__(
        self,
        store: OxigraphStore,
        *,
        timeout: float = 30.0,
        max_rows: int = 10_000,
        concurrency: int = 4,
    ) -> None:
        self.store = store
        self.timeout = timeout
        self.max_rows = max_rows
        self.concurrency = max(1, concurrency)
        self.in_process = store.path is None
        self._threads = ThreadPoolExecutor(max_workers=self.concurrency + 2, thread_name_prefix="sparql")
        self._idle: asyncio.Queue[Worker | None] = asyncio.Queue()
        self._inline_lock = threading.Lock()
        self._writer = asyncio.Lock()
        self._running = 0
        self._graphs: set[str] | None = None
        self.isolated: bool | None = None
        self.generation = 0  # bumped by every committed update (dump caches compare it)

    # -- lifecycle
    async def start(self) -> None:
        """Start the workers (in threads: each takes a moment to import and open the store)."""
        if self.in_process:
            for _ in range(self.concurrency):
                self._idle.put_nowait(None)
            return
        self.store.flush()
        loop = asyncio.get_running_loop()
        workers = await asyncio.gather(
            *(
                loop.run_in_executor(self._threads, Worker, str(self.store.path))
                for _ in range(self.concurrency)
            )
        )
        self.isolated = all(w.isolated for w in workers)
        if not self.isolated:
            log.warning(
                "query workers could not leave the network namespace; SERVICE is refused by inspection only"
            )
        for worker in workers:
            self._idle.put_nowait(worker)

    async def stop(self) -> None:
        """Stop every idle worker (running ones finish or time out first)."""
        loop = asyncio.get_running_loop()
        for _ in range(self.concurrency):
            worker = await self._idle.get()
            if worker is not None:
                await loop.run_in_executor(self._threads, worker.close)
        self._threads.shutdown(wait=False)

    @contextlib.asynccontextmanager
    async def exclusive(self) -> AsyncIterator[OxigraphStore]:
        """Hold every worker (waiting for running queries), stop them, yield the writable store,
        then flush it and start fresh workers that see what was written."""
        loop = asyncio.get_running_loop()
        async with self._writer:
            held = [await self._idle.get() for _ in range(self.concurrency)]
            for worker in held:
                if worker is not None:
                    await loop.run_in_executor(self._threads, worker.close)
            try:
                yield self.store
            finally:
                self._graphs = None
                self.generation += 1
                if self.in_process:
                    for _ in range(self.concurrency):
                        self._idle.put_nowait(None)
                else:
                    self.store.flush()
                    fresh = await asyncio.gather(
                        *(
                            loop.run_in_executor(self._threads, Worker, str(self.store.path))
                            for _ in range(self.concurrency)
                        )
                    )
                    for worker in fresh:
                        self._idle.put_nowait(worker)

    @contextlib.asynccontextmanager
    async def reading(self) -> AsyncIterator[OxigraphStore]:
        """Read the main process's store directly (dumps) with no update landing meanwhile."""
        async with self._writer:
            yield self.store

    # -- running
    @property
    def running(self) -> int:
        return self._running

    async def _borrow(self, wait: float) -> Worker | None:
        if wait <= 0:
            try:
                return self._idle.get_nowait()
            except asyncio.QueueEmpty:
                pass
        else:
            with contextlib.suppress(TimeoutError):
                return await asyncio.wait_for(self._idle.get(), wait)
        raise Busy(
            f"all {self.concurrency} query slots are busy; retry in a few seconds",
            retry_after=max(1, min(int(self.timeout), 5)),
        )

    async def run(
        self,
        query: str,
        *,
        results_media_type: str | None = "application/sparql-results+json",
        rdf_media_type: str | None = "text/turtle",
        default_graphs: list[str] | None = None,
        named_graphs: list[str] | None = None,
        max_rows: int | None = None,
        timeout: float | None = None,
        wait: float = 0.0,
        query_dataset: bool = False,
    ) -> QueryResult:
        """Run a query in a worker. Raises :class:`Busy`, :class:`QueryTimeout` or
        :class:`~.query_worker.QueryError` (``kind``: syntax, not_acceptable, store).

        ``query_dataset``: the query has FROM / FROM NAMED (then the default graph is what they
        say, not the union of all graphs)."""
        request = {
            "query": query,
            "results_media_type": results_media_type,
            "rdf_media_type": rdf_media_type,
            "default_graphs": default_graphs,
            "named_graphs": named_graphs,
            "query_dataset": query_dataset,
            "max_rows": self.max_rows if max_rows is None else max_rows,
        }
        limit = self.timeout if timeout is None else timeout
        worker = await self._borrow(wait)
        loop = asyncio.get_running_loop()
        started = time.monotonic()
        self._running += 1
        try:
            if worker is None:
                answer = await self._run_inline(request, limit)
            else:
                answer = await loop.run_in_executor(self._threads, worker.call, request, limit)
        except (QueryTimeout, RuntimeError) as err:
            log.warning("query worker %s replaced: %s", getattr(worker, "pid", "-"), type(err).__name__)
            loop.create_task(self._replace())
            worker = None
            if isinstance(err, QueryTimeout):
                raise
            raise QueryError("store", str(err)) from err
        finally:
            self._running -= 1
            if worker is not None or self.in_process:
                self._idle.put_nowait(worker)
        if not answer["ok"]:
            raise QueryError(answer["kind"], answer["message"])
        return QueryResult(
            form=answer["form"],
            media_type=answer["media_type"],
            body=answer["body"],
            rows=answer["rows"],
            truncated=answer["truncated"],
            seconds=time.monotonic() - started,
        )

    async def _run_inline(self, request: dict[str, Any], limit: float) -> dict[str, Any]:
        def work() -> dict[str, Any]:
            with self._inline_lock:
                try:
                    return {"ok": True, **execute(self.store.native, request)}
                except QueryError as err:
                    return {"ok": False, "kind": err.kind, "message": str(err)}

        future = asyncio.get_running_loop().run_in_executor(self._threads, work)
        try:
            return await asyncio.wait_for(future, limit)
        except TimeoutError:
            raise QueryTimeout() from None

    async def _replace(self) -> None:
        """Start a worker in place of a killed one (the slot stays busy until it is ready)."""
        if self.in_process:
            return
        loop = asyncio.get_running_loop()
        try:
            worker = await loop.run_in_executor(self._threads, Worker, str(self.store.path))
        except Exception:  # noqa: BLE001 - keep the slot: retry once, then give up loudly
            log.exception("could not start a query worker; retrying")
            await asyncio.sleep(1)
            worker = await loop.run_in_executor(self._threads, Worker, str(self.store.path))
        self._idle.put_nowait(worker)

    # -- conveniences for the other routers
    async def select(self, query: str, *, wait: float = 10.0, **kwargs: Any) -> list[Row]:
        """Rows of a SELECT as dicts of rdflib terms (unbound variables left out)."""
        result = await self.run(
            query, results_media_type="application/sparql-results+json", wait=wait, **kwargs
        )
        if result.form != "select":
            raise ValueError("select() needs a SELECT query")
        document = json.loads(result.body)
        rows: list[Row] = []
        for binding in document["results"]["bindings"]:
            rows.append({k: json_to_rdflib(v) for k, v in binding.items() if v.get("type") != "triple"})
        return rows

    async def ask(self, query: str, *, wait: float = 10.0, **kwargs: Any) -> bool:
        result = await self.run(
            query, results_media_type="application/sparql-results+json", wait=wait, **kwargs
        )
        if result.form != "ask":
            raise ValueError("ask() needs an ASK query")
        return bool(json.loads(result.body)["boolean"])

    async def construct(self, query: str, *, wait: float = 10.0, **kwargs: Any) -> Graph:
        result = await self.run(query, rdf_media_type="application/n-triples", wait=wait, **kwargs)
        if result.form != "graph":
            raise ValueError("construct() needs a CONSTRUCT or DESCRIBE query")
        graph = Graph()
        if result.body.strip():
            graph.parse(data=result.body.decode("utf-8"), format="nt")
        return graph

    async def graph_names(self) -> set[str]:
        """The named graphs of the store (cached until the next update)."""
        if self._graphs is None:
            rows = await self.select(
                "SELECT DISTINCT ?g WHERE { GRAPH ?g { } }", max_rows=10_000_000, wait=self.timeout
            )
            self._graphs = {str(r["g"]) for r in rows if "g" in r}
        return self._graphs


async def open_service(settings: Any) -> QueryService:
    """Open the settings' store (read-write: the server is its single writer) and start the workers."""
    store = open_store(settings.store)
    if not isinstance(store, OxigraphStore):
        raise StoreError(
            f"openness serve needs the embedded store, not {settings.store}: a remote SPARQL server "
            "already has its own endpoint"
        )
    service = QueryService(
        store,
        timeout=settings.query_timeout,
        max_rows=settings.max_rows,
        concurrency=settings.max_concurrent_queries,
    )
    await service.start()
    return service
