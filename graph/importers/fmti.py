"""Importer for the Foundation Model Transparency Index (Stanford CRFM): three editions of CSVs.

FMTI scores *developers* on 100 binary disclosure indicators, each edition about one flagship
model per developer. This importer keeps only the indicators that bear on openness (chosen in
``ontology/schemes/sources-fmti.ttl``, matched by their labels) and attaches each score, as a
claim of FMTI, to the developer's flagship release (``data/curation/fmti-flagships.csv``, with the
passage that names it). The score is recorded as FMTI's own value (``og:sourceValue``,
``og:FMTIValueScheme``: 1 satisfied, 0 not; the claim-status rule maps them), the disclosure text
is the evidence's quote where the edition publishes one. Disclosure indicators inform
transparency criteria only (each indicator's scopeNote in sources-fmti.ttl says why).

Each edition is a dataset version (``id/dataset/fmti/<edition>``) and each developer entry of an
edition a record with its own named graph. Every edition's claims are kept as they are: FMTI's
newer claim about the same release and indicator replaces its own older one in the combine rule
(a claimant's newest claim, docs/derived-layer.md); when the flagship changed (Llama 2 → Llama 4)
the claims are about different releases.

Bad input: a scores CSV without an ``Indicator`` column refuses the whole edition
(:class:`ImportError_`); a developer with a score other than 0/1 on a selected indicator, or with no
flagship row, is skipped and reported (file, developer, reason).
"""

from __future__ import annotations

import csv
import datetime as dt
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from rdflib import Graph, URIRef
from rdflib.namespace import SKOS

from .. import mint
from ..claims import ClaimSpec, EvidenceSpec, add_claim
from ..ingest.safe import check_file_size
from ..namespaces import OG
from ..resources import data_dir, ontology_dir
from .base import (
    ImportError_,
    ImportReport,
    ImportResult,
    Records,
    SourceInfo,
    describe_agent,
    describe_dataset,
    finish_import,
    new_graph,
)
from .resolve import Resolver
from .values import allowed_words, find_value, source_value

SOURCE = "fmti"
PUBLISHER = "Stanford CRFM Foundation Model Transparency Index"
_COMMIT = "f4500c5f4763966fddf71c468a148533a1236290"
_REPO = "https://github.com/stanford-crfm/fmti"
_NOT_DEVELOPERS = {"domain", "subdomain", "indicator", "total", ""}


@dataclass(frozen=True)
class Edition:
    key: str  # folder name
    issued: dt.date
    title: str
    url: str
    scores: str  # path inside the edition folder
    disclosures: str | None = None  # wide CSV: Indicator + one column per developer
    reports: str | None = None  # folder of per-developer reports with Indicator / Disclosure columns

    def info(self) -> SourceInfo:
        return SourceInfo(
            name="fmti",
            version=self.key,
            title=f"Foundation Model Transparency Index ({self.title})",
            publisher=PUBLISHER,
            publisher_homepage="https://crfm.stanford.edu/fmti/",
            license="http://spdx.org/licenses/CC-BY-4.0",
            citation=(
                "Bommasani, Klyman, Kapoor, Longpre, Xiong, Maslej, Liang: The Foundation Model "
                f"Transparency Index ({self.title}), Stanford CRFM, {self.url}"
            ),
            issued=self.issued,
            landing_page=self.url,
            commit=_COMMIT,
            repository=_REPO,
        )


EDITIONS: dict[str, Edition] = {
    e.key: e
    for e in (
        Edition(
            "October2023",
            dt.date(2023, 10, 18),
            "October 2023",
            "https://crfm.stanford.edu/fmti/October-2023/index.html",
            "October2023_scores.csv",
        ),
        Edition(
            "May2024",
            dt.date(2024, 5, 21),
            "May 2024",
            "https://crfm.stanford.edu/fmti/May-2024/index.html",
            "May2024_scores.csv",
            disclosures="May2024_disclosures.csv",
        ),
        Edition(
            "Dec2025",
            dt.date(2025, 12, 9),
            "December 2025",
            "https://crfm.stanford.edu/fmti/December-2025/index.html",
            "Dec2025_scores.csv",
            reports="reports",
        ),
    )
}


