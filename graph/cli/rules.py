"""CLI commands of the frameworks: classify, assess, show, trace (and their siblings).

Every reader reads the stored assessments (docs/derived-layer.md); names of releases and models
are found by :mod:`openness.find` (labels, aliases, slugs, Hugging Face ids, loosely). Options
are checked while they are parsed (exit code 2) so that no command does any work on a typo.
"""

from __future__ import annotations

import csv
import io
import json
import time
from enum import StrEnum
from typing import Annotated, Any

import typer
from rich.padding import Padding
from rich.table import Table
from rich.text import Text

from ..namespaces import curie, prefix_lines
from ..store import Store
from .common import (
    StoreOption,
    activity,
    cli_errors,
    display_names,
    err_console,
    fail,
    open_cli_store,
    out_console,
    parse_date,
    short_url,
)

console = out_console


class TableFormat(StrEnum):
    table = "table"
    csv = "csv"
    json = "json"


class TraceFormat(StrEnum):
    text = "text"
    json = "json"
    turtle = "turtle"


class ShowFormat(StrEnum):
    text = "text"
    json = "json"


class Kind(StrEnum):
    criterion = "criterion"
    placement = "placement"
    verdict = "verdict"


def _framework(value: str | None) -> str | None:
    """Check a --framework key against the frameworks of ontology/rules.ttl while parsing."""
    if value is None:
        return None
    from .. import derive

    try:
        return derive.framework(value).key
    except ValueError as err:
        raise typer.BadParameter(str(err), param_hint="--framework") from None


def _frameworks(values: list[str] | None) -> list[str] | None:
    return None if values is None else [k for k in (_framework(v) for v in values) if k]


def _as_of(value: str | None) -> str | None:
    return parse_date(value, "--as-of")


_FRAMEWORKS_HELP = "a framework's key, its skos:notation in ontology/ (spectrum, mof, osaid, ...)"
FrameworkOpt = Annotated[str, typer.Option("--framework", "-f", callback=_framework, help=_FRAMEWORKS_HELP)]
OptionalFrameworkOpt = Annotated[str | None, typer.Option("--framework", "-f", callback=_framework,
                                                          help=_FRAMEWORKS_HELP)]
AsOfOpt = Annotated[str | None, typer.Option("--as-of", callback=_as_of,
                                             help="only claims known at this date (YYYY-MM-DD)")]
TableFormatOpt = Annotated[TableFormat, typer.Option("--format", help="table | csv | json")]


def _emit(rows: list[dict[str, object]], fmt: str, title: str) -> None:
    if fmt == "json":
        typer.echo(json.dumps(rows, indent=2, ensure_ascii=False, default=str))
        return
    if fmt == "csv":
        buf = io.StringIO()
        if rows:
            # rows differ in fields (a verdict may carry a missing criterion, a contested range…):
            # the header is every field in the order first met, empty where a row has none
            fields = list(dict.fromkeys(key for row in rows for key in row))
            writer = csv.DictWriter(buf, fieldnames=fields, restval="")
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
    # the placement and verdict rows' side B is the rule itself
    who = "computed" if "/rule/" in text else ", ".join(_clip(names.get(c, c)) for c in text.split()) or "?"
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
    out: list[dict[str, object]] = []
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
    out: list[dict[str, object]] = []
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


# --------------------------------------------------------------------------- show


def release_facts(db: Store, releases: list[str]) -> dict[str, dict[str, str]]:
    """Per release: its release date (derived) and developers' names, for ``show``."""
    if not releases:
        return {}
    values = " ".join(f"<{r}>" for r in releases)
    rows = db.select(
        prefix_lines("og", "rdfs", "foaf") +
        f"SELECT ?r (MIN(STR(?d)) AS ?date) (GROUP_CONCAT(DISTINCT STR(?n); separator=\", \") AS ?by) "
        f"WHERE {{ VALUES ?r {{ {values} }} OPTIONAL {{ ?r og:releaseDate ?d }} "
        "OPTIONAL { ?r og:developer ?a . ?a rdfs:label|foaf:name ?n } } GROUP BY ?r")
    return {str(row["r"]): {"date": str(row.get("date", "")), "by": str(row.get("by", ""))} for row in rows}


