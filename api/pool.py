"""The query workers: a fixed number of worker processes (:mod:`.worker`), killable and replaced.

Why processes, measured (2 cores, pyoxigraph 0.5.13): pyoxigraph *does* release the GIL while it
evaluates a query (a ticking thread kept a 16 ms maximum gap during a 1.46 s query), so threads
over one store would run in parallel — but a thread cannot be stopped when its query's time is up
(a cartesian product would keep a core and its memory for ever), and an engine crash (a stack
overflow on deep nesting) would take the whole server down. A process can be killed at the
deadline and its crash costs one request. The price is a pipe round trip (about 0.3 ms) and a
reopen of the newest snapshot after each commit (about 0.01 s, :mod:`.snapshots`).

How the service uses it: the scheduler (:mod:`.scheduler`) grants one of ``size`` slots; the
pool then lends the request an idle worker (there are exactly ``size`` workers, so a granted slot
waits at most for a replacement to start). A worker that passes the deadline is killed (the
request gets :class:`QueryTimeout`, 504); a worker that dies on its own (crash, out of memory) is
replaced, and the request gets :class:`WorkerDied` (503) — reads are retried once on another
worker first, since a read cannot have changed anything.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import pickle
import select
import struct
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any

log = logging.getLogger("openness.api")


class QueryTimeout(Exception):
    """The request ran past its deadline and its worker was killed."""


class WorkerDied(Exception):
    """The worker process ended while answering (a crash, or the system ran out of memory)."""


class Worker:
    """One worker process and its pipes; blocking methods, called from threads."""

    def __init__(self, start_timeout: float = 60.0, index: int = 0) -> None:
        self.index = index  # which worker of the pool (a replacement gets a new one), for headers and logs
        env = dict(os.environ)
        env["PYTHONUNBUFFERED"] = "1"
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "openness.api.worker"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            env=env,
        )
        assert self.proc.stdin is not None and self.proc.stdout is not None
        self._in = self.proc.stdin
        self._out = self.proc.stdout.fileno()
        self.generation: int | None = None
        hello = self._receive(time.monotonic() + start_timeout)
        if not hello.get("ready"):
            self.kill()
            raise RuntimeError(hello.get("message", "the query worker did not start"))
        self.isolated = bool(hello.get("isolated"))

    @property
    def pid(self) -> int:
        return self.proc.pid

    def call(self, request: dict[str, Any], timeout: float) -> dict[str, Any]:
        """Send one request and wait for its answer; kill the worker past ``timeout`` seconds."""
        data = pickle.dumps(request, protocol=pickle.HIGHEST_PROTOCOL)
        try:
            self._in.write(struct.pack(">Q", len(data)) + data)
            self._in.flush()
        except (BrokenPipeError, OSError) as err:
            self.kill()
            raise WorkerDied(f"the query worker died: {err}") from err
        answer = self._receive(time.monotonic() + timeout)
        if answer.get("generation") is not None:
            self.generation = answer["generation"]
        return answer

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
                code = self.proc.poll()
                self.kill()
                raise WorkerDied(f"the query worker ended while answering (exit status {code})")
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


class WorkerPool:
    """``size`` worker processes, lent one request at a time (see the module docstring)."""

    def __init__(self, size: int) -> None:
        self.size = max(1, size)
        self._threads = ThreadPoolExecutor(max_workers=self.size + 2, thread_name_prefix="worker-call")
        self._idle: asyncio.Queue[Worker] = asyncio.Queue()
        self._all: set[Worker] = set()
        self.isolated: bool | None = None
        self.deaths = 0
        self.timeouts = 0
        self._started = 0

    def _new_index(self) -> int:
        self._started += 1
        return self._started

    async def start(self) -> None:
        loop = asyncio.get_running_loop()
        starting = [loop.run_in_executor(self._threads, Worker, 60.0, self._new_index())
                    for _ in range(self.size)]
        workers = await asyncio.gather(*starting)
        self.isolated = all(w.isolated for w in workers)
        if not self.isolated:
            log.warning("query workers could not leave the network namespace; SERVICE and LOAD are "
                        "refused by inspection only")
        for worker in workers:
            self._all.add(worker)
            self._idle.put_nowait(worker)

    async def stop(self) -> None:
        loop = asyncio.get_running_loop()
        for worker in list(self._all):
            await loop.run_in_executor(self._threads, worker.close)
        self._all.clear()
        self._threads.shutdown(wait=False, cancel_futures=True)

    def generations_in_use(self) -> set[int]:
        return {w.generation for w in self._all if w.generation is not None}

    async def call(self, request: dict[str, Any], timeout: float, *, retry: bool) -> dict[str, Any]:
        """Run ``request`` on an idle worker (the caller holds a scheduler slot).

        Raises :class:`QueryTimeout` (worker killed at ``timeout``) or :class:`WorkerDied` (after
        one retry on another worker when ``retry``)."""
        deadline = time.monotonic() + timeout
        attempts = 2 if retry else 1
        for attempt in range(attempts):
            worker = await self._idle.get()
            loop = asyncio.get_running_loop()
            try:
                answer = await loop.run_in_executor(
                    self._threads, worker.call, request, max(0.05, deadline - time.monotonic())
                )
            except QueryTimeout:
                self.timeouts += 1
                self._replace(worker)
                raise
            except WorkerDied as err:
                self.deaths += 1
                log.warning("query worker %s died (%s); %s", worker.pid, err,
                            "retrying once" if attempt + 1 < attempts else "answering 503")
                self._replace(worker)
                if attempt + 1 >= attempts or time.monotonic() >= deadline:
                    raise
                continue
            except BaseException:
                # The caller was cancelled while the worker computes: its answer would be read by the
                # next request. Do not reuse it.
                self._replace(worker)
                raise
            self._idle.put_nowait(worker)
            answer["worker"] = worker.index
            return answer
        raise AssertionError("unreachable")

    def _replace(self, worker: Worker) -> None:
        """Kill ``worker`` and start another in the background; its slot waits for it."""
        self._all.discard(worker)
        loop = asyncio.get_running_loop()
        loop.run_in_executor(self._threads, worker.kill)
        loop.create_task(self._start_one())

    async def _start_one(self) -> None:
        loop = asyncio.get_running_loop()
        for attempt in range(5):
            try:
                worker = await loop.run_in_executor(self._threads, Worker, 60.0, self._new_index())
            except Exception:
                log.exception("could not start a query worker (attempt %d)", attempt + 1)
                await asyncio.sleep(1 + attempt)
                continue
            self._all.add(worker)
            self._idle.put_nowait(worker)
            return
        log.error("query worker could not be restarted: the pool runs with one slot less")


__all__ = ["QueryTimeout", "Worker", "WorkerDied", "WorkerPool"]
