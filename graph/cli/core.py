"""CLI commands on the store and its claims: load, validate, stats, query, export.

Also registers the app-level options (``openness --store PATH <command>``), since every command
group shares them.
"""

from __future__ import annotations

import re
import sys
from enum import Enum, StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer
from rdflib import URIRef
from rich.table import Table

from .. import __version__, formats
from ..bom import BOM_FORMATS
from ..namespaces import sparql_prefixes
from ..store import RDF_FORMATS, Store
from .common import (
    EXIT_BAD_INPUT,
    StoreOption,
    UpdateUrlOption,
    activity,
    check_store_path,
    cli_errors,
    err_console,
    fail,
    open_cli_store,
    out_console,
    quiet_library_logs,
    set_global_store,
    stage_note,
    store_location,
)


class ReportFormat(StrEnum):
    text = "text"
    turtle = "turtle"
    json = "json"


class ResultFormat(StrEnum):
    table = "table"
    csv = "csv"
    json = "json"


ExportFormat = Enum("ExportFormat", {name: name for name in (*RDF_FORMATS, *BOM_FORMATS)}, type=str)  # type: ignore[misc]


def _version(value: bool) -> None:
    if value:
        out_console.print(f"openness-graph {__version__}")
        raise typer.Exit()


def main_options(
    store: StoreOption = None,
    update_url: UpdateUrlOption = None,
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Print the version and exit.")
    ] = False,
) -> None:
    """openness-graph: how open is this AI model, by which definition, and on what evidence?"""
    quiet_library_logs()
    set_global_store(store, update_url)


# --------------------------------------------------------------------------- load


def at_property_lines(report: Any, files: list[Path] | list[Any]) -> Any:
    """Point each result about one property at the line where that property of the node is
    written (``claims.yaml record 1, line 7``), not only at the node's first line.

    Why here: a report locates focus nodes; the files know where each of their properties is
    written (:attr:`openness.ingest.readers.ParsedFile.property_positions`). ``files`` are paths
    (read again, bounded: only when there is something to report) or parsed files.
    """
    from ..ingest.readers import ParsedFile, ReadError, read_file

    if not report.results:
        return report
    parsed: list[ParsedFile] = []
    for f in files:
        if isinstance(f, ParsedFile):
            parsed.append(f)
            continue
        try:
            parsed.append(read_file(Path(f)))
        except (ReadError, OSError):
            continue
    for result in report.results:
        if not result.path or " " in result.path or "/" in result.path.split("#")[-1]:
            continue  # several properties, or a path expression: the node's line stays
        node = URIRef(result.focus_node)
        for one in parsed:
            where = one.property_positions.get((node, result.path))
            if where:
                result.location = one.locate(node, result.path)
                break
    return report


@cli_errors
def load(
    files: Annotated[list[Path], typer.Argument(help="Claim files: .ttl .nt .jsonld .yaml .yml .json")],
    agent: Annotated[
        str | None, typer.Option(help="Who loads (an IRI or a name); default: this program.")
    ] = None,
    store: StoreOption = None,
) -> None:
    """Validate claim files with the store they join and write them, each as its own named graph.

    All files are written together, or (on any violation) none is; the report names each bad node,
    the file and line, and the property to fix.
    """
    from ..gate import ingest_files
    from ..ingest import IngestError

    db = open_cli_store(store, create=True)
    try:
        with activity("loading") as note:
            report = ingest_files(db, files, agent=agent, progress=stage_note(note))
    except IngestError as err:
        text = at_property_lines(err.report, files).to_text(limit=200)
        err_console.print(text, highlight=False, soft_wrap=True, markup=False)
        fail(f"refused: {len(err.report.violations)} violation(s); nothing was written")
    finally:
        db.close()
    out_console.print(report.summary(), highlight=False, soft_wrap=True, markup=False)
    if report.warnings:
        text = at_property_lines(report.validation, files).to_text(limit=20)
        err_console.print(text, highlight=False, soft_wrap=True, markup=False)


# --------------------------------------------------------------------------- validate


def _node_graph_locator(db: Store):
    cache: dict[str, str | None] = {}

    def locate(node: object, _path: str | None = None) -> str | None:
        key = str(node)
        if key not in cache:
            if len(cache) > 500 or not key.startswith(("http://", "https://", "urn:")):
                return None
            rows = db.select(f"SELECT ?g WHERE {{ GRAPH ?g {{ <{key}> ?p ?o }} }} LIMIT 1")
            cache[key] = f"graph <{rows[0]['g']}>" if rows else None
        return cache[key]

    return locate


