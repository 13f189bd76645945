"""The JSON API under ``/api``: releases with their verdicts, their history and their trace, and
``POST /api/claims`` for submitting claim batches.

Every answer has a pydantic model, so ``/openapi.json`` documents it and schemathesis can check
that the server never answers 5xx. Reads come from :mod:`.views` (the same queries as the pages),
under the same queue, deadline and timeout as the pages (:mod:`.guard`); writes go through the write
gate (:func:`openness.gate.commit`), the same SHACL-validated, all-or-nothing path as the CLI, with
the service's one authorization check (:mod:`.auth`).
"""

from __future__ import annotations

import hashlib
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Literal

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi import Path as PathParam
from fastapi.responses import JSONResponse
from openness import derive, formats
from openness.gate import Change
from openness.ingest import Batch, IngestError, ReadError, read_file
from openness.ingest.batch import file_graph_iri
from openness.ingest.limits import MAX_API_BATCH_BYTES
from openness.namespaces import OG
from openness.store import StoreError
from pydantic import BaseModel, Field
from rdflib.namespace import RDF

from . import views
from .auth import Denied, check_write
from .guard import LIMIT_RESPONSES, limited

router = APIRouter(prefix="/api", tags=["releases"])

#: The framework keys (each framework's skos:notation in the ontology, openness.derive.frameworks).
if TYPE_CHECKING:
    FrameworkName = str
else:  # a Literal of the keys known at import, from the ontology: FastAPI validates and documents them
    FrameworkName = Literal[tuple(derive.frameworks())]
ReleaseId = Annotated[
    str,
    PathParam(
        pattern=r"^[A-Za-z0-9][A-Za-z0-9._~-]{0,199}$",
        description="the release's slug: the part of its IRI after `id/release/`",
        examples=["llama-2-70b"],
    ),
]


# --------------------------------------------------------------------------- response models


class Link(BaseModel):
    iri: str
    label: str


class Verdict(BaseModel):
    """One framework's verdict on a release, as an assessment recorded it."""

    framework: str = Field(description="framework IRI (a concept of og:FrameworkScheme)")
    framework_label: str
    verdict: str | None = Field(None, description="verdict concept IRI, e.g. og:Tier2")
    verdict_label: str | None = None
    reason: str | None = Field(None, description="the rule's one-sentence reason for the verdict (og:reason)")
    assessed_on: str | None = None
    as_of: str | None = None
    tier_min: int | None = None
    tier_max: int | None = None
    score: float | None = None
    missing_criteria: list[str] = Field(default_factory=list)
    assessment: str | None = Field(None, description="IRI of the og:Assessment node")
    rule_file: str | None = None


class ReleaseSummary(BaseModel):
    id: str = Field(description="slug used in /api/releases/{id}")
    iri: str
    label: str
    page: str = Field(description="path of the release's HTML page on this server")
    model: Link | None = None
    developers: list[Link] = Field(default_factory=list)
    release_date: str | None = None
    licenses: list[Link] = Field(default_factory=list)
    spectrum_tier: int | None = Field(
        None, description="computed spectrum tier (1 = most open); null = not assessed, or a range "
        "that depends on unknown criteria (see the spectrum verdict's tier_min / tier_max)"
    )
    placement_tier: int | None = Field(None, description="tier a source (e.g. the report) places it in")
    verdicts: list[Verdict] = Field(default_factory=list)


class ReleaseList(BaseModel):
    total: int = Field(description="number of releases matching the filters")
    limit: int
    offset: int
    items: list[ReleaseSummary]


class CriterionStatus(BaseModel):
    criterion: Link
    scheme: str
    statuses: list[str] = Field(description="distinct statuses current claims give")
    disagreement: bool = Field(description="claimants disagree: the criterion's combined status is "
                               "og:contested (derived:combined)")
    claims: int


class ReleaseDetail(ReleaseSummary):
    alt_labels: list[str] = Field(default_factory=list)
    claim_count: int
    criteria: list[CriterionStatus]


class AssessmentHistory(BaseModel):
    release: str
    assessments: list[Verdict] = Field(description="every assessment, newest first within a framework")


class TraceClaim(BaseModel):
    role: str = Field(description='"used" or "set aside"')
    claim: str
    about: str
    criterion: Link
    status: str
    claimant: Link | None = None
    asserted_on: str | None = None
    source: str | None = None
    quote: str | None = None


class TraceEntry(BaseModel):
    verdict: Verdict
    claims: list[TraceClaim]


class Trace(BaseModel):
    release: str
    verdicts: list[TraceEntry] = Field(
        description="the latest verdict per framework and the claims behind it"
    )


class ClaimsAdded(BaseModel):
    graphs: list[str] = Field(description="named graphs written (one per batch)")
    triples: int
    claims: list[str] = Field(description="IRIs of the claims in the batch")
    warnings: int