def show_data(db: Store, name: str) -> list[dict[str, Any]]:
    """What ``openness show NAME`` prints: per model group, the model and every release with its
    verdict and reason under every framework (read from the stored assessments).

    Errors: :class:`openness.find.NameNotFound` / :class:`openness.find.AmbiguousName`.
    """
    from .. import derive
    from ..find import Index, find_models
    from ..verdicts import read

    index = Index.from_store(db)
    groups = find_models(index, name)
    iris = [r.iri for g in groups for r in g.releases]
    verdicts: dict[str, dict[str, Any]] = {}
    for v in read(db, releases=iris):
        verdicts.setdefault(str(v.release), {})[v.framework] = v
    facts = release_facts(db, iris)
    out = []
    for g in groups:
        ordered = sorted(g.releases, key=lambda r: (g.matched is None or r.iri != g.matched.iri,
                                                     r.label.casefold()))
        releases = []
        for r in ordered:
            per = verdicts.get(r.iri, {})
            releases.append({
                "iri": r.iri, "slug": r.slug, "label": r.label,
                "aliases": sorted({n for n, how in r.names if how == "alias"}),
                "huggingFace": r.hf, "matched": g.matched is not None and r.iri == g.matched.iri,
                **facts.get(r.iri, {}),
                "verdicts": {key: ({"verdict": per[key].label,
                                    "reason": per[key].reason.removeprefix(per[key].label).lstrip(": ")
                                    or per[key].reason,
                                    "assessment": str(per[key].assessment)} if key in per else None)
                             for key in derive.frameworks()},
            })
        model = g.model
        out.append({
            "query": name, "matchedBy": g.found.level,
            "model": None if model is None else {
                "iri": model.iri, "slug": model.slug, "label": model.label,
                "aliases": sorted({n for n, how in model.names if how in ("alias", "label")}
                                  - {model.label})},
            "releases": releases,
        })
    return out


def _show_text(groups: list[dict[str, Any]]) -> None:
    for gi, g in enumerate(groups):
        if gi:
            console.print()
        model, releases = g["model"], g["releases"]
        if model is not None:
            head = Text.assemble((model["label"], "bold"), f" — model, {len(releases)} release(s)  ",
                                 (model["iri"], "dim"))
            console.print(head)
            if model["aliases"]:
                console.print(Text(f"also called: {', '.join(model['aliases'])}", style="dim"))
        if len(groups) > 1:
            console.print(Text("the release named belongs to several models; each is shown", style="yellow"))
        verdict_width = min(22, max([1] + [len(v["verdict"]) for r in releases
                                           for v in r["verdicts"].values() if v is not None]))
        for r in releases:
            console.print()
            facts = [r["slug"]]
            if r.get("date"):
                facts.append(f"released {r['date']}")
            if r.get("by"):
                facts.append(f"by {r['by']}")
            if r["huggingFace"]:
                facts.append("hf " + r["huggingFace"][0])
            mark = "▶ " if r["matched"] else "  "
            console.print(Padding(Text.assemble(mark, (r["label"], "bold"), "  ", (" · ".join(facts), "dim")),
                                  (0, 0, 0, 0)))
            grid = Table.grid(padding=(0, 2))
            grid.add_column(no_wrap=True, style="cyan", width=max(map(len, r["verdicts"])))
            grid.add_column(width=verdict_width)
            grid.add_column(ratio=1)
            for key, v in r["verdicts"].items():
                if v is None:
                    grid.add_row(key, "—", Text("no claim under this framework", style="dim"))
                else:
                    grid.add_row(key, Text(v["verdict"], style="bold"), v["reason"])
            console.print(Padding(grid, (0, 0, 0, 4)))
    first = next((r for g in groups for r in g["releases"]), None)
    if first is not None:
        console.print()
        from .. import derive

        console.print(Text(f"the claims and evidence behind a verdict: openness trace {first['slug']} "
                           f"--framework {next(iter(derive.frameworks()))}", style="dim"))


# --------------------------------------------------------------------------- commands


