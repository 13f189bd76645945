"""Admission to a fixed number of slots: wait in a bounded queue, fairly, then refuse.

Why: the endpoint has a few query workers and two cores. Refusing at once when every slot is busy
(the old behaviour) turned 67 % of a 16-client load into 429s while the CPU idled; admitting
everyone lets one client's slow queries starve the rest. So a request waits for a slot, up to a
deadline, and the order in which waiting requests get slots is fair between clients:

* **One queue per client** (a client is its address, see :func:`client_key`); when a slot frees,
  it goes to the waiting client that used the least slot time recently (worker-seconds, decayed
  with a half-life of ``half_life`` seconds), so a client sending many or slow queries is served
  after one sending a few cheap ones — never before, never forever after.
* **Heavy clients share part of the pool.** A client is *heavy* while its requests are slow: the
  moving average of their durations (each new one weighs half) is above ``heavy_after`` seconds,
  or one of its requests has run longer than that. (Not by its total slot time: a client sending
  many quick queries is light.) Heavy clients together hold at most ``slots - reserve`` slots, so
  ``reserve`` slots always stay free for everyone else: four clients hammering slow queries cannot
  make a fifth one's simple query wait for them.
* **Per-client cap.** One client holds at most ``per_client`` slots at once and queues at most
  ``per_client_queue`` requests.
* **Bounded queue and deadline.** At most ``max_queue`` requests wait in all; a request that cannot
  get a slot within ``max_wait`` seconds (or finds the queue full) gets :class:`Busy`, which the
  routes answer with 429 and ``Retry-After``.

All methods run on the event loop (no locks needed); :meth:`acquire` is the only awaitable.
"""

from __future__ import annotations

import asyncio
import math
import time
from collections import deque
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field

from starlette.requests import Request


class Busy(Exception):
    """No slot within the deadline, or the queue is full; ``retry_after`` is a fair guess in seconds."""

    def __init__(self, message: str, retry_after: int) -> None:
        self.retry_after = retry_after
        super().__init__(message)


def client_key(request: Request, *, trust_forwarded: bool = False) -> str:
    """Who is asking: the peer address, or the first ``X-Forwarded-For`` address when the server
    runs behind a proxy it trusts (``OPENNESS_TRUST_FORWARDED``)."""
    if trust_forwarded:
        forwarded = request.headers.get("x-forwarded-for", "")
        first = forwarded.split(",")[0].strip()
        if first:
            return first
    return request.client.host if request.client else "unknown"


@dataclass
class Ticket:
    """One granted slot; give it back with :meth:`Scheduler.release`."""

    client: str
    started: float
    waited: float
    released: bool = False


@dataclass
class _Waiter:
    client: str
    future: asyncio.Future[None]
    since: float
    ticket: Ticket | None = None  # set when a slot is granted


@dataclass
class _Client:
    usage: float = 0.0  # decayed slot-seconds (who is served first)
    duration: float = 0.0  # moving average of its requests' durations (who is heavy)
    done: int = 0
    stamp: float = field(default_factory=time.monotonic)
    running: list[Ticket] = field(default_factory=list)
    queue: deque[_Waiter] = field(default_factory=deque)


