"""Charts people would rather look at than read: tier distribution, agreement heatmap, lineage of
the most-derived base models, openness over time.

Drawn with matplotlib's object API on the Agg canvas (``matplotlib.figure.Figure`` +
``FigureCanvasAgg``): no pyplot, no global backend switch, safe in a web server's threads and in
notebooks alike. Each chart has a ``figure_*`` function (data in, ``Figure`` out, for notebooks)
and a store-level function returning image bytes, for the CLI (``--plot FILE.png|FILE.svg``) and
the served pages (``openness.analysis.charts.framework(store, key)`` → SVG bytes):

=================  ===============================================  ==============================
store → bytes      what                                             data from
=================  ===============================================  ==============================
``framework``      one framework's current verdicts, drawn by its   :func:`.tables.verdict_table`
                   result kind (og:resultKind): bars per tier
                   (ranges apart), per class or verdict, or a
                   histogram of scores
``agreement``      Spearman's rho between frameworks (n per cell)   :func:`.agreement.agreement`
``lineage``        the most-derived base models and descendants     :func:`.lineage.lineage_graph`
``timeline``       mean openness by release year, per framework     :func:`.timeline.timeline`
=================  ===============================================  ==============================

``CHARTS`` has one entry per framework, named by its key (``openness.derive.frameworks()``, in
display order), then ``agreement``, ``lineage`` and ``timeline``: a framework declared in the
ontology gets its chart with no edit here. Which figure a framework gets is its result kind's
(:data:`FIGURES`), never its name.

Output is deterministic for the same data (no dates in the SVG metadata, a fixed layout seed).
``fmt`` is ``svg`` or ``png``; anything else raises ``ValueError``.
"""

from __future__ import annotations

import io
import math
import os
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

import matplotlib
import networkx as nx
import numpy as np
import pandas as pd
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.ticker import MaxNLocator

from .. import derive
from ..namespaces import OG
from ..store import Store
from .agreement import Agreement, agreement_from_table
from .lineage import base_models, lineage_graph
from .tables import verdict_table
from .timeline import Timeline
from .timeline import timeline as timeline_of

FORMATS = ("svg", "png")
_COLORS = ["#1b6f8a", "#d1495b", "#edae49", "#66a182", "#7a5195", "#2e4057", "#ef8a62", "#8d96a3"]


def _new(width: float = 7.5, height: float = 4.5) -> Figure:
    fig = Figure(figsize=(width, height), dpi=100, layout="constrained")
    FigureCanvasAgg(fig)
    return fig


