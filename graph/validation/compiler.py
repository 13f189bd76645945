"""Compile the SHACL shapes into SPARQL SELECT queries that find the violations.

Why: pySHACL checks one focus node at a time in Python (40-110 s for the bundled corpus); one
SPARQL query per property shape, run by Oxigraph over all focus nodes at once, takes seconds and
scales with the store. The shapes stay the source of truth: nothing here is written for one shape,
and anything outside the subset below raises :class:`CompileError` naming the shape, so a new
shape is never silently left unchecked (``validate(..., engine="pyshacl")`` still runs it).

Supported SHACL (the subset ``shapes/*.ttl`` uses, plus close relatives):

* targets: ``sh:targetClass`` (instances of subclasses too, by ``rdfs:subClassOf*`` in the data),
  implicit class targets, ``sh:targetNode`` (IRIs), ``sh:targetSubjectsOf``,
  ``sh:targetObjectsOf``, SHACL-AF ``sh:target [ a sh:SPARQLTarget ; sh:select ... ]``;
* paths: predicates, ``sh:inversePath``, sequences, ``sh:alternativePath``, ``sh:zeroOrMorePath``,
  ``sh:oneOrMorePath``, ``sh:zeroOrOnePath`` (SPARQL property paths);
* value tests: ``sh:nodeKind``, ``sh:datatype``, ``sh:in``, ``sh:hasValue``, ``sh:pattern`` (with
  ``sh:flags`` i and m, as pySHACL reads them), ``sh:minInclusive``/``maxInclusive``/
  ``minExclusive``/``maxExclusive`` with numeric bounds;
* ``sh:minCount``, ``sh:maxCount``, ``sh:class``, ``sh:node`` (with pySHACL's nested results as
  ``sh:detail``), ``sh:property``, ``sh:or``, ``sh:and``, ``sh:not``, ``sh:xone``;
* ``sh:sparql`` SELECT constraints on node shapes whose query binds ``$this`` in plain triple or
  path patterns (no OPTIONAL, MINUS, EXISTS, BIND, VALUES, UNION, GRAPH, SERVICE or sub-select,
  where joining differs from pre-binding);
* ``sh:severity``, ``sh:message`` (required on every shape that reports results: pySHACL's
  generated messages are not reproduced), ``sh:deactivated``.

Semantics follow pySHACL 0.40 run as ``validate`` runs it (inference "none", ``advanced=True``,
``allow_warnings=True``): a member of ``sh:or``/``sh:and``/``sh:not``/``sh:xone`` with severity
Warning or Info always conforms; ``sh:node`` fails when the nested shape reports anything.

Query style (docs: queries/README.md): cardinalities as UNION + GROUP BY over the focus nodes, value
tests as one FILTER per value row, nested conformance as GROUP BY over failing members; no
per-row OPTIONAL or FILTER EXISTS.

Output: :func:`compile_shapes` gives a :class:`CompiledShapes`; its ``render`` gives the
:class:`Query` list, optionally with *exceptions* (suspicious literals judged in Python, see
:mod:`.literals`). ``scripts/compile_shapes.py`` writes the plain rendering to
``queries/shapes-compiled/``.
"""

from __future__ import annotations

import hashlib
import itertools
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import partial

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, SH
from rdflib.term import Node

from .shapes import (
    _LENIENT,
    _RDF_TYPE,
    _SUBCLASS,
    Logic,
    Meta,
    ShapeIR,
    SparqlConstraint,
    _Reader,
    path_predicates,
)
from .valuetests import (
    NO_EXCEPTIONS,
    AllTest,
    CompileError,
    ConstTest,
    EqualsTest,
    Exceptions,
    ValueTest,
)

__all__ = ["NO_EXCEPTIONS", "CompileError", "CompiledShapes", "Exceptions", "Meta", "Query", "compile_shapes",
           "query_files"]

@dataclass(frozen=True)
class NodeLink:
    """A ``sh:node`` constraint whose nested results become the ``sh:detail`` of its result."""

    id: int
    meta: Meta
    parent: NodeLink | None


@dataclass(frozen=True)
class SparqlInfo:
    """A SPARQL-based constraint: the variables it projects and its message templates."""

    variables: tuple[str, ...]
    shape_messages: tuple[Literal, ...]
    constraint_messages: tuple[Literal, ...]


@dataclass(frozen=True)
class Column:
    """A boolean column of a query: true means a result of ``meta``, whose value is the focus
    node (``"focus"``), the row's value node (``"value"``) or none (``"none"``)."""

    name: str
    meta: Meta
    value: str


