"""``openness analyze``: the researcher's analyses on the command line (openness.analysis).

``openness analyze lineage|licenses|agreement|timeline|organizations|lenses
[--format table|csv|json|graphml|gexf] [--plot FILE.png|FILE.svg] [--out FILE]``

Every analysis reads stored assessments and derived data (no rule runs). Tables go to standard
output (``--out`` writes the CSV / JSON / GraphML / GEXF to a file instead); ``--plot`` writes the
analysis's chart (lineage graph, agreement heatmap, openness over time, tiers per organization,
lens profiles; licenses has none). ``graphml`` and ``gexf`` are graphs: ``lineage`` only.
Exit status: 0, 1 on a store or input problem, 2 on a usage error (an unknown format).
"""

from __future__ import annotations

import json
import math
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from .common import StoreOption, cli_errors, err_console, fail, open_cli_store, short_url

if TYPE_CHECKING:  # pandas costs half the command's start-up: imported where a table is made
    import pandas as pd

console = Console()
analyze_app = typer.Typer(
    help="Researchers' analyses: lineage, license inheritance, agreement between "
    "frameworks, openness over time, organizations, lenses.",
    no_args_is_help=True,
)

TABULAR = ("table", "csv", "json")
GRAPHS = ("graphml", "gexf")
FormatOpt = Annotated[
    str, typer.Option("--format", help="table | csv | json | graphml | gexf (graphs: lineage only)")
]
PlotOpt = Annotated[Path | None, typer.Option("--plot", help="also draw the chart into FILE.png or FILE.svg")]
OutOpt = Annotated[
    Path | None, typer.Option("--out", help="write csv/json/graphml/gexf here instead of stdout")
]
TopOpt = Annotated[int, typer.Option("--top", help="rows in the table (csv and json give every row)")]


def _check(fmt: str, *, graphs: bool = False) -> None:
    allowed = TABULAR + (GRAPHS if graphs else ())
    if fmt not in allowed:
        fail(f"unknown --format {fmt!r} here: use {' | '.join(allowed)}", 2)


def _check_plot(plot: Path | None) -> None:
    if plot is not None and plot.suffix.lower() not in (".png", ".svg"):
        fail(f"--plot {plot}: give a .png or .svg file name", 2)


def _clean(value: Any) -> Any:
    if isinstance(value, float) and math.isnan(value):
        return None
    import pandas as pd

    if value is pd.NA or value is pd.NaT:
        return None
    if hasattr(value, "item"):
        return value.item()
    return value


def _records(df: pd.DataFrame) -> list[dict[str, Any]]:
    return [{k: _clean(v) for k, v in row.items()} for row in df.to_dict(orient="records")]


def _write_text(text: str, out: Path | None) -> None:
    if out is None:
        sys.stdout.write(text)
        sys.stdout.flush()
    else:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(text, encoding="utf-8")
        err_console.print(f"wrote {out}")


def _emit(
    df: pd.DataFrame,
    fmt: str,
    out: Path | None,
    *,
    title: str,
    table: pd.DataFrame | None = None,
    top: int = 25,
    payload: Any = None,
) -> None:
    """Write ``df`` as csv / json (``payload`` replaces the rows in JSON when given) or print the
    compact ``table`` view (default: ``df``) as a rich table of at most ``top`` rows."""
    if fmt == "csv":
        _write_text(df.to_csv(index=False), out)
    elif fmt == "json":
        _write_text(
            json.dumps(
                payload if payload is not None else _records(df), indent=2, ensure_ascii=False, default=str
            )
            + "\n",
            out,
        )
    else:
        view = table if table is not None else df
        _print_table(view.head(top), title + (f" (first {top} of {len(view)})" if len(view) > top else ""))


def _print_table(df: pd.DataFrame, title: str) -> None:
    t = Table(title=title, title_justify="left")
    for col in df.columns if len(df.columns) else ["(nothing)"]:
        t.add_column(str(col), overflow="fold")
    for row in df.itertuples(index=False):
        t.add_row(
            *("" if _clean(v) is None else (f"{v:.3f}" if isinstance(v, float) else str(v)) for v in row)
        )
    console.print(t)


def _plot(fig: Any, plot: Path | None) -> None:
    if plot is None:
        return
    from ..analysis.charts import save

    err_console.print(f"wrote {save(fig, plot)}")


