"""Importer for Hugging Face model cards: the YAML front matter of a local README.md.

A card is its repository owner's own statement about the release, so its claims carry primary
evidence (the card's URL on the Hub). What is read (mappings in ``ontology/schemes/sources-hf.ttl``):

* ``license`` → an ``hf:License`` claim recording the card's value (``og:sourceValue``
  ``hf:value-license-declared``, ``og:HFValueScheme``) with the resolved license as
  ``og:claimedLicense`` (the raw string kept; its status follows the terms, by the claim-status
  rule). ``license: other`` resolves ``license_name`` through the alias table, else
  ``license_link`` through the curated license URLs; a bare ``other`` is an unnamed custom license
  of that card, with a warning (never dropped);
* ``datasets`` → one ``hf:Datasets`` claim listing them (``hf:value-datasets-named``);
* ``base_model`` (a string or a list; repeated parents count once) with ``base_model_relation`` →
  typed derivation edges: ``adapter`` → ``og:adapterOf``, ``merge`` → ``og:mergedFrom`` (one per
  parent), ``quantized`` → ``og:quantizedFrom``, ``finetune`` → ``og:fineTunedFrom``; with no
  relation, several distinct parents are a merge (Hugging Face's convention, reported as a warning)
  and one parent a fine-tune.

The release name is the repository id: the ``repo_id`` argument, else the file name with ``__`` for
``/`` (``TheBloke__Llama-2-7B-Chat-GGUF.md``), else the folder name of a ``README.md``.

Bad input: a card without front matter, with a YAML error, or with an unknown
``base_model_relation`` is skipped and reported (file, line); a path with no card is refused.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import yaml
from rdflib import URIRef

from .. import mint
from ..claims import EvidenceSpec, add_claim
from ..ingest.safe import load_yaml, read_text
from ..namespaces import HF, OG
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
    normalize,
    source_claim,
    text,
    url,
)
from .licenses import LicenseResolution, license_by_url
from .resolve import Resolver

SOURCE = "hf-card"
#: The date the bundled example cards were written (the retrieval date when none is given).
DEFAULT_RETRIEVED = dt.date(2026, 11, 27)
RELATIONS = {
    "finetune": OG.fineTunedFrom,
    "adapter": OG.adapterOf,
    "merge": OG.mergedFrom,
    "quantized": OG.quantizedFrom,
}
_FRONT = re.compile(r"\A---\s*\n(.*?)\n---\s*(\n|\Z)", re.S)


def _info(retrieved: dt.date) -> SourceInfo:
    return SourceInfo(
        name="hf-card",
        version=retrieved.isoformat(),
        title="Hugging Face model cards (local files)",
        publisher="Hugging Face model card authors",
        publisher_homepage="https://huggingface.co/",
        license="http://spdx.org/licenses/CC-BY-4.0",
        citation="Model cards of the Hugging Face Hub repositories named in each claim (local files)",
        issued=retrieved,
        landing_page="https://huggingface.co/docs/hub/model-cards",
    )


def repo_id_for(path: Path) -> str:
    """``org__name.md`` → ``org/name``; ``…/org__name/README.md`` → ``org/name``."""
    stem = path.parent.name if path.name.lower() == "readme.md" else path.stem
    return stem.replace("__", "/")


def front_matter(path: Path) -> tuple[dict[str, Any] | None, str | None, int | None]:
    """(metadata, error, line): the card's YAML front matter, or why it could not be read."""
    content = read_text(path)  # size limit (openness.ingest.limits)
    match = _FRONT.match(content)
    if not match:
        return None, "no YAML front matter (a card starts with a '---' line)", 1
    try:
        meta = load_yaml(match.group(1), path)  # no aliases, nesting-depth limit
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        return (
            None,
            f"YAML syntax error in the front matter: {getattr(err, 'problem', err)}",
            (mark.line + 2 if mark is not None else None),
        )
    if not isinstance(meta, dict):
        return None, "the front matter is not a mapping of fields", 2
    return meta, None, None


def _cards(root: Path) -> list[Path]:
    if root.is_file():
        return [root]
    cards = sorted(p for p in root.rglob("*.md") if not (p.name == "README.md" and p.parent == root))
    if not cards:
        raise ImportError_(f"{root}: no model card (*.md with YAML front matter) found")
    return cards


def _as_list(value: Any) -> list[str]:
    items = value if isinstance(value, list) else [value]
    return [s for item in items if (s := text(item))]


def import_hf_card(
    path: str | Path,
    resolver: Resolver | None = None,
    *,
    repo_id: str | None = None,
    retrieved: dt.date | None = None,
    **_: Any,
) -> ImportResult:
    """Import one card file, or every card under a folder: one record graph per card."""
    cards = _cards(Path(path))
    resolver = resolver or Resolver()
    info = _info(retrieved or DEFAULT_RETRIEVED)
    report = ImportReport(source=SOURCE, version=info.version, path=str(path))
    graph = new_graph()
    describe_dataset(graph, info)
    records = Records(info, report)
    for card in cards:
        report.records_read += 1
        rid = repo_id if repo_id and len(cards) == 1 else repo_id_for(card)
        meta, error, line = front_matter(card)
        if meta is None:
            report.reject(card.name, rid, f"{error}; fix the card and import again", line)
            continue
        relation, inferred = relation_of(meta, list(dict.fromkeys(_as_list(meta.get("base_model")))))
        if relation not in RELATIONS:
            report.reject(
                card.name,
                rid,
                f"base_model_relation {relation!r} is not one of {', '.join(RELATIONS)}; card skipped",
            )
            continue
        if inferred:
            report.warnings.append(f"{card.name} [{rid}]: {inferred}")
        rec = records.new(rid)
        _import_card(rec.graph, info, card, rid, meta, relation, resolver, rec.licenses, report, rec.owner)
        report.records_imported += 1
    return finish_import(graph, info, report, resolver, source=SOURCE, files=cards, records=records)