@dataclass(frozen=True)
class Query:
    """One compiled query and how its rows become results.

    ``kind``: ``focus`` (one row per focus node with a result, one boolean :class:`Column` per
    constraint), ``values`` (one row per value node with a result, one column per value test),
    ``rows`` (each row is one result of ``metas[0]``) or ``sparql`` (a SPARQL-based constraint's
    rows). ``focus``/``value``/``carried`` name the variables (``carried``: the focus nodes of
    enclosing ``sh:node`` results, outermost first); ``parent`` is the ``sh:node`` constraint
    these results are the ``sh:detail`` of.
    """

    name: str
    text: str
    kind: str
    focus: str
    value: str | None
    carried: tuple[str, ...]
    columns: tuple[Column, ...] = ()
    metas: tuple[Meta, ...] = ()
    parent: NodeLink | None = None
    sparql: SparqlInfo | None = None


# --------------------------------------------------------------------------- rendering


@dataclass(frozen=True)
class Cand:
    """Candidate focus nodes: a sub-select projecting ``focus`` and ``carried`` (nothing else)."""

    select: str
    focus: str
    carried: tuple[str, ...]

    @property
    def keys(self) -> str:
        return " ".join((*self.carried, self.focus))


class _Renderer:
    def __init__(self, ex: Exceptions) -> None:
        self.ex = ex
        self.counter = itertools.count(1)
        self.links = itertools.count()
        self.queries: list[Query] = []
        self.names: set[str] = set()

    def var(self, stem: str) -> str:
        return f"?{stem}{next(self.counter)}"

    # ---------------------------------------------------------------- candidates

    @staticmethod
    def project(pattern: str, focus: str, carried: tuple[str, ...]) -> Cand:
        keys = " ".join((*carried, focus))
        return Cand(f"{{ SELECT DISTINCT {keys} WHERE {{ {pattern} }} }}", focus, carried)

    def values_of(self, shape: ShapeIR, cand: Cand, value: str | None = None) -> Cand:
        """The value nodes of ``shape`` for each candidate, carrying the candidate."""
        value = value or self.var("x")
        if shape.sparql_path is None:
            return self.project(f"{cand.select} BIND({cand.focus} AS {value})", value,
                                (*cand.carried, cand.focus))
        return self.project(f"{cand.select} {cand.focus} {shape.sparql_path} {value} .", value,
                            (*cand.carried, cand.focus))

    # ---------------------------------------------------------------- failing candidates

    def fail(self, shape: ShapeIR, cand: Cand, strict: bool) -> str | None:
        """A pattern binding the candidates (focus and carried) for which ``shape`` fails.

        ``strict``: fails on any result (pySHACL's sh:node); otherwise on non-conformance, where
        a Warning/Info shape always conforms (pySHACL's sh:or/sh:and/sh:not/sh:xone members).
        """
        if shape.deactivated or (not strict and shape.severity in _LENIENT):
            return None
        branches: list[str] = []
        if shape.path is None:
            values = cand
        else:
            values = self.values_of(shape, cand)
            branches += self._count_fail(shape, cand)
            for h in shape.has_values:
                branches.append(self._has_value_fail(shape, cand, h))
        tests = [t for _k, t in shape.tests]
        for logic in shape.logic:
            test = logic.as_test()
            if test is not None:
                tests.append(test)
        if tests:
            condition = AllTest(tuple(tests)).sparql(values.focus, self.ex)
            branches.append(f"{values.select} FILTER(!({condition}))")
        for check in self._graph_checks(shape):
            failing = check(values)
            if failing is not None:
                branches.append(failing)
        for node in shape.nodes:
            failing = self.fail(node, self.project(values.select, values.focus, values.carried), True)
            if failing is not None:
                branches.append(failing)
        for prop in shape.properties:
            failing = self.fail(prop, cand, strict)
            if failing is not None:
                branches.append(failing)
        if shape.sparql:
            raise CompileError(f"shape {shape.label}: sh:sparql inside sh:node/sh:or/... is not supported")
        if not branches:
            return None
        keys = " ".join((*cand.carried, cand.focus))
        union = " UNION ".join(f"{{ {b} }}" for b in branches)
        return f"{{ SELECT DISTINCT {keys} WHERE {{ {union} }} }}"

    def _count_fail(self, shape: ShapeIR, cand: Cand) -> list[str]:
        if shape.min_count is None and shape.max_count is None:
            return []
        v = self.var("v")
        having = []
        if shape.min_count is not None:
            having.append(f"COUNT(DISTINCT {v}) < {shape.min_count}")
        if shape.max_count is not None:
            having.append(f"COUNT(DISTINCT {v}) > {shape.max_count}")
        walk = f"{cand.select} {cand.focus} {shape.sparql_path} {v} ."
        body = f"{{ {cand.select} }} UNION {{ {walk} }}" if shape.min_count is not None else walk
        return [f"{{ SELECT {cand.keys} WHERE {{ {body} }} GROUP BY {cand.keys} "
                f"HAVING({' || '.join(having)}) }}"]

    def _has_value_fail(self, shape: ShapeIR, cand: Cand, value: Node) -> str:
        h = self.var("h")
        if isinstance(value, URIRef):
            found = f"{cand.select} {cand.focus} {shape.sparql_path} <{value}> . BIND(1 AS {h})"
        else:
            w = self.var("v")
            test = EqualsTest(value).sparql(w, self.ex)
            found = f"{cand.select} {cand.focus} {shape.sparql_path} {w} . FILTER({test}) BIND(1 AS {h})"
        return (f"{{ SELECT {cand.keys} WHERE {{ {{ {cand.select} BIND(0 AS {h}) }} UNION {{ {found} }} }} "
                f"GROUP BY {cand.keys} HAVING(MAX({h}) = 0) }}")

    def _graph_checks(self, shape: ShapeIR) -> list[Callable[[Cand], str | None]]:
        """Value-node checks that need the graph: sh:class, and logic over graph-level members."""
        checks: list[Callable[[Cand], str | None]] = []
        for c in shape.classes:
            checks.append(partial(self._class_fail, cls=c))
        for logic in shape.logic:
            if logic.as_test() is None:
                checks.append(partial(self._logic_fail, logic))
        return checks

    def _class_fail(self, values: Cand, cls: URIRef) -> str:
        ok = self.var("ok")
        typed = f"{values.select} {values.focus} {_RDF_TYPE}/{_SUBCLASS}* <{cls}> . BIND(1 AS {ok})"
        return (f"{{ SELECT {values.keys} WHERE {{ {{ {values.select} BIND(0 AS {ok}) }} "
                f"UNION {{ {typed} }} }} "
                f"GROUP BY {values.keys} HAVING(MAX({ok}) = 0) }}")

    def _member_fail(self, member: ShapeIR, values: Cand) -> str | None:
        test = member.as_test()
        if test is not None:
            if isinstance(test, ConstTest):
                return None if test.value else values.select
            return f"{{ {values.select} FILTER(!({test.sparql(values.focus, self.ex)})) }}"
        return self.fail(member, values, False)

    def _logic_fail(self, logic: Logic, values: Cand) -> str | None:
        k = self.var("k")
        failing = [self._member_fail(m, values) for m in logic.members]
        branches = [f"{{ {f} BIND({i} AS {k}) }}" for i, f in enumerate(failing, 1) if f is not None]
        n = len(logic.members)
        if logic.kind == "and":
            if not branches:
                return None
            return f"{{ SELECT DISTINCT {values.keys} WHERE {{ {' UNION '.join(branches)} }} }}"
        if logic.kind == "or":
            if len(branches) < n:
                return None  # a member that always conforms
            return (f"{{ SELECT {values.keys} WHERE {{ {' UNION '.join(branches)} }} GROUP BY {values.keys} "
                    f"HAVING(COUNT(DISTINCT {k}) = {n}) }}")
        everyone = f"{{ {values.select} BIND(0 AS {k}) }}"
        if logic.kind == "not":
            if not branches:
                return values.select
            return (f"{{ SELECT {values.keys} WHERE {{ {everyone} UNION {branches[0]} }} "
                    f"GROUP BY {values.keys} "
                    f"HAVING(MAX({k}) = 0) }}")
        return (f"{{ SELECT {values.keys} WHERE {{ {' UNION '.join([everyone, *branches])} }} "
                f"GROUP BY {values.keys} HAVING({n} - (COUNT(DISTINCT {k}) - 1) != 1) }}")

    # ---------------------------------------------------------------- result queries

    def add(self, name: str, query: Query, prefixes: Iterable[tuple[str, str]] = ()) -> None:
        base, i = name, 2
        while name in self.names:
            name, i = f"{base}-{i}", i + 1
        self.names.add(name)
        prologue = "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in sorted(set(prefixes)))
        self.queries.append(Query(name, prologue + query.text, query.kind, query.focus, query.value,
                                  query.carried, query.columns, query.metas, query.parent, query.sparql))

    def results(self, shapes: Sequence[ShapeIR], cand: Cand, name: str, parent: NodeLink | None,
                prologue: tuple[tuple[str, str], ...] = ()) -> None:
        """The queries giving every result of validating the candidates against ``shapes`` (which
        share these focus nodes): one aggregate query and one value query for all their
        cardinalities, value tests and node-level logic, plus one query per graph-level check."""
        shapes = [s for s in shapes if not s.deactivated]
        agg = _Aggregates(self, cand)
        vals = _ValueBranches(self, cand)
        later: list[Callable[[], None]] = []
        for shape in shapes:
            local = _local(shape.node)
            if shape.path is None:
                self._check_messages(shape, own=True)
                for key, test in shape.tests:
                    agg.column(shape.meta(key), f"!({test.sparql(cand.focus, self.ex)})",
                               "none" if key == "hasValue" else "focus")
                for logic in shape.logic:
                    expr = self._logic_expr(logic, agg)
                    if expr is not None:
                        agg.column(shape.meta(logic.kind), f"!({expr})", "focus")
                    else:
                        later.append(partial(lambda shape, logic, local: self._rows(
                            f"{local}.{logic.kind}", shape.meta(logic.kind), cand, cand,
                            self._logic_fail(logic, cand), parent, prologue, value_is_focus=True),
                            shape, logic, local))
                for c in shape.classes:
                    later.append(partial(lambda shape, c, local: self._rows(
                        f"{local}.class", shape.meta("class"), cand, cand, self._class_fail(cand, c), parent,
                        prologue, value_is_focus=True), shape, c, local))
                for node in shape.nodes:
                    later.append(partial(lambda shape, node, local: self._node_details(
                        shape, node, cand, cand, local, parent, prologue), shape, node, local))
                for constraint in shape.sparql:
                    later.append(partial(lambda shape, constraint, local: self._sparql_query(
                        shape, constraint, cand, local, parent, prologue), shape, constraint, local))
                props = [p for p in shape.properties if not p.deactivated]
            else:
                props = [shape]
            for prop in props:
                self._check_messages(prop, own=False)
                pname = f"{local}.{_local(prop.path)}" if prop is not shape else local
                self._property(prop, cand, agg, vals, pname, parent, prologue, later)
        agg.emit(f"{name}.aggregates", parent, prologue)
        vals.emit(f"{name}.values", parent, prologue)
        for job in later:
            job()

    def _check_messages(self, shape: ShapeIR, own: bool) -> None:
        reports = bool(shape.tests or shape.classes or shape.logic or shape.nodes or shape.has_values
                       or shape.min_count is not None or shape.max_count is not None)
        if reports and not shape.messages:
            raise CompileError(f"shape {shape.label}: reports results but has no sh:message (the compiled "
                               "validator does not reproduce pySHACL's generated messages; add one)")

    def _property(self, prop: ShapeIR, cand: Cand, agg: _Aggregates, vals: _ValueBranches, name: str,
                  parent: NodeLink | None, prologue: tuple[tuple[str, str], ...],
                  later: list[Callable[[], None]]) -> None:
        path = prop.sparql_path
        assert path is not None
        if prop.min_count is not None:
            agg.column(prop.meta("minCount"), f"{agg.count(path)} < {prop.min_count}", "none")
        if prop.max_count is not None:
            agg.column(prop.meta("maxCount"), f"{agg.count(path)} > {prop.max_count}", "none")
        for h in prop.has_values:
            agg.column(prop.meta("hasValue"), f"{agg.has(path, h)} = 0", "none")
        for key, test in self._flag_tests(prop):
            vals.add(path, prop.meta(key), test)
        checks = self._graph_check_keys(prop)
        if checks or prop.nodes:
            def graph_level() -> None:
                values = self.values_of(prop, cand, "?value" if cand.focus == "?this" else None)
                for key, check in checks:
                    self._rows(f"{name}.{key}", prop.meta(key), cand, values, check(values), parent, prologue)
                for node in prop.nodes:
                    self._node_details(prop, node, cand, values, name, parent, prologue)
            later.append(graph_level)

    def _rows(self, name: str, meta: Meta, cand: Cand, values: Cand, failing: str | None,
              parent: NodeLink | None, prologue: tuple[tuple[str, str], ...],
              value_is_focus: bool = False) -> None:
        if failing is None:
            return
        keys = cand.keys
        value = cand.focus if value_is_focus else values.focus
        columns = keys if value_is_focus else f"{keys} {values.focus}"
        self.add(name, Query("", f"SELECT DISTINCT {columns} WHERE {{ {failing} }}", "rows", cand.focus[1:],
                             value[1:], tuple(c[1:] for c in cand.carried), metas=(meta,), parent=parent),
                 prologue)

    def _logic_expr(self, logic: Logic, agg: _Aggregates) -> str | None:
        """A node-level sh:or/sh:and/sh:not/sh:xone as an expression over the focus node's
        aggregates, when every member speaks only of the focus node and its paths' values."""
        exprs = [self._member_expr(m, agg) for m in logic.members]
        if any(e is None for e in exprs):
            return None
        parts = [e for e in exprs if e is not None]
        if logic.kind == "or":
            return "(" + " || ".join(parts) + ")"
        if logic.kind == "and":
            return "(" + " && ".join(parts) + ")"
        if logic.kind == "not":
            return f"!({parts[0]})"
        return "((" + " + ".join(f"IF({p}, 1, 0)" for p in parts) + ") = 1)"

    def _member_expr(self, member: ShapeIR, agg: _Aggregates) -> str | None:
        if member.lenient():
            return "true"
        if member.classes or member.nodes or member.sparql:
            return None
        parts: list[str] = []
        if member.path is None:
            parts += [t.sparql(agg.cand.focus, self.ex) for _k, t in member.tests]
            for logic in member.logic:
                expr = self._logic_expr(logic, agg)
                if expr is None:
                    return None
                parts.append(expr)
            for prop in member.properties:
                expr = self._member_expr(prop, agg)
                if expr is None:
                    return None
                parts.append(expr)
        else:
            path = member.sparql_path
            assert path is not None
            if member.min_count is not None:
                parts.append(f"{agg.count(path)} >= {member.min_count}")
            if member.max_count is not None:
                parts.append(f"{agg.count(path)} <= {member.max_count}")
            parts += [f"{agg.has(path, h)} > 0" for h in member.has_values]
            tests = [t for _k, t in member.tests]
            for logic in member.logic:
                test = logic.as_test()
                if test is None:
                    return None
                tests.append(test)
            if tests:
                parts.append(f"{agg.bad(path, AllTest(tuple(tests)))} = 0")
        return "(" + " && ".join(parts) + ")" if parts else "true"

    def _flag_tests(self, shape: ShapeIR) -> list[tuple[str, ValueTest]]:
        flags = list(shape.tests)
        for logic in shape.logic:
            test = logic.as_test()
            if test is not None:
                flags.append((logic.kind, test))
        return flags

    def _graph_check_keys(self, shape: ShapeIR) -> list[tuple[str, Callable[[Cand], str | None]]]:
        out: list[tuple[str, Callable[[Cand], str | None]]] = []
        for c in shape.classes:
            out.append(("class", partial(self._class_fail, cls=c)))
        for logic in shape.logic:
            if logic.as_test() is None:
                out.append((logic.kind, partial(self._logic_fail, logic)))
        return out

    def _node_details(self, shape: ShapeIR, node: ShapeIR, cand: Cand, values: Cand, name: str,
                      parent: NodeLink | None, prologue: tuple[tuple[str, str], ...]) -> None:
        """The results of the values against the ``sh:node`` shape: ``sh:detail`` of one
        NodeConstraintComponent result per failing (focus, value) (assembled by the runner)."""
        link = NodeLink(next(self.links), shape.meta("node"), parent)
        inner = self.var("this")
        detail = self.project(f"{values.select} BIND({values.focus} AS {inner})", inner,
                              (*cand.carried, cand.focus))
        self.results([node], detail, f"{name}.node-{_local(node.node)}", link, prologue)

    def _sparql_query(self, shape: ShapeIR, constraint: SparqlConstraint, cand: Cand, name: str,
                      parent: NodeLink | None, prologue: tuple[tuple[str, str], ...]) -> None:
        if not constraint.select:
            return  # deactivated
        if not shape.messages and not constraint.messages:
            raise CompileError(f"shape {shape.label}: its sh:sparql constraint has no sh:message")
        body = constraint.select
        if cand.focus != "?this":
            body = re.sub(r"[?$]this\b", cand.focus, body)
        columns = " ".join(f"?{v}" for v in constraint.variables if v != "this")
        text = f"SELECT DISTINCT {cand.keys} {columns} WHERE {{ {cand.select} {{ {body.strip()} }} }}"
        info = SparqlInfo(tuple(v for v in constraint.variables if v != "this"), shape.messages,
                          constraint.messages)
        self.add(f"{name}.sparql", Query("", text, "sparql", cand.focus[1:], None,
                                         tuple(c[1:] for c in cand.carried),
                                         metas=(shape.meta("sparql", constraint.node),), parent=parent,
                                         sparql=info),
                 (*prologue, *constraint.prefixes))


