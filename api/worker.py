"""A query worker: one killable, network-less process that runs SPARQL on a snapshot of the store.

Why a process: a SPARQL query can run for ever (a cartesian product, a property path) or crash
the engine (deep nesting overflows Oxigraph's native stack), and pyoxigraph cannot be interrupted
from Python. The service (:mod:`.pool`) runs each query in a worker and kills the worker when the
query's time is up, so the work really stops, and a crash costs one worker, not the server.

Why a snapshot: the server process holds the store read-write and is its only writer (the write
gate). After every commit it makes a RocksDB checkpoint of the store — hard links to the immutable
data files, about 0.1 s — numbered by a *generation* (:mod:`.snapshots`). Every request names the
generation it must see; a worker on an older one reopens the newer checkpoint first (about
0.01 s). So every worker answers from the state of the last commit, as soon as the commit
returns, and no process ever opens a store that another process writes (which Oxigraph documents
as undefined behaviour).

What a worker does with a request (``op``):

* ``query`` — check the text's depth and refuse SERVICE/LOAD before the engine sees it
  (:mod:`openness.precheck`); run it with the endpoint URL as base IRI and the project prefixes
  predeclared, on the protocol's dataset, the query's own FROM, or the service's default graph
  (the store's default graph plus the current derived graphs, ``OxigraphStore.default_dataset``);
  stream the result and cut it at ``max_rows`` rows or ``max_bytes`` bytes, saying which; graph
  results keep the prefixes the query declared and the project's own (those they use);
* ``graph`` — one named graph, or the default graph, as RDF (the Graph Store protocol's GET);
* ``update_effect`` — run a SPARQL Update on a scratch copy of the store (a checkpoint opened
  read-write) and return what it changed, graph by graph, for the write gate to commit
  (:func:`update_effect`);
* ``ping`` — answer with the generation it has open.

Isolation: the worker moves into an empty network namespace first when the kernel allows it, so
even a SERVICE or LOAD that got past the checks could not connect anywhere.

Pipe protocol: length-prefixed pickles on stdin/stdout (a private pipe between two processes of
the same program). Run as ``python -m openness.api.worker``.
"""

from __future__ import annotations

import contextlib
import ctypes
import json
import os
import pickle
import struct
import sys
import time
from typing import Any, BinaryIO

import pyoxigraph as ox
from openness import formats as fmt
from openness.precheck import Refused, check_query_text, check_update_text, with_using


def truncation_link() -> str:
    """The documented meaning of a truncated result (og:TruncatedResult), linked from truncated
    results (rdflib's namespaces load on the first truncated answer, not at the worker's start)."""
    from openness.namespaces import OG

    return str(OG.TruncatedResult)

_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
_RDF_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"


class Snapshot:
    """One generation of the store, opened read-only."""

    def __init__(self, path: str, generation: int) -> None:
        from openness.store import OxigraphStore

        self.path = path
        self.generation = generation
        self.wrapper = OxigraphStore(path, read_only=True)
        self.store: ox.Store = self.wrapper.native

    def default_dataset(self) -> list[Any]:
        """The service's default graph (one rule, in openness.store)."""
        return self.wrapper.default_dataset()


# --------------------------------------------------------------------------- queries


def run_query(snapshot: Snapshot, request: dict[str, Any]) -> dict[str, Any]:
    """Run one query request; see the module docstring. Raises :class:`Refused`."""
    text = request["query"]
    facts = check_query_text(text, max_depth=request["max_depth"])
    kwargs: dict[str, Any] = {"base_iri": request.get("base_iri"),
                              "prefixes": request.get("prefixes") or None}
    if request.get("protocol_dataset"):
        # The protocol's dataset wins over the query's FROM (SPARQL 1.1 Protocol §2.1.4); a graph the
        # store lacks is an empty graph, never fetched.
        try:
            kwargs["default_graph"] = [ox.NamedNode(g) for g in request.get("default_graphs") or []]
            kwargs["named_graphs"] = [ox.NamedNode(g) for g in request.get("named_graphs") or []]
        except ValueError as err:
            raise Refused(400, f"a dataset graph is not an IRI: {err}") from err
    elif not facts.dataset_clause:
        kwargs["default_graph"] = snapshot.default_dataset()
    try:
        result = snapshot.store.query(text, **kwargs)
    except SyntaxError as err:
        raise Refused(400, f"SPARQL syntax error: {err}") from err
    except (OSError, ValueError, RuntimeError) as err:
        raise Refused(400, f"the query failed: {err}") from err
    try:
        if isinstance(result, ox.QueryBoolean):
            return _boolean(result, request)
        if isinstance(result, ox.QuerySolutions):
            return _solutions(result, request)
        return _triples(result, request, {**(request.get("prefixes") or {}), **facts.prefixes})
    except (OSError, ValueError, RuntimeError) as err:  # evaluation errors surface while iterating
        raise Refused(400, f"the query failed while running: {err}") from err


