"""Tests of one value node (sh:datatype, sh:in, sh:pattern, ...) as SPARQL expressions.

Each test renders as a SPARQL expression that never raises an evaluation error (an error counts as
false) and is exact on every term except the literals rdflib reads differently from Oxigraph
(:mod:`.literals`); for those, :meth:`ValueTest.holds` gives pySHACL's reading of the rdflib term
and the query carries the verdict as a constant (:class:`Exceptions`). Each ``holds`` cites the
pySHACL code it follows (pySHACL 0.40).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, time
from typing import Any

from rdflib import BNode, Literal, URIRef
from rdflib.namespace import RDF, RDFS, SH, XSD
from rdflib.term import Node

from . import literals as lit


class CompileError(ValueError):
    """A shape uses SHACL the compiler does not translate; the message names the shape."""


@dataclass(frozen=True)
class Exceptions:
    """Literals judged in Python: (the literal in SPARQL syntax as stored, rdflib's view of it)."""

    items: tuple[tuple[str, Literal], ...] = ()

    def __bool__(self) -> bool:
        return bool(self.items)


NO_EXCEPTIONS = Exceptions()


# --------------------------------------------------------------------------- SPARQL text helpers


def sparql_term(term: Node) -> str:
    """An rdflib IRI or literal in SPARQL syntax."""
    if isinstance(term, URIRef):
        return f"<{term}>"
    if isinstance(term, Literal):
        text = '"' + str(term).replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace(
            "\r", "\\r") + '"'
        if term.language:
            return f"{text}@{term.language}"
        if term.datatype is not None:
            return f"{text}^^<{term.datatype}>"
        return text
    raise CompileError(f"cannot write {term!r} in a query (blank node)")


def _b(value: bool) -> str:
    return "true" if value else "false"


def _safe(expr: str) -> str:
    """Make a boolean expression total: an evaluation error counts as false."""
    return f"COALESCE(({expr}), false)"


# --------------------------------------------------------------------------- value tests


class ValueTest:
    """A test of one value node, without looking at the graph (sh:datatype, sh:in, ...).

    ``fast`` is the SPARQL expression, exact for every term except suspicious literals;
    ``holds`` is pySHACL's reading of an rdflib term (used for the suspicious ones).
    """

    sensitive = True  # whether the result depends on a literal's lexical form or value

    def fast(self, v: str) -> str:
        raise NotImplementedError

    def holds(self, term: Node) -> bool:
        raise NotImplementedError

    def sparql(self, v: str, ex: Exceptions) -> str:
        expr = _safe(self.fast(v))
        if not (self.sensitive and ex):
            return expr
        yes = [text for text, term in ex.items if self.holds(term)]
        no = [text for text, term in ex.items if not self.holds(term)]
        if no:
            expr = f"IF({' || '.join(f'sameTerm({v}, {t})' for t in no)}, false, {expr})"
        if yes:
            expr = f"IF({' || '.join(f'sameTerm({v}, {t})' for t in yes)}, true, {expr})"
        return f"COALESCE({expr}, false)"


@dataclass
class ConstTest(ValueTest):
    value: bool
    sensitive = False

    def fast(self, v: str) -> str:
        return _b(self.value)

    def holds(self, term: Node) -> bool:
        return self.value


@dataclass
class NodeKindTest(ValueTest):
    kind: URIRef
    sensitive = False

    _ALLOWED = {
        SH.IRI: ("iri",), SH.BlankNode: ("blank",), SH.Literal: ("literal",),
        SH.BlankNodeOrIRI: ("blank", "iri"), SH.BlankNodeOrLiteral: ("blank", "literal"),
        SH.IRIOrLiteral: ("iri", "literal"),
    }

    def fast(self, v: str) -> str:
        funcs = {"iri": "isIRI", "blank": "isBlank", "literal": "isLiteral"}
        return " || ".join(f"{funcs[k]}({v})" for k in self._ALLOWED[self.kind])

    def holds(self, term: Node) -> bool:
        kind = "blank" if isinstance(term, BNode) else "literal" if isinstance(term, Literal) else "iri"
        return kind in self._ALLOWED[self.kind]


@dataclass
class DatatypeTest(ValueTest):
    """pySHACL's DatatypeConstraintComponent: same datatype and not ill-typed, with its special
    cases (rdfs:Literal, rdfs:Datatype, plain literals for xsd:string)."""

    datatype: URIRef

    def fast(self, v: str) -> str:
        if self.datatype == lit.RDFS_LITERAL:
            return f"isLiteral({v})"
        if self.datatype == lit.RDFS_DATATYPE:
            return f"isLiteral({v}) && !(DATATYPE({v}) IN (<{XSD.string}>, <{RDF.langString}>))"
        return f"isLiteral({v}) && DATATYPE({v}) = <{self.datatype}>"

    def holds(self, term: Node) -> bool:
        # pyshacl/constraints/core/value_constraints.py, DatatypeConstraintComponent.evaluate
        if not isinstance(term, Literal):
            return False
        rule, datatype, lang = self.datatype, term.datatype, term.language
        if datatype == rule:
            return term.ill_typed is not True and _actual_datatype(term, rule)
        if rule == RDFS.Literal:
            return True
        if rule == RDFS.Datatype and datatype:
            return True
        if datatype is None and lang is None and rule == XSD.string:
            return _actual_datatype(term, rule)
        if rule == RDF.langString and lang:
            return _actual_datatype(term, rule)
        return False


def _actual_datatype(term: Literal, rule: URIRef) -> bool:
    # pyshacl DatatypeConstraintComponent._assert_actual_datatype
    from datetime import date
    from decimal import Decimal

    value = term.value
    checks: dict[URIRef, Any] = {
        XSD.string: (str, bytes), RDF.langString: (str, bytes), XSD.integer: int, XSD.float: float,
        XSD.decimal: Decimal, XSD.boolean: bool, XSD.date: date, XSD.time: time, XSD.dateTime: datetime,
    }
    expected = checks.get(rule)
    return True if expected is None else isinstance(value, expected)


def _equals_sparql(v: str, member: Node) -> str:
    """rdflib's ``==`` between a stable value and a shapes-graph term, in SPARQL."""
    if isinstance(member, URIRef):
        return f"sameTerm({v}, <{member}>)"
    if isinstance(member, BNode):
        return "false"  # a shapes-graph blank node never occurs in the data
    assert isinstance(member, Literal)
    lexical = sparql_term(Literal(str(member)))
    if member.language:
        return f'isLiteral({v}) && LCASE(LANG({v})) = "{member.language.lower()}" && STR({v}) = {lexical}'
    if member.datatype is None:
        return f"isLiteral({v}) && DATATYPE({v}) = <{XSD.string}> && STR({v}) = {lexical}"
    if member.datatype == XSD.string:
        return "false"  # stable data literals are plain; rdflib keeps ^^xsd:string apart
    return f"isLiteral({v}) && DATATYPE({v}) = <{member.datatype}> && STR({v}) = {lexical}"


@dataclass
class InTest(ValueTest):
    members: tuple[Node, ...]

    @property
    def sensitive(self) -> bool:  # type: ignore[override]
        return any(isinstance(m, Literal) for m in self.members)

    def fast(self, v: str) -> str:
        return " || ".join(f"({_equals_sparql(v, m)})" for m in self.members) or "false"

    def holds(self, term: Node) -> bool:
        return term in set(self.members)  # pySHACL: ``v not in in_vals`` (a set of rdflib terms)


@dataclass
class EqualsTest(ValueTest):
    """``sh:hasValue`` on a node shape: the focus node is the value."""

    member: Node

    @property
    def sensitive(self) -> bool:  # type: ignore[override]
        return isinstance(self.member, Literal)

    def fast(self, v: str) -> str:
        return _equals_sparql(v, self.member)

    def holds(self, term: Node) -> bool:
        return term == self.member


def sparql_regex(pattern: str, shape: str) -> str:
    """Python ``re`` syntax (pySHACL) as Oxigraph's regex syntax: ``$`` also matches before a final
    newline in Python, ``\\Z`` is ``\\z``; lookarounds and back-references have no equivalent."""
    out: list[str] = []
    i, in_class = 0, False
    while i < len(pattern):
        ch = pattern[i]
        if ch == "\\" and i + 1 < len(pattern):
            nxt = pattern[i + 1]
            if not in_class and (nxt.isdigit() and nxt != "0"):
                raise CompileError(f"{shape}: sh:pattern {pattern!r} uses a back-reference")
            out.append("\\z" if (nxt == "Z" and not in_class) else ch + nxt)
            i += 2
            continue
        if in_class:
            if ch == "]":
                in_class = False
        elif ch == "[":
            in_class = True
            if pattern[i + 1:i + 2] == "]":  # a literal ] first in a class
                out.append("[]")
                i += 2
                continue
        elif ch == "(" and pattern[i + 1:i + 2] == "?" and pattern[i + 2:i + 3] in ("=", "!", "<"):
            if pattern[i + 2:i + 4] not in ("<P",):
                raise CompileError(f"{shape}: sh:pattern {pattern!r} uses a lookaround")
        elif ch == "(" and pattern[i + 1:i + 4] == "?P=":
            raise CompileError(f"{shape}: sh:pattern {pattern!r} uses a back-reference")
        elif ch == "$":
            rest = pattern[i + 1:]
            if rest and rest[0] not in ")|":
                raise CompileError(f"{shape}: sh:pattern {pattern!r} has text after $")
            out.append("(?:\\n?$)")
            i += 1
            continue
        out.append(ch)
        i += 1
    return "".join(out)


@dataclass
class PatternTest(ValueTest):
    pattern: str
    flags: str
    shape: str  # how errors name the shape

    def fast(self, v: str) -> str:
        flags = "".join(f for f in "im" if f in self.flags.lower())
        if "m" in flags:
            regex = self.pattern  # multi-line $ means the same in both
            if re.search(r"\(\?[=!<]|\\[1-9]|\(\?P=", regex):
                raise CompileError(f"{self.shape}: sh:pattern {regex!r} uses a lookaround or back-reference")
        else:
            regex = sparql_regex(self.pattern, self.shape)
        return f"!isBlank({v}) && REGEX(STR({v}), {sparql_term(Literal(regex))}, \"{flags}\")"

    def holds(self, term: Node) -> bool:
        # pyshacl/constraints/core/string_based_constraints.py, PatternConstraintComponent
        if isinstance(term, BNode):
            return False
        flags = 0
        if "i" in self.flags.lower():
            flags |= re.I
        if "m" in self.flags.lower():
            flags |= re.M
        text = str(term.value) if (isinstance(term, Literal) and term.value is not None and term.datatype in (
            None, RDF.langString, XSD.string)) else str(term)
        matcher = re.compile(self.pattern, flags)
        return bool(matcher.match(text) or matcher.search(text))


@dataclass
class RangeTest(ValueTest):
    """sh:min/maxInclusive/Exclusive with a numeric bound, compared the way pySHACL does
    (pyshacl.rdfutil.compare.compare_literal): numbers by value; a literal of another datatype by
    its datatype IRI against the bound's (rdflib's ordering of incompatible literals); strings,
    IRIs, blank nodes and date-times never pass."""

    op: str  # ">=", ">", "<=", "<"
    bound: Literal

    def fast(self, v: str) -> str:
        numeric = ", ".join(f"<{dt}>" for dt in lit.NUMERIC_STABLE)
        strings = ", ".join(f"<{dt}>" for dt in lit.STRING_VALUED)
        clocks = ", ".join(f"<{dt}>" for dt in lit.CLOCK_VALUED)
        bound_dt = sparql_term(Literal(str(self.bound.datatype)))
        by_type = f"STR(DATATYPE({v})) > {bound_dt}"
        if self.op in ("<=", "<"):
            by_type = f"!({by_type})"
        return (f"isLiteral({v}) && !(DATATYPE({v}) IN ({strings})) && "
                f"IF(DATATYPE({v}) IN ({numeric}), {v} {self.op} {sparql_term(self.bound)}, "
                f"IF(DATATYPE({v}) IN ({clocks}), false, {by_type}))")

    def holds(self, term: Node) -> bool:
        # pyshacl/constraints/core/value_range_constraints.py, _evaluate_*_rule
        if not isinstance(term, Literal):
            return False
        if isinstance(term.value, str):
            return False  # the bound is a number, the value a string
        try:
            cmp = _compare_literal(term, self.bound)
        except (TypeError, NotImplementedError):
            return False
        except ArithmeticError:  # "NaN"^^xsd:decimal: pySHACL itself stops with this error
            return False
        return {">=": cmp >= 0, ">": cmp > 0, "<=": cmp <= 0, "<": cmp < 0}[self.op]


def _compare_literal(l1: Literal, l2: Literal) -> int:
    # pyshacl/rdfutil/compare.py, compare_literal
    if l1.eq(l2):
        return 0
    if l1.value.__class__ in (datetime, time):
        if l1.value == l2.value:
            return 0
        if l1.value > l2.value:
            return 1
    elif l1 > l2:
        return 1
    return -1


@dataclass
class NotTest(ValueTest):
    inner: ValueTest

    @property
    def sensitive(self) -> bool:  # type: ignore[override]
        return self.inner.sensitive

    def sparql(self, v: str, ex: Exceptions) -> str:
        return f"!({self.inner.sparql(v, ex)})"

    def holds(self, term: Node) -> bool:
        return not self.inner.holds(term)


@dataclass
class AllTest(ValueTest):
    parts: tuple[ValueTest, ...]

    @property
    def sensitive(self) -> bool:  # type: ignore[override]
        return any(p.sensitive for p in self.parts)

    def sparql(self, v: str, ex: Exceptions) -> str:
        return "(" + " && ".join(p.sparql(v, ex) for p in self.parts) + ")" if self.parts else "true"

    def holds(self, term: Node) -> bool:
        return all(p.holds(term) for p in self.parts)


@dataclass
class AnyTest(ValueTest):
    parts: tuple[ValueTest, ...]

    @property
    def sensitive(self) -> bool:  # type: ignore[override]
        return any(p.sensitive for p in self.parts)

    def sparql(self, v: str, ex: Exceptions) -> str:
        return "(" + " || ".join(p.sparql(v, ex) for p in self.parts) + ")" if self.parts else "false"

    def holds(self, term: Node) -> bool:
        return any(p.holds(term) for p in self.parts)


@dataclass
class OneTest(ValueTest):
    parts: tuple[ValueTest, ...]

    @property
    def sensitive(self) -> bool:  # type: ignore[override]
        return any(p.sensitive for p in self.parts)

    def sparql(self, v: str, ex: Exceptions) -> str:
        total = " + ".join(f"IF({p.sparql(v, ex)}, 1, 0)" for p in self.parts) or "0"
        return f"(({total}) = 1)"

    def holds(self, term: Node) -> bool:
        return sum(p.holds(term) for p in self.parts) == 1
