"""CLI commands for the real catalogues: ``openness import SOURCE PATH`` and ``openness build``.

``build`` is the main job: it imports, validates and derives (the write gate derives in the same
transaction), then prints a summary a person reads in ten seconds — claims per source, the
verdicts of each framework as a histogram, the releases with the most disagreements — read from
the stored data, and the commands to run next. Details go to ``import-report.json``.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table
from rich.text import Text

from ..namespaces import OG, prefix_lines
from ..store import Row, Store
from .common import (
    StoreOption,
    activity,
    cli_errors,
    display_names,
    err_console,
    fail,
    open_cli_store,
    out_console,
    store_location,
    writable_folder,
)

ReportDirOption = Annotated[
    Path | None,
    typer.Option("--report-dir", help="Folder for import-report.json and matches.csv "
                 "(default: <store>/../import-report)."),
]
NoValidateOption = Annotated[
    bool, typer.Option("--no-validate", help="Skip SHACL validation (trusted data only; faster).")]

#: How many verdict labels the build summary shows per framework (every framework of
#: openness.derive.frameworks(), in display order), and in how many equal bins it counts the
#: scores of a framework whose result is a score (og:ScoreResult: one label per score is too many).
SUMMARY_LABELS = 14
SUMMARY_SCORE_BINS = 10
#: Releases listed under "most disagreements".
SUMMARY_DISAGREEMENTS = 5
#: What to run next, as the summary ends (each line fits 80 columns).
NEXT_COMMANDS = (
    ("openness show NAME", "a model, its releases, every verdict and why"),
    ("openness trace NAME", "the claims and evidence behind a verdict"),
    ("openness disagreements", "where sources disagree, both sides traced"),
    ("openness serve", "pages, SPARQL and JSON API on 127.0.0.1:8000"),
)

_PREFIXES = prefix_lines("og", "dcterms", "rdfs")
#: Claims and the subjects they are about, per catalogue version (the dataset a claim cites).
_CLAIMS_BY_SOURCE = _PREFIXES + """
SELECT ?ds (COUNT(DISTINCT ?c) AS ?claims) (COUNT(DISTINCT ?s) AS ?subjects)
WHERE { ?c a og:Claim ; dcterms:source ?ds ; og:about ?s } GROUP BY ?ds"""
_CLAIMS = _PREFIXES + "SELECT (COUNT(?c) AS ?n) WHERE { ?c a og:Claim }"
_DATASET_LABELS = _PREFIXES + """SELECT ?ds (MIN(STR(?l)) AS ?label) WHERE {
  VALUES ?ds { %s } ?ds rdfs:label|dcterms:title ?l } GROUP BY ?ds"""
#: Current verdicts counted by label, per framework (the stored assessments, docs/derived-layer.md).
_VERDICT_LABELS = _PREFIXES + """SELECT ?f ?label (COUNT(DISTINCT ?a) AS ?n) WHERE {
  GRAPH <%s> { ?a og:framework ?f ; og:verdictLabel ?label } } GROUP BY ?f ?label"""
#: Current scores (or the lowest and highest of a range) of the frameworks whose result is a score.
_SCORES = _PREFIXES + """SELECT ?f ?a (SAMPLE(?s) AS ?score) (SAMPLE(?lo) AS ?low) (SAMPLE(?hi) AS ?high)
WHERE { VALUES ?f { %s } GRAPH <%s> { ?a og:framework ?f .
  OPTIONAL { ?a og:score ?s } OPTIONAL { ?a og:scoreMin ?lo } OPTIONAL { ?a og:scoreMax ?hi } } }
