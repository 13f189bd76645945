"""The report's other lenses (frameworks.md §5), read from the derived layer.

* Widder, West and Whittaker's profile — transparency, reusability, extensibility — is derived by
  the rule ``queries/rules/lenses.ru`` into ``derived:lenses`` (one og:LensVerdict per release ×
  lens; which spectrum criteria feed which lens is ``og:lensCriterion`` in
  ``ontology/schemes/analysis.ttl``); :func:`lens_profiles` reads it (``queries/analysis/lenses.rq``).
* The open-access label (Nobel, Rozenshtein and Sharma: code and weights released, training data
  not) is computed by ``queries/openwashing.rq``; it is shown alongside.

Shape of :func:`lens_profiles`: a DataFrame, one row per release with a lens verdict: ``release``,
``label``, one column per lens (``transparency``, ``reusability``, ``extensibility``: ``open``,
``partial``, ``closed``, or a range such as ``open or closed`` when criteria are unknown or
contested), ``claims_used`` (claims the lens verdicts rest on, summed over the lenses),
``open_access`` (bool).
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from .. import derive
from ..store import Store
from ..verdicts import view_store

_ORDER = ("open", "partial", "closed")


def _word(iri: str) -> str:
    return iri.rsplit("#", 1)[-1].lower()


def _value(status: str, possible: str) -> str:
    if status:
        return _word(status)
    words = sorted({_word(p) for p in possible.split()}, key=lambda w: _ORDER.index(w) if w in _ORDER else 9)
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " or " + words[-1]


def open_access_releases(store: Store, view: derive.View = derive.CURRENT) -> set[str]:
    """The releases ``queries/openwashing.rq`` labels open-access in ``view``."""
    return {
        str(r["release"])
        for r in derive.run_query(store, "openwashing.rq", view=view)
        if str(r.get("openAccess")) == "true"
    }


def lens_profiles(store: Store, *, as_of: dt.date | str | None = None) -> pd.DataFrame:
    """Every release's transparency / reusability / extensibility profile, with the open-access
    label (module docstring). ``as_of``: the view of that date (derived in memory if not stored)."""
    db, view = view_store(store, as_of)
    rows = derive.run_query(db, "analysis/lenses.rq", view=view)
    by_release: dict[str, dict[str, object]] = {}
    for r in rows:
        rel = str(r["release"])
        rec = by_release.setdefault(
            rel,
            {
                "release": rel,
                "label": str(r.get("releaseLabel") or "") or rel.rsplit("/", 1)[-1],
                "claims_used": 0,
            },
        )
        name = str(r.get("lensName") or "") or _word(str(r["lens"]))
        rec[name] = _value(str(r.get("status") or ""), str(r.get("possible") or ""))
        used = rec["claims_used"]
        assert isinstance(used, int)
        rec["claims_used"] = used + int(str(r.get("claimsUsed") or 0))
    oa = open_access_releases(db, view)
    for rel, rec in by_release.items():
        rec["open_access"] = rel in oa
    df = pd.DataFrame(list(by_release.values()))
    if df.empty:
        return pd.DataFrame(
            columns=[
                "release",
                "label",
                "transparency",
                "reusability",
                "extensibility",
                "claims_used",
                "open_access",
            ]
        )
    lenses = [c for c in ("transparency", "reusability", "extensibility") if c in df.columns]
    others = [c for c in df.columns if c not in ("release", "label", "claims_used", "open_access", *lenses)]
    return df[["release", "label", *lenses, *others, "claims_used", "open_access"]].sort_values(
        "release", ignore_index=True
    )


__all__ = ["lens_profiles", "open_access_releases"]