class _Aggregates:
    """The aggregate query of a group of shapes: per focus node, distinct values per path, values
    equal to a sh:hasValue, values failing a test; then one boolean column per constraint."""

    def __init__(self, r: _Renderer, cand: Cand) -> None:
        self.r, self.cand = r, cand
        self.paths: dict[str, str] = {}
        self.aggs: dict[str, tuple[str, str]] = {}  # key → (variable, aggregate expression)
        self.columns: list[tuple[str, Meta, str, str]] = []  # (variable, meta, value mode, expression)

    def _path(self, path: str) -> str:
        if path not in self.paths:
            self.paths[path] = self.r.var("x")
        return self.paths[path]

    def _agg(self, key: str, make: Callable[[], str]) -> str:
        if key not in self.aggs:
            self.aggs[key] = (self.r.var("n"), make())
        return self.aggs[key][0]

    def count(self, path: str) -> str:
        x = self._path(path)
        # one predicate (or its inverse) never gives a value twice: a counter, not a set per node
        simple = re.fullmatch(r"\^?\(?<[^<>]*>\)?", path) is not None
        return self._agg(f"count {path}", lambda: f"COUNT({'' if simple else 'DISTINCT '}{x})")

    def has(self, path: str, value: Node) -> str:
        x = self._path(path)
        test = (f"sameTerm({x}, <{value}>)" if isinstance(value, URIRef)
                else EqualsTest(value).sparql(x, self.r.ex))
        return self._agg(f"has {path} {value!r}", lambda: f"SUM(IF(COALESCE({test}, false), 1, 0))")

    def bad(self, path: str, test: ValueTest) -> str:
        x = self._path(path)
        expr = test.sparql(x, self.r.ex)
        return self._agg(f"bad {path} {expr}", lambda: f"SUM(IF(BOUND({x}) && !({expr}), 1, 0))")

    def column(self, meta: Meta, expr: str, value: str) -> None:
        self.columns.append((f"?c{len(self.columns)}", meta, value, expr))

    def emit(self, name: str, parent: NodeLink | None, prologue: tuple[tuple[str, str], ...]) -> None:
        if not self.columns:
            return
        cand, keys = self.cand, self.cand.keys
        if self.paths:
            branches = " UNION ".join(f"{{ {cand.focus} {p} {x} . }}" for p, x in self.paths.items())
            aggs = " ".join(f"({expr} AS {var})" for var, expr in self.aggs.values())
            source = (f"{{ SELECT {keys} {aggs} WHERE {{ {{ {cand.select} }} UNION {{ {cand.select} "
                      f"{{ {branches} }} }} }} GROUP BY {keys} }}")
        else:
            source = cand.select
        binds = " ".join(f"BIND(COALESCE(({expr}), false) AS {var})" for var, _m, _v, expr in self.columns)
        cols = " ".join(var for var, *_ in self.columns)
        any_column = " || ".join(var for var, *_ in self.columns)
        text = f"SELECT {keys} {cols} WHERE {{ {source} {binds} FILTER({any_column}) }}"
        self.r.add(name, Query("", text, "focus", cand.focus[1:], None, tuple(c[1:] for c in cand.carried),
                               columns=tuple(Column(v[1:], m, mode) for v, m, mode, _e in self.columns),
                               parent=parent), prologue)