GROUP BY ?f ?a"""


def _outcome_table(outcome: Any) -> None:
    """What an import did, per catalogue version (``openness import``; the build says it in one
    line and its summary, the rest is in import-report.json)."""
    table = Table(title="Imported", title_justify="left", box=None, pad_edge=False)
    for col in ("source", "version", "records", "rejected", "written", "unchanged", "claims", "removed",
                "licenses mapped", "matched", "new", "kept apart", "seconds"):
        table.add_column(col, justify="left" if col in ("source", "version") else "right")
    for r in outcome.results:
        rep = r.report
        methods = [m["method"] for m in rep.matches]
        share = rep.license_mapped_share
        table.add_row(rep.source, rep.version, f"{rep.records_read:,}", str(len(rep.rejected)),
                      f"{rep.records_written:,}", f"{rep.records_unchanged:,}", f"{rep.claims_written:,}",
                      str(rep.records_removed), "-" if share is None else f"{share:.1%}",
                      str(sum(1 for m in methods if m != "new")), str(methods.count("new")),
                      str(len(rep.kept_apart)), f"{rep.seconds:.1f}")
    out_console.print(table)


def _outcome_notes(outcome: Any, *, compact: bool = False) -> None:
    """Records kept apart for review, rejected records, skipped importers (on stderr); ``compact``:
    one line for each kind and source (the build's summary), the rest in import-report.json."""
    items = outcome.kept_apart
    if compact and items:
        first = items[0]
        err_console.print(
            f"[yellow]kept apart for review[/] {len(items)} record(s) name a release that another record "
            f"of the same catalogue version names (e.g. {first['source']} {first['record']} and "
            f"{first['held_by']!r}); each is in import-report.json (kept_apart): settle it in "
            "data/curation/overrides.csv", highlight=False)
    for item in [] if compact else items:
        err_console.print(
            f"[yellow]kept apart for review[/] {item['source']} {item['record']}: names "
            f"{item['name']!r}, which record {item['held_by']!r} of the same catalogue version also names "
            f"(<{item['shared_release']}>); given <{item['release']}>. Settle it in "
            "data/curation/overrides.csv (same or distinct)", highlight=False)
    shown_per_source = 1 if compact else 5
    for r in outcome.results:
        rejected = r.report.rejected
        if compact and rejected:
            err_console.print(f"[yellow]rejected[/] {r.report.source} {r.report.version}: {len(rejected)} "
                              f"record(s), e.g. {rejected[0]} (every reason in import-report.json)",
                              highlight=False)
            continue
        for reject in rejected[:shown_per_source]:
            err_console.print(f"[yellow]rejected[/] {r.report.source}: {reject}", highlight=False)
        if len(rejected) > shown_per_source:
            err_console.print(f"[yellow]rejected[/] {r.report.source}: … and "
                              f"{len(rejected) - shown_per_source} more, each with its reason, "
                              "in import-report.json")
    for skip in outcome.skipped:
        err_console.print(f"[dim]skipped {skip['source']} ({skip['path']}): {skip['reason']}[/]",
                          highlight=False)


def _outcome_line(outcome: Any) -> None:
    out_console.print(
        f"{outcome.graphs_written:,} graph(s) written, {outcome.graphs_unchanged:,} unchanged, "
        f"{len(outcome.dropped)} removed; {outcome.triples:,} quads in the source graphs; "
        f"{outcome.multi_source_releases:,} releases named by two or more sources; "
        f"{outcome.validation_warnings:,} validation warnings; "
        f"{outcome.seconds.get('total', 0):.1f} s. Report: {outcome.report_dir}",
        highlight=False)


def summary_data(db: Store, *, disagreements: bool = True) -> dict[str, Any]:
    """The build summary, read from the stored data: claims and subjects per source (the
    catalogue version each claim cites), the current verdicts counted by label per framework
    (``derived:assessments``, the graph :func:`openness.verdicts.read` reads, counted in the store;
    every framework of :func:`openness.derive.frameworks`, in display order; a framework whose
    result is a score is counted in :data:`SUMMARY_SCORE_BINS` bins of its scores, ranges apart),
    and disagreements per release (:func:`openness.rules.disagreements.disagreements`).

    Shape: ``{"sources": [{"source", "claims", "subjects"}], "verdicts": {framework: [[label,
    count], ...]}, "releases_judged": {framework: n}, "disagreements": {"total", "releases",
    "top": [[release label, count], ...]}}`` (no "disagreements" when not asked).
    """
    from .. import derive
    from ..rules.disagreements import disagreements as find_disagreements

    out: dict[str, Any] = {"sources": [], "verdicts": {}, "releases_judged": {}}
    rows = db.select(_CLAIMS_BY_SOURCE)
    labels: dict[str, str] = {}
    if rows:
        values = " ".join(f"<{r['ds']}>" for r in rows if str(r["ds"]).startswith(("http://", "https://")))
        if values:
            labels = {str(r["ds"]): str(r["label"]) for r in db.select(_DATASET_LABELS % values)}
    counted = 0
    for row in sorted(rows, key=lambda r: -int(str(r["claims"]))):
        counted += int(str(row["claims"]))
        out["sources"].append({"source": labels.get(str(row["ds"]), str(row["ds"])),
                               "claims": int(str(row["claims"])), "subjects": int(str(row["subjects"]))})
    total = int(str(db.select(_CLAIMS)[0]["n"]))
    if total > counted:
        out["sources"].append({"source": "(claims citing no catalogue)", "claims": total - counted,
                               "subjects": None})
    frameworks = derive.frameworks()
    keys = {str(f.iri): k for k, f in frameworks.items()}
    scored = {k for k, f in frameworks.items() if f.kind == OG.ScoreResult}
    counts: dict[str, list[tuple[str, int]]] = {k: [] for k in frameworks}
    graph = derive.CURRENT.graph("assessments")
    for row in db.select(_VERDICT_LABELS % graph):
        key = keys.get(str(row["f"]))
        if key in counts and key not in scored:
            counts[key].append((str(row["label"]), int(str(row["n"]))))
    if scored:
        values = " ".join(f"<{frameworks[k].iri}>" for k in sorted(scored))
        binned: dict[str, Counter[str]] = {k: Counter() for k in scored}
        for row in db.select(_SCORES % (values, graph)):
            binned[keys[str(row["f"])]][_score_bin(row)] += 1
        for key, per_bin in binned.items():
            counts[key] = list(per_bin.items())
    for key, pairs in counts.items():
        out["verdicts"][key] = sorted(pairs, key=lambda kv: kv[0].casefold())
        out["releases_judged"][key] = sum(n for _, n in pairs)
    if disagreements:
        found = [d for d in find_disagreements(db) if d.kind == "criterion"]
        per = Counter(d.release for d in found)
        names = display_names(db, set(per))
        top = per.most_common(SUMMARY_DISAGREEMENTS)
        out["disagreements"] = {"total": len(found), "releases": len(per),
                                "top": [[names.get(r, r), n] for r, n in top]}
    return out


def _score_bin(row: Row) -> str:
    """The summary's label of one score: its bin (``0.3–0.4``; 1 is in the last bin), or ``range``
    when unknown or contested criteria leave it a range (og:scoreMin, og:scoreMax)."""
    if row.get("score") is None:
        return "range" if row.get("low") is not None else "no score"
    score = min(max(float(str(row["score"])), 0.0), 1.0)
    i = min(int(score * SUMMARY_SCORE_BINS), SUMMARY_SCORE_BINS - 1)
    return f"{i / SUMMARY_SCORE_BINS:.1f}–{(i + 1) / SUMMARY_SCORE_BINS:.1f}"


def _bar(count: int, top: int, width: int = 24) -> str:
    return "█" * max(1, round(width * count / top)) if count else ""


def print_summary(data: dict[str, Any]) -> None:
    """Print :func:`summary_data` in about 40 lines."""
    from .. import derive

    sources = Table(title="Claims per source", title_justify="left", box=None, pad_edge=False)
    sources.add_column("source", no_wrap=True, overflow="ellipsis", max_width=56)
    sources.add_column("claims", justify="right")
    sources.add_column("about", justify="right")
    for s in data["sources"]:
        about = "" if s["subjects"] is None else f"{s['subjects']:,}"
        sources.add_row(s["source"], f"{s['claims']:,}", about)
    out_console.print(sources)
    for key, counts in data["verdicts"].items():
        out_console.print()
        label = derive.framework(key).label
        judged = data["releases_judged"][key]
        out_console.print(Text.assemble((f"{label}", "bold"), f" — {judged:,} releases judged"))
        if not counts:
            out_console.print("  (no verdicts yet)")
            continue
        shown = sorted(counts, key=lambda kv: -kv[1])[:SUMMARY_LABELS]
        rest = [kv for kv in counts if kv not in shown]
        top = max(n for _, n in counts)
        width = max(len(lbl) for lbl, _ in shown)
        for lbl, n in sorted(shown, key=lambda kv: kv[0].casefold()):
            out_console.print(f"  {lbl:<{width}}  {n:>6,}  {_bar(n, top)}", highlight=False)
        if rest:
            out_console.print(f"  … {len(rest)} other verdict(s) on {sum(n for _, n in rest):,} releases "
                              f"(openness classify --framework {key})", highlight=False, style="dim")
    dis = data.get("disagreements")
    if dis is not None:
        out_console.print()
        said = f" — {dis['total']:,} between claimants, on {dis['releases']:,} releases"
        out_console.print(Text.assemble(("Disagreements", "bold"), said))
        for name, n in dis["top"]:
            out_console.print(f"  {n:>5,}  {name}", highlight=False)
    out_console.print()
    out_console.print(Text("Next:", style="bold"))
    for cmd, what in NEXT_COMMANDS:
        out_console.print(Text.assemble("  ", (f"{cmd:<24}", "cyan"), what))


def _source(value: str) -> str:
    """Check SOURCE against the importers while parsing (exit code 2)."""
    from ..importers import IMPORTERS

    if value not in IMPORTERS:
        raise typer.BadParameter(f"unknown source {value!r}; use one of {', '.join(IMPORTERS)}",
                                 param_hint="SOURCE")
    return value


def _noting(note: Any) -> Any:
    """A build/import ``note``: one dim line on stderr (what was done, also in logs), and the
    spinner's current step on a terminal."""
    def both(message: str) -> None:
        err_console.print(f"[dim]{message}[/]", highlight=False)
        note(message)
    return both


def register(app: typer.Typer) -> None:
    """Add this module's commands to the main app."""

    @app.command("import")
    @cli_errors
    def import_cmd(
        source: Annotated[str, typer.Argument(
            callback=_source,
            help="mot, osai, osai-legacy, fmti, epoch, os-ai-map, hf-card or osi-validation")],
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
        from ..importers.base import ImportError_
        from ..importers.build import default_report_dir, import_source

        if not path.exists():
            fail(f"{path}: no such file or folder")
        folder = writable_folder(report_dir or default_report_dir(store_location(store)), "--report-dir")
        with open_cli_store(store) as st, activity(f"importing {source}") as note:
            try:
                outcome = import_source(st, source, path, report_dir=folder, validate=not no_validate,
                                        replace=replace, note=_noting(note))
            except (ImportError_, KeyError) as err:
                fail(str(err).strip('"'))
        _outcome_table(outcome)
        _outcome_notes(outcome)
        _outcome_line(outcome)

    @app.command("summary")
    @cli_errors
    def summary_cmd(
        store: StoreOption = None,
        disagreements: Annotated[bool, typer.Option(
            "--disagreements/--no-disagreements", help="Also count disagreements (slowest part).")] = True,
    ) -> None:
        """The summary that openness build ends with, read from the store as it is: claims per source,
        verdicts per framework, the releases with the most disagreements, what to run next."""
        db = open_cli_store(store, read_only=True)
        with activity("summarizing"):
            data = summary_data(db, disagreements=disagreements)
        print_summary(data)

    @app.command("build")
    @cli_errors
    def build_cmd(
        store: StoreOption = None,
        report_dir: ReportDirOption = None,
        validate: Annotated[bool, typer.Option(
            "--validate/--no-validate",
            help="Validate the batches with SHACL before writing (about a minute on the full corpus; "
                 "--no-validate is for trusted data only).")] = True,
        sources_dir: Annotated[Path | None, typer.Option(
            "--sources-dir", exists=True, file_okay=False,
            help="Read the catalogues from this folder (the layout of data/sources, e.g. an updated "
                 "copy) instead of the bundled ones; a catalogue folder it lacks is skipped, and said.")]
        = None,
    ) -> None:
        """Build the graph from every bundled catalogue plus the report's examples (no network), and
        summarize it: claims per source, verdicts per framework, disagreements, what to run next.

        On a store that already holds them, only the records (and licenses, examples) whose content
        changed are written. Like every ingest, what is written is validated against the shapes with
        its neighbourhood first, and every verdict it touches is derived in the same transaction: a
        violation leaves the store as it was.
        """
        from ..importers.build import build, default_report_dir

        folder = writable_folder(report_dir or default_report_dir(store_location(store)), "--report-dir")
        with open_cli_store(store) as st:
            with activity("building") as note:
                outcome = build(st, report_dir=folder, validate=validate, sources_dir=sources_dir,
                                note=_noting(note))
                note("summarizing")
                data = summary_data(st)
            _outcome_notes(outcome, compact=True)
            _outcome_line(outcome)
            out_console.print()
            print_summary(data)
