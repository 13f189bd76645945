"""Openness over time: verdicts by release date, by Index edition, per organization.

Why: "are models getting more open?" and "did the Index's newer edition judge the same models
differently?" are the two time questions researchers ask. Both read stored assessments:

* by release date — the current verdicts (:mod:`.tables`) with each release's date
  (``queries/analysis/release-dates.rq``: its own og:releaseDate, else derived:release-dates) and
  developers (``queries/analysis/release-developers.rq``);
* by edition — the Index editions in the store (``queries/analysis/index-editions.rq``: catalogue
  versions whose claims are on the Index's dimensions, with their issue dates); for each date, the
  view of what the graph said then (:func:`openness.verdicts.view_store`: stored if
  ``openness assess --as-of DATE`` kept it, else derived in memory — a full derivation per edition,
  seconds on a small store, minutes on the bundled corpus), and its Index assessments.

Openness on a common scale: a single verdict's value rescaled to 0..1 within its framework
(:mod:`.tables`; decision: ranges — unknown or contested criteria — are left out of the mean, as
in the agreement analysis, else every year with many unassessed releases sits at 0.5), and the
share of releases open by the framework's own bar (``og:countsAsOpen``; ranges that straddle the
bar left out).

Shapes: :func:`releases` — release, label, date (ISO text, "" unknown), year (Int64, <NA> unknown),
developer, developer_label (one row per developer; "" when none is known). :class:`Timeline` —
``verdicts`` (one row per release × framework × developer: the verdict table joined with dates and
developers), ``by_year`` (year × framework: ``releases``, ``judged``, ``mean_openness``, ``share_open``),
``by_organization_year`` (developer × year × framework, the same measures), ``by_edition`` (one
row per edition × release: ``edition``, ``version``, ``issued``, ``release``, ``verdict``,
``low``, ``high``, ``norm``) and ``editions_summary`` (per edition: ``releases``, ``mean_score``).
:func:`organizations` — one row per developer × framework: ``releases``, ``mean_openness``,
``share_open``, ``first_release``, ``last_release``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pandas as pd

from .. import derive
from ..namespaces import OG
from ..store import Store
from ..verdicts import read, view_store
from .tables import place, verdict_table


def releases(store: Store) -> pd.DataFrame:
    """Every release with its date and developers (module docstring)."""
    dates = pd.DataFrame(
        [
            {
                "release": str(r["release"]),
                "label": str(r.get("label") or ""),
                "date": str(r.get("date") or ""),
            }
            for r in derive.run_query(store, "analysis/release-dates.rq")
        ],
        columns=["release", "label", "date"],
    )
    devs = pd.DataFrame(
        [
            {
                "release": str(r["release"]),
                "developer": str(r["developer"]),
                "developer_label": str(r.get("developerLabel") or "")
                or str(r["developer"]).rsplit("/", 1)[-1],
            }
            for r in derive.run_query(store, "analysis/release-developers.rq")
        ],
        columns=["release", "developer", "developer_label"],
    )
    out = dates.merge(devs, on="release", how="left").fillna({"developer": "", "developer_label": ""})
    out["label"] = out["label"].where(out["label"] != "", out["release"].str.rsplit("/", n=1).str[-1])
    out["year"] = pd.to_numeric(out["date"].str[:4], errors="coerce").astype("Int64")
    return out


def _measures(df: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """``releases`` (every release judged), ``judged`` (single verdicts, not ranges),
    ``mean_openness`` (mean of the single verdicts rescaled to 0..1: a range is not a verdict yet,
    and unknown criteria would otherwise pull every year to the middle) and ``share_open``
    (releases open by the framework's bar among those where the bar is decided)."""
    if df.empty:
        return pd.DataFrame(columns=[*keys, "releases", "judged", "mean_openness", "share_open"])
    single = ~df["is_range"].astype(bool)
    g = df.assign(
        norm=((df["norm_low"].astype(float) + df["norm_high"].astype(float)) / 2).where(single),
        judged=df["release"].where(single),
        open=df["counts_open"].map(lambda v: None if v is None else float(bool(v))).astype(float),
    )
    return (
        g.groupby(keys, dropna=True)
        .agg(
            releases=("release", "nunique"),
            judged=("judged", "nunique"),
            mean_openness=("norm", "mean"),
            share_open=("open", "mean"),
        )
        .reset_index()
    )


@dataclass
class Timeline:
    """The result of :func:`timeline` (shapes in the module docstring)."""

    verdicts: pd.DataFrame
    by_year: pd.DataFrame
    by_organization_year: pd.DataFrame
    by_edition: pd.DataFrame = field(default_factory=pd.DataFrame)
    editions_summary: pd.DataFrame = field(default_factory=pd.DataFrame)


def editions(store: Store) -> pd.DataFrame:
    """The Index editions in the store: ``dataset``, ``issued``, ``version``, ``title``, ``releases``."""
    return pd.DataFrame(
        [
            {
                "dataset": str(r["dataset"]),
                "issued": str(r.get("issued") or ""),
                "version": str(r.get("version") or ""),
                "title": str(r.get("title") or ""),
                "releases": int(str(r.get("releases") or 0)),
            }
            for r in derive.run_query(store, "analysis/index-editions.rq")
        ],
        columns=["dataset", "issued", "version", "title", "releases"],
    )


def by_edition(store: Store, framework: str | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Each Index edition's verdicts: the ``framework`` assessments (by default the first framework
    whose result is a score, og:ScoreResult — the per-edition summary is a mean score: the Index's
    own) of the view as of its issue date (one row per edition × release), and a per-edition
    summary (releases, mean score)."""
    if framework is None:
        framework = next((k for k, fw in derive.frameworks().items() if fw.kind == OG.ScoreResult), None)
    rows = []
    for ed in editions(store).itertuples() if framework is not None else ():
        if not ed.issued:
            continue
        db, view = view_store(store, ed.issued[:10])
        for v in read(db, framework=framework, view=view):
            placed = place(v)
            if placed is None:
                continue
            rows.append(
                {
                    "edition": ed.dataset,
                    "version": ed.version,
                    "issued": ed.issued[:10],
                    "release": placed["release"],
                    "verdict": placed["verdict"],
                    "low": placed["low"],
                    "high": placed["high"],
                    "norm": (placed["norm_low"] + placed["norm_high"]) / 2,
                }
            )
    detail = pd.DataFrame(
        rows, columns=["edition", "version", "issued", "release", "verdict", "low", "high", "norm"]
    )
    summary = (
        detail.groupby(["edition", "version", "issued"])
        .agg(releases=("release", "nunique"), mean_score=("norm", "mean"))
        .reset_index()
        if not detail.empty
        else pd.DataFrame(columns=["edition", "version", "issued", "releases", "mean_score"])
    )
    return detail, summary.sort_values("issued", ignore_index=True)


def timeline(store: Store, *, editions_too: bool = True) -> Timeline:
    """Verdicts by release year (overall and per developer) and, with ``editions_too``, by Index
    edition (module docstring)."""
    table = verdict_table(store)
    rel = releases(store)
    verdicts = table.merge(rel, on="release", how="left")
    by_year = _measures(verdicts.drop_duplicates(["release", "framework"]), ["year", "framework"])
    by_org = _measures(
        verdicts[verdicts["developer"].fillna("") != ""],
        ["developer", "developer_label", "year", "framework"],
    )
    out = Timeline(verdicts=verdicts, by_year=by_year, by_organization_year=by_org)
    if editions_too:
        out.by_edition, out.editions_summary = by_edition(store)
    return out


def organizations(store: Store, *, as_of: dt.date | str | None = None) -> pd.DataFrame:
    """Per developer and framework: how many releases, mean openness (0..1), share open by the
    framework's bar, first and last release date (module docstring)."""
    table = verdict_table(store, as_of=as_of)
    rel = releases(store)
    df = table.merge(rel, on="release", how="left")
    df = df[df["developer"].fillna("") != ""]
    measures = _measures(df, ["developer", "developer_label", "framework"])
    dated = df[df["date"].fillna("") != ""]
    span = (
        dated.groupby(["developer", "framework"])
        .agg(first_release=("date", "min"), last_release=("date", "max"))
        .reset_index()
    )
    out = measures.merge(span, on=["developer", "framework"], how="left").fillna(
        {"first_release": "", "last_release": ""}
    )
    return out.sort_values(
        ["releases", "developer", "framework"], ascending=[False, True, True], ignore_index=True
    )


__all__ = ["Timeline", "by_edition", "editions", "organizations", "releases", "timeline"]
