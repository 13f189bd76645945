"""Turn rule rows into verdict records: one per (release, framework), lists split, numbers typed.

The rules return SPARQL rows with space-separated lists (GROUP_CONCAT); this module is the one
place that reads them, so the CLI, assessments, DataFrames and trace agree on the shape.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from rdflib import URIRef
from rdflib.term import Node

from ..store import Row, Store
from .runner import FRAMEWORKS, run_rule

LETTERS = {"O": "open", "P": "partial", "C": "closed", "N": "not-applicable", "U": "unknown"}
SPECTRUM_ATTRIBUTES = {  # attribute -> (row column, criteria column)
    "OpenCode": ("code", "kCode"),
    "OpenLicense": ("license", "kLicense"),
    "InputTransparency": ("inputs", "kInputs"),
    "ThreatTransparency": ("downstream", "kDownstream"),
    "OpenStandards": ("standards", "kStandards"),
}
NUMBER_COLUMNS = {"p1", "p2", "p3", "score", "scoreMin", "scoreMax",
                  "availability", "documentation", "access"}
LIST_COLUMNS = {"used", "aside", "missing", "contested", "disputed", "wrongType", "notOpen", "unknown",
                "failedRequirements", "badTerms", "kCode", "kWeights", "kAccess", "kInputs", "kDownstream",
                "kLicense", "kStandards"}


@dataclass
class Verdict:
    """One framework's verdict on one release, with the claims behind it."""

    release: URIRef
    framework: str
    label: str
    verdict: URIRef | None
    used: list[URIRef] = field(default_factory=list)
    aside: list[URIRef] = field(default_factory=list)
    values: dict[str, Any] = field(default_factory=dict)

    def flat(self) -> dict[str, Any]:
        """A flat dict for tables, CSV and JSON."""
        out: dict[str, Any] = {"release": str(self.release), "framework": self.framework,
                               "verdict": self.label}
        for key, value in self.values.items():
            out[key] = " ".join(map(str, value)) if isinstance(value, list) else value
        out["claims_used"] = len(self.used)
        out["claims_set_aside"] = len(self.aside)
        return out


def _split(node: Node | None) -> list[str]:
    return sorted(set(str(node).split())) if node is not None else []


def _num(node: Node | None) -> float | None:
    return None if node is None else round(float(str(node)), 4)


def to_verdict(key: str, row: Row) -> Verdict:
    """Read one rule row into a :class:`Verdict`."""
    values: dict[str, Any] = {}
    for name, node in row.items():
        if name in ("release", "used", "aside", "label"):
            continue
        if name in LIST_COLUMNS:
            values[name] = _split(node)
        elif name in NUMBER_COLUMNS and key in ("mof", "osai"):
            values[name] = _num(node)
        elif name in ("tierMin", "tierMax", "known"):
            values[name] = int(str(node))
        elif name in ("paperForReport", "failsOnlyOnLicense"):
            values[name] = str(node) == "true"
        elif key == "spectrum" and str(node) in LETTERS:
            values[name] = LETTERS[str(node)]
        else:
            values[name] = str(node)
    verdict: URIRef | None = None
    if key == "spectrum":
        if values["tierMin"] == values["tierMax"]:
            verdict = URIRef(f"https://w3id.org/openness/ns#Tier{values['tierMin']}")
    elif key in ("mof", "osaid"):
        verdict = URIRef(values.pop("class", values.pop("verdict", "")))
    return Verdict(
        release=URIRef(str(row["release"])), framework=key, label=str(row.get("label", "")), verdict=verdict,
        used=[URIRef(c) for c in _split(row.get("used"))],
        aside=[URIRef(c) for c in _split(row.get("aside"))],
        values=values,
    )


def classify(store: Store, key: str, *, as_of: dt.date | str | None = None) -> list[Verdict]:
    """Run one framework's rule and return its verdicts (one per release it can judge)."""
    return [to_verdict(key, row) for row in run_rule(store, key, as_of=as_of)]


def classify_all(store: Store, *, as_of: dt.date | str | None = None) -> dict[str, list[Verdict]]:
    return {key: classify(store, key, as_of=as_of) for key in FRAMEWORKS}