class ShaclResult(BaseModel):
    focus_node: str
    path: str | None = None
    value: str | None = None
    message: str
    severity: str
    location: str | None = None


class ShaclReport(BaseModel):
    conforms: bool
    violations: int
    results: list[ShaclResult]
    text: str


class Problem(BaseModel):
    detail: str


# --------------------------------------------------------------------------- helpers


FRAMEWORK_LABELS = {str(fw): label for fw, label in views.FRAMEWORKS}


def verdict_model(a: dict[str, Any]) -> Verdict:
    return Verdict(
        framework=a["framework"] or "",
        framework_label=FRAMEWORK_LABELS.get(a["framework"] or "", views.local_name(a["framework"] or "")),
        verdict=a["verdict"],
        verdict_label=a["verdict_label"],
        reason=a.get("reason") or None,
        assessed_on=a["assessed_on"] or None,
        as_of=a.get("as_of"),
        tier_min=a.get("tier_min"),
        tier_max=a.get("tier_max"),
        score=a.get("score"),
        missing_criteria=a.get("missing", []),
        assessment=a.get("assessment"),
        rule_file=a.get("rule_file"),
    )


def summary_model(row: views.ReleaseRow, names: dict[str, str], mapper: views.IriMapper) -> ReleaseSummary:
    rest = mapper.local_rest(row.iri) or row.iri
    return ReleaseSummary(
        id=rest.removeprefix("release/"),
        iri=row.iri,
        label=row.label,
        page=mapper.href(row.iri),
        model=Link(iri=row.model, label=names.get(row.model, views.local_name(row.model)))
        if row.model
        else None,
        developers=[Link(iri=d, label=names.get(d, views.local_name(d))) for d in row.developers],
        release_date=row.date,
        licenses=[Link(iri=lic, label=names.get(lic, views.local_name(lic))) for lic in row.licenses],
        spectrum_tier=views.spectrum_tier(row),
        placement_tier=views.tier_number(row.placement),
        verdicts=[
            verdict_model(row.verdicts[str(fw)]) for fw, _ in views.FRAMEWORKS if str(fw) in row.verdicts
        ],
    )


def matches(
    row: views.ReleaseRow,
    names: dict[str, str],
    *,
    q: str | None,
    framework: str | None,
    verdict: str | None,
    organization: str | None,
    license_: str | None,
) -> bool:
    """The list filters; text filters match an IRI, its local name or its label, case-insensitively."""

    def hit(needle: str, iris: list[str], *, exact: bool = False) -> bool:
        n = needle.casefold()
        for iri in iris:
            texts = {iri.casefold(), views.local_name(iri).casefold(), names.get(iri, "").casefold()}
            if (n in texts) if exact else any(n in t for t in texts if t):
                return True
        return False

    if q and not (
        q.casefold() in row.label.casefold() or any(q.casefold() in a.casefold() for a in row.alt_labels)
    ):
        return False
    if organization and not hit(organization, row.developers):
        return False
    if license_ and not hit(license_, row.licenses):
        return False
    if framework or verdict:
        fws = [str(views.FRAMEWORK_SLUGS[framework])] if framework else list(row.verdicts)
        found = False
        for fw in fws:
            v = row.verdicts.get(fw)
            if v is None:
                continue
            if not verdict:
                found = True
                break
            candidates = [x for x in (v["verdict"], v["verdict_label"]) if x]
            tier = views.tier_number(v["verdict"])
            if hit(verdict, candidates, exact=True) or (
                tier is not None and verdict.strip() in (str(tier), f"tier{tier}")
            ):
                found = True
                break
        if not found:
            return False
    return True


def find_release(request: Request, release_id: str) -> tuple[Any, views.IriMapper, str]:
    store = views.get_store(request)
    mapper = views.IriMapper(views.base_iri(request))
    iri = mapper.iri_for(f"release/{release_id}")
    if not store.ask(f"ASK {{ <{views.check_iri(iri)}> a <{OG.ModelRelease}> }}"):
        raise HTTPException(status_code=404, detail=f"no release {release_id!r} (IRI {iri}) in this graph")
    return store, mapper, iri


BUSY = {code: {"model": Problem, **entry} for code, entry in LIMIT_RESPONSES.items()}
NOT_FOUND = {404: {"model": Problem, "description": "no such release"}, **BUSY}


# --------------------------------------------------------------------------- routes