def score_word(cell: str) -> str:
    """FMTI's score as its word: ``"1.0"`` and ``"1"`` are the score 1; anything else is kept as is
    (and rejected by the value lookup, naming the allowed scores)."""
    text = (cell or "").strip()
    try:
        number = float(text)
    except ValueError:
        return text
    return str(int(number)) if number.is_integer() else text


def _norm(label: str) -> str:
    return " ".join(label.replace("-", " ").split()).casefold()


@cache
def indicators() -> dict[str, URIRef]:
    """Indicator label (any edition's spelling, normalized) → ``fmti:*`` concept, from the TTL."""
    graph = Graph().parse(ontology_dir() / "schemes" / "sources-fmti.ttl", format="turtle")
    out: dict[str, URIRef] = {}
    for concept in graph.subjects(SKOS.inScheme, OG.FMTIIndicatorScheme):
        for prop in (SKOS.prefLabel, SKOS.altLabel):
            for label in graph.objects(concept, prop):
                out[_norm(str(label))] = URIRef(str(concept))
    return out


@dataclass(frozen=True)
class Flagship:
    name: str
    evidence: str
    source: str


def load_flagships(path: Path | None = None) -> dict[tuple[str, str], Flagship]:
    """(edition, developer) → flagship from the curated CSV."""
    path = path or data_dir() / "curation" / "fmti-flagships.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        missing = {"edition", "developer", "flagship"} - set(reader.fieldnames or ())
        if missing:
            raise ImportError_(f"{path}: missing column(s) {', '.join(sorted(missing))}")
        return {
            (r["edition"].strip(), r["developer"].strip()): Flagship(
                r["flagship"].strip(), (r.get("evidence") or "").strip(), (r.get("source") or "").strip()
            )
            for r in reader
        }