# --------------------------------------------------------------------------- lineage


@analyze_app.command("lineage")
@cli_errors
def lineage_cmd(
    fmt: FormatOpt = "table",
    plot: PlotOpt = None,
    out: OutOpt = None,
    top: TopOpt = 25,
    store: StoreOption = None,
) -> None:
    """The derivation DAG: base models by descendants, depth and centrality; graphml/gexf: the graph."""
    from ..analysis import base_models, lineage_graph, write_graph

    _check(fmt, graphs=True)
    _check_plot(plot)
    db = open_cli_store(store, read_only=True)
    try:
        g = lineage_graph(db)
    finally:
        db.close()
    if fmt in GRAPHS:
        if out is None:
            import tempfile

            with tempfile.TemporaryDirectory() as tmp:
                path = write_graph(g, fmt, Path(tmp) / f"lineage.{fmt}")
                sys.stdout.write(path.read_text(encoding="utf-8"))
        else:
            out.parent.mkdir(parents=True, exist_ok=True)
            write_graph(g, fmt, out)
            err_console.print(
                f"wrote {out}: {g.number_of_nodes()} releases, {g.number_of_edges()} derivations"
            )
    else:
        bases = base_models(g)
        table = bases.drop(columns=["release"]).rename(columns={"in_degree_centrality": "centrality"})
        _emit(
            bases,
            fmt,
            out,
            title=f"Base models: {g.number_of_nodes()} releases, {g.number_of_edges()} derivations",
            table=table,
            top=top,
        )
    if plot is not None:
        from ..analysis.charts import figure_lineage

        _plot(figure_lineage(g), plot)


# --------------------------------------------------------------------------- licenses


@analyze_app.command("licenses")
@cli_errors
def licenses_cmd(
    fmt: FormatOpt = "table", out: OutOpt = None, top: TopOpt = 50, store: StoreOption = None
) -> None:
    """Derivatives whose declared license drops terms of their base's license, with evidence."""
    import pandas as pd

    from ..analysis import license_conflicts

    _check(fmt)
    db = open_cli_store(store, read_only=True)
    try:
        df = license_conflicts(db)
    finally:
        db.close()
    table = pd.DataFrame(
        {
            "derivative": df["derivative_label"],
            "relation": df["relation"],
            "base": df["base_label"],
            "base license": df["base_license_label"],
            "declared": df["derivative_license_labels"],
            "drops": df["missing"],
            "evidence (derivative)": df["derivative_evidence"].map(
                lambda s: short_url(s.split()[0], 30) if s else ""
            ),
            "evidence (base)": df["base_evidence"].map(lambda s: short_url(s.split()[0], 30) if s else ""),
        }
    )
    _emit(df, fmt, out, title=f"License-inheritance conflicts: {len(df)}", table=table, top=top)


# --------------------------------------------------------------------------- agreement


@analyze_app.command("agreement")
@cli_errors
def agreement_cmd(
    fmt: FormatOpt = "table",
    plot: PlotOpt = None,
    out: OutOpt = None,
    top: TopOpt = 15,
    ranges: Annotated[
        str,
        typer.Option(
            "--ranges", help="exclude | midpoint: what a range verdict (tier 2–3, a score range) counts as"
        ),
    ] = "exclude",
    store: StoreOption = None,
) -> None:
    """Agreement between frameworks: Spearman, Kendall, Cohen's kappa; the largest disagreements."""
    from ..analysis.agreement import agreement_from_table
    from ..analysis.tables import verdict_table
    from .common import display_names

    _check(fmt)
    _check_plot(plot)
    if ranges not in ("exclude", "midpoint"):
        fail(f"--ranges {ranges!r}: use exclude or midpoint", 2)
    db = open_cli_store(store, read_only=True)
    try:
        table = verdict_table(db)
        names = display_names(db, set(table["release"])) if not table.empty else {}
    finally:
        db.close()
    result = agreement_from_table(table, ranges=ranges, labels=names)  # type: ignore[arg-type]
    matrix = result.matrix.reset_index().rename(columns={"index": "framework"})
    if fmt == "json":
        payload = {
            "ranges": ranges,
            "matrix": _records(matrix),
            "pairs": _records(result.pairs),
            "disagreements": _records(result.disagreements),
        }
        _emit(result.pairs, fmt, out, title="", payload=payload)
    elif fmt == "csv":
        _emit(result.pairs, fmt, out, title="")
    else:
        _print_table(matrix, f"Spearman's rho between frameworks (ranges: {ranges})")
        _print_table(result.pairs, "Pairs: rank correlation and Cohen's kappa on 'open by its own bar'")
        dis = result.disagreements.drop(columns=["release"]).head(top)
        _print_table(
            dis, f"Largest disagreements (0 = least open a framework can say, 1 = most; first {len(dis)})"
        )
    if plot is not None:
        from ..analysis.charts import figure_agreement

        _plot(figure_agreement(result), plot)


