"""A query worker: one killable process that runs SPARQL queries on the store, read-only.

Why a process: a SPARQL query can run for ever (a cartesian product, a property path over a big
graph), and pyoxigraph cannot be interrupted from Python. The service (:mod:`.query_service`) runs
each query in one of these workers and kills the worker when the query's time is up, so the work
really stops and the web server's event loop never waits on it.

What a worker does, and why:

* It isolates itself from the network first (a fresh Linux network namespace with no interfaces,
  when the kernel allows it): Oxigraph has an HTTP client for ``SERVICE``, and the endpoint's own
  inspection (:mod:`.safety`) refusing ``SERVICE`` should not be the only wall.
* It opens the embedded store with ``Store.read_only`` (many readers, no lock, no writes).
* It reads requests from stdin and writes answers to stdout as length-prefixed pickles (a private
  pipe between two processes of the same program: nothing else reads or writes it).
* It streams results and stops after ``max_rows + 1`` rows, so a huge result costs no more than a
  small one and a cut is always detected and reported (``truncated``), never silent.

Run as ``python -m openness.api.query_worker STORE_PATH``. :func:`execute` is also used in-process
for stores that are not on disk (``:memory:``).
"""

from __future__ import annotations

import ctypes
import json
import os
import pickle
import struct
import sys
from typing import Any, BinaryIO

import pyoxigraph as ox

from .negotiation import RDF_MEDIA_TYPES, RESULTS_MEDIA_TYPES

#: Documented meaning of a truncated result, linked from truncated SPARQL JSON/XML results.
TRUNCATION_LINK = "https://w3id.org/openness/ns#TruncatedResult"

_RESULTS_FORMATS = {
    "application/sparql-results+json": ox.QueryResultsFormat.JSON,
    "application/sparql-results+xml": ox.QueryResultsFormat.XML,
    "text/csv": ox.QueryResultsFormat.CSV,
    "text/tab-separated-values": ox.QueryResultsFormat.TSV,
}
_RDF_FORMATS = {
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "application/ld+json": ox.RdfFormat.JSON_LD,
    "application/rdf+xml": ox.RdfFormat.RDF_XML,
    "application/trig": ox.RdfFormat.TRIG,
    "application/n-quads": ox.RdfFormat.N_QUADS,
}
assert set(_RESULTS_FORMATS) == set(RESULTS_MEDIA_TYPES) and set(_RDF_FORMATS) == set(RDF_MEDIA_TYPES)

_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
_RDF_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"


class QueryError(Exception):
    """The query could not run; ``kind`` is ``syntax``, ``not_acceptable`` or ``store``."""

    def __init__(self, kind: str, message: str) -> None:
        self.kind = kind
        super().__init__(message)


# --------------------------------------------------------------------------- execution


def execute(store: ox.Store, request: dict[str, Any]) -> dict[str, Any]:
    """Run one query request and serialize its (capped) result.

    ``request`` keys: ``query``; ``results_media_type`` (for SELECT/ASK) and ``rdf_media_type``
    (for CONSTRUCT/DESCRIBE), either may be None when that kind is not acceptable; ``max_rows``;
    optional ``default_graphs`` / ``named_graphs`` (IRIs), ``query_dataset`` (the query has its
    own FROM / FROM NAMED) and ``base_iri``.
    Returns ``{"form", "media_type", "body", "rows", "truncated"}``; raises :class:`QueryError`.
    """
    kwargs: dict[str, Any] = {}
    if request.get("default_graphs"):
        kwargs["default_graph"] = [ox.NamedNode(g) for g in request["default_graphs"]]
    elif not request.get("query_dataset"):
        # No dataset from the protocol or from FROM / FROM NAMED: the default graph is the union
        # of all graphs (the store's convention). Oxigraph lets this flag win over FROM, so it is
        # only set when the query has no dataset clause of its own.
        kwargs["use_default_graph_as_union"] = True
    if request.get("named_graphs"):
        kwargs["named_graphs"] = [ox.NamedNode(g) for g in request["named_graphs"]]
    if request.get("base_iri"):
        kwargs["base_iri"] = request["base_iri"]
    try:
        result = store.query(request["query"], **kwargs)
    except SyntaxError as err:
        raise QueryError("syntax", f"SPARQL syntax error: {err}") from err
    except (OSError, ValueError) as err:
        raise QueryError("store", f"the query failed: {err}") from err
    max_rows = int(request["max_rows"])
    try:
        if isinstance(result, ox.QueryBoolean):
            return _boolean(result, request)
        if isinstance(result, ox.QuerySolutions):
            return _solutions(result, request, max_rows)
        return _triples(result, request, max_rows)
    except (OSError, ValueError) as err:  # evaluation errors surface while iterating
        raise QueryError("store", f"the query failed while running: {err}") from err


