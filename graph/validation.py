"""SHACL validation with reports a person can act on.

pyshacl does the checking (inference "none": the shapes say exactly what must be written, no
reasoner guesses it). This module adds what pyshacl's report lacks for people: where the bad node
is written (file and line for Turtle, record and key path for YAML/JSON), and renderings as text,
Turtle (the ``sh:ValidationReport`` itself) and JSON.

Severity: only ``sh:Violation`` results make a graph non-conforming; ``sh:Warning`` and
``sh:Info`` are reported and never block.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF, SH
from rdflib.term import Node

from .namespaces import bind_all

#: Finds where a node is written, e.g. ``"claims.ttl:12"`` or ``"claims.yaml record 2 (evidence[0])"``.
Locator = Callable[[Node], str | None]

_SEVERITY = {SH.Violation: "Violation", SH.Warning: "Warning", SH.Info: "Info"}


@dataclass
class ValidationResult:
    """One result of the report, with the place the focus node is written when known."""

    focus_node: str
    path: str | None
    value: str | None
    message: str
    severity: str  # "Violation", "Warning" or "Info"
    source_shape: str | None
    constraint: str | None  # e.g. "MinCountConstraintComponent"
    location: str | None = None  # "file:line" or "file record N (key path)"

    def as_text(self, short: Callable[[str], str] = str) -> str:
        where = f"{self.location}: " if self.location else ""
        prop = f" [property {' | '.join(short(p) for p in self.path.split(' | '))}]" if self.path else ""
        value = f" [value {short(self.value)}]" if self.value is not None else ""
        constraint = f" ({self.constraint.removesuffix('ConstraintComponent')})" if self.constraint else ""
        return f"{where}{self.severity.upper()} <{self.focus_node}>{prop}{value}: {self.message}{constraint}"


@dataclass
class ValidationReport:
    """What validation found: violations block ingest, warnings are listed."""

    results: list[ValidationResult] = field(default_factory=list)
    report_graph: Graph = field(default_factory=Graph)
    focus_count: int | None = None  # number of focus nodes considered, when known

    @property
    def violations(self) -> list[ValidationResult]:
        return [r for r in self.results if r.severity == "Violation"]

    @property
    def warnings(self) -> list[ValidationResult]:
        return [r for r in self.results if r.severity != "Violation"]

    @property
    def conforms(self) -> bool:
        return not self.violations

    @staticmethod
    def _kind(result: ValidationResult) -> str:
        return _short(result.source_shape).rsplit("#", 1)[-1] if result.source_shape else result.message

    def warnings_by_kind(self) -> Counter[str]:
        """Warnings counted by shape message kind (the source shape, else the message)."""
        return Counter(self._kind(r) for r in self.warnings)

    def extend(self, other: ValidationReport) -> None:
        self.results.extend(other.results)
        self.report_graph += other.report_graph

    # -- renderings
    def to_text(self, *, limit: int | None = None, examples_per_kind: int = 3) -> str:
        lines = [
            f"{len(self.violations)} violation(s), {len(self.warnings)} warning(s)"
            + ("" if self.conforms else " — nothing was written; fix the lines below and retry")
        ]
        violations = self.violations
        for result in violations[:limit] if limit else violations:
            lines.append("  " + result.as_text(_short))
        if limit and len(violations) > limit:
            lines.append(f"  … and {len(violations) - limit} more violations (use --format json for all)")
        # Warnings can number thousands on a real corpus: a few examples of each kind, then counts.
        per_kind: Counter[str] = Counter()
        hidden = 0
        for result in self.warnings:
            kind = self._kind(result)
            per_kind[kind] += 1
            if limit is None or per_kind[kind] <= examples_per_kind:
                lines.append("  " + result.as_text(_short))
            else:
                hidden += 1
        if hidden:
            lines.append(f"  … and {hidden} more warnings of the same kinds (use --format json for all)")
        if self.warnings:
            lines.append("warnings by kind:")
            for kind, n in self.warnings_by_kind().most_common():
                lines.append(f"  {n:6d}  {kind}")
        return "\n".join(lines)

    def to_json(self) -> str:
        return json.dumps(
            {
                "conforms": self.conforms,
                "violations": len(self.violations),
                "warnings": len(self.warnings),
                "warnings_by_kind": dict(self.warnings_by_kind()),
                "results": [asdict(r) for r in self.violations + self.warnings],
            },
            indent=2,
            ensure_ascii=False,
        )

    def to_turtle(self) -> str:
        """The ``sh:ValidationReport`` graph; ``sh:conforms`` reflects violations only."""
        graph = Graph()
        bind_all(graph.namespace_manager)
        graph += self.report_graph
        for report in list(graph.subjects(RDF.type, SH.ValidationReport)):
            graph.set((report, SH.conforms, Literal(self.conforms)))
        if not any(graph.subjects(RDF.type, SH.ValidationReport)):
            graph.add((BNode(), RDF.type, SH.ValidationReport))
            for report in graph.subjects(RDF.type, SH.ValidationReport):
                graph.add((report, SH.conforms, Literal(self.conforms)))
        return graph.serialize(format="turtle")

    def render(self, fmt: str) -> str:
        if fmt == "text":
            return self.to_text(limit=200)
        if fmt == "json":
            return self.to_json()
        if fmt in ("turtle", "ttl"):
            return self.to_turtle()
        raise ValueError(f"unknown report format {fmt!r}; use text, turtle or json")


# --------------------------------------------------------------------------- shapes and ontology


@cache
def _shapes_triples() -> tuple[tuple[Node, Node, Node], ...]:
    from .vocab import load_shapes

    return tuple(load_shapes())


@cache
def _ontology_triples() -> tuple[tuple[Node, Node, Node], ...]:
    """The ontology and its SKOS schemes: shapes need class hierarchies and concepts to check values."""
    from .vocab import load_ontology

    return tuple(load_ontology())


class DataGraph(Graph):
    """An rdflib graph that parses each SPARQL query text once.

    pyshacl evaluates a SPARQL-based constraint (derivation cycles, stale evidence) once per focus
    node, passing the same query text each time; rdflib would re-parse it every time (about 0.15 s
    each, minutes for a batch with thousands of evidence nodes). Caching the parsed query makes
    those constraints cost their evaluation only.
    """

    def query(self, query_object, *args, **kwargs):  # type: ignore[no-untyped-def,override]
        if isinstance(query_object, str) and not kwargs.get("initNs") and not kwargs.get("base"):
            query_object = _prepared(query_object)
        return super().query(query_object, *args, **kwargs)


@lru_cache(maxsize=256)
def _prepared(text: str) -> Any:
    from rdflib.plugins.sparql import prepareQuery

    return prepareQuery(text)


def shapes_graph() -> Graph:
    """A fresh copy of the shipped SHACL shapes."""
    graph = Graph()
    for triple in _shapes_triples():
        graph.add(triple)
    return graph


def add_ontology(graph: Graph) -> None:
    """Mix the ontology into a data graph (in place) so class targets see subclasses."""
    graph.addN((s, p, o, graph) for s, p, o in _ontology_triples())


# --------------------------------------------------------------------------- validating


def validate(
    data_graph: Graph,
    *,
    shapes: Graph | None = None,
    with_ontology: bool = True,
    focus_filter: set[Node] | None = None,
    locate: Locator | None = None,
    inplace: bool = False,
) -> ValidationReport:
    """Validate ``data_graph`` against the shapes (the shipped ones unless ``shapes`` is given).

    * ``with_ontology``: mix in the ontology and schemes (class hierarchy, SKOS concepts) first.
    * ``focus_filter``: keep only results about these nodes (ingest passes the batch's subjects,
      so that context pulled from the store is used for checking but never blamed).
    * ``locate``: maps a focus node to where it is written, for the report.
    * ``inplace``: allow mixing the ontology into ``data_graph`` itself when it is a
      :class:`DataGraph` (saves a copy of big batches).
    """
    import pyshacl

    if not isinstance(data_graph, DataGraph) or (with_ontology and not inplace):
        copy = DataGraph()
        copy.addN((s, p, o, copy) for s, p, o in data_graph)
        data_graph = copy
    if with_ontology:
        add_ontology(data_graph)
    shacl = shapes if shapes is not None else shapes_graph()
    _conforms, report_graph, _text = pyshacl.validate(
        data_graph,
        shacl_graph=shacl,
        inference="none",
        advanced=True,
        allow_warnings=True,
        allow_infos=True,
        inplace=True,
        meta_shacl=False,
        js=False,
    )
    return report_from_graph(report_graph, focus_filter=focus_filter, locate=locate, shapes=shacl)


def _shape_paths(shapes: Graph, shape: Node) -> str | None:
    """For node-level results (sh:or, sh:and, sh:xone): the properties the alternatives speak of.

    E.g. a claim with neither evidence nor status unknown fails an ``sh:or`` whose members have
    paths og:evidence and og:status: the report then names ``og:evidence | og:status``.
    """
    paths: list[str] = []
    for key in (SH["or"], SH["and"], SH.xone):
        for members in shapes.objects(shape, key):
            for member in Collection(shapes, members):
                path = _path_text(shapes, shapes.value(member, SH.path))
                if path and path not in paths:
                    paths.append(path)
    return " | ".join(paths) or None


def report_from_graph(
    report_graph: Graph,
    *,
    focus_filter: set[Node] | None = None,
    locate: Locator | None = None,
    shapes: Graph | None = None,
) -> ValidationReport:
    """Turn pyshacl's report graph into a :class:`ValidationReport` (filtered and located)."""
    results: list[ValidationResult] = []
    kept = Graph()
    for result in report_graph.subjects(RDF.type, SH.ValidationResult):
        focus = report_graph.value(result, SH.focusNode)
        if focus_filter is not None and focus not in focus_filter:
            continue
        path = report_graph.value(result, SH.resultPath)
        value = report_graph.value(result, SH.value)
        severity = report_graph.value(result, SH.resultSeverity)
        shape = report_graph.value(result, SH.sourceShape)
        component = report_graph.value(result, SH.sourceConstraintComponent)
        messages = [str(m) for m in report_graph.objects(result, SH.resultMessage)]
        path_text = _path_text(report_graph, path)
        if path_text is None and shapes is not None and shape is not None:
            path_text = _shape_paths(shapes, shape)
        results.append(
            ValidationResult(
                focus_node=str(focus),
                path=path_text,
                value=None if value is None or value == focus else str(value),
                message="; ".join(sorted(set(messages))) or "does not conform to its shape",
                severity=_SEVERITY.get(severity, str(severity)),  # type: ignore[arg-type]
                source_shape=None if shape is None or isinstance(shape, BNode) else str(shape),
                constraint=None if component is None else str(component).rsplit("#", 1)[-1],
                location=locate(focus) if locate and focus is not None else None,
            )
        )
        _copy_result(report_graph, result, kept)
    report_node = BNode()
    kept.add((report_node, RDF.type, SH.ValidationReport))
    for result in kept.subjects(RDF.type, SH.ValidationResult):
        kept.add((report_node, SH.result, result))
    results.sort(key=lambda r: (r.severity != "Violation", r.location or "", r.focus_node, r.path or ""))
    return ValidationReport(results=results, report_graph=kept)