class _ValueBranches:
    """The value query of a group of shapes: one UNION branch per path, a boolean column per value
    test (true = the value fails it)."""

    def __init__(self, r: _Renderer, cand: Cand) -> None:
        self.r, self.cand = r, cand
        self.branches: dict[str, list[tuple[str, Meta, ValueTest]]] = {}
        self.count = 0

    def add(self, path: str, meta: Meta, test: ValueTest) -> None:
        self.branches.setdefault(path, []).append((f"?f{self.count}", meta, test))
        self.count += 1

    def emit(self, name: str, parent: NodeLink | None, prologue: tuple[tuple[str, str], ...]) -> None:
        if not self.branches:
            return
        cand = self.cand
        value = "?value" if cand.focus == "?this" else self.r.var("value")
        parts = []
        for path, flags in self.branches.items():
            # each branch keeps only its failing values before the join with the focus nodes
            binds = " ".join(f"BIND(!({t.sparql(value, self.r.ex)}) AS {f})" for f, _m, t in flags)
            failing = " || ".join(f for f, _m, _t in flags)
            parts.append(f"{{ {cand.focus} {path} {value} . {binds} FILTER({failing}) }}")
        cols = " ".join(f for fl in self.branches.values() for f, _m, _t in fl)
        text = (f"SELECT DISTINCT {cand.keys} {value} {cols} WHERE {{ {cand.select} "
                f"{{ {' UNION '.join(parts)} }} }}")
        columns = tuple(Column(f[1:], m, "value") for fl in self.branches.values() for f, m, _t in fl)
        carried = tuple(c[1:] for c in cand.carried)
        self.r.add(name, Query("", text, "values", cand.focus[1:], value[1:], carried,
                               columns=columns, parent=parent), prologue)


