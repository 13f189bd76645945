"""Importer for the European Open Source AI Index (current 12-dimension format).

One YAML per system. The system is its *end model* (``system.endmodelname``, else
``system.name``), developed by ``org.name``; ``system.basemodelname`` becomes a separate release
linked by ``og:fineTunedFrom`` (end → base). When the two names resolve to the same release (the
index uses the same name when there is no separate base model) no derivation is written: a
release is never derived from itself. ``system.releasedate`` becomes an
``og:ReleaseDateStatement`` of the index about the end model (kept with its claimant; the derive
rule picks the release date). Each YAML file is a record with its own named graph.

Each dimension becomes a claim of the index (claimant ``id:agent/osai-index``) about the end
model's release, with criterion ``osai:<key>`` and the index's own value from ``class`` as
``og:sourceValue`` (``og:OSAIValueScheme``: open / partial / closed, empty = not applicable; any
other word rejects the record, naming file, key and the allowed words; the status is the
claim-status rule's job), the original word as ``og:rawValue``,
and one evidence per link (string, list or empty) with the notes as quote; with no link, the
evidence is the record's file in the index repository. Organisation tags that the index keeps
only in YAML comments ("National origin", "Contributor type") go onto the organisation node.

:func:`import_index` is shared with :mod:`.osai_legacy` (v1.0.2 and Opening up ChatGPT).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import FOAF

from .. import mint
from ..claims import EvidenceSpec, add_claim
from ..namespaces import OG, OSAI
from .base import (
    ImportError_,
    ImportReport,
    ImportResult,
    Records,
    SourceInfo,
    describe_agent,
    describe_dataset,
    finish_import,
    links,
    load_yaml_record,
    new_graph,
    normalize,
    source_claim,
    state_release_date,
    text,
    url,
)
from .licenses import LicenseResolution
from .resolve import Resolver
from .values import UnknownValue, source_value

INDEX_AGENT = "OSAI Index"
#: The Index's short name: its catalogue name and its folder under data/sources/.
INDEX_NAME = "osai-index"
#: The folder of the Index's v1.0.2 edition (read by openness.importers.osai_legacy).
INDEX_V102_FOLDER = INDEX_NAME + "-v1.0.2"
INDEX_HOME = "https://osai-index.eu/"
INDEX_REPO = "https://github.com/Language-Technology-Assessment/main-database"
INDEX_CITATION = (
    "European Open Source AI Index, https://osai-index.eu, doi:10.5281/zenodo.15386042; Liesenfeld, A. and "
    "Dingemanse, M., 2024. Rethinking open source generative AI: open-washing and the EU AI Act. FAccT '24, "
    "pp. 1774-1787"
)
INFO = SourceInfo(
    name=INDEX_NAME, version="2026-06-12", title="European Open Source AI Index",
    publisher=INDEX_AGENT, publisher_homepage=INDEX_HOME,
    license="http://spdx.org/licenses/CC-BY-4.0", citation=INDEX_CITATION, issued=dt.date(2026, 6, 12),
    landing_page=INDEX_HOME, commit="5a388e871b88735e7ab7e6fb230b76c9d460d99a",
    repository=INDEX_REPO,
)

#: The 12 current dimensions: YAML key → criterion.
DIMENSIONS: dict[str, URIRef] = {key: OSAI[key] for key in (
    "datasources_basemodel", "datasources_endmodel", "weights_basemodel", "weights_endmodel",
    "trainingcode", "code", "hardware_architecture", "preprint", "paper", "modelcard", "datasheet",
    "licenses",
)}
#: Files in the index folder that are not systems.
NOT_RECORDS = {"a_submission_template.yaml", "A_sample.yaml"}
#: Key spellings seen in the data → the key meant.
KEY_TYPOS = {"endmodel license": "endmodellicense"}
_TAG = re.compile(r"^\s*#\s*-\s*(National origin|Contributor type)\s*:\s*(.+?)\s*$", re.MULTILINE)
ORG_TAGS = {"National origin": OSAI.nationalOrigin, "Contributor type": OSAI.contributorType}


@dataclass
class IndexFormat:
    """How one format of the index names things (current, v1.0.2, Opening up ChatGPT)."""

    info: SourceInfo
    dimensions: dict[str, URIRef]  # YAML key → criterion
    system_key: str = "system"
    source: str = "osai"  # the source name in the match table
    folder_in_repo: str = ""  # where the files sit in the upstream repository
    names: Callable[[dict[str, Any]], tuple[str, str | None, list[str]]] | None = None


def _current_names(system: dict[str, Any]) -> tuple[str, str | None, list[str]]:
    """(end model name, base model name, other names) of a current / v1.0.2 system block."""
    name = text(system.get("name"))
    end = text(system.get("endmodelname")) or name
    base = text(system.get("basemodelname"))
    return end or "", base, [n for n in (name,) if n]


CURRENT = IndexFormat(info=INFO, dimensions=DIMENSIONS, names=_current_names)


def import_osai(path: str | Path, resolver: Resolver | None = None, **_: Any) -> ImportResult:
    """Read the current index folder (12 dimensions) into one batch graph."""
    return import_index(Path(path), resolver or Resolver(), CURRENT)


def index_files(folder: Path) -> list[Path]:
    if not folder.is_dir():
        raise ImportError_(f"{folder}: not a folder; pass the index folder that holds one YAML per system")
    files = sorted(p for p in folder.glob("*.yaml") if p.name not in NOT_RECORDS)
    if not files:
        raise ImportError_(f"{folder}: no *.yaml system files found; pass the index folder")
    return files


def import_index(folder: Path, resolver: Resolver, fmt: IndexFormat) -> ImportResult:
    """Shared reader for every format of the index: one release (plus base) per YAML file."""
    files = index_files(folder)
    info = fmt.info
    report = ImportReport(source=fmt.source, version=info.version, path=str(folder))
    graph = new_graph()
    describe_dataset(graph, info)
    records = Records(info, report)
    for file in files:
        report.records_read += 1
        doc = load_yaml_record(file, report, file.stem)
        if doc is None:
            continue
        problem = _check(doc, fmt)
        if problem:
            report.reject(file.name, file.stem, problem + " — fix the record and import again")
            continue
        rec = records.new(file.stem)
        _import_system(rec.graph, file, doc, resolver, report, rec.licenses, fmt, rec.owner)
        report.records_imported += 1
    return finish_import(graph, info, report, resolver, source=fmt.source, files=files, records=records)


def _check(doc: Any, fmt: IndexFormat) -> str | None:
    """The first problem that makes a record unusable, or None (checked before writing anything)."""
    if not isinstance(doc, dict):
        return "not a YAML mapping of system fields and dimensions"
    system = doc.get(fmt.system_key)
    if not isinstance(system, dict):
        return f"missing required field '{fmt.system_key}'"
    assert fmt.names is not None
    end, _, _ = fmt.names(system)
    if not end:
        return f"missing required field '{fmt.system_key}.name'"
    for key in fmt.dimensions:
        block = doc.get(key)
        if block is None:
            continue
        if not isinstance(block, dict):
            return f"dimension '{key}' is not a mapping with class/link/notes"
        word = text(block.get("class"))
        try:
            source_value(fmt.dimensions[key], word)
        except UnknownValue as err:
            allowed = ", ".join(w for w in err.allowed if w)
            return (f"unknown value {word!r} at '{key}.class'; use one of {allowed} "
                    "(or leave it empty for not applicable)")
    return None


def _org_tags(file: Path) -> dict[str, str]:
    try:
        raw = file.read_text(encoding="utf-8")
    except OSError:
        return {}
    return {m.group(1): m.group(2) for m in _TAG.finditer(raw)}


def _import_system(graph: Graph, file: Path, doc: dict[str, Any], resolver: Resolver, report: ImportReport,
                   resolutions: list[LicenseResolution], fmt: IndexFormat,
                   owner: tuple[str, str] | None = None) -> None:
    info = fmt.info
    system = {KEY_TYPOS.get(k, k): v for k, v in doc[fmt.system_key].items()}
    assert fmt.names is not None
    end_name, base_name, other_names = fmt.names(system)
    org: dict[str, Any] = doc["org"] if isinstance(doc.get("org"), dict) else {}
    org_name = text(org.get("name"))
    release = resolver.release(end_name, developer=org_name, source=fmt.source, record=file.name,
                               aliases=other_names, owner=owner,
                               own_name=other_names[0] if other_names else end_name)
    resolver.describe_release(graph, release, names=[end_name, *other_names])
    agent = None
    if org_name:
        agent = describe_agent(graph, mint.agent_iri(org_name), org_name, _first(org.get("link")))
        graph.add((release, OG.developer, agent))
        for tag, value in _org_tags(file).items():
            graph.add((agent, ORG_TAGS[tag], Literal(value)))
    if date := text(system.get("releasedate")):
        try:
            state_release_date(graph, release, date, claimant=info.agent, dataset=info.dataset)
        except ValueError:
            report.warnings.append(f"{file.name}: release date {date!r} is not a date; left out")
    if page := url(system.get("link")):
        prop = OG.huggingFaceRepo if str(page).startswith("https://huggingface.co/") else FOAF.homepage
        graph.add((release, prop, page))
    if mtype := text(system.get("type")):
        graph.add((release, OG.modality, Literal(mtype)))
    for raw_license in _license_values(system):
        res = normalize(raw_license)
        report.license_seen(raw_license, res.mapped)
        if res.kind == "compound" and res.warning:
            report.warnings.append(f"{file.name} [endmodellicense]: {res.warning}")
        if res.names_license and res.iri is not None and res.mapped:
            resolutions.append(res)
            graph.add((release, OG.license, res.iri))
    for base in _base_names(base_name):
        base_iri = resolver.release(base, developer=None, source=fmt.source, record=f"{file.name}#basemodel")
        if base_iri == release:
            continue  # the index names the same model as base and end: no derivation
        resolver.describe_release(graph, base_iri, names=[base])
        graph.add((release, OG.fineTunedFrom, base_iri))
        # The index names one organisation per system: the end model's. The base model is often
        # another's (Llama 2 under a dozen fine-tunes), so it gets no developer from this record;
        # queries/rules/release-developers.ru derives og:developerUnknown when no source names one.
    file_url = info.file_url(f"{fmt.folder_in_repo}{file.name}")
    for key, criterion in fmt.dimensions.items():
        block = doc.get(key)
        if not isinstance(block, dict):
            continue
        word = text(block.get("class"))
        notes = text(block.get("notes"))
        urls = links(block.get("link")) or [file_url]
        add_claim(graph, source_claim(
            info, release, criterion, word, raw_value=word or "",
            note=None if word else "class left empty: not applicable",
            key=(file.name,),
            evidence=[EvidenceSpec(source=u, retrieved=info.issued, quote=notes,
                                   locator=f"{file.name}: {key}")
                      for u in urls],
        ))


def _first(value: Any) -> str | None:
    found = links(value)
    return found[0] if found else None


def _license_values(system: dict[str, Any]) -> list[str]:
    raw = text(system.get("endmodellicense")) or text(system.get("license"))
    return [raw] if raw else []


NO_BASE = {"n/a", "na", "none", "unknown", "-", "undisclosed", "not disclosed", "unclear"}
_BASE_SPLIT = re.compile(r"\s*(?:&|,|;|\band\b)\s*")


def _base_names(value: str | None) -> list[str]:
    """Base model names; "LLaMA & BLOOMZ" names two bases (one derivation each)."""
    if not value or value.lower() in NO_BASE:
        return []
    return [p for p in _BASE_SPLIT.split(value) if p and len(p) > 1]


__all__ = ["CURRENT", "DIMENSIONS", "INFO", "IndexFormat", "import_index", "import_osai"]
