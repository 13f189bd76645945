"""The shapes graph read into :class:`ShapeIR` objects: what the compiler can translate.

:class:`_Reader` refuses (:class:`CompileError`, naming the shape) every SHACL feature outside the
subset listed in :mod:`.compiler`, so a new shape is never silently left unchecked.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF, RDFS, SH, XSD
from rdflib.term import Node

from .valuetests import (
    AllTest,
    AnyTest,
    CompileError,
    ConstTest,
    DatatypeTest,
    EqualsTest,
    InTest,
    NodeKindTest,
    NotTest,
    OneTest,
    PatternTest,
    RangeTest,
    ValueTest,
)

SH_COMPONENT = {
    "nodeKind": SH.NodeKindConstraintComponent,
    "datatype": SH.DatatypeConstraintComponent,
    "in": SH.InConstraintComponent,
    "hasValue": SH.HasValueConstraintComponent,
    "pattern": SH.PatternConstraintComponent,
    "minInclusive": SH.MinInclusiveConstraintComponent,
    "maxInclusive": SH.MaxInclusiveConstraintComponent,
    "minExclusive": SH.MinExclusiveConstraintComponent,
    "maxExclusive": SH.MaxExclusiveConstraintComponent,
    "minCount": SH.MinCountConstraintComponent,
    "maxCount": SH.MaxCountConstraintComponent,
    "class": SH.ClassConstraintComponent,
    "node": SH.NodeConstraintComponent,
    "or": SH.OrConstraintComponent,
    "and": SH.AndConstraintComponent,
    "not": SH.NotConstraintComponent,
    "xone": SH.XoneConstraintComponent,
    "sparql": SH.SPARQLConstraintComponent,
}

#: Predicates of a shape that are not constraints (read elsewhere, or annotations).
_NOT_CONSTRAINTS = {
    SH.path, SH.message, SH.severity, SH.deactivated, SH.name, SH.description, SH.order, SH.group,
    SH.defaultValue, SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf,
    SH.target, SH.flags, SH.property, SH.prefixes, SH.declare,
}
_SUPPORTED = {SH[name] for name in SH_COMPONENT} | {SH.property}
_LENIENT = (SH.Warning, SH.Info)  # severities pySHACL (allow_warnings) treats as conforming
_RDF_TYPE, _SUBCLASS = f"<{RDF.type}>", f"<{RDFS.subClassOf}>"
#: Variable names the compiler writes; a SPARQL constraint must not project them.
_RESERVED = re.compile(r"^(this\d*|value|v\d+|t\d+|k\d+|h\d+|b\d+|n\d+|ok\d+|x\d+|f\d+)$")


@dataclass(frozen=True)
class Meta:
    """What one kind of result says: the shape, path, component, severity and messages."""

    shape: Node
    path: Node | None
    component: URIRef
    severity: URIRef
    messages: tuple[Literal, ...]
    source_constraint: Node | None = None


# --------------------------------------------------------------------------- shapes as read


@dataclass(eq=False)
class Logic:
    """sh:or / sh:and / sh:not / sh:xone over member shapes."""

    kind: str
    members: tuple[ShapeIR, ...]

    def as_test(self) -> ValueTest | None:
        tests = [m.as_test() for m in self.members]
        if any(t is None for t in tests):
            return None
        parts = tuple(t for t in tests if t is not None)
        if self.kind == "or":
            return AnyTest(parts)
        if self.kind == "and":
            return AllTest(parts)
        if self.kind == "not":
            return NotTest(parts[0])
        return OneTest(parts)


@dataclass(eq=False)
class SparqlConstraint:
    node: Node
    select: str  # the query body with $this/?this as written
    variables: tuple[str, ...]
    messages: tuple[Literal, ...]
    prefixes: tuple[tuple[str, str], ...]


@dataclass(eq=False)
class ShapeIR:
    """One shape as the compiler reads it (see :func:`compile_shapes`)."""

    node: Node
    label: str = ""  # how errors name the shape: ogsh:ClaimShape, [sh:path og:about] (sh:property of ...)
    path: Node | None = None
    sparql_path: str | None = None
    severity: URIRef = SH.Violation
    messages: tuple[Literal, ...] = ()
    deactivated: bool = False
    tests: list[tuple[str, ValueTest]] = field(default_factory=list)  # (component key, test)
    classes: list[URIRef] = field(default_factory=list)
    logic: list[Logic] = field(default_factory=list)
    nodes: list[ShapeIR] = field(default_factory=list)
    properties: list[ShapeIR] = field(default_factory=list)
    min_count: int | None = None
    max_count: int | None = None
    has_values: list[Node] = field(default_factory=list)
    sparql: list[SparqlConstraint] = field(default_factory=list)
    targets: list[str] = field(default_factory=list)  # SPARQL alternatives binding ?this
    target_prefixes: tuple[tuple[str, str], ...] = ()

    def meta(self, key: str, source_constraint: Node | None = None) -> Meta:
        return Meta(self.node, self.path, SH_COMPONENT[key], self.severity, self.messages, source_constraint)

    def lenient(self) -> bool:
        """Conforms whatever the data (pySHACL with allow_warnings, and sh:deactivated)."""
        return self.deactivated or self.severity in _LENIENT

    def as_test(self) -> ValueTest | None:
        """This shape's conformance as a value test of the focus node, when it needs no graph."""
        if self.lenient():
            return ConstTest(True)
        if self.path is not None or self.classes or self.nodes or self.properties or self.sparql:
            return None
        parts: list[ValueTest] = [t for _k, t in self.tests]
        for logic in self.logic:
            test = logic.as_test()
            if test is None:
                return None
            parts.append(test)
        return AllTest(tuple(parts))


