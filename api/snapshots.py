"""Generations of the store for the query workers: RocksDB checkpoints taken after every commit.

Why: the server process is the store's only writer; query workers are separate processes (so a
query can be killed, and a crash costs one worker). A process must not open a store another one
writes (Oxigraph: undefined behaviour), and a read-only opening would keep serving the state it
opened forever. A checkpoint (``pyoxigraph.Store.backup``) is a consistent copy made of hard links
to the store's immutable data files: about 0.1 s and almost no disk for a store of any size,
and nobody ever writes it. Each commit makes generation *n + 1*; workers reopen the newest
generation before their next request (:mod:`.worker`), and a generation no worker has open any
more is deleted.

Scratch copies for SPARQL Update are checkpoints too: the update runs on one, read-write, in a
worker; the live store is untouched until the write gate commits the effect.

Where: a hidden folder next to the store (``.<store name>.serve/``), on the same file system so
hard links work; removed when the server stops, and left-overs of a killed server are removed
when the next one starts.
"""

from __future__ import annotations

import shutil
import uuid
from pathlib import Path

from openness.store import OxigraphStore


class Snapshots:
    """Checkpoint generations of one on-disk store (see the module docstring)."""

    def __init__(self, store: OxigraphStore) -> None:
        if store.path is None:
            raise ValueError("snapshots need an on-disk store")
        self.store = store
        self.root = store.path.parent / f".{store.path.name}.serve"
        shutil.rmtree(self.root, ignore_errors=True)  # a killed server's left-overs
        self.root.mkdir(parents=True)
        self.current: tuple[int, Path | None] = (0, None)  # replaced whole: readers never see a mix

    @property
    def generation(self) -> int:
        return self.current[0]

    @property
    def path(self) -> Path | None:
        return self.current[1]

    def take(self) -> tuple[int, Path]:
        """Checkpoint the store as the next generation; returns (generation, folder)."""
        generation = self.generation + 1
        path = self.root / f"gen-{generation}"
        shutil.rmtree(path, ignore_errors=True)
        self.store.native.backup(str(path))
        self.current = (generation, path)
        return generation, path

    def scratch(self) -> Path:
        """A fresh checkpoint to be opened read-write and thrown away (SPARQL Update's copy)."""
        path = self.root / f"scratch-{uuid.uuid4().hex}"
        self.store.native.backup(str(path))
        return path

    @staticmethod
    def discard(path: Path) -> None:
        shutil.rmtree(path, ignore_errors=True)

    def prune(self, in_use: set[int]) -> None:
        """Delete generations older than the current one that no worker has open."""
        current = self.generation
        for folder in self.root.glob("gen-*"):
            try:
                generation = int(folder.name[4:])
            except ValueError:
                continue
            if generation < current and generation not in in_use:
                shutil.rmtree(folder, ignore_errors=True)

    def close(self) -> None:
        shutil.rmtree(self.root, ignore_errors=True)


__all__ = ["Snapshots"]
