"""住建填报助手: the GUI by default; `demo`, `export` and `check` for headless work (see --help)."""

from __future__ import annotations

import sys
from types import SimpleNamespace

if getattr(sys, "frozen", False):
    # Alembic imports app/migrations/*.py from the install folder: without this a PyInstaller
    # build would write __pycache__ folders there (often not writable, and not ours to change).
    sys.dont_write_bytecode = True

# Hidden: close the window as soon as the unit's data is on screen (bench/, bundle smoke test).
QUIT_WHEN_READY = "--quit-when-ready"


def _plain_gui_start(argv: list[str]) -> SimpleNamespace | None:
    """The arguments of a plain GUI start (`[--db PATH] [--quit-when-ready]`), read without building
    the command-line parser (that costs ~6 ms before the window can paint); None for anything else,
    which the parser handles, errors and --help included."""
    options = SimpleNamespace(command=None, db=None, quit_when_ready=False)
    rest = list(argv)
    while rest:
        arg = rest.pop(0)
        if arg == QUIT_WHEN_READY:
            options.quit_when_ready = True
        elif arg == "--db" and rest and not rest[0].startswith("-"):
            options.db = rest.pop(0)
        elif arg.startswith("--db=") and len(arg) > len("--db="):
            options.db = arg[len("--db=") :]
        else:
            return None
    return options


def _private_umask() -> None:
    """Everything this process creates is its user's alone (the data file holds petitioners'
    names and ID numbers): 0600 files, 0700 folders, whatever umask the session has."""
    import os

    if os.name == "posix":
        os.umask(0o077)


def main(argv: list[str] | None = None, *, in_own_process: bool = False) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if in_own_process:
        _private_umask()
    args = _plain_gui_start(argv)
    if args is None:
        from argparse import SUPPRESS

        from app.cli import build_parser, safe_console_streams

        safe_console_streams()  # argparse prints --help and errors with Chinese text
        parser = build_parser()
        parser.add_argument(QUIT_WHEN_READY, action="store_true", help=SUPPRESS)
        args = parser.parse_args(argv)
    if args.command is None:
        from ui.application import run_gui

        return run_gui(args)
    from app.cli import run_command, shots_command

    extra = {}
    if args.command == "shots":  # the one command that needs the widgets
        from ui.shots import take_shots

        extra["shots"] = shots_command(take_shots)
    code = run_command(args, extra)
    if in_own_process:
        _exit_without_teardown(code)
    return code


def _exit_without_teardown(code: int) -> None:
    """End a finished command-line run at once. Everything it wrote is closed by now; what is left
    is the interpreter taking apart SQLAlchemy, lxml and the models object by object, which took
    0.2–0.3 s of the 2 s an `export` of the example year needs (bench/README.md)."""
    import logging
    import os

    logging.shutdown()
    for stream in (sys.stdout, sys.stderr):  # None in a windowed build
        try:
            if stream is not None:
                stream.flush()
        except (OSError, ValueError):  # a closed pipe: nothing more can reach the reader anyway
            pass
    os._exit(code)


if __name__ == "__main__":
    sys.exit(main(in_own_process=True))
