"""``openness openwashing``: releases called open source whose verdicts fall short (queries/openwashing.rq).

The SPARQL rule decides; this module reads its rows into records for the CLI and notebooks.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass
from typing import Any

from .. import derive
from ..store import Store
from ..verdicts import view_store


@dataclass
class OpenWashing:
    """One release: what calls it open source, where its verdicts fall short, open-access label."""

    release: str
    self_described: bool
    claims_self: str
    evidence_self: str
    shortfalls: list[str]
    claims_short: str
    evidence_short: str
    open_access: bool
    open_washing: bool

    def flat(self) -> dict[str, Any]:
        out = asdict(self)
        out["shortfalls"] = " | ".join(self.shortfalls)
        return out


def openwashing(store: Store, *, as_of: dt.date | str | None = None,
                open_access: bool = False) -> list[OpenWashing]:
    """Open-washing cases (self-described open source with a shortfall); with ``open_access``,
    also every release labelled open-access (code and weights released, training data not)."""
    out = []
    db, view = view_store(store, as_of)
    for r in derive.run_query(db, "openwashing.rq", view=view):
        rec = OpenWashing(
            release=str(r["release"]), self_described=str(r["selfDescribed"]) == "true",
            claims_self=str(r["claimsSelf"]), evidence_self=str(r["evidenceSelf"]),
            shortfalls=[s for s in str(r["shortfalls"]).split(" | ") if s],
            claims_short=str(r["claimsShort"]), evidence_short=str(r["evidenceShort"]),
            open_access=str(r["openAccess"]) == "true", open_washing=str(r["openWashing"]) == "true",
        )
        if rec.open_washing or (open_access and rec.open_access):
            out.append(rec)
    return out
