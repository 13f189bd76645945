"""Importer for the LF AI & Data Model Openness Tool (MOT): one YAML per model release.

What a MOT record says, as claims of MOT (claimant: the MOT agent) about the release. The importer
records MOT's own values (``og:sourceValue``, ``og:MOTValueScheme`` in ``ontology/schemes/mof.ttl``)
and never a status; ``queries/rules/claim-status.ru`` maps them:

* each of the 17 MOF components (criterion ``mof:*``): ``mof:value-listed`` when the record lists
  it (MOT lists the components *included* in the distribution), with the license it is listed
  under as ``og:claimedLicense``: its own, else the release's license for its content type, else
  the distribution license, else ``og:Unlicensed`` — MOT's evaluator's own resolution (empty,
  ``unlicensed``, "License not specified" → ``og:Unlicensed``); ``mof:value-not-listed`` when the
  record does not list it (absence is its own value: the evidence is the record file, its
  components list, with no quote); the phrases record authors write in the license field instead
  of a license are values of their own: "Component not include" (and spellings) →
  ``mof:value-not-included``, "Undisclosed" → ``mof:value-undisclosed``. A compound license
  statement (several licenses in one value) is kept unresolved, with a warning, never read as its
  first license. The raw license string is kept as ``og:rawValue``;
* the release-level licenses (``release.license.distribution/code/data/document``) with criteria
  ``mof:DistributionLicense`` … ``mof:DocumentLicense`` and the same values.

``release.date`` is the date the record was made, not the release date, so it is not written as
``og:releaseDate`` (``og:releaseDateUnknown`` is added at build time when no source knows the date).
Records failing ``schema/mof_schema.json`` and the documented test entries are rejected.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCAT, RDF, RDFS, SKOS

from .. import mint
from ..claims import ClaimSpec, EvidenceSpec, add_claim
from ..ingest.safe import load_json_schema, offline_registry
from ..namespaces import MOF, OG
from ..resources import ontology_dir
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
from .licenses import MOF_AGENT_NAME, LicenseResolution
from .resolve import Resolver
from .values import find_value, source_value

SOURCE = "mot"
INFO = SourceInfo(
    name="mot",
    version="2026-05-11",
    title="Model Openness Tool",
    publisher=MOF_AGENT_NAME,
    publisher_homepage="https://mot.isitopen.ai/",
    license="http://spdx.org/licenses/MIT",
    citation=("LF AI & Data, Model Openness Tool (MOT), https://mot.isitopen.ai, repository "
              "lfai/model_openness_tool @ 8b5d30e90a7c62d7d6ece48b91e69ff495920a4d; White et al., "
              "The Model Openness Framework, arXiv:2403.13784"),
    issued=dt.date(2026, 5, 11),
    landing_page="https://mot.isitopen.ai/",
    commit="8b5d30e90a7c62d7d6ece48b91e69ff495920a4d",
    repository="https://github.com/lfai/model_openness_tool",
)

#: Documented test entries of the MOT repository, rejected with their reason.
KNOWN_JUNK: dict[str, str] = {
    "DeepSeek-V3-test.yml": "test entry (a duplicate of DeepSeek-V3.yml named '-test'), not a model release",
    "Unnamed-Model.yml": "test entry without a model name ('Unnamed-Model'), not a model release",
}

#: The 17 MOF component names as MOT writes them (mof.settings.yml), in MOF class order.
COMPONENTS: tuple[str, ...] = (
    "Model architecture", "Model parameters (Final)", "Model card", "Data card", "Technical report",
    "Evaluation results", "Sample model outputs", "Training code", "Inference code", "Evaluation code",
    "Evaluation data", "Supporting libraries and tools", "Data preprocessing code", "Datasets",
    "Model parameters (Intermediate)", "Research paper", "Model metadata",
)
RELEASE_LICENSES: dict[str, str] = {
    "distribution": "Distribution license", "code": "Code license", "data": "Data license",
    "document": "Document license",
}


def _camel(label: str) -> str:
    return "".join(w[:1].upper() + w[1:] for w in re.split(r"[^A-Za-z0-9]+", label) if w)


#: MOF content type → the key of the release-level license that covers it.
CONTENT_KEYS = {OG.CodeContent: "code", OG.DataContent: "data", OG.DocumentContent: "document"}


@cache
def content_types() -> dict[str, URIRef]:
    """Component name → its MOF content type (og:CodeContent, og:DataContent, og:DocumentContent)."""
    path = ontology_dir() / "schemes" / "mof.ttl"
    scheme = Graph().parse(path, format="turtle")
    by_concept = {concept: URIRef(str(ct)) for concept, ct in scheme.subject_objects(OG.contentType)}
    return {name: by_concept[c] for name, c in criteria().items() if c in by_concept}


@cache
def criteria() -> dict[str, URIRef]:
    """Component / release-license name → its ``mof:*`` concept, matched by label in mof.ttl.

    Falls back to the CamelCase local name of the label when the scheme file is absent.
    """
    names = {n.casefold(): n for n in (*COMPONENTS, *RELEASE_LICENSES.values())}
    out = {n: MOF[_camel(n)] for n in names.values()}
    path = ontology_dir() / "schemes" / "mof.ttl"
    if path.is_file():
        scheme = Graph().parse(path, format="turtle")
        for prop in (SKOS.prefLabel, SKOS.altLabel, RDFS.label):
            for concept, label in scheme.subject_objects(prop):
                name = names.get(str(label).strip().casefold())
                if name and str(concept).startswith(str(MOF)):
                    out[name] = URIRef(str(concept))
    return out


@cache
def _validator() -> Any:
    import jsonschema

    return jsonschema


def _schema_errors(schema: dict[str, Any], doc: Any) -> list[str]:
    js = _validator()
    validator = js.Draft202012Validator(  # the registry: a $ref is resolved in the schema or not at all
        schema, format_checker=js.FormatChecker(), registry=offline_registry()
    )
    return [f"{'/'.join(str(p) for p in e.absolute_path) or '(top)'}: {e.message}"
            for e in validator.iter_errors(doc)]


def _size_token(value: str | None) -> str | None:
    if value and re.fullmatch(r"(\d+x)?\d+(\.\d+)?\s*[BbMm]", value.strip()):
        return value.strip().replace(" ", "")
    return None




def _owner(rec: dict[str, Any]) -> str | None:
    """When MOT leaves ``producer`` empty: the Hugging Face org or GitHub owner of the record's URLs."""
    for key in ("huggingface", "repository"):
        found = url(rec.get(key))
        m = re.match(r"https://(?:huggingface\.co|github\.com)/([^/]+)/", str(found or ""))
        if m:
            return m.group(1)
    return None