def _group_name(shapes: Sequence[ShapeIR]) -> str:
    """Queries of shapes sharing their targets are named after the target class, else the shape."""
    first = shapes[0].targets[0] if shapes[0].targets else ""
    match = re.match(r"\?this <[^>]+>/<[^>]+>\* <([^>]+)> \.$", first)
    if match and len(shapes[0].targets) == 1:
        return _local(URIRef(match.group(1)))
    return _local(shapes[0].node)


def _local(node: Node | None) -> str:
    if isinstance(node, URIRef):
        return re.split(r"[#/]", str(node).rstrip("/#"))[-1] or "shape"
    return "path"


# --------------------------------------------------------------------------- the compiled shapes


@dataclass
class CompiledShapes:
    """Every shape of a shapes graph, read and checked; :meth:`render` writes the queries."""

    shapes: list[ShapeIR]
    probe_predicates: tuple[URIRef, ...]  # every predicate a path walks (or a target reads)
    tested_predicates: tuple[URIRef, ...]  # those whose values a literal-sensitive test looks at
    target_probes: tuple[str, ...]  # SPARQL-target sub-selects (their focus nodes may be literals)
    prefixes: tuple[tuple[str, str], ...]  # the SPARQL targets' declared prefixes
    digest: str
    _plain: list[Query] | None = None

    def render(self, ex: Exceptions = NO_EXCEPTIONS) -> list[Query]:
        if not ex and self._plain is not None:
            return self._plain
        r = _Renderer(ex)
        groups: dict[tuple[tuple[str, ...], tuple[tuple[str, str], ...]], list[ShapeIR]] = {}
        for shape in self.shapes:
            groups.setdefault((tuple(shape.targets), shape.target_prefixes), []).append(shape)
        for (targets, prologue), shapes in groups.items():
            union = " UNION ".join(f"{{ {t} }}" for t in targets)
            cand = Cand(f"{{ SELECT DISTINCT ?this WHERE {{ {union} }} }}", "?this", ())
            r.results(shapes, cand, _group_name(shapes), None, prologue)
        if not ex:
            self._plain = r.queries
        return r.queries

    def probe_query(self) -> str:
        """The distinct values of the predicates whose values a literal-sensitive test looks at
        (the runner keeps the suspicious literals among them, see :mod:`.literals`). No per-row
        expression: a DISTINCT over an index scan is what keeps this cheap on a big store."""
        branches = [f"{{ ?s <{p}> ?o . }}" for p in self.tested_predicates]
        branches += [f"{{ SELECT (?this AS ?o) WHERE {{ {t} }} }}" for t in self.target_probes]
        if not branches:
            return "SELECT ?o WHERE { FILTER(false) }"
        prologue = "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in self.prefixes)
        return f"{prologue}SELECT DISTINCT ?o WHERE {{ {' UNION '.join(branches)} }}"


