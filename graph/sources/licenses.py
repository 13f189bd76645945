"""License normalization: messy license strings → SPDX licenses or one named custom license each.

Catalogues spell licenses in many ways (``Apache 2.0``, ``MIT license``, ``BSD-3``, a dozen
spellings of the Llama and Gemma licenses). The rules can only compare licenses when every
spelling lands on one node, so normalization is done here, once, for every importer:

1. curated spellings in ``data/curation/license-aliases.csv`` (a curator edits the CSV, not code);
2. the SPDX license list through ``license-expression`` (ids and their known aliases, any case);
3. the vendored SPDX list (``data/licenses/spdx-licenses.json``) with spaces read as hyphens;
4. anything else stays a custom license with its raw text and a warning (never dropped, never
   silently "closed").

The OSI-approved / FSF-libre flags come from the SPDX list and MOF acceptance from MOF's own list;
both are written as *claims* about the license node (they are someone's statement, with a date).
The terms of named custom licenses (use restrictions, ODRL constraints) live in the ontology file
``ontology/schemes/licenses.ttl``; :func:`license_graph` copies the terms of each license used.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from license_expression import ExpressionError, LicenseSymbol, get_spdx_licensing
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS

from .. import mint
from ..claims import ClaimSpec, EvidenceSpec, add_claim
from ..namespaces import DEFAULT_DATA_BASE, OG, bind_all, data_base
from ..resources import data_dir, ontology_dir

#: The kinds of resolution. ``spdx`` and ``custom`` name a license; the others are curated
#: special values: ``unlicensed`` (included, no license), ``not-included`` (the item is not part
#: of the release), ``undisclosed`` (the license is not disclosed: unknown), ``empty`` (no value).
KINDS = ("spdx", "custom", "unlicensed", "not-included", "undisclosed", "empty")

#: Claimant names shared with the other importers (the MOT importer uses the same MOF agent).
SPDX_AGENT_NAME = "SPDX License List"
MOF_AGENT_NAME = "LF AI & Data Model Openness Tool"

_CONTENT_TYPES = {"code": OG.CodeContent, "data": OG.DataContent, "document": OG.DocumentContent}
_MOF_LICENSES_URL = (
    "https://github.com/lfai/model_openness_tool/blob/8b5d30e90a7c62d7d6ece48b91e69ff495920a4d/"
    "web/modules/mof/mof-licenses.json"
)


@dataclass(frozen=True)
class LicenseResolution:
    """What one raw license string means.

    ``iri`` is the license node (SPDX IRI, ``id/license/<slug>`` or ``og:Unlicensed``), or None for
    ``not-included`` / ``undisclosed``. ``warning`` is set when the string could not be mapped; it
    then stays a custom license named by its raw text.
    """

    iri: URIRef | None
    spdx_id: str | None
    custom_name: str | None
    raw: str
    warning: str | None = None
    kind: str = "spdx"
    method: str = ""  # alias | spdx | spdx-list | unresolved | special
    url: str | None = None  # the license text's URL (curated), for custom licenses

    @property
    def mapped(self) -> bool:
        """True when the string resolved to something known (an SPDX id, a named custom license,
        or a curated special value); False only for the unresolved fallback."""
        return self.warning is None

    @property
    def names_license(self) -> bool:
        """True when the resolution points at a license node with terms (SPDX or custom)."""
        return self.kind in ("spdx", "custom")


# ----------------------------------------------------------------------------- reference data


def _key(text: str) -> str:
    """Match key for a spelling: case, whitespace, hyphens, underscores, curly quotes and trailing dots
    don't matter (SPDX ids themselves are matched exactly, see :func:`normalize_license`)."""
    text = text.replace("\u2019", "'").replace("\u201c", '"').replace("\u201d", '"')
    text = re.sub(r"[\s_-]+", " ", text)  # "Llama-2-Community" = "Llama 2 Community"
    return text.strip().rstrip(".").strip().casefold()


@dataclass(frozen=True)
class SpdxEntry:
    license_id: str
    name: str
    osi_approved: bool
    fsf_libre: bool
    deprecated: bool


@dataclass(frozen=True)
class SpdxList:
    version: str
    retrieved: str
    entries: dict[str, SpdxEntry]  # by license id
    by_key: dict[str, str]  # casefolded id → id


