"""License normalization: curated spellings, SPDX ids via license-expression, and the fallback."""

from __future__ import annotations

import csv

import pytest
from openness import mint
from openness.importers import licenses as lic
from openness.importers.licenses import normalize_license
from openness.namespaces import OG, SPDX
from openness.resources import data_dir, ontology_dir
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
        ("License not specified", "unlicensed", OG.Unlicensed),
        ("License not specified.", "unlicensed", OG.Unlicensed),
        ("license  not-specified", "unlicensed", OG.Unlicensed),
        ("Undisclosed", "undisclosed", None),
        ("TBD", "undisclosed", None),
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


def test_no_license_phrase_never_mints_a_license_node() -> None:
    """Case 09: "License not specified" is MOT's own spelling of `unlicensed` (MOT commit a074588
    rewrote every such value as `unlicensed`): included, not openly licensed, no license named."""
    res = normalize_license("License not specified")
    assert res.iri == OG.Unlicensed and not res.names_license and res.mapped
    assert lic.license_graph([res]).value(OG.Unlicensed, URIRef(str(OG) + "rawText")) is None
    assert not list(lic.license_graph([res]).subjects(None, OG.CustomLicense))


def test_component_not_included_is_a_value_of_mot_not_a_license() -> None:
    """"Component not include" says the component is absent: a value of MOT's scheme (mof.ttl),
    found by its notation or hidden labels, not a license spelling."""
    from openness.importers.values import find_value
    from openness.namespaces import MOF

    for raw in ("Component not include", "Component not include.", "Component Component not included",
                "Component Not Include"):
        assert find_value(MOF.ModelParametersFinal, raw) == MOF["value-not-included"], raw
    assert find_value(MOF.ModelCard, "Undisclosed") == MOF["value-undisclosed"]
    assert normalize_license("Component not include").kind == "custom"  # no alias row claims it


@pytest.mark.parametrize(
    "raw",
    [
        "Apache-2.0 OR MIT",
        "Apache-2.0 and CC-BY-NC-4.0 and additional terms",
        "Meta Community License and CC-BY-NC-4.0",
        'datasets with "mit" “apache-2”, “bsd-3-clause”, “cc0-1.0”',
        "CC-BY-NC(non-commercial, non-OSI)+Cohere-Acceptable-Use-Policy",
        "commercial use restrcitions; Apache 2.0, TeleChat模型社区许可协议",
        "mixed",
    ],
)
def test_compound_statements_are_never_read_as_their_first_license(raw: str) -> None:
    res = normalize_license(raw)
    assert res.kind == "compound" and res.iri is None and not res.names_license
    assert not res.mapped and res.warning and "compound" in res.warning
    assert res.raw == raw


@pytest.mark.parametrize(
    "raw",
    ["Skywork Terms and Conditions", "mc4, cc100, wikipedia, EleutherAI/pile", "https://arxiv.org/pdf/2401.06066"],
)
def test_a_name_with_and_or_commas_is_not_compound_when_its_parts_are_not_licenses(raw: str) -> None:
    assert normalize_license(raw).kind == "custom"


def test_statements_that_name_their_components_split_into_one_license_per_component() -> None:
    parts = lic.license_parts("code MIT + model DeepSeek-Model-License(commercial OK with use-based AUP)")
    assert parts is not None
    by = {c: p.resolution for p in parts for c in p.components}
    assert by["code"].spdx_id == "MIT"
    assert by["weights"].custom_name == "DeepSeek License Agreement"
    parts = lic.license_parts("Apache-2.0 for code, CC-BY-NC-4.0 for weights")
    assert parts is not None
    assert {c: p.resolution.spdx_id for p in parts for c in p.components} == {
        "code": "Apache-2.0", "weights": "CC-BY-NC-4.0"}
    parts = lic.license_parts("MIT license (capped by 100M MAU) for weights and inference code:")
    assert parts is not None and len(parts) == 1
    assert parts[0].components == frozenset({"weights", "code"}) and parts[0].resolution.spdx_id == "MIT"
    # no component named: not split (a single license, or a compound statement kept unresolved)
    assert lic.license_parts("Apache 2.0") is None
    assert lic.license_parts("Apache-2.0 and MIT") is None


def test_license_links_resolve_to_the_curated_license() -> None:
    """Case 07: Hugging Face `license_link` values land on the curated node by its URL, whatever
    the scheme, `www.` or trailing slash."""
    mrl = lic.license_by_url("https://mistral.ai/licenses/MRL-0.1.md", raw="my-mistral-research")
    assert mrl is not None and mrl.custom_name == "Mistral AI Research License" and mrl.method == "url"
    assert mrl.raw == "my-mistral-research"
    assert lic.license_by_url("http://www.mistral.ai/licenses/MRL-0.1.md/").custom_name == mrl.custom_name
    mnpl = lic.license_by_url("https://mistral.ai/licences/MNPL-0.1.md")
    assert mnpl is not None and mnpl.custom_name == "Mistral AI Non-Production License"
    assert lic.license_by_url("https://example.org/some/other/license.txt") is None
    assert lic.license_by_url(None) is None


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
    from openness.importers.licenses import normalize as norm

    monkeypatch.setattr(norm, "aliases_path", lambda: bad)
    norm.aliases.cache_clear()
    try:
        with pytest.raises(ValueError, match=r"license-aliases.csv:3 .*Not-A-License.*spdx_id"):
            norm.aliases()
    finally:
        norm.aliases.cache_clear()


def test_bad_alias_kind_is_refused_with_the_kinds(tmp_path, monkeypatch) -> None:
    from openness.importers.licenses import normalize as norm

    bad = tmp_path / "license-aliases.csv"
    bad.write_text("alias,kind,spdx_id,custom_name,license_url,note\nFoo,not-included,,,,\n",
                   encoding="utf-8")
    monkeypatch.setattr(norm, "aliases_path", lambda: bad)
    norm.aliases.cache_clear()
    try:
        with pytest.raises(ValueError, match=r"aliases.csv:2 .*unknown kind 'not-included'.*compound"):
            norm.aliases()
    finally:
        norm.aliases.cache_clear()