def _tested(irs: Sequence[ShapeIR], shapes: Graph) -> tuple[set[URIRef], bool]:
    """Predicates whose values literal-sensitive tests look at; and whether such a test looks at
    the focus nodes of a targeted shape (then wherever focus nodes come from counts too)."""
    found: set[URIRef] = set()
    focus_tested = False
    seen: set[tuple[int, frozenset[URIRef] | None]] = set()

    def sensitive(shape: ShapeIR) -> bool:
        tests = [t for _k, t in shape.tests] + [lg.as_test() for lg in shape.logic]
        return (any(t is not None and t.sensitive for t in tests)
                or any(isinstance(h, Literal) for h in shape.has_values))

    def walk(shape: ShapeIR, source: frozenset[URIRef] | None) -> None:
        """``source``: the predicates whose objects ``shape`` validates (None: target nodes)."""
        nonlocal focus_tested
        if (id(shape), source) in seen:
            return
        seen.add((id(shape), source))
        values = frozenset(path_predicates(shapes, shape.path)) if shape.path is not None else source
        if sensitive(shape):
            if values is None:
                focus_tested = True
            else:
                found.update(values)
        for prop in shape.properties:
            walk(prop, source)
        for child in [*shape.nodes, *(m for lg in shape.logic for m in lg.members)]:
            walk(child, values)

    for ir in irs:
        walk(ir, None)
    return found, focus_tested


