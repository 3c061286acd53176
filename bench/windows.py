"""Windows: the installer's size and file count, and the start-up of the Windows program under Wine
against the same sources run by the Windows CPython under Wine (same prefix, same virtual screen).

Needs `python3 bootstrap.py build-windows` first (dist/windows-facts.json, dist/windows/zjtb/ and
the build cache with its Windows CPython); reports "not measured" without them. Wine is not
Windows: the ratio says what the bundle costs or saves against the sources, not how fast a
clerk's PC is.
"""

from __future__ import annotations

import json
import statistics
import tempfile
import time
from pathlib import Path

from bench.common import ROOT, Result, pending, read_trace

FACTS = ROOT / "dist" / "windows-facts.json"
INSTALLER_TARGET_MB = 50
FILES_TARGET = 1000


def _traced(prefix, command: list[str], work: Path) -> dict[str, float]:
    from tools import wine

    trace = Path(tempfile.mkdtemp(dir=work)) / "trace.txt"
    start = time.time_ns()
    prefix.run(
        [*command, "--quit-when-ready"],
        step="bench start-up",
        timeout=300,
        ZJTB_STARTUP_TRACE=wine.windows_path(trace),
        ZJTB_DATA_DIR=wine.windows_path(work / "data"),
    )
    return read_trace(trace, start).events


def source_command(python: str, root: str) -> list[str]:
    """main.py run by the embeddable CPython: its python311._pth leaves the script's folder off
    sys.path (and ignores PYTHONPATH), so the sources are put there first."""
    main = root + "\\main.py"
    code = f"import runpy, sys; sys.path.insert(0, {root!r}); runpy.run_path({main!r}, run_name='__main__')"
    return [python, "-c", code]


def run(work: Path, runs: int) -> list[Result]:
    if not FACTS.exists():
        return [pending("windows", "python3 bootstrap.py build-windows")]
    facts = json.loads(FACTS.read_text(encoding="utf-8"))
    results = [
        Result(
            "windows.installer-size",
            facts["installer_bytes"] / 1e6,
            unit="MB",
            target=f"≤ {INSTALLER_TARGET_MB} MB",
            note=facts["installer"],
        ),
        Result("windows.installed-size", facts["installed_bytes"] / 1e6, unit="MB"),
        Result("windows.installed-files", facts["installed_files"], unit="files", target=f"≤ {FILES_TARGET}"),
    ]
    from tools import bundle, windows_build, wine

    exe = windows_build.BUNDLE / f"{bundle.GUI_EXE}.exe"
    python = windows_build.CACHE / "python" / "python.exe"
    if not (exe.exists() and python.exists()):
        return [*results, pending("windows.first-paint", "the Windows bundle and the build cache")]
    db = work / "example.sqlite3"
    with wine.virtual_screen() as display:
        prefix = wine.Prefix(windows_build.CACHE / "prefix", display=display)
        prefix.boot(wine.build_icu_stub(windows_build.CACHE / "icu-stub" / "icuuc.dll"))
        try:
            source = source_command(wine.windows_path(python), wine.windows_path(ROOT))
            prefix.run([*source, "demo", "--db", wine.windows_path(db)], step="bench demo", timeout=300)
            commands = {
                "bundle": [wine.windows_path(exe), "--db", wine.windows_path(db)],
                "source": [*source, "--db", wine.windows_path(db)],
            }
            times: dict[str, dict[str, list[float]]] = {key: {} for key in commands}
            for round_no in range(runs + 1):  # round 0 warms file caches and .pyc files
                for key, command in commands.items():
                    events = _traced(prefix, command, work)
                    if round_no:
                        for event, seconds in events.items():
                            times[key].setdefault(event, []).append(seconds)
        finally:
            prefix.kill()
    for event in ("first-paint", "ready"):
        pairs = zip(times["bundle"][event], times["source"][event], strict=True)
        results.append(
            Result(
                f"windows.{event}",
                statistics.median(times["bundle"][event]),
                statistics.median(times["source"][event]),
                paired_ratio=statistics.median(a / b for a, b in pairs),
                note="zjtb.exe (what setup.exe installs) vs the sources in Windows CPython, both under Wine",
            )
        )
    return results
