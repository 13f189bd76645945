"""Importer for Current AI's "AI Stack Map" (currentai-org/os-ai-map): model products and their scores.

Only products of ``type: model`` are records of this importer (the map's other 210 products are
software and datasets). For each model, claims of the map (criteria and the status mappings in
``ontology/schemes/sources-osmap.ttl``, kept in Python in the tables below): the openness score,
the openness class (with the license the components note names as ``og:claimedLicense``), and the
weights / code / data statuses of its components note. Every claim cites each of the score's
``sources:`` entries as evidence (``url``, ``shows`` as locator, ``accessed`` as retrieval date) with
the score's note as the quote. The developer comes from the organization roster that lists the product.

Bad input: a product without a score file, or with a score, class or component word not in the
tables, is skipped and reported (file, product, reason); a folder without ``sources/products`` is
refused (:class:`ImportError_`).
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

from rdflib import URIRef

from .. import mint
from ..claims import ClaimSpec, EvidenceSpec, add_claim
from ..namespaces import OG, OSMAP
from .base import (
    ImportError_,
    ImportReport,
    ImportResult,
    Records,
    SourceInfo,
    describe_agent,
    describe_dataset,
    finish_import,
    load_yaml_record,
    new_graph,
    normalize,
    text,
    url,
)
from .licenses import LicenseResolution
from .resolve import Resolver

SOURCE = "os-ai-map"
INFO = SourceInfo(
    name="os-ai-map",
    version="2026-06-11",
    title="Current AI, AI Stack Map",
    publisher="Current AI",
    publisher_homepage="https://www.currentai.org/",
    license="http://spdx.org/licenses/MIT",
    citation="Current AI, AI Stack Map (https://oso.xyz/currentai/ai-stack-map), repository "
    "currentai-org/os-ai-map @ 57cbce241931b8948ba0d035019226cc0db49faa",
    issued=dt.date(2026, 6, 11),
    landing_page="https://oso.xyz/currentai/ai-stack-map",
    commit="57cbce241931b8948ba0d035019226cc0db49faa",
    repository="https://github.com/currentai-org/os-ai-map",
)

SCORE_STATUS = {5: "open", 4: "partial", 3: "partial", 2: "partial", 1: "closed", 0: "closed"}
CLASS_STATUS = {"open_source": "open", "open_weights": "partial", "restricted": "partial", "closed": "closed"}
WORD_STATUS = {
    "open": "open",
    "partial": "partial",
    "mixed": "partial",
    "closed": "closed",
    "described_not_released": "closed",
    "announced_not_yet_released": "closed",
    "tbd": "unknown",
}
COMPONENTS = {"weights": OSMAP.Weights, "code": OSMAP.Code, "data": OSMAP.Data}


def split_components(note: str) -> dict[str, str]:
    """``"weights:open(Apache-2.0);code:closed(x; y)"`` → ``{"weights": "open(Apache-2.0)", ...}``.

    Splits on ``;`` outside parentheses only: the details often contain ``;`` themselves.
    """
    parts, depth, current = [], 0, []
    for ch in note:
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth = max(0, depth - 1)
        if ch == ";" and depth == 0:
            parts.append("".join(current))
            current = []
        else:
            current.append(ch)
    parts.append("".join(current))
    out: dict[str, str] = {}
    for part in parts:
        key, sep, value = part.strip().partition(":")
        if sep and re.fullmatch(r"[a-z_\-]+", key.strip()):
            out.setdefault(key.strip(), value.strip())
    return out


def _word(value: str) -> str:
    return re.split(r"[\s(]", value, maxsplit=1)[0].strip().casefold()


def _org_rosters(root: Path, report: ImportReport) -> dict[str, str]:
    out: dict[str, str] = {}
    for path in sorted((root / "sources" / "organizations").glob("*.yaml")):
        doc = load_yaml_record(path, report)
        if isinstance(doc, dict):
            for product in doc.get("products") or []:
                out[str(product)] = text(doc.get("display_name")) or text(doc.get("name")) or path.stem
    return out


def import_osmap(path: str | Path, resolver: Resolver | None = None, **_: Any) -> ImportResult:
    """Import the model products of an os-ai-map checkout: one record graph per model product."""
    root = Path(path)
    products = root / "sources" / "products"
    if not products.is_dir():
        raise ImportError_(f"{root}: no sources/products folder; pass the os-ai-map checkout")
    resolver = resolver or Resolver()
    report = ImportReport(source=SOURCE, version=INFO.version, path=str(root))
    graph = new_graph()
    describe_dataset(graph, INFO)
    orgs = _org_rosters(root, report)
    records = Records(INFO, report)
    files: list[Path] = []
    skipped = 0
    for file in sorted(products.glob("*.yaml")):
        doc = load_yaml_record(file, report)
        if doc is None:
            report.records_read += 1
            continue
        if not isinstance(doc, dict) or doc.get("type") != "model":
            skipped += 1
            continue
        report.records_read += 1
        slug = text(doc.get("name")) or file.stem
        score_file = root / "sources" / "scores" / f"{slug}.yaml"
        files += [file, score_file]
        scores = load_yaml_record(score_file, report, slug) if score_file.is_file() else None
        openness = scores.get("openness") if isinstance(scores, dict) else None
        if not isinstance(openness, dict):
            report.reject(file.name, slug, f"no openness score in sources/scores/{slug}.yaml; record skipped")
            continue
        problem = _check(openness)
        if problem:
            report.reject(
                score_file.name, slug, problem + "; record skipped — fix the score file and import again"
            )
            continue
        rec = records.new(slug)
        _import_product(rec.graph, doc, openness, slug, orgs.get(slug), resolver, rec.licenses, rec.owner)
        report.records_imported += 1
    if skipped:
        report.warnings.append(f"{skipped} products are software or datasets, not models; not imported")
    for rec in records:
        for r in rec.licenses:
            report.license_seen(r.raw, r.mapped)
    return finish_import(graph, INFO, report, resolver, source=SOURCE, files=files, records=records)


def _check(openness: dict[str, Any]) -> str | None:
    score, klass = openness.get("score"), openness.get("class")
    if score is not None and score not in SCORE_STATUS:
        return f"openness.score {score!r} is not 0–5 or null"
    if klass not in CLASS_STATUS:
        return f"openness.class {klass!r} is not one of {', '.join(CLASS_STATUS)}"
    comps = split_components(str(openness.get("components") or ""))
    for key in COMPONENTS:
        if key in comps and _word(comps[key]) not in WORD_STATUS:
            return f"openness.components {key}: unknown status word {_word(comps[key])!r}"
    return None


def _import_product(
    graph: Any,
    doc: dict[str, Any],
    openness: dict[str, Any],
    slug: str,
    org: str | None,
    resolver: Resolver,
    resolutions: list[LicenseResolution],
    owner: tuple[str, str] | None = None,
) -> None:
    name = text(doc.get("display_name")) or slug
    release = resolver.release(name, developer=org, source=SOURCE, record=slug, aliases=[slug], owner=owner,
                               own_name=slug)
    resolver.describe_release(graph, release, names=[name])
    if org:
        graph.add((release, OG.developer, describe_agent(graph, mint.agent_iri(org), org)))
    for item in doc.get("huggingface_model") or []:
        hf = url(item.get("url") if isinstance(item, dict) else item)
        if hf is not None and str(hf).startswith("https://huggingface.co/"):
            graph.add((release, OG.huggingFaceRepo, hf))
            break
    note = text(openness.get("note")) or text(openness.get("components"))
    evidence = [
        EvidenceSpec(
            source=str(link),
            retrieved=text(src.get("accessed")) or INFO.issued,
            quote=note,
            locator=f"scores/{slug}.yaml openness; shows: {text(src.get('shows')) or ''}",
        )
        for src in openness.get("sources") or []
        if isinstance(src, dict) and (link := url(src.get("url")))
    ] or [
        EvidenceSpec(source=INFO.file_url(f"sources/scores/{slug}.yaml"), retrieved=INFO.issued, quote=note)
    ]
    comps = split_components(str(openness.get("components") or ""))
    license_iri = None
    if "license" in comps:
        raw_license = re.split(r"\(", comps["license"], maxsplit=1)[0].strip()
        res = normalize(raw_license)
        resolutions.append(res)
        license_iri = res.iri if res.names_license else None

    def claim(criterion: URIRef, status: str, raw: str, claimed: URIRef | None = None) -> None:
        add_claim(
            graph,
            ClaimSpec(
                about=release,
                criterion=criterion,
                status=status,
                claimant=INFO.agent,
                asserted_on=INFO.issued,
                dataset=INFO.dataset,
                raw_value=raw,
                claimed_license=claimed,
                key=(slug,),
                evidence=[] if status == "unknown" else evidence,
            ),
        )

    score = openness.get("score")
    claim(OSMAP.OpennessScore, "unknown" if score is None else SCORE_STATUS[score], f"score {score}")
    claim(OSMAP.OpennessClass, CLASS_STATUS[openness["class"]], str(openness["class"]), license_iri)
    for key, criterion in COMPONENTS.items():
        if key in comps:
            claim(criterion, WORD_STATUS[_word(comps[key])], f"{key}:{comps[key]}")