def compile_shapes(shapes: Graph) -> CompiledShapes:
    """Read every targeted shape of ``shapes`` (raises :class:`CompileError` naming a shape the
    compiler cannot translate) and check that the queries render."""
    for p in (SH.rule, SH.expression, SH.js, SH.jsLibrary):
        if any(shapes.subject_objects(p)):
            raise CompileError(f"the shapes use {p} (SHACL rules/JS), which the compiled validator does "
                               "not run")
    reader = _Reader(shapes)
    target_props = (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf, SH.target)
    roots = {s for p in target_props for s in shapes.subjects(p, None)}
    class_types = {RDFS.Class, *shapes.subjects(RDFS.subClassOf, RDFS.Class)}
    shape_types = {SH.NodeShape, SH.PropertyShape}
    for s, t in shapes.subject_objects(RDF.type):
        if t in class_types and (set(shapes.objects(s, RDF.type)) & shape_types):
            roots.add(s)
    ordered = sorted(roots, key=lambda n: (isinstance(n, BNode), str(n)))
    irs = [reader.shape(node) for node in ordered]
    irs = [ir for ir in irs if not ir.deactivated]
    predicates: set[URIRef] = set()
    for node in shapes.subjects(SH.path, None):
        predicates |= path_predicates(shapes, shapes.value(node, SH.path))  # type: ignore[arg-type]
    predicates |= {p for p in shapes.objects(None, SH.targetObjectsOf) if isinstance(p, URIRef)}
    tested, focus_tested = _tested(irs, shapes)
    if focus_tested:  # a focus node itself is tested: wherever focus nodes come from
        tested |= {p for p in shapes.objects(None, SH.targetObjectsOf) if isinstance(p, URIRef)}
        for node in shapes.subjects(SH.node, None):
            path = shapes.value(node, SH.path)
            if path is not None:
                tested |= path_predicates(shapes, path)
    probes = tuple(t for ir in irs for t in ir.targets if t.startswith("{")) if focus_tested else ()
    digest = hashlib.sha256(
        "\n".join(sorted(f"{s.n3()} {p.n3()} {o.n3()}" for s, p, o in shapes
                         if not isinstance(s, BNode) and not isinstance(o, BNode))).encode()).hexdigest()
    prefixes = tuple(sorted({p for ir in irs for p in ir.target_prefixes}))
    compiled = CompiledShapes(irs, tuple(sorted(predicates)), tuple(sorted(tested)), probes, prefixes,
                              digest)
    compiled.render()
    return compiled


