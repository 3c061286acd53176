"""Which files of an export are drafts (草稿): written while 校验 errors remain that can make
their figures wrong.

A table is a draft when an error points into its own module (预算绩效 for the budget tables …)
or into 单位信息 (names, staffing and the footer of every table come from there); a report
quotes figures from every module, so any error makes every report a draft. The files keep their
names (a clerk sends them on under the names the 样表 ask for, and the next export overwrites
them); the summary says which are drafts.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from app.contributions import Registry
from app.findings import Finding

DRAFT = "草稿"
_EVERY_MODULE = {"unit", ""}  # pages whose errors reach every file ("": a finding pointing nowhere)


def _module(key: str) -> str:
    return key.partition(".")[0]


def draft_exporter_keys(registry: Registry, findings: Iterable[Finding]) -> set[str]:
    """The keys of the registry's exporters whose files would be drafts with these findings."""
    pages = {f.target.page if f.target is not None else "" for f in findings if f.is_error}
    if not pages:
        return set()
    everything = bool(pages & _EVERY_MODULE)
    return {
        e.key
        for e in registry.exporters
        if everything or _module(e.key) == "reports" or _module(e.key) in pages
    }


def draft_files(
    registry: Registry, by_exporter: list[tuple[str, list[Path]]], findings: Iterable[Finding]
) -> set[Path]:
    """The files of an export result (its by_exporter: title → files) that are drafts."""
    keys = draft_exporter_keys(registry, findings)
    titles = {e.title for e in registry.exporters if e.key in keys}
    return {path for title, files in by_exporter if title in titles for path in files}