def render(fig: Figure, fmt: str = "svg") -> bytes:
    """The figure as ``svg`` or ``png`` bytes."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown chart format {fmt!r}: use svg or png")
    buf = io.BytesIO()
    metadata = {"Date": None} if fmt == "svg" else {"Software": "openness-graph"}
    with matplotlib.rc_context({"svg.hashsalt": "openness-graph"}):  # stable element ids
        fig.savefig(buf, format=fmt, metadata=metadata)
    return buf.getvalue()


def save(fig: Figure, path: str | os.PathLike[str]) -> Path:
    """Write the figure to ``path``; the format is the suffix (``.png`` or ``.svg``)."""
    out = Path(path)
    fmt = out.suffix.lstrip(".").lower()
    if fmt not in FORMATS:
        raise ValueError(f"{out}: --plot needs a .png or .svg file name")
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(render(fig, fmt))
    return out


def _empty(ax: object, text: str) -> None:
    ax.text(0.5, 0.5, text, ha="center", va="center", fontsize=12, color="#555")  # type: ignore[attr-defined]
    ax.set_axis_off()  # type: ignore[attr-defined]


# --------------------------------------------------------------------------- tier distribution


def frameworks_of(kind: str) -> list[str]:
    """The keys of the frameworks whose result is ``kind`` (an og:ResultKindScheme concept), in
    display order."""
    return [k for k, fw in derive.frameworks().items() if str(fw.kind) == str(kind)]


def _framework_or_first(framework: str | None, kind: str) -> str | None:
    if framework is not None:
        return derive.framework(framework).key
    found = frameworks_of(kind)
    return found[0] if found else None


def _label(key: str) -> str:
    label = derive.framework(key).label
    return label[:1].upper() + label[1:]


def _tier(rank: object, low: object, high: object) -> int:
    """Tier number of a rank on a tier scale whose tier 1 is the most open (highest rank)."""
    return int(float(low)) + int(float(high)) - int(float(rank))  # type: ignore[arg-type]


def figure_tiers(table: pd.DataFrame, framework: str | None = None) -> Figure:
    """Verdicts of a tier framework (og:TierResult; by default the first, the spectrum) per tier
    (bars, tier 1 — the most open — left) and the ranges ("tier 2–3": unknown or contested
    criteria) as a hatched bar of their own with the commonest ranges written on it; ``table`` is
    a :func:`.tables.verdict_table`."""
    fig = _new()
    ax = fig.add_subplot()
    key = _framework_or_first(framework, str(OG.TierResult))
    spec = table[table["framework"] == key] if key is not None and not table.empty else table.iloc[0:0]
    if spec.empty:
        _empty(ax, f"no {derive.framework(key).label if key else 'tier'} verdicts in the store")
        return fig
    lowest, highest = int(spec["scale_min"].min()), int(spec["scale_max"].max())
    tiers = list(range(1, highest - lowest + 2))
    # the most open rank is tier 1; ranges get a bar of their own
    single = spec[~spec["is_range"].astype(bool)]
    ranged = spec[spec["is_range"].astype(bool)]
    numbers = [_tier(h, lo, hi) for h, lo, hi in zip(single["high"], single["scale_min"], single["scale_max"],
                                                      strict=True)]
    counts = [numbers.count(t) for t in tiers]
    x = np.arange(len(tiers) + 1)
    ax.bar(x[:-1], counts, color=_COLORS[0], label="one tier")
    ax.bar(
        x[-1],
        len(ranged),
        color="#ffffff",
        edgecolor=_COLORS[0],
        hatch="//",
        label="a range: unknown or contested criteria",
    )
    for i, c in enumerate([*counts, len(ranged)]):
        ax.text(i, c, str(c), ha="center", va="bottom", fontsize=9)
    if len(ranged):
        common = ranged["verdict"].value_counts().head(3)
        ax.text(
            x[-1],
            len(ranged) / 2,
            "\n".join(f"{k}: {v}" for k, v in common.items()),
            ha="center",
            va="center",
            fontsize=8,
            bbox={"facecolor": "white", "edgecolor": "none", "alpha": 0.8},
        )
    ax.set_xticks(x, [*(f"tier {t}" for t in tiers), "range"])
    ax.set_ylabel("releases")
    ax.set_title(f"{_label(str(key))}: {len(spec)} releases by tier (1 = most open)")
    ax.legend(frameon=False, fontsize=9)
    ax.spines[["top", "right"]].set_visible(False)
    return fig


# --------------------------------------------------------------------------- verdicts of one framework


def figure_verdict_counts(table: pd.DataFrame, framework: str, title: str | None = None) -> Figure:
    """How many releases get each verdict of one framework (a class or pass/fail framework, by
    key): one horizontal bar per verdict, most open at the top (the framework's own order, ``high`` of
    :func:`.tables.verdict_table`), ranges (unknown or contested criteria) hatched below them;
    ``table`` is a :func:`.tables.verdict_table`."""
    fig = _new(7.5, 3.6)
    ax = fig.add_subplot()
    part = table[table["framework"] == framework] if not table.empty else table
    if part.empty:
        _empty(ax, f"no {derive.framework(framework).label} verdicts in the store")
        return fig
    ranged = part["is_range"].astype(bool)
    single = (part[~ranged].groupby("verdict").agg(n=("release", "count"), rank=("high", "max"))
              .sort_values(["rank", "n"], ascending=[True, True]))
    labels = list(single.index)
    counts = [int(n) for n in single["n"]]
    y = np.arange(len(labels))
    ax.barh(y, counts, color=_COLORS[0], label="one verdict")
    if ranged.any():
        y = np.arange(len(labels) + 1)
        ax.barh(-1, int(ranged.sum()), color="#ffffff", edgecolor=_COLORS[0], hatch="//",
                label="a range: unknown or contested criteria")
        labels = ["range", *labels]
        counts = [int(ranged.sum()), *counts]
        y = np.arange(-1, len(labels) - 1)
    for yi, c in zip(y, counts, strict=True):
        ax.text(c, float(yi), f" {c}", va="center", fontsize=9)
    ax.set_yticks(y, labels)
    ax.set_xlabel("releases")
    noun = derive.framework(framework).kind_label
    ax.set_title(title or f"{_label(framework)}: {len(part)} releases by {noun}")
    if ranged.any():
        ax.legend(frameon=False, fontsize=8, loc="lower right")
    ax.spines[["top", "right"]].set_visible(False)
    ax.margins(x=0.12)
    return fig


def figure_score_histogram(table: pd.DataFrame, framework: str | None = None, bins: int = 10) -> Figure:
    """A histogram of a score framework's scores (og:ScoreResult, 0..1, ``bins`` equal bins; by
    default the first such framework, the European Open Source AI Index): single scores solid,
    ranges (unknown or contested criteria) hatched on top, counted by their lowest possible score;
    ``table`` is a :func:`.tables.verdict_table`."""
    fig = _new(7.5, 3.6)
    ax = fig.add_subplot()
    key = _framework_or_first(framework, str(OG.ScoreResult))
    part = table[table["framework"] == key] if key is not None and not table.empty else table.iloc[0:0]
    if part.empty:
        _empty(ax, f"no {derive.framework(key).label if key else 'score'} scores in the store")
        return fig
    edges = np.linspace(0.0, 1.0, bins + 1)
    ranged = part["is_range"].astype(bool)
    solid, _ = np.histogram(part[~ranged]["low"].astype(float).clip(0, 1), bins=edges)
    hatched, _ = np.histogram(part[ranged]["low"].astype(float).clip(0, 1), bins=edges)
    width = edges[1] - edges[0]
    ax.bar(edges[:-1], solid, width=width, align="edge", color=_COLORS[3], edgecolor="white", label="score")
    if hatched.any():
        ax.bar(edges[:-1], hatched, width=width, align="edge", bottom=solid, color="#ffffff",
               edgecolor=_COLORS[3], hatch="//", label="a range (by its lowest score)")
    for x, total in zip(edges[:-1], solid + hatched, strict=True):
        if total:
            ax.text(x + width / 2, total, str(int(total)), ha="center", va="bottom", fontsize=8)
    ax.set_xlim(0, 1)
    ax.set_xticks(edges)
    ax.set_xlabel("score (0 = closed, 1 = open)")
    ax.set_ylabel("releases")
    ax.set_title(f"{_label(str(key))}: {len(part)} releases by score")
    ax.legend(frameon=False, fontsize=8)
    ax.spines[["top", "right"]].set_visible(False)
    return fig


#: The figure of each result kind (og:resultKind of ontology/schemes/core.ttl): ``(table, key)``.
FIGURES: dict[str, Callable[[pd.DataFrame, str], Figure]] = {
    str(OG.TierResult): figure_tiers,
    str(OG.ClassResult): figure_verdict_counts,
    str(OG.PassFailResult): figure_verdict_counts,
    str(OG.ScoreResult): figure_score_histogram,
}


def figure_framework(table: pd.DataFrame, framework: str) -> Figure:
    """The chart of one framework's verdicts (key ``framework``), as its result kind draws it;
    a ValueError names the known keys, or says the kind has no figure."""
    fw = derive.framework(framework)
    figure = FIGURES.get(str(fw.kind))
    if figure is None:
        raise ValueError(f"framework {fw.key!r}: no chart for its result kind <{fw.kind}>; "
                         f"kinds with a chart: {', '.join(FIGURES)}")
    return figure(table, fw.key)


def framework(store: Store, key: str, fmt: str = "svg") -> bytes:
    """The chart of framework ``key``'s current verdicts (:func:`figure_framework`)."""
    return render(figure_framework(verdict_table(store, frameworks=[key]), key), fmt)


