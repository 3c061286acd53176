"""Benchmarks: figures printed as ratios to a bare baseline measured in the same run.

Run every benchmark with `python -m bench` (see bench/README.md); never used as pass/fail tests.
"""
