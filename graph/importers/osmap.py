"""Importer for Current AI's "AI Stack Map" (currentai-org/os-ai-map): model products and their scores.

Only products of ``type: model`` are records of this importer (the map's other 210 products are
software and datasets). For each model, claims of the map recording its own words as
``og:sourceValue`` (criteria and value collections in ``ontology/schemes/sources-osmap.ttl``; the
status mapping is the scheme's): the openness score, the openness class, the weights / code / data
words of its components note, and the license the note names (``license:…``) as an
``osmap:License`` claim with that license as ``og:claimedLicense`` (its status follows the terms).
A license statement that names components ("code MIT + model DeepSeek-Model-License") gives each
component's claim its own license; one that names several licenses without saying which covers
what is kept unresolved with a warning, never read as its first license. Every claim cites each of
the score's ``sources:`` entries as evidence (``url``, ``shows`` as locator, ``accessed`` as
retrieval date) with the score's note as the quote. The developer comes from the organization
roster that lists the product.

Bad input: a product without a score file, or with a score, class or component word its
criterion's value collection does not hold, is skipped and reported (file, product, reason, the
allowed words); a folder without ``sources/products`` is refused (:class:`ImportError_`).
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

from rdflib import URIRef

from .. import mint
from ..claims import EvidenceSpec, add_claim
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
    source_claim,
    text,
    url,
)
from .licenses import LicenseResolution, license_like, license_parts
from .resolve import Resolver
from .values import UnknownValue, source_value

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

COMPONENTS = {"weights": OSMAP.Weights, "code": OSMAP.Code, "data": OSMAP.Data}


def split_components(note: str) -> dict[str, str]:
    """``"weights:open(Apache-2.0);code:closed(x; y)"`` → ``{"weights": "open(Apache-2.0)", ...}``.

    Splits on ``;`` outside parentheses only: the details often contain ``;`` themselves.
    """
    parts: list[str] = []
    current: list[str] = []
    depth = 0
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
        _import_product(rec.graph, doc, openness, slug, orgs.get(slug), resolver, rec.licenses, rec.owner,
                        report=report)
        report.records_imported += 1
    if skipped:
        report.warnings.append(f"{skipped} products are software or datasets, not models; not imported")
    return finish_import(graph, INFO, report, resolver, source=SOURCE, files=files, records=records)


def _check(openness: dict[str, Any]) -> str | None:
    score, klass = openness.get("score"), openness.get("class")
    problems = [(OSMAP.OpennessScore, "openness.score", _score_word(score)),
                (OSMAP.OpennessClass, "openness.class", str(klass))]
    comps = split_components(str(openness.get("components") or ""))
    problems += [(criterion, f"openness.components {key}", _word(comps[key]))
                 for key, criterion in COMPONENTS.items() if key in comps]
    for criterion, where, word in problems:
        try:
            source_value(criterion, word)
        except UnknownValue as err:
            return f"{where}: unknown value {word!r}; use one of {', '.join(err.allowed)}"
    return None


def _score_word(score: Any) -> str:
    """The score as the map writes it: a number 0–5, or null."""
    return "null" if score is None else str(score)


def _license_statement(raw: str, slug: str, report: ImportReport) -> dict[str, LicenseResolution]:
    """The licenses the components note's ``license:`` part names, by what they cover.

    The key "model" is the model's license; "weights" and "code" are the components a
    statement names ("code MIT + model DeepSeek-Model-License"). The map's parenthesized comments
    ("Apache-2.0(OSI permissive)") are not part of the name; a statement of several licenses that
    does not say which covers what is kept unresolved with a warning, never read as its first.
    """
    parts = license_parts(raw)
    if parts:
        out: dict[str, LicenseResolution] = {}
        for part in parts:
            for component in part.components:
                out.setdefault(component, part.resolution)
        if "weights" in out:
            out["model"] = out["weights"]
        return out
    bare = " ".join(re.sub(r"\([^()]*\)", " ", raw).split())
    res = normalize(bare or raw)
    head, paren, rest = raw.partition("(")
    if not res.mapped and paren and not license_like(rest.partition(")")[2]):
        res = normalize(head)  # "Apache-2.0(OSI) across base variants": a comment after one license
    if res.warning:
        report.warnings.append(f"scores/{slug}.yaml [license]: {res.warning}")
    return {"model": res}


def _import_product(
    graph: Any,
    doc: dict[str, Any],
    openness: dict[str, Any],
    slug: str,
    org: str | None,
    resolver: Resolver,
    resolutions: list[LicenseResolution],
    owner: tuple[str, str] | None = None,
    *,
    report: ImportReport,
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
    licenses = _license_statement(comps["license"], slug, report) if "license" in comps else {}
    for res in {id(r): r for r in licenses.values()}.values():
        report.license_seen(res.raw, res.mapped)
        if res.names_license:
            resolutions.append(res)

    def claim(criterion: URIRef, word: str, raw: str, claimed: LicenseResolution | None = None) -> None:
        add_claim(
            graph,
            source_claim(
                INFO,
                release,
                criterion,
                word,
                raw_value=raw,
                claimed_license=claimed.iri if claimed is not None else None,
                key=(slug,),
                evidence=evidence,
            ),
        )

    score = openness.get("score")
    claim(OSMAP.OpennessScore, _score_word(score), f"score {score}")
    claim(OSMAP.OpennessClass, str(openness["class"]), str(openness["class"]))
    if "license" in comps:
        claim(OSMAP.License, "license", f"license:{comps['license']}", licenses.get("model"))
    for key, criterion in COMPONENTS.items():
        if key in comps:
            claim(criterion, _word(comps[key]), f"{key}:{comps[key]}", licenses.get(key))
