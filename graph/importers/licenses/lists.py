"""The reference lists that speak about licenses: SPDX, MOF/MOT, and the curators' own list.

Each list is data vendored with the product (no network) and read once per process:

* the SPDX License List (``data/licenses/spdx-licenses.json``): ids, names, ``isOsiApproved``,
  ``isFsfLibre``;
* MOF's accepted licenses with their content types (``data/licenses/mof-licenses.json``, MOT's
  ``web/modules/mof/mof-licenses.json``);
* the two lists of MOT's evaluator (``data/sources/mot/open-data-licenses.json``, copied from the
  constants ``OPEN_DATA_LICENSES`` and ``OPEN_LICENSES`` of MOT's ``LicenseHandler.php``);
* the curators' open licenses (``data/curation/open-licenses.csv``): licenses no list carries yet
  that the curators declare open, each with a reason and an evidence URL.

Nothing here decides whether a license is open: :mod:`.facts` turns the lists into claims about
the license node, and ``queries/rules/license-terms.ru`` reads those claims (docs/derived-layer.md).
"""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from ...resources import data_dir


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
class MofEntry:
    license_id: str
    content_types: tuple[str, ...]  # "code", "data", "document"
    osi_approved: bool  # MOT's own flag (mof-licenses.json overrides its copy of the SPDX list)
    fsf_libre: bool


@dataclass(frozen=True)
class MofList:
    version: str
    released: str
    entries: dict[str, MofEntry]

    @property
    def content_types(self) -> dict[str, tuple[str, ...]]:
        """Accepted license id → the content types MOF lists it for."""
        return {k: e.content_types for k, e in self.entries.items()}


@cache
def mof_list() -> MofList:
    """MOF's list of licenses with the content each is written for (``mof-licenses.json``).

    A license may appear once per content type; its types are merged. MOT's evaluator imports this
    file over its copy of the SPDX list, so its ``isOsiApproved`` / ``isFsfLibre`` flags are MOT's.
    """
    raw = json.loads((data_dir() / "licenses" / "mof-licenses.json").read_text(encoding="utf-8"))
    merged: dict[str, MofEntry] = {}
    for item in raw["licenses"]:
        value = item.get("ContentType") or []
        value = [value] if isinstance(value, str) else value
        lid = item["licenseId"]
        old = merged.get(lid)
        types = tuple(sorted({*(old.content_types if old else ()), *value}))
        merged[lid] = MofEntry(lid, types, bool(item.get("isOsiApproved")), bool(item.get("isFsfLibre")))
    return MofList(raw["licenseListVersion"], raw.get("releaseDate", ""), merged)


@dataclass(frozen=True)
class MotOpenLists:
    """The lists of MOT's evaluator (``LicenseHandler::OPEN_DATA_LICENSES`` and ``OPEN_LICENSES``)."""

    open_data: tuple[str, ...]
    open_licenses: tuple[str, ...]
    source: str  # the URL of LicenseHandler.php at the vendored commit
    released: str
    comments: dict[str, str]


def mot_lists_path() -> Path:
    return data_dir() / "sources" / "mot" / "open-data-licenses.json"


@cache
def mot_open_lists() -> MotOpenLists:
    """MOT's evaluator lists, vendored as data (see ``data/sources/mot/open-data-licenses.json``)."""
    raw = json.loads(mot_lists_path().read_text(encoding="utf-8"))
    return MotOpenLists(
        tuple(raw["OPEN_DATA_LICENSES"]["licenses"]),
        tuple(raw["OPEN_LICENSES"]["licenses"]),
        raw["source"],
        raw["released"],
        {"OPEN_DATA_LICENSES": raw["OPEN_DATA_LICENSES"]["comment"],
         "OPEN_LICENSES": raw["OPEN_LICENSES"]["comment"]},
    )


#: MOT's OPEN_DATA_LICENSES names the ODC Public Domain Dedication "ODC-PDDL-1.0", which is not an
#: SPDX id (SPDX calls it "PDDL-1.0", as MOT's own mof-licenses.json does); read as the SPDX id.
MOT_LIST_SPELLINGS = {"ODC-PDDL-1.0": "PDDL-1.0"}


@dataclass(frozen=True)
class CuratedOpenLicense:
    """One row of ``data/curation/open-licenses.csv``."""

    license: str  # an SPDX id, or the custom_name of a curated custom license
    reason: str
    evidence: str  # URL
    quote: str
    asserted_on: str  # ISO date
    line: int


def open_licenses_path() -> Path:
    return data_dir() / "curation" / "open-licenses.csv"


@cache
def curated_open_licenses() -> tuple[CuratedOpenLicense, ...]:
    """The curators' open licenses; a malformed row fails with its file and line."""
    path = open_licenses_path()
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        need = {"license", "reason", "evidence_url", "quote", "asserted_on"}
        missing = need - set(reader.fieldnames or ())
        if missing:
            raise ValueError(f"{path}: missing column(s) {', '.join(sorted(missing))}")
        rows = []
        for line, row in enumerate(reader, start=2):
            values = {k: (row.get(k) or "").strip() for k in need}
            empty = sorted(k for k, v in values.items() if not v and k != "quote")
            if empty:
                raise ValueError(f"{path.name}:{line}: empty {', '.join(empty)}; every open license needs "
                                 "a license, a reason, an evidence URL and the date it was checked")
            if not values["evidence_url"].startswith(("https://", "http://")):
                raise ValueError(f"{path.name}:{line}: evidence_url {values['evidence_url']!r} is not a URL")
            rows.append(CuratedOpenLicense(values["license"], values["reason"], values["evidence_url"],
                                           values["quote"], values["asserted_on"], line))
    return tuple(rows)


__all__ = [
    "MOT_LIST_SPELLINGS",
    "CuratedOpenLicense",
    "MofEntry",
    "MofList",
    "MotOpenLists",
    "SpdxEntry",
    "SpdxList",
    "curated_open_licenses",
    "mof_list",
    "mot_lists_path",
    "mot_open_lists",
    "open_licenses_path",
    "spdx_list",
]
