"""CLI commands of the frameworks: classify, assess, trace (and their siblings)."""

from __future__ import annotations

import csv
import io
import json
import time
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from ..namespaces import curie
from ..store import Store
from .common import StoreOption, cli_errors, display_names, fail, open_cli_store, short_url

console = Console()

FrameworkOpt = Annotated[str, typer.Option("--framework", "-f", help="spectrum | mof | osaid | osai-index")]
AsOfOpt = Annotated[str | None, typer.Option("--as-of", help="only claims known at this date (YYYY-MM-DD)")]


def _emit(rows: list[dict[str, object]], fmt: str, title: str) -> None:
    if fmt == "json":
        typer.echo(json.dumps(rows, indent=2, ensure_ascii=False, default=str))
        return
    if fmt == "csv":
        buf = io.StringIO()
        if rows:
            writer = csv.DictWriter(buf, fieldnames=list(rows[0]))
            writer.writeheader()
            writer.writerows(rows)
        typer.echo(buf.getvalue(), nl=False)
        return
    if fmt != "table":
        fail(f"unknown --format {fmt!r}: use table, csv or json", 2)
    table = Table(title=title)
    cols = list(rows[0]) if rows else ["release"]
    for col in cols:
        table.add_column(col, overflow="fold")
    for row in rows:
        table.add_row(*[str(row.get(c, "")) for c in cols])
    console.print(table)


def classify_table(db: Store, framework: str, rows: list[dict[str, object]]) -> list[dict[str, object]]:
    """The compact table view of ``classify`` rows: release label, verdict, the reason sentence.

    Why: the full rows (JSON / CSV) carry IRIs and every framework's own fields, which do not fit
    80 columns; the reason says in one sentence what those fields say. ``framework`` only titles it.
    """
    names = display_names(db, {str(r["release"]) for r in rows})
    out: list[dict[str, object]] = []
    for r in rows:
        reason = str(r.get("reason", ""))
        label = str(r["verdict"])
        out.append({"release": names[str(r["release"])], "verdict": label,
                    "why": reason.removeprefix(label).lstrip(": ") or reason,
                    "claims": f"{r.get('claims_used', 0)}+{r.get('claims_set_aside', 0)}"})
    return out


def _clip(text: str, width: int = 18) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def _side(names: dict[str, str], claimants: object, status: object) -> str:
    text = str(claimants or "")
    if "/rule/" in text:  # the placement and verdict rows' side B is the rule itself
        who = "computed"
    else:
        who = ", ".join(_clip(names.get(c, c)) for c in text.split()) or "?"
    st = str(status or "")
    return f"{who}: {st.removeprefix('og:').lower() if st.startswith('og:') else st}"


def _one_url(urls: list[str]) -> str:
    """The first URL, shortened, with how many more there are."""
    if not urls:
        return ""
    return short_url(urls[0], 22) + (f" +{len(urls) - 1}" if len(urls) > 1 else "")


def disagreements_table(db: Store, rows: list[dict[str, object]]) -> list[dict[str, object]]:
    """Compact view: release, criterion (prefixed), each side as "claimant: status", one URL each."""
    iris = {str(r["release"]) for r in rows}
    for r in rows:
        iris.update(str(r["claimant_a"]).split())
        iris.update(str(r["claimant_b"]).split())
    names = display_names(db, iris)
    out = []
    for r in rows:
        ev_a, ev_b = str(r["evidence_a"]).split(), str(r["evidence_b"]).split()
        out.append({
            "release": names.get(str(r["release"]), str(r["release"])),
            "criterion": curie(str(r["criterion"])) + (" (contested)" if r.get("contested") else ""),
            # each side: "claimant: status" and, below it, one shortened evidence URL
            "side A": _side(names, r["claimant_a"], r["status_a"]) + "\n" + _one_url(ev_a),
            "side B": _side(names, r["claimant_b"], r["status_b"]) + "\n" + _one_url(ev_b),
        })
    return out


def openwashing_table(db: Store, rows: list[dict[str, object]]) -> list[dict[str, object]]:
    """Compact view: release label, where its verdicts fall short, open-access, one URL per side."""
    names = display_names(db, {str(r["release"]) for r in rows})
    out = []
    for r in rows:
        ev_self, ev_short = str(r["evidence_self"]).split(), str(r["evidence_short"]).split()
        out.append({
            "release": names[str(r["release"])],
            "falls short": curie(str(r["shortfalls"])).replace(" | ", "; "),
            "open-access": "yes" if r.get("open_access") else "",
            "called open source": short_url(ev_self[0], 28) if ev_self else "",
            "evidence against": short_url(ev_short[0], 28) if ev_short else "",
        })
    return out