class ValidationEngine(StrEnum):
    compiled = "compiled"
    pyshacl = "pyshacl"


@cli_errors
def validate(
    files: Annotated[
        list[Path] | None, typer.Argument(help="Files to check; none = the whole store.")
    ] = None,
    fmt: Annotated[ReportFormat, typer.Option("--format", help="Report format.")] = ReportFormat.text,
    engine: Annotated[
        ValidationEngine,
        typer.Option("--engine", help="compiled: the shapes as SPARQL queries on Oxigraph; pyshacl: the "
                                      "reference engine (slow; the same results)."),
    ] = ValidationEngine.compiled,
    store: StoreOption = None,
) -> None:
    """Check files (as they would load into the store) or the whole store against the shapes.

    Exit status 1 when there is any violation; warnings are counted and listed by kind.
    """
    from ..validation import use_engine

    with use_engine(engine.value):
        report = _validation_report(files, store)
    text = report.render(fmt.value)
    if fmt is ReportFormat.text:
        out_console.print(text, highlight=False, soft_wrap=True, markup=False)
    else:
        sys.stdout.write(text if text.endswith("\n") else text + "\n")
    if not report.conforms:
        raise typer.Exit(EXIT_BAD_INPUT)


def _validation_report(files: list[Path] | None, store: str | None) -> Any:
    from ..validation import validate_files, validate_store

    location = store_location(store)
    if files:
        from ..store import default_store_path

        if location is not None:  # a store named on the command line must be one
            check_store_path(location, create=False)
        target = location or str(default_store_path())
        remote = target.startswith(("http://", "https://"))
        if remote or target == ":memory:" or Path(target).exists():
            from ..gate import ingest_batches
            from ..ingest import IngestError
            from ..ingest.batch import batch_from_file
            from ..ingest.readers import read_file

            db = open_cli_store(store, read_only=not remote)
            try:
                with activity("validating") as note:
                    parsed, batches = [], []
                    for f in files:
                        note(f"reading {f}")
                        parsed.append(read_file(f))
                        batches.append(batch_from_file(parsed[-1]))
                    try:
                        report = ingest_batches(db, batches, dry_run=True,
                                                progress=stage_note(note)).validation
                    except IngestError as err:
                        report = err.report
                report = at_property_lines(report, parsed)
            finally:
                db.close()
        else:  # no store yet: the files on their own
            with activity("validating"):
                report = at_property_lines(validate_files(files), files)
    else:
        db = open_cli_store(store, read_only=True)
        try:
            with activity("validating the store"):
                # the source data only (the store's default graph): derived graphs are the rules'
                # output, not claims to check
                report = validate_store(db, locate=_node_graph_locator(db))
        finally:
            db.close()
    return report


# --------------------------------------------------------------------------- stats

_STATS_QUERY = """
SELECT ?kind (COUNT(DISTINCT ?x) AS ?n) WHERE {
  { ?x a og:ModelRelease . BIND("releases" AS ?kind) }
  UNION { ?x a og:Model . BIND("models" AS ?kind) }
  UNION { ?x a og:Claim . BIND("claims" AS ?kind) }
  UNION { ?x a og:Evidence . BIND("evidence" AS ?kind) }
  UNION { ?x a og:Assessment . BIND("assessments" AS ?kind) }
  UNION { ?x a og:License . BIND("licenses" AS ?kind) }
  UNION { ?x a og:CustomLicense . BIND("licenses" AS ?kind) }
  UNION { ?c og:claimant ?x . BIND("claimants" AS ?kind) }
} GROUP BY ?kind
"""

_BY_GRAPH_QUERY = """
SELECT ?g (SAMPLE(?label) AS ?name) (COUNT(DISTINCT ?claim) AS ?claims) WHERE {
  GRAPH ?g { ?claim a og:Claim . OPTIONAL { ?g rdfs:label ?label } }
} GROUP BY ?g ORDER BY DESC(?claims)
"""


@cli_errors
def stats(store: StoreOption = None) -> None:
    """Counts: triples, graphs, releases, claims, evidence, assessments, and claims by source graph."""
    db = open_cli_store(store, read_only=True)
    try:
        with activity("counting"):
            total = db.count()
            graphs = db.graph_names()
            counts = {str(r["kind"]): int(r["n"]) for r in db.select(sparql_prefixes() + _STATS_QUERY)}
            by_graph = db.select(sparql_prefixes() + _BY_GRAPH_QUERY)
    finally:
        db.close()
    table = Table(title="openness-graph store", show_header=False)
    table.add_row("store", str(store_location(store) or "(default)"))
    table.add_row("triples (quads)", f"{total:,}")
    table.add_row("named graphs", f"{len(graphs):,}")
    for kind in ("models", "releases", "claims", "evidence", "assessments", "licenses", "claimants"):
        table.add_row(kind, f"{counts.get(kind, 0):,}")
    out_console.print(table)
    if by_graph:
        sources = Table(title="claims by source (named graph)")
        sources.add_column("graph")
        sources.add_column("label")
        sources.add_column("claims", justify="right")
        for row in by_graph:
            sources.add_row(str(row["g"]), str(row.get("name", "")), f"{int(row['claims']):,}")
        out_console.print(sources)


