"""Incremental validation: a batch with the part of the store its results can depend on.

Why: validating a batch alone misses what it joins (a claim about a release written earlier, a
derivation closing a cycle with stored edges); validating the whole store makes every write as
slow as the store is big. The results of validation *about the batch's subjects* depend only on a
neighbourhood the shapes determine, so :func:`neighbourhood` reads exactly that, in one query,
and :func:`validate_batch` gives the same results as validating the whole store after the write
and keeping those about the batch's subjects (tests/test_validation_incremental.py checks it).

The neighbourhood, derived from the compiled shapes (:class:`NeighbourhoodSpec`), for the IRIs the
batch mentions:

* their descriptions (types for class targets, their properties for paths);
* the nodes that point at them through a predicate the shapes read backwards — a
  ``sh:targetObjectsOf`` predicate, an inverse path, or the path of a ``sh:node`` (whose nested
  results are reported about the value; one level of nesting, as in the shipped shapes) — with
  those nodes' descriptions;
* the descriptions of the values of paths that ``sh:class`` or ``sh:node`` look into, to the depth
  the shapes nest;
* every triple of the predicates a SPARQL-based constraint follows transitively (``(p|q)+``: the
  derivation cycle check needs every stored derivation edge), and every ``rdfs:subClassOf``.

Read from the source graphs only (derived graphs are the rules' output, and are not validated),
leaving out the graphs the batch replaces. SPARQL-based targets and constraints are assumed to read
the focus node's own description beyond that (true of the shipped shapes).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDFS
from rdflib.term import Node

from .compiler import CompiledShapes
from .shapes import ShapeIR, path_predicates

if TYPE_CHECKING:
    from ..store import Store

#: IRIs per query (VALUES lists longer than this are split).
CHUNK = 400


@dataclass(frozen=True)
class NeighbourhoodSpec:
    """What the shapes read around a focus node (see the module docstring)."""

    backwards: frozenset[URIRef]  # predicates whose subjects matter to their objects' results
    hops: tuple[frozenset[URIRef], ...]  # predicates whose values' descriptions matter, per depth
    closure: frozenset[URIRef]  # predicates whose every triple matters


def _path_preds(shape: ShapeIR, shapes: Graph) -> set[URIRef]:
    return path_predicates(shapes, shape.path) if shape.path is not None else set()


def spec_of(compiled: CompiledShapes, shapes: Graph) -> NeighbourhoodSpec:
    """The neighbourhood the compiled shapes need (see :class:`NeighbourhoodSpec`)."""
    from rdflib.namespace import SH

    backwards: set[URIRef] = {p for p in shapes.objects(None, SH.targetObjectsOf) if isinstance(p, URIRef)}
    for inverse in shapes.objects(None, SH.inversePath):
        backwards |= path_predicates(shapes, inverse)
    hops: list[set[URIRef]] = []

    def look(shape: ShapeIR, depth: int, seen: tuple[ShapeIR, ...]) -> None:
        if shape in seen or shape.deactivated:
            return
        seen = (*seen, shape)
        members = [m for logic in shape.logic for m in logic.members]
        for member in members + shape.properties:
            look(member, depth, seen)
        if (shape.classes or shape.nodes) and shape.path is not None:
            while len(hops) <= depth:
                hops.append(set())
            hops[depth] |= _path_preds(shape, shapes)
        for node in shape.nodes:
            backwards.update(_path_preds(shape, shapes))
            look(node, depth + (1 if shape.path is not None else 0), seen)

    for shape in compiled.shapes:
        look(shape, 0, ())
    return NeighbourhoodSpec(frozenset(backwards), tuple(frozenset(h) for h in hops),
                             frozenset(_closure_predicates(compiled)))


def _closure_predicates(compiled: CompiledShapes) -> set[URIRef]:
    """Predicates under ``+`` or ``*`` in the shapes' SPARQL (targets and constraints)."""
    from rdflib.paths import MulPath, Path
    from rdflib.plugins.sparql import prepareQuery

    found: set[URIRef] = set()

    def inside(x: Any) -> Iterator[URIRef]:
        if isinstance(x, URIRef):
            yield x
        elif isinstance(x, Path):
            for value in vars(x).values():
                yield from inside(value)
        elif isinstance(x, list | tuple):
            for value in x:
                yield from inside(value)

    def walk(x: Any, seen: set[int]) -> None:
        if id(x) in seen:
            return
        seen.add(id(x))
        if isinstance(x, MulPath):
            found.update(inside(x.path))
        elif isinstance(x, Path):
            for value in vars(x).values():
                walk(value, seen)
        elif isinstance(x, dict):
            for value in x.values():
                walk(value, seen)
        elif isinstance(x, list | tuple):
            for value in x:
                walk(value, seen)

    for shape in compiled.shapes:
        texts = [(c.select, c.prefixes) for c in shape.sparql if c.select]
        texts += [(t.strip()[1:-1], shape.target_prefixes) for t in shape.targets if t.startswith("{")]
        for text, prefixes in texts:
            walk(prepareQuery(text, initNs=dict(prefixes)).algebra, set())
    return found


