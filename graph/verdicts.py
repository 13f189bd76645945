"""Reading verdicts: the stored assessments of the derived layer, never a rule run.

Why: derive once, read many times (docs/derived-layer.md). ``classify``, ``trace``, pages, the
JSON API and the analysis API all read ``derived:assessments`` (the current view) or a view as of
a date, through :func:`read`. Nothing here knows a framework's fields: an assessment's properties
come back by their local names (``tierMin``, ``score``, ``failedRequirement`` ...), so a new
framework needs no change here.

As-of views: :func:`view_store` gives a store in which the view of a date exists — the store
itself when the view is stored (``openness assess --as-of DATE`` keeps it), else an in-memory copy
of the source data with the view derived there (reads never write the store).

Shapes: :class:`StoredVerdict` — release, framework key, assessment IRI, label, verdict concept
(None for a range), reason sentence, ``values`` (property local name → value, or list of values
for repeated properties; parts such as progress nodes as a list of dicts under their link's
name), claims used / set aside.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import pyoxigraph as ox
from rdflib import URIRef

from . import derive
from .namespaces import OG
from .store import Iri, OxigraphStore, Store

#: Properties that hold lists of claims: counted, not returned, unless asked for.
_CLAIM_LISTS = {str(OG.usedClaim): "used", str(OG.setAside): "aside"}
_SKIP = {"http://www.w3.org/1999/02/22-rdf-syntax-ns#type"}


@dataclass
class StoredVerdict:
    """One stored assessment: a framework's verdict on one release, with what it rests on."""

    release: URIRef
    framework: str
    assessment: URIRef
    label: str
    verdict: URIRef | None
    reason: str
    values: dict[str, Any] = field(default_factory=dict)
    used: list[URIRef] = field(default_factory=list)
    aside: list[URIRef] = field(default_factory=list)
    used_count: int = 0
    aside_count: int = 0

    def flat(self) -> dict[str, Any]:
        """A flat dict for tables, CSV and JSON (lists joined by spaces, parts summarized)."""
        out: dict[str, Any] = {"release": str(self.release), "framework": self.framework,
                               "verdict": self.label, "reason": self.reason}
        for key, value in sorted(self.values.items()):
            if isinstance(value, list) and value and isinstance(value[0], dict):
                out[key] = "; ".join(" ".join(f"{k}={v}" for k, v in sorted(part.items())) for part in value)
            elif isinstance(value, list):
                out[key] = " ".join(map(str, value))
            else:
                out[key] = value
        out["claims_used"] = self.used_count
        out["claims_set_aside"] = self.aside_count
        return out


def _local(iri: str) -> str:
    return iri.rsplit("#", 1)[-1].rsplit("/", 1)[-1]


def _py(value: Any) -> Any:
    return URIRef(value) if isinstance(value, Iri) else value


def _framework_keys() -> dict[str, str]:
    return {str(f.iri): key for key, f in derive.frameworks().items()}


def read(store: Store, *, framework: str | None = None, releases: Iterable[str] | None = None,
         view: derive.View = derive.CURRENT, claims: bool = False, parts: bool = True) -> list[StoredVerdict]:
    """The stored assessments of ``view`` (current by default), optionally of one framework (key)
    and some releases. ``claims=True`` also returns the lists of claims used and set aside;
    ``parts=False`` leaves out the assessments' parts (attribute verdicts, progress, group
    scores): a verdict list that shows labels and reasons reads a quarter of the rows."""
    graph = view.graph("assessments")
    filters = []
    if framework is not None:
        filters.append(f"VALUES ?f {{ <{derive.framework(framework).iri}> }}")
    if releases is not None:
        rel = " ".join(f"<{r}>" for r in sorted(set(map(str, releases))))
        filters.append(f"VALUES ?r {{ {rel} }}")
    where = "\n".join(filters)
    skip = "" if claims else f"FILTER(?p NOT IN (<{OG.usedClaim}>, <{OG.setAside}>))"
    part_rows = ('UNION { ?a ?link ?s . '
                 'FILTER(isIRI(?s) && STRSTARTS(STR(?s), CONCAT(STR(?a), "-"))) ?s ?p ?o }'
                 if parts else "")
    rows = store.select_plain(f"""
        SELECT ?a ?s ?p ?o WHERE {{ {where}
          GRAPH <{graph}> {{
            ?a <{OG.assessedRelease}> ?r ; <{OG.framework}> ?f .
            {{ ?a ?p ?o . BIND(?a AS ?s) {skip} }}
            {part_rows}
          }} }}""", sources_only=True)
    counts = store.select_plain(f"""
        SELECT ?a ?p (COUNT(?o) AS ?n) WHERE {{ {where}
          GRAPH <{graph}> {{ ?a <{OG.assessedRelease}> ?r ; <{OG.framework}> ?f ; ?p ?o .
            FILTER(?p IN (<{OG.usedClaim}>, <{OG.setAside}>)) }} }} GROUP BY ?a ?p""", sources_only=True)
    return _assemble(rows, counts)


