"""One small store interface, two implementations.

* :class:`OxigraphStore`: the embedded default (pyoxigraph, on disk or in memory).
* :class:`SparqlStore`: any SPARQL 1.1 Query/Update endpoint (Oxigraph server, Fuseki,
  Virtuoso, GraphDB) through the SPARQL protocol.

Everything above this module (ingest, rules, tracing, the web service) talks to :class:`Store`
only, so the same code runs on a laptop and against a server.

Conventions every implementation keeps:

* **The default graph is a set.** Each ingested batch lives in its own named graph. The store's
  real default graph is kept as the RDF merge of the *source* graphs (every write mirrors them
  into it), so a triple that several batches hold counts once — pyoxigraph's own union mode
  counts it once per graph (oxigraph#1919). *Derived* graphs (under ``derived_graph_base()``:
  claim statuses, combined statuses, assessments) are written only by the derive rules, are
  disjoint from each other and are not mirrored; queries on the embedded store see them in the
  default graph too. On an external store, run the server *without* a union-default-graph
  mode: the mirror is plain SPARQL Update, and product code reads derived data with explicit
  ``GRAPH`` patterns (docs/derived-layer.md).
* **Atomic graph writes.** :meth:`Store.put_graph` replaces or adds one named graph in a single
  transaction (one SPARQL Update request), so a failed or killed write leaves the store as it was.
* Results come back as rdflib terms, whatever the backend.
"""

from __future__ import annotations

import datetime as dt
import os
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.term import Identifier, Node

from . import formats
from .namespaces import derived_graph_base

#: One SELECT solution: variable name -> URIRef, BNode or Literal (all str subclasses: ``int(row["n"])``).
Row = dict[str, Identifier]

#: RDF serialization formats by short name (``ttl``, ``nt``, ``nq``, ``trig``, ``jsonld``, ``rdfxml``).
RDF_FORMATS = formats.RDF_BY_KEY


class StoreError(RuntimeError):
    """A store could not be opened, read or written; the message says what to do."""


# --------------------------------------------------------------------------- term conversion


def to_rdflib(term: Any) -> Node | None:
    """Convert a pyoxigraph term to the equivalent rdflib term."""
    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        return Literal(term.value, datatype=URIRef(term.datatype.value))
    if isinstance(term, ox.DefaultGraph):
        return None
    raise TypeError(f"unsupported term {term!r}")


def to_oxigraph(term: Node) -> Any:
    """Convert an rdflib term to the equivalent pyoxigraph term."""
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    raise TypeError(f"unsupported term {term!r}")


def graph_to_ntriples(graph: Graph) -> str:
    """Serialize an rdflib graph as N-Triples text (also valid inside SPARQL ``INSERT DATA``)."""
    return graph.serialize(format="nt", encoding="utf-8").decode("utf-8")


class Iri(str):
    """An IRI read as a plain string: what :meth:`Store.select_plain` gives for named nodes."""

    __slots__ = ()


_XSD = "http://www.w3.org/2001/XMLSchema#"
_NUMBERS = {_XSD + "decimal", _XSD + "double", _XSD + "float"}


def _boolean(text: str) -> bool:
    return text in ("true", "1")


#: How a typed literal's lexical form becomes a Python value, by datatype IRI (others stay text).
_CONVERT: dict[str, Callable[[str], Any]] = {
    _XSD + "integer": int,
    **{dtype: float for dtype in _NUMBERS},
    _XSD + "boolean": _boolean,
    _XSD + "dateTime": dt.datetime.fromisoformat,
    _XSD + "date": dt.date.fromisoformat,
}


def _typed(text: str, dtype: str | None) -> Any:
    convert = _CONVERT.get(dtype) if dtype else None
    if convert is None:
        return text
    try:
        return convert(text)
    except ValueError:
        return text


def plain_value(term: Any) -> Any:
    """A pyoxigraph term as a plain Python value: :class:`Iri` for IRIs, ``int`` / ``float`` /
    ``bool`` / ``datetime`` / ``date`` for typed literals, else the lexical form."""
    if isinstance(term, ox.NamedNode):
        return Iri(term.value)
    if isinstance(term, ox.Literal):
        return _typed(term.value, term.datatype.value)
    if isinstance(term, ox.BlankNode):
        return "_:" + term.value
    return None


