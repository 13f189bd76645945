"""The service's one view of the store: every read and every write of every route goes through here.

* **Queries** (``/sparql``, Graph Store reads, VoID counts) run in worker processes
  (:mod:`.pool`) on the newest snapshot generation (:mod:`.snapshots`), admitted by the fair query
  scheduler (:mod:`.scheduler`), stopped at the timeout.
* **Pages and the JSON API** run their own fixed queries in threads on the live store (fresh by
  construction, no pipe), admitted by a second scheduler with the same fairness, queue, deadline
  and timeout. A page past the timeout is answered 504; its thread finishes on its own and keeps
  its slot until then (a thread cannot be killed: the page queries are the project's own, bounded).
* **Writes** — SPARQL Update, Graph Store PUT/POST/DELETE, ``POST /api/claims`` — hold the single
  writer lock, call :func:`openness.gate.commit` (validation, one transaction, derived layer), then
  take the next snapshot generation before returning. So a write is visible to every reader and
  every worker as soon as its request returns, and readers never wait for a writer: they read the
  previous generation until then.

Use from a route::

    service: Service = request.app.state.service
    result = await service.query(request, {"query": text, "results_media_type": ..., ...})
    page = await service.read(request, build_page, arg1, arg2)      # runs in a thread
    report = await service.commit(request, Change(...))
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any, TypeVar

from openness.gate import Change, CommitReport, commit
from openness.namespaces import project_prefixes
from openness.precheck import Refused
from openness.store import OxigraphStore, StoreError, open_store
from starlette.requests import Request

from .cache import ResponseCache
from .pool import QueryTimeout, WorkerDied, WorkerPool
from .scheduler import Busy, Scheduler, client_key
from .settings import Settings
from .snapshots import Snapshots

log = logging.getLogger("openness.api")
T = TypeVar("T")


class PageTimeout(Exception):
    """A page or JSON API call ran past the timeout (answered 504; its thread finishes alone)."""


@dataclass
class QueryResult:
    """A serialized, possibly truncated query result from a worker."""

    form: str  # select, ask, graph
    media_type: str
    body: bytes
    rows: int
    truncated: str | None  # None, "rows" or "bytes"
    seconds: float
    waited: float
    generation: int
    worker: int  # which worker answered (X-Openness-Worker)


class Service:
    """See the module docstring."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        store = open_store(settings.store)
        if not isinstance(store, OxigraphStore) or store.path is None:
            raise StoreError(
                f"openness serve needs an on-disk embedded store, not {settings.store}: a remote SPARQL "
                "server already has its own endpoint"
            )
        self.store: OxigraphStore = store
        self.snapshots = Snapshots(store)
        self.pool = WorkerPool(settings.max_concurrent_queries)
        def scheduler(slots: int, name: str) -> Scheduler:
            return Scheduler(slots, name=name, reserve=settings.reserve_slots, max_queue=settings.max_queue,
                             max_wait=settings.queue_wait, heavy_after=settings.heavy_after)

        self.queries = scheduler(settings.max_concurrent_queries, "query")
        self.pages = scheduler(settings.max_concurrent_pages, "page")
        self._page_threads = ThreadPoolExecutor(settings.max_concurrent_pages,
                                                thread_name_prefix="page")
        self._write_thread = ThreadPoolExecutor(1, thread_name_prefix="writer")
        self.writer = asyncio.Lock()
        self.prefixes = project_prefixes()
        self._graphs: tuple[int, list[str]] | None = None
        self.commits = 0
        #: Called with the new generation after every commit (the dumps prepare the next one); must
        #: return at once (schedule work, never do it).
        self.after_commit: list[Callable[[int], None]] = []
        self.responses = ResponseCache(settings.response_cache) if settings.response_cache > 0 else None

    # -- lifecycle
    async def start(self) -> None:
        loop = asyncio.get_running_loop()
        await loop.run_in_executor(self._write_thread, self.snapshots.take)
        await self.pool.start()

    async def stop(self) -> None:
        await self.pool.stop()
        self._page_threads.shutdown(wait=False, cancel_futures=True)
        self._write_thread.shutdown(wait=True)
        self.snapshots.close()
        self.store.close()

    @property
    def generation(self) -> int:
        return self.snapshots.generation

    def client(self, request: Request) -> str:
        return client_key(request, trust_forwarded=self.settings.trust_forwarded)

    # -- queries in workers
    async def query(self, request: Request, fields: dict[str, Any], *, retry: bool = True,
                    timeout: float | None = None) -> QueryResult:
        """Run a worker request (``op`` query or graph) for the client of ``request``.

        Raises Busy (429), QueryTimeout (504), WorkerDied (503) or Refused (its status)."""
        limit = self.settings.query_timeout if timeout is None else timeout
        async with self.queries.slot(self.client(request)) as ticket:
            message = {
                "op": "query",
                "max_rows": self.settings.max_rows,
                "max_bytes": self.settings.max_result_bytes,
                "max_depth": self.settings.max_depth,
                "prefixes": self.prefixes,
                **fields,
            }
            generation, path = self.snapshots.current
            message["generation"], message["snapshot"] = generation, str(path)
            started = time.monotonic()
            answer = await self.pool.call(message, limit, retry=retry)
        self.snapshots.prune(self.pool.generations_in_use())
        if not answer["ok"]:
            raise Refused(answer["status"], answer["message"])
        return QueryResult(
            form=answer.get("form", ""),
            media_type=answer.get("media_type", ""),
            body=answer.get("body", b""),
            rows=answer.get("rows", 0),
            truncated=answer.get("truncated"),
            seconds=time.monotonic() - started,
            waited=ticket.waited,
            generation=answer.get("generation") or 0,
            worker=answer.get("worker", 0),
        )

    # -- pages and the JSON API in threads
    async def read(self, request: Request, fn: Callable[..., T], *args: Any) -> T:
        """Run ``fn(*args)`` (a page or API call reading ``self.store``) in a page thread, admitted
        by the page scheduler and held to the query timeout. Raises Busy or PageTimeout."""
        ticket = await self.pages.acquire(self.client(request))
        loop = asyncio.get_running_loop()
        future = loop.run_in_executor(self._page_threads, fn, *args)
        future.add_done_callback(lambda _f: self.pages.release(ticket))
        try:
            return await asyncio.wait_for(asyncio.shield(future), self.settings.query_timeout)
        except TimeoutError:
            raise PageTimeout() from None

    def graph_names(self) -> list[str]:
        """The store's named graphs (cached per generation; call from a thread)."""
        cached = self._graphs
        if cached is not None and cached[0] == self.generation:
            return cached[1]
        names = self.store.graph_names()
        self._graphs = (self.generation, names)
        return names

    # -- writes
    async def commit(self, request: Request | None, change: Change, *, agent: str | None = None,
                     validate: bool = True) -> CommitReport:
        """Commit ``change`` through the write gate, then publish the next generation."""
        async with self.writer:
            return await self._commit_locked(change, agent=agent, validate=validate)

    async def _commit_locked(self, change: Change, *, agent: str | None, validate: bool) -> CommitReport:
        loop = asyncio.get_running_loop()
        if not change.batches:  # batches carry their own record (og:Ingest, written by the ingest)
            record_activity(change)

        def work() -> CommitReport:
            report = commit(self.store, change, validate=validate, agent=agent)
            self.snapshots.take()
            return report

        report = await loop.run_in_executor(self._write_thread, work)
        self.commits += 1
        self._graphs = None
        for hook in self.after_commit:
            hook(self.generation)
        return report

    async def between_commits(self, fn: Callable[[], T]) -> tuple[int, T]:
        """Run ``fn`` on the writer thread, between two commits and never during one, and return
        the generation it saw with its result: what ``fn`` reads of the store is exactly that
        generation. It does not take the writer lock, so it must be short (a checkpoint: ~10 ms);
        a commit waits for it at most that long."""
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._write_thread, lambda: (self.generation, fn()))

    async def update(self, request: Request, text: str, *, base_iri: str, using_default: list[str],
                     using_named: list[str], agent: str | None = None) -> dict[str, Any]:
        """Compute a SPARQL Update's effect on a scratch copy (in a worker) and commit it.

        Returns the effect per graph (see :func:`openness.api.worker.update_effect`) plus the
        commit report; raises Refused, Busy, QueryTimeout, WorkerDied, IngestError or StoreError."""
        loop = asyncio.get_running_loop()
        async with self.writer:
            scratch = await loop.run_in_executor(self._write_thread, self.snapshots.scratch)
            try:
                async with self.queries.slot(self.client(request)):
                    answer = await self.pool.call(
                        {
                            "op": "update_effect",
                            "update": text,
                            "base_iri": base_iri,
                            "prefixes": self.prefixes,
                            "using_default": using_default,
                            "using_named": using_named,
                            "copy_path": str(scratch),
                            "max_depth": self.settings.max_depth,
                        },
                        self.settings.query_timeout,
                        retry=False,
                    )
            finally:
                await loop.run_in_executor(self._write_thread, self.snapshots.discard, scratch)
            if not answer["ok"]:
                raise Refused(answer["status"], answer["message"])
            label = "SPARQL Update: " + ", ".join(dict.fromkeys(answer["operations"]))
            change = await loop.run_in_executor(self._write_thread, effect_to_change, answer["graphs"], label)
            report = None
            if not change.is_empty():
                report = await self._commit_locked(change, agent=agent, validate=True)
            return {"effect": answer["graphs"], "operations": answer["operations"], "report": report}


