"""``openness diff --from DATE --to DATE``: verdicts that changed between two as-of dates, and why.

Both sides are the derived views as of the two dates (read from the store when
``openness assess --as-of`` kept them, else derived in a scratch copy: a diff never writes), so a
diff works for any two dates; the "why" is the difference between the claims each verdict used and
set aside.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, field
from typing import Any

from .. import derive
from ..store import Store
from ..verdicts import StoredVerdict, read, view_store


@dataclass
class Change:
    """One (release, framework) whose verdict differs between the two dates."""

    release: str
    framework: str
    verdict_from: str
    verdict_to: str
    claims_added: list[str] = field(default_factory=list)    # used at --to, not at --from
    claims_dropped: list[str] = field(default_factory=list)  # used at --from, not at --to
    newly_set_aside: list[str] = field(default_factory=list)

    def flat(self) -> dict[str, Any]:
        out = asdict(self)
        for key in ("claims_added", "claims_dropped", "newly_set_aside"):
            out[key] = " ".join(out[key])
        return out


def diff(store: Store, date_from: dt.date | str, date_to: dt.date | str,
         frameworks: list[str] | None = None) -> list[Change]:
    """Every (release, framework) whose verdict label differs between ``date_from`` and ``date_to``
    (a release judged at one date only shows "(none)" on the other side)."""
    keys = [derive.framework(k).key for k in frameworks] if frameworks else list(derive.frameworks())
    db_a, view_a = view_store(store, date_from)
    db_b, view_b = view_store(store, date_to)
    out: list[Change] = []
    for key in keys:
        before: dict[str, StoredVerdict] = {str(v.release): v for v in
                                            read(db_a, framework=key, view=view_a, claims=True)}
        after: dict[str, StoredVerdict] = {str(v.release): v for v in
                                           read(db_b, framework=key, view=view_b, claims=True)}
        for rel in sorted(set(before) | set(after)):
            va, vb = before.get(rel), after.get(rel)
            la, lb = (va.label if va else "(none)"), (vb.label if vb else "(none)")
            if la == lb:
                continue
            used_a = set(map(str, va.used)) if va else set()
            used_b = set(map(str, vb.used)) if vb else set()
            aside_a = set(map(str, va.aside)) if va else set()
            aside_b = set(map(str, vb.aside)) if vb else set()
            out.append(Change(rel, key, la, lb, sorted(used_b - used_a), sorted(used_a - used_b),
                              sorted(aside_b - aside_a)))
    return out