# --------------------------------------------------------------------------- query

_FORM_RE = re.compile(r"\b(SELECT|ASK|CONSTRUCT|DESCRIBE)\b", re.IGNORECASE)
_PREFIX_DECL_RE = re.compile(r"^\s*PREFIX\s+([\w.-]*):", re.IGNORECASE | re.MULTILINE)


def user_query(query_or_file: str) -> tuple[str, str]:
    """The query as the user wrote it, and what to call it in messages: a file path (its name), a
    shipped query name (``queries/NAME.rq``), or SPARQL text ("query")."""
    candidate = Path(query_or_file)
    if len(query_or_file) < 4096 and candidate.suffix in (".rq", ".sparql") and candidate.is_file():
        return candidate.read_text(encoding="utf-8"), str(candidate)
    if len(query_or_file) < 4096 and candidate.suffix in (".rq", ".sparql") and (
            "/" in query_or_file or candidate.suffix == ".sparql"):
        raise ValueError(f"{query_or_file}: no such query file (check the path; SPARQL text can also "
                         "be given directly, in quotes)")
    if re.fullmatch(r"[\w.-]+", query_or_file):
        from ..resources import read_query

        try:
            return read_query(query_or_file), f"queries/{query_or_file.removesuffix('.rq')}.rq"
        except FileNotFoundError as err:
            raise ValueError(f"{query_or_file}: not a file, a shipped query, nor a SPARQL query") from err
    return query_or_file, "query"


def with_prefixes(text: str) -> tuple[str, int]:
    """``text`` with the project's prefixes (og:, spectrum:, prov:, …) it does not declare put
    before it, and how many lines that adds (to give error positions in the user's own lines)."""
    declared = set(_PREFIX_DECL_RE.findall(text))
    missing = [line for line in sparql_prefixes().splitlines() if line.split()[1][:-1] not in declared]
    return "\n".join([*missing, text]), len(missing)


def query_text(query_or_file: str) -> str:
    """The query to run: :func:`user_query` with :func:`with_prefixes`."""
    return with_prefixes(user_query(query_or_file)[0])[0]


_ERROR_AT = re.compile(r"\berror at (\d+):(\d+):?\s*")
_CHAR_CLASSES = re.compile(r",?\s*\[['\\].*", re.DOTALL)


def sparql_error(message: str, text: str, shift: int, name: str) -> str:
    """A SPARQL syntax error placed in the user's own text: ``NAME:LINE:COLUMN: reason``, the
    line quoted and the column marked (``shift``: prefix lines added before the user's text).

    The parser's reason is kept; its lists of Unicode character ranges (Oxigraph lists every
    character a name may hold) are cut, and an undeclared prefix is named.
    """
    found = _ERROR_AT.search(message)
    if found is None:
        return message
    line, column = int(found.group(1)) - shift, int(found.group(2))
    reason = message[found.end():].strip()
    lines = text.splitlines()
    source = lines[line - 1] if 0 < line <= len(lines) else ""
    if "Prefix not found" in reason:
        word = re.search(r"([A-Za-z][\w.-]*)?:[\w.-]*$", source[: max(column - 1, 0)])
        prefix = (word.group(1) or "") if word else ""
        reason = (f"the prefix {prefix + ':'!r} is not declared: add PREFIX {prefix}: <…> "
                  f"(predeclared: {', '.join(p + ':' for p in _predeclared())})")
    elif "\\u{" in reason or "['" in reason:
        reason = _CHAR_CLASSES.sub("", reason).rstrip(", ") + " (or a name character)"
    undeclared = sorted(set(_PREFIXED.findall(_IRI_OR_STRING.sub(" ", source)))
                        - set(_PREFIX_DECL_RE.findall(text)) - set(_predeclared()))
    if undeclared and "is not declared" not in reason:
        names = ", ".join(repr(p + ":") for p in undeclared)
        reason += f" (on this line, the prefix {names} is not declared)"
    where = f"{name}:{line}:{column}"
    marker = " " * (max(column, 1) - 1) + "^"
    return f"{where}: SPARQL syntax error: {' '.join(reason.split())}\n  {source}\n  {marker}"