def run_graph(snapshot: Snapshot, request: dict[str, Any]) -> dict[str, Any]:
    """One named graph (``graph``), or the default graph (``graph`` None), as RDF; 404 if missing."""
    graph = request.get("graph")
    if graph is not None:
        if not snapshot.store.contains_named_graph(ox.NamedNode(graph)):
            raise Refused(404, f"no graph <{graph}> in this store; the service description "
                               "(GET /sparql) lists the named graphs")
        # the graph's name is bound by the engine, never written into the query text
        result = snapshot.store.query("CONSTRUCT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }",
                                      substitutions={ox.Variable("g"): ox.NamedNode(graph)})
    else:
        result = snapshot.store.query("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }",
                                      default_graph=snapshot.default_dataset())
    assert isinstance(result, ox.QueryTriples)  # a CONSTRUCT
    return _triples(result, request, request.get("prefixes") or {})


def _boolean(result: ox.QueryBoolean, request: dict[str, Any]) -> dict[str, Any]:
    media = request.get("results_media_type")
    if media is None:
        raise Refused(406, "an ASK query answers with SPARQL results")
    body = result.serialize(format=fmt.RESULTS_BY_MEDIA[media].ox) or b""
    return {"form": "ask", "media_type": media, "body": body, "rows": 1, "truncated": None}


def _solutions(result: ox.QuerySolutions, request: dict[str, Any]) -> dict[str, Any]:
    media = request.get("results_media_type")
    if media is None:
        raise Refused(406, "a SELECT query answers with SPARQL results")
    max_rows, max_bytes = int(request["max_rows"]), int(request["max_bytes"])
    names = [v.value for v in result.variables]
    bindings: list[dict[str, Any]] = []
    size = 0
    truncated = None
    for solution in result:
        if len(bindings) >= max_rows:
            truncated = "rows"  # row max_rows + 1 exists: the cut is real
            break
        row = {}
        for name in names:
            value = solution[name]
            if value is not None:
                row[name] = _json_term(value)
        size += len(json.dumps(row, ensure_ascii=False)) + 1
        if size > max_bytes:
            truncated = "bytes"
            break
        bindings.append(row)
    document: dict[str, Any] = {"head": {"vars": names}, "results": {"bindings": bindings}}
    data = json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    if media != fmt.SPARQL_JSON:
        # Let Oxigraph write XML/CSV/TSV from the capped JSON: one encoder per format, all Oxigraph's.
        reparsed = ox.parse_query_results(data, format=ox.QueryResultsFormat.JSON)
        data = reparsed.serialize(format=fmt.RESULTS_BY_MEDIA[media].ox) or b""
    if truncated:
        data = _mark_results(data, media, truncated, request)
    return {"form": "select", "media_type": media, "body": data, "rows": len(bindings),
            "truncated": truncated}


def _triples(result: ox.QueryTriples, request: dict[str, Any], prefixes: dict[str, str]) -> dict[str, Any]:
    media = request.get("rdf_media_type")
    if media is None:
        raise Refused(406, "a CONSTRUCT or DESCRIBE query answers with RDF")
    max_rows, max_bytes = int(request["max_rows"]), int(request["max_bytes"])
    triples: list[ox.Triple] = []
    size = 0
    truncated = None
    for triple in result:
        if len(triples) >= max_rows:
            truncated = "rows"
            break
        size += len(str(triple)) + 3
        if size > max_bytes:
            truncated = "bytes"
            break
        triples.append(triple)
    spec = fmt.RDF_BY_MEDIA[media]
    used = used_prefixes(triples, prefixes) if spec.prefixes else None
    body = ox.serialize(triples, format=spec.ox, prefixes=used) or b""
    if truncated:
        body = _mark_rdf(body, media, truncated, request)
    return {"form": "graph", "media_type": media, "body": body, "rows": len(triples), "truncated": truncated}


def used_prefixes(triples: list[ox.Triple], prefixes: dict[str, str]) -> dict[str, str]:
    """The prefixes whose namespace starts some IRI of ``triples`` (so the output declares only
    prefixes it uses). Later entries of ``prefixes`` win on a clash of names (the query's own
    declarations come last)."""
    iris: set[str] = set()
    for t in triples:
        for term in (t.subject, t.predicate, t.object):
            if isinstance(term, ox.NamedNode):
                iris.add(term.value)
            elif isinstance(term, ox.Literal):
                iris.add(term.datatype.value)
    namespaces = {iri[: max(iri.rfind("#"), iri.rfind("/")) + 1] for iri in iris}
    out = {}
    for name, ns in prefixes.items():
        if ns in namespaces or any(iri.startswith(ns) for iri in iris):
            out[name] = ns
    return out


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