def _plain_json(value: dict[str, str]) -> Any:
    """A SPARQL JSON results term as :func:`plain_value` gives it."""
    kind = value["type"]
    if kind == "uri":
        return Iri(value["value"])
    if kind == "bnode":
        return "_:" + value["value"]
    return _typed(value["value"], value.get("datatype"))


# --------------------------------------------------------------------------- interface


class Store(ABC):
    """What openness-graph needs from a triple store. Queries use union-default-graph semantics."""

    # -- reading
    @abstractmethod
    def select(self, query: str, *, sources_only: bool = False) -> list[Row]:
        """Run a SELECT query; one dict per solution, unbound variables left out.

        ``sources_only``: the default graph is the source data only, without the derived graphs
        (product queries read derived data with explicit ``GRAPH derived:…`` patterns; on the
        embedded store a default graph of one graph is several times faster than ten)."""

    def select_plain(self, query: str, *, sources_only: bool = False) -> list[dict[str, Any]]:
        """Like :meth:`select`, with plain Python values (:func:`plain_value`): for readers that
        turn many rows into records and need no rdflib terms (much faster on big results)."""
        return [{k: plain_value(to_oxigraph(v)) for k, v in row.items()}
                for row in self.select(query, sources_only=sources_only)]

    @abstractmethod
    def ask(self, query: str) -> bool:
        """Run an ASK query."""

    @abstractmethod
    def construct(self, query: str) -> Graph:
        """Run a CONSTRUCT or DESCRIBE query into an rdflib graph."""

    @abstractmethod
    def query_raw(
        self,
        query: str,
        media_type: str,
        *,
        default_graphs: list[str] | None = None,
        named_graphs: list[str] | None = None,
    ) -> bytes:
        """Run any query and serialize its result in ``media_type`` (a results media type of
        :mod:`openness.formats` for SELECT/ASK, an RDF one for CONSTRUCT/DESCRIBE)."""

    @abstractmethod
    def graph_names(self) -> list[str]:
        """IRIs of the named graphs in the store."""

    @abstractmethod
    def count(self, graph: str | None = None) -> int:
        """Number of quads in the whole store, or triples in one named graph."""

    def __len__(self) -> int:
        return self.count()

    def source_count(self) -> int:
        """Distinct triples of the source data: the default graph, which is the merge of the source
        graphs (no derived layer). One index count — cheap enough to report after every write."""
        rows = self.select("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", sources_only=True)
        return int(str(rows[0]["n"])) if rows else 0

    def has_graph(self, graph: str) -> bool:
        return self.ask(f"ASK {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}")

    def get_graph(self, graph: str) -> Graph:
        """The triples of one named graph."""
        return self.construct(f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}")

    # -- writing
    @abstractmethod
    def update(self, update: str) -> None:
        """Run a SPARQL 1.1 Update in one transaction."""

    def put_graph(self, graph: str, data: Graph, *, replace: bool = True) -> None:
        """Write ``data`` into named graph ``graph`` atomically (replacing what it held by default)."""
        self.put_graphs({graph: data}, replace=replace)

    def put_graphs(self, graphs: dict[str, Graph], *, replace: bool = True) -> None:
        """Write several named graphs in one transaction (all or nothing), default graph mirrored."""
        ops = write_operations(graphs, replace=replace)
        if ops:
            self.update(" ;\n".join(ops))

    def drop_graph(self, graph: str) -> None:
        """Remove one named graph (and its triples from the default graph, unless another holds them)."""
        self.drop_graphs([graph])

    def drop_graphs(self, graphs: Iterable[str]) -> None:
        ops = drop_operations(list(graphs))
        if ops:
            self.update(" ;\n".join(ops))

    def sync_default_graph(self) -> None:
        """Rebuild the default graph as the merge of every source graph (one transaction).

        For a store written before the default graph was kept as a set, or after a raw SPARQL
        Update that wrote named graphs without :func:`write_operations`.
        """
        self.update(" ;\n".join(sync_operations()))

    # -- whole-store
    def dump(self, fmt: str = "nq") -> bytes:
        """Serialize the store. Dataset formats (nq, trig, jsonld) keep named graphs; graph formats
        (ttl, nt, rdfxml) give the union of all graphs."""
        return self._dump(fmt)

    @abstractmethod
    def _dump(self, fmt: str) -> bytes: ...

    def to_dataset(self) -> Dataset:
        """The whole store as an rdflib Dataset (for notebooks and isomorphism checks)."""
        ds = Dataset()
        ds.parse(data=self.dump("nq"), format="nquads")
        return ds

    def close(self) -> None:  # noqa: B027 - optional hook
        """Release the store (file locks, connections)."""

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