#: The source graph holding one provenance record per write made through the service.
ACTIVITY_GRAPH = ("service", "activities")


def record_activity(change: Change, agent: str = "openness-graph") -> None:
    """Add to ``change`` the provenance record of the write it is: a ``prov:Activity`` (label: what
    it did, e.g. "SPARQL Update: InsertData, Modify"), who and when, and ``prov:generated`` each
    graph it changed. It lands in the same transaction as the change, in the source graph
    ``id/graph/service/activities`` (added to, never replaced), so a refused write leaves none."""
    import datetime as dt

    from openness import mint
    from rdflib import Graph, Literal, URIRef
    from rdflib.namespace import PROV, RDF, RDFS, XSD

    now = dt.datetime.now(dt.UTC).isoformat()
    graphs = sorted({*map(str, change.drop), *change.add, *change.remove})
    graph = str(mint.graph_iri(*ACTIVITY_GRAPH))
    activity = mint.activity_iri("service", now, change.label, *graphs)
    who = mint.agent_iri(agent)
    record = change.add.get(graph) or Graph()
    record.add((activity, RDF.type, PROV.Activity))
    record.add((activity, RDFS.label, Literal(change.label or "write")))
    record.add((activity, PROV.wasAssociatedWith, who))
    record.add((activity, PROV.endedAtTime, Literal(now, datatype=XSD.dateTime)))
    record.add((who, RDF.type, PROV.Agent))
    for g in graphs:
        if g != graph:
            record.add((activity, PROV.generated, URIRef(g)))
    change.add[graph] = record


def effect_to_change(graphs: dict[str, dict[str, Any]], label: str = "SPARQL Update") -> Change:
    """The write gate's Change for an update's effect (N-Triples bytes per graph)."""
    from rdflib import Graph

    def parse(data: bytes) -> Graph:
        g = Graph()
        if data.strip():
            g.parse(data=data.decode("utf-8"), format="nt")
        return g

    change = Change(label=label)
    drop: list[str] = []
    for iri, eff in graphs.items():
        if eff["drop"]:
            drop.append(iri)
        elif eff["replace"]:
            drop.append(iri)
            change.add[iri] = parse(eff["after"])
        else:
            if eff["added"]:
                change.add[iri] = parse(eff["added"])
            if eff["removed"]:
                change.remove[iri] = parse(eff["removed"])
    change.drop = drop
    return change


__all__ = ["PageTimeout", "QueryResult", "QueryTimeout", "Service", "WorkerDied", "Busy", "effect_to_change"]
