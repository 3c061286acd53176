"""What every benchmark shares: fresh-process timing through the start-up trace, medians, and
the one line format `name: value (baseline value) ratio ×N.NN (target …)`."""

from __future__ import annotations

import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
TRACE_ENV = "ZJTB_STARTUP_TRACE"  # read by ui/startup_probe.py


@dataclass(frozen=True)
class Result:
    name: str
    value: float | None
    baseline: float | None = None
    unit: str = "s"
    target: str = ""
    note: str = ""  # shown instead of figures when there is nothing to measure yet
    # Median of the per-round ratios when the two were measured in alternating rounds (steadier
    # than the ratio of the medians on a noisy machine); else value / baseline.
    paired_ratio: float | None = None

    @property
    def ratio(self) -> float | None:
        if self.paired_ratio is not None:
            return self.paired_ratio
        if self.value is None or not self.baseline:
            return None
        return self.value / self.baseline

    def line(self) -> str:
        if self.value is None:
            return f"{self.name}: {self.note}"
        text = f"{self.name}: {_fmt(self.value, self.unit)}"
        if self.baseline is not None:
            text += f" ({_fmt(self.baseline, self.unit)} baseline) ratio ×{self.ratio:.2f}"
        if self.target:
            text += f" (target {self.target})"
        if self.note:
            text += f" — {self.note}"
        return text


def _fmt(value: float, unit: str) -> str:
    if unit == "s":
        return f"{value:.3f} s"
    if unit == "MB":
        return f"{value:.0f} MB"
    return f"{value:g} {unit}".strip()


def pending(name: str, needs: str) -> Result:
    return Result(name, None, note=f"not measured yet — needs {needs}")


def qt_env(data_dir: Path) -> dict[str, str]:
    """A clean environment for a measured run: offscreen unless a display is wanted, own data folder."""
    env = {k: v for k, v in os.environ.items() if k not in (TRACE_ENV, "DATABASE_URL")}
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    env["ZJTB_DATA_DIR"] = str(data_dir)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


@dataclass(frozen=True)
class Trace:
    """Seconds from process start (just before it was spawned) to each traced event."""

    events: dict[str, float]
    details: dict[str, str]
    cpu: dict[str, float]  # CPU seconds the process had used at each event


def traced_run(command: Sequence[str], *, cwd: Path = ROOT, timeout: float = 60) -> Trace:
    """Start `command` in a fresh process with the start-up trace on; return its event times."""
    with tempfile.TemporaryDirectory(prefix="zjtb-bench-") as tmp:
        trace_file = Path(tmp) / "trace.txt"
        env = qt_env(Path(tmp) / "data")
        env[TRACE_ENV] = str(trace_file)
        start = time.time_ns()
        done = subprocess.run(
            list(command), cwd=cwd, env=env, timeout=timeout, capture_output=True, text=True, check=False
        )
        if done.returncode != 0:
            raise RuntimeError(f"{' '.join(command)} exited {done.returncode}: {done.stderr[-2000:]}")
        return read_trace(trace_file, start)


def read_trace(trace_file: Path, start_ns: int) -> Trace:
    """The first time of each event in a start-up trace (ui/startup_probe.py), in seconds from
    `start_ns` (time.time_ns() just before the process was spawned)."""
    events: dict[str, float] = {}
    details: dict[str, str] = {}
    cpu: dict[str, float] = {}
    for line in trace_file.read_text(encoding="utf-8").splitlines():
        event, stamp, cpu_ns, *rest = line.split(" ", 3)
        events.setdefault(event, (int(stamp) - start_ns) / 1e9)
        cpu.setdefault(event, int(cpu_ns) / 1e9)
        details.setdefault(event, rest[0] if rest else "")
    return Trace(events, details, cpu)