# --------------------------------------------------------------------------- the default graph as a set


def is_derived(graph: str) -> bool:
    """Whether a named graph belongs to the derived layer (written by the derive rules only)."""
    return str(graph).startswith(derived_graph_base())


def _not_elsewhere(graphs: list[str]) -> str:
    """A FILTER NOT EXISTS: the triple ?s ?p ?o is in no source graph outside ``graphs``."""
    listed = ", ".join(f"<{g}>" for g in graphs)
    return (f"FILTER NOT EXISTS {{ GRAPH ?other {{ ?s ?p ?o }} "
            f"FILTER(?other NOT IN ({listed}) && !STRSTARTS(STR(?other), \"{derived_graph_base()}\")) }}")


def _graph_values(graphs: Iterable[str]) -> str:
    return "VALUES ?g { " + " ".join(f"<{g}>" for g in graphs) + " }"


def unmirror_operations(graphs: list[str]) -> list[str]:
    """SPARQL Update operations that take the triples of source ``graphs`` out of the default
    graph, unless another source graph holds them too. Run them before the graphs change."""
    sources = [g for g in graphs if not is_derived(g)]
    if not sources:
        return []
    return [f"DELETE {{ ?s ?p ?o }} WHERE {{ {_graph_values(sources)} GRAPH ?g {{ ?s ?p ?o }} "
            f"{_not_elsewhere(sources)} }}"]


def mirror_operations(graphs: Iterable[str]) -> list[str]:
    """SPARQL Update operations that copy source ``graphs`` into the default graph."""
    sources = [g for g in graphs if not is_derived(g)]
    if not sources:
        return []
    return [f"INSERT {{ ?s ?p ?o }} WHERE {{ {_graph_values(sources)} GRAPH ?g {{ ?s ?p ?o }} }}"]


def write_operations(graphs: dict[str, Graph], *, replace: bool = True,
                     existing: Iterable[str] | None = None) -> list[str]:
    """The operations of one transaction that writes ``graphs`` (replacing them by default) and
    keeps the default graph the merge of the source graphs. ``existing``: the graphs the store
    holds, when known (graphs it lacks need no removal)."""
    held = list(graphs) if existing is None else [g for g in graphs if g in set(existing)]
    ops = unmirror_operations(held) if replace else []
    if replace:
        ops += [f"DROP SILENT GRAPH <{name}>" for name in held]
    for name, data in graphs.items():
        if len(data):
            ops.append(f"INSERT DATA {{ GRAPH <{name}> {{\n{graph_to_ntriples(data)}\n}} }}")
    return ops + mirror_operations(graphs)


def drop_operations(graphs: list[str]) -> list[str]:
    """The operations that remove named ``graphs``, default graph kept in step."""
    return unmirror_operations(graphs) + [f"DROP SILENT GRAPH <{g}>" for g in graphs]


def sync_operations() -> list[str]:
    """Operations that rebuild the default graph from every source graph."""
    base = derived_graph_base()
    return ["DROP SILENT DEFAULT",
            "INSERT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } "
            f"FILTER(!STRSTARTS(STR(?g), \"{base}\")) }}"]


# --------------------------------------------------------------------------- embedded


