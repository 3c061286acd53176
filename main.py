"""住建填报助手: the GUI by default; `demo`, `export` and `check` for headless work (see --help)."""

from __future__ import annotations

import sys


def main(argv: list[str] | None = None) -> int:
    from argparse import SUPPRESS

    from app.cli import build_parser

    parser = build_parser()
    # Hidden: close the window as soon as the unit's data is on screen (bench/, bundle smoke test).
    parser.add_argument("--quit-when-ready", action="store_true", help=SUPPRESS)
    args = parser.parse_args(argv)
    if args.command is None:
        from ui.application import run_gui

        return run_gui(args)
    from app.cli import run_command

    return run_command(args)


if __name__ == "__main__":
    sys.exit(main())
