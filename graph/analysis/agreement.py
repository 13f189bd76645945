"""Agreement between frameworks: do the spectrum tier, the MOF class, the OSAID verdict and the
Index score order the same releases the same way?

Statistics come from libraries, never hand-written: Spearman's rho and Kendall's tau-b from
``scipy.stats`` (rank correlation, on each framework's own scale: :mod:`.tables`), Cohen's kappa
from ``statsmodels.stats.inter_rater.cohens_kappa`` on the yes/no question "open by this
framework's own bar" (``og:countsAsOpen``; the Index has no bar, so its pairs get no kappa).

Decision on ranges (a spectrum "tier 2–3", an Index "score 0.42–0.58": unknown or contested
criteria). ``ranges="exclude"`` (the default) leaves a range out of the rank statistics (a range is
not a verdict yet); ``ranges="midpoint"`` uses the middle of the range instead. For kappa, a range
counts when every value in it gives the same answer to "open by its bar" (tier 3–5 is "not open"
either way), else it is left out — under both settings.

Shapes (:class:`Agreement`):

* ``values``: one row per release, one column per framework: the value used (NaN: no verdict,
  or a range left out); ``label`` column for people;
* ``pairs``: one row per pair of frameworks: ``a``, ``b``, ``n`` (releases both judge),
  ``spearman``, ``spearman_p``, ``kendall``, ``kendall_p``, ``kappa_n``, ``kappa``, ``kappa_p``
  (NaN when it does not apply or cannot be computed, e.g. fewer than three releases or a
  constant column);
* ``matrix``: frameworks × frameworks, Spearman's rho (1 on the diagonal);
* ``disagreements``: one row per release judged by at least two frameworks: its values rescaled
  to 0..1 per framework, ``spread`` (most open minus least open) and ``frameworks`` (how many),
  sorted by spread (largest first).
"""

from __future__ import annotations

import datetime as dt
import itertools
import warnings
from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd
from scipy import stats
from statsmodels.stats.inter_rater import cohens_kappa

from ..store import Store
from .tables import verdict_table

RangePolicy = Literal["exclude", "midpoint"]
MIN_PAIRS = 3


@dataclass
class Agreement:
    """The result of :func:`agreement` (shapes in the module docstring)."""

    values: pd.DataFrame
    pairs: pd.DataFrame
    matrix: pd.DataFrame
    disagreements: pd.DataFrame
    ranges: RangePolicy


def wide_values(
    table: pd.DataFrame, *, ranges: RangePolicy = "exclude", normalized: bool = False
) -> pd.DataFrame:
    """Release × framework values from a :func:`.tables.verdict_table` under the range decision."""
    if ranges not in ("exclude", "midpoint"):
        raise ValueError(f"ranges must be 'exclude' or 'midpoint', not {ranges!r}")
    lo, hi = ("norm_low", "norm_high") if normalized else ("low", "high")
    t = table.copy()
    t["value"] = (t[lo].astype(float) + t[hi].astype(float)) / 2
    if ranges == "exclude":
        t.loc[t["is_range"].astype(bool), "value"] = np.nan
    return t.pivot_table(index="release", columns="framework", values="value", aggfunc="first", dropna=False)


def _kappa(a: pd.Series, b: pd.Series) -> tuple[int, float, float]:
    both = pd.concat([a, b], axis=1).dropna()
    n = len(both)
    if n < MIN_PAIRS:
        return n, float("nan"), float("nan")
    table = pd.crosstab(both.iloc[:, 0].astype(bool), both.iloc[:, 1].astype(bool)).reindex(
        index=[False, True], columns=[False, True], fill_value=0
    )
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        res = cohens_kappa(table.to_numpy())
    return n, float(res.kappa), float(res.pvalue_two_sided)