def _read_wide(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    """A CSV with one row per indicator and one column per developer; refuses it without Indicator."""
    check_file_size(path)  # size limit (openness.ingest.limits)
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        fields = [f.strip() for f in reader.fieldnames or ()]
        if "Indicator" not in fields:
            raise ImportError_(
                f"{path}: required column 'Indicator' is missing (columns: {', '.join(fields)}); "
                "the whole file is refused — pass an FMTI scores CSV"
            )
        rows = [{(k or "").strip(): (v or "") for k, v in row.items()} for row in reader]
    developers = [f for f in fields if f.casefold() not in _NOT_DEVELOPERS]
    return developers, rows


def _report_disclosures(folder: Path, developer: str) -> dict[str, str]:
    """Indicator → disclosure text from a developer's transparency report (Dec 2025 layout)."""
    matches = sorted(folder.glob(f"{developer.replace(' ', '_')}_fmtransparencyreport*.csv"))
    if not matches:
        return {}
    check_file_size(matches[0])  # size limit (openness.ingest.limits)
    with matches[0].open(encoding="utf-8-sig", newline="") as handle:
        return {
            _norm(r.get("Indicator") or ""): (r.get("Disclosure") or "").strip()
            for r in csv.DictReader(handle)
        }


def _edition_folders(root: Path) -> list[tuple[Edition, Path]]:
    if root.name in EDITIONS:
        return [(EDITIONS[root.name], root)]
    found = [(e, root / e.key) for e in EDITIONS.values() if (root / e.key).is_dir()]
    if not found:
        raise ImportError_(
            f"{root}: no FMTI edition folder ({', '.join(EDITIONS)}); pass the fmti folder "
            "or one edition folder"
        )
    return found


def import_fmti(
    path: str | Path, resolver: Resolver | None = None, **_: Any
) -> ImportResult | list[ImportResult]:
    """Import one edition folder (one result), or every edition under the FMTI folder (one result
    per edition, oldest first: each edition is its own catalogue version)."""
    results = import_fmti_editions(path, resolver)
    return results[0] if len(results) == 1 else results


def import_fmti_editions(path: str | Path, resolver: Resolver | None = None) -> list[ImportResult]:
    """One result (batch) per edition, oldest first."""
    root = Path(path)
    resolver = resolver or Resolver()
    flagships = load_flagships()
    return [
        _import_edition(e, folder, resolver, flagships)
        for e, folder in sorted(_edition_folders(root), key=lambda x: x[0].issued)
    ]


def _import_edition(
    edition: Edition, folder: Path, resolver: Resolver, flagships: dict[tuple[str, str], Flagship]
) -> ImportResult:
    info = edition.info()
    report = ImportReport(source=SOURCE, version=edition.key, path=str(folder))
    scores_path = folder / edition.scores
    if not scores_path.is_file():
        raise ImportError_(f"{scores_path}: FMTI scores file not found")
    developers, rows = _read_wide(scores_path)
    disclosures: dict[str, dict[str, str]] = {}
    files = [scores_path]
    if edition.disclosures and (folder / edition.disclosures).is_file():
        _, drows = _read_wide(folder / edition.disclosures)
        files.append(folder / edition.disclosures)
        for dev in developers:
            disclosures[dev] = {_norm(r["Indicator"]): (r.get(dev) or "").strip() for r in drows}
    elif edition.reports and (folder / edition.reports).is_dir():
        for dev in developers:
            disclosures[dev] = _report_disclosures(folder / edition.reports, dev)
    selected = indicators()
    rows = [r for r in rows if _norm(r["Indicator"]) in selected]
    if not rows:
        raise ImportError_(f"{scores_path}: none of the openness indicators of sources-fmti.ttl found")
    graph = new_graph()
    describe_dataset(graph, info)
    records = Records(info, report)
    for dev in developers:
        report.records_read += 1
        record = f"{edition.key}/{dev}"
        flagship = flagships.get((edition.key, dev))
        if flagship is None:
            report.reject(
                scores_path.name,
                dev,
                f"no flagship model for {dev!r} in edition {edition.key}; add a row "
                "to data/curation/fmti-flagships.csv",
            )
            continue
        bad = [
            (r["Indicator"].strip(), r.get(dev, ""))
            for r in rows
            if find_value(selected[_norm(r["Indicator"])], score_word(r.get(dev, ""))) is None
        ]
        if bad:
            indicator, value = bad[0]
            allowed = " or ".join(allowed_words(selected[_norm(indicator)]))
            report.reject(
                scores_path.name,
                dev,
                f"indicator {indicator!r}: score {value!r} is not {allowed} "
                f"({len(bad)} bad value(s)); record skipped — fix the CSV and import again",
            )
            continue
        rec = records.new(dev)
        release = resolver.release(flagship.name, developer=dev, source=SOURCE, record=record,
                                   owner=rec.owner)
        resolver.describe_release(rec.graph, release, names=[flagship.name])
        rec.graph.add((release, OG.developer, describe_agent(rec.graph, mint.agent_iri(dev), dev)))
        for row in rows:
            indicator = row["Indicator"].strip()
            word = score_word(row[dev])
            quote = disclosures.get(dev, {}).get(_norm(indicator)) or None
            if quote and quote.casefold() == "nan":
                quote = None
            add_claim(
                rec.graph,
                ClaimSpec(
                    about=release,
                    criterion=selected[_norm(indicator)],
                    status=None,
                    source_value=source_value(selected[_norm(indicator)], word),
                    claimant=info.agent,
                    asserted_on=edition.issued,
                    dataset=info.dataset,
                    raw_value=word,
                    note=f"FMTI {edition.title}: {dev}, flagship {flagship.name}; indicator {indicator!r}",
                    key=(record, indicator),
                    evidence=[
                        EvidenceSpec(
                            source=edition.url,
                            retrieved=edition.issued,
                            quote=quote,
                            locator=f"{dev} / {indicator}",
                        )
                    ],
                ),
            )
        report.records_imported += 1
    return finish_import(graph, info, report, resolver, source=SOURCE, files=files, records=records,
                         match_prefix=edition.key + "/")


__all__ = ["EDITIONS", "import_fmti", "import_fmti_editions", "indicators", "load_flagships"]
