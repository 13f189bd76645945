"""Store access and IRI mapping for the pages, linked data and the JSON API: the one store of the
app, the data IRI base, the check that an IRI from a URL is safe to put in a query, and the mapper
between IRIs in the data and paths on this server (every link on a page stays local)."""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass
from urllib.parse import quote

from fastapi import HTTPException, Request
from openness.namespaces import PREFIXES, data_base
from openness.store import Store, open_store

#: The ontology's own namespaces (``https://w3id.org/openness/<name>#``), served at ``/<name>``.
ONTOLOGY_ROOT = "https://w3id.org/openness/"
ONTOLOGY_NAMESPACES: dict[str, str] = {
    iri[len(ONTOLOGY_ROOT) : -1]: iri
    for iri in PREFIXES.values()
    if iri.startswith(ONTOLOGY_ROOT) and iri.endswith("#")
}
#: What an IRI taken from a URL may look like before it is written into a query (``<...>``).
SAFE_IRI = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:[^\s<>\"{}|\\^`]*$")


def local_name(iri: str) -> str:
    """The last segment of an IRI (after ``#`` or ``/``): the fallback display label."""
    for sep in ("#", "/"):
        if sep in iri.rstrip(sep):
            iri = iri.rstrip(sep).rsplit(sep, 1)[1]
    return iri


_store_lock = threading.Lock()


def get_store(request: Request) -> Store:
    """The one store of this app (``app.state.store``), opened on first use if nobody opened it."""
    state = request.app.state
    store = getattr(state, "store", None)
    if store is None:
        with _store_lock:
            store = getattr(state, "store", None)
            if store is None:
                store = open_store(state.settings.store)
                state.store = store
    return store


def base_iri(request: Request) -> str:
    """The data IRI base the served graph uses (settings, else ``OPENNESS_BASE_IRI``, else w3id)."""
    base = getattr(request.app.state.settings, "base_iri", None) or data_base()
    return base if base.endswith(("/", "#")) else base + "/"


def check_iri(iri: str) -> str:
    """Refuse anything that could break out of ``<...>`` in a query (the IRI comes from a URL)."""
    if not SAFE_IRI.match(iri):
        raise HTTPException(status_code=404, detail=f"not an IRI this service knows: {iri!r}")
    return iri


@dataclass
class IriMapper:
    """Maps between IRIs in the data and paths on this server, so every link stays local."""

    base: str

    def iri_for(self, rest: str) -> str:
        return check_iri(self.base + rest)

    def local_rest(self, iri: str) -> str | None:
        return iri[len(self.base) :] if iri.startswith(self.base) and len(iri) > len(self.base) else None

    def href(self, iri: str) -> str:
        """Where a link to ``iri`` points: its page here, its ontology document, or a describe page."""
        rest = self.local_rest(iri)
        if rest is not None:
            return "/page/" + quote(rest, safe="/-._~")
        if iri.startswith(ONTOLOGY_ROOT) and "#" in iri:
            ns, _, term = iri[len(ONTOLOGY_ROOT) :].partition("#")
            if ns in ONTOLOGY_NAMESPACES:
                return f"/{ns}#{quote(term, safe='-._~')}"
        return "/resource?iri=" + quote(iri, safe="")
