"""The bundled corpus, built once per test session for the analysis and export tests.

``openness.importers.build.build`` imports every bundled catalogue plus the report's examples into an
on-disk store (about three minutes on two quiet cores; the CLI tests need a path). Afterwards the
store is compacted (``flush`` + ``optimize``): a freshly written RocksDB store replays its whole
write-ahead log on every read-only open, which took 80 s on the corpus; compacted, 0.1 s.
The store is shared, read-only, by every test that asks for it (``functools.cache``: one build
even when several modules import the fixture). ``OPENNESS_TEST_CORPUS=PATH`` reuses a store
already built with the current code (for a developer re-running these tests; CI builds).
"""

from __future__ import annotations

import os
import tempfile
from functools import cache
from pathlib import Path

from openness.importers.build import build
from openness.store import OxigraphStore


@cache
def built_corpus() -> Path:
    """The path of the built corpus store (built on first use, kept for the session)."""
    given = os.environ.get("OPENNESS_TEST_CORPUS")
    if given:
        return Path(given)
    root = Path(tempfile.mkdtemp(prefix="openness-corpus-"))
    store = OxigraphStore(root / "store")
    try:
        build(store, report_dir=root / "report")
        store.native.flush()
        store.native.optimize()
    finally:
        store.close()
    return root / "store"