# --------------------------------------------------------------------------- agreement heatmap


def figure_agreement(result: Agreement) -> Figure:
    """Spearman's rho between every two frameworks as a heatmap (-1 red … +1 blue), each cell
    annotated with rho and the number of releases both judge."""
    fig = _new(6.5, 5.5)
    ax = fig.add_subplot()
    names = list(result.matrix.index)
    if len(names) < 2:
        _empty(ax, "fewer than two frameworks with verdicts")
        return fig
    data = result.matrix.to_numpy(dtype=float)
    image = ax.imshow(np.ma.masked_invalid(data), cmap="RdBu", vmin=-1, vmax=1)
    n = {(r.a, r.b): r.n for r in result.pairs.itertuples()}
    for i, a in enumerate(names):
        for j, b in enumerate(names):
            if i == j:
                text = "—"
            else:
                pair_n = n.get((a, b), n.get((b, a), 0))
                rho = data[i, j]
                text = f"{rho:.2f}\nn={pair_n}" if not math.isnan(rho) else f"n/a\nn={pair_n}"
            ax.text(
                j,
                i,
                text,
                ha="center",
                va="center",
                fontsize=9,
                color="white" if not math.isnan(data[i, j]) and abs(data[i, j]) > 0.6 else "black",
            )
    ax.set_xticks(range(len(names)), names, rotation=20)
    ax.set_yticks(range(len(names)), names)
    fig.colorbar(image, ax=ax, shrink=0.8, label="Spearman's rho")
    ax.set_title(f"Agreement between frameworks (ranges: {result.ranges})")
    return fig


