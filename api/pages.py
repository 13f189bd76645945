"""HTML pages made to be read: home (the verdict distributions as charts), release, model,
organization, any other resource, the ontology namespaces, the query page (YASGUI with a Vega-Lite
chart view) and the API documentation (Swagger UI).

The data comes from stored verdicts and derived graphs only, through :mod:`.views` and
:mod:`.release_view` (no rule runs for a page); the charts are :mod:`openness.analysis.charts`'.
The markup lives in ``api/templates/``; the CSS, YASGUI, Vega-Lite and Swagger UI in
``api/static/`` (vendored with their licenses) — nothing is loaded from another site.
"""

from __future__ import annotations

import mimetypes
import threading
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import FileResponse, HTMLResponse, Response
from fastapi.templating import Jinja2Templates
from openness import derive, formats
from openness.analysis import charts
from openness.analysis.tables import verdict_table
from openness.namespaces import OG, project_prefixes
from openness.resources import queries_dir

from . import release_view, views
from .guard import limited

HERE = Path(__file__).resolve().parent
STATIC = HERE / "static"
templates = Jinja2Templates(directory=str(HERE / "templates"))
router = APIRouter(include_in_schema=False)

TYPE_NAMES = {
    str(OG.ModelRelease): "Model release",
    str(OG.Model): "Model",
    str(OG.Organization): "Organization",
    str(OG.Person): "Person",
    str(OG.SoftwareAgent): "Software agent",
    str(OG.Claim): "Claim",
    str(OG.Evidence): "Evidence",
    str(OG.Assessment): "Assessment",
    str(OG.Component): "Component",
    str(OG.License): "License",
    str(OG.CustomLicense): "Custom license",
}
AGENT_TYPES = {
    str(OG.Organization),
    str(OG.Person),
    str(OG.SoftwareAgent),
    "http://www.w3.org/ns/prov#Organization",
    "http://www.w3.org/ns/prov#Agent",
    "http://xmlns.com/foaf/0.1/Organization",
    "http://www.w3.org/ns/prov#Person",
}


def render(request: Request, template: str, status_code: int = 200, **context: Any) -> HTMLResponse:
    """Render a template with what every page needs (the IRI mapper for local links)."""
    mapper = views.IriMapper(views.base_iri(request))
    context.setdefault("title", "openness-graph")
    return templates.TemplateResponse(
        request,
        template,
        {
            "mapper": mapper,
            "OG": str(OG),
            "status_css": {str(k): v for k, v in views.STATUS_CSS.items()},
            **context,
        },
        status_code=status_code,
    )


# --------------------------------------------------------------------------- static files


@router.get("/static/{path:path}")
def static(path: str) -> Response:
    """The bundled CSS and YASGUI; never a path outside ``api/static``."""
    target = (STATIC / path).resolve()
    if not target.is_file() or STATIC.resolve() not in target.parents:
        raise HTTPException(status_code=404, detail="no such static file")
    media = mimetypes.guess_type(target.name)[0] or formats.OCTETS
    return FileResponse(target, media_type=media, headers={"Cache-Control": "public, max-age=3600"})


# --------------------------------------------------------------------------- home


@router.get("/", response_class=HTMLResponse)
@limited
def home(request: Request, q: str | None = Query(None, max_length=200)) -> HTMLResponse:
    store = views.get_store(request)
    data = views.overview(store)
    releases = data["releases"]
    if q:
        needle = q.casefold()
        releases = [
            r
            for r in releases
            if needle in r.label.casefold() or any(needle in a.casefold() for a in r.alt_labels)
        ]
    iris = {d for r in releases for d in r.developers} | {r.model for r in releases if r.model}
    iris |= {fw for fw, _ in views.FRAMEWORKS} | set(data["per_framework"])
    names = views.labels(store, iris)
    return render(
        request,
        "home.html",
        title="openness-graph — how open are AI models?",
        data=data,
        releases=releases,
        q=q or "",
        names=names,
        charts=home_charts(data["per_framework"]),
        frameworks=views.FRAMEWORKS,
        spectrum=views.TIER_FRAMEWORK,
        tier_number=views.tier_number,
    )


# --------------------------------------------------------------------------- charts

