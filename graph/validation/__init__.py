"""SHACL validation with reports a person can act on.

Two engines give the same results (tests/test_validation_differential.py):

* ``"compiled"`` (the default): the shapes compiled to SPARQL (:mod:`.compiler`) and run by
  Oxigraph (:mod:`.compiled`) — on an in-memory copy of a batch with the ontology, or directly on
  a store for whole-store validation (:func:`validate_store`);
* ``"pyshacl"``: pySHACL, the reference (:mod:`.reference`); also used, with a logged warning,
  when the compiled engine cannot be exact on some data (:class:`.compiled.Fallback`).

Both run the shapes with inference "none" (the shapes say exactly what must be written) and the
ontology and SKOS schemes mixed into the data (``sh:class`` and class targets follow
``rdfs:subClassOf``). Reports add what pySHACL's lacks for people: where the bad node is written
(file and line for Turtle, record and key path for YAML/JSON), and renderings as text, Turtle (the
``sh:ValidationReport``) and JSON (:mod:`.report`).
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from rdflib import Graph, URIRef
from rdflib.term import Node

from .compiled import Fallback, MemoryDataset, RemoteDataset, StoreDataset, run
from .compiler import CompiledShapes, CompileError, compile_shapes
from .reference import DataGraph, report_from_graph, run_pyshacl
from .report import Locator, RawResult, ValidationReport, ValidationResult, build_report

if TYPE_CHECKING:
    from ..store import Store

log = logging.getLogger(__name__)

#: The engines ``validate`` accepts; the default comes from ``OPENNESS_VALIDATION_ENGINE`` or "compiled".
ENGINES = ("compiled", "pyshacl")


_ENGINE: ContextVar[str | None] = ContextVar("openness_validation_engine", default=None)


def default_engine() -> str:
    """The engine used when a caller names none: set by :func:`use_engine`, else the
    ``OPENNESS_VALIDATION_ENGINE`` environment variable, else ``"compiled"``."""
    engine = _ENGINE.get() or os.environ.get("OPENNESS_VALIDATION_ENGINE", "compiled")
    if engine not in ENGINES:
        raise ValueError(f"validation engine {engine!r}: use one of {', '.join(ENGINES)}")
    return engine


@contextmanager
def use_engine(engine: str) -> Iterator[None]:
    """Validate with ``engine`` inside the block, also where callers do not pass one (the write
    gate, batch validation): ``openness validate --engine pyshacl`` uses this."""
    if engine not in ENGINES:
        raise ValueError(f"unknown validation engine {engine!r}; use {' or '.join(ENGINES)}")
    token = _ENGINE.set(engine)
    try:
        yield
    finally:
        _ENGINE.reset(token)


# --------------------------------------------------------------------------- shapes and ontology


@cache
def _shapes_triples() -> tuple[tuple[Node, Node, Node], ...]:
    from ..vocab import load_shapes

    return tuple(load_shapes())


@cache
def _ontology_triples() -> tuple[tuple[Node, Node, Node], ...]:
    """The ontology and its SKOS schemes: shapes need class hierarchies and concepts to check values."""
    from ..vocab import load_ontology

    return tuple(load_ontology())


def _ontology_graph() -> Graph:
    from ..vocab import load_ontology

    return load_ontology()


@cache
def _shipped_shapes() -> Graph:
    from ..namespaces import bind_all

    graph = Graph()
    bind_all(graph.namespace_manager)
    for triple in _shapes_triples():
        graph.add(triple)
    return graph


def shapes_graph() -> Graph:
    """A fresh copy of the shipped SHACL shapes."""
    graph = Graph()
    for triple in _shapes_triples():
        graph.add(triple)
    return graph


def add_ontology(graph: Graph) -> None:
    """Mix the ontology into a data graph (in place) so class targets see subclasses."""
    graph.addN((s, p, o, graph) for s, p, o in _ontology_triples())


@cache
def compiled_shapes() -> CompiledShapes:
    """The shipped shapes, compiled (once per process; raises CompileError naming a shape)."""
    return compile_shapes(_shipped_shapes())


# --------------------------------------------------------------------------- validating


def validate(
    data_graph: Graph,
    *,
    shapes: Graph | None = None,
    with_ontology: bool = True,
    focus_filter: set[Node] | None = None,
    locate: Locator | None = None,
    inplace: bool = False,
    engine: str | None = None,
) -> ValidationReport:
    """Validate ``data_graph`` against the shapes (the shipped ones unless ``shapes`` is given).

    * ``with_ontology``: mix in the ontology and schemes (class hierarchy, SKOS concepts) first.
    * ``focus_filter``: keep only results about these nodes (ingest passes the batch's subjects,
      so that context pulled from the store is used for checking but never blamed).
    * ``locate``: maps a focus node to where it is written, for the report.
    * ``inplace``: (pySHACL only) allow mixing the ontology into ``data_graph`` itself when it is a
      :class:`DataGraph` (saves a copy of big batches); the compiled engine never changes it.
    * ``engine``: ``"compiled"`` or ``"pyshacl"`` (default: :func:`default_engine`).

    Raises :class:`CompileError` when the compiled engine meets a shape it cannot translate.
    """
    engine = engine or default_engine()
    if engine not in ENGINES:
        raise ValueError(f"unknown validation engine {engine!r}; use {' or '.join(ENGINES)}")
    shacl = shapes if shapes is not None else _shipped_shapes()
    if engine == "compiled":
        compiled = compiled_shapes() if shapes is None else compile_shapes(shapes)
        sources = [data_graph, _ontology_graph()] if with_ontology else [data_graph]
        try:
            raw = run(MemoryDataset(sources, compiled.probe_predicates), compiled)
        except Fallback as why:
            log.warning("compiled validation cannot be exact here (%s): validating with pySHACL", why)
        else:
            return build_report(raw, shapes=shacl, focus_filter=focus_filter, locate=locate,
                                engine="compiled")
    if not isinstance(data_graph, DataGraph) or (with_ontology and not inplace):
        copy = DataGraph()
        copy.addN((s, p, o, copy) for s, p, o in data_graph)
        data_graph = copy
    if with_ontology:
        add_ontology(data_graph)
    report_graph = run_pyshacl(data_graph, shapes if shapes is not None else shapes_graph())
    return report_from_graph(report_graph, focus_filter=focus_filter, locate=locate, shapes=shacl)


def validate_store(store: Store, *, locate: Locator | None = None,
                   engine: str | None = None) -> ValidationReport:
    """Validate a whole store's source data (its default graph: the merge of the source graphs;
    derived graphs are the rules' output and are not validated) with the ontology.

    The compiled engine queries the store in place when its vocabulary graph is current (the
    ontology is then in the default graph); otherwise, and for ``engine="pyshacl"``, the source
    data is read into memory first.
    """
    from ..namespaces import derived_graph_base
    from ..store import OxigraphStore

    engine = engine or default_engine()
    if engine == "compiled" and _vocabulary_current(store):
        dataset = StoreDataset(store.native) if isinstance(store, OxigraphStore) else RemoteDataset(store)
        try:
            raw = run(dataset, compiled_shapes())
        except Fallback as why:
            log.warning("compiled validation cannot be exact on this store (%s): reading it into memory", why)
        else:
            return build_report(raw, shapes=_shipped_shapes(), locate=locate, engine="compiled")
    data = store.construct(
        "CONSTRUCT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } "
        f'FILTER(!STRSTARTS(STR(?g), "{derived_graph_base()}")) }}')
    return validate(data, locate=locate, inplace=True, engine=engine)


def validate_batch(store: Store, graphs: Iterable[Graph], *, exclude_graphs: Iterable[str] = (),
                   about: Iterable[Node] | None = None, locate: Locator | None = None,
                   engine: str | None = None, timings: dict[str, float] | None = None) -> ValidationReport:
    """Validate graphs about to be written with the part of the store they join
    (:func:`.incremental.neighbourhood`; ``exclude_graphs``: the graphs they replace), reporting
    only about ``about`` (default: the graphs' own subjects): the results whole-store validation
    would give about them after the write (tests/test_validation_incremental.py; through the
    write gate, tests/test_gate_validation_differential.py).

    The graphs' literals are validated as the store will hold them (:func:`.incremental.as_stored`).
    ``timings``, when given, receives the seconds spent reading the neighbourhood ("context") and
    validating ("validate").
    """
    import time

    from .incremental import as_stored, neighbourhood

    started = time.perf_counter()
    combined = DataGraph()
    for graph in graphs:
        combined.addN((s, p, o, combined) for s, p, o in as_stored(graph))
    subjects = set(combined.subjects()) if about is None else set(about)
    iris = {t for triple in combined for t in (triple[0], triple[2]) if isinstance(t, URIRef)}
    # a store with no source data (a first build) has no neighbourhood: its queries are skipped
    if store.select("SELECT ?s WHERE { ?s ?p ?o } LIMIT 1", sources_only=True):
        context = neighbourhood(store, iris, exclude_graphs=exclude_graphs)
        combined.addN((s, p, o, combined) for s, p, o in context)
    read = time.perf_counter()
    report = validate(combined, focus_filter=subjects, locate=locate, engine=engine, inplace=True)
    if timings is not None:
        timings["context"] = read - started
        timings["validate"] = time.perf_counter() - read
    return report


def _vocabulary_current(store: Store) -> bool:
    from ..gate import vocabulary_current

    try:
        return vocabulary_current(store)
    except Exception:
        return False


def validate_files(paths: Iterable[Path], *, engine: str | None = None) -> ValidationReport:
    """Validate claim files on their own (no store): convenience for notebooks and the CLI."""
    from ..ingest.readers import read_file

    combined = DataGraph()
    locators: list[Locator] = []
    subjects: set[Node] = set()
    for path in paths:
        parsed = read_file(Path(path))
        combined += parsed.graph
        subjects.update(parsed.graph.subjects())
        locators.append(parsed.locate)

    def locate(node: Node) -> str | None:
        for loc in locators:
            where = loc(node)
            if where:
                return where
        return None

    return validate(combined, focus_filter=subjects, locate=locate, inplace=True, engine=engine)


__all__ = [
    "ENGINES",
    "CompileError",
    "CompiledShapes",
    "DataGraph",
    "Fallback",
    "Locator",
    "RawResult",
    "ValidationReport",
    "ValidationResult",
    "add_ontology",
    "compiled_shapes",
    "default_engine",
    "report_from_graph",
    "shapes_graph",
    "use_engine",
    "validate",
    "validate_batch",
    "validate_files",
    "validate_store",
]
