"""What the SPDX 3 and CycloneDX exports say about each release, read from the store once.

Queries: ``queries/analysis/bom-releases.rq`` (labels, dates, developers, declared licenses,
derivations, current verdicts), ``bom-components.rq`` (components with their licenses) and
``bom-licenses.rq`` (SPDX ids, labels, open terms). The derivation properties are bound from the
ontology (:func:`openness.analysis.lineage.derivation_properties`). Nothing is judged here.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from .. import derive
from ..analysis.lineage import derivation_properties
from ..namespaces import MOF
from ..store import Store

#: Component types that are training data and evaluation data (MOF 1.0 components).
TRAINING_DATA = str(MOF.Datasets)
EVALUATION_DATA = str(MOF.EvaluationData)


@dataclass(frozen=True)
class LicenseFact:
    """A license node: IRI, SPDX id (None for a custom license), label, text URL, open terms."""

    iri: str
    spdx_id: str | None
    label: str
    url: str
    open_terms: bool | None

    @property
    def slug(self) -> str:
        """A LicenseRef-safe name: letters, digits, dots and dashes."""
        tail = self.iri.rstrip("/").rsplit("/", 1)[-1].rsplit("#", 1)[-1]
        return "".join(c if c.isalnum() or c in ".-" else "-" for c in tail) or "license"


@dataclass(frozen=True)
class ComponentFact:
    """One component of a release: IRI, type (a MOF concept), labels, licenses, access URL."""

    iri: str
    type: str
    type_label: str
    label: str
    licenses: tuple[str, ...]
    access: str


@dataclass
class ReleaseFact:
    """One release as the exports describe it."""

    iri: str
    label: str
    version: str = ""
    date: str = ""  # ISO text: YYYY, YYYY-MM or YYYY-MM-DD ("" unknown)
    parameters: str = ""
    modality: str = ""
    huggingface: str = ""
    repository: str = ""
    homepage: str = ""
    developers: list[tuple[str, str]] = field(default_factory=list)  # (IRI, label)
    licenses: list[str] = field(default_factory=list)  # license IRIs
    parents: list[tuple[str, str]] = field(default_factory=list)  # (relation local name, parent IRI)
    verdicts: dict[str, str] = field(default_factory=dict)  # framework key -> verdict label
    components: list[ComponentFact] = field(default_factory=list)

    def datasets(self, kind: str = TRAINING_DATA) -> list[ComponentFact]:
        """The components of one type (training data by default)."""
        return [c for c in self.components if c.type == kind]


@dataclass
class Facts:
    """Every release (by IRI) and every license (by IRI) the exports need."""

    releases: dict[str, ReleaseFact]
    licenses: dict[str, LicenseFact]


def _split(text: str, sep: str | None = None) -> list[str]:
    return [t for t in (text.split(sep) if sep else text.split()) if t]


def read_facts(store: Store, releases: Iterable[str] | None = None) -> Facts:
    """The facts of every release (or of ``releases`` and the releases they derive from)."""
    rows = derive.run_query(
        store, "analysis/bom-releases.rq", values={"relation": list(derivation_properties())}
    )
    out: dict[str, ReleaseFact] = {}
    for r in rows:
        iri = str(r["release"])
        rel = ReleaseFact(
            iri=iri,
            label=str(r.get("label") or "") or iri.rsplit("/", 1)[-1],
            version=str(r.get("version") or ""),
            date=str(r.get("date") or ""),
            parameters=str(r.get("parameters") or ""),
            modality=str(r.get("modality") or ""),
            huggingface=str(r.get("hf") or ""),
            repository=str(r.get("repository") or ""),
            homepage=str(r.get("homepage") or ""),
        )
        for entry in sorted(_split(str(r.get("developers") or ""), "\t")):
            dev, _, label = entry.partition("|")
            rel.developers.append((dev, label or dev.rsplit("/", 1)[-1]))
        rel.licenses = sorted(set(_split(str(r.get("licenses") or ""))))
        rel.parents = sorted(tuple(p.split("|", 1)) for p in _split(str(r.get("parents") or "")))  # type: ignore[misc]
        for entry in _split(str(r.get("verdicts") or ""), "\t"):
            fw, _, label = entry.partition("|")
            rel.verdicts[fw] = label
        out[iri] = rel
    for r in derive.run_query(store, "analysis/bom-components.rq"):
        of = out.get(str(r["release"]))
        if of is None:
            continue
        of.components.append(
            ComponentFact(
                iri=str(r["component"]),
                type=str(r.get("type") or ""),
                type_label=str(r.get("typeLabel") or ""),
                label=str(r.get("label") or "") or str(r["component"]).rsplit("/", 1)[-1],
                licenses=tuple(sorted(set(_split(str(r.get("licenses") or ""))))),
                access=str(r.get("access") or ""),
            )
        )
    if releases is not None:
        wanted = set(map(str, releases))
        todo = list(wanted)
        while todo:  # the bases of the chosen releases come along (lineage needs them)
            chosen = out.get(todo.pop())
            for _, parent in chosen.parents if chosen else ():
                if parent not in wanted:
                    wanted.add(parent)
                    todo.append(parent)
        out = {k: v for k, v in out.items() if k in wanted}
    licenses: dict[str, LicenseFact] = {}
    for r in derive.run_query(store, "analysis/bom-licenses.rq"):
        iri = str(r["license"])
        opened = str(r.get("open") or "")
        licenses[iri] = LicenseFact(
            iri=iri,
            spdx_id=str(r.get("spdxId") or "") or None,
            label=str(r.get("label") or "") or iri.rsplit("/", 1)[-1],
            url=str(r.get("url") or ""),
            open_terms=None if opened == "" else opened == "true",
        )
    return Facts(releases=dict(sorted(out.items())), licenses=licenses)


def license_of(facts: Facts, iri: str) -> LicenseFact:
    """The license fact of ``iri`` (a bare one when the store does not describe it)."""
    return facts.licenses.get(iri) or LicenseFact(iri, None, iri.rsplit("/", 1)[-1], "", None)


__all__ = [
    "EVALUATION_DATA",
    "TRAINING_DATA",
    "ComponentFact",
    "Facts",
    "LicenseFact",
    "ReleaseFact",
    "license_of",
    "read_facts",
]
