"""pySHACL, the reference engine: ``validate(..., engine="pyshacl")`` and the differential tests.

pySHACL checks one focus node at a time in Python: exact and slow (40-110 s for the bundled
corpus). It runs with inference "none" (the shapes say exactly what must be written, no reasoner
guesses it), SHACL-AF on (the stale-evidence SPARQL targets) and warnings allowed.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from rdflib import BNode, Graph, URIRef
from rdflib.namespace import RDF, SH
from rdflib.term import Node

from .report import Locator, RawResult, ValidationReport, build_report, copy_tree


class DataGraph(Graph):
    """An rdflib graph that parses each SPARQL query text once.

    pyshacl evaluates a SPARQL-based constraint (derivation cycles, stale evidence) once per focus
    node, passing the same query text each time; rdflib would re-parse it every time (about 0.15 s
    each, minutes for a batch with thousands of evidence nodes). Caching the parsed query makes
    those constraints cost their evaluation only.
    """

    def query(self, query_object, *args, **kwargs):
        if isinstance(query_object, str) and not kwargs.get("initNs") and not kwargs.get("base"):
            query_object = _prepared(query_object)
        return super().query(query_object, *args, **kwargs)


@lru_cache(maxsize=256)
def _prepared(text: str) -> Any:
    from rdflib.plugins.sparql import prepareQuery

    return prepareQuery(text)


def run_pyshacl(data_graph: Graph, shapes: Graph) -> Graph:
    """pySHACL's ``sh:ValidationReport`` for ``data_graph`` (validated in place: pass a copy)."""
    import pyshacl

    _conforms, report_graph, _text = pyshacl.validate(
        data_graph,
        shacl_graph=shapes,
        inference="none",
        advanced=True,
        allow_warnings=True,
        allow_infos=True,
        inplace=True,
        meta_shacl=False,
        js=False,
    )
    return report_graph


def raw_results(report_graph: Graph) -> list[RawResult]:
    """Every ``sh:ValidationResult`` of a report, nested ``sh:detail`` ones included (flat)."""
    return [_raw(report_graph, r) for r in report_graph.subjects(RDF.type, SH.ValidationResult)]


def _raw(report_graph: Graph, result: Node) -> RawResult:
    component = report_graph.value(result, SH.sourceConstraintComponent)
    severity = report_graph.value(result, SH.resultSeverity)
    return RawResult(
        focus=report_graph.value(result, SH.focusNode),  # type: ignore[arg-type]
        path=report_graph.value(result, SH.resultPath),
        value=report_graph.value(result, SH.value),
        messages=tuple(report_graph.objects(result, SH.resultMessage)),  # type: ignore[arg-type]
        severity=severity if isinstance(severity, URIRef) else SH.Violation,
        shape=report_graph.value(result, SH.sourceShape),
        component=component if isinstance(component, URIRef) else None,
        source_constraint=report_graph.value(result, SH.sourceConstraint),
    )


def report_from_graph(
    report_graph: Graph,
    *,
    focus_filter: set[Node] | None = None,
    locate: Locator | None = None,
    shapes: Graph | None = None,
) -> ValidationReport:
    """Turn pyshacl's report graph into a :class:`ValidationReport` (filtered and located)."""
    kept = Graph()
    results = []
    for result in report_graph.subjects(RDF.type, SH.ValidationResult):
        raw = _raw(report_graph, result)
        if focus_filter is not None and raw.focus not in focus_filter:
            continue
        results.append(raw)
        copy_tree(report_graph, result, kept)
    report_node = BNode()
    kept.add((report_node, RDF.type, SH.ValidationReport))
    for result in kept.subjects(RDF.type, SH.ValidationResult):
        kept.add((report_node, SH.result, result))
    return build_report(results, shapes=shapes, locate=locate, engine="pyshacl", paths=report_graph,
                        report_graph=kept)

