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

from .common import StoreOption, cli_errors, fail, open_cli_store

console = Console()

FrameworkOpt = Annotated[str, typer.Option("--framework", "-f", help="spectrum | mof | osaid | osai")]
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


def register(app: typer.Typer) -> None:
    """Add this module's commands to the main app."""

    @app.command()
    @cli_errors
    def classify(framework: FrameworkOpt = "spectrum", as_of: AsOfOpt = None,
                 format: Annotated[str, typer.Option("--format", help="table | csv | json")] = "table",
                 store: StoreOption = None) -> None:
        """Classify every release under one framework (nothing is written)."""
        from ..rules.classify import classify as run
        from ..rules.runner import framework as fw

        fw(framework)
        db = open_cli_store(store)
        rows = [v.flat() for v in run(db, framework, as_of=as_of)]
        _emit(rows, format, f"{framework} verdicts")

    @app.command()
    @cli_errors
    def assess(as_of: AsOfOpt = None, store: StoreOption = None) -> None:
        """Run every rule and write dated assessments into a new named graph."""
        from ..rules.assess import assess as run

        db = open_cli_store(store)
        start = time.perf_counter()
        report = run(db, as_of=as_of)
        took = time.perf_counter() - start
        console.print(f"{report.written} new assessments ({report.by_framework}), "
                      f"{report.unchanged} unchanged, "
                      f"in {took:.1f} s; graph {report.graph or '(none: nothing changed)'}")

    @app.command()
    @cli_errors
    def trace(release: Annotated[str, typer.Argument(help="release IRI, slug or label")],
              framework: Annotated[str | None, typer.Option("--framework", "-f")] = None,
              format: Annotated[str, typer.Option("--format", help="text | json | turtle")] = "text",
              store: StoreOption = None) -> None:
        """Show the chain behind a release's verdicts: rule, claims, evidence, dataset, import."""
        from ..rules import trace as tr

        db = open_cli_store(store)
        iri = tr.resolve_release(db, release)
        chain = tr.trace(db, iri, framework)
        if not chain:
            fail(f"no stored assessment for {iri}{' under ' + framework if framework else ''} with claims: "
                 "run `openness assess` first (a release with no claims under a framework has no verdict)")
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

        db = open_cli_store(store)
        rows = [d.flat() for d in run(db, as_of=as_of, include_agreeing=all_placements, kind=kind,
                                      release=release)]
        _emit(rows, format, "disagreements")

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

        db = open_cli_store(store)
        _emit([r.flat() for r in run(db, as_of=as_of, open_access=open_access)], format, "open-washing")

    @app.command()
    @cli_errors
    def diff(date_from: Annotated[str, typer.Option("--from", help="earlier as-of date (YYYY-MM-DD)")],
             date_to: Annotated[str, typer.Option("--to", help="later as-of date (YYYY-MM-DD)")],
             framework: Annotated[list[str] | None, typer.Option("--framework", "-f")] = None,
             format: Annotated[str, typer.Option("--format", help="table | csv | json")] = "table",
             store: StoreOption = None) -> None:
        """Verdicts that changed between two as-of dates, with the claims that differ."""
        from ..rules.diff import diff as run

        db = open_cli_store(store)
        _emit([c.flat() for c in run(db, date_from, date_to, framework)], format,
              f"verdicts changed {date_from} -> {date_to}")