@cache
def spdx_list() -> SpdxList:
    """The vendored SPDX license list (ids, names, OSI / FSF flags)."""
    path = data_dir() / "licenses" / "spdx-licenses.json"
    raw = json.loads(path.read_text(encoding="utf-8"))
    entries = {
        item["licenseId"]: SpdxEntry(
            item["licenseId"],
            item["name"],
            bool(item.get("isOsiApproved")),
            bool(item.get("isFsfLibre")),
            bool(item.get("isDeprecatedLicenseId")),
        )
        for item in raw["licenses"]
    }
    return SpdxList(raw["licenseListVersion"], raw["retrieved"], entries, {k.casefold(): k for k in entries})


@dataclass(frozen=True)
class MofList:
    version: str
    released: str
    content_types: dict[str, tuple[str, ...]]  # accepted license id → content types


@cache
def mof_list() -> MofList:
    """MOF's list of licenses it accepts as open, with the content each is written for."""
    raw = json.loads((data_dir() / "licenses" / "mof-licenses.json").read_text(encoding="utf-8"))
    types: dict[str, tuple[str, ...]] = {}
    for item in raw["licenses"]:
        value = item.get("ContentType") or []
        value = [value] if isinstance(value, str) else value
        types[item["licenseId"]] = tuple(sorted({*types.get(item["licenseId"], ()), *value}))
    return MofList(raw["licenseListVersion"], raw.get("releaseDate", ""), types)


@dataclass(frozen=True)
class Alias:
    kind: str
    spdx_id: str | None
    custom_name: str | None
    url: str | None


def aliases_path() -> Path:
    return data_dir() / "curation" / "license-aliases.csv"


@cache
def aliases() -> dict[str, Alias]:
    """The curated spellings, checked on load so a curator's typo fails loudly with its line."""
    path = aliases_path()
    table: dict[str, Alias] = {}
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        missing = {"alias", "kind", "spdx_id", "custom_name"} - set(reader.fieldnames or ())
        if missing:
            raise ValueError(f"{path}: missing column(s) {', '.join(sorted(missing))}")
        for line, row in enumerate(reader, start=2):
            kind = (row["kind"] or "").strip()
            spdx_id = (row["spdx_id"] or "").strip() or None
            custom = (row["custom_name"] or "").strip() or None
            where = f"{path.name}:{line} ({row['alias']!r})"
            if kind not in KINDS:
                raise ValueError(f"{where}: unknown kind {kind!r}; use one of {', '.join(KINDS)}")
            if kind == "spdx" and (not spdx_id or spdx_id not in spdx_list().entries):
                raise ValueError(
                    f"{where}: {spdx_id!r} is not an SPDX license id of list "
                    f"{spdx_list().version}; fix the spdx_id column"
                )
            if kind == "custom" and not custom:
                raise ValueError(f"{where}: a custom license needs a custom_name")
            if _key(row["alias"]) in table:
                raise ValueError(
                    f"{where}: the same spelling (ignoring case, spaces, hyphens, trailing dots) is "
                    "already listed above; keep one row"
                )
            table[_key(row["alias"])] = Alias(
                kind, spdx_id, custom, (row.get("license_url") or "").strip() or None
            )
    return table


# ----------------------------------------------------------------------------- normalization


def _spdx_resolution(raw: str, spdx_id: str, method: str) -> LicenseResolution:
    return LicenseResolution(mint.license_iri(spdx_id=spdx_id), spdx_id, None, raw, None, "spdx", method)


@cache
def _licensing() -> Any:
    """license-expression's SPDX licensing; building it takes ~50 ms, so it is built once."""
    return get_spdx_licensing()


@cache
def _via_license_expression(text: str) -> str | None:
    """The SPDX id license-expression knows for a single-license string (its keys and aliases)."""
    licensing = _licensing()
    try:
        parsed = licensing.parse(text, validate=True, strict=True)
    except ExpressionError:
        return None
    if not isinstance(parsed, LicenseSymbol):
        return None  # compound expressions (A OR B) are not one license; left to the curator
    key = parsed.key
    return key if key in spdx_list().entries else None


def normalize_license(raw: str | None) -> LicenseResolution:
    """Resolve one raw license string (see the module docstring for the order of attempts)."""
    original = "" if raw is None else str(raw)
    text = original.strip()
    if not text:
        return LicenseResolution(OG.Unlicensed, None, None, original, None, "empty", "special")
    alias = aliases().get(_key(text))
    if alias is not None:
        if alias.kind == "spdx":
            return _spdx_resolution(original, alias.spdx_id or "", "alias")
        if alias.kind == "custom":
            iri = mint.license_iri(custom_name=alias.custom_name)
            return LicenseResolution(
                iri, None, alias.custom_name, original, None, "custom", "alias", alias.url
            )
        iri = OG.Unlicensed if alias.kind == "unlicensed" else None
        return LicenseResolution(iri, None, None, original, None, alias.kind, "special")
    spdx_id = _via_license_expression(text)
    if spdx_id:
        return _spdx_resolution(original, spdx_id, "spdx")
    spdx = spdx_list()
    for candidate in (text, re.sub(r"\s+", "-", text), re.sub(r"(?i)[\s-]+license$", "", text)):
        found = spdx.by_key.get(candidate.casefold())
        if found:
            return _spdx_resolution(original, found, "spdx-list")
    warning = (
        f"unmapped license {text!r}: kept as a custom license with its raw text; add a row to "
        f"{aliases_path().name} to map it"
    )
    return LicenseResolution(
        mint.license_iri(custom_name=text), None, text, original, warning, "custom", "unresolved"
    )