@router.get("/releases", response_model=ReleaseList, summary="List and search releases", responses=BUSY)
@limited
def list_releases(
    request: Request,
    q: Annotated[
        str | None, Query(max_length=200, description="text in the release's name or other names")
    ] = None,
    framework: Annotated[
        FrameworkName | None, Query(description="only releases assessed under this framework")
    ] = None,
    verdict: Annotated[
        str | None,
        Query(max_length=200, description="verdict IRI, local name or label (e.g. Tier2, `tier 2`, 2)"),
    ] = None,
    organization: Annotated[
        str | None, Query(max_length=200, description="developer IRI, slug or name")
    ] = None,
    license: Annotated[str | None, Query(max_length=200, description="license IRI, SPDX id or name")] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
) -> ReleaseList:
    store = views.get_store(request)
    mapper = views.IriMapper(views.base_iri(request))
    rows = views.all_releases(store)
    iris = {i for r in rows for i in (*r.developers, *r.licenses, *([r.model] if r.model else []))}
    iris |= {v["verdict"] for r in rows for v in r.verdicts.values() if v["verdict"]}
    names = views.labels(store, iris)
    hits = [
        r
        for r in rows
        if matches(
            r, names, q=q, framework=framework, verdict=verdict, organization=organization, license_=license
        )
    ]
    page = hits[offset : offset + limit]
    return ReleaseList(
        total=len(hits), limit=limit, offset=offset, items=[summary_model(r, names, mapper) for r in page]
    )


@router.get(
    "/releases/{release_id}",
    response_model=ReleaseDetail,
    responses=NOT_FOUND,
    summary="One release with its verdicts and its criteria",
)
@limited
def get_release(request: Request, release_id: ReleaseId) -> ReleaseDetail:
    store, mapper, iri = find_release(request, release_id)
    row = next((r for r in views.all_releases(store, only=iri) if r.iri == iri), None)
    if row is None:  # typed a release but listed by no query: keep the answer well-formed
        row = views.ReleaseRow(
            iri=iri,
            label=views.local_name(iri),
            model=None,
            date=None,
            developers=[],
            licenses=[],
            alt_labels=[],
        )
    claims = views.claims_by_criterion(store, iri, mapper)
    names = {
        **claims["names"],
        **views.labels(store, {*row.developers, *row.licenses, *([row.model] if row.model else [])}),
    }
    summary = summary_model(row, names, mapper)
    criteria = [
        CriterionStatus(
            criterion=Link(iri=c["criterion"], label=c["label"]),
            scheme=s["key"],
            statuses=c["statuses"],
            disagreement=c["disagreement"],
            claims=len(c["claims"]),
        )
        for s in claims["schemes"]
        for c in s["criteria"]
    ]
    return ReleaseDetail(
        **summary.model_dump(), alt_labels=row.alt_labels, claim_count=claims["count"], criteria=criteria
    )


@router.get(
    "/releases/{release_id}/assessments",
    response_model=AssessmentHistory,
    responses=NOT_FOUND,
    summary="A release's assessments over time",
)
@limited
def release_assessments(request: Request, release_id: ReleaseId) -> AssessmentHistory:
    store, _, iri = find_release(request, release_id)
    return AssessmentHistory(
        release=iri, assessments=[verdict_model(a) for a in views.release_assessments(store, iri)]
    )


@router.get(
    "/releases/{release_id}/trace",
    response_model=Trace,
    responses=NOT_FOUND,
    summary="The claims behind each of a release's latest verdicts",
)
@limited
def release_trace(request: Request, release_id: ReleaseId) -> Trace:
    store, _, iri = find_release(request, release_id)
    latest: dict[str, dict[str, Any]] = {}
    for a in views.release_assessments(store, iri):
        if a["framework"] not in latest or a["assessed_on"] > latest[a["framework"]]["assessed_on"]:
            latest[a["framework"]] = a
    traces = views.trace(store, [a["assessment"] for a in latest.values() if a["assessment"]])
    iris = {x for t in traces.values() for c in t for x in (c["criterion"], c["claimant"]) if x}
    names = views.labels(store, iris)
    entries = []
    for a in latest.values():
        claims = [
            TraceClaim(
                role=c["role"],
                claim=c["claim"],
                about=c["about"],
                criterion=Link(iri=c["criterion"], label=names.get(c["criterion"], c["criterion"])),
                status=c["status"],
                claimant=Link(iri=c["claimant"], label=names.get(c["claimant"], c["claimant"]))
                if c["claimant"]
                else None,
                asserted_on=c["asserted_on"],
                source=c["source"],
                quote=c["quote"],
            )
            for c in traces.get(a["assessment"] or "", [])
        ]
        entries.append(TraceEntry(verdict=verdict_model(a), claims=claims))
    return Trace(release=iri, verdicts=entries)


# --------------------------------------------------------------------------- writing

#: Accepted claim batch media types → the file suffix openness.ingest reads them by.
CLAIM_MEDIA = {
    formats.JSON_LD: ".jsonld",
    formats.JSON: ".json",
    **{media: ".yaml" for media in formats.YAML_TYPES},
    formats.TURTLE: ".ttl",
}
MAX_BATCH_BYTES = MAX_API_BATCH_BYTES  # every input limit lives in openness.ingest.limits


