"""Verdicts as numbers: every stored assessment placed on its framework's own openness scale.

Why: comparing frameworks, plotting tiers and following openness over time all need the same
table, read once from the stored assessments (``queries/analysis/verdict-values.rq``, the fields
the scales need; :func:`openness.verdicts.read` gives the whole assessment; no rule runs here).
The order of verdicts is knowledge, kept in the ontology (``ontology/schemes/analysis.ttl``):
``og:opennessRank`` (most open highest) and ``og:countsAsOpen`` on every verdict concept; a
spectrum range "tier 2–3" is the ranks of the tiers whose ``og:tierNumber`` are its ``tierMin`` and
``tierMax``; the European Open Source AI Index's score (0..1) is its own scale.

Shape of :func:`verdict_table`, one row per stored assessment:

=============  ==============================================================================
release        the release IRI
framework      the framework key (``openness.derive.frameworks``: ``spectrum``, ``mof``, ...)
verdict        the verdict label ("tier 2–3", "Class II (Open Tooling)", "score 0.54")
low, high      the verdict on the framework's scale: a rank (1 = least open) or the score;
               low < high for a range (unknown or contested criteria)
scale_min,     the lowest and highest value of the scale (ranks of the scheme, or 0 and 1)
scale_max
norm_low,      low and high rescaled to 0..1 (0 = least open the framework can say)
norm_high
is_range       low != high
counts_open    True / False when every value of the range agrees on ``og:countsAsOpen``,
               else None (the Index has no such bar: None)
=============  ==============================================================================
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cache
from typing import Any

import pandas as pd
from rdflib import Literal, URIRef
from rdflib.namespace import SKOS

from .. import derive
from ..namespaces import OG
from ..store import Store
from ..verdicts import StoredVerdict, view_store
from ..vocab import load_ontology

COLUMNS = [
    "release",
    "framework",
    "verdict",
    "low",
    "high",
    "scale_min",
    "scale_max",
    "norm_low",
    "norm_high",
    "is_range",
    "counts_open",
]


@dataclass(frozen=True)
class Scales:
    """What the ontology says about verdict concepts (read once)."""

    rank: dict[str, int]
    counts_open: dict[str, bool]
    scheme_bounds: dict[str, tuple[int, int]]  # concept -> (lowest, highest) rank of its scheme
    tier_by_number: dict[int, str]
    spans: dict[str, list[str]]  # an undetermined verdict -> the ranked verdicts it may turn out to be


@cache
def scales() -> Scales:
    """Ranks, open bars and scheme bounds of every verdict concept in the ontology."""
    g = load_ontology()
    rank = {str(c): int(str(r)) for c, r in g.subject_objects(OG.opennessRank)}
    counts = {str(c): isinstance(v, Literal) and bool(v.toPython())
              for c, v in g.subject_objects(OG.countsAsOpen)}
    by_scheme: dict[str, list[int]] = {}
    scheme_of: dict[str, str] = {}
    for concept, r in rank.items():
        scheme = g.value(URIRef(concept), SKOS.inScheme)
        scheme_of[concept] = str(scheme)
        by_scheme.setdefault(str(scheme), []).append(r)
    bounds = {c: (min(by_scheme[s]), max(by_scheme[s])) for c, s in scheme_of.items()}
    tiers = {int(str(n)): str(c) for c, n in g.subject_objects(OG.tierNumber)}
    spans: dict[str, list[str]] = {}
    for c, v in g.subject_objects(OG.spansVerdict):
        spans.setdefault(str(c), []).append(str(v))
    return Scales(rank, counts, bounds, tiers, {c: sorted(vs) for c, vs in spans.items()})


def _one(value: Any) -> Any:
    return value[0] if isinstance(value, list) and value else value


def place(v: StoredVerdict) -> dict[str, Any] | None:
    """One stored verdict on its scale (a row of :func:`verdict_table`), or None when the
    assessment carries nothing the scales know (no ranked verdict concept, tiers or score)."""
    s = scales()
    row: dict[str, Any] = {"release": str(v.release), "framework": v.framework, "verdict": v.label}
    concepts: list[str] = []
    if v.verdict is not None and str(v.verdict) in s.rank:
        concepts = [str(v.verdict)]
    elif v.verdict is not None and str(v.verdict) in s.spans:
        concepts = [c for c in s.spans[str(v.verdict)] if c in s.rank]
    elif "tierMin" in v.values and "tierMax" in v.values:
        lo_t, hi_t = int(_one(v.values["tierMin"])), int(_one(v.values["tierMax"]))
        concepts = [s.tier_by_number[t] for t in range(lo_t, hi_t + 1) if t in s.tier_by_number]
    if concepts:
        ranks = [s.rank[c] for c in concepts]
        lo, hi = min(ranks), max(ranks)
        smin, smax = s.scheme_bounds[concepts[0]]
        bars = {s.counts_open[c] for c in concepts if c in s.counts_open}
        row.update(
            low=lo,
            high=hi,
            scale_min=smin,
            scale_max=smax,
            counts_open=bars.pop() if len(bars) == 1 else None,
        )
    elif "score" in v.values or ("scoreMin" in v.values and "scoreMax" in v.values):
        score = v.values.get("score")
        low = float(_one(score if score is not None else v.values["scoreMin"]))
        high = float(_one(score if score is not None else v.values["scoreMax"]))
        row.update(low=low, high=high, scale_min=0.0, scale_max=1.0, counts_open=None)
    else:
        return None
    span = float(row["scale_max"]) - float(row["scale_min"]) or 1.0
    row["norm_low"] = (float(row["low"]) - float(row["scale_min"])) / span
    row["norm_high"] = (float(row["high"]) - float(row["scale_min"])) / span
    row["is_range"] = row["low"] != row["high"]
    return row


def stored_values(
    store: Store, view: derive.View = derive.CURRENT, frameworks: list[str] | None = None
) -> list[StoredVerdict]:
    """The current (or ``view``'s) assessments with only what the scales need — framework, label,
    verdict concept, tiers, scores — read by ``queries/analysis/verdict-values.rq`` (a lighter
    read than :func:`openness.verdicts.read`, which also brings every part and claim count)."""
    out = []
    wanted = set(frameworks) if frameworks else None
    for r in derive.run_query(store, "analysis/verdict-values.rq", view=view):
        key = str(r.get("key") or "")
        if not key or (wanted is not None and key not in wanted):
            continue
        values: dict[str, Any] = {}
        for name in ("tierMin", "tierMax", "score", "scoreMin", "scoreMax"):
            text = str(r.get(name) or "")
            if text:
                values[name] = float(text) if "score" in name else int(float(text))
        verdict = str(r.get("verdict") or "")
        out.append(
            StoredVerdict(
                release=URIRef(str(r["release"])),
                framework=key,
                assessment=URIRef(str(r["assessment"])),
                label=str(r.get("label") or ""),
                verdict=URIRef(verdict) if verdict else None,
                reason="",
                values=values,
            )
        )
    return sorted(out, key=lambda v: (v.framework, str(v.release)))


def verdict_table(
    store: Store, *, as_of: dt.date | str | None = None, frameworks: list[str] | None = None
) -> pd.DataFrame:
    """Every stored assessment of the current view (or the view ``as_of``) on its scale
    (module docstring); ``frameworks`` limits it to some framework keys."""
    db, view = view_store(store, as_of)
    rows = [placed for v in stored_values(db, view, frameworks) if (placed := place(v)) is not None]
    return pd.DataFrame(rows, columns=COLUMNS)


__all__ = ["COLUMNS", "Scales", "place", "scales", "stored_values", "verdict_table"]