# ----------------------------------------------------------------------------- license nodes


def _rebase(term: URIRef) -> URIRef:
    """licenses.ttl names custom licenses under the default data base; follow OPENNESS_BASE_IRI."""
    base = data_base()
    if base != DEFAULT_DATA_BASE and str(term).startswith(DEFAULT_DATA_BASE):
        return URIRef(base + str(term)[len(DEFAULT_DATA_BASE) :])
    return term


@cache
def _terms_graph() -> Graph:
    graph = Graph()
    graph.parse(ontology_dir() / "schemes" / "licenses.ttl", format="turtle")
    return graph


def license_terms(iri: URIRef) -> Graph:
    """The curated terms of one license (use restrictions, ODRL rules, labels), blank nodes included."""
    source = _terms_graph()
    out = Graph()
    original = (
        URIRef(DEFAULT_DATA_BASE + str(iri)[len(data_base()) :]) if str(iri).startswith(data_base()) else iri
    )
    todo: list = [original]
    seen: set = set()
    while todo:
        node = todo.pop()
        if node in seen:
            continue
        seen.add(node)
        for p, o in source.predicate_objects(node):
            s_out = _rebase(node) if isinstance(node, URIRef) else node
            o_out = _rebase(o) if isinstance(o, URIRef) else o
            out.add((s_out, p, o_out))
            if isinstance(o, BNode):
                todo.append(o)
    return out


def license_graph(resolutions: Iterable[LicenseResolution]) -> Graph:
    """The license nodes for the given resolutions: type, SPDX id or raw text, label, URL, terms."""
    graph = Graph()
    bind_all(graph.namespace_manager)
    spdx = spdx_list()
    for res in resolutions:
        if res.iri is None:
            continue
        if res.iri == OG.Unlicensed:
            graph.add((OG.Unlicensed, RDF.type, OG.License))
            graph.add((OG.Unlicensed, RDFS.label, Literal("no license (included but unlicensed)")))
            continue
        graph.add((res.iri, RDF.type, OG.License))
        if res.spdx_id:
            graph.add((res.iri, OG.spdxId, Literal(res.spdx_id)))
            entry = spdx.entries.get(res.spdx_id)
            graph.add((res.iri, RDFS.label, Literal(entry.name if entry else res.spdx_id)))
            graph.add((res.iri, OG.licenseURL, URIRef(f"https://spdx.org/licenses/{res.spdx_id}.html")))
        else:
            graph.add((res.iri, RDF.type, OG.CustomLicense))
            graph.add((res.iri, RDFS.label, Literal(res.custom_name or res.raw.strip())))
            graph.add((res.iri, OG.rawText, Literal(res.raw.strip())))
            if res.url:
                graph.add((res.iri, OG.licenseURL, URIRef(res.url)))
            if res.warning:
                graph.add((res.iri, RDFS.comment, Literal(res.warning)))
        graph += license_terms(res.iri)
        for ctype in mof_list().content_types.get(res.spdx_id or "", ()):
            if ctype in _CONTENT_TYPES:
                graph.add((res.iri, OG.licenseContentType, _CONTENT_TYPES[ctype]))
    return graph


def licenses_with_facts(resolutions: Iterable[LicenseResolution], graph: Graph) -> Graph:
    """Every license a batch names, described (:func:`license_graph`) together with the facts the
    rules read about it (:func:`license_fact_claims`): the one call each importer makes."""
    used = [r for r in resolutions if r.names_license]
    graph += license_graph(used)
    license_fact_claims(used, graph)
    return graph


def is_open_license(res: LicenseResolution) -> bool:
    """Open terms by the same lists the rules read: OSI-approved, FSF-libre, MOF-accepted, or
    OpenMDW-1.0. Custom, proprietary and ``unlicensed`` are not open (no list speaks for them)."""
    if not res.spdx_id:
        return False
    entry = spdx_list().entries.get(res.spdx_id)
    return (
        res.spdx_id == "OpenMDW-1.0"
        or res.spdx_id in mof_list().content_types
        or bool(entry and (entry.osi_approved or entry.fsf_libre))
    )


