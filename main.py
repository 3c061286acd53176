"""住建填报助手: the GUI by default; `demo`, `export` and `check` for headless work (see --help)."""

from __future__ import annotations

import sys


def main(argv: list[str] | None = None) -> int:
    from app.cli import build_parser

    args = build_parser().parse_args(argv)
    if args.command is None:
        from ui.application import run_gui

        return run_gui(args)
    from app.cli import run_command

    return run_command(args)


if __name__ == "__main__":
    sys.exit(main())