def _boolean(result: ox.QueryBoolean, request: dict[str, Any]) -> dict[str, Any]:
    media = request.get("results_media_type")
    if media is None:
        raise QueryError("not_acceptable", "an ASK query answers with SPARQL results")
    body = result.serialize(format=_RESULTS_FORMATS[media]) or b""
    return {"form": "ask", "media_type": media, "body": body, "rows": 1, "truncated": False}


def _solutions(result: ox.QuerySolutions, request: dict[str, Any], max_rows: int) -> dict[str, Any]:
    media = request.get("results_media_type")
    if media is None:
        raise QueryError("not_acceptable", "a SELECT query answers with SPARQL results")
    names = [v.value for v in result.variables]
    bindings: list[dict[str, Any]] = []
    truncated = False
    for solution in result:
        if len(bindings) >= max_rows:
            truncated = True  # row max_rows + 1 exists: the cut is real
            break
        row = {}
        for name in names:
            value = solution[name]
            if value is not None:
                row[name] = _json_term(value)
        bindings.append(row)
    document: dict[str, Any] = {"head": {"vars": names}, "results": {"bindings": bindings}}
    data = json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    if media != "application/sparql-results+json":
        # Let Oxigraph write XML/CSV/TSV from the capped JSON: one encoder per format, all Oxigraph's.
        reparsed = ox.parse_query_results(data, format=ox.QueryResultsFormat.JSON)
        data = reparsed.serialize(format=_RESULTS_FORMATS[media]) or b""
    if truncated:
        data = _mark_results(data, media, max_rows)
    return {
        "form": "select",
        "media_type": media,
        "body": data,
        "rows": len(bindings),
        "truncated": truncated,
    }


def _triples(result: ox.QueryTriples, request: dict[str, Any], max_rows: int) -> dict[str, Any]:
    media = request.get("rdf_media_type")
    if media is None:
        raise QueryError("not_acceptable", "a CONSTRUCT or DESCRIBE query answers with RDF")
    triples: list[ox.Triple] = []
    truncated = False
    for triple in result:
        if len(triples) >= max_rows:
            truncated = True
            break
        triples.append(triple)
    body = ox.serialize(triples, format=_RDF_FORMATS[media]) or b""
    if truncated:
        body = _mark_rdf(body, media, max_rows)
    return {"form": "graph", "media_type": media, "body": body, "rows": len(triples), "truncated": truncated}


def _json_term(term: Any) -> dict[str, Any]:
    """A pyoxigraph term in the SPARQL 1.1 JSON results encoding (RDF 1.2 triple terms too)."""
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Literal):
        out: dict[str, Any] = {"type": "literal", "value": term.value}
        if term.language:
            out["xml:lang"] = term.language
        elif term.datatype.value not in (_XSD_STRING, _RDF_LANG_STRING):
            out["datatype"] = term.datatype.value
        return out
    if isinstance(term, ox.Triple):
        return {
            "type": "triple",
            "value": {
                "subject": _json_term(term.subject),
                "predicate": _json_term(term.predicate),
                "object": _json_term(term.object),
            },
        }
    raise TypeError(f"unsupported term {term!r}")


