# ruff: noqa: E501  (long SPARQL, Turtle and report lines)
"""What every benchmark of bench/ shares: the machine, isolated measured steps, figures, ratios.

Why steps run in their own process: the machine is shared and loaded, so wall time alone is noise.
Every measured step runs in a fresh Python process (:func:`run_step`), and the parent reads that
process's own CPU time (user + system, its children included) and peak resident memory from
``wait4`` — figures another engineer's job does not inflate. Wall time is reported too. A step
that runs out of its time budget is killed and reported as such (the naive stack often is).

The load average is sampled every few seconds while a benchmark runs (:class:`LoadSampler`) and
printed with the machine (cores, RAM), since it says how much the wall times can be trusted.
"""

from __future__ import annotations

import contextlib
import json
import os
import platform
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
STEPS = BENCH / "steps.py"


def work_dir() -> Path:
    """Where corpora and stores go: ``$OPENNESS_BENCH_WORK`` or /tmp/openness-bench."""
    path = Path(os.environ.get("OPENNESS_BENCH_WORK", "/tmp/openness-bench"))
    path.mkdir(parents=True, exist_ok=True)
    return path


# --------------------------------------------------------------------------- the machine


def machine() -> dict[str, Any]:
    mem = 0
    with open("/proc/meminfo") as fh:
        for line in fh:
            if line.startswith("MemTotal:"):
                mem = int(line.split()[1]) // 1024
    cpu = ""
    with open("/proc/cpuinfo") as fh:
        for line in fh:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    import pyoxigraph
    import rdflib

    versions = {"python": platform.python_version(), "pyoxigraph": pyoxigraph.__version__, "rdflib": rdflib.__version__}
    try:
        import pyshacl

        versions["pyshacl"] = pyshacl.__version__
    except ImportError:  # pragma: no cover
        pass
    return {"cores": os.cpu_count(), "ram_mb": mem, "cpu": cpu, **versions}


class LoadSampler:
    """The 1-minute load average, sampled every ``every`` seconds in a background thread."""

    def __init__(self, every: float = 5.0) -> None:
        self.every = every
        self.samples: list[float] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            self.samples.append(os.getloadavg()[0])
            self._stop.wait(self.every)

    def __enter__(self) -> LoadSampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def summary(self) -> str:
        s = self.samples or [os.getloadavg()[0]]
        return f"load average (1 min) during the run: min {min(s):.1f}, mean {sum(s) / len(s):.1f}, max {max(s):.1f}"


def header(title: str) -> None:
    m = machine()
    print(f"# {title}")
    print(f"machine: {m['cores']} cores ({m['cpu']}), {m['ram_mb'] / 1024:.1f} GB RAM; python {m['python']}, "
          f"pyoxigraph {m['pyoxigraph']}, rdflib {m['rdflib']}, pyshacl {m.get('pyshacl', '-')}")
    print(f"load average at start: {' '.join(f'{x:.1f}' for x in os.getloadavg())}", flush=True)


# --------------------------------------------------------------------------- measured steps


@dataclass
class Result:
    """One measured step: its own figures and what it returned."""

    name: str
    wall: float = 0.0
    cpu: float = 0.0
    rss_mb: float = 0.0
    ok: bool = True
    note: str = ""
    data: dict[str, Any] = field(default_factory=dict)

    def __getitem__(self, key: str) -> Any:
        return self.data[key]

    def get(self, key: str, default: Any = None) -> Any:
        return self.data.get(key, default)

    def line(self) -> str:
        status = "" if self.ok else f"  [{self.note}]"
        return f"{self.name:<44} wall {self.wall:>9.2f} s   cpu {self.cpu:>9.2f} s   peak {self.rss_mb:>7.0f} MB{status}"


def run_step(name: str, step: str, *, timeout: float | None = None, quiet: bool = False, **kwargs: Any) -> Result:
    """Run ``steps.<step>(**kwargs)`` in a fresh process; its CPU time and peak memory come from
    ``wait4``. The step prints its result as JSON on the last line of stdout."""
    started = time.perf_counter()
    partial_file = work_dir() / f"partial-{os.getpid()}-{step}.jsonl"
    partial_file.unlink(missing_ok=True)
    proc = subprocess.Popen([sys.executable, str(STEPS), step, json.dumps(kwargs)],
                            stdout=subprocess.PIPE, stderr=None if not quiet else subprocess.DEVNULL,
                            start_new_session=True, text=True,
                            env={**os.environ, "BENCH_PARTIAL": str(partial_file)})
    killed = threading.Event()

    def kill() -> None:
        killed.set()
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)

    timer = threading.Timer(timeout, kill) if timeout else None
    if timer:
        timer.start()
    assert proc.stdout is not None
    out = proc.stdout.read()
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    if timer:
        timer.cancel()
    result = Result(name, time.perf_counter() - started, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024)
    lines = [line for line in out.splitlines() if line.strip()]
    if killed.is_set():
        result.ok, result.note = False, f"stopped after {timeout:.0f} s"
    elif proc.returncode != 0:
        result.ok, result.note = False, f"failed (exit {proc.returncode})"
    if lines and result.ok:
        try:
            result.data = json.loads(lines[-1])
        except json.JSONDecodeError:
            result.ok, result.note = False, "no result"
    if not result.ok and partial_file.exists():
        for line in partial_file.read_text().splitlines():
            result.data.update(json.loads(line))
        result.data["partial"] = True
    partial_file.unlink(missing_ok=True)
    if not quiet:
        print(result.line(), flush=True)
    return result


def ratio(a: float | None, b: float | None) -> str:
    """``a / b`` as ``12.3x``, or ``n/a``."""
    if not a or not b:
        return "n/a"
    r = a / b
    return f"{r:.2f}x" if r < 10 else f"{r:.0f}x"


def figure(label: str, seconds: float | None, *, unit: str = "s", against: dict[str, float | None] | None = None) -> str:
    text = f"{label:<52} {seconds:>10.3f} {unit}" if seconds is not None else f"{label:<52} {'n/a':>10}"
    for name, base in (against or {}).items():
        text += f"   {ratio(seconds, base):>8} {name}"
    return text
