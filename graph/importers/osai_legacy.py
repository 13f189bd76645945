"""Importer for the older formats of the index: v1.0.2 (14 dimensions) and "Opening up ChatGPT".

Both are earlier, dated assessments of the same models by the same team, so their claims use the
same claimant as the current index (its agent, ``INDEX_AGENT``) and the same ``osai:*`` criteria where
the dimension is shared; ``package`` and ``api`` (dropped from the current index) are
``osai:package`` and ``osai:api``. Each is its own dataset version with its own date, and its claims
are kept as read: the index's newest claim about a release and criterion replaces its own older
ones in the combine rule (docs/derived-layer.md), whichever order the versions are imported in.

Opening up ChatGPT names its dimensions differently; the mapping onto ``osai:*`` is
``opencode``→trainingcode, ``llmdata``→datasources_basemodel, ``llmweights``→weights_basemodel,
``rldata``→datasources_endmodel, ``rlweights``→weights_endmodel, ``license``→licenses,
``architecture``→hardware_architecture (the others keep their names). Its project is the end
model; ``project.llmbase`` names the base model(s).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from ..namespaces import OSAI
from .base import ImportResult, SourceInfo, text
from .osai import (
    DIMENSIONS,
    INDEX_AGENT,
    INDEX_CITATION,
    INDEX_HOME,
    INDEX_NAME,
    INDEX_REPO,
    IndexFormat,
    _current_names,
    import_index,
)
from .resolve import Resolver

V102_INFO = SourceInfo(
    name=INDEX_NAME, version="2025-09-06", title="European Open Source AI Index v1.0.2",
    publisher=INDEX_AGENT, publisher_homepage=INDEX_HOME,
    license="http://spdx.org/licenses/CC-BY-4.0", citation=INDEX_CITATION, issued=dt.date(2025, 9, 6),
    landing_page=INDEX_HOME, commit="c08df2cf7397ae759d27f29585a2cb017d33ee5d",
    repository=INDEX_REPO,
)
CHATGPT_INFO = SourceInfo(
    name="opening-up-chatgpt", version="2025-03-11", title="Opening up ChatGPT",
    publisher=INDEX_AGENT, publisher_homepage=INDEX_HOME,
    license="http://spdx.org/licenses/CC-BY-4.0",
    citation=("Liesenfeld, A., Lopez, A. and Dingemanse, M., 2023. Opening up ChatGPT: Tracking openness, "
              "transparency, and accountability in instruction-tuned text generators. CUI '23. "
              "doi:10.1145/3571884.3604316; https://opening-up-chatgpt.github.io"),
    issued=dt.date(2025, 3, 11), landing_page="https://opening-up-chatgpt.github.io/",
    commit="801f68773ae7f7d9e527afb7bbaf3e9d8d29f2fb",
    repository="https://github.com/opening-up-chatgpt/opening-up-chatgpt.github.io",
)

LEGACY_DIMENSIONS = {**DIMENSIONS, "package": OSAI.package, "api": OSAI.api}
CHATGPT_DIMENSIONS = {
    "opencode": OSAI.trainingcode, "llmdata": OSAI.datasources_basemodel,
    "llmweights": OSAI.weights_basemodel,
    "rldata": OSAI.datasources_endmodel, "rlweights": OSAI.weights_endmodel, "license": OSAI.licenses,
    "code": OSAI.code, "architecture": OSAI.hardware_architecture, "preprint": OSAI.preprint,
    "paper": OSAI.paper, "modelcard": OSAI.modelcard, "datasheet": OSAI.datasheet,
    "package": OSAI.package, "api": OSAI.api,
}


def _project_names(project: dict[str, Any]) -> tuple[str, str | None, list[str]]:
    return text(project.get("name")) or "", text(project.get("llmbase")), []


V102 = IndexFormat(info=V102_INFO, dimensions=LEGACY_DIMENSIONS, source="osai-legacy", names=_current_names)
CHATGPT = IndexFormat(info=CHATGPT_INFO, dimensions=CHATGPT_DIMENSIONS, system_key="project",
                      source="osai-legacy", folder_in_repo="projects/", names=_project_names)


def detect(path: Path) -> IndexFormat:
    """Which legacy format a folder holds: Opening up ChatGPT has ``projects/`` and ``project:`` blocks."""
    if (path / "projects").is_dir() or path.name == "projects":
        return CHATGPT
    return V102


def import_osai_legacy(path: str | Path, resolver: Resolver | None = None, **_: Any) -> ImportResult:
    """Read a v1.0.2 index folder or an Opening up ChatGPT checkout (or its ``projects/``)."""
    folder = Path(path)
    fmt = detect(folder)
    if fmt is CHATGPT and (folder / "projects").is_dir():
        folder = folder / "projects"
    return import_index(folder, resolver or Resolver(), fmt)


__all__ = ["CHATGPT", "V102", "import_osai_legacy"]