def check_token(request: Request) -> None:
    """The service's one authorization check, as this API's JSON errors (401 / 403)."""
    try:
        check_write(request)
    except Denied as err:
        raise HTTPException(status_code=err.status, detail=str(err), headers=err.headers or None) from None


@router.post(
    "/claims",
    status_code=201,
    response_model=ClaimsAdded,
    tags=["claims"],
    summary="Submit a claim batch (validated with SHACL; all or nothing)",
    responses={
        400: {"model": Problem, "description": "the body cannot be read"},
        401: {"model": Problem, "description": "missing or wrong Bearer token"},
        403: {"model": Problem, "description": "writing is disabled"},
        413: {"model": Problem, "description": "batch too large"},
        415: {"model": Problem, "description": "unsupported media type"},
        422: {"model": ShaclReport, "description": "the batch violates the shapes; nothing was written"},
        429: {"model": Problem, "description": "busy: the write could not start within the queue deadline"},
        500: {"model": Problem, "description": "the store refused the write; nothing was written"},
    },
    openapi_extra={
        "security": [{"updateToken": []}],
        "requestBody": {
            "required": True,
            "content": {
                m: {"schema": {"type": "object"} if "json" in m else {"type": "string"}} for m in CLAIM_MEDIA
            },
        }
    },
)
async def post_claims(request: Request) -> Any:
    check_token(request)
    media = (request.headers.get("content-type") or "").split(";")[0].strip().lower()
    suffix = CLAIM_MEDIA.get(media)
    if suffix is None:
        raise HTTPException(status_code=415, detail=f"send the batch as one of: {', '.join(CLAIM_MEDIA)}")
    received = bytearray()
    async for chunk in request.stream():  # stop at the limit, never hold a bigger body
        received += chunk
        if len(received) > MAX_BATCH_BYTES:
            raise HTTPException(
                status_code=413, detail=f"batch over the size limit of {MAX_BATCH_BYTES:,} bytes; split it"
            )
    body = bytes(received)
    if not body.strip():
        raise HTTPException(status_code=400, detail="empty body: send a claim batch")
    service = request.app.state.service
    from .scheduler import Busy

    try:
        batch, claims = await service.read(request, read_body_batch, body, suffix)
        change = Change(batches=[batch], label=f"POST /api/claims {batch.source_label}")
        commit = await service.commit(request, change)
    except Busy as err:
        raise HTTPException(status_code=429, detail=str(err),
                            headers={"Retry-After": str(err.retry_after)}) from None
    except IngestError as err:
        return shacl_problem(err)
    except ValueError as err:
        raise HTTPException(status_code=400, detail=str(err)) from err
    except StoreError as err:
        raise HTTPException(status_code=500,
                            detail=f"the store refused the write; nothing was written: {err}") from err
    report = commit.ingest
    return ClaimsAdded(
        graphs=[b.graph for b in report.batches],
        triples=sum(b.triples for b in report.batches),
        claims=claims,
        warnings=report.warnings,
    )


def read_body_batch(body: bytes, suffix: str) -> tuple[Batch, list[str]]:
    """Read the body as a claim file (the bounded, offline readers) into one batch named after its
    content hash, and the IRIs of its claims. Raises HTTPException 400 when it cannot be read."""
    name = f"api-claims-{hashlib.sha256(body).hexdigest()[:16]}{suffix}"
    with tempfile.TemporaryDirectory(prefix="openness-api-") as tmp:
        path = Path(tmp) / name
        path.write_bytes(body)
        try:
            parsed = read_file(path)
        except (ReadError, ValueError, UnicodeDecodeError) as err:
            raise HTTPException(status_code=400, detail=str(err).replace(str(path), name)) from err
    if len(parsed.graph) == 0:
        raise HTTPException(status_code=400, detail="the batch holds no triples")
    batch = Batch(file_graph_iri(Path(name)), parsed.graph, name, parsed.sha256, None, parsed.locate)
    return batch, sorted(str(s) for s in parsed.graph.subjects(RDF.type, OG.Claim))


def shacl_problem(err: IngestError) -> JSONResponse:
    """422 with the validation report of a refused batch (nothing was written)."""
    rep = err.report
    return JSONResponse(
        status_code=422,
        content=ShaclReport(
            conforms=False,
            violations=len(rep.violations),
            results=[
                ShaclResult(
                    focus_node=r.focus_node,
                    path=r.path,
                    value=r.value,
                    message=r.message,
                    severity=r.severity,
                    location=r.location,
                )
                for r in rep.results
            ],
            text=rep.to_text(limit=100),
        ).model_dump(),
    )