_PREFIXED = re.compile(r"(?<![\w:?$])([A-Za-z][\w.-]*):(?=[A-Za-z_0-9])")
_IRI_OR_STRING = re.compile(r"<[^>\s]*>|\"[^\"]*\"|'[^']*'|#.*$")


def _predeclared() -> list[str]:
    return [line.split()[1][:-1] for line in sparql_prefixes().splitlines()]


def query_form(text: str) -> str:
    """SELECT, ASK, CONSTRUCT or DESCRIBE (comments and IRIs skipped)."""
    stripped = re.sub(r"#[^\n]*|<[^>\s]*>", " ", text)
    match = _FORM_RE.search(stripped)
    if not match:
        raise ValueError("not a SPARQL query: no SELECT, ASK, CONSTRUCT or DESCRIBE found")
    return match.group(1).upper()


@cli_errors
def query(
    query_or_file: Annotated[
        str,
        typer.Argument(metavar="QUERY-OR-FILE.rq", help="SPARQL text, a .rq file or a shipped query name."),
    ],
    fmt: Annotated[ResultFormat, typer.Option("--format", help="Output format.")] = ResultFormat.table,
    store: StoreOption = None,
) -> None:
    """Run a SPARQL query over the union of all graphs; print a table, CSV or JSON.

    The project's prefixes (og:, spectrum:, mof:, prov:, …) are predeclared.
    """
    from ..precheck import Refused, check_query_text

    mine, name = user_query(query_or_file)
    try:
        check_query_text(mine)  # size and nesting before any parser: a deep text crashes them
    except Refused as err:
        fail(f"{name}: {err}")
    text, shift = with_prefixes(mine)
    form = query_form(text)
    db = open_cli_store(store, read_only=True)
    try:
        _run_query(db, text, form, fmt)
    except ValueError as err:
        fail(sparql_error(str(err), mine, shift, name))
    finally:
        db.close()


def _run_query(db: Store, text: str, form: str, fmt: ResultFormat) -> None:
    """Run the query (a spinner meanwhile, on a terminal) and print its result."""
    raw: bytes | None = None
    rows: list[dict[str, object]] | None = None
    answer: bool | None = None
    with activity("querying"):
        if form in ("CONSTRUCT", "DESCRIBE"):
            raw = db.query_raw(text, formats.JSON_LD if fmt is ResultFormat.json else formats.TURTLE)
        elif fmt is ResultFormat.table and form == "SELECT":
            rows = db.select(text)  # type: ignore[assignment]
        elif fmt is ResultFormat.table:
            answer = db.ask(text)
        else:
            media = formats.CSV if fmt is ResultFormat.csv else formats.SPARQL_JSON
            raw = db.query_raw(text, media)
    if raw is not None:
        sys.stdout.write(raw.decode("utf-8"))
    elif rows is not None:
        names: list[str] = []
        for row in rows:
            names.extend(k for k in row if k not in names)
        table = Table(*names) if names else Table("(no results)")
        for row in rows:
            table.add_row(*(str(row.get(n, "")) for n in names))
        out_console.print(table)
        err_console.print(f"{len(rows)} row(s)")
    else:
        out_console.print("true" if answer else "false")


# --------------------------------------------------------------------------- export


@cli_errors
def export(
    fmt: Annotated[
        ExportFormat,
        typer.Option(
            "--format", help="ttl, nt, rdfxml: union of graphs; nq, trig, jsonld: keep named graphs; "
            "spdx3 (SPDX 3.0.1 AI profile), cyclonedx (CycloneDX 1.6 ML-BOM): one model package per release."
        ),
    ] = "nq",  # type: ignore[assignment]
    out: Annotated[Path | None, typer.Option("--out", help="Write here instead of standard output.")] = None,
    store: StoreOption = None,
) -> None:
    """Export the store (nq, trig, jsonld keep the named graphs; ttl, nt, rdfxml give their union)."""
    from ..export import export_store

    db = open_cli_store(store, read_only=True)
    try:
        with activity(f"exporting as {fmt.value}"):
            n = export_store(db, fmt.value, out if out is not None else sys.stdout.buffer)
    finally:
        db.close()
    if out is not None:
        err_console.print(f"wrote {n:,} bytes to {out}")


def register(app: typer.Typer) -> None:
    """Add the app-level options and this module's commands to the main app."""
    app.callback()(main_options)
    app.command("load")(load)
    app.command("validate")(validate)
    app.command("stats")(stats)
    app.command("query")(query)
    app.command("export")(export)
