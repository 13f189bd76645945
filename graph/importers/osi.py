"""Importer for the Open Source Initiative's own verdicts on AI systems (its 2024 validation).

While it validated the Open Source AI Definition, OSI checked AI systems against it and published
the outcome ("Which AI systems comply with the OSAID 1.0?", https://opensource.org/ai): systems
that passed, systems that "would probably pass if they changed their licenses/legal terms", and
systems that "don't pass". The curated file ``data/curation/osi-validation-2024.csv`` holds that
list, one row per system, quoted, with the corpus release a curator attached it to (OSI names
families: the ``note`` column says why that release).

Each row becomes a claim of OSI (claimant: the Open Source Initiative) about the release, with
criterion ``og:OSAIDConformance``, OSI's own outcome as ``og:sourceValue``
(``og:OSIValidationValueScheme`` in ``ontology/schemes/sources-osi.ttl``), the verdict as
``og:claimedVerdict`` and, for "would pass with a license change", the failed requirement as
``og:claimedFailedRequirement`` (both columns of the file, checked against the OSAID schemes).
The evidence is OSI's page with the sentence quoted (secondary: OSI's judgment, not the
developer's artifact). The release is resolved like every importer's (:class:`Resolver`), so it
lands on the corpus release that the catalogues name.

Bad input: a file without the required columns is refused (:class:`ImportError_`); a row with an
unknown outcome, verdict or requirement, or without a release, is skipped and reported with the
file, line and the allowed values.
"""

from __future__ import annotations

import csv
import datetime as dt
from functools import cache
from pathlib import Path
from typing import Any

from rdflib import URIRef
from rdflib.namespace import SKOS

from ..claims import ClaimSpec, EvidenceSpec, add_claim
from ..namespaces import OG, curie
from ..resources import data_dir
from ..vocab import load_ontology
from .base import (
    ImportError_,
    ImportReport,
    ImportResult,
    Records,
    SourceInfo,
    describe_dataset,
    finish_import,
    new_graph,
)
from .resolve import Resolver
from .values import UnknownValue, source_value

SOURCE = "osi-validation"
INFO = SourceInfo(
    name="osi-validation",
    version="2024",
    title="Open Source Initiative, OSAID 1.0 validation results",
    publisher="Open Source Initiative",
    publisher_homepage="https://opensource.org/",
    license="http://spdx.org/licenses/CC-BY-4.0",
    citation=("Open Source Initiative, The Open Source AI Definition 1.0, 'Which AI systems comply with "
              "the OSAID 1.0?', https://opensource.org/ai (2024-10-28); FAQ, https://opensource.org/ai/faq"),
    issued=dt.date(2024, 10, 28),
    landing_page="https://opensource.org/ai",
)
REQUIRED = ("system", "outcome", "verdict", "failed_requirement", "release", "quote", "evidence_url",
            "asserted_on")


def default_path() -> Path:
    return data_dir() / "curation" / "osi-validation-2024.csv"


@cache
def _concepts(scheme: URIRef) -> dict[str, URIRef]:
    """The concepts of an ontology scheme by their CURIE (``og:OSAIDPass``) and full IRI."""
    g = load_ontology()
    out: dict[str, URIRef] = {}
    for concept in g.subjects(SKOS.inScheme, scheme):
        out[curie(str(concept))] = URIRef(str(concept))
        out[str(concept)] = URIRef(str(concept))
    return out


def _names(concepts: dict[str, URIRef]) -> str:
    return ", ".join(sorted(k for k in concepts if "/" not in k))


def import_osi_validation(path: str | Path | None = None, resolver: Resolver | None = None,
                          **_: Any) -> ImportResult:
    """Read the curated OSI validation file (default: ``data/curation/osi-validation-2024.csv``)."""
    file = Path(path) if path is not None else default_path()
    if file.is_dir():
        file = file / default_path().name
    if not file.is_file():
        raise ImportError_(f"{file}: not found; pass the OSI validation CSV ({default_path().name})")
    resolver = resolver or Resolver()
    report = ImportReport(source=SOURCE, version=INFO.version, path=str(file))
    graph = new_graph()
    describe_dataset(graph, INFO)
    records = Records(INFO, report)
    with file.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        missing = [c for c in REQUIRED if c not in (reader.fieldnames or ())]
        if missing:
            raise ImportError_(f"{file}: required column(s) {', '.join(missing)} missing; the whole file is "
                               f"refused — the columns are {', '.join(REQUIRED)}, note")
        rows = list(reader)
    verdicts, requirements = _concepts(OG.OSAIDVerdictScheme), _concepts(OG.OSAIDRequirementScheme)
    for line, row in enumerate(rows, start=2):
        report.records_read += 1
        cell = {k: (row.get(k) or "").strip() for k in (*REQUIRED, "developer", "note")}
        system = cell["system"] or f"line {line}"
        problem = None
        try:
            value = source_value(OG.OSAIDConformance, cell["outcome"])
        except UnknownValue as err:
            problem = f"outcome {cell['outcome']!r} is not one of {', '.join(repr(w) for w in err.allowed)}"
        verdict = verdicts.get(cell["verdict"])
        failed = [requirements.get(r.strip()) for r in cell["failed_requirement"].split(";") if r.strip()]
        if problem is None and verdict is None:
            problem = f"verdict {cell['verdict']!r} is not one of {_names(verdicts)}"
        if problem is None and None in failed:
            problem = (f"failed_requirement {cell['failed_requirement']!r} is not a requirement of "
                       f"og:OSAIDRequirementScheme ({_names(requirements)})")
        if problem is None and not cell["release"]:
            problem = "no release: name the corpus release OSI's verdict is about"
        if problem is None and not cell["evidence_url"].startswith(("https://", "http://")):
            problem = f"evidence_url {cell['evidence_url']!r} is not a URL"
        if problem is not None:
            report.reject(file.name, system, problem + "; row skipped — fix the file and import again", line)
            continue
        rec = records.new(system)
        release = resolver.release(cell["release"], developer=cell["developer"] or None, source=SOURCE,
                                   record=system, owner=rec.owner)
        resolver.describe_release(rec.graph, release, names=[cell["release"]])
        add_claim(rec.graph, ClaimSpec(
            about=release, criterion=OG.OSAIDConformance, status=None, source_value=value,
            claimant=INFO.agent, asserted_on=cell["asserted_on"] or INFO.issued, dataset=INFO.dataset,
            raw_value=cell["outcome"], claimed_verdict=verdict,
            claimed_failed_requirements=tuple(r for r in failed if r is not None),
            note=f"OSI names {system} ({cell['developer']})" + (f"; {cell['note']}" if cell["note"] else ""),
            key=(system,),
            evidence=[EvidenceSpec(source=cell["evidence_url"], retrieved=INFO.issued, kind="secondary",
                                   quote=cell["quote"] or None,
                                   locator="Which AI systems comply with the OSAID 1.0?")],
        ))
        report.records_imported += 1
    return finish_import(graph, INFO, report, resolver, source=SOURCE, files=[file], records=records)


__all__ = ["INFO", "default_path", "import_osi_validation"]