def _assemble(rows: list[dict[str, Any]], counts: list[dict[str, Any]]) -> list[StoredVerdict]:
    keys = _framework_keys()
    own: dict[str, dict[str, list[Any]]] = defaultdict(lambda: defaultdict(list))
    parts: dict[str, dict[str, dict[str, list[Any]]]] = defaultdict(
        lambda: defaultdict(lambda: defaultdict(list)))
    for row in rows:
        a, s, p = str(row["a"]), str(row["s"]), str(row["p"])
        if p in _SKIP:
            continue
        if s == a:
            own[a][p].append(row["o"])
        else:
            parts[a][s][p].append(row["o"])
    link_of: dict[str, str] = {}
    for a, props in own.items():
        for p, objs in props.items():
            for o in objs:
                if str(o).startswith(a + "-"):
                    link_of[str(o)] = _local(p)
    out: list[StoredVerdict] = []
    for a, props in own.items():
        def one(p: URIRef, props: dict[str, list[Any]] = props) -> Any:
            vals = props.get(str(p))
            return vals[0] if vals else None

        values: dict[str, Any] = {}
        for p, objs in props.items():
            name = _local(p)
            if p in _CLAIM_LISTS or any(str(o).startswith(a + "-") for o in objs):
                continue
            if name in ("assessedRelease", "framework", "verdictLabel", "verdict", "reason"):
                continue
            converted = sorted((_py(o) for o in objs), key=str)
            values[name] = converted[0] if len(converted) == 1 else converted
        for part, pprops in sorted(parts[a].items()):
            entry = {_local(p): (_py(o[0]) if len(o) == 1 else sorted((_py(x) for x in o), key=str))
                     for p, o in pprops.items() if p not in _SKIP}
            values.setdefault(link_of.get(part, "part"), []).append(entry)
        verdict = one(OG.verdict)
        v = StoredVerdict(
            release=URIRef(str(one(OG.assessedRelease))),
            framework=keys.get(str(one(OG.framework)), str(one(OG.framework))),
            assessment=URIRef(a), label=str(one(OG.verdictLabel) or ""),
            verdict=URIRef(str(verdict)) if verdict is not None else None,
            reason=str(one(OG.reason) or ""), values=values,
            used=sorted(URIRef(str(c)) for c in props.get(str(OG.usedClaim), [])),
            aside=sorted(URIRef(str(c)) for c in props.get(str(OG.setAside), [])),
        )
        out.append(v)
    by_a = {str(v.assessment): v for v in out}
    for row in counts:
        found = by_a.get(str(row["a"]))
        if found is None:
            continue
        if str(row["p"]) == str(OG.usedClaim):
            found.used_count = int(row["n"])
        else:
            found.aside_count = int(row["n"])
    return sorted(out, key=lambda v: (v.framework, str(v.release)))


# --------------------------------------------------------------------------- views as of a date


def view_stored(store: Store, view: derive.View) -> bool:
    """Whether the store holds the derived view (``openness assess --as-of DATE`` keeps one)."""
    return store.ask(f"ASK {{ GRAPH <{view.graph('activities')}> {{ ?a a <{OG.Derivation}> }} }}")


def source_copy(store: Store) -> OxigraphStore:
    """An in-memory store holding the source data of ``store`` (its default graph, the merge of
    the source graphs) and nothing derived: a scratch place to derive a view without writing."""
    mem = OxigraphStore(None)
    if isinstance(store, OxigraphStore):
        data = store.native.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.DefaultGraph())
    else:
        data = store.dump("nt")
    if data:
        mem.native.load(data, format=ox.RdfFormat.N_TRIPLES)
    return mem


def view_store(store: Store, as_of: dt.date | str | None) -> tuple[Store, derive.View]:
    """A store in which the view ``as_of`` exists, and the view (see the module docstring)."""
    if as_of is None:
        return store, derive.CURRENT
    view = derive.View(derive.as_of_text(as_of))
    if view_stored(store, view):
        return store, view
    mem = source_copy(store)
    derive.run(mem, view=view)
    return mem, view


__all__ = ["StoredVerdict", "read", "source_copy", "view_store", "view_stored"]
