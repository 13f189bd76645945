"""What a SPARQL Update will write, read from rdflib's SPARQL parser (a real parser, not keywords).

Why: the endpoint computes an update's effect on a scratch copy of the store and commits the
difference through the write gate. Knowing which graphs each operation writes lets it compare
only those graphs, and lets it refuse, before anything runs and with a precise message, what the
store does not allow:

* writing the **default graph** (``INSERT DATA { <s> <p> <o> }``, a template triple outside
  ``GRAPH``, ``CLEAR DEFAULT``, ``ADD … TO DEFAULT``, ``MOVE DEFAULT …``): the default graph is
  the merge of the source graphs, maintained by the server (docs/derived-layer.md), so a triple
  must go into a named graph. ``CLEAR ALL`` / ``DROP ALL`` / ``… NAMED`` are allowed: they drop
  every source graph, and the default graph follows;
* writing a **derived graph** (under ``derived_graph_base()``): those are written only by the
  derive rules;
* ``LOAD`` (never: it would make the server fetch a URL).

rdflib's parser is pure Python: about half a millisecond per triple of ``INSERT DATA``. Texts
longer than ``parse_limit`` characters are not parsed here; :func:`plan_update` then returns an
*unknown* plan and the caller compares every graph and checks the default graph by its content
(:mod:`.worker`), which gives the same answers, only slower.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from openness.namespaces import derived_graph_base
from openness.precheck import Refused
from rdflib import URIRef, Variable
from rdflib.plugins.sparql.algebra import translatePrologue
from rdflib.plugins.sparql.parser import parseUpdate

#: Characters of update text rdflib's parser is given (bigger texts get an unknown plan).
PARSE_LIMIT = 64_000

DEFAULT_WRITE = (
    "the default graph is the merge of the named source graphs and is maintained by the server; "
    "an update may not write it directly ({what}). Name the graph: INSERT DATA {{ GRAPH <iri> {{ … }} }}, "
    "DELETE {{ GRAPH ?g {{ … }} }} WHERE {{ GRAPH ?g {{ … }} }}, or WITH <iri> DELETE … WHERE …; "
    "CLEAR ALL / DROP ALL empty every graph."
)


@dataclass
class Plan:
    """The graphs an update writes (see the module docstring)."""

    known: bool = True  # False: not parsed; every graph must be compared
    writes: set[str] = field(default_factory=set)  # named graphs written by IRI
    any_graph: bool = False  # a template writes GRAPH ?g, or ALL / NAMED is cleared
    clears_all: bool = False  # CLEAR / DROP ALL or NAMED: derived graphs go empty legitimately
    operations: list[str] = field(default_factory=list)

    @classmethod
    def unknown(cls) -> Plan:
        return cls(known=False, any_graph=True)


def _derived(iri: str) -> bool:
    return iri.startswith(derived_graph_base())


def _refuse_derived(iri: str, what: str) -> Refused:
    return Refused(
        403,
        f"<{iri}> is a derived graph ({what}): it is written only by the server's derive rules, "
        "from the source graphs. Change the source data instead; the derived graphs follow.",
    )


def plan_update(text: str, *, base_iri: str | None, prefixes: dict[str, str],
                parse_limit: int = PARSE_LIMIT) -> Plan:
    """The :class:`Plan` of ``text``, or :class:`Refused` for what the store does not allow.

    A text rdflib cannot parse (too long, or syntax rdflib does not know) gets an unknown plan:
    Oxigraph, which runs it, is the judge of its syntax.
    """
    if len(text) > parse_limit:
        return Plan.unknown()
    try:
        parsed = parseUpdate(text)
    except Exception:
        return Plan.unknown()
    plan = Plan()
    prologue = None
    for prologue_part, op in zip(parsed.prologue, parsed.request or [], strict=False):
        prologue = translatePrologue(prologue_part, base_iri, prefixes, prologue)
        plan.operations.append(op.name)
        _plan_operation(plan, op, prologue)
    return plan


def _get(value: Any, key: str) -> Any:
    """A field of an rdflib parse node (its own ``get`` answers the key's name when it is absent)."""
    return dict.get(value, key) if isinstance(value, dict) else None


def _iri(prologue: Any, term: Any) -> str | None:
    """An absolute IRI for a graph term; None for a variable."""
    if isinstance(term, Variable):
        return None
    resolved = prologue.absolutize(term)
    return str(resolved) if isinstance(resolved, URIRef) else str(resolved)


def _quads(plan: Plan, quads: Any, prologue: Any, what: str, default_graph: str | None = None) -> None:
    """Record the graphs of a Quads block (``default_graph``: where its plain triples go, WITH)."""
    if quads is None:
        return
    if any(len(t) for t in (_get(quads, "triples") or [])):
        if default_graph is None:
            raise Refused(400, DEFAULT_WRITE.format(what=f"{what} with triples outside GRAPH"))
        _write(plan, default_graph, what)
    for block in _get(quads, "quadsNotTriples") or []:
        iri = _iri(prologue, block["term"])
        if iri is None:
            plan.any_graph = True
        else:
            _write(plan, iri, what)


def _write(plan: Plan, iri: str, what: str) -> None:
    if _derived(iri):
        raise _refuse_derived(iri, what)
    plan.writes.add(iri)


def _target(plan: Plan, prologue: Any, value: Any, what: str) -> None:
    """The graph an ADD/MOVE/COPY/CLEAR/DROP writes."""
    if value == "DEFAULT":
        raise Refused(400, DEFAULT_WRITE.format(what=what))
    if value in ("ALL", "NAMED"):
        plan.any_graph = plan.clears_all = True
        return
    _write(plan, _iri(prologue, value) or "", what)


def _plan_operation(plan: Plan, op: Any, prologue: Any) -> None:
    name = op.name
    if name == "Load":
        raise Refused(403, "LOAD is never allowed: an update may not make the server read files or "
                           "the network. Send the data itself (INSERT DATA, the Graph Store protocol).")
    if name in ("InsertData", "DeleteData", "DeleteWhere"):
        _quads(plan, _get(op, "quads"), prologue, {"InsertData": "INSERT DATA", "DeleteData": "DELETE DATA",
                                                  "DeleteWhere": "DELETE WHERE"}[name])
    elif name == "Modify":
        with_graph = _get(op, "withClause")
        default = _iri(prologue, with_graph) if with_graph is not None else None
        clauses = ((_get(op, "delete"), "DELETE template"), (_get(op, "insert"), "INSERT template"))
        for clause, what in clauses:
            if clause is not None:
                _quads(plan, _get(clause, "quads"), prologue, what, default)
    elif name in ("Clear", "Drop"):
        _target(plan, prologue, _get(op, "graphiri"), f"{name.upper()} {_get(op, 'graphiri')}")
    elif name == "Create":
        iri = _iri(prologue, _get(op, "graphiri"))
        if iri and _derived(iri):
            raise _refuse_derived(iri, "CREATE GRAPH")
    elif name in ("Add", "Move", "Copy"):
        source, target = _get(op, "graph")
        _target(plan, prologue, target, f"{name.upper()} … TO {target}")
        if name == "Move":
            _target(plan, prologue, source, f"MOVE {source} …")  # the source ends up empty
    else:  # a newer rdflib operation we do not know: compare everything
        plan.known = False
        plan.any_graph = True


__all__ = ["PARSE_LIMIT", "Plan", "plan_update"]