class Scheduler:
    """Fair admission to ``slots`` slots (see the module docstring for the policy)."""

    def __init__(
        self,
        slots: int,
        *,
        name: str = "query",
        reserve: int = 1,
        per_client: int | None = None,
        per_client_queue: int = 64,
        max_queue: int = 512,
        max_wait: float = 10.0,
        heavy_after: float = 1.0,
        half_life: float = 10.0,
    ) -> None:
        self.slots = max(1, slots)
        self.name = name
        self.reserve = min(max(0, reserve), self.slots - 1)
        self.per_client = per_client or max(1, self.slots - self.reserve)
        self.per_client_queue = per_client_queue
        self.max_queue = max_queue
        self.max_wait = max_wait
        self.heavy_after = heavy_after
        self.decay = math.log(2) / half_life
        self._clients: dict[str, _Client] = {}
        self._running = 0
        self._waiting = 0
        self.refused = 0  # 429s given (for benchmarks and logs)
        self.granted = 0

    # -- accounting
    def _client(self, key: str) -> _Client:
        client = self._clients.get(key)
        if client is None:
            client = self._clients[key] = _Client()
        return client

    def _usage(self, client: _Client, now: float) -> float:
        """Decayed slot time, plus the time its running requests have run so far."""
        decayed = client.usage * math.exp(-self.decay * (now - client.stamp))
        return decayed + sum(now - t.started for t in client.running)

    def _heavy(self, client: _Client, now: float) -> bool:
        return client.duration > self.heavy_after or any(
            now - t.started > self.heavy_after for t in client.running
        )

    @property
    def running(self) -> int:
        return self._running

    @property
    def waiting(self) -> int:
        return self._waiting

    # -- admission
    async def acquire(self, key: str, *, max_wait: float | None = None) -> Ticket:
        """A slot for client ``key``; waits up to ``max_wait`` (default: the scheduler's), else Busy."""
        now = time.monotonic()
        client = self._client(key)
        if self._can_run(client, now) and not client.queue:
            return self._grant(key, client, now, now)
        limit = self.max_wait if max_wait is None else max_wait
        if self._waiting >= self.max_queue or len(client.queue) >= self.per_client_queue or limit <= 0:
            self.refused += 1
            raise Busy(self._busy_message("the queue is full"), self._retry_after())
        loop = asyncio.get_running_loop()
        waiter = _Waiter(key, loop.create_future(), now)
        client.queue.append(waiter)
        self._waiting += 1
        try:
            await asyncio.wait_for(asyncio.shield(waiter.future), limit)
        except BaseException as err:
            if waiter.ticket is not None:  # granted at the last moment
                if isinstance(err, TimeoutError):
                    return waiter.ticket
                self.release(waiter.ticket)
                raise
            self._drop(client, waiter)
            if isinstance(err, TimeoutError):
                self.refused += 1
                raise Busy(
                    self._busy_message(f"no slot came free within {limit:g} s"), self._retry_after()
                ) from None
            raise
        assert waiter.ticket is not None
        return waiter.ticket

    def _drop(self, client: _Client, waiter: _Waiter) -> None:
        if waiter in client.queue:
            client.queue.remove(waiter)
            self._waiting -= 1
        waiter.future.cancel()

    def _can_run(self, client: _Client, now: float) -> bool:
        if self._running >= self.slots or len(client.running) >= self.per_client:
            return False
        if self._heavy(client, now):
            heavy_running = sum(
                len(c.running) for c in self._clients.values() if c.running and self._heavy(c, now)
            )
            if heavy_running >= self.slots - self.reserve:
                return False
        return True

    def _grant(self, key: str, client: _Client, now: float, since: float) -> Ticket:
        ticket = Ticket(client=key, started=now, waited=now - since)
        client.running.append(ticket)
        self._running += 1
        self.granted += 1
        return ticket

    def release(self, ticket: Ticket) -> None:
        """Give a slot back (idempotent) and hand free slots to waiting clients."""
        if ticket.released:
            return
        ticket.released = True
        now = time.monotonic()
        client = self._clients.get(ticket.client)
        if client is not None and ticket in client.running:
            client.running.remove(ticket)
            took = now - ticket.started
            decayed = client.usage * math.exp(-self.decay * (now - client.stamp))
            client.usage = decayed + took
            client.stamp = now
            client.duration = took if client.done == 0 else (client.duration + took) / 2
            client.done += 1
        self._running -= 1
        self._dispatch(now)
        self._forget_idle(now)

    def _dispatch(self, now: float) -> None:
        while self._running < self.slots and self._waiting:
            candidates = [
                (self._usage(c, now), c.queue[0].since, key, c)
                for key, c in self._clients.items()
                if c.queue and self._can_run(c, now)
            ]
            if not candidates:
                return
            _, since, key, client = min(candidates, key=lambda x: (x[0], x[1]))
            waiter = client.queue.popleft()
            self._waiting -= 1
            if waiter.future.done():  # its request gave up meanwhile
                continue
            waiter.ticket = self._grant(key, client, now, since)
            waiter.future.set_result(None)

    def _forget_idle(self, now: float) -> None:
        if len(self._clients) < 1024:
            return
        for key in [k for k, c in self._clients.items() if not c.running and not c.queue
                    and self._usage(c, now) < 0.01 and c.duration < self.heavy_after]:
            del self._clients[key]

    def _retry_after(self) -> int:
        return max(1, min(30, math.ceil(self.max_wait / 2)))

    def _busy_message(self, why: str) -> str:
        return (
            f"the server is busy ({self._running} of {self.slots} {self.name} slots in use, "
            f"{self._waiting} requests waiting): {why}. Retry in a few seconds."
        )

    @asynccontextmanager
    async def slot(self, key: str, *, max_wait: float | None = None) -> AsyncIterator[Ticket]:
        """``async with scheduler.slot(client): ...`` — acquire, run, release."""
        ticket = await self.acquire(key, max_wait=max_wait)
        try:
            yield ticket
        finally:
            self.release(ticket)


__all__ = ["Busy", "Scheduler", "Ticket", "client_key"]
