"""Openness over time by Index edition: the Index's verdicts as of each edition's date (a view
derived for that date), on a store holding a few records of the two bundled Index editions."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from openness.analysis import editions
from openness.analysis.timeline import by_edition
from openness.importers.build import import_source
from openness.resources import data_dir
from openness.store import open_store

RECORDS = {
    ("osai-legacy", "osai-index-v1.0.2"): ["Mistral.yaml", "OLMo.yaml"],
    ("osai", "osai-index"): ["Mistral.yaml", "OLMo.yaml", "CodeLlama.yaml"],
}


@pytest.fixture(scope="module")
def store_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("editions")
    db = open_store(str(root / "store"))
    try:
        for (source, folder), names in RECORDS.items():
            target = root / folder
            target.mkdir()
            for name in names:
                shutil.copy(data_dir() / "sources" / folder / name, target / name)
            import_source(db, source, target, validate=False)
    finally:
        db.close()
    return root / "store"


def test_each_edition_is_judged_as_of_its_date(store_path: Path) -> None:
    with open_store(str(store_path), read_only=True) as db:
        eds = editions(db)
        assert len(eds) == 2 and list(eds["issued"]) == sorted(eds["issued"])  # older edition first
        detail, summary = by_edition(db)
    older, newer = eds["dataset"].iloc[0], eds["dataset"].iloc[1]
    old_releases = set(detail[detail["edition"] == older]["release"])
    new_releases = set(detail[detail["edition"] == newer]["release"])
    assert old_releases and old_releases < new_releases  # CodeLlama is only in the newer edition
    assert not any("codellama" in r for r in old_releases)
    assert list(summary["releases"]) == [len(old_releases), len(new_releases)]
    assert summary["mean_score"].between(0, 1).all()


def test_analyze_timeline_lists_the_editions(store_path: Path, run_cli) -> None:
    res = run_cli("--store", str(store_path), "analyze", "timeline", "--format", "json")
    assert res.returncode == 0, res.stderr
    got = json.loads(res.stdout)
    assert [e["releases"] for e in got["editions"]] == sorted(e["releases"] for e in got["editions"])
    assert len(got["editions"]) == 2 and got["by_edition"]
