"""Bare scripts the app is measured against (each run as `python FILE ...` in a fresh process)."""
