"""License normalization: curated spellings, SPDX ids via license-expression, and the fallback."""

from __future__ import annotations

import csv

import pytest
from openness import mint
from openness.namespaces import OG, SPDX
from openness.resources import data_dir, ontology_dir
from openness.sources import licenses as lic
from openness.sources.licenses import normalize_license
from rdflib import Graph, URIRef


@pytest.mark.parametrize(
    ("raw", "spdx_id"),
    [
        ("Apache 2.0", "Apache-2.0"),
        ("Apache license 2.0", "Apache-2.0"),
        ("apache-2.0", "Apache-2.0"),
        ("  Apache-2.0", "Apache-2.0"),
        ("MIT license", "MIT"),
        ("MIT License", "MIT"),
        ("mit", "MIT"),
        ("BSD-3", "BSD-3-Clause"),
        ("CC BY-SA 4.0", "CC-BY-SA-4.0"),
        ("Creative Commons Attribution Non Commercial 4.0", "CC-BY-NC-4.0"),
        ("gpl-2.0", "GPL-2.0-only"),  # a deprecated id, mapped by license-expression
        ("ODC-By-1.0", "ODC-By-1.0"),
    ],
)
def test_spdx_spellings_resolve_to_one_spdx_id(raw: str, spdx_id: str) -> None:
    res = normalize_license(raw)
    assert res.kind == "spdx" and res.spdx_id == spdx_id and res.warning is None
    assert res.iri == SPDX[spdx_id]
    assert res.raw == raw  # the original string is kept verbatim


@pytest.mark.parametrize(
    ("spellings", "name"),
    [
        (
            ["Llama 2 Community License", "LLAMA 2 COMMUNITY LICENSE AGREEMENT", "llama2"],
            "Llama 2 Community License Agreement",
        ),
        (
            [
                "Meta Llama 3 Community License Agreement",
                "Llama 3 Community License",
                "llama3",
                "Llama 3 Community License Agreement",
            ],
            "Meta Llama 3 Community License Agreement",
        ),
        (
            ["Llama 3.1 Community License", "Llama 3.1 Community License Agreement", "llama3.1"],
            "Llama 3.1 Community License Agreement",
        ),
        (["Llama 3.2 Community License", "llama3.2"], "Llama 3.2 Community License Agreement"),
        (["llama3.3", "Llama 3.3 Community License"], "Llama 3.3 Community License Agreement"),
        (["llama4", "Llama 4 Community License Agreement"], "Llama 4 Community License Agreement"),
        (["Gemma Terms of Use", "gemma", "Gemma", "Gemma Terms of Use."], "Gemma Terms of Use"),
    ],
)
def test_model_license_spellings_resolve_to_one_custom_license(spellings: list[str], name: str) -> None:
    results = [normalize_license(s) for s in spellings]
    assert {r.iri for r in results} == {mint.license_iri(custom_name=name)}
    assert all(r.kind == "custom" and r.custom_name == name and r.mapped for r in results)


def test_llama_versions_stay_distinct() -> None:
    iris = {
        normalize_license(s).iri for s in ("llama2", "llama3", "llama3.1", "llama3.2", "llama3.3", "llama4")
    }
    assert len(iris) == 6


@pytest.mark.parametrize(
    ("raw", "kind", "iri"),
    [
        ("unlicensed", "unlicensed", OG.Unlicensed),
        ("", "empty", OG.Unlicensed),
        (None, "empty", OG.Unlicensed),
        ("Component not include", "not-included", None),
        ("Component not include.", "not-included", None),
        ("Component Component not included", "not-included", None),
        ("Undisclosed", "undisclosed", None),
    ],
)
def test_special_values(raw: str | None, kind: str, iri: URIRef | None) -> None:
    res = normalize_license(raw)
    assert (res.kind, res.iri, res.spdx_id, res.warning) == (kind, iri, None, None)
    assert not res.names_license


def test_unlicense_is_not_unlicensed() -> None:
    """'Unlicense' is an SPDX license (public-domain-like); 'unlicensed' means no license at all."""
    assert normalize_license("Unlicense").spdx_id == "Unlicense"
    assert normalize_license("unlicensed").kind == "unlicensed"


def test_unresolved_string_stays_custom_with_raw_text_and_warning() -> None:
    raw = "Frobnicator Public Licence v9"
    res = normalize_license(raw)
    assert res.kind == "custom" and res.method == "unresolved" and not res.mapped
    assert res.custom_name == raw and res.warning and raw in res.warning
    assert res.iri == mint.license_iri(custom_name=raw)
    graph = lic.license_graph([res])
    assert (res.iri, OG.rawText, None) in graph and (
        res.iri,
        URIRef(str(OG.CustomLicense)),
        None,
    ) not in graph
    assert str(graph.value(res.iri, OG.rawText)) == raw


def test_compound_expression_is_not_taken_as_one_license() -> None:
    assert not normalize_license("Apache-2.0 OR MIT").mapped


def test_alias_table_is_valid_and_every_curated_license_term_is_named_in_it() -> None:
    rows = list(csv.DictReader((data_dir() / "curation" / "license-aliases.csv").open(encoding="utf-8")))
    assert len(rows) == len(lic.aliases())  # duplicates are refused on load
    names = {mint.license_iri(custom_name=r["custom_name"]) for r in rows if r["custom_name"]}
    terms = Graph().parse(ontology_dir() / "schemes" / "licenses.ttl")
    curated = {s for s in terms.subjects() if isinstance(s, URIRef) and "/id/license/" in str(s)}
    assert curated and curated <= names, curated - names


def test_bad_alias_row_names_file_line_and_fix(tmp_path, monkeypatch) -> None:
    bad = tmp_path / "license-aliases.csv"
    bad.write_text(
        "alias,kind,spdx_id,custom_name,license_url,note\nApache 2.0,spdx,Apache-2.0,,,\n"
        "Foo,spdx,Not-A-License,,,\n",
        encoding="utf-8",
    )
    monkeypatch.setattr(lic, "aliases_path", lambda: bad)
    lic.aliases.cache_clear()
    try:
        with pytest.raises(ValueError, match=r"license-aliases.csv:3 .*Not-A-License.*spdx_id"):
            lic.aliases()
    finally:
        lic.aliases.cache_clear()