class OxigraphStore(Store):
    """The embedded store: pyoxigraph on disk (``path``) or in memory (``path=None``)."""

    def __init__(self, path: str | os.PathLike[str] | None = None, *, read_only: bool = False) -> None:
        self.path = Path(path) if path is not None else None
        self.read_only = read_only
        self._derived: list[ox.NamedNode] | None = None
        try:
            if self.path is None:
                self._store = ox.Store()
            elif read_only:
                self._store = ox.Store.read_only(str(self.path))
            else:
                self.path.mkdir(parents=True, exist_ok=True)
                self._store = ox.Store(str(self.path))
        except OSError as err:
            raise StoreError(
                f"cannot open the store at {self.path}: {err}. Another openness process may hold it "
                "(stop it, or pass --store with another path)."
            ) from err
        if self.path is not None and not read_only and self._default_graph_missing():
            self.sync_default_graph()  # a store written before the default graph was kept as a set

    def _default_graph_missing(self) -> bool:
        has_named = bool(self._store.query("ASK { GRAPH ?g { ?s ?p ?o } }"))
        return has_named and not bool(self._store.query("ASK { ?s ?p ?o }"))

    @property
    def native(self) -> ox.Store:
        """The pyoxigraph store itself, for callers that need its speed directly."""
        return self._store

    def default_dataset(self) -> list[Any]:
        """The query dataset's default graph: the store's default graph (the merge of the source
        graphs) plus the current derived graphs (disjoint by construction), so still a set.
        Derived views as of a date (``derived:as-of/...``) stay out of it (reach them with GRAPH)."""
        if self._derived is None:
            base = derived_graph_base()
            self._derived = [g for g in self._store.named_graphs()
                             if isinstance(g, ox.NamedNode) and g.value.startswith(base)
                             and "/" not in g.value[len(base):]]
        return [ox.DefaultGraph(), *self._derived]

    def _query(self, query: str, *, sources_only: bool = False, **kwargs: Any) -> Any:
        try:
            if sources_only:
                return self._store.query(query, **kwargs)  # the store's default graph: the sources
            return self._store.query(query, default_graph=self.default_dataset(), **kwargs)
        except SyntaxError as err:
            raise ValueError(f"SPARQL syntax error: {err}") from err

    def select(self, query: str, *, sources_only: bool = False) -> list[Row]:
        solutions = self._query(query, sources_only=sources_only)
        if not isinstance(solutions, ox.QuerySolutions):
            raise ValueError("select() needs a SELECT query")
        names = [v.value for v in solutions.variables]
        rows: list[Row] = []
        for solution in solutions:
            row: Row = {}
            for name in names:
                value = solution[name]
                if value is not None:
                    row[name] = to_rdflib(value)  # type: ignore[assignment]
            rows.append(row)
        return rows

    def select_plain(self, query: str, *, sources_only: bool = False) -> list[dict[str, Any]]:
        solutions = self._query(query, sources_only=sources_only)
        if not isinstance(solutions, ox.QuerySolutions):
            raise ValueError("select_plain() needs a SELECT query")
        # the engine's own JSON results writer and the C JSON parser beat a Python loop over
        # solutions by ~3x on big results
        import json

        data = json.loads(solutions.serialize(format=ox.QueryResultsFormat.JSON) or b"{}")
        bindings = data.get("results", {}).get("bindings", [])
        return [{k: _plain_json(v) for k, v in b.items()} for b in bindings]

    def ask(self, query: str) -> bool:
        result = self._query(query)
        if not isinstance(result, ox.QueryBoolean):
            raise ValueError("ask() needs an ASK query")
        return bool(result)

    def construct(self, query: str) -> Graph:
        result = self._query(query)
        if not isinstance(result, ox.QueryTriples):
            raise ValueError("construct() needs a CONSTRUCT or DESCRIBE query")
        graph = Graph()
        data = result.serialize(format=ox.RdfFormat.N_TRIPLES)
        if data:
            graph.parse(data=data.decode("utf-8"), format="nt")
        return graph

    def query_raw(
        self,
        query: str,
        media_type: str,
        *,
        default_graphs: list[str] | None = None,
        named_graphs: list[str] | None = None,
    ) -> bytes:
        kwargs: dict[str, Any] = {}
        if default_graphs:
            kwargs["default_graph"] = [ox.NamedNode(g) for g in default_graphs]
        if named_graphs:
            kwargs["named_graphs"] = [ox.NamedNode(g) for g in named_graphs]
        try:
            if not default_graphs:
                kwargs["default_graph"] = self.default_dataset()
            result = self._store.query(query, **kwargs)
        except SyntaxError as err:
            raise ValueError(f"SPARQL syntax error: {err}") from err
        if isinstance(result, ox.QueryTriples):
            fmt = formats.RDF_BY_MEDIA.get(media_type)
            if fmt is None:
                raise ValueError(f"cannot serialize a graph result as {media_type}")
            return result.serialize(format=fmt.ox) or b""
        fmt_r = formats.RESULTS_BY_MEDIA.get(media_type)
        if fmt_r is None:
            raise ValueError(f"cannot serialize a SELECT/ASK result as {media_type}")
        return result.serialize(format=fmt_r.ox) or b""

    def graph_names(self) -> list[str]:
        return sorted(g.value for g in self._store.named_graphs() if isinstance(g, ox.NamedNode))

    def count(self, graph: str | None = None) -> int:
        """Quads in the named graphs (the default graph is their mirror and not counted), or
        triples in one named graph."""
        if graph is None:
            q = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"
        else:
            q = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}"
        solutions = self._store.query(q)
        assert isinstance(solutions, ox.QuerySolutions)
        return int(next(solutions)["n"].value)

    def update(self, update: str) -> None:
        """Run a SPARQL Update; one call is one transaction in Oxigraph (all or nothing)."""
        try:
            self._store.update(update)
        except SyntaxError as err:
            raise ValueError(f"SPARQL Update syntax error: {err}") from err
        finally:
            self._derived = None  # the set of derived graphs may have changed

    def quads(self, graph: str | None = None) -> Iterator[tuple[Node, Node, Node, Node | None]]:
        g = ox.NamedNode(graph) if graph else None
        for q in self._store.quads_for_pattern(None, None, None, g):
            yield to_rdflib(q.subject), to_rdflib(q.predicate), to_rdflib(q.object), to_rdflib(q.graph_name)  # type: ignore[misc]

    def _dump(self, fmt: str) -> bytes:
        spec = formats.rdf_format(fmt)
        ox_fmt = spec.ox
        if spec.datasets:
            # Named graphs only: the default graph is their mirror, rebuilt on load.
            quads = (q for q in self._store if not isinstance(q.graph_name, ox.DefaultGraph))
            return ox.serialize(quads, format=ox_fmt) or b""
        # Graph formats: the default dataset (a set: the merge of all graphs).
        result = self._query("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }")
        return result.serialize(format=ox_fmt) or b""

    def load_file(self, path: str | os.PathLike[str], fmt: str, graph: str | None = None) -> None:
        """Load a serialized file in one transaction (dataset formats keep their graphs)."""
        spec = formats.rdf_format(fmt)
        kwargs: dict[str, Any] = {}
        if graph and not spec.datasets:
            kwargs["to_graph"] = ox.NamedNode(graph)
        self._store.load(path=str(path), format=spec.ox, **kwargs)
        self.sync_default_graph()

    def flush(self) -> None:
        if self.path is not None and hasattr(self, "_store") and not self.read_only:
            self._store.flush()

    def close(self) -> None:
        self.flush()
        if self.path is not None and hasattr(self, "_store"):
            # Dropping the native store releases the directory lock, so that another process (or
            # another OxigraphStore) can open the same path right away; the object is unusable after.
            del self._store