def _rank_stats(x: pd.Series, y: pd.Series) -> tuple[int, float, float, float, float]:
    both = pd.concat([x, y], axis=1).dropna()
    n = len(both)
    if n < MIN_PAIRS or both.iloc[:, 0].nunique() < 2 or both.iloc[:, 1].nunique() < 2:
        return n, *(float("nan"),) * 4
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        rho = stats.spearmanr(both.iloc[:, 0], both.iloc[:, 1])
        tau = stats.kendalltau(both.iloc[:, 0], both.iloc[:, 1])
    return n, float(rho.statistic), float(rho.pvalue), float(tau.statistic), float(tau.pvalue)


def agreement_from_table(
    table: pd.DataFrame, *, ranges: RangePolicy = "exclude", labels: dict[str, str] | None = None
) -> Agreement:
    """:func:`agreement` on a verdict table already read (:func:`.tables.verdict_table`)."""
    values = wide_values(table, ranges=ranges)
    norm = wide_values(table, ranges=ranges, normalized=True)
    bars = (
        table.assign(
            bar=table["counts_open"].map(lambda v: np.nan if v is None else float(bool(v)))
        ).pivot_table(index="release", columns="framework", values="bar", aggfunc="first", dropna=False)
        if not table.empty
        else pd.DataFrame()
    )
    frameworks = sorted(values.columns)
    rows = []
    for a, b in itertools.combinations(frameworks, 2):
        n, rho, rho_p, tau, tau_p = _rank_stats(values[a], values[b])
        kn, kappa, kappa_p = (0, float("nan"), float("nan"))
        if a in bars.columns and b in bars.columns and bars[a].notna().any() and bars[b].notna().any():
            kn, kappa, kappa_p = _kappa(bars[a], bars[b])
        rows.append(
            {
                "a": a,
                "b": b,
                "n": n,
                "spearman": rho,
                "spearman_p": rho_p,
                "kendall": tau,
                "kendall_p": tau_p,
                "kappa_n": kn,
                "kappa": kappa,
                "kappa_p": kappa_p,
            }
        )
    pairs = pd.DataFrame(
        rows,
        columns=[
            "a",
            "b",
            "n",
            "spearman",
            "spearman_p",
            "kendall",
            "kendall_p",
            "kappa_n",
            "kappa",
            "kappa_p",
        ],
    )
    matrix = pd.DataFrame(np.eye(len(frameworks)), index=frameworks, columns=frameworks)
    for r in rows:
        matrix.loc[r["a"], r["b"]] = matrix.loc[r["b"], r["a"]] = r["spearman"]
    counted = norm.notna().sum(axis=1)
    dis = norm[counted >= 2].copy()
    dis["spread"] = dis[frameworks].max(axis=1) - dis[frameworks].min(axis=1)
    dis["frameworks"] = counted[counted >= 2]
    dis = dis.reset_index().sort_values(
        ["spread", "frameworks", "release"], ascending=[False, False, True], ignore_index=True
    )
    labels = labels or {}
    dis.insert(1, "label", dis["release"].map(lambda r: labels.get(r, r.rsplit("/", 1)[-1])))
    values = values.reset_index()
    values.insert(1, "label", values["release"].map(lambda r: labels.get(r, r.rsplit("/", 1)[-1])))
    return Agreement(values=values, pairs=pairs, matrix=matrix, disagreements=dis, ranges=ranges)


def agreement(
    store: Store,
    *,
    ranges: RangePolicy = "exclude",
    as_of: dt.date | str | None = None,
    labels: dict[str, str] | None = None,
) -> Agreement:
    """How the four frameworks agree on the releases they all judge (module docstring); releases
    are labelled by their rdfs:label unless ``labels`` says otherwise."""
    if labels is None:
        from .timeline import releases

        named = releases(store)
        labels = dict(zip(named["release"], named["label"], strict=True))
    return agreement_from_table(verdict_table(store, as_of=as_of), ranges=ranges, labels=labels)


__all__ = ["Agreement", "RangePolicy", "agreement", "agreement_from_table", "wide_values"]