def _cap_text(truncated: str, request: dict[str, Any]) -> str:
    if truncated == "rows":
        return f"only the first {request['max_rows']} rows (the server's row cap)"
    return f"only the first {request['max_bytes']:,} bytes of results (the server's byte cap)"


def _mark_results(data: bytes, media: str, truncated: str, request: dict[str, Any]) -> bytes:
    """Say in the body that a SELECT result was cut, and by which cap (CSV/TSV: headers only)."""
    if media == fmt.SPARQL_JSON:
        document = json.loads(data)
        document["head"]["link"] = [truncation_link()]
        document["truncated"] = True
        document["truncatedBy"] = truncated
        document["maxRows"] = request["max_rows"]
        document["maxBytes"] = request["max_bytes"]
        return json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    if media == fmt.SPARQL_XML:
        # The results format's own place for metadata: <link href> after the variables in <head>.
        link = f'<link href="{truncation_link()}"/>'.encode()
        if b"</head>" in data:
            return data.replace(b"</head>", link + b"</head>", 1)
        return data.replace(b"<head/>", b"<head>" + link + b"</head>", 1)
    return data


def _mark_rdf(data: bytes, media: str, truncated: str, request: dict[str, Any]) -> bytes:
    """Say in the body that a graph result was cut, as a comment where the syntax has comments."""
    cap = _cap_text(truncated, request).replace("rows", "triples", 1)
    note = f"truncated: {cap}; see {truncation_link()}"
    if fmt.RDF_BY_MEDIA[media].comments:
        return f"# {note}\n".encode() + data
    if media == fmt.RDF_XML:
        decl_end = data.find(b"?>") + 2 if data.startswith(b"<?xml") else 0
        return data[:decl_end] + f"\n<!-- {note} -->".encode() + data[decl_end:]
    return data  # JSON-LD has no comments: the response headers carry the signal


# --------------------------------------------------------------------------- updates


def _lines(store: ox.Store, graph: str) -> set[bytes]:
    data = store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.NamedNode(graph)) or b""
    return {line for line in data.splitlines() if line.strip()}


def _named(store: ox.Store) -> set[str]:
    return {g.value for g in store.named_graphs() if isinstance(g, ox.NamedNode)}


def update_effect(request: dict[str, Any]) -> dict[str, Any]:
    """Run an update on the scratch copy at ``copy_path`` and return its effect per named graph.

    Returns ``{"graphs": {iri: {"added": bytes, "removed": bytes, "drop": bool, "replace": bool,
    "after": bytes}}, "operations": [...], "plan": "parsed" | "compared"}`` (N-Triples bytes).
    ``replace`` is set when blank nodes changed: SPARQL's DELETE DATA cannot name a blank node,
    so such a graph is written whole (``after``). Raises :class:`Refused` for what the store does
    not allow (default or derived graph writes, LOAD, SERVICE, depth, syntax).
    """
    from openness.namespaces import derived_graph_base

    from .update_plan import Plan, plan_update

    text = request["update"]
    facts = check_update_text(text, max_depth=request["max_depth"])
    using, using_named = request.get("using_default") or [], request.get("using_named") or []
    if using or using_named:
        if facts.using_or_with:
            raise Refused(400, "the request gives using-graph-uri / using-named-graph-uri and the update "
                               "has its own USING or WITH: give the dataset in one place only "
                               "(SPARQL 1.1 Protocol §2.2.3)")
        text = with_using(text, facts, using, using_named)
    base, prefixes = request.get("base_iri"), request.get("prefixes") or {}
    plan: Plan = plan_update(text, base_iri=base, prefixes=prefixes,
                             parse_limit=request.get("parse_limit", 64_000))
    derived = derived_graph_base()
    copy = ox.Store(request["copy_path"])
    try:
        graphs_before = _named(copy)
        compare = set(graphs_before) if plan.any_graph or not plan.known else set(plan.writes)
        before = {g: _lines(copy, g) for g in compare if g in graphs_before}
        default_before = None
        if not plan.known:
            default_before = copy.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.DefaultGraph()) or b""
        try:
            copy.update(text, base_iri=base, prefixes=prefixes or None)
        except SyntaxError as err:
            raise Refused(400, f"SPARQL Update syntax error: {err}") from err
        except (OSError, ValueError, RuntimeError) as err:
            raise Refused(400, f"the update failed, nothing was written: {err}") from err
        if plan.any_graph or not plan.known:
            compare |= _named(copy)
        effect: dict[str, dict[str, Any]] = {}
        for graph in sorted(compare):
            old = before.get(graph, set())
            new = _lines(copy, graph)
            if old == new:
                continue
            if graph.startswith(derived):
                if new - old:
                    raise Refused(403, f"<{graph}> is a derived graph: it is written only by the server's "
                                       "derive rules, from the source graphs. Change the source data "
                                       "instead.")
                continue  # removals (CLEAR ALL, DELETE … GRAPH ?g): the gate recomputes it from the sources
            added, removed = new - old, old - new
            blank = any(b"_:" in line for line in (*added, *removed))
            effect[graph] = {
                "added": b"\n".join(sorted(added)),
                "removed": b"\n".join(sorted(removed)),
                "drop": not new,
                "replace": blank and bool(new),
                "after": b"\n".join(sorted(new)) if blank and new else b"",
            }
        if default_before is not None:
            _check_default(copy, default_before, derived)
        return {"graphs": effect, "operations": plan.operations,
                "plan": "parsed" if plan.known else "compared"}
    finally:
        del copy