@cache
def shipped_spec() -> NeighbourhoodSpec:
    from . import _shipped_shapes, compiled_shapes

    return spec_of(compiled_shapes(), _shipped_shapes())


# --------------------------------------------------------------------------- reading it


def _values(terms: Iterable[Node | str]) -> str:
    return " ".join(f"<{t}>" for t in terms)


def _kept(s: str, p: str, o: str, excluded: list[str]) -> str:
    """A triple pattern on the store's default graph (the merge of its source graphs, derived
    graphs left out), keeping only triples some graph other than ``excluded`` holds: those the
    store still holds after the batch replaces ``excluded``."""
    if not excluded:
        return f"{s} {p} {o} ."
    from ..namespaces import derived_graph_base

    triple = f"{s} {p} {o}"
    graphs = ", ".join(f"<{g}>" for g in excluded)
    return (f"{triple} FILTER(NOT EXISTS {{ VALUES ?gx {{ {_values(excluded)} }} GRAPH ?gx {{ {triple} }} }}"
            f" || EXISTS {{ GRAPH ?gk {{ {triple} }} FILTER(?gk NOT IN ({graphs})"
            f' && !STRSTARTS(STR(?gk), "{derived_graph_base()}")) }})')


def neighbourhood_queries(iris: Iterable[URIRef], spec: NeighbourhoodSpec,
                          exclude_graphs: Iterable[str] = ()) -> Iterator[str]:
    """CONSTRUCT queries giving the neighbourhood of ``iris`` (one per chunk of IRIs, plus one for
    the transitive predicates and the class hierarchy).

    Why the default graph: it holds each source triple once, where ``GRAPH ?g`` meets a triple
    once per graph that states it (every batch's provenance names the same agent: thousands of
    rows on the bundled corpus, 0.1 s per query against 1 ms).
    """
    excluded = sorted(set(exclude_graphs))
    ordered = sorted(set(iris), key=str)
    for start in range(0, len(ordered), CHUNK):
        x = _values(ordered[start:start + CHUNK])
        parts = [f"{{ VALUES ?s {{ {x} }} {_kept('?s', '?p', '?o', excluded)} }}"]
        if spec.backwards:
            parts.append(f"{{ VALUES ?x {{ {x} }} VALUES ?b {{ {_values(sorted(spec.backwards))} }} "
                         f"{_kept('?s', '?b', '?x', excluded)} {_kept('?s', '?p', '?o', excluded)} }}")
        # hop by hop to the values at depth d, the last named ?s; each hop's predicates by FILTER IN
        # (a second VALUES, or a BIND, makes Oxigraph scan every triple of the store and join)
        path: list[str] = []
        for depth, preds in enumerate(spec.hops):
            source = "?x" if depth == 0 else f"?v{depth - 1}"
            allowed = f"FILTER(?h{depth} IN ({', '.join(f'<{q}>' for q in sorted(preds))}))"
            last = _kept(source, f"?h{depth}", "?s", excluded)
            parts.append(f"{{ VALUES ?x {{ {x} }} {' '.join(path)} {last} {allowed} "
                         f"{_kept('?s', '?p', '?o', excluded)} }}")
            path.append(f"{_kept(source, f'?h{depth}', f'?v{depth}', excluded)} {allowed}")
        yield f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ {' UNION '.join(parts)} }}"
    shared = [f"{{ VALUES ?p {{ <{RDFS.subClassOf}> }} {_kept('?s', '?p', '?o', excluded)} }}"]
    if spec.closure:
        closure = _values(sorted(spec.closure))
        shared.append(f"{{ VALUES ?p {{ {closure} }} {_kept('?s', '?p', '?o', excluded)} }}")
    yield f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ {' UNION '.join(shared)} }}"


