"""Progress (issue 11): commands that can take seconds show a spinner on a terminal, and nothing
when their output goes to a pipe or a log.

The terminal is a real pseudo-terminal on the command's stderr (where rich draws), stdout piped.
"""

from __future__ import annotations

import os
import pty
import subprocess
from pathlib import Path

import pytest
from clisupport import RunCli, openness_executable
from openness.gate import ingest_files
from openness.resources import data_dir
from openness.store import open_store

COMMANDS = (
    (["disagreements"], "finding disagreements"),
    (["classify", "--framework", "spectrum"], "reading spectrum verdicts"),
    (["validate"], "validating the store"),
    (["summary"], "summarizing"),
    (["show", "Llama 2"], "finding 'Llama 2'"),
)


@pytest.fixture(scope="module")
def store_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("progress") / "store"
    with open_store(path) as store:
        ingest_files(store, sorted((data_dir() / "examples").glob("*.ttl")))
    return path


def _on_a_terminal(args: list[str], cwd: Path) -> tuple[int, str, str]:
    """Run the command with stderr on a pseudo-terminal: exit code, stdout, what the terminal got."""
    master, slave = pty.openpty()
    env = {**os.environ, "TERM": "xterm-256color", "COLUMNS": "200"}  # as run_cli
    env.pop("NO_COLOR", None)
    proc = subprocess.Popen([openness_executable(), *args], stdout=subprocess.PIPE, stderr=slave,
                            cwd=cwd, env=env)
    os.close(slave)
    chunks = []
    while True:
        try:
            data = os.read(master, 65536)
        except OSError:  # the terminal is closed once the command ends
            break
        if not data:
            break
        chunks.append(data)
    out = proc.stdout.read().decode() if proc.stdout else ""
    code = proc.wait(timeout=300)
    os.close(master)
    return code, out, b"".join(chunks).decode("utf-8", errors="replace")


@pytest.mark.parametrize(("args", "words"), COMMANDS)
def test_a_spinner_on_a_terminal_nothing_in_a_pipe(run_cli: RunCli, store_path: Path, tmp_path: Path,
                                                   args: list[str], words: str) -> None:
    code, out, terminal = _on_a_terminal(["--store", str(store_path), *args], tmp_path)
    assert code == 0, terminal
    assert words in terminal, terminal  # the step being done, drawn on the terminal
    assert words not in out and "\x1b" not in out  # never on stdout, where the data goes

    piped = run_cli("--store", str(store_path), *args)
    assert piped.returncode == 0, piped.stderr
    assert words not in piped.stderr and "\x1b" not in piped.stderr  # a pipe or a log: nothing drawn
    assert piped.stdout == out  # the same data either way