# --------------------------------------------------------------------------- remote


class SparqlStore(Store):
    """A remote SPARQL 1.1 endpoint reached through the SPARQL 1.1 Protocol (plain HTTP, httpx).

    ``query_url`` answers queries; ``update_url`` (optional) takes updates; ``graph_store_url``
    (optional, or ``$OPENNESS_GRAPH_STORE_URL``) is a Graph Store endpoint that takes a whole
    dataset in one request (``openness serve``'s ``/rdf-graph-store``), used by :meth:`put_graphs`
    and :meth:`drop_graphs`. ``token`` (or ``$OPENNESS_UPDATE_TOKEN``) is sent as
    ``Authorization: Bearer`` with every write. The endpoint's default graph must be the merge of
    its named graphs (see the module docstring).

    Why no SPARQL client library: every request is one POST with the query in the body and the
    wanted format in the ``Accept`` header, which any SPARQL 1.1 endpoint honours. SPARQLWrapper
    also added ``format=xml`` to the URL (an endpoint that honours it, ``openness serve`` among
    them, then answered XML to a client parsing JSON) and guessed the query form from keywords,
    comments included (a rule header saying "drops" went out as an update).
    """

    def __init__(self, query_url: str, update_url: str | None = None, *, timeout: float = 60.0,
                 graph_store_url: str | None = None, token: str | None = None) -> None:
        import httpx  # imported here: only remote users pay for it

        self.query_url = query_url
        self.update_url = update_url
        self.graph_store_url = graph_store_url or os.environ.get("OPENNESS_GRAPH_STORE_URL") or None
        self._token = token or os.environ.get("OPENNESS_UPDATE_TOKEN") or None
        self._timeout = timeout
        self._http = httpx.Client(timeout=timeout)

    def _write_headers(self, content_type: str) -> dict[str, str]:
        headers = {"Content-Type": content_type}
        if self._token:
            headers["Authorization"] = f"Bearer {self._token}"
        return headers

    def _run(self, query: str, accept: str, *, params: list[tuple[str, str]] | None = None) -> bytes:
        """POST one query directly (a SPARQL protocol query body), asking for ``accept``."""
        import httpx

        try:
            resp = self._http.post(
                self.query_url,
                params=tuple(params) if params else None,
                content=query.encode("utf-8"),
                headers={"Content-Type": formats.SPARQL_QUERY, "Accept": accept},
            )
        except httpx.HTTPError as err:
            raise StoreError(f"SPARQL endpoint {self.query_url} could not be reached: {err}") from err
        if resp.status_code >= 400:
            raise StoreError(
                f"SPARQL endpoint {self.query_url} refused the query ({resp.status_code}): {resp.text[:500]}"
            )
        media = resp.headers.get("content-type", "").split(";")[0].strip().lower()
        if accept.endswith("json") and media and "json" not in media:
            raise StoreError(
                f"SPARQL endpoint {self.query_url} answered {media} to a request for {accept}"
            )
        return resp.content

    def select(self, query: str, *, sources_only: bool = False) -> list[Row]:
        import json

        # the endpoint's default graph is the merge of the source graphs: sources_only holds anyway
        data = json.loads(self._run(query, formats.SPARQL_JSON))
        if "results" not in data:
            raise ValueError("select() needs a SELECT query")
        return [{k: _json_term(v) for k, v in b.items()} for b in data["results"]["bindings"]]

    def ask(self, query: str) -> bool:
        import json

        data = json.loads(self._run(query, formats.SPARQL_JSON))
        if "boolean" not in data:
            raise ValueError("ask() needs an ASK query")
        return bool(data["boolean"])

    def construct(self, query: str) -> Graph:
        graph = Graph()
        data = self._run(query, formats.N_TRIPLES)
        if data.strip():
            graph.parse(data=data.decode("utf-8"), format="nt")
        return graph

    def query_raw(
        self,
        query: str,
        media_type: str,
        *,
        default_graphs: list[str] | None = None,
        named_graphs: list[str] | None = None,
    ) -> bytes:
        params = [("default-graph-uri", g) for g in default_graphs or []]
        params += [("named-graph-uri", g) for g in named_graphs or []]
        return self._run(query, media_type, params=params)

    def graph_names(self) -> list[str]:
        rows = self.select("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }")
        return sorted(str(r["g"]) for r in rows)

    def count(self, graph: str | None = None) -> int:
        if graph is None:
            # Every batch lives in a named graph; the server's default graph is their merge.
            q = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"
        else:
            q = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}"
        rows = self.select(q)
        return int(rows[0]["n"]) if rows else 0

    def _post_write(self, url: str, body: bytes, content_type: str, method: str = "POST") -> None:
        import httpx

        try:
            resp = self._http.request(method, url, content=body, headers=self._write_headers(content_type))
        except httpx.HTTPError as err:
            raise StoreError(f"SPARQL endpoint {url} could not be reached: {err}") from err
        if resp.status_code >= 400:
            raise StoreError(
                f"SPARQL endpoint {url} refused the write ({resp.status_code}): {resp.text[:500]}"
            )

    def update(self, update: str) -> None:
        if not self.update_url:
            raise StoreError(
                f"the SPARQL store at {self.query_url} is read-only here: give an update endpoint "
                "(OPENNESS_UPDATE_URL or --update-url) to write to it"
            )
        self._post_write(self.update_url, update.encode("utf-8"), formats.SPARQL_UPDATE)

    def put_graphs(self, graphs: dict[str, Graph], *, replace: bool = True) -> None:
        """Write several named graphs in one transaction: one Graph Store request with the whole
        dataset (N-Quads) when a ``graph_store_url`` is known (the server maintains its default
        graph and derived layer itself), else one SPARQL Update."""
        if not self.graph_store_url:
            super().put_graphs(graphs, replace=replace)
            return
        quads = [ox.Quad(to_oxigraph(s), to_oxigraph(p), to_oxigraph(o), ox.NamedNode(name))
                 for name, data in graphs.items() for s, p, o in data]
        body = ox.serialize(quads, format=ox.RdfFormat.N_QUADS) or b""
        self._post_write(self.graph_store_url, body, formats.N_QUADS, "PUT" if replace else "POST")

    def drop_graphs(self, graphs: Iterable[str]) -> None:
        if not self.graph_store_url:
            super().drop_graphs(graphs)
            return
        import urllib.parse

        for name in graphs:  # the Graph Store protocol drops one graph per request
            url = self.graph_store_url + ("&" if "?" in self.graph_store_url else "?")
            self._post_write(url + urllib.parse.urlencode({"graph": name}), b"", formats.TEXT, "DELETE")

    def _dump(self, fmt: str) -> bytes:
        spec = formats.rdf_format(fmt)
        ox_fmt = spec.ox
        if not spec.datasets:
            return self._run("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", spec.media_type)
        # Named graphs are not reachable by CONSTRUCT: fetch each one and re-serialize as quads.
        quads: list[ox.Quad] = []
        for name in self.graph_names():
            data = self._run(
                f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{name}> {{ ?s ?p ?o }} }}", formats.N_TRIPLES
            )
            for t in ox.parse(data, format=ox.RdfFormat.N_TRIPLES):
                quads.append(ox.Quad(t.subject, t.predicate, t.object, ox.NamedNode(name)))
        return ox.serialize(quads, format=ox_fmt) or b""

    def close(self) -> None:
        self._http.close()