#: The home page's charts, one per framework of the ontology (openness.derive.frameworks(), in
#: display order), named by its key: name → (framework IRI, caption, figure of a verdict table).
#: The figure is the one its result kind draws (openness.analysis.charts.figure_framework:
#: matplotlib, server-side SVG), all drawn from one verdict table.
CHARTS: dict[str, tuple[str, str, Callable[[Any], Any]]] = {
    key: (str(fw.iri), f"{fw.label[:1].upper() + fw.label[1:]}: releases per {fw.kind_label}",
          partial(charts.figure_framework, framework=key))
    for key, fw in derive.frameworks().items()
}
#: Charts whose verdicts are too many to list as numbers (a score: one verdict per score).
HISTOGRAMS = {key for key, fw in derive.frameworks().items() if fw.kind == OG.ScoreResult}
#: Charts drawn taller: a bar per tier and a bar of ranges.
TALL = {key for key, fw in derive.frameworks().items() if fw.kind == OG.TierResult}
_chart_table_lock = threading.Lock()


def home_charts(per_framework: dict[str, dict[str, int]]) -> list[dict[str, Any]]:
    """What the home page says about each chart: its name, caption, alt text and the numbers."""
    out = []
    for name, (framework, caption, _figure) in CHARTS.items():
        counts = [] if name in HISTOGRAMS else list(per_framework.get(framework, {}).items())
        alt = caption + (": " + "; ".join(f"{label} {n}" for label, n in counts) if counts else "")
        out.append({"name": name, "caption": caption, "alt": alt, "height": 450 if name in TALL else 360,
                    "counts": counts})
    return out


def chart_table(request: Request) -> Any:
    """The verdict table (openness.analysis.tables.verdict_table) of the current generation, read
    once for all the charts of a generation (1.5 s on the built corpus)."""
    state = request.app.state
    generation = request.app.state.service.generation
    with _chart_table_lock:
        kept = getattr(state, "chart_table", None)
        if kept is None or kept[0] != generation:
            kept = (generation, verdict_table(views.get_store(request)))
            state.chart_table = kept
    return kept[1]


@router.get("/charts/{name}.svg")
@limited
def chart(request: Request, name: str) -> Response:
    """One home-page chart as SVG, drawn from the stored verdicts (kept until the next commit)."""
    if name not in CHARTS:
        raise HTTPException(status_code=404, detail=f"no chart {name!r}; charts: {', '.join(CHARTS)}")
    svg = charts.render(CHARTS[name][2](chart_table(request)), "svg")
    return Response(svg, media_type=formats.SVG, headers={"Cache-Control": "no-cache"})


# --------------------------------------------------------------------------- data pages


@router.get("/page/{rest:path}", response_class=HTMLResponse)
@limited
def page(request: Request, rest: str) -> HTMLResponse:
    """The HTML page about one minted IRI, laid out for what the thing is."""
    store = views.get_store(request)
    mapper = views.IriMapper(views.base_iri(request))
    iri = mapper.iri_for(rest)
    if not views.exists(store, iri):
        return render(request, "not_found.html", status_code=404, title="Not found", iri=iri)
    types = views.types(store, iri)
    if types & {str(OG.ModelRelease), str(OG.Model)}:
        # the derived layer's nodes about a release have sections of their own on its page
        graph = views.describe(store, iri, sources_only=True)
        page_of = release_page if str(OG.ModelRelease) in types else model_page
        return page_of(request, store, graph, iri, mapper)
    graph = views.describe(store, iri)
    types = views.types_of(graph, iri)
    if types & AGENT_TYPES:
        return agent_page(request, store, graph, iri, mapper)
    return generic_page(request, store, graph, iri, mapper)


