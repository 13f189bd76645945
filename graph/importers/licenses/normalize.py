"""License normalization: messy license strings → SPDX licenses or one named custom license each.

Catalogues spell licenses in many ways (``Apache 2.0``, ``MIT license``, ``BSD-3``, a dozen
spellings of the Llama and Gemma licenses). The rules can only compare licenses when every
spelling lands on one node, so normalization is done here, once, for every importer:

1. curated spellings in ``data/curation/license-aliases.csv`` (a curator edits the CSV, not code),
   including the phrases that name no license: ``unlicensed``, "License not specified" (included,
   no license: ``og:Unlicensed``), ``Undisclosed`` (not disclosed: unknown);
2. the SPDX license list through ``license-expression`` (ids and their known aliases, any case);
3. the vendored SPDX list (``data/licenses/spdx-licenses.json``) with spaces read as hyphens;
4. a statement that names several licenses ("Apache-2.0 and CC-BY-NC-4.0", "MIT; apache-2") is
   *compound*: it is never read as its first license; it stays unresolved with a warning
   (:func:`license_parts` splits the ones that say which component each license is for);
5. anything else stays a custom license with its raw text and a warning (never dropped, never
   silently "closed").

:func:`license_by_url` resolves a license link (Hugging Face ``license_link``) against the
curated URLs of the alias table.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from license_expression import ExpressionError, LicenseSymbol, get_spdx_licensing
from rdflib import URIRef

from ... import mint
from ...namespaces import OG
from ...resources import data_dir
from .lists import spdx_list

#: The kinds of resolution. ``spdx`` and ``custom`` name a license; the others are curated
#: special values: ``unlicensed`` (included, no license), ``undisclosed`` (the license is not
#: disclosed: unknown), ``compound`` (several licenses in one statement, kept unresolved),
#: ``empty`` (no value: included without a license, as ``unlicensed``).
KINDS = ("spdx", "custom", "unlicensed", "undisclosed", "compound", "empty")


@dataclass(frozen=True)
class LicenseResolution:
    """What one raw license string means.

    ``iri`` is the license node (SPDX IRI, ``id/license/<slug>`` or ``og:Unlicensed``), or None for
    ``undisclosed`` and ``compound``. ``warning`` is set when the string could not be mapped (it
    then stays a custom license named by its raw text) or is a compound statement.
    """

    iri: URIRef | None
    spdx_id: str | None
    custom_name: str | None
    raw: str
    warning: str | None = None
    kind: str = "spdx"
    method: str = ""  # alias | spdx | spdx-list | url | unresolved | special | compound
    url: str | None = None  # the license text's URL (curated), for custom licenses

    @property
    def mapped(self) -> bool:
        """True when the string resolved to something known (an SPDX id, a named custom license,
        or a curated special value); False for the unresolved fallback and compound statements."""
        return self.warning is None

    @property
    def names_license(self) -> bool:
        """True when the resolution points at a license node with terms (SPDX or custom)."""
        return self.kind in ("spdx", "custom")


@dataclass(frozen=True)
class LicensePart:
    """One license of a statement that says which component it is for (``code MIT``)."""

    components: frozenset[str]  # of COMPONENT_WORDS' values: "code", "weights", "data", "docs"
    resolution: LicenseResolution


# ----------------------------------------------------------------------------- the alias table


def _key(text: str) -> str:
    """Match key for a spelling: case, whitespace, hyphens, underscores, curly quotes and trailing dots
    don't matter (SPDX ids themselves are matched exactly, see :func:`normalize_license`)."""
    text = text.replace("\u2019", "'").replace("\u201c", '"').replace("\u201d", '"')
    text = re.sub(r"[\s_-]+", " ", text)  # "Llama-2-Community" = "Llama 2 Community"
    return text.strip().rstrip(".").strip().casefold()