def _json_term(value: dict[str, str]) -> Identifier:
    kind = value["type"]
    if kind == "uri":
        return URIRef(value["value"])
    if kind == "bnode":
        return BNode(value["value"])
    if "xml:lang" in value:
        return Literal(value["value"], lang=value["xml:lang"])
    if "datatype" in value:
        return Literal(value["value"], datatype=URIRef(value["datatype"]))
    return Literal(value["value"])


# --------------------------------------------------------------------------- opening


def default_store_path() -> Path:
    """Where the embedded store lives unless told otherwise: $OPENNESS_STORE, else the user data dir."""
    env = os.environ.get("OPENNESS_STORE")
    if env:
        return Path(env).expanduser()
    from platformdirs import user_data_dir

    return Path(user_data_dir("openness-graph", appauthor=False)) / "store"


def open_store(location: str | os.PathLike[str] | None = None, *, read_only: bool = False,
               update_url: str | None = None) -> Store:
    """Open a store from a location string.

    * ``None``: the default embedded store (:func:`default_store_path`);
    * ``":memory:"``: a fresh in-memory store;
    * ``http(s)://...``: a remote SPARQL endpoint (updates go to ``update_url`` or
      $OPENNESS_UPDATE_URL);
    * anything else: a directory for an embedded on-disk store.
    """
    if location is None:
        location = os.environ.get("OPENNESS_STORE") or default_store_path()
    text = str(location)
    if text == ":memory:":
        return OxigraphStore(None)
    if text.startswith(("http://", "https://")):
        return SparqlStore(text, update_url or os.environ.get("OPENNESS_UPDATE_URL"))
    return OxigraphStore(text, read_only=read_only)


def iter_chunks(items: Iterable[Any], size: int) -> Iterator[list[Any]]:
    """Yield lists of at most ``size`` items (for progress bars over long work)."""
    chunk: list[Any] = []
    for item in items:
        chunk.append(item)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


__all__ = [
    "RDF_FORMATS",
    "OxigraphStore",
    "Row",
    "SparqlStore",
    "Store",
    "StoreError",
    "default_store_path",
    "graph_to_ntriples",
    "iter_chunks",
    "open_store",
    "to_oxigraph",
    "to_rdflib",
]
