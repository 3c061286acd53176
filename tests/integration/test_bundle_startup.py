"""The start-up contract the bundle smoke test and bench/ rely on, checked from the sources (fast):
the window paints before the database layer is loaded, the hidden `--quit-when-ready` switch and the
ZJTB_STARTUP_TRACE probe (ui/startup_probe.py) work, and quitting is clean."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings

ROOT = Path(__file__).resolve().parents[2]


def _trace_run(tmp_path: Path, db: Path) -> tuple[subprocess.CompletedProcess, list[tuple[str, str]]]:
    trace = tmp_path / "trace.txt"
    env = {k: v for k, v in os.environ.items() if not k.startswith("ZJTB_") or k == "ZJTB_PASSWORD"}
    env.update(
        ZJTB_DATA_DIR=str(tmp_path / "data"), QT_QPA_PLATFORM="offscreen", ZJTB_STARTUP_TRACE=str(trace)
    )
    done = subprocess.run(
        [sys.executable, str(ROOT / "main.py"), "--db", str(db), "--quit-when-ready"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    events = []
    for line in trace.read_text(encoding="utf-8").splitlines():
        event, _wall, _cpu, *detail = line.split(" ", 3)
        events.append((event, detail[0] if detail else ""))
    return done, events


def test_window_paints_before_the_database_layer_loads_then_shows_data_and_quits(
    tmp_path: Path, example_path: Path
) -> None:
    done, events = _trace_run(tmp_path, example_path)
    assert done.returncode == 0, done.stderr
    assert [e for e, _ in events] == ["first-paint", "ready", "tr"]
    # `-`: none of sqlalchemy, alembic, openpyxl, docx, xlsxwriter, psycopg, lxml imported yet
    assert events[0][1] == "-"
    assert events[2][1] == "取消"  # qtbase_zh_CN: standard dialogs speak Chinese
    assert (tmp_path / "data" / "ui.ini").is_file()  # closed through closeEvent


def test_the_probe_costs_nothing_when_off() -> None:
    # Neither the trace variable nor the switch: the probe module is not even imported.
    env = {k: v for k, v in os.environ.items() if not k.startswith("ZJTB_") or k == "ZJTB_PASSWORD"}
    code = (
        "import sys\n"
        "from ui.application import _watch_startup\n"
        "_watch_startup(object(), False)\n"
        "print('ui.startup_probe' in sys.modules)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True)
    assert done.stdout.strip() == "False", done.stderr


def test_a_shown_window_opens_the_database_after_its_first_paint(
    qtbot, tmp_path: Path, example_path: Path
) -> None:
    from ui.main_window import MainWindow

    window = MainWindow(str(example_path), QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(window)
    window.show()
    window.start()
    assert window.db is None  # nothing opened before the event loop has painted the window
    with qtbot.waitSignal(window.entered, timeout=10000):
        pass
    assert window._painted and window.ctx is not None
    assert window.current_page() is window.pages["workbench"]  # where every start opens
    window.close()


def test_a_hidden_window_opens_the_database_at_once(qtbot, tmp_path: Path, example_path: Path) -> None:
    from ui.main_window import MainWindow

    window = MainWindow(str(example_path), QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(window)
    with qtbot.waitSignal(window.entered, timeout=10000):
        window.start()
    assert window.ctx is not None and not window._painted
    window.close()


def test_a_plain_gui_start_is_read_as_the_parser_would() -> None:
    import main
    from app.cli import build_parser

    for argv in ([], ["--db", "a b.sqlite3"], ["--db=x.sqlite3", "--quit-when-ready"], ["--quit-when-ready"]):
        fast = main._plain_gui_start(argv)
        parser = build_parser()
        parser.add_argument(main.QUIT_WHEN_READY, action="store_true")
        full = parser.parse_args(argv)
        assert fast is not None and (fast.command, fast.db, fast.quit_when_ready) == (
            full.command,
            full.db,
            full.quit_when_ready,
        )
    # anything else goes through the parser (subcommands, --help, mistakes)
    for argv in (["demo"], ["--db", "x", "check", "--year", "2023"], ["--help"], ["--db"], ["--bogus"]):
        assert main._plain_gui_start(argv) is None
    with pytest.raises(SystemExit):
        main.main(["--bogus"])


@pytest.mark.parametrize("frozen", [True, False])
def test_a_frozen_program_writes_no_bytecode_beside_itself(tmp_path: Path, frozen: bool) -> None:
    """Alembic imports app/migrations/*.py from the install folder: a PyInstaller build must not
    leave __pycache__ there. main.py switches bytecode writing off when sys.frozen is set."""
    (tmp_path / "migration_like.py").write_text("VALUE = 1\n", encoding="utf-8")
    code = (
        "import sys\n"
        f"sys.frozen = {frozen}\n"
        f"sys.path[:0] = [{str(ROOT)!r}, {str(tmp_path)!r}]\n"
        "import main\n"
        "import migration_like\n"
        "print(sys.dont_write_bytecode)\n"
    )
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONDONTWRITEBYTECODE", "PYTHONPYCACHEPREFIX")}
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == str(frozen)
    assert (tmp_path / "__pycache__").exists() is not frozen