def register(app: typer.Typer) -> None:
    """Add this module's commands to the main app."""

    @app.command()
    @cli_errors
    def classify(framework: FrameworkOpt = "spectrum", as_of: AsOfOpt = None,
                 format: Annotated[str, typer.Option("--format", help="table | csv | json")] = "table",
                 store: StoreOption = None) -> None:
        """Every release's verdict under one framework, read from the stored assessments."""
        from .. import derive
        from ..verdicts import read, view_store

        if format not in ("table", "csv", "json"):
            fail(f"unknown --format {format!r}: use table, csv or json", 2)
        derive.framework(framework)
        db = open_cli_store(store, read_only=True)
        source, view = view_store(db, as_of)
        rows = [v.flat() for v in read(source, framework=framework, view=view)]
        _emit(classify_table(db, framework, rows) if format == "table" else rows, format,
              f"{framework} verdicts")

    @app.command()
    @cli_errors
    def assess(as_of: AsOfOpt = None, store: StoreOption = None) -> None:
        """Re-derive every verdict (after a rule or vocabulary change), or keep the view as of a date.

        Verdicts are kept current when every batch lands; without --as-of this re-derives the whole
        derived layer in one transaction (old verdicts move to history, never deleted). With
        --as-of DATE it derives what the graph said on that date and keeps that view in the store.
        """
        from .. import derive
        from ..gate import rederive

        db = open_cli_store(store)
        start = time.perf_counter()
        if as_of is None:
            rederive(db)
            what = "current view re-derived"
        else:
            view = derive.View(derive.as_of_text(as_of))
            derive.run(db, view=view)
            what = f"view as of {view.as_of} derived and kept ({view.base})"
        console.print(f"{what} in {time.perf_counter() - start:.1f} s")

    @app.command()
    @cli_errors
    def trace(release: Annotated[str, typer.Argument(help="release IRI, slug or label")],
              framework: Annotated[str | None, typer.Option("--framework", "-f")] = None,
              format: Annotated[str, typer.Option("--format", help="text | json | turtle")] = "text",
              store: StoreOption = None) -> None:
        """Show the chain behind a release's verdicts: rule, claims, evidence, dataset, import."""
        from ..rules import trace as tr

        db = open_cli_store(store, read_only=True)
        iri = tr.resolve_release(db, release)
        chain = tr.trace(db, iri, framework)
        if not chain:
            fail(f"no stored assessment for {iri}{' under ' + framework if framework else ''}: "
                 "a release with no claims under a framework has no verdict")
        render = {"text": tr.render_text, "json": tr.render_json, "turtle": tr.render_turtle}.get(format)
        if render is None:
            fail(f"unknown --format {format!r}: use text, json or turtle", 2)
        typer.echo(render(chain))

    @app.command()
    @cli_errors
    def disagreements(as_of: AsOfOpt = None,
                      format: Annotated[str, typer.Option("--format", help="table | csv | json")] = "table",
                      all_placements: Annotated[bool, typer.Option(
                          "--all", help="also list the report's placements that agree with the computed tier"
                      )] = False,
                      kind: Annotated[str | None, typer.Option("--kind", help="criterion, placement")] = None,
                      release: Annotated[str | None, typer.Option(
                          "--release", help="only this release (IRI or slug)")] = None,
                      store: StoreOption = None) -> None:
        """Criteria where claimants disagree, and the report's placements against the computed tier."""
        from ..rules.disagreements import disagreements as run

        db = open_cli_store(store, read_only=True)
        rows = [d.flat() for d in run(db, as_of=as_of, include_agreeing=all_placements, kind=kind,
                                      release=release)]
        _emit(disagreements_table(db, rows) if format == "table" else rows, format, "disagreements")

    @app.command()
    @cli_errors
    def openwashing(as_of: AsOfOpt = None,
                    format: Annotated[str, typer.Option("--format", help="table | csv | json")] = "table",
                    open_access: Annotated[bool, typer.Option(
                        "--open-access",
                        help="also list releases labelled open-access (code and weights, no data)")] = False,
                    store: StoreOption = None) -> None:
        """Releases whose developer calls them open source while the computed verdicts fall short."""
        from ..rules.openwashing import openwashing as run

        db = open_cli_store(store, read_only=True)
        rows = [r.flat() for r in run(db, as_of=as_of, open_access=open_access)]
        _emit(openwashing_table(db, rows) if format == "table" else rows, format, "open-washing")

    @app.command()
    @cli_errors
    def diff(date_from: Annotated[str, typer.Option("--from", help="earlier as-of date (YYYY-MM-DD)")],
             date_to: Annotated[str, typer.Option("--to", help="later as-of date (YYYY-MM-DD)")],
             framework: Annotated[list[str] | None, typer.Option("--framework", "-f")] = None,
             format: Annotated[str, typer.Option("--format", help="table | csv | json")] = "table",
             store: StoreOption = None) -> None:
        """Verdicts that changed between two as-of dates, with the claims that differ."""
        from ..rules.diff import diff as run

        db = open_cli_store(store, read_only=True)
        _emit([c.flat() for c in run(db, date_from, date_to, framework)], format,
              f"verdicts changed {date_from} -> {date_to}")
