"""`python -m bench [--runs N] [--only NAME ...]`: run every benchmark and print its ratio lines."""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

from bench.common import machine

BENCHMARKS = ("startup", "pages", "year_package", "scale", "workbench", "import_ledgers", "bundle", "windows")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--runs", type=int, default=10, help="fresh-process runs per start-up figure")
    parser.add_argument("--only", nargs="*", choices=BENCHMARKS, help="run only these benchmarks")
    parser.add_argument(
        "--bundle", type=Path, help="the built bundle folder (default: dist/zjtb, built if missing)"
    )
    args = parser.parse_args(argv)
    print(f"machine: {machine()}", flush=True)
    with tempfile.TemporaryDirectory(prefix="zjtb-bench-") as tmp:
        work = Path(tmp)
        for name in args.only or BENCHMARKS:
            started = time.perf_counter()
            module = __import__(f"bench.{name}", fromlist=["run"])
            if name == "bundle":
                results = module.run(work, args.runs, args.bundle)
            else:
                results = module.run(work, args.runs)
            for result in results:
                print(result.line(), flush=True)
            print(f"  ({name} took {time.perf_counter() - started:.0f} s)", file=sys.stderr, flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