def match_key(text: str) -> str:
    """The public form of the spelling key (value schemes match source words the same way)."""
    return _key(text)


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
            if kind not in KINDS or kind == "empty":
                raise ValueError(f"{where}: unknown kind {kind!r}; use one of "
                                 f"{', '.join(k for k in KINDS if k != 'empty')}")
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


def _url_key(url: str) -> str:
    """Links match whatever their scheme, ``www.``, case of the host or trailing slash."""
    text = re.sub(r"^[a-z]+://", "", url.strip(), flags=re.IGNORECASE)
    host, _, path = text.partition("/")
    host = host.casefold().removeprefix("www.")
    return f"{host}/{path}".rstrip("/")


@cache
def _aliases_by_url() -> dict[str, Alias]:
    out: dict[str, Alias] = {}
    for alias in aliases().values():
        if alias.url and alias.kind in ("spdx", "custom"):
            out.setdefault(_url_key(alias.url), alias)
    return out


def custom_names() -> dict[URIRef, Alias]:
    """Every curated custom license by its IRI (the alias row that names it first)."""
    out: dict[URIRef, Alias] = {}
    for alias in aliases().values():
        if alias.kind == "custom" and alias.custom_name:
            iri = mint.license_iri(custom_name=alias.custom_name)
            if iri not in out or (alias.url and not out[iri].url):
                out[iri] = alias
    return out


# ----------------------------------------------------------------------------- normalization


def _from_alias(original: str, alias: Alias, method: str = "alias") -> LicenseResolution:
    if alias.kind == "spdx":
        return _spdx_resolution(original, alias.spdx_id or "", method)
    if alias.kind == "custom":
        iri = mint.license_iri(custom_name=alias.custom_name)
        return LicenseResolution(iri, None, alias.custom_name, original, None, "custom", method, alias.url)
    if alias.kind == "compound":
        return _compound(original, "curated as a compound statement in license-aliases.csv")
    special = OG.Unlicensed if alias.kind == "unlicensed" else None
    return LicenseResolution(special, None, None, original, None, alias.kind, "special")


def _spdx_resolution(raw: str, spdx_id: str, method: str) -> LicenseResolution:
    return LicenseResolution(mint.license_iri(spdx_id=spdx_id), spdx_id, None, raw, None, "spdx", method)


def _compound(raw: str, why: str) -> LicenseResolution:
    warning = (f"compound license statement {raw.strip()!r} ({why}): several licenses in one value are "
               "never read as the first alone; kept unresolved (no claimed license). If it says which "
               "component each license is for, write one value per component, or mark the spelling in "
               f"{aliases_path().name}")
    return LicenseResolution(None, None, None, raw, warning, "compound", "compound")


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
        return None  # compound expressions (A OR B) are not one license: see _is_expression
    key = parsed.key
    return key if key in spdx_list().entries else None


@cache
def _is_expression(text: str) -> bool:
    """True for a valid SPDX expression of several licenses (``Apache-2.0 OR MIT``)."""
    try:
        parsed = _licensing().parse(text, validate=True, strict=True)
    except ExpressionError:
        return False
    return parsed is not None and not isinstance(parsed, LicenseSymbol)


def _single(text: str) -> LicenseResolution | None:
    """A string that is one known license or one curated special value, else None."""
    if not text:
        return None
    alias = aliases().get(_key(text))
    if alias is not None:
        return _from_alias(text, alias)
    spdx_id = _via_license_expression(text)
    if spdx_id:
        return _spdx_resolution(text, spdx_id, "spdx")
    spdx = spdx_list()
    for candidate in (text, re.sub(r"\s+", "-", text), re.sub(r"(?i)[\s-]+license$", "", text)):
        found = spdx.by_key.get(candidate.casefold())
        if found:
            return _spdx_resolution(text, found, "spdx-list")
    return None


