"""Validation reports a person can act on: results with the place they are written, renderings.

Both engines (the compiled SPARQL one and pySHACL) end here: each result is a :class:`RawResult`
(rdflib terms, as in a ``sh:ValidationResult``), turned into a :class:`ValidationResult` (strings,
the file/line of the focus node) by :func:`to_result`, so the two engines' reports read the same.

Severity: only ``sh:Violation`` results make a graph non-conforming; ``sh:Warning`` and
``sh:Info`` are reported and never block.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field, replace

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF, SH
from rdflib.term import Node

from ..namespaces import bind_all

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
class RawResult:
    """A ``sh:ValidationResult`` as rdflib terms (path and shape are shapes-graph nodes)."""

    focus: Node
    path: Node | None
    value: Node | None
    messages: tuple[Literal, ...]
    severity: URIRef
    shape: Node | None
    component: URIRef | None
    source_constraint: Node | None = None
    details: list[RawResult] = field(default_factory=list)

    def walk(self) -> Iterable[RawResult]:
        """This result and its ``sh:detail`` results, depth first."""
        yield self
        for detail in self.details:
            yield from detail.walk()


class ValidationReport:
    """What validation found: violations block ingest, warnings are listed.

    ``report_graph`` is the ``sh:ValidationReport`` as RDF; the compiled engine builds it only
    when asked (renderings as Turtle), from the raw results kept in ``raw``.
    """

    def __init__(self, results: list[ValidationResult] | None = None, report_graph: Graph | None = None,
                 focus_count: int | None = None, *, raw: list[RawResult] | None = None,
                 shapes: Graph | None = None, engine: str = "") -> None:
        self.results: list[ValidationResult] = results if results is not None else []
        self._graph = report_graph
        self.focus_count = focus_count  # number of focus nodes considered, when known
        self.raw: list[RawResult] = raw if raw is not None else []
        self._shapes = shapes
        self.engine = engine  # "compiled" or "pyshacl" (empty for an empty report)

    def __repr__(self) -> str:
        return (f"ValidationReport({len(self.violations)} violation(s), {len(self.warnings)} warning(s), "
                f"engine={self.engine or '-'})")

    @property
    def report_graph(self) -> Graph:
        if self._graph is None:
            self._graph = report_graph_of(self.raw, self._shapes)
        return self._graph

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
        graph = self.report_graph + other.report_graph
        self.results.extend(other.results)
        self.raw.extend(other.raw)
        self._graph = graph

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


# --------------------------------------------------------------------------- raw results → report


def to_result(raw: RawResult, *, shapes: Graph | None, paths: Graph | None = None,
              locate: Locator | None = None) -> ValidationResult:
    """The person-facing result: IRIs as text, the path (for a node-level ``sh:or``, the paths its
    members speak of), the value unless it is the focus node itself, the file/line of the focus."""
    path_text = _path_text(paths if paths is not None else shapes, raw.path) if raw.path is not None else None
    if path_text is None and shapes is not None and raw.shape is not None:
        path_text = _shape_paths(shapes, raw.shape)
    value, focus = raw.value, raw.focus
    return ValidationResult(
        focus_node=str(focus),
        path=path_text,
        value=None if value is None or value == focus else str(value),
        message="; ".join(sorted({str(m) for m in raw.messages})) or "does not conform to its shape",
        severity=_SEVERITY.get(raw.severity, str(raw.severity)),
        source_shape=None if raw.shape is None or isinstance(raw.shape, BNode) else str(raw.shape),
        constraint=None if raw.component is None else str(raw.component).rsplit("#", 1)[-1],
        location=locate(focus) if locate and focus is not None else None,
    )


def build_report(raw: list[RawResult], *, shapes: Graph | None, focus_filter: set[Node] | None = None,
                 locate: Locator | None = None, engine: str = "", paths: Graph | None = None,
                 report_graph: Graph | None = None) -> ValidationReport:
    """A report of every result (details included, as pySHACL's report lists them), keeping only
    results about ``focus_filter`` when given, sorted violations first, then by place."""
    kept = [r for top in raw for r in top.walk() if focus_filter is None or r.focus in focus_filter]
    results = [to_result(r, shapes=shapes, paths=paths, locate=locate) for r in kept]
    results.sort(key=lambda r: (r.severity != "Violation", r.location or "", r.focus_node, r.path or ""))
    # whole trees (sh:node results with their sh:detail), or, filtered, each result on its own: a
    # detail about the batch may be kept without its parent about the context (never blamed)
    kept_raw = raw if focus_filter is None else [replace(r, details=[]) for r in kept]
    return ValidationReport(results, report_graph, raw=kept_raw, shapes=shapes, engine=engine)


def report_graph_of(raw: Iterable[RawResult], shapes: Graph | None) -> Graph:
    """The ``sh:ValidationReport`` of raw results (nested results under ``sh:detail``)."""
    graph = Graph()
    report = BNode()
    graph.add((report, RDF.type, SH.ValidationReport))

    def write(result: RawResult) -> BNode:
        node = BNode()
        graph.add((node, RDF.type, SH.ValidationResult))
        graph.add((node, SH.focusNode, result.focus))
        graph.add((node, SH.resultSeverity, result.severity))
        if result.component is not None:
            graph.add((node, SH.sourceConstraintComponent, result.component))
        if result.shape is not None:
            graph.add((node, SH.sourceShape, result.shape))
        if result.value is not None:
            graph.add((node, SH.value, result.value))
        if result.source_constraint is not None:
            graph.add((node, SH.sourceConstraint, result.source_constraint))
        if result.path is not None:
            graph.add((node, SH.resultPath, result.path))
            if isinstance(result.path, BNode) and shapes is not None:
                copy_tree(shapes, result.path, graph)
        for message in result.messages:
            graph.add((node, SH.resultMessage, message))
        for detail in result.details:
            graph.add((node, SH.detail, write(detail)))
        return node

    for result in raw:
        graph.add((report, SH.result, write(result)))
    return graph


def copy_tree(source: Graph, node: Node, target: Graph) -> None:
    """Copy a node and the blank nodes hanging off it (paths, details)."""
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


def _path_text(graph: Graph | None, path: Node | None) -> str | None:
    """A property path as text: an IRI, or a short SHACL path description for complex paths."""
    if path is None:
        return None
    if isinstance(path, URIRef):
        return str(path)
    if graph is None:
        return "(complex path)"
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
    except Exception:
        return iri