class Samples:
    """Event times of several commands measured in alternating rounds (one warm-up round first,
    for file caches and .pyc files), so that a slow moment of the machine hits all of them."""

    def __init__(self, commands: dict[str, Sequence[str]], runs: int) -> None:
        self.runs = runs
        self.times: dict[str, dict[str, list[float]]] = {key: {} for key in commands}
        self.details: dict[str, dict[str, str]] = {key: {} for key in commands}
        self.cpu: dict[str, dict[str, list[float]]] = {key: {} for key in commands}
        for round_no in range(runs + 1):
            for key, command in commands.items():
                trace = traced_run(command)
                if round_no == 0:
                    continue
                for event, seconds in trace.events.items():
                    self.times[key].setdefault(event, []).append(seconds)
                for event, seconds in trace.cpu.items():
                    self.cpu[key].setdefault(event, []).append(seconds)
                self.details[key].update(trace.details)

    def median(self, key: str, event: str) -> float:
        return statistics.median(self.times[key][event])

    def paired_ratio(self, key: str, base: str, event: str, base_event: str | None = None) -> float:
        pairs = zip(self.times[key][event], self.times[base][base_event or event], strict=True)
        return statistics.median(a / b for a, b in pairs)

    def cpu_ratio(self, key: str, base: str, event: str, base_event: str | None = None) -> float:
        """Median CPU time of `key` over that of `base` at the event: the machine's other load
        changes it little, so it shows whether a wall-clock ratio moved because of the code."""
        mine = statistics.median(self.cpu[key][event])
        return mine / statistics.median(self.cpu[base][base_event or event])

    def result(
        self, name: str, key: str, base: str, event: str, base_event: str | None = None, note: str = "", **kw
    ) -> Result:
        cpu = f"CPU-time ratio ×{self.cpu_ratio(key, base, event, base_event):.2f}"
        return Result(
            name,
            self.median(key, event),
            self.median(base, base_event or event),
            paired_ratio=self.paired_ratio(key, base, event, base_event),
            note=f"{note}; {cpu}" if note else cpu,
            **kw,
        )


@dataclass(frozen=True)
class Run:
    """A whole child process: wall seconds, CPU seconds (user + system) and peak resident memory."""

    wall: float
    cpu: float | None
    peak_mb: float | None
    stdout: str


# Started by `measured_run` between the bench and the measured program. The kernel's peak-memory
# figure (ru_maxrss) of a process starts from that of the process it was forked from (the
# bench itself holds 100+ MB), so the program is started from this small one instead; it
# reports the program's wall time, CPU time and peak memory (wait4) as JSON to argv[1].
_LAUNCHER = """
import json, os, subprocess, sys, time
started = time.perf_counter()
child = subprocess.Popen(sys.argv[2:])
_pid, status, usage = os.wait4(child.pid, 0)
wall = time.perf_counter() - started
with open(sys.argv[1], "w") as out:
    json.dump({"code": os.waitstatus_to_exitcode(status), "wall": wall,
               "cpu": usage.ru_utime + usage.ru_stime, "peak_mb": usage.ru_maxrss / 1024}, out)
"""


def measured_run(command: Sequence[str], *, env: dict[str, str] | None = None, timeout: float = 900) -> Run:
    """Run `command` to its end: its wall time, its own CPU time and peak memory (from the
    kernel's accounting of that one process, so whatever else the machine runs is left out)."""
    with tempfile.TemporaryDirectory(prefix="zjtb-bench-") as tmp:
        report = Path(tmp) / "run.json"
        if hasattr(os, "wait4"):
            launched = [PYTHON, "-c", _LAUNCHER, str(report), *command]
        else:  # pragma: no cover - Windows: wall time only
            launched = list(command)
        started = time.perf_counter()
        done = subprocess.run(
            launched, cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout, check=False
        )
        wall = time.perf_counter() - started
        usage = json.loads(report.read_text()) if report.exists() else {"code": done.returncode}
        if done.returncode != 0 or usage["code"] != 0:
            raise RuntimeError(f"{' '.join(command)} exited {usage['code']}: {done.stderr[-2000:]}")
        return Run(usage.get("wall", wall), usage.get("cpu"), usage.get("peak_mb"), done.stdout)


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    ram = ""
    try:
        kb = int(
            next(
                x for x in Path("/proc/meminfo").read_text().splitlines() if x.startswith("MemTotal")
            ).split()[1]
        )
        ram = f", {kb / 1024 / 1024:.0f} GiB RAM"
    except (OSError, StopIteration, ValueError):
        pass
    return (
        f"{platform.system()} {platform.release()}, {os.cpu_count()} cores ({cpu}){ram}, "
        f"Python {platform.python_version()}"
    )


def which(name: str) -> str | None:
    return shutil.which(name)