def sparql_path(graph: Graph, node: Node, shape: str) -> str:
    """A SHACL property path in SPARQL property path syntax."""
    if isinstance(node, URIRef):
        return f"<{node}>"
    if graph.value(node, RDF.first) is not None:
        return "(" + "/".join(sparql_path(graph, p, shape) for p in Collection(graph, node)) + ")"
    for key, fmt in ((SH.inversePath, "^({})"), (SH.zeroOrMorePath, "({})*"), (SH.oneOrMorePath, "({})+"),
                     (SH.zeroOrOnePath, "({})?")):
        inner = graph.value(node, key)
        if inner is not None:
            return fmt.format(sparql_path(graph, inner, shape))
    alternatives = graph.value(node, SH.alternativePath)
    if alternatives is not None:
        return "(" + "|".join(sparql_path(graph, p, shape) for p in Collection(graph, alternatives)) + ")"
    raise CompileError(f"shape {shape}: unsupported sh:path {node!r}")


def path_predicates(graph: Graph, node: Node) -> set[URIRef]:
    """Every predicate IRI a path walks."""
    if isinstance(node, URIRef):
        return {node}
    found: set[URIRef] = set()
    for _p, o in graph.predicate_objects(node):
        if isinstance(o, URIRef) and _p in (SH.inversePath, SH.zeroOrMorePath, SH.oneOrMorePath,
                                            SH.zeroOrOnePath, RDF.first):
            found.add(o)
        elif isinstance(o, BNode):
            found |= path_predicates(graph, o)
    return found


_SELECT_HEAD = re.compile(r"^\s*SELECT\s+(DISTINCT\s+)?((?:[?$]\w+\s+)+)WHERE\s*\{", re.IGNORECASE)
_JOIN_UNSAFE = re.compile(r"\b(OPTIONAL|MINUS|EXISTS|BIND|VALUES|UNION|GRAPH|SERVICE|SELECT|GROUP|HAVING|"
                          r"LIMIT|OFFSET|ORDER)\b|\$(PATH|currentShape|shapesGraph)\b", re.IGNORECASE)


def _strip_strings(text: str) -> str:
    return re.sub(r'"""[\s\S]*?"""|\'\'\'[\s\S]*?\'\'\'|"(?:\\.|[^"\\])*"|\'(?:\\.|[^\'\\])*\'', '""', text)


