"""``openness disagreements``: where claimants disagree, both sides traced (queries/disagreements.rq).

The SPARQL rule finds the disagreements; this module only turns its rows into records with
short names (labels of agents and criteria are read from the store) for the CLI and notebooks.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass
from typing import Any

from rdflib import Literal, URIRef

from .. import derive
from ..namespaces import curie
from ..store import Store
from ..verdicts import view_store


def short(text: str) -> str:
    """Vocabulary IRIs as prefixed names (kept for callers; see :func:`openness.namespaces.curie`)."""
    return curie(text)


@dataclass
class Disagreement:
    """One disagreement: side A (what the rules use / the report's placement) against side B."""

    kind: str
    release: str
    criterion: str
    claimant_a: str
    status_a: str
    claim_a: str
    evidence_a: str
    claimant_b: str
    status_b: str
    claim_b: str
    evidence_b: str
    agree: bool
    contested: bool

    def flat(self) -> dict[str, Any]:
        return asdict(self)


def disagreements(store: Store, *, as_of: dt.date | str | None = None, include_agreeing: bool = False,
                  kind: str | None = None, release: str | None = None) -> list[Disagreement]:
    """Run queries/disagreements.rq; by default only real disagreements (placements that agree are
    left out unless ``include_agreeing``). ``release`` keeps rows whose subject IRI ends with it."""
    if kind not in (None, "criterion", "placement", "verdict"):
        raise ValueError(f"unknown --kind {kind!r}: use criterion, placement or verdict")
    out = []
    db, view = view_store(store, as_of)
    rows = derive.run_query(db, "disagreements.rq", view=view)
    # criterion rows name the two positions; their claims and evidence are looked up once
    positions = sorted({str(r[k]) for r in rows if str(r["kind"]) == "criterion"
                        for k in ("claimA", "claimB")})
    claims: dict[str, set[str]] = {}
    urls: dict[str, set[str]] = {}
    if positions:
        for e in derive.run_query(db, "position-evidence.rq", view=view,
                                  values={"position": [URIRef(p) for p in positions]}):
            claims.setdefault(str(e["position"]), set()).add(str(e["claim"]))
            if str(e.get("url", "")):
                urls.setdefault(str(e["position"]), set()).add(str(e["url"]))
    for r in rows:
        if str(r["kind"]) == "criterion":
            pos_a, pos_b = str(r["claimA"]), str(r["claimB"])
            r = {**r, "claimA": Literal(" ".join(sorted(claims.get(pos_a, ())))),
                 "claimB": Literal(" ".join(sorted(claims.get(pos_b, ())))),
                 "evidenceA": Literal(" ".join(sorted(urls.get(pos_a, ())))),
                 "evidenceB": Literal(" ".join(sorted(urls.get(pos_b, ()))))}
        d = Disagreement(
            kind=str(r["kind"]), release=str(r["release"]), criterion=short(str(r["criterion"])),
            claimant_a=str(r["claimantA"]), status_a=short(str(r["statusA"])), claim_a=str(r["claimA"]),
            evidence_a=str(r.get("evidenceA", "")),
            claimant_b=str(r["claimantB"]), status_b=short(str(r["statusB"])), claim_b=str(r["claimB"]),
            evidence_b=str(r.get("evidenceB", "")),
            agree=str(r["agree"]) == "true", contested=str(r.get("contested", "")) == "true",
        )
        if d.agree and not include_agreeing:
            continue
        if kind and d.kind != kind:
            continue
        if release and not (d.release == release or d.release.endswith("/" + release)):
            continue
        out.append(d)
    return out
