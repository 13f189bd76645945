"""pandas DataFrames of the rule results, for notebooks: the same tables the CLI prints."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from .. import derive
from ..store import Store
from ..verdicts import read, view_store


def classify_frame(store: Store, framework: str, as_of: dt.date | str | None = None) -> pd.DataFrame:
    """One row per release judged under ``framework`` (spectrum, mof, osaid, osai-index), read from
    the stored assessments (``as_of``: the view as of that date)."""
    db, view = view_store(store, as_of)
    rows = [v.flat() for v in read(db, framework=framework, view=view)]
    return pd.DataFrame(rows)


def verdicts_frame(store: Store, as_of: dt.date | str | None = None) -> pd.DataFrame:
    """Every framework's verdict side by side: one row per release, one column per framework."""
    frames = []
    for key in derive.frameworks():
        df = classify_frame(store, key, as_of)
        if not df.empty:
            frames.append(df[["release", "verdict"]].rename(columns={"verdict": key}).set_index("release"))
    return pd.concat(frames, axis=1).reset_index() if frames else pd.DataFrame()
