"""Importer for Epoch AI's "Data on AI Models" (notable and frontier model CSVs).

Each row is one model. Claims of Epoch AI about the release (criteria in
``ontology/schemes/sources-epoch.ttl``): model (weights) accessibility, public access,
training-code and inference-code accessibility, each recording Epoch's own word as
``og:sourceValue`` (a concept of ``og:EpochValueScheme``, looked up through the criterion's
``og:valueScheme``; the mapping to a status is the scheme's and the claim-status rule's) with the
raw value kept. The "Accessibility notes" are the weights claim's quote, and a first line that
names a license becomes ``og:claimedLicense``: of the weights claim when Epoch says the weights
are published ("MIT license", "Apache 2.0"), of each component's claim when the line says which
component it is for ("… for weights and inference code"); a compound statement is kept
unresolved with a warning. "Publication date" is the release date as Epoch states it (an
``og:ReleaseDateStatement`` of Epoch AI), "Organization" the developer(s), and a
"Base model" that is itself a record of the file becomes an ``og:fineTunedFrom`` edge (Epoch gives a
base model together with fine-tune compute, so fine-tuning is the relation it records).

``frontier_ai_models.csv`` mostly repeats notable models (123 of its 137 rows); when the folder is
imported, its rows with a model name not in the notable file are added and the others are rejected
as documented duplicates. An empty accessibility cell makes no claim (Epoch has no data).

Bad input: a missing required column refuses the whole file (:class:`ImportError_`); a row with an
accessibility value its criterion's value scheme does not hold, or without a model name, is
skipped and reported with the known values.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
from pathlib import Path
from typing import Any

from rdflib import Literal, URIRef
from rdflib.namespace import XSD

from .. import mint
from ..claims import EvidenceSpec, add_claim
from ..ingest.safe import check_file_size
from ..namespaces import EPOCH, OG
from .base import (
    ImportError_,
    ImportReport,
    ImportResult,
    RecordGraph,
    Records,
    SourceInfo,
    describe_agent,
    describe_dataset,
    finish_import,
    new_graph,
    normalize,
    source_claim,
    state_release_date,
    url,
)
from .licenses import LicenseResolution, license_parts
from .resolve import Resolver
from .values import UnknownValue, source_value

SOURCE = "epoch"
_COMMIT = "07f2f47e3a22d385977f961e6021906a352435e6"
LANDING = "https://epoch.ai/data/ai-models"
REQUIRED = (
    "Model",
    "Organization",
    "Publication date",
    "Model accessibility",
    "Training code accessibility",
    "Inference code accessibility",
    "Accessibility notes",
    "Base model",
    "Link",
)

#: The words of 'Model accessibility' that say the weights are published: the license the
#: accessibility notes name is the weights' license only then (else it is the code's, or a note).
PUBLISHED_WEIGHTS = (
    "Open weights (unrestricted)",
    "Open weights (restricted use)",
    "Open weights (non-commercial)",
)
#: column → the criteria that read it (their og:valueScheme in sources-epoch.ttl holds the values
#: and what each means; 'Model accessibility' is read for the weights and for public access).
COLUMNS: dict[str, tuple[URIRef, ...]] = {
    "Model accessibility": (EPOCH.ModelAccessibility, EPOCH.PublicAccess),
    "Training code accessibility": (EPOCH.TrainingCodeAccessibility,),
    "Inference code accessibility": (EPOCH.InferenceCodeAccessibility,),
}
#: What a license part that names a component ("MIT for weights and inference code") is about.
PART_CRITERIA: dict[str, tuple[URIRef, ...]] = {
    "weights": (EPOCH.ModelAccessibility,),
    "code": (EPOCH.TrainingCodeAccessibility, EPOCH.InferenceCodeAccessibility),
}


def _info(issued: dt.date) -> SourceInfo:
    return SourceInfo(
        name="epoch",
        version=issued.isoformat(),
        title="Epoch AI, Data on AI Models",
        publisher="Epoch AI",
        publisher_homepage="https://epoch.ai/",
        license="http://spdx.org/licenses/CC-BY-4.0",
        citation="Epoch AI, 'Data on AI Models'. Published online at epoch.ai. Retrieved from "
        "https://epoch.ai/data/ai-models (copy: Pietro-Panizza/Data-Visualization-Final-Project @ "
        f"{_COMMIT})",
        issued=issued,
        landing_page=LANDING,
        commit=_COMMIT,
        repository="https://github.com/Pietro-Panizza/Data-Visualization-Final-Project",
    )


def _cell(row: dict[str, str], column: str) -> str:
    return (row.get(column) or "").strip()


def read_rows(path: Path) -> list[dict[str, str]]:
    """Rows of an Epoch CSV; a missing required column refuses the file."""
    check_file_size(path)  # size limit (openness.ingest.limits)
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        missing = [c for c in REQUIRED if c not in (reader.fieldnames or ())]
        if missing:
            raise ImportError_(
                f"{path}: required column(s) {', '.join(repr(c) for c in missing)} missing; the whole file "
                "is refused — pass Epoch AI's notable_ai_models.csv or frontier_ai_models.csv"
            )
        return list(reader)


def _files(root: Path) -> list[Path]:
    if root.is_file():
        return [root]
    folder = root / "data" / "ai_models" if (root / "data" / "ai_models").is_dir() else root
    files = [p for p in (folder / "notable_ai_models.csv", folder / "frontier_ai_models.csv") if p.is_file()]
    if not files:
        raise ImportError_(f"{root}: no notable_ai_models.csv or frontier_ai_models.csv found")
    return files


def _date(text: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text[:10])
    except ValueError:
        return None


def import_epoch(path: str | Path, resolver: Resolver | None = None, **_: Any) -> ImportResult:
    """Import Epoch's notable models (plus frontier-only rows when given the folder): one record
    graph per model row, keyed on the model name."""
    files = _files(Path(path))
    resolver = resolver or Resolver()
    tables = [(f, read_rows(f)) for f in files]
    dates = [d for _, rows in tables for r in rows if (d := _date(_cell(r, "Publication date")))]
    info = _info(max(dates) if dates else dt.date(2025, 12, 31))
    report = ImportReport(source=SOURCE, version=info.version, path=str(path))
    graph = new_graph()
    describe_dataset(graph, info)
    seen: dict[str, str] = {}
    accepted: list[tuple[Path, int, dict[str, str], URIRef, RecordGraph]] = []
    records = Records(info, report)
    for file, rows in tables:
        for line, row in enumerate(rows, start=2):
            report.records_read += 1
            name = " ".join(_cell(row, "Model").split())
            if not name:
                report.reject(file.name, f"row {line}", "no model name in column 'Model'", line)
                continue
            if name.casefold() in seen:
                report.reject(file.name, name, f"duplicate of the record in {seen[name.casefold()]}", line)
                continue
            problem = _check(row)
            if problem:
                report.reject(
                    file.name, name, problem + "; record skipped — fix the value and import again", line
                )
                continue
            seen[name.casefold()] = file.name
            rec = records.new(name)
            orgs = [o.strip() for o in _cell(row, "Organization").split(",") if o.strip()]
            release = resolver.release(
                name, developer=orgs[0] if orgs else None, source=SOURCE, record=f"{file.name}:{line}",
                owner=rec.owner,
            )
            resolver.describe_release(rec.graph, release, names=[name])
            for org in orgs:
                rec.graph.add((release, OG.developer, describe_agent(rec.graph, mint.agent_iri(org), org)))
            if published := _date(_cell(row, "Publication date")):
                state_release_date(rec.graph, release, published, claimant=info.agent, dataset=info.dataset)
            params = _cell(row, "Parameters")
            if re.fullmatch(r"\d+(\.\d+)?(e\+?\d+)?", params):
                count = Literal(f"{float(params):.0f}", datatype=XSD.decimal)
                rec.graph.add((release, OG.parameterCount, count))
            _claims(rec.graph, info, row, name, release, file, line, rec.licenses, report)
            accepted.append((file, line, row, release, rec))
            report.records_imported += 1
    _lineage(resolver, accepted, seen, report)
    return finish_import(graph, info, report, resolver, source=SOURCE, files=files, records=records)


def _check(row: dict[str, str]) -> str | None:
    for column, criteria in COLUMNS.items():
        value = _cell(row, column)
        for criterion in criteria:
            if value:
                try:
                    source_value(criterion, value)
                except UnknownValue as err:
                    known = ", ".join(repr(v) for v in err.allowed)
                    return f"column {column!r}: unknown value {value!r} (known: {known})"
    return None


def _claims(
    graph: Any,
    info: SourceInfo,
    row: dict[str, str],
    name: str,
    release: URIRef,
    file: Path,
    line: int,
    resolutions: list[LicenseResolution],
    report: ImportReport,
) -> None:
    link = url(_cell(row, "Link"))
    source = str(link) if link else LANDING
    notes = _cell(row, "Accessibility notes") or None
    licenses = _note_licenses(notes, row, file, line, report)
    for column, criteria in COLUMNS.items():
        value = _cell(row, column)
        if not value:
            continue
        for criterion in criteria:
            weights = criterion == EPOCH.ModelAccessibility
            res = licenses.get(criterion)
            if res is not None and res.names_license:
                resolutions.append(res)
            add_claim(
                graph,
                source_claim(
                    info,
                    release,
                    criterion,
                    value,
                    raw_value=value,
                    claimed_license=res.iri if res is not None else None,
                    key=(file.name, name),
                    evidence=[
                        EvidenceSpec(
                            source=source,
                            retrieved=info.issued,
                            quote=notes if weights or (res is not None) else None,
                            locator=f"{file.name}, row {line} ({name}), column {column!r}",
                        )
                    ],
                ),
            )


def _note_licenses(notes: str | None, row: dict[str, str], file: Path, line: int,
                   report: ImportReport) -> dict[URIRef, LicenseResolution]:
    """The licenses the first line of the accessibility notes names, by the criterion they are about.

    "MIT license for weights and inference code" names its components (one license per component
    claim); a single license ("Apache 2.0") is the weights' when Epoch says the weights are
    published; a compound statement ("Apache-2.0 and CC-BY-NC-4.0") is kept unresolved, with a
    warning, never read as its first license.
    """
    if not notes:
        return {}
    first = notes.splitlines()[0].strip()
    def code_released(column: str) -> bool:
        return _cell(row, column) not in ("", "Unreleased")

    released = {
        EPOCH.ModelAccessibility: _cell(row, "Model accessibility") in PUBLISHED_WEIGHTS,
        EPOCH.TrainingCodeAccessibility: code_released("Training code accessibility"),
        EPOCH.InferenceCodeAccessibility: code_released("Inference code accessibility"),
    }
    parts = license_parts(first)
    out: dict[URIRef, LicenseResolution] = {}
    if parts:
        for part in parts:
            if not part.resolution.names_license:
                continue
            for component in part.components:
                for criterion in PART_CRITERIA.get(component, ()):
                    if released.get(criterion):
                        out[criterion] = part.resolution
        return out
    res = normalize(first)
    if res.kind == "compound" and res.warning:
        report.warnings.append(f"{file.name}:{line} [Accessibility notes]: {res.warning}")
    if res.names_license and res.mapped and released[EPOCH.ModelAccessibility]:
        out[EPOCH.ModelAccessibility] = res
    return out


def _lineage(
    resolver: Resolver,
    accepted: list[tuple[Path, int, dict[str, str], URIRef, RecordGraph]],
    seen: dict[str, str],
    report: ImportReport,
) -> None:
    """``og:fineTunedFrom`` for a base model that is itself an Epoch record (else a warning), in the
    fine-tune's record graph."""
    for file, line, row, release, rec in accepted:
        base = " ".join(_cell(row, "Base model").split())
        if not base:
            continue
        if base.casefold() not in seen:
            report.warnings.append(
                f"{file.name}:{line}: base model {base!r} is not a record of the file; no edge"
            )
            continue
        parent = resolver.release(base, developer=None, source=SOURCE, record=f"{file.name}:{line}:base")
        if parent != release:
            rec.graph.add((release, OG.fineTunedFrom, parent))