def release_page(request: Request, store, graph, iri: str, mapper: views.IriMapper) -> HTMLResponse:
    """A release as people compare it with MOT and the Index (:mod:`.release_view`): the reason of
    every verdict first, MOF class progress, the Index's dimensions in one table, the claimants
    side by side where they disagree, then the other claims with their evidence."""
    table = views.property_table(store, graph, iri, mapper)
    verdicts = release_view.release_verdicts(store, iri)
    claims = views.release_claims(store, iri, mapper)
    found = release_view.positions(store, iri)
    contested = {crit for crit, c in found.items() if c["contested"]}
    grouped = views.claims_by_criterion(store, iri, mapper, claims=claims, contested=contested,
                                        leave_out=("osai",))
    # sections by result kind: the scored criteria by group, the class progress, the tier
    kinds = (OG.ScoreResult, OG.ClassResult, OG.TierResult)
    scored, classed, tiered = (views.framework_of_kind(k) for k in kinds)
    index = release_view.index_table(found, claims, verdicts.get(scored) if scored else None)
    mof = release_view.mof_view(verdicts.get(classed) if classed else None, store, iri)
    disagreements = release_view.disagreements(found)
    iris = {fw for fw, _ in views.FRAMEWORKS} | {v["verdict"] for v in verdicts.values() if v["verdict"]}
    iris |= {x for v in verdicts.values() for x in (*v["missing"], *v["contested"])}
    iris |= {x for v in verdicts.values() for pair in v["attributes"] for x in pair}
    iris |= {g["group"] for v in verdicts.values() for g in v["groups"]}
    iris |= {x for crit, c in found.items() for x in (crit, *c["claimants"], *c["possible"])}
    iris |= {p["status"] for c in found.values() for p in c["claimants"].values()}
    if mof:
        iris |= {x for cls in mof["classes"] for comp in cls["components"]
                 for x in (comp["criterion"], *comp["licenses"], *comp["statuses"])}
        iris |= {cls["concept"] for cls in mof["classes"] if cls["concept"]}
    if index:
        iris |= {r["criterion"] for r in index["rows"]} | {r["group"] for r in index["rows"] if r["group"]}
    names = {**table["names"], **grouped["names"], **views.labels(store, iris)}
    spectrum = verdicts.get(tiered) if tiered else None
    return render(
        request,
        "release.html",
        title=f"{table['label']} — openness",
        iri=iri,
        table=table,
        claims=grouped,
        names=names,
        spectrum=spectrum,
        latest=verdicts,
        mof=mof,
        index=index,
        disagreements=disagreements,
        definition=release_view.definition,
        frameworks=views.FRAMEWORKS,
        tier_number=views.tier_number,
    )


def model_page(request: Request, store, graph, iri: str, mapper: views.IriMapper) -> HTMLResponse:
    """A model with its releases grouped under it, each with every verdict and its reason."""
    table = views.property_table(store, graph, iri, mapper)
    releases = release_view.model_releases(store, iri)
    iris = {fw for fw, _ in views.FRAMEWORKS}
    names = {**table["names"], **views.labels(store, iris)}
    return render(
        request,
        "model.html",
        title=f"{table['label']} — model",
        iri=iri,
        table=table,
        releases=releases,
        names=names,
        frameworks=views.FRAMEWORKS,
        tier_number=views.tier_number,
    )


def agent_page(request: Request, store, graph, iri: str, mapper: views.IriMapper) -> HTMLResponse:
    table = views.property_table(store, graph, iri, mapper)
    developed = [
        {
            "iri": str(r["thing"]),
            "type": TYPE_NAMES.get(str(r.get("type", "")), "Resource"),
            "label": str(r.get("label") or views.local_name(str(r["thing"]))),
            "date": str(r["date"]) if "date" in r else None,
        }
        for r in views.run_select(store, "agent-developed", agent=iri)
    ]
    claims = [
        {"status": str(r["status"]), "claims": int(r["claims"]), "subjects": int(r["subjects"])}
        for r in views.run_select(store, "agent-claims", agent=iri)
    ]
    datasets = [
        {
            "iri": str(r["dataset"]),
            "version": str(r["version"]) if "version" in r else None,
            "issued": str(r["issued"]) if "issued" in r else None,
        }
        for r in views.run_select(store, "agent-datasets", agent=iri)
    ]
    names = {
        **table["names"],
        **views.labels(store, {str(c["status"]) for c in claims} | {str(d["iri"]) for d in datasets}),
    }
    return render(
        request,
        "agent.html",
        title=f"{table['label']} — organization",
        iri=iri,
        table=table,
        developed=developed,
        claims=claims,
        datasets=datasets,
        names=names,
    )


def generic_page(request: Request, store, graph, iri: str, mapper: views.IriMapper) -> HTMLResponse:
    return _resource_page(request, store, graph, iri, mapper, local=True)


def render_resource(request: Request, iri: str) -> HTMLResponse:
    """The page of an IRI outside our base (SPDX license, evidence URL): its triples, a link out."""
    store = views.get_store(request)
    mapper = views.IriMapper(views.base_iri(request))
    return _resource_page(request, store, views.describe(store, iri), iri, mapper, local=False)