_PAREN = re.compile(r"\([^()]*\)")
#: Separators between the licenses of a compound statement. "+" only between names (not the "++"
#: of "OpenRail++-M"), "/" only between words (not inside URLs, which have "//").
_SPLIT = re.compile(r"\s*(?:;|,|&|(?<![+/:])\+(?![+\-])|(?<![/:])/(?!/)|\band\b|\bor\b|\bplus\b)\s*",
                    re.IGNORECASE)
_QUOTES = re.compile("[\"'\u201c\u201d\u2018\u2019]")
#: Words that make a part of a statement read as a license name (for statements whose parts are
#: not in the alias table: "CC-BY-NC + Cohere-Acceptable-Use-Policy").
_LICENSE_LIKE = re.compile(
    r"(?i)licen[cs]e|\bterms\b|polic(y|ies)|agreement|\bcc-|rail\b|\bgpl|apache|\bmit\b|\bbsd")


def license_like(text: str) -> bool:
    """True when ``text`` reads as naming a license (for telling a comment from a second license)."""
    return bool(_LICENSE_LIKE.search(text))


def _pieces(text: str) -> list[str]:
    """The parts of a statement: parentheticals and quotes removed, split on the separators."""
    text = _QUOTES.sub(" ", _PAREN.sub(" ", _PAREN.sub(" ", text)))
    if "://" in text:
        return []  # a URL is not a list of licenses
    return [p.strip(" .:-") for p in _SPLIT.split(text) if p and p.strip(" .:-")]


def _compound_reason(text: str) -> str | None:
    """Why ``text`` is a compound statement, or None when it is not one."""
    if _is_expression(text):
        return "an SPDX expression of several licenses"
    parts = _pieces(text)
    if len(parts) < 2:
        return None
    named = [r for r in (_single(p) for p in parts) if r is not None and r.names_license]
    if named:
        names = ", ".join(dict.fromkeys(r.spdx_id or r.custom_name or "" for r in named))
        return f"names {names} among {len(parts)} parts"
    if sum(1 for p in parts if _LICENSE_LIKE.search(p)) >= 2:
        return f"{len(parts)} parts that read as license names"
    return None


def normalize_license(raw: str | None) -> LicenseResolution:
    """Resolve one raw license string (see the module docstring for the order of attempts)."""
    original = "" if raw is None else str(raw)
    text = original.strip()
    if not text:
        return LicenseResolution(OG.Unlicensed, None, None, original, None, "empty", "special")
    found = _single(text)
    if found is not None:
        return LicenseResolution(found.iri, found.spdx_id, found.custom_name, original, found.warning,
                                 found.kind, found.method, found.url)
    reason = _compound_reason(text)
    if reason:
        return _compound(original, reason)
    warning = (
        f"unmapped license {text!r}: kept as a custom license with its raw text; add a row to "
        f"{aliases_path().name} to map it"
    )
    return LicenseResolution(
        mint.license_iri(custom_name=text), None, text, original, warning, "custom", "unresolved"
    )


def license_by_url(url: str | None, raw: str | None = None) -> LicenseResolution | None:
    """The curated license whose text lives at ``url`` (the ``license_url`` column of the alias
    table), or None. ``raw`` is kept as the resolution's raw string (default: the URL)."""
    if not url:
        return None
    alias = _aliases_by_url().get(_url_key(url))
    return _from_alias(raw if raw is not None else url, alias, "url") if alias else None


# ----------------------------------------------------------------------------- per-component statements

#: Words that name a component in a license statement, → the component they name.
COMPONENT_WORDS: dict[str, str] = {
    "code": "code", "source code": "code", "inference code": "code", "training code": "code",
    "software": "code", "weights": "weights", "model weights": "weights", "model": "weights",
    "parameters": "weights", "checkpoints": "weights", "data": "data", "dataset": "data",
    "datasets": "data", "training data": "data", "documentation": "docs", "docs": "docs",
}
_COMPONENT = "|".join(sorted((re.escape(w) for w in COMPONENT_WORDS), key=len, reverse=True))
_LEADING = re.compile(rf"^(?:the\s+)?({_COMPONENT})\s*[:=]?\s+(.+)$", re.IGNORECASE)
_FOR = re.compile(rf"^(.+?)\s+for\s+((?:(?:the\s+)?(?:{_COMPONENT})(?:\s*(?:,|and|&)\s*)?)+)\s*:?$",
                  re.IGNORECASE)
