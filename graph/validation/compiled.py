"""The compiled validator: the shapes' SPARQL queries (:mod:`.compiler`) run on Oxigraph.

Two kinds of data set:

* :class:`MemoryDataset` — an rdflib graph (a batch with its neighbourhood, files, a test case)
  copied into an in-memory pyoxigraph store, with the ontology and schemes;
* :class:`StoreDataset` — a store as it is: its default graph, which is the merge of the source
  graphs and holds the vocabulary graph (derived graphs are named graphs outside it, so they are
  not validated). Whole-store validation needs no copy.

Exactness: the verdicts are pySHACL's (tests/test_validation_differential.py). Literals that
rdflib reads differently from Oxigraph (:mod:`.literals`) are found first — one probe query over
the values the shapes test, plus the batch's own unstable literals — and judged in Python with
rdflib's reading; the queries then carry those few verdicts as constants. When that cannot be
exact (two rdflib literals that Oxigraph stores as one term, an IRI Oxigraph refuses, more than
:data:`MAX_EXCEPTIONS` such literals) :class:`Fallback` says why and the caller runs pySHACL.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import XSD
from rdflib.term import Node

from .. import formats
from . import literals as lit
from .compiler import CompiledShapes, Exceptions, Meta, NodeLink, Query
from .report import RawResult
from .valuetests import sparql_term

log = logging.getLogger(__name__)

#: More suspicious literals than this and the queries would carry too many constants.
MAX_EXCEPTIONS = 2000

Row = dict[str, Node]


class Fallback(RuntimeError):
    """The compiled validator cannot be exact on this data; the message says why."""


# --------------------------------------------------------------------------- data sets


def _rdflib_literal(term: ox.Literal) -> Literal:
    """rdflib's view of an Oxigraph literal, as rdflib's N-Triples parser would build it."""
    if term.language:
        return Literal(term.value, lang=term.language)
    datatype = term.datatype.value
    if datatype == str(XSD.string):
        return Literal(term.value)
    return Literal(term.value, datatype=URIRef(datatype))


class Dataset:
    """Where the compiled queries run: rows come back as rdflib terms."""

    def rows(self, query: str) -> Iterator[Row]:
        raise NotImplementedError

    def exceptions(self, probe: str) -> list[tuple[str, Literal]]:
        """The suspicious literals: (SPARQL text as stored, rdflib's view)."""
        raise NotImplementedError


class _OxigraphRows(Dataset):
    store: ox.Store
    bnodes: dict[str, Node]
    unstable: dict[ox.Literal, Literal]

    def _query(self, query: str) -> Any:
        return self.store.query(query)

    def term(self, term: Any) -> Node:
        if isinstance(term, ox.NamedNode):
            return URIRef(term.value)
        if isinstance(term, ox.BlankNode):
            return self.bnodes.get(term.value) or BNode(term.value)
        if isinstance(term, ox.Literal):
            known = self.unstable.get(term)
            return known if known is not None else _rdflib_literal(term)
        raise TypeError(f"unexpected term {term!r}")

    def rows(self, query: str) -> Iterator[Row]:
        solutions = self._query(query)
        names = [v.value for v in solutions.variables]
        for solution in solutions:
            row: Row = {}
            for name in names:
                value = solution[name]
                if value is not None:
                    row[name] = self.term(value)
            yield row

    def exceptions(self, probe: str) -> list[tuple[str, Literal]]:
        found: dict[str, Literal] = {}
        for solution in self._query(probe):
            term = solution["o"]
            if isinstance(term, ox.Literal) and lit.suspicious_stored(term.value, term.datatype.value):
                found[str(term)] = self.unstable.get(term) or _rdflib_literal(term)
        for term, view in self.unstable.items():
            found[str(term)] = view
        return sorted(found.items())


class MemoryDataset(_OxigraphRows):
    """rdflib graphs (a batch, and usually the ontology) in a fresh in-memory Oxigraph store.

    ``predicates``: the predicates the shapes walk; two rdflib literals that Oxigraph would store as
    one term are refused (:class:`Fallback`) only when they are values of one of these for one
    subject, where pySHACL would count two values and Oxigraph one.
    """

    def __init__(self, graphs: Iterable[Graph], predicates: Iterable[URIRef] = ()) -> None:
        self.store = ox.Store()
        self.bnodes = {}
        converter = _Converter(self.bnodes)
        node = converter.node
        quads: list[ox.Quad] = []
        watched = {str(p) for p in predicates}
        tested: dict[ox.Literal, dict[tuple[Any, ...], Literal]] = {}  # literals where the shapes look
        suspects: list[tuple[Node, Node]] = []
        graphs = list(graphs)
        quad = ox.Quad
        for graph in graphs:
            for s, p, o in _triples(graph):
                value = node(o)
                key, unstable = converter.last_key, converter.last_unstable
                quads.append(quad(node(s), node(p), value))
                if key is not None and str(p) in watched:  # a key is given for literals only
                    assert isinstance(value, ox.Literal) and isinstance(o, Literal)
                    tested.setdefault(value, {})[key] = o
                    if unstable:
                        suspects.append((s, p))
        self.store.bulk_extend(quads)
        stored = converter.finish()
        self.unstable = {term: views[0] for term, views in stored.items()}
        self.size = len(quads)
        self.tested = self._tested(tested, converter)
        for s, p in suspects:
            seen: dict[ox.Literal, Node] = {}
            for graph in graphs:
                for o in graph.objects(s, p):
                    if not isinstance(o, Literal):
                        continue
                    given = node(o)
                    key = converter.stored.get(given, given)
                    if key in seen and seen[key] != o:
                        raise Fallback(f"Oxigraph would store {o.n3()} and {seen[key].n3()}, two values of "
                                       f"<{p}> of {s.n3()}, as one term {key}")
                    seen[key] = o

    @staticmethod
    def _tested(tested: dict[ox.Literal, dict[tuple[Any, ...], Literal]],
                converter: _Converter) -> dict[ox.Literal, Literal]:
        """The unstable literals where the shapes look, by the term Oxigraph stores; refuses two
        rdflib literals stored as one term there when one is unstable (their verdicts may differ,
        e.g. "TRUE"^^xsd:boolean, which rdflib rewrites to "true" but keeps ill-typed, and true)."""
        by_stored: dict[ox.Literal, dict[tuple[Any, ...], Literal]] = {}
        for given, views in tested.items():
            by_stored.setdefault(converter.stored.get(given, given), {}).update(views)
        out: dict[ox.Literal, Literal] = {}
        for term, views in by_stored.items():
            unstable = [v for v in views.values() if not lit.is_stable(v)]
            if unstable and len(views) > 1:
                a, b = list(views.values())[:2]
                raise Fallback(f"Oxigraph reads {a.n3()} and {b.n3()} as one literal, {term}, where the "
                               "shapes test values")
            if unstable:
                out[term] = unstable[0]
        return out

    def exceptions(self, probe: str) -> list[tuple[str, Literal]]:
        # every literal came from rdflib: the unstable ones are known without the probe query
        return sorted((str(term), view) for term, view in self.tested.items())


def _triples(graph: Graph) -> Iterable[tuple[Node, Node, Node]]:
    """The triples of ``graph``; read straight from rdflib's in-memory index when the graph is
    the only one in its store (eight times faster than ``Graph.triples``, which resolves contexts)."""
    from rdflib.graph import ConjunctiveGraph
    from rdflib.plugins.stores.memory import Memory

    store = graph.store
    spo = getattr(store, "_Memory__spo", None)
    if (type(store) is Memory and isinstance(spo, dict) and not isinstance(graph, ConjunctiveGraph)
            and all(c is graph or c.identifier == graph.identifier for c in store.contexts())):
        return ((s, p, o) for s, po in spo.items() for p, objects in po.items() for o in objects)
    return graph


class _Converter:
    """rdflib terms to Oxigraph terms, remembering what Oxigraph would store differently.

    Caches are keyed by plain strings and tuples: rdflib's own term hashing is Python code and
    would cost more than the conversion."""

    def __init__(self, bnodes: dict[str, Node]) -> None:
        self.bnodes = bnodes
        self.iris: dict[str, ox.NamedNode] = {}
        self.blank: dict[str, ox.BlankNode] = {}
        self.literals: dict[tuple[str, str | None, str | None, bool | None], ox.Literal] = {}
        self.unstable: dict[ox.Literal, Literal] = {}  # as given to Oxigraph → rdflib's literal
        self.stored: dict[ox.Literal, ox.Literal] = {}  # unstable literal as given → as Oxigraph stores it
        self.last_unstable = False
        self.last_key: tuple[Any, ...] | None = None  # the last literal converted (None: not a literal)

    def node(self, term: Node) -> Any:
        kind = type(term)
        if kind is URIRef:
            key = str.__str__(term)
            found = self.iris.get(key)
            if found is None:
                try:
                    found = self.iris[key] = ox.NamedNode(key)
                except ValueError as err:
                    raise Fallback(f"Oxigraph refuses the IRI <{term}> ({err})") from err
            self.last_unstable, self.last_key = False, None
            return found
        if kind is BNode:
            key = str.__str__(term)
            found_b = self.blank.get(key)
            if found_b is None:
                found_b = self.blank[key] = ox.BlankNode()
                self.bnodes[found_b.value] = term
            self.last_unstable, self.last_key = False, None
            return found_b
        if isinstance(term, Literal):
            lexical, datatype, lang = str.__str__(term), term.datatype, term.language
            lit_key = (lexical, None if datatype is None else str.__str__(datatype), lang, term.ill_typed)
            value = self.literals.get(lit_key)
            if value is None:
                value = self.literals[lit_key] = self._literal(term, lexical, datatype, lang)
            self.last_unstable = self.unstable.get(value) is not None and not lit.is_stable(term)
            self.last_key = lit_key
            return value
        if isinstance(term, (URIRef, BNode)):  # subclasses
            return (ox.NamedNode if isinstance(term, URIRef) else ox.BlankNode)(str(term))
        raise TypeError(f"unexpected term {term!r}")

    def _literal(self, term: Literal, lexical: str, datatype: URIRef | None, lang: str | None) -> ox.Literal:
        try:
            if lang:
                value = ox.Literal(lexical, language=lang)
            elif datatype is not None and datatype != XSD.string:
                value = ox.Literal(lexical, datatype=ox.NamedNode(str(datatype)))
            else:
                value = ox.Literal(lexical)
        except ValueError as err:
            raise Fallback(f"Oxigraph refuses the literal {term.n3()} ({err})") from err
        if not lit.is_stable(term):
            self.unstable.setdefault(value, term)
        return value

    def finish(self) -> dict[ox.Literal, list[Literal]]:
        """Oxigraph's stored form of each unstable literal → the rdflib literals stored as it."""
        if not self.unstable:
            return {}
        scratch = ox.Store()
        items = list(self.unstable.items())
        predicate = ox.NamedNode("urn:x-openness:validation:scratch")
        subjects = [ox.NamedNode(f"urn:x-openness:validation:scratch:{i}") for i in range(len(items))]
        scratch.bulk_extend(ox.Quad(s, predicate, o) for s, (o, _r) in zip(subjects, items, strict=True))
        stored: dict[ox.Literal, list[Literal]] = {}
        for s, (given, view) in zip(subjects, items, strict=True):
            term = next(iter(scratch.quads_for_pattern(s, predicate, None))).object
            assert isinstance(term, ox.Literal)  # the scratch graph holds the given literals only
            self.stored[given] = term
            stored.setdefault(term, []).append(view)
        return stored


class StoreDataset(_OxigraphRows):
    """An embedded store's default graph, as it is (read-only)."""

    def __init__(self, native: ox.Store) -> None:
        self.store = native
        self.bnodes = {}
        self.unstable = {}

    def _query(self, query: str) -> Any:
        return self.store.query(query, default_graph=[ox.DefaultGraph()])


class RemoteDataset(Dataset):
    """A SPARQL 1.1 endpoint's default graph (product convention: the merge of source graphs)."""

    def __init__(self, store: Any) -> None:
        self.store = store

    def _bindings(self, query: str) -> Iterator[dict[str, dict[str, str]]]:
        data = json.loads(self.store.query_raw(query, formats.SPARQL_JSON))
        yield from data["results"]["bindings"]

    @staticmethod
    def _term(value: dict[str, str]) -> Node:
        if value["type"] == "uri":
            return URIRef(value["value"])
        if value["type"] == "bnode":
            return BNode(value["value"])
        if "xml:lang" in value:
            return Literal(value["value"], lang=value["xml:lang"])
        datatype = value.get("datatype")
        if datatype is None or datatype == str(XSD.string):
            return Literal(value["value"])
        return Literal(value["value"], datatype=URIRef(datatype))

    def rows(self, query: str) -> Iterator[Row]:
        for binding in self._bindings(query):
            yield {name: self._term(value) for name, value in binding.items()}

    def exceptions(self, probe: str) -> list[tuple[str, Literal]]:
        found: dict[str, Literal] = {}
        for binding in self._bindings(probe):
            value = binding["o"]
            if (value["type"] not in ("literal", "typed-literal") or "xml:lang" in value
                    or not lit.suspicious_stored(value["value"], value.get("datatype", ""))):
                continue
            if "xml:lang" in value:
                text = sparql_term(Literal(value["value"])) + "@" + value["xml:lang"]
            else:
                text = sparql_term(Literal(value["value"])) + f"^^<{value.get('datatype', XSD.string)}>"
            found[text] = self._term(value)  # type: ignore[assignment]
        return sorted(found.items())


# --------------------------------------------------------------------------- running


@dataclass
class _Assembly:
    """Rows → :class:`RawResult` trees (``sh:node`` results with their ``sh:detail``)."""

    top: list[RawResult] = field(default_factory=list)
    nodes: dict[tuple[int, tuple[Node, ...]], RawResult] = field(default_factory=dict)

    def node_result(self, link: NodeLink, key: tuple[Node, ...]) -> RawResult:
        """The NodeConstraintComponent result of ``link`` for (…, focus, value) = ``key``."""
        found = self.nodes.get((link.id, key))
        if found is None:
            found = self.nodes[(link.id, key)] = _raw(link.meta, key[-2], key[-1])
            self.attach(found, link.parent, key[:-1])
        return found

    def attach(self, result: RawResult, parent: NodeLink | None, key: tuple[Node, ...]) -> None:
        if parent is None:
            self.top.append(result)
        else:
            self.node_result(parent, key).details.append(result)


def _raw(meta: Meta, focus: Node, value: Node | None, messages: tuple[Literal, ...] | None = None,
         path: Node | None = None) -> RawResult:
    return RawResult(focus, path if path is not None else meta.path, value,
                     meta.messages if messages is None else messages, meta.severity, meta.shape,
                     meta.component, meta.source_constraint)


def _true(term: Node | None) -> bool:
    return isinstance(term, Literal) and term.value is True


def _format(message: str, variables: dict[str, Node]) -> str:
    # pyshacl ConstraintComponent._format_sparql_based_result_message
    for var, val in variables.items():
        message = re.sub(f"{{[?$]{var}}}", str(val), message)
    return message


def _sparql_results(q: Query, row: Row, focus: Node) -> tuple[Node | None, Node | None, tuple[Literal, ...]]:
    """pySHACL's reading of one SPARQL-constraint row: value, path, formatted messages."""
    assert q.sparql is not None
    meta = q.metas[0]
    others = {v: row[v] for v in q.sparql.variables if v not in ("path", "value") and v in row}
    path = row.get("path")
    value = row.get("value")
    if value is None and meta.path is None:
        value = focus
    variables: dict[str, Node] = {**others, "this": focus}
    if path is not None:
        variables["path"] = path
    if value is not None:
        variables["value"] = value
    messages = [Literal(_format(str(m), variables)) for m in q.sparql.constraint_messages
                if m not in q.sparql.shape_messages]
    messages += [Literal(_format(str(m), variables)) for m in q.sparql.shape_messages]
    return value, path, tuple(messages)


def run(dataset: Dataset, compiled: CompiledShapes) -> list[RawResult]:
    """Every result (``sh:node`` details nested) of validating ``dataset`` against the shapes."""
    found = dataset.exceptions(compiled.probe_query())
    if len(found) > MAX_EXCEPTIONS:
        raise Fallback(f"{len(found)} literals whose reading differs between rdflib and Oxigraph "
                       f"(more than {MAX_EXCEPTIONS})")
    queries = compiled.render(Exceptions(tuple(found)))
    out = _Assembly()
    for q in queries:
        for row in dataset.rows(q.text):
            focus = row[q.focus]
            carried = tuple(row[c] for c in q.carried)
            for result in _decode(q, row, focus):
                out.attach(result, q.parent, (*carried, focus))
    return out.top


def _decode(q: Query, row: Row, focus: Node) -> Iterable[RawResult]:
    if q.kind in ("focus", "values"):
        for column in q.columns:
            if _true(row.get(column.name)):
                value = {"focus": focus, "none": None}.get(column.value, row.get(q.value or ""))
                yield _raw(column.meta, focus, value)
    elif q.kind == "rows":
        yield _raw(q.metas[0], focus, row.get(q.value) if q.value else None)
    elif q.kind == "sparql":
        value, path, messages = _sparql_results(q, row, focus)
        yield _raw(q.metas[0], focus, value, messages, path)
    else:  # pragma: no cover - the compiler writes only these kinds
        raise ValueError(f"unknown query kind {q.kind}")