def _check_default(copy: ox.Store, before: bytes, derived: str) -> None:
    """For updates rdflib did not read: refuse if the update wrote the default graph itself.

    The default graph must stay the merge of the source graphs. A triple now in the default graph
    that no source graph holds, and that was not there before, was written there directly; a
    triple gone from the default graph that a source graph still holds was deleted from it
    directly. (Triples left over by a plain DROP GRAPH are fine: the gate's mirror removes them.)
    """
    old = {line for line in before.splitlines() if line.strip()}
    filt = f'FILTER(!STRSTARTS(STR(?g), "{derived}"))'
    orphans = copy.query(
        "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o "
        f"FILTER NOT EXISTS {{ GRAPH ?g {{ ?s ?p ?o }} {filt} }} }}"
    )
    assert isinstance(orphans, ox.QueryTriples)  # a CONSTRUCT
    data = ox.serialize(orphans, format=ox.RdfFormat.N_TRIPLES) or b""
    if any(line not in old for line in data.splitlines() if line.strip()):
        raise Refused(400, "the update wrote triples into the default graph only; the default graph is "
                           "the merge of the named source graphs, maintained by the server. Name the "
                           "graph: INSERT DATA { GRAPH <iri> { … } }.")
    missing = copy.query(
        f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH ?g {{ ?s ?p ?o }} {filt} "
        "FILTER NOT EXISTS { ?s ?p ?o } }"
    )
    assert isinstance(missing, ox.QueryTriples)  # a CONSTRUCT
    data = ox.serialize(missing, format=ox.RdfFormat.N_TRIPLES) or b""
    if any(line in old for line in data.splitlines() if line.strip()):
        raise Refused(400, "the update deleted triples from the default graph that named graphs still "
                           "hold; the default graph is their merge. Delete them from the graphs that "
                           "hold them: DELETE { GRAPH ?g { … } } WHERE { GRAPH ?g { … } }.")


# --------------------------------------------------------------------------- isolation


def isolate_network() -> bool:
    """Move this process into an empty network namespace; True if it worked.

    Unprivileged processes need a user namespace for that; either may be forbidden by the kernel
    or a container, in which case the worker still runs, protected by the checks of :mod:`openness.precheck`.
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


def handle(state: dict[str, Snapshot | None], request: dict[str, Any]) -> dict[str, Any]:
    """Answer one request (any failure becomes an answer; only a crash ends the worker)."""
    started = time.perf_counter()
    op = request.get("op", "query")
    try:
        if op == "update_effect":
            answer = update_effect(request)
        else:
            snapshot = state.get("snapshot")
            if snapshot is None or snapshot.generation != request["generation"]:
                state["snapshot"] = None  # drop the old one first: its files may be removed soon
                snapshot = state["snapshot"] = Snapshot(request["snapshot"], request["generation"])
            if op == "ping":
                answer = {}
            elif op == "graph":
                answer = run_graph(snapshot, request)
            else:
                answer = run_query(snapshot, request)
        answer["ok"] = True
    except Refused as err:
        answer = {"ok": False, "status": err.status, "message": str(err)}
    except Exception as err:
        answer = {"ok": False, "status": 500, "message": f"{type(err).__name__}: {err}"}
    snapshot = state.get("snapshot")
    answer["generation"] = snapshot.generation if snapshot is not None else None
    answer["seconds"] = time.perf_counter() - started
    return answer


def serve() -> None:
    """The worker loop: answer requests until stdin closes."""
    out = os.fdopen(os.dup(sys.stdout.fileno()), "wb")
    sys.stdout = sys.stderr  # nothing may write to the protocol pipe by accident
    inp = os.fdopen(os.dup(sys.stdin.fileno()), "rb")
    isolated = isolate_network()
    state: dict[str, Snapshot | None] = {"snapshot": None}
    write_message(out, {"ready": True, "isolated": isolated, "pid": os.getpid()})
    while True:
        try:
            request = read_message(inp)
        except EOFError:
            return
        write_message(out, handle(state, request))
        with contextlib.suppress(Exception):
            del request


if __name__ == "__main__":
    serve()