def agreement(store: Store, fmt: str = "svg") -> bytes:
    """The agreement heatmap of the store's current verdicts."""
    return render(figure_agreement(agreement_from_table(verdict_table(store))), fmt)  # no labels needed


# --------------------------------------------------------------------------- lineage


def figure_lineage(g: nx.MultiDiGraph, top: int = 6, max_nodes: int = 90) -> Figure:
    """The ``top`` base models with the most descendants and their descendants (at most
    ``max_nodes`` nodes, the nearest first), drawn with a fixed-seed spring layout; bases are
    large and labelled, edges coloured by relation."""
    fig = _new(9, 7)
    ax = fig.add_subplot()
    bases = base_models(g)
    if bases.empty:
        _empty(ax, "no derivations in the store")
        return fig
    chosen = list(bases.head(top)["release"])
    keep: list[str] = list(chosen)
    simple: nx.DiGraph[str] = nx.DiGraph(g)
    for base in chosen:
        for node in nx.bfs_tree(simple.reverse(copy=False), base):
            if node not in keep and len(keep) < max_nodes:
                keep.append(node)
    # a new graph in ``keep`` order (a subgraph view would iterate a set: hash-seed dependent layout)
    kept = set(keep)
    sub: nx.MultiDiGraph[str] = nx.MultiDiGraph()
    sub.add_nodes_from((n, g.nodes[n]) for n in keep)
    for u, v, key, data in g.edges(keys=True, data=True):
        if u in kept and v in kept:
            sub.add_edge(u, v, key, **data)
    pos: dict[str, Any] = nx.spring_layout(nx.Graph(sub), seed=7, k=1.2 / math.sqrt(max(len(sub), 1)))
    relations = sorted({k for _, _, k in sub.edges(keys=True)})
    for i, rel in enumerate(relations):
        edges = [(u, v) for u, v, k in sub.edges(keys=True) if k == rel]
        nx.draw_networkx_edges(
            sub,
            pos,
            edgelist=edges,
            ax=ax,
            edge_color=_COLORS[(i + 1) % len(_COLORS)],
            arrows=True,
            arrowsize=8,
            width=1.0,
            alpha=0.7,
            label=rel,
        )
    sizes = [420 if n in chosen else 60 for n in sub]
    colors = [_COLORS[0] if n in chosen else "#b8c4cc" for n in sub]
    nx.draw_networkx_nodes(sub, pos, ax=ax, node_size=sizes, node_color=colors)
    labels = {
        n: f"{sub.nodes[n].get('label', n)}\n({int(bases.set_index('release').loc[n, 'descendants'])})"
        for n in chosen
    }
    nx.draw_networkx_labels(sub, pos, labels=labels, ax=ax, font_size=8)
    ax.legend(
        handles=[
            Line2D([0], [0], color=_COLORS[(i + 1) % len(_COLORS)], label=rel)
            for i, rel in enumerate(relations)
        ],
        frameon=False,
        fontsize=8,
        loc="lower left",
    )
    ax.set_title(
        f"Most-derived base models (descendants in brackets); {len(sub)} of {g.number_of_nodes()} releases"
    )
    ax.set_axis_off()
    return fig