# --------------------------------------------------------------------------- timeline


@analyze_app.command("timeline")
@cli_errors
def timeline_cmd(
    fmt: FormatOpt = "table",
    plot: PlotOpt = None,
    out: OutOpt = None,
    editions: Annotated[
        bool,
        typer.Option(
            "--editions/--no-editions", help="also the Index editions (derives a view per edition date)"
        ),
    ] = True,
    store: StoreOption = None,
) -> None:
    """Openness over time: by release year per framework, and by Index edition."""
    from ..analysis import timeline

    _check(fmt)
    _check_plot(plot)
    db = open_cli_store(store, read_only=True)
    try:
        with err_console.status(
            "reading verdicts" + (" and deriving a view per Index edition…" if editions else "…")
        ):
            result = timeline(db, editions_too=editions)
    finally:
        db.close()
    if fmt == "json":
        payload = {
            "by_year": _records(result.by_year),
            "by_organization_year": _records(result.by_organization_year),
            "editions": _records(result.editions_summary),
            "by_edition": _records(result.by_edition),
        }
        _emit(result.by_year, fmt, out, title="", payload=payload)
    elif fmt == "csv":
        _emit(result.by_year, fmt, out, title="")
    else:
        _print_table(
            result.by_year, "Mean openness (0..1 within each framework) and share open, by release year"
        )
        if editions:
            _print_table(
                result.editions_summary, "Index editions: the Index's verdicts as of each edition's date"
            )
    if plot is not None:
        from ..analysis.charts import figure_timeline

        _plot(figure_timeline(result), plot)


# --------------------------------------------------------------------------- organizations


@analyze_app.command("organizations")
@cli_errors
def organizations_cmd(
    fmt: FormatOpt = "table",
    plot: PlotOpt = None,
    out: OutOpt = None,
    top: TopOpt = 30,
    store: StoreOption = None,
) -> None:
    """Per organization (og:developer) and framework: releases, mean openness, share open, dates."""
    from ..analysis import organizations, releases, verdict_table

    _check(fmt)
    _check_plot(plot)
    db = open_cli_store(store, read_only=True)
    try:
        df = organizations(db)
        merged = verdict_table(db).merge(releases(db), on="release", how="left") if plot is not None else None
    finally:
        db.close()
    _emit(df, fmt, out, title="Organizations", table=df.drop(columns=["developer"]), top=top)
    if plot is not None and merged is not None:
        from ..analysis.charts import figure_tiers_by_organization

        _plot(figure_tiers_by_organization(merged), plot)


# --------------------------------------------------------------------------- lenses


@analyze_app.command("lenses")
@cli_errors
def lenses_cmd(
    fmt: FormatOpt = "table",
    plot: PlotOpt = None,
    out: OutOpt = None,
    top: TopOpt = 40,
    store: StoreOption = None,
) -> None:
    """Every release's transparency / reusability / extensibility profile, and the open-access label."""
    from ..analysis import lens_profiles

    _check(fmt)
    _check_plot(plot)
    db = open_cli_store(store, read_only=True)
    try:
        df = lens_profiles(db)
    finally:
        db.close()
    table = df.drop(columns=["release"]).assign(
        open_access=df["open_access"].map(lambda v: "yes" if v else "")
    )
    _emit(
        df, fmt, out, title=f"Lenses of Widder, West and Whittaker: {len(df)} releases", table=table, top=top
    )
    if plot is not None:
        from ..analysis.charts import figure_lenses

        _plot(figure_lenses(df), plot)


def register(app: typer.Typer) -> None:
    """Add ``openness analyze ...`` to the main app."""
    app.add_typer(analyze_app, name="analyze")