def query_files(compiled: CompiledShapes, shapes: Graph) -> dict[str, str]:
    """The generated artifact: one ``.rq`` file per query, with a header saying what it finds."""
    nm = shapes.namespace_manager

    def short(node: Node | None) -> str:
        if node is None:
            return "-"
        if isinstance(node, URIRef):
            return nm.normalizeUri(node)
        return "[blank node]"

    out: dict[str, str] = {}
    for q in compiled.render():
        lines = ["# Generated by scripts/compile_shapes.py from shapes/*.ttl: do not edit; regenerate.",
                 f"# kind: {q.kind}; focus node ?{q.focus}"
                 + (f", value node ?{q.value}" if q.value else "")
                 + (f", enclosing focus nodes {' '.join('?' + c for c in q.carried)}" if q.carried else "")]
        described = [(f"?{c.name} true: ", c.meta) for c in q.columns] or [("each row: ", m) for m in q.metas]
        for prefix, m in described:
            lines.append(f"# {prefix}{short(m.component)} of {short(m.shape)}"
                         + (f" on {short(m.path) if isinstance(m.path, URIRef) else 'a complex path'}"
                            if m.path is not None else "")
                         + f", severity {short(m.severity)}")
        if q.parent is not None:
            lines.append(f"# results are the sh:detail of {short(q.parent.meta.component)} of "
                         f"{short(q.parent.meta.shape)}")
        out[f"{q.name}.rq"] = "\n".join(lines) + "\n" + _pretty(q.text) + "\n"
    out["README.md"] = (
        "# queries/shapes-compiled/\n\n"
        "Generated by `scripts/compile_shapes.py` from `shapes/*.ttl` (the source of truth): the SPARQL\n"
        "SELECT queries the compiled validator (`openness.validation`) runs, one file per query, named\n"
        "`<shape>.<property>.<what>.rq`. Each header says which SHACL constraint component a row reports.\n"
        "`tests/test_validation_compiled.py` fails when they differ from a fresh compilation: after\n"
        "changing a shape, run `python scripts/compile_shapes.py`.\n\n"
        f"Shapes digest: `sha256:{compiled.digest}` ({len(out)} queries).\n")
    return out


def _pretty(text: str) -> str:
    """Break a generated query at its braces so a reviewer can read it (same meaning)."""
    depth, out, i = 0, [], 0
    in_string = False
    line = ""
    while i < len(text):
        ch = text[i]
        if ch == '"' and (i == 0 or text[i - 1] != "\\"):
            in_string = not in_string
        if not in_string and ch == "{":
            line += "{"
            out.append("  " * depth + line.strip())
            depth += 1
            line = ""
        elif not in_string and ch == "}":
            if line.strip():
                out.append("  " * depth + line.strip())
            depth -= 1
            line = "}"
        elif ch == "\n" and not in_string:
            if line.strip():
                out.append("  " * depth + line.strip())
            line = ""
        else:
            line += ch
        i += 1
    if line.strip():
        out.append("  " * depth + line.strip())
    return "\n".join(out)


def iter_metas(queries: Iterable[Query]) -> Sequence[Meta]:
    """Every kind of result the queries can report (for tests and documentation)."""
    return [m for q in queries for m in q.metas]
