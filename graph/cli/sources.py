"""CLI commands for the real catalogues: ``openness import SOURCE PATH`` and ``openness build``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from .common import StoreOption, cli_errors, err_console, fail, open_cli_store, out_console, store_location

ReportDirOption = Annotated[
    Path | None,
    typer.Option("--report-dir", help="Folder for import-report.json and matches.csv "
                 "(default: <store>/../import-report)."),
]
NoValidateOption = Annotated[
    bool, typer.Option("--no-validate", help="Skip SHACL validation (trusted data only; faster).")]


def _summary(outcome: object) -> None:
    from ..sources.build import BuildOutcome

    assert isinstance(outcome, BuildOutcome)
    table = Table(title="Import report", show_lines=False)
    for col in ("source", "version", "records", "imported", "rejected", "written", "unchanged", "removed",
                "claims", "licenses mapped", "matched", "new", "kept apart", "seconds"):
        table.add_column(col, justify="left" if col in ("source", "version") else "right")
    for r in outcome.results:
        rep = r.report
        methods = [m["method"] for m in rep.matches]
        share = rep.license_mapped_share
        table.add_row(rep.source, rep.version, str(rep.records_read), str(rep.records_imported),
                      str(len(rep.rejected)), str(rep.records_written), str(rep.records_unchanged),
                      str(rep.records_removed), str(rep.claims_written),
                      "-" if share is None else f"{share:.1%}",
                      str(sum(1 for m in methods if m != "new")), str(methods.count("new")),
                      str(len(rep.kept_apart)), f"{rep.seconds:.1f}")
    out_console.print(table)
    for item in outcome.kept_apart:
        err_console.print(
            f"[yellow]kept apart for review[/] {item['source']} {item['record']}: names "
            f"{item['name']!r}, which record {item['held_by']!r} of the same catalogue version also names "
            f"(<{item['shared_release']}>); given <{item['release']}>. Settle it in "
            "data/curation/overrides.csv (same or distinct)")
    shown_per_source = 5
    for r in outcome.results:
        for reject in r.report.rejected[:shown_per_source]:
            err_console.print(f"[yellow]rejected[/] {r.report.source}: {reject}")
        if len(r.report.rejected) > shown_per_source:
            err_console.print(f"[yellow]rejected[/] {r.report.source}: … and "
                              f"{len(r.report.rejected) - shown_per_source} more, each with its reason, "
                              "in import-report.json")
    for skip in outcome.skipped:
        err_console.print(f"[dim]skipped {skip['source']} ({skip['path']}): {skip['reason']}[/]")
    out_console.print(
        f"{outcome.graphs_written} graph(s) written, {outcome.graphs_unchanged} unchanged, "
        f"{len(outcome.dropped)} removed; {outcome.triples} triples in the store; "
        f"{outcome.multi_source_releases} releases named by two or more sources; "
        f"{outcome.validation_warnings} validation warnings; "
        f"{outcome.seconds.get('total', 0):.1f} s. Report: {outcome.report_dir}")


def register(app: typer.Typer) -> None:
    """Add this module's commands to the main app."""

    @app.command("import")
    @cli_errors
    def import_cmd(
        source: Annotated[str, typer.Argument(
            help="mot, osai, osai-legacy, fmti, epoch, os-ai-map or hf-card")],
        path: Annotated[Path, typer.Argument(help="The catalogue folder or file to read.")],
        store: StoreOption = None,
        report_dir: ReportDirOption = None,
        no_validate: NoValidateOption = False,
        replace: Annotated[bool, typer.Option(
            "--replace", help="Also remove the records of the catalogue version that PATH does not hold "
            "(their number is printed first). Without it, those records stay.")] = False,
    ) -> None:
        """Import the records under PATH: each record is added or updated (its own named graph), the
        catalogue version's other records stay; bad records are skipped and reported."""
        from ..sources import IMPORTERS
        from ..sources.base import ImportError_
        from ..sources.build import default_report_dir, import_source

        if source not in IMPORTERS:
            fail(f"unknown source {source!r}; use one of {', '.join(IMPORTERS)}")
        if not path.exists():
            fail(f"{path}: no such file or folder")
        folder = report_dir or default_report_dir(store_location(store))
        with open_cli_store(store) as st:
            try:
                outcome = import_source(st, source, path, report_dir=folder, validate=not no_validate,
                                        replace=replace, note=lambda m: err_console.print(f"[dim]{m}[/]"))
            except (ImportError_, KeyError) as err:
                fail(str(err).strip('"'))
        _summary(outcome)

    @app.command("build")
    @cli_errors
    def build_cmd(
        store: StoreOption = None,
        report_dir: ReportDirOption = None,
        validate: Annotated[bool, typer.Option(
            "--validate/--no-validate",
            help="Validate the batches with SHACL before writing (about a minute on the full corpus; "
                 "--no-validate is for trusted data only).")] = True,
    ) -> None:
        """Build the graph from every bundled catalogue plus the report's examples (no network).

        On a store that already holds them, only the records (and licenses, examples) whose content
        changed are written. Like every ingest, what is written is validated against the shapes with
        its neighbourhood first: a violation leaves the store as it was.
        """
        from ..sources.build import build, default_report_dir

        folder = report_dir or default_report_dir(store_location(store))
        with open_cli_store(store) as st:
            outcome = build(st, report_dir=folder, validate=validate,
                            note=lambda m: err_console.print(f"[dim]{m}[/]"))
        _summary(outcome)
