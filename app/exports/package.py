"""The year package (一键导出): every registered exporter's files for a unit and year, in one folder.

Exporters write into a hidden staging folder beside the target; only when all of them have
finished are the files moved into place, so a cancelled or failed run leaves nothing behind.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from pathlib import Path

from app.contributions import Cancelled, ExportContext, Exporter, ProgressFn, Registry
from app.db import Database
from app.errors import UserError, WriteFaultError, describe_os_error
from app.exports.atomic import move_into_place, safe_filename, staging_folder
from app.models.unit import Unit
from app.registry import default_registry
from app.services.run_cache import run_cache


@dataclass
class ExportResult:
    folder: Path
    files: list[Path] = field(default_factory=list)
    # (exporter title, files) in the order written, for the summary shown to the user.
    by_exporter: list[tuple[str, list[Path]]] = field(default_factory=list)


def package_folder_name(unit_name: str, year: int) -> str:
    return safe_filename(f"{unit_name}{year}年度填报材料")


def select_exporters(
    db: Database, unit_id: int, year: int, registry: Registry, keys: set[str] | None
) -> list[Exporter]:
    with db.session() as session:
        return [
            e
            for e in registry.exporters
            if (keys is None or e.key in keys) and (e.applies is None or e.applies(session, unit_id, year))
        ]


def export_year(
    db: Database,
    unit_id: int,
    year: int,
    out_root: Path,
    *,
    registry: Registry | None = None,
    keys: set[str] | None = None,
    into_package_folder: bool = True,
    progress: ProgressFn | None = None,
    cancel: threading.Event | None = None,
    options: dict | None = None,
) -> ExportResult:
    """Write the selected (default: all) exporters' files for `year` under `out_root`.

    With `into_package_folder` the files go to `out_root/<单位><年>年度填报材料/`.
    Raises Cancelled, UserError (e.g. TargetLockedError), or the exporter's own error.
    """
    with run_cache():
        return _export_year(
            db, unit_id, year, out_root, registry, keys, into_package_folder, progress, cancel, options
        )


def _export_year(
    db: Database,
    unit_id: int,
    year: int,
    out_root: Path,
    registry: Registry | None,
    keys: set[str] | None,
    into_package_folder: bool,
    progress: ProgressFn | None,
    cancel: threading.Event | None,
    options: dict | None,
) -> ExportResult:
    registry = registry or default_registry()
    cancel = cancel or threading.Event()
    report = progress or (lambda _d, _t, _s: None)
    with db.session() as session:
        unit = session.get(Unit, unit_id)
        if unit is None:
            raise UserError("单位不存在")
        unit_name = unit.name
    exporters = select_exporters(db, unit_id, year, registry, keys)
    if not exporters:
        raise UserError(f"{year}年度没有可导出的表格或报告")
    folder = out_root / package_folder_name(unit_name, year) if into_package_folder else out_root
    result = ExportResult(folder)
    with staging_folder(out_root) as staging:
        staged: list[tuple[str, list[Path]]] = []
        total = len(exporters)
        for index, exporter in enumerate(exporters):
            if cancel.is_set():
                raise Cancelled

            def sub_progress(done: int, of: int, text: str, _i: int = index) -> None:
                report(_i * 1000 + (1000 * done // of if of else 0), total * 1000, text)

            report(index * 1000, total * 1000, f"正在导出：{exporter.title}")
            context = ExportContext(db, unit_id, year, staging, sub_progress, cancel, dict(options or {}))
            try:
                files = exporter.run(context)
            except OSError as exc:
                raise WriteFaultError(describe_os_error(exc, _as_final(exc, staging, folder))) from exc
            staged.append((exporter.title, files))
        if cancel.is_set():
            raise Cancelled
        report(total * 1000, total * 1000, "正在保存文件…")
        pairs = [(f, folder / f.relative_to(staging)) for _t, files in staged for f in files]
        moved = dict(zip((p[0] for p in pairs), move_into_place(pairs), strict=True))
        for title, files in staged:
            result.by_exporter.append((title, [moved[f] for f in files]))
        result.files = list(moved.values())
        return result


def _as_final(exc: OSError, staging: Path, folder: Path) -> Path:
    """The file the user will look for, rather than its hidden staging copy."""
    if isinstance(exc.filename, (str, Path)):
        written = Path(exc.filename)
        if written.is_relative_to(staging):
            return folder / written.relative_to(staging)
    return folder