def lineage(store: Store, fmt: str = "svg") -> bytes:
    """The lineage chart of the store's derivations."""
    return render(figure_lineage(lineage_graph(store)), fmt)


# --------------------------------------------------------------------------- openness over time


def figure_timeline(result: Timeline, since: int | None = None) -> Figure:
    """Left: mean openness (0..1 within each framework, single verdicts) of the releases of each
    year since ``since`` (default: the first year with at least five judged releases), one line
    per framework, marker area by the number judged. Right, when the Index editions were read:
    each edition's mean Index score as of its issue date, with the number of releases."""
    editions = result.editions_summary
    fig = _new(10 if not editions.empty else 8, 4.8)
    grid = fig.add_gridspec(1, 2, width_ratios=[3, 1]) if not editions.empty else fig.add_gridspec(1, 1)
    ax = fig.add_subplot(grid[0, 0])
    df = (
        result.by_year.dropna(subset=["year", "mean_openness"])
        if not result.by_year.empty
        else result.by_year
    )
    if not df.empty:
        per_year = df.groupby("year")["judged"].sum()
        first = (
            since
            if since is not None
            else int(per_year[per_year >= 5].index.min())
            if (per_year >= 5).any()
            else int(per_year.index.min())
        )
        df = df[df["year"].astype(int) >= first]
    if df.empty:
        _empty(ax, "no dated releases with a single verdict")
    else:
        for i, (fw, part) in enumerate(sorted(df.groupby("framework"), key=lambda kv: str(kv[0]))):
            part = part.sort_values("year")
            color = _COLORS[i % len(_COLORS)]
            years = part["year"].astype(int)
            ax.plot(years, part["mean_openness"], marker="o", markersize=3, color=color, label=str(fw))
            ax.scatter(
                years,
                part["mean_openness"],
                s=8 + 3 * part["judged"].astype(float).clip(upper=80),
                color=color,
                alpha=0.3,
            )
        ax.set_ylim(-0.05, 1.05)
        ax.set_xlabel("release year")
        ax.set_ylabel("mean openness (0 = least open, 1 = most)")
        ax.set_title("Openness of each year's releases, by framework")
        ax.legend(frameon=False, fontsize=8)
        ax.spines[["top", "right"]].set_visible(False)
        locator = ax.xaxis.get_major_locator()
        assert isinstance(locator, MaxNLocator)  # matplotlib's default (AutoLocator) is one
        locator.set_params(integer=True)
    if not editions.empty:
        ex = fig.add_subplot(grid[0, 1])
        ed = editions.sort_values("issued")
        x = np.arange(len(ed))
        ex.bar(x, ed["mean_score"].astype(float), color="#2e4057")
        for i, (score, n) in enumerate(zip(ed["mean_score"].astype(float), ed["releases"], strict=True)):
            ex.text(i, score, f"{score:.2f}\nn={n}", ha="center", va="bottom", fontsize=8)
        ex.set_xticks(x, list(ed["issued"]), rotation=30, fontsize=8)
        ex.set_ylim(0, 1.05)
        ex.set_title("Index, as of each edition", fontsize=10)
        ex.set_ylabel("mean Index score")
        ex.spines[["top", "right"]].set_visible(False)
    return fig


def timeline(store: Store, fmt: str = "svg", *, editions_too: bool = False) -> bytes:
    """The openness-over-time chart (Index editions too when ``editions_too``: slower, it derives
    a view per edition)."""
    return render(figure_timeline(timeline_of(store, editions_too=editions_too)), fmt)


# --------------------------------------------------------------------------- per organization, lenses