_IN_PAREN = re.compile(r"^(.+?)\s*\(([^()]*)\)\s*(.*)$")


def _components(text: str) -> frozenset[str]:
    found = re.findall(rf"\b({_COMPONENT})\b", text, re.IGNORECASE)
    return frozenset(COMPONENT_WORDS[w.casefold()] for w in found)


def _scoped(part: str, loose: bool = False) -> tuple[frozenset[str], str] | None:
    """(components, license text) when one part of a statement says what it licenses. ``loose``
    (for a part of a several-part statement) also reads "custom weights license" as weights'."""
    part = part.strip()
    m = _FOR.match(_PAREN.sub(" ", part).strip())
    if m:
        return _components(m.group(2)), m.group(1).strip()
    m = _IN_PAREN.match(part)
    if m and _components(m.group(2)):
        return _components(m.group(2)), m.group(1).strip()
    m = _LEADING.match(_PAREN.sub(" ", part).strip())
    if m:
        return frozenset({COMPONENT_WORDS[m.group(1).casefold()]}), m.group(2).strip()
    bare = _PAREN.sub(" ", part).strip()
    if loose and _components(bare) and re.search(r"(?i)\b(licen[cs]e|terms)\b", bare):
        return _components(bare), bare
    return None


_PART_SPLIT = re.compile(r"\s*(?:;|(?<![+])\+(?![+\-])|,(?![^()]*\))|\band\b(?![^()]*\)))\s*", re.IGNORECASE)


def license_parts(raw: str | None) -> tuple[LicensePart, ...] | None:
    """The licenses of a statement that says which component each is for, or None.

    ``"code MIT + model DeepSeek-Model-License"`` → (code: MIT), (weights: DeepSeek …);
    ``"Apache-2.0(code, OSI) + custom weights license"`` → (code: Apache-2.0), (weights: custom …);
    ``"Modified MIT license (…) for weights and inference code"`` → (weights, code: Modified MIT).
    None when any part names no component (then the statement is one license, or compound and
    unresolved: :func:`normalize_license`).
    """
    text = (raw or "").strip()
    if not text:
        return None
    whole = _FOR.match(_PAREN.sub(" ", text).strip())  # "X for weights and inference code"
    if whole is not None and not _PART_SPLIT.search(whole.group(1)):
        parts_text = [text]
    else:
        parts_text = [p for p in _PART_SPLIT.split(text) if p.strip()]
    out: list[LicensePart] = []
    for piece in parts_text:
        scoped = _scoped(piece, loose=len(parts_text) > 1)
        if scoped is None or not scoped[0]:
            return None
        components, license_text = scoped
        if not license_text:
            return None
        out.append(LicensePart(components, normalize_license(license_text)))
    return tuple(out) if out else None


def resolve_all(values: Any) -> list[LicenseResolution]:
    """Normalize many values (a convenience for importers and the coverage test)."""
    return [normalize_license(v) for v in values]


def mapped_share(resolutions: list[LicenseResolution]) -> float:
    """Share of values that resolved (SPDX, named custom, or a curated special value)."""
    return sum(r.mapped for r in resolutions) / len(resolutions) if resolutions else 1.0


__all__ = [
    "COMPONENT_WORDS",
    "KINDS",
    "Alias",
    "LicensePart",
    "LicenseResolution",
    "aliases",
    "aliases_path",
    "custom_names",
    "license_by_url",
    "license_like",
    "license_parts",
    "mapped_share",
    "match_key",
    "normalize_license",
    "resolve_all",
]
