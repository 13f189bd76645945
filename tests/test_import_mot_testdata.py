"""MOT's own 27 test records (data/sources/mot/Test_Data, vendored with expected_results.json):
every record imports, with the components MOT's evaluator sees and the license it resolves for
each (own, else the release's for the component's content type, else the distribution license,
else none). The classes and progress are the MOF rule's to reproduce (verdict-level tests).
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
import yaml
from openness import mint
from openness.importers.licenses import normalize_license
from openness.importers.mot import COMPONENTS, content_types, criteria, import_mot
from openness.importers.resolve import Resolver
from openness.namespaces import MOF, OG
from openness.resources import data_dir

MOT = data_dir() / "sources" / "mot"
TEST_DATA = MOT / "Test_Data"
SETTINGS = MOT / "web" / "modules" / "mof" / "config" / "install" / "mof.settings.yml"


def _expected() -> dict[str, dict]:
    """expected_results.json (MOT's JSON API output; it has trailing commas, as MOT wrote it)."""
    text = re.sub(r",(\s*[}\]])", r"\1", (TEST_DATA / "expected_results.json").read_text(encoding="utf-8"))
    return {m["release"]["name"]: m for m in json.loads(text)["models"]}


@pytest.fixture(scope="module")
def result(tmp_path_factory):
    root = tmp_path_factory.mktemp("mot-testdata")
    (root / "models").mkdir()
    for path in TEST_DATA.glob("*.yml"):
        shutil.copy(path, root / "models" / path.name)
    shutil.copytree(data_dir() / "sources" / "mot" / "schema", root / "schema")
    return import_mot(root, Resolver(use_default_overrides=False))


def test_all_27_records_import(result) -> None:
    rep = result.report
    assert (rep.records_read, rep.records_imported, rep.rejected) == (27, 27, [])
    assert len(_expected()) == 27


def _mot_license(release: dict, component: dict, content_type: str) -> str | None:
    """MOT's evaluator's resolveLicense(), on MOT's own expected data (None: no license)."""
    if "license" in component:
        return component["license"] or None
    glob = release.get("license") or {}
    typed = (glob.get(content_type) or {}).get("name")
    return typed or (glob.get("distribution") or {}).get("name") or None


def test_components_and_licenses_are_the_ones_mot_evaluates(result) -> None:
    g = result.graph
    settings = {c["name"]: c["content_type"] for c in yaml.safe_load(SETTINGS.read_text())["components"]}
    crit = criteria()
    for path in sorted(TEST_DATA.glob("*.yml")):
        record = yaml.safe_load(path.read_text(encoding="utf-8"))["release"]
        expected = _expected()[record["name"]]["release"]
        release = mint.release_iri(record["name"])
        claims = {g.value(c, OG.criterion): c for c in g.subjects(OG.about, release)
                  if (c, OG.criterion, None) in g}
        listed = {c["name"] for c in expected["components"]}
        assert {c["name"] for c in record["components"]} == listed, path.name
        for name in COMPONENTS:
            claim = claims[crit[name]]
            value = g.value(claim, OG.sourceValue)
            if name not in listed:
                assert value == MOF["value-not-listed"], (path.name, name)
                continue
            assert value == MOF["value-listed"], (path.name, name)
            (component,) = [c for c in expected["components"] if c["name"] == name]
            mot = _mot_license(expected, component, settings[name])
            want = normalize_license(mot).iri if mot else OG.Unlicensed
            assert g.value(claim, OG.claimedLicense) == want, (path.name, name, mot)


def test_the_license_resolution_table_matches_mof_settings() -> None:
    """The importer reads content types from mof.ttl; MOT's evaluator from mof.settings.yml: same."""
    settings = {c["name"]: c["content_type"] for c in yaml.safe_load(SETTINGS.read_text())["components"]}
    words = {OG.CodeContent: "code", OG.DataContent: "data", OG.DocumentContent: "document"}
    assert {name: words[t] for name, t in content_types().items() if name in settings} == settings


def test_every_test_license_is_an_spdx_id_with_its_facts(result) -> None:
    """The test records use SPDX ids only: each resolves to an SPDX node and is described once, with
    the OSI, FSF and MOF facts the MOF rule reads."""
    g = result.graph
    ids = set()
    for path in TEST_DATA.glob("*.yml"):
        release = yaml.safe_load(path.read_text(encoding="utf-8"))["release"]
        ids |= {c["license"] for c in release["components"] if c.get("license")}
        ids |= {v["name"] for v in (release.get("license") or {}).values()
                if isinstance(v, dict) and v.get("name")}
    assert len(ids) > 80
    for spdx_id in ids:
        res = normalize_license(spdx_id)
        assert res.kind == "spdx" and res.mapped, spdx_id  # a deprecated id maps to its successor
        facts = {g.value(c, OG.criterion) for c in g.subjects(OG.about, res.iri)}
        assert {OG.OSIApproved, OG.FSFLibre, OG.MOFAcceptedLicense} <= facts, spdx_id
    assert Path(TEST_DATA / "ATTRIBUTION.md").is_file()