def neighbourhood(store: Store, iris: Iterable[URIRef], *, exclude_graphs: Iterable[str] = (),
                  spec: NeighbourhoodSpec | None = None) -> Graph:
    """The store triples the results about a batch mentioning ``iris`` can depend on.

    On the embedded store blank nodes keep their identity across the queries; on a SPARQL
    endpoint, a blank node reached from IRIs of two chunks becomes two nodes (their results agree).
    """
    import pyoxigraph as ox

    from ..store import OxigraphStore

    spec = spec or shipped_spec()
    graph = Graph()
    for query in neighbourhood_queries(iris, spec, exclude_graphs):
        if isinstance(store, OxigraphStore):
            triples = store.native.query(query)
            assert isinstance(triples, ox.QueryTriples)  # the neighbourhood queries are CONSTRUCTs
            for triple in triples:
                graph.add((_term(triple.subject), _term(triple.predicate), _term(triple.object)))
        else:
            graph += store.construct(query)
    return graph


def _term(term: Any) -> Node:
    import pyoxigraph as ox
    from rdflib.namespace import XSD

    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if term.language:
        return Literal(term.value, lang=term.language)
    if term.datatype.value == str(XSD.string):
        return Literal(term.value)
    return Literal(term.value, datatype=URIRef(term.datatype.value))


def as_stored(graph: Graph) -> Graph:
    """``graph`` with each literal as Oxigraph will hold it once written (``"1"^^xsd:boolean`` is
    read back as ``"true"``, ``"x"^^xsd:string`` as ``"x"``, language tags in lower case).

    Why: whole-store validation after the write sees the stored terms (two literals of one
    property may have become one); validating the batch's own rdflib terms could count values
    differently; and rdflib keeps ``"2025-06-01"^^xsd:boolean`` as an ill-typed ``"false"``, which
    is written, and stored, as a valid ``"false"``. IRIs and blank nodes are kept (results are
    reported about them); a literal Oxigraph refuses is kept as given (the write will fail on it).
    """
    import pyoxigraph as ox

    def key(term: Literal) -> tuple[str, str, str, bool]:  # rdflib's == ignores ill_typed
        return str.__str__(term), str(term.datatype or ""), term.language or "", bool(term.ill_typed)

    given = {key(o): o for o in graph.objects() if isinstance(o, Literal)}
    if not given:
        return graph
    keys = list(given)
    native, p = ox.Store(), ox.NamedNode("urn:x-literal")
    for i, k in enumerate(keys):
        term = given[k]
        try:
            if term.language:
                value = ox.Literal(str(term), language=term.language)
            elif term.datatype is not None:
                value = ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
            else:
                value = ox.Literal(str(term))
        except ValueError:
            continue
        native.add(ox.Quad(ox.BlankNode(f"l{i}"), p, value))
    stored = {keys[int(q.subject.value[1:])]: _term(q.object) for q in native}
    if all(key(t) == k for k, t in stored.items() if isinstance(t, Literal)):
        return graph
    out = Graph()
    out.addN((s, q, stored.get(key(o), o) if isinstance(o, Literal) else o, out) for s, q, o in graph)
    return out
