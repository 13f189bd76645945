"""Answers of pages, linked-data documents and the JSON API, kept until the next commit.

Why: derive once, read many times. A release page or a trace reads the derived layer with a handful
of queries (5 to 40 ms on the built corpus, most of it Oxigraph's evaluation over the default
dataset's graphs); the answer can only change when a commit lands. So an answer is kept, keyed by
what it depends on — method, host, path, query string, ``Accept`` — and by the snapshot generation
it was computed on; a commit starts a new generation and every kept answer is dropped at once.

Freshness: the generation is read *before* the answer is computed, and an answer is kept only if
no commit landed meanwhile, so a kept answer never predates the generation it is filed under; a
reader after a commit never gets an answer from before it.

Bounds: at most ``max_entries`` answers (least recently used dropped first), only 200 and 303
answers, only GET and HEAD. ``OPENNESS_RESPONSE_CACHE=0`` (``Settings.response_cache``) turns it off.
"""

from __future__ import annotations

from collections import OrderedDict

from starlette.requests import Request
from starlette.responses import Response


class ResponseCache:
    """An LRU of rendered answers for one generation of the store (see the module docstring)."""

    def __init__(self, max_entries: int = 2048) -> None:
        self.max_entries = max_entries
        self.generation = -1
        self._entries: OrderedDict[tuple[str, ...], Response] = OrderedDict()
        self.hits = 0
        self.misses = 0

    @staticmethod
    def key(request: Request) -> tuple[str, ...] | None:
        if request.method not in ("GET", "HEAD") or no_cache(request):
            return None
        return (request.method, request.headers.get("host", ""), request.url.path,
                request.url.query, request.headers.get("accept", ""))

    def get(self, key: tuple[str, ...], generation: int) -> Response | None:
        if generation != self.generation:
            self._entries.clear()
            self.generation = generation
            return None
        found = self._entries.get(key)
        if found is None:
            self.misses += 1
            return None
        self._entries.move_to_end(key)
        self.hits += 1
        return found

    def put(self, key: tuple[str, ...], generation: int, response: Response) -> None:
        if generation != self.generation or response.status_code not in (200, 303):
            return  # a commit landed while it was computed, or not an answer worth keeping
        self._entries[key] = response
        self._entries.move_to_end(key)
        while len(self._entries) > self.max_entries:
            self._entries.popitem(last=False)


def no_cache(request: Request) -> bool:
    """Requests that must not be answered from the cache (a client asking for a fresh answer)."""
    return "no-cache" in request.headers.get("cache-control", "")


__all__ = ["ResponseCache"]