def import_mot(path: str | Path, resolver: Resolver | None = None, **_: Any) -> ImportResult:
    """Read a MOT checkout (or its ``models/`` folder): one record graph per model file."""
    root = Path(path)
    models = root / "models" if (root / "models").is_dir() else root
    files = sorted(p for p in models.glob("*.yml") if p.is_file()) if models.is_dir() else []
    if not files:
        raise ImportError_(f"{models}: no MOT model files (*.yml) found; "
                           "pass the MOT folder or its models/ folder")
    candidates = (root / "schema" / "mof_schema.json", models.parent / "schema" / "mof_schema.json")
    schema_path = next((p for p in candidates if p.is_file()), None)
    schema = load_json_schema(schema_path) if schema_path else None  # bounded, no remote $ref
    resolver = resolver or Resolver()
    report = ImportReport(source=SOURCE, version=INFO.version, path=str(root))
    if schema is None:
        report.warnings.append(f"{root}: schema/mof_schema.json not found; "
                               "records checked for required fields only")
    graph = new_graph()
    describe_dataset(graph, INFO)
    records = Records(INFO, report)
    crit = criteria()
    for file in files:
        report.records_read += 1
        if file.name in KNOWN_JUNK:
            report.reject(file.name, file.stem, KNOWN_JUNK[file.name])
            continue
        doc = load_yaml_record(file, report, file.stem)
        if doc is None:
            continue
        problems = _schema_errors(schema, doc) if schema else []
        release = doc.get("release") if isinstance(doc, dict) else None
        if not isinstance(release, dict):
            problems.append("missing required field 'release'")
        elif not text(release.get("name")):
            problems.append("missing required field 'release.name'")
        if problems:
            report.reject(file.name, file.stem, "does not match mof_schema.json: " + "; ".join(problems[:3])
                          + " — fix the record and import again")
            continue
        assert isinstance(release, dict)
        rec = records.new(file.stem)
        _import_record(rec.graph, file, release, resolver, report, rec.licenses, crit, rec.owner)
        report.records_imported += 1
    return finish_import(graph, INFO, report, resolver, source=SOURCE, files=files, records=records)