class _Reader:
    """Reads the shapes graph into :class:`ShapeIR` objects, refusing what it cannot compile."""

    def __init__(self, graph: Graph) -> None:
        self.g = graph
        self.done: dict[Node, ShapeIR] = {}
        self.stack: list[Node] = []

    def label(self, node: Node) -> str:
        if isinstance(node, URIRef):
            return self.g.namespace_manager.normalizeUri(node)
        owner = next((s for s in self.g.subjects(SH.property, node)), None)
        path = self.g.value(node, SH.path)
        where = f" (sh:property of {self.label(owner)})" if owner is not None else ""
        return f"[{'sh:path ' + self.label(path) if isinstance(path, URIRef) else 'blank node'}]{where}"

    def fail(self, node: Node, what: str) -> CompileError:
        return CompileError(f"shape {self.label(node)}: {what}; the compiled validator cannot check it "
                            "(change the shape, extend openness.validation.compiler, or use "
                            "--engine pyshacl)")

    def one(self, node: Node, p: URIRef) -> Node | None:
        values = list(self.g.objects(node, p))
        if len(values) > 1:
            raise self.fail(node, f"several values of {self.label(p)}")
        return values[0] if values else None

    def shape(self, node: Node) -> ShapeIR:
        if node in self.done:
            return self.done[node]
        if node in self.stack:
            raise self.fail(node, "recursive shape references")
        self.stack.append(node)
        try:
            ir = self._read(node)
        finally:
            self.stack.pop()
        self.done[node] = ir
        return ir

    def _int(self, node: Node, p: URIRef) -> int | None:
        value = self.one(node, p)
        if value is None:
            return None
        if not (isinstance(value, Literal) and isinstance(value.value, int) and value.value >= 0):
            raise self.fail(node, f"{self.label(p)} must be a non-negative integer")
        return int(value.value)

    def _read(self, node: Node) -> ShapeIR:
        g = self.g
        ir = ShapeIR(node, label=self.label(node))
        deactivated = self.one(node, SH.deactivated)
        ir.deactivated = bool(isinstance(deactivated, Literal) and deactivated.value is True)
        severity = next(iter(g.objects(node, SH.severity)), None)
        ir.severity = severity if isinstance(severity, URIRef) else SH.Violation
        messages = (m for m in g.objects(node, SH.message) if isinstance(m, Literal))
        ir.messages = tuple(sorted(messages, key=str))
        path = self.one(node, SH.path)
        if path is not None:
            ir.path, ir.sparql_path = path, sparql_path(g, path, self.label(node))
        for p in set(g.predicates(node)):
            if p in _NOT_CONSTRAINTS or p == RDF.type or not str(p).startswith(str(SH)):
                continue
            if p not in _SUPPORTED:
                raise self.fail(node, f"{self.label(p)} is not supported")
        if ir.deactivated:
            return ir
        self._read_tests(node, ir)
        for key in ("or", "and", "xone"):
            for members in g.objects(node, SH[key]):
                ir.logic.append(Logic(key, tuple(self.shape(m) for m in Collection(g, members))))
        for member in g.objects(node, SH["not"]):
            ir.logic.append(Logic("not", (self.shape(member),)))
        ir.classes = sorted(c for c in g.objects(node, SH["class"]) if isinstance(c, URIRef))
        if len(ir.classes) != len(list(g.objects(node, SH["class"]))):
            raise self.fail(node, "sh:class must name class IRIs")
        ir.nodes = [self.shape(n) for n in sorted(g.objects(node, SH.node), key=str)]
        for n in ir.nodes:
            if n.path is not None:
                raise self.fail(node, "sh:node must point to a node shape")
        ir.properties = [self.shape(p) for p in sorted(g.objects(node, SH.property), key=self._prop_key)]
        for prop in ir.properties:
            if prop.path is None:
                raise self.fail(prop.node, "a shape under sh:property needs sh:path")
        if path is not None and ir.properties:
            raise self.fail(node, "sh:property on a property shape")
        ir.min_count, ir.max_count = self._int(node, SH.minCount), self._int(node, SH.maxCount)
        if path is None and (ir.min_count is not None or ir.max_count is not None):
            raise self.fail(node, "sh:minCount/sh:maxCount on a node shape")
        if ir.min_count == 0:
            ir.min_count = None  # always met (pySHACL skips it)
        if path is not None:
            ir.has_values = sorted(g.objects(node, SH.hasValue), key=str)
        for constraint in g.objects(node, SH.sparql):
            ir.sparql.append(self._sparql(node, ir, constraint))
        self._read_targets(node, ir)
        return ir

    def _prop_key(self, p: Node) -> str:
        path = self.g.value(p, SH.path)
        return f"{path}|{sorted(str(o) for o in self.g.objects(p, None) if isinstance(o, Literal))}"

    def _read_tests(self, node: Node, ir: ShapeIR) -> None:
        g = self.g
        kind = self.one(node, SH.nodeKind)
        if kind is not None:
            if kind not in NodeKindTest._ALLOWED:
                raise self.fail(node, f"unknown sh:nodeKind {kind}")
            ir.tests.append(("nodeKind", NodeKindTest(kind)))  # type: ignore[arg-type]
        datatype = self.one(node, SH.datatype)
        if datatype is not None:
            if not isinstance(datatype, URIRef):
                raise self.fail(node, "sh:datatype must be an IRI")
            ir.tests.append(("datatype", DatatypeTest(datatype)))
        members = self.one(node, SH["in"])
        if members is not None:
            ir.tests.append(("in", InTest(tuple(Collection(g, members)))))
        if ir.path is None:
            for value in sorted(g.objects(node, SH.hasValue), key=str):
                ir.tests.append(("hasValue", EqualsTest(value)))
        flags = self.one(node, SH.flags)
        for pattern in sorted(g.objects(node, SH.pattern), key=str):
            if not isinstance(pattern, Literal):
                raise self.fail(node, "sh:pattern must be a string")
            test = PatternTest(str(pattern), str(flags or ""), f"shape {self.label(node)}")
            test.fast("?v")  # refuse a pattern Oxigraph would read differently, now
            ir.tests.append(("pattern", test))
        for key, op in (("minInclusive", ">="), ("minExclusive", ">"), ("maxInclusive", "<="),
                        ("maxExclusive", "<")):
            for bound in sorted(g.objects(node, SH[key]), key=str):
                if not (isinstance(bound, Literal) and bound.datatype in (XSD.integer, XSD.decimal)
                        and not bound.ill_typed):
                    raise self.fail(node, f"sh:{key} {bound!r}: only xsd:integer and xsd:decimal bounds "
                                          "are supported")
                ir.tests.append((key, RangeTest(op, bound)))

    def _prefixes(self, node: Node) -> tuple[tuple[str, str], ...]:
        found: dict[str, str] = {}
        for source in self.g.objects(node, SH.prefixes):
            for decl in self.g.objects(source, SH.declare):
                prefix, namespace = self.g.value(decl, SH.prefix), self.g.value(decl, SH.namespace)
                if prefix is not None and namespace is not None:
                    found[str(prefix)] = str(namespace)
        return tuple(sorted(found.items()))

    def _sparql(self, node: Node, ir: ShapeIR, constraint: Node) -> SparqlConstraint:
        if ir.path is not None:
            raise self.fail(node, "sh:sparql on a property shape")
        deactivated = self.one(constraint, SH.deactivated)
        select = self.one(constraint, SH.select)
        if self.one(constraint, SH.ask) is not None or select is None:
            raise self.fail(node, "sh:sparql needs one sh:select (ASK validators are not supported)")
        text = str(select)
        head = _SELECT_HEAD.match(text)
        body = _strip_strings(text[head.end():] if head else "")
        if head is None or _JOIN_UNSAFE.search(body) or not re.search(r"[?$]this\b", body):
            raise self.fail(node, "sh:select must be 'SELECT $this ... WHERE { ... }' binding $this in plain "
                                  "triple patterns (no OPTIONAL, MINUS, EXISTS, BIND, VALUES, UNION, GRAPH, "
                                  "SERVICE or sub-select)")
        variables = tuple(v[1:] for v in head.group(2).split())
        clash = any(_RESERVED.match(v) and v not in ("this", "value") for v in variables)
        if "this" not in variables or clash:
            raise self.fail(node, "sh:select must project $this and no variable the compiler uses")
        messages = tuple(sorted((m for m in self.g.objects(constraint, SH.message) if isinstance(m, Literal)),
                                key=str))
        info = SparqlConstraint(constraint, text, variables, messages, self._prefixes(constraint))
        if isinstance(deactivated, Literal) and deactivated.value is True:
            info = SparqlConstraint(constraint, "", (), (), ())
        return info

    def _read_targets(self, node: Node, ir: ShapeIR) -> None:
        g = self.g
        classes = set(g.objects(node, SH.targetClass))
        class_types = {RDFS.Class, *g.subjects(RDFS.subClassOf, RDFS.Class)}
        if any(t in class_types for t in g.objects(node, RDF.type)):
            classes.add(node)
        for c in sorted(classes, key=str):
            if not isinstance(c, URIRef):
                raise self.fail(node, "sh:targetClass must be an IRI")
            ir.targets.append(f"?this {_RDF_TYPE}/{_SUBCLASS}* <{c}> .")
        for n in sorted(g.objects(node, SH.targetNode), key=str):
            if not isinstance(n, URIRef):
                raise self.fail(node, "sh:targetNode must be an IRI")
            ir.targets.append(f"VALUES ?this {{ <{n}> }}")
        counter = itertools.count()
        for p in sorted(g.objects(node, SH.targetSubjectsOf), key=str):
            ir.targets.append(f"?this <{p}> ?t{next(counter)} .")
        for p in sorted(g.objects(node, SH.targetObjectsOf), key=str):
            ir.targets.append(f"?t{next(counter)} <{p}> ?this .")
        prefixes: dict[str, str] = {}
        for target in sorted(g.objects(node, SH.target), key=str):
            if (target, RDF.type, SH.SPARQLTarget) not in g or self.one(target, SH.select) is None:
                raise self.fail(node, "sh:target must be an sh:SPARQLTarget with sh:select")
            prefixes.update(self._prefixes(target))
            ir.targets.append(f"{{ {str(self.one(target, SH.select)).strip()} }}")
        ir.target_prefixes = tuple(sorted(prefixes.items()))