def _copy_result(source: Graph, node: Node, target: Graph) -> None:
    """Copy a result and the blank nodes hanging off it (paths, details)."""
    todo = [node]
    seen: set[Node] = set()
    while todo:
        current = todo.pop()
        if current in seen:
            continue
        seen.add(current)
        for p, o in source.predicate_objects(current):
            target.add((current, p, o))
            if isinstance(o, BNode):
                todo.append(o)


def _path_text(graph: Graph, path: Node | None) -> str | None:
    """A property path as text: an IRI, or a short SHACL path description for complex paths."""
    if path is None:
        return None
    if isinstance(path, URIRef):
        return str(path)
    inverse = graph.value(path, SH.inversePath)
    if inverse is not None:
        return f"^{_path_text(graph, inverse)}"
    if graph.value(path, RDF.first) is not None:
        return "/".join(_path_text(graph, p) or "?" for p in Collection(graph, path))
    for key, sign in ((SH.zeroOrMorePath, "*"), (SH.oneOrMorePath, "+"), (SH.zeroOrOnePath, "?")):
        inner = graph.value(path, key)
        if inner is not None:
            return f"{_path_text(graph, inner)}{sign}"
    alternatives = graph.value(path, SH.alternativePath)
    if alternatives is not None:
        return "|".join(_path_text(graph, p) or "?" for p in Collection(graph, alternatives))
    return "(complex path)"


_SHORTENER = Graph()
bind_all(_SHORTENER.namespace_manager)


def _short(iri: str) -> str:
    """``og:evidence`` for known namespaces, the full IRI otherwise."""
    if not iri.startswith(("http://", "https://", "urn:")):
        return iri
    try:
        return _SHORTENER.namespace_manager.normalizeUri(URIRef(iri)).strip("<>")
    except Exception:  # noqa: BLE001 - shortening is cosmetic
        return iri


def validate_files(paths: Iterable[Path]) -> ValidationReport:
    """Validate claim files on their own (no store): convenience for notebooks and the CLI."""
    from .ingest.readers import read_file

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

    return validate(combined, focus_filter=subjects, locate=locate, inplace=True)