def license_fact_claims(resolutions: Iterable[LicenseResolution], graph: Graph | None = None) -> Graph:
    """Claims about each SPDX license used: OSI-approved and FSF-libre (claimant: the SPDX list),
    MOF-accepted (claimant: the MOF agent). Custom licenses get none: no list speaks for them."""
    graph = graph if graph is not None else Graph()
    bind_all(graph.namespace_manager)
    spdx, mof = spdx_list(), mof_list()
    spdx_agent, mof_agent = mint.agent_iri(SPDX_AGENT_NAME), mint.agent_iri(MOF_AGENT_NAME)
    spdx_ds = mint.dataset_iri("spdx-license-list", spdx.version)
    mof_ds = mint.dataset_iri("mof-licenses", mof.version)
    used: dict[str, URIRef] = {r.spdx_id: r.iri for r in resolutions if r.spdx_id and r.iri is not None}
    if not used:
        return graph
    _describe_lists(graph)
    for spdx_id, iri in sorted(used.items()):
        entry = spdx.entries[spdx_id]
        page = f"https://spdx.org/licenses/{spdx_id}.html"
        for criterion, flag, word in (
            (OG.OSIApproved, entry.osi_approved, "isOsiApproved"),
            (OG.FSFLibre, entry.fsf_libre, "isFsfLibre"),
        ):
            add_claim(
                graph,
                ClaimSpec(
                    about=iri,
                    criterion=criterion,
                    status="open" if flag else "closed",
                    claimant=spdx_agent,
                    asserted_on=spdx.retrieved,
                    dataset=spdx_ds,
                    raw_value=f"{word}: {str(flag).lower()}",
                    evidence=[
                        EvidenceSpec(
                            source=page,
                            retrieved=spdx.retrieved,
                            kind="secondary",
                            locator=f"SPDX License List {spdx.version}, {word}",
                        )
                    ],
                ),
            )
        accepted = spdx_id in mof.content_types
        add_claim(
            graph,
            ClaimSpec(
                about=iri,
                criterion=OG.MOFAcceptedLicense,
                status="open" if accepted else "closed",
                claimant=mof_agent,
                asserted_on=mof.released,
                dataset=mof_ds,
                raw_value="listed in mof-licenses.json" if accepted else "not listed in mof-licenses.json",
                evidence=[
                    EvidenceSpec(
                        source=_MOF_LICENSES_URL,
                        retrieved=mof.released,
                        kind="secondary",
                        locator=f"licenseId {spdx_id}",
                    )
                ],
            ),
        )
    return graph


def _describe_lists(graph: Graph) -> None:
    """The two license lists as datasets with their publishers (claims cite them via dcterms:source)."""
    from .base import SourceInfo, describe_dataset

    spdx, mof = spdx_list(), mof_list()
    describe_dataset(
        graph,
        SourceInfo(
            name="spdx-license-list",
            version=spdx.version,
            title="SPDX License List",
            publisher=SPDX_AGENT_NAME,
            publisher_homepage="https://spdx.org/licenses/",
            license="http://spdx.org/licenses/CC0-1.0",
            citation=f"SPDX License List {spdx.version}, The Linux Foundation, https://spdx.org/licenses/",
            issued=_date(spdx.retrieved),
            landing_page="https://spdx.org/licenses/",
        ),
    )
    describe_dataset(
        graph,
        SourceInfo(
            name="mof-licenses",
            version=mof.version,
            title="Model Openness Framework accepted licenses",
            publisher=MOF_AGENT_NAME,
            publisher_homepage="https://mot.isitopen.ai/",
            license="http://spdx.org/licenses/MIT",
            citation="LF AI & Data, Model Openness Tool, web/modules/mof/mof-licenses.json",
            issued=_date(mof.released),
            landing_page=_MOF_LICENSES_URL,
            commit="8b5d30e90a7c62d7d6ece48b91e69ff495920a4d",
            repository="https://github.com/lfai/model_openness_tool",
        ),
    )


def _date(text: str) -> dt.date:
    return dt.date.fromisoformat(text[:10])


def resolve_all(values: Iterable[str | None]) -> list[LicenseResolution]:
    """Normalize many values (a convenience for importers and the coverage test)."""
    return [normalize_license(v) for v in values]


def mapped_share(resolutions: list[LicenseResolution]) -> float:
    """Share of values that resolved (SPDX, named custom, or a curated special value)."""
    return sum(r.mapped for r in resolutions) / len(resolutions) if resolutions else 1.0