def _import_record(graph: Graph, file: Path, rec: dict[str, Any], resolver: Resolver, report: ImportReport,
                   resolutions: list[LicenseResolution], crit: dict[str, URIRef],
                   owner: tuple[str, str] | None = None) -> None:
    name = str(rec["name"]).strip()
    producer = text(rec.get("producer"))
    version = text(rec.get("version"))
    release = resolver.release(name, developer=producer, source=SOURCE, record=file.name,
                               size=_size_token(version), aliases=[file.stem], owner=owner,
                               own_name=file.stem)
    stem_ok = file.stem in resolver.names(release)
    resolver.describe_release(graph, release, names=[name, file.stem] if stem_ok else [name])
    developer = producer or _owner(rec)
    if developer:
        graph.add((release, OG.developer, describe_agent(graph, mint.agent_iri(developer), developer)))
    else:  # unknown is a value: queries/rules/release-developers.ru derives og:developerUnknown
        report.warnings.append(f"{file.name}: no producer and no repository owner; developer unknown")
    if repo := url(rec.get("repository")):
        graph.add((release, OG.repository, repo))
    if (hf := url(rec.get("huggingface"))) and str(hf).startswith("https://huggingface.co/"):
        graph.add((release, OG.huggingFaceRepo, hf))
    if rtype := text(rec.get("type")):
        graph.add((release, OG.modality, Literal(rtype)))
    evidence_url = INFO.file_url(f"models/{file.name}")
    agent, ds = INFO.agent, INFO.dataset
    values = mot_values()

    def claim(criterion: URIRef, value: URIRef, raw: str | None, locator: str, quote: str | None = None,
              license_iri: URIRef | None = None, note: str | None = None) -> None:
        add_claim(graph, ClaimSpec(
            about=release, criterion=criterion, status=None, source_value=value, claimant=agent,
            asserted_on=INFO.issued, dataset=ds, raw_value=raw, claimed_license=license_iri, note=note,
            key=(file.name,),
            evidence=[EvidenceSpec(source=evidence_url, retrieved=INFO.issued, quote=quote, locator=locator)],
        ))

    def said(criterion: URIRef, raw: str, where: str) -> tuple[URIRef, URIRef | None, str | None]:
        """(value, claimed license, note) of a license field: a phrase of MOT's value scheme
        ("Component not include", "Undisclosed"), else a license under which the item is listed."""
        phrase = find_value(criterion, raw)
        if phrase is not None and phrase not in (values.listed, values.not_listed):
            return phrase, None, None
        res = normalize(raw)
        report.license_seen(raw, res.mapped)
        if res.warning:
            report.warnings.append(f"{file.name} [{where}]: {res.warning}")
        if res.kind == "undisclosed":
            return values.undisclosed, None, None
        if res.iri is None:  # a compound statement, kept unresolved (the warning above says so)
            return values.listed, None, "license statement kept unresolved: several licenses in one value"
        if res.names_license:
            resolutions.append(res)
        return values.listed, res.iri, None

    licenses: dict[str, Any] = rec["license"] if isinstance(rec.get("license"), dict) else {}
    release_said: dict[str, tuple[URIRef, URIRef | None, str]] = {}
    for key, label in RELEASE_LICENSES.items():
        entry = licenses.get(key)
        raw = text(entry.get("name")) if isinstance(entry, dict) else None
        if not raw:
            continue
        locator = f"release.license.{key}.name"
        value, license_iri, note = said(crit[label], raw, locator)
        release_said[key] = (value, license_iri, locator)
        if license_iri is not None:
            graph.add((release, OG.license, license_iri))
        claim(crit[label], value, raw, locator, quote=f"{key}: name: {raw}", license_iri=license_iri,
              note=note)

    listed: dict[str, dict[str, Any]] = {}
    for item in rec.get("components") or []:
        cname = text(item.get("name")) if isinstance(item, dict) else None
        match = next((c for c in COMPONENTS if cname and c.casefold() == cname.casefold()), None)
        if match is None:
            report.warnings.append(f"{file.name}: unknown component name {cname!r}; skipped")
            continue
        listed[match] = item
    for comp in COMPONENTS:
        criterion = crit[comp]
        item = listed.get(comp)
        if item is None:  # absence is its own value; the evidence is the record's list, no quote
            claim(criterion, values.not_listed, None,
                  f"release.components (the record's list of included components; {comp} is not in it)")
            continue
        node = mint.component_iri(release, comp)
        graph.add((node, RDF.type, OG.Component))
        graph.add((node, RDFS.label, Literal(f"{resolver.label(release)}: {comp}")))
        graph.add((node, OG.componentType, criterion))
        graph.add((node, OG.componentOf, release))
        graph.add((release, OG.hasComponent, node))
        if cpath := url(item.get("component_path")):
            graph.add((node, DCAT.accessURL, cpath))
        if "license" not in item:
            # MOT's evaluator: the license for the component's content type, else the distribution
            # license, else none (unlicensed) — recorded as what the record says for the component
            content = content_types().get(comp)
            key = CONTENT_KEYS.get(content, "") if content is not None else ""
            inherited = release_said.get(key) or release_said.get("distribution")
            if inherited is None:
                claim(criterion, values.listed, None,
                      f"release.components[{comp}] (no license of its own, none for the release: unlicensed)",
                      quote=f"name: {comp}", license_iri=OG.Unlicensed)
            else:
                value, license_iri, locator = inherited
                if license_iri is not None:
                    graph.add((node, OG.license, license_iri))
                claim(criterion, value, None,
                      f"release.components[{comp}] (no license of its own; {locator})",
                      quote=f"name: {comp}", license_iri=license_iri)
            continue
        raw = "" if item.get("license") is None else str(item.get("license"))
        locator = f"release.components[{comp}].license"
        value, license_iri, note = said(criterion, raw, comp)
        if license_iri is not None:
            graph.add((node, OG.license, license_iri))
        claim(criterion, value, raw, locator, quote=f"name: {comp}, license: {raw}", license_iri=license_iri,
              note=note)


@dataclass(frozen=True)
class MotValues:
    """The concepts of MOT's value scheme the importer writes (looked up by their notation)."""

    listed: URIRef
    not_listed: URIRef
    undisclosed: URIRef


@cache
def mot_values() -> MotValues:
    """MOT's values from ``og:MOTValueScheme`` (mof.ttl), by the words MOT uses for them."""
    any_component = MOF.ModelArchitecture
    return MotValues(source_value(any_component, "included"), source_value(any_component, "missing"),
                     source_value(any_component, "Undisclosed"))


__all__ = ["COMPONENTS", "INFO", "KNOWN_JUNK", "criteria", "import_mot"]
