"""The researcher's walk-through in examples/ runs end to end (a small store built in memory from
the bundled examples and a few catalogue records) and writes its charts."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_walkthrough_runs_end_to_end(tmp_path: Path) -> None:
    out = tmp_path / "charts"
    proc = subprocess.run(
        [sys.executable, str(ROOT / "examples" / "walkthrough.py"), "--out", str(out)],
        capture_output=True,
        text=True,
        timeout=600,
        cwd=tmp_path,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    text = proc.stdout
    for heading in (
        "1. load",
        "2. classify",
        "3. lineage",
        "4. license conflicts",
        "5. agreement",
        "6. lenses",
        "7. plots",
    ):
        assert f"== {heading}" in text
    assert "fineTunedFrom" in text and "mergedFrom" in text  # the model cards' derivations
    assert "drops" in text  # a catalogue record's fine-tune of Llama 2 under another license
    for name in ("tiers.svg", "timeline.svg", "lenses.svg"):
        assert (out / name).read_text(encoding="utf-8").lstrip().startswith("<?xml")
    for name in ("agreement.png", "lineage.png"):
        assert (out / name).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
