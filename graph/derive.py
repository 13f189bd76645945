"""The one rule engine: runs the derive steps of ``ontology/rules.ttl`` as SPARQL Update.

Why: derive once, read many times (docs/derived-layer.md). Every derived fact — license terms,
claim statuses from source values, release dates, claimant positions, combined statuses and the
assessments of every framework — is written by a rule file in ``queries/rules/`` into a derived
named graph, in the same transaction as the batch that changed its inputs, and every reader reads
those graphs. This module only puts the rule texts together; it decides nothing.

Rule-file conventions (plain SPARQL 1.1 Update, runnable as they are on the query page):

* ``derived:``, ``id:`` and every project prefix are predeclared (``namespaces.project_prefixes``).
  A *view* rebinds ``derived:``: the current view is ``<data base>graph/derived/``, an as-of view
  ``.../graph/derived/as-of/<date>/``, so the same rules compute "what the graph said then".
* ``rule:`` is the IRI of the rule version running (its content hash), ``run:`` the IRI of the
  og:Derivation activity, and the literal ``"9999-12-31"`` the as-of date (everything known).
* ``#focus ?var`` at the end of a line (alone, or after the pattern that binds ``?var``) is where
  an incremental run restricts the step to what a batch touched: the engine writes
  ``VALUES ?var { ... }`` there (the touched subjects or releases), or nothing for a full run.
  Put it inside every sub-query that scans claims, so each one reads only them.

Errors: ``ValueError`` for an unknown step or a bad date; store errors propagate (the update is one
transaction: nothing is written).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, SKOS
from rdflib.term import Node

from . import mint
from .namespaces import OG, derived_graph_base, project_prefixes
from .resources import query_path
from .store import Row, Store
from .vocab import load_ontology

AS_OF_PLACEHOLDER = '"9999-12-31"'
#: ``#focus ?var`` at the end of a line, alone or after a pattern (``?cs og:statusOf ?s . #focus ?s``)
_FOCUS = re.compile(r"^(.*?)#focus[ \t]+\?(\w+)[ \t]*$", re.MULTILINE)
_RULE = re.compile(r"(?<![\w:/#-])rule:(?![\w-])")
_RUN = re.compile(r"(?<![\w:/#-])run:(?![\w-])")


@dataclass(frozen=True)
class Step:
    """One derive step: its rule file, its order, what it focuses on, its framework (if any)."""

    iri: URIRef
    file: str  # relative to queries/, e.g. "rules/spectrum.ru"
    order: int
    focus: URIRef  # og:SubjectFocus, og:ReleaseFocus or og:EverythingFocus
    framework: URIRef | None
    label: str

    @property
    def text(self) -> str:
        return query_path(self.file).read_text(encoding="utf-8")

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.text.encode("utf-8")).hexdigest()

    @property
    def version_iri(self) -> URIRef:
        """The og:Rule node of this version of the rule file (named by its content hash)."""
        name = self.file.rsplit("/", 1)[-1].rsplit(".", 1)[0]
        return mint.iri("rule", mint.slug(name), self.sha256[:16])


@dataclass(frozen=True)
class Framework:
    """A framework as the ontology declares it: its concept, short key (skos:notation), label,
    what its assessments give (og:resultKind: og:TierResult, og:ClassResult, og:PassFailResult or
    og:ScoreResult; ``kind_label`` is the kind's prefLabel, "tier") and its og:displayOrder.
    Readers choose a chart or a column by ``kind``, never by ``key``."""

    iri: URIRef
    key: str
    label: str
    step: Step
    kind: URIRef
    kind_label: str
    order: int


@cache
def steps() -> tuple[Step, ...]:
    """Every derive step of ``ontology/rules.ttl``, in order."""
    g = load_ontology()
    out = []
    for step in g.subjects(RDF.type, OG.DeriveStep):
        file, order, focus = g.value(step, OG.ruleFile), g.value(step, OG.stepOrder), g.value(step, OG.focus)
        if file is None or order is None or focus is None:
            raise ValueError(f"ontology/rules.ttl: derive step {step} needs og:ruleFile, og:stepOrder "
                             "and og:focus")
        fw = g.value(step, OG.framework)
        out.append(Step(URIRef(str(step)), str(file), int(str(order)), URIRef(str(focus)),
                        URIRef(str(fw)) if fw is not None else None, str(g.value(step, RDFS.label) or file)))
    return tuple(sorted(out, key=lambda s: s.order))


@cache
def frameworks() -> dict[str, Framework]:
    """The frameworks that have a derive step, by key (each og:Framework's skos:notation:
    ``spectrum``, ``mof``, ``osaid``, the Index's), in og:displayOrder (ontology/schemes/core.ttl)."""
    g = load_ontology()
    out: list[Framework] = []
    for step in steps():
        if step.framework is None:
            continue
        key = g.value(step.framework, SKOS.notation)
        label = g.value(step.framework, SKOS.prefLabel)
        kind, order = g.value(step.framework, OG.resultKind), g.value(step.framework, OG.displayOrder)
        if key is None or kind is None or order is None:
            raise ValueError(f"framework {step.framework} needs a skos:notation (its short key), "
                             "an og:resultKind and an og:displayOrder (ontology/schemes/core.ttl)")
        out.append(Framework(step.framework, str(key), str(label or key), step, URIRef(str(kind)),
                             str(g.value(kind, SKOS.prefLabel) or kind), int(str(order))))
    return {fw.key: fw for fw in sorted(out, key=lambda fw: (fw.order, fw.step.order))}


def framework_key(iri: URIRef) -> str:
    """The short key of the framework ``iri`` (e.g. ``og:OSAIIndex``), or a ValueError."""
    for key, fw in frameworks().items():
        if fw.iri == iri:
            return key
    raise ValueError(f"{iri} is not a framework with a derive step in ontology/rules.ttl")


def framework(key: str) -> Framework:
    """The framework with short key ``key``, or a ValueError naming the keys there are."""
    try:
        return frameworks()[key]
    except KeyError:
        raise ValueError(f"unknown framework {key!r}: use one of {', '.join(frameworks())}") from None


def as_of_text(as_of: dt.date | str | None) -> str:
    """Normalize an as-of date to ``YYYY-MM-DD`` (None = everything known), or a clear ValueError."""
    if as_of is None:
        return "9999-12-31"
    if isinstance(as_of, dt.datetime):
        as_of = as_of.date()
    if isinstance(as_of, dt.date):
        return as_of.isoformat()
    try:
        return dt.date.fromisoformat(str(as_of).strip()).isoformat()
    except ValueError:
        raise ValueError(f"--as-of {as_of!r} is not a date: write it as YYYY-MM-DD, "
                         "e.g. 2024-11-19") from None


# --------------------------------------------------------------------------- views


@dataclass(frozen=True)
class View:
    """Where a derivation writes: the current view, or a view as of a date."""

    as_of: str | None = None  # YYYY-MM-DD, None = current (everything known)

    @property
    def base(self) -> str:
        return derived_graph_base() + (f"as-of/{self.as_of}/" if self.as_of else "")

    def graph(self, name: str) -> URIRef:
        """A derived graph of this view: ``combined``, ``assessments``, ``history``, ..."""
        return URIRef(self.base + name)


CURRENT = View()


def prologue(view: View, extra: dict[str, str] | None = None) -> str:
    """The PREFIX lines of one update request: the project prefixes, ``derived:`` of the view."""
    prefixes = {**project_prefixes(), "derived": view.base, **(extra or {})}
    return "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in prefixes.items())


def _values(var: str, terms: Iterable[str]) -> str:
    return f"VALUES ?{var} {{ {' '.join(f'<{t}>' for t in sorted(terms))} }}"


def expand(step: Step, *, view: View, run: URIRef, focus: Iterable[str] | None) -> str:
    """The rule text of ``step`` ready to run after :func:`prologue`: ``rule:`` and ``run:``
    written out, the as-of date, the focus restriction. (One update request has one prologue:
    Oxigraph does not take a PREFIX after the first operation.)"""
    text = step.text
    terms = None if focus is None else sorted(set(focus))
    if terms is not None and not terms:
        terms = ["urn:openness:nothing"]  # an empty focus matches nothing
    text = _FOCUS.sub(lambda m: m.group(1) + (_values(m.group(2), terms) if terms is not None else ""), text)
    text = text.replace(AS_OF_PLACEHOLDER, f'"{view.as_of or "9999-12-31"}"')
    text = _RULE.sub(f"<{step.version_iri}>", text)
    return _RUN.sub(f"<{run}>", text)


# --------------------------------------------------------------------------- running


@dataclass
class Focus:
    """What a batch touched: subjects of claims, and releases. ``None`` means everything."""

    subjects: set[str] | None = None
    releases: set[str] | None = None

    @property
    def full(self) -> bool:
        return self.subjects is None


def operations(focus: Focus, *, view: View = CURRENT, run: URIRef,
               only: Sequence[str] | None = None) -> list[str]:
    """The SPARQL Update operations of every step (or of the steps in ``only``, by file), in order."""
    ops: list[str] = []
    for step in steps():
        if only is not None and step.file not in only:
            continue
        if step.focus == OG.SubjectFocus:
            terms = focus.subjects
        elif step.focus == OG.ReleaseFocus:
            terms = focus.releases
        else:
            terms = None
        ops.append(expand(step, view=view, run=run, focus=terms))
    return ops


_VALUES_MARK = re.compile(r"^([ \t]*)#values[ \t]*$", re.MULTILINE)


def run_query(store: Store, file: str, *, view: View = CURRENT,
              values: dict[str, list[Node]] | None = None) -> list[Row]:
    """Run a read query of ``queries/`` (e.g. ``trace.rq``) on ``view``: the project prefixes and
    ``derived:`` of the view are predeclared, and ``values`` are bound as ``VALUES ?var { ... }``
    on every line that is just ``#values`` (so sub-queries, evaluated bottom-up, are restricted
    too). Terms are written with ``n3()``: a user-given name never becomes query text. The default
    graph is the source data only: read queries reach derived data with ``GRAPH derived:…``."""
    text = query_path(file).read_text(encoding="utf-8")
    block = ""
    if values:
        block = " ".join(f"VALUES ?{var} {{ {' '.join(t.n3() for t in terms)} }}"
                         for var, terms in values.items())
    text = _VALUES_MARK.sub(lambda m: m.group(1) + block, text)
    return store.select(prologue(view) + text, sources_only=True)


def rule_descriptions() -> Graph:
    """The og:Rule node of every step's current version (written next to what it derives)."""
    g = Graph()
    for step in steps():
        node = step.version_iri
        g.add((node, RDF.type, OG.Rule))
        g.add((node, RDFS.label, Literal(f"{step.file} (sha256:{step.sha256[:12]})")))
        g.add((node, OG.ruleFile, Literal(step.file)))
        g.add((node, OG.contentHash, Literal("sha256:" + step.sha256)))
        if step.framework is not None:
            g.add((node, OG.framework, step.framework))
    return g


def derivation_iri(now: dt.datetime, view: View, what: str) -> URIRef:
    return mint.activity_iri("derivation", now.isoformat(), view.base, what)


def run(store: Store, focus: Focus | None = None, *, view: View = CURRENT,
        now: dt.datetime | None = None, before: Sequence[str] = ()) -> URIRef:
    """Run every step for ``focus`` (default: everything) in one transaction; return the activity.

    ``before`` are update operations (e.g. a batch's writes) that run first in the same
    transaction, so a batch and its derived facts land together or not at all.
    """
    now = now or dt.datetime.now(dt.UTC).replace(microsecond=0)
    focus = focus or Focus()
    activity = derivation_iri(now, view, "full" if focus.full else f"{len(focus.subjects or ())}")
    ops = list(before) + operations(focus, view=view, run=activity)
    ops.append(_activity_insert(activity, view, now, focus))
    store.update(prologue(view) + " ;\n".join(ops))
    return activity


def _activity_insert(activity: URIRef, view: View, now: dt.datetime, focus: Focus) -> str:
    g = rule_descriptions()
    g.add((activity, RDF.type, OG.Derivation))
    g.add((activity, RDFS.label, Literal(
        f"derivation ({'full' if focus.full else f'{len(focus.subjects or ())} subjects'}"
        f"{', as of ' + view.as_of if view.as_of else ''})")))
    g.add((activity, URIRef("http://www.w3.org/ns/prov#startedAtTime"),
           Literal(now.isoformat(), datatype=URIRef("http://www.w3.org/2001/XMLSchema#dateTime"))))
    if view.as_of:
        g.add((activity, OG.asOf, Literal(view.as_of, datatype=URIRef("http://www.w3.org/2001/XMLSchema#date"))))
    for step in steps():
        g.add((activity, URIRef("http://www.w3.org/ns/prov#used"), step.version_iri))
    body = g.serialize(format="nt")
    return f"INSERT DATA {{ GRAPH <{view.graph('activities')}> {{\n{body}\n}} }}"


__all__ = ["CURRENT", "Focus", "Framework", "Step", "View", "as_of_text", "expand", "framework",
           "frameworks", "operations", "run", "run_query", "steps"]