def _mark_results(data: bytes, media: str, max_rows: int) -> bytes:
    """Say in the body that a SELECT result was cut (CSV/TSV have no room: headers only)."""
    if media == "application/sparql-results+json":
        document = json.loads(data)
        document["head"]["link"] = [TRUNCATION_LINK]
        document["truncated"] = True
        document["maxRows"] = max_rows
        return json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    if media == "application/sparql-results+xml":
        # The results format's own place for metadata: <link href> after the variables in <head>.
        if b"</head>" in data:
            return data.replace(b"</head>", f'<link href="{TRUNCATION_LINK}"/></head>'.encode(), 1)
        return data.replace(b"<head/>", f'<head><link href="{TRUNCATION_LINK}"/></head>'.encode(), 1)
    return data


def _mark_rdf(data: bytes, media: str, max_rows: int) -> bytes:
    """Say in the body that a graph result was cut, as a comment where the syntax has comments."""
    note = f"truncated: only the first {max_rows} triples (the server's max-rows); see {TRUNCATION_LINK}"
    if media in ("text/turtle", "application/n-triples", "application/trig", "application/n-quads"):
        return f"# {note}\n".encode() + data
    if media == "application/rdf+xml":
        decl_end = data.find(b"?>") + 2 if data.startswith(b"<?xml") else 0
        return data[:decl_end] + f"\n<!-- {note} -->".encode() + data[decl_end:]
    return data  # JSON-LD has no comments: the response headers carry the signal


# --------------------------------------------------------------------------- isolation


def isolate_network() -> bool:
    """Move this process into an empty network namespace; True if it worked.

    Unprivileged processes need a user namespace for that; either may be forbidden by the kernel
    or a container, in which case the worker still runs, protected by the endpoint's inspection.
    """
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(None, use_errno=True)
    except OSError:
        return False
    clone_newnet, clone_newuser = 0x40000000, 0x10000000
    if libc.unshare(clone_newnet) == 0:
        return True
    return libc.unshare(clone_newuser | clone_newnet) == 0


# --------------------------------------------------------------------------- pipe protocol


def write_message(stream: BinaryIO, message: Any) -> None:
    data = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
    stream.write(struct.pack(">Q", len(data)) + data)
    stream.flush()


def read_message(stream: BinaryIO) -> Any:
    header = stream.read(8)
    if len(header) < 8:
        raise EOFError("pipe closed")
    (size,) = struct.unpack(">Q", header)
    data = stream.read(size)
    if len(data) < size:
        raise EOFError("pipe closed mid-message")
    return pickle.loads(data)


def serve(path: str) -> None:
    """The worker loop: answer requests until stdin closes."""
    out = os.fdopen(os.dup(sys.stdout.fileno()), "wb")
    sys.stdout = sys.stderr  # nothing may write to the protocol pipe by accident
    inp = os.fdopen(os.dup(sys.stdin.fileno()), "rb")
    isolated = isolate_network()
    try:
        store = ox.Store.read_only(path) if path != ":memory:" else ox.Store()
    except OSError as err:
        write_message(out, {"ready": False, "message": f"cannot open the store at {path} read-only: {err}"})
        return
    write_message(out, {"ready": True, "isolated": isolated, "pid": os.getpid()})
    while True:
        try:
            request = read_message(inp)
        except EOFError:
            return
        try:
            answer: dict[str, Any] = {"ok": True, **execute(store, request)}
        except QueryError as err:
            answer = {"ok": False, "kind": err.kind, "message": str(err)}
        except Exception as err:  # noqa: BLE001 - report anything, keep serving
            answer = {"ok": False, "kind": "store", "message": f"{type(err).__name__}: {err}"}
        write_message(out, answer)


if __name__ == "__main__":
    serve(sys.argv[1])