def _resource_page(request: Request, store, graph, iri: str, mapper: views.IriMapper, *,
                   local: bool) -> HTMLResponse:
    """A property table of any resource, ours (``local``) or one we only link to."""
    table = views.property_table(store, graph, iri, mapper)
    kinds = [TYPE_NAMES[t] for t in sorted(views.types_of(graph, iri)) if t in TYPE_NAMES]
    return render(
        request,
        "resource.html",
        title=table["label"],
        iri=iri,
        table=table,
        kind=", ".join(kinds),
        local=local,
    )


def render_namespace(request: Request, ns: str) -> HTMLResponse:
    terms = views.ontology_terms(ns)
    store = views.get_store(request)
    names = views.labels(store, {t for term in terms for t in term["types"]})
    return render(
        request,
        "namespace.html",
        title=f"{views.ONTOLOGY_NAMESPACES[ns]} — vocabulary",
        ns=ns,
        namespace=views.ONTOLOGY_NAMESPACES[ns],
        terms=terms,
        names=names,
    )


# --------------------------------------------------------------------------- query page


def example_queries() -> list[dict[str, str]]:
    """The shipped example queries (``queries/examples/*.rq``, in the order of their ``# order:``
    line, then by name), each titled by its ``# title:`` line (else its first comment line) and
    described by its ``# description:`` line. The first one is the query page's preselected
    example. Each answers within a second on the built corpus (``tests/test_api_pages_query.py``
    times them there)."""
    out = []
    for folder in (queries_dir() / "examples",):
        files = sorted(folder.glob("*.rq"), key=query_order) if folder.is_dir() else []
        for path in files:
            text = path.read_text(encoding="utf-8")
            if views.PARAM in text:
                continue  # needs a parameter: not runnable as it is
            out.append({"title": query_title(text, path.stem), "query": text,
                        "description": query_field(text, "description") or "",
                        "file": f"{folder.name}/{path.name}"})
    return out


def query_order(path: Path) -> tuple[int, str]:
    """Sort key of an example file: its ``# order:`` number (else after the numbered ones), its name."""
    order = query_field(path.read_text(encoding="utf-8"), "order")
    return (int(order) if order and order.isdigit() else 1_000, path.name)


def query_field(text: str, name: str) -> str | None:
    """The value of a ``# name: value`` line in a query's leading comments, if any."""
    for line in text.splitlines():
        line = line.strip()
        if not line.startswith("#"):
            if line:
                break
            continue
        body = line.lstrip("#").strip()
        if body.lower().startswith(name + ":"):
            return body[len(name) + 1 :].strip()
    return None


def query_title(text: str, fallback: str) -> str:
    """A query's ``# title:`` line, else its first comment line, else its file name."""
    title = query_field(text, "title")
    if title:
        return title
    for line in text.splitlines():
        line = line.strip()
        if not line.startswith("#"):
            if line:
                break
            continue
        body = line.lstrip("#").strip()
        if body:
            return body
    return fallback.replace("-", " ")


@router.get("/query", response_class=HTMLResponse)
def query_page(request: Request) -> HTMLResponse:
    """YASGUI on ``/sparql`` with the example queries, the predeclared prefixes and a chart view;
    a ``?query=`` link (YASGUI's share link) opens with that query."""
    return render(
        request,
        "query.html",
        title="Query the graph (SPARQL)",
        examples=example_queries(),
        prefixes=project_prefixes(),
    )


# --------------------------------------------------------------------------- API documentation


@router.get("/docs", response_class=HTMLResponse)
def api_docs(request: Request) -> HTMLResponse:
    """FastAPI's Swagger UI with its script, style and icon served from ``/static/vendor/swagger-ui``
    (bundled with its license), so the page works offline."""
    return get_swagger_ui_html(
        openapi_url=request.app.openapi_url or "/openapi.json",
        title=f"{request.app.title} — JSON API",
        swagger_js_url="/static/vendor/swagger-ui/swagger-ui-bundle.js",
        swagger_css_url="/static/vendor/swagger-ui/swagger-ui.css",
        swagger_favicon_url="/static/vendor/swagger-ui/favicon-32x32.png",
    )