def figure_tiers_by_organization(table: pd.DataFrame, top: int = 15, framework: str | None = None) -> Figure:
    """Tiers (of ``framework``, by default the first tier framework: the spectrum) of the releases
    of the ``top`` organizations with the most, as stacked horizontal bars (tier 1 … 5, then
    ranges hatched); ``table`` is a verdict table merged with :func:`.timeline.releases`
    (``developer_label`` column)."""
    fig = _new(8.5, 0.9 + 0.38 * top)
    ax = fig.add_subplot()
    key = _framework_or_first(framework, str(OG.TierResult))
    spec = (
        table[(table["framework"] == key) & (table["developer_label"].fillna("") != "")]
        if key is not None and not table.empty
        else table.iloc[0:0]
    )
    if spec.empty:
        _empty(ax, "no tier verdicts of releases with a known developer")
        return fig
    spec = spec.assign(
        bucket=[
            ("range" if r else f"tier {_tier(h, lo, hi)}")
            for r, h, lo, hi in zip(spec["is_range"], spec["high"], spec["scale_min"], spec["scale_max"],
                                    strict=True)
        ]
    )
    counts = spec.drop_duplicates(["release", "developer"]).pivot_table(
        index="developer_label", columns="bucket", values="release", aggfunc="count", fill_value=0
    )
    tiers = sorted((c for c in counts.columns if c != "range"), key=lambda c: int(c.split()[1]))
    order = [*tiers, *(["range"] if "range" in counts.columns else [])]
    counts = counts.reindex(columns=order).fillna(0)
    counts = counts.loc[counts.sum(axis=1).sort_values(ascending=True).index[-top:]]
    left = np.zeros(len(counts))
    shades = ["#1b6f8a", "#4f9bb3", "#edae49", "#d1495b", "#7a1f2b"]
    for i, col in enumerate(order):
        hatch = "//" if col == "range" else None
        color = "#ffffff" if col == "range" else shades[i % len(shades)]
        ax.barh(
            counts.index,
            counts[col],
            left=left,
            color=color,
            edgecolor="#1b6f8a" if hatch else color,
            hatch=hatch,
            label=col,
        )
        left += counts[col].to_numpy()
    ax.set_xlabel("releases")
    ax.set_title(f"{_label(str(key))}: tiers per organization (top {len(counts)} by releases)")
    ax.legend(frameon=False, fontsize=8, ncols=len(order), loc="lower right")
    ax.spines[["top", "right"]].set_visible(False)
    return fig


def figure_lenses(profiles: pd.DataFrame) -> Figure:
    """How many releases are open, partial, closed or a range under each lens of Widder, West and
    Whittaker; ``profiles`` is :func:`.lenses.lens_profiles`."""
    fig = _new(7.5, 4)
    ax = fig.add_subplot()
    lenses = [c for c in ("transparency", "reusability", "extensibility") if c in profiles.columns]
    if profiles.empty or not lenses:
        _empty(ax, "no lens profiles in the store")
        return fig
    buckets = ["open", "partial", "closed", "range"]
    colors = {"open": "#66a182", "partial": "#edae49", "closed": "#d1495b", "range": "#ffffff"}
    values = {
        lens: profiles[lens].map(lambda v: v if v in ("open", "partial", "closed") else "range")
        for lens in lenses
    }
    left = np.zeros(len(lenses))
    for b in buckets:
        widths = np.array([(values[lens] == b).sum() for lens in lenses], dtype=float)
        ax.barh(
            lenses,
            widths,
            left=left,
            color=colors[b],
            edgecolor="#555" if b == "range" else colors[b],
            hatch="//" if b == "range" else None,
            label=b,
        )
        left += widths
    ax.invert_yaxis()
    ax.set_xlabel("releases")
    oa = int(profiles["open_access"].sum()) if "open_access" in profiles.columns else 0
    ax.set_title(f"Widder, West and Whittaker's lenses ({len(profiles)} releases; {oa} open-access)")
    ax.legend(frameon=False, fontsize=8, ncols=4, loc="lower right")
    ax.spines[["top", "right"]].set_visible(False)
    return fig


#: Store-level charts by name, for the served pages: ``CHARTS[name](store) -> SVG bytes``; one
#: per framework (named by its key, in display order), then the charts across frameworks.
CHARTS: dict[str, Callable[..., bytes]] = {
    **{key: partial(framework, key=key) for key in derive.frameworks()},
    "agreement": agreement,
    "lineage": lineage,
    "timeline": timeline,
}

__all__ = [
    "CHARTS",
    "FIGURES",
    "FORMATS",
    "agreement",
    "figure_agreement",
    "figure_framework",
    "figure_lenses",
    "figure_lineage",
    "figure_score_histogram",
    "figure_tiers",
    "figure_tiers_by_organization",
    "figure_timeline",
    "figure_verdict_counts",
    "framework",
    "frameworks_of",
    "lineage",
    "render",
    "save",
    "timeline",
]