def register(app: typer.Typer) -> None:
    """Add this module's commands to the main app."""

    @app.command()
    @cli_errors
    def classify(framework: OptionalFrameworkOpt = None, as_of: AsOfOpt = None,
                 format: TableFormatOpt = TableFormat.table, store: StoreOption = None) -> None:
        """Every release's verdict under one framework (default: the first the ontology lists),
        read from the stored assessments."""
        from .. import derive
        from ..verdicts import read, view_store

        framework = framework or next(iter(derive.frameworks()))

        db = open_cli_store(store, read_only=True)
        with activity(f"reading {framework} verdicts") as note:
            source, view = view_store(db, as_of)
            note("reading")
            rows = [v.flat() for v in read(source, framework=framework, view=view, parts=format != "table")]
            shown = classify_table(db, framework, rows) if format is TableFormat.table else rows
        _emit(shown, format.value, f"{framework} verdicts")

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

        db = open_cli_store(store, create=False)
        start = time.perf_counter()
        with activity("deriving") as note:
            if as_of is None:
                rederive(db, progress=lambda stage, detail: note(f"{stage} {detail}"))
                what = "current view re-derived"
            else:
                view = derive.View(derive.as_of_text(as_of))
                derive.run(db, view=view)
                what = f"view as of {view.as_of} derived and kept ({view.base})"
        console.print(f"{what} in {time.perf_counter() - start:.1f} s")

    @app.command()
    @cli_errors
    def show(name: Annotated[str, typer.Argument(
                 help="a model or release: label, alias, slug, Hugging Face id (ORG/NAME) or IRI")],
             format: Annotated[ShowFormat, typer.Option("--format", help="text | json")] = ShowFormat.text,
             store: StoreOption = None) -> None:
        """A model with all its releases, and each release's verdict under every framework, with why."""
        db = open_cli_store(store, read_only=True)
        with activity(f"finding {name!r}"):
            groups = show_data(db, name)
        if format is ShowFormat.json:
            typer.echo(json.dumps(groups, indent=2, ensure_ascii=False))
        else:
            _show_text(groups)

    @app.command()
    @cli_errors
    def trace(release: Annotated[str, typer.Argument(
                  help="a release: label, alias, slug, Hugging Face id (ORG/NAME) or IRI")],
              framework: OptionalFrameworkOpt = None,
              format: Annotated[TraceFormat, typer.Option("--format", help="text | json | turtle")]
              = TraceFormat.text,
              store: StoreOption = None) -> None:
        """Show the chain behind a release's verdicts: rule, claims, evidence, dataset, import."""
        from rdflib import URIRef

        from ..find import Index, find_release
        from ..rules import trace as tr

        db = open_cli_store(store, read_only=True)
        with activity(f"finding {release!r}") as note:
            entry, found = find_release(Index.from_store(db), release)
            if found.level == "loose":
                err_console.print(f"{release!r}: taking {entry.label} ({entry.slug}), the closest name",
                                  highlight=False, markup=False)
            note("tracing")
            chain = tr.trace(db, URIRef(entry.iri), framework)
        if not chain:
            fail(f"no stored assessment for {entry.label} ({entry.iri})"
                 f"{' under ' + framework if framework else ''}: a release with no claims under a "
                 "framework has no verdict")
        render = {"text": tr.render_text, "json": tr.render_json, "turtle": tr.render_turtle}[format.value]
        typer.echo(render(chain))

    @app.command()
    @cli_errors
    def disagreements(as_of: AsOfOpt = None, format: TableFormatOpt = TableFormat.table,
                      all_placements: Annotated[bool, typer.Option(
                          "--all", help="also list the report's placements that agree with the computed tier"
                      )] = False,
                      kind: Annotated[Kind | None,
                                       typer.Option("--kind", help="criterion | placement | verdict")]
                      = None,
                      release: Annotated[str | None, typer.Option(
                          "--release", help="only this release (label, alias, slug, Hugging Face id or IRI)")]
                      = None,
                      store: StoreOption = None) -> None:
        """Criteria where claimants disagree, and the report's placements against the computed tier."""
        from ..find import Index, find_release
        from ..rules.disagreements import disagreements as run

        db = open_cli_store(store, read_only=True)
        with activity("finding disagreements") as note:
            iri = None
            if release is not None:
                iri = find_release(Index.from_store(db), release)[0].iri
                note(f"about {iri}")
            rows = [d.flat() for d in run(db, as_of=as_of, include_agreeing=all_placements,
                                          kind=kind.value if kind else None, release=iri)]
            shown = disagreements_table(db, rows) if format is TableFormat.table else rows
        _emit(shown, format.value, "disagreements")

    @app.command()
    @cli_errors
    def openwashing(as_of: AsOfOpt = None, format: TableFormatOpt = TableFormat.table,
                    open_access: Annotated[bool, typer.Option(
                        "--open-access",
                        help="also list releases labelled open-access (code and weights, no data)")] = False,
                    store: StoreOption = None) -> None:
        """Releases whose developer calls them open source while the computed verdicts fall short."""
        from ..rules.openwashing import openwashing as run

        db = open_cli_store(store, read_only=True)
        with activity("finding open-washing"):
            rows = [r.flat() for r in run(db, as_of=as_of, open_access=open_access)]
            shown = openwashing_table(db, rows) if format is TableFormat.table else rows
        _emit(shown, format.value, "open-washing")

    @app.command()
    @cli_errors
    def diff(date_from: Annotated[str, typer.Option(
                 "--from", callback=lambda v: parse_date(v, "--from"), help="earlier date (YYYY-MM-DD)")],
             date_to: Annotated[str, typer.Option(
                 "--to", callback=lambda v: parse_date(v, "--to"), help="later date (YYYY-MM-DD)")],
             framework: Annotated[list[str] | None, typer.Option(
                 "--framework", "-f", callback=_frameworks, help=_FRAMEWORKS_HELP)] = None,
             format: TableFormatOpt = TableFormat.table,
             store: StoreOption = None) -> None:
        """Verdicts that changed between two as-of dates, with the claims that differ."""
        from ..rules.diff import diff as run

        db = open_cli_store(store, read_only=True)
        with activity(f"comparing {date_from} with {date_to}"):
            rows = [c.flat() for c in run(db, date_from, date_to, framework)]
        _emit(rows, format.value, f"verdicts changed {date_from} -> {date_to}")