def _owner(graph: Any, release: URIRef, rid: str) -> None:
    """The Hub account that owns the repository is the release's developer (as far as a card says)."""
    if "/" in rid:
        owner = rid.split("/")[0]
        graph.add((release, OG.developer, describe_agent(graph, mint.agent_iri(owner), owner)))


def _license(meta: dict[str, Any], rid: str) -> tuple[LicenseResolution | None, str | None, str | None]:
    """(license, raw value, warning) of a card's ``license`` field.

    ``license: other`` names a custom license with ``license_name`` and ``license_link``
    (Hugging Face's convention, hub-docs#1116): it resolves to a curated license by its name
    (the alias table) or by its link (the curated license URLs), else stays a custom license named
    by ``license_name`` with the link kept. A bare ``other`` is the developer's statement that the
    terms are custom and unnamed: an unnamed custom license of this card (raw value "other"),
    with a warning, never dropped.
    """
    raw = text(meta.get("license"))
    if raw is None:
        return None, None, None
    if raw.casefold() != "other":
        res = normalize(raw)
        return res, raw, res.warning
    name = text(meta.get("license_name"))
    link = url(meta.get("license_link"))
    if name is None and link is None:
        custom = f"custom license of {rid} (license: other, not named)"
        res = LicenseResolution(mint.license_iri(custom_name=custom), None, custom, raw,
                                "license: other without license_name or license_link: the card's terms "
                                "are custom and unnamed; kept as an unknown custom license of this card",
                                "custom", "unresolved")
        return res, raw, res.warning
    raw_value = f"other: {name}" if name else "other"
    res = normalize(name) if name else None
    if res is None or not res.mapped:
        by_link = license_by_url(str(link) if link else None, raw=name or str(link))
        if by_link is not None:
            return by_link, raw_value, None
    if res is None:  # a link only: named by its link
        res = normalize(str(link))
    if link is not None and res.kind == "custom" and res.url is None:
        res = LicenseResolution(res.iri, None, res.custom_name, res.raw, res.warning, res.kind, res.method,
                                str(link))
    return res, raw_value, res.warning


def relation_of(meta: dict[str, Any], parents: list[str]) -> tuple[str, str | None]:
    """(relation, warning): ``base_model_relation`` as given, else inferred the way Hugging Face
    documents it: several distinct parents are a merge ("This information can also be used to
    indicate if your model is a merge of multiple existing models", hub-docs#1168), one a
    fine-tune. An inferred merge is reported."""
    given = text(meta.get("base_model_relation"))
    if given:
        return given.casefold(), None
    if len(parents) > 1:
        return "merge", (f"base_model lists {len(parents)} distinct parents and no base_model_relation: "
                         "read as a merge (og:mergedFrom each), as Hugging Face does")
    return "finetune", None


def _import_card(
    graph: Any,
    info: SourceInfo,
    card: Path,
    rid: str,
    meta: dict[str, Any],
    relation: str,
    resolver: Resolver,
    resolutions: list[LicenseResolution],
    report: ImportReport,
    owner: tuple[str, str] | None = None,
) -> None:
    release = resolver.release(
        rid, developer=rid.split("/")[0] if "/" in rid else None, source=SOURCE, record=card.name, owner=owner
    )
    resolver.describe_release(graph, release, names=[rid])
    _owner(graph, release, rid)
    hub = f"https://huggingface.co/{rid}"
    graph.add((release, OG.huggingFaceRepo, URIRef(hub)))

    def claim(criterion: URIRef, word: str, raw: str, locator: str, claimed: URIRef | None = None) -> None:
        add_claim(
            graph,
            source_claim(
                info,
                release,
                criterion,
                word,
                raw_value=raw,
                claimed_license=claimed,
                key=(rid,),
                evidence=[
                    EvidenceSpec(
                        source=hub,
                        retrieved=info.issued,
                        kind="primary",
                        quote=f"{locator}: {raw}",
                        locator=f"README.md front matter, {locator}",
                    )
                ],
            ),
        )

    res, raw_license, warning = _license(meta, rid)
    if res is not None and raw_license is not None:
        report.license_seen(res.raw, res.mapped)
        if warning:
            report.warnings.append(f"{card.name} [{rid}]: {warning}")
        if res.names_license:
            resolutions.append(res)
        claim(HF.License, "license", raw_license, "license", res.iri)
    datasets = _as_list(meta.get("datasets"))
    if datasets:
        claim(HF.Datasets, "datasets", ", ".join(datasets), "datasets")
    edge = RELATIONS[relation]
    for base in dict.fromkeys(_as_list(meta.get("base_model"))):
        parent = resolver.release(
            base,
            developer=base.split("/")[0] if "/" in base else None,
            source=SOURCE,
            record=f"{card.name}:base_model",
        )
        resolver.describe_release(graph, parent, names=[base])
        _owner(graph, parent, base)
        if parent != release:
            graph.add((release, edge, parent))
