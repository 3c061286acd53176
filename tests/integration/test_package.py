"""The year package: staged, renamed into place, nothing partial left behind."""

from __future__ import annotations

import builtins
from pathlib import Path

import pytest

from app.db import Database
from app.errors import TargetLockedError, UserError
from app.exports.package import export_year, package_folder_name
from app.registry import Cancelled, ExportContext, Exporter, Registry


def _writer(name: str, text: str):
    def run(ctx: ExportContext) -> list[Path]:
        path = ctx.out_dir / name
        path.write_text(f"{text} {ctx.year}", encoding="utf-8")
        ctx.progress(1, 1, name)
        return [path]

    return run


def _registry(*exporters: Exporter) -> Registry:
    registry = Registry()
    for exporter in exporters:
        registry.add_exporter(exporter)
    return registry


def _leftovers(root: Path) -> list[str]:
    return [p.name for p in root.iterdir() if p.name.startswith(".zjtb-export-")]


def test_files_land_in_a_folder_named_after_unit_and_year(
    example_db: Database, example_unit_id: int, tmp_path: Path
) -> None:
    registry = _registry(
        Exporter("a", "甲表", _writer("甲表.xlsx", "a")),
        Exporter("b", "乙表", _writer("乙表.xlsx", "b")),
        Exporter("c", "不适用", _writer("丙.xlsx", "c"), applies=lambda s, u, y: False),
    )
    steps = []
    result = export_year(
        example_db,
        example_unit_id,
        2023,
        tmp_path,
        registry=registry,
        progress=lambda d, t, s: steps.append(s),
    )
    folder = tmp_path / "汨罗市建筑工程服务中心2023年度填报材料"
    assert result.folder == folder
    assert sorted(p.name for p in folder.iterdir()) == ["乙表.xlsx", "甲表.xlsx"]
    assert (folder / "甲表.xlsx").read_text(encoding="utf-8") == "a 2023"
    assert [title for title, _files in result.by_exporter] == ["甲表", "乙表"]
    assert "正在导出：甲表" in steps
    assert _leftovers(tmp_path) == []


def test_cancel_leaves_nothing(example_db: Database, example_unit_id: int, tmp_path: Path) -> None:
    def cancel_during(ctx: ExportContext) -> list[Path]:
        files = _writer("甲表.xlsx", "a")(ctx)
        ctx.cancel.set()
        return files

    registry = _registry(
        Exporter("a", "甲表", cancel_during), Exporter("b", "乙表", _writer("乙表.xlsx", "b"))
    )
    out = tmp_path / "out"
    with pytest.raises(Cancelled):
        export_year(example_db, example_unit_id, 2023, out, registry=registry)
    assert list(out.iterdir()) == []


def test_a_failing_exporter_leaves_no_partial_package(
    example_db: Database, example_unit_id: int, tmp_path: Path
) -> None:
    def broken(ctx: ExportContext) -> list[Path]:
        (ctx.out_dir / "半截.xlsx").write_bytes(b"PK")
        raise RuntimeError("writer crashed")

    registry = _registry(Exporter("a", "甲表", _writer("甲表.xlsx", "a")), Exporter("b", "乙表", broken))
    out = tmp_path / "out"
    with pytest.raises(RuntimeError):
        export_year(example_db, example_unit_id, 2023, out, registry=registry)
    assert list(out.iterdir()) == []


def test_a_locked_target_is_a_message_and_nothing_is_replaced(
    example_db: Database, example_unit_id: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / package_folder_name("汨罗市建筑工程服务中心", 2023)
    folder.mkdir()
    (folder / "甲表.xlsx").write_text("old a", encoding="utf-8")
    (folder / "乙表.xlsx").write_text("old b", encoding="utf-8")
    real_open = builtins.open

    def wps_has_it_open(path, mode="r", *args, **kwargs):
        if Path(path).name == "乙表.xlsx" and "+" in mode:
            raise PermissionError(13, "Permission denied")
        return real_open(path, mode, *args, **kwargs)

    monkeypatch.setattr(builtins, "open", wps_has_it_open)
    registry = _registry(
        Exporter("a", "甲表", _writer("甲表.xlsx", "a")), Exporter("b", "乙表", _writer("乙表.xlsx", "b"))
    )
    with pytest.raises(TargetLockedError, match=r"乙表\.xlsx.*WPS/Excel 打开"):
        export_year(example_db, example_unit_id, 2023, tmp_path, registry=registry)
    monkeypatch.undo()
    assert (folder / "甲表.xlsx").read_text(encoding="utf-8") == "old a"  # not half-updated either
    assert (folder / "乙表.xlsx").read_text(encoding="utf-8") == "old b"
    assert _leftovers(tmp_path) == []


def test_nothing_to_export_says_so(example_db: Database, example_unit_id: int, tmp_path: Path) -> None:
    with pytest.raises(UserError, match="没有可导出"):
        export_year(example_db, example_unit_id, 2023, tmp_path, registry=Registry())


def test_unsafe_characters_in_names_are_replaced() -> None:
    assert package_folder_name('某县/建筑:中心"', 2023) == "某县_建筑_中心_2023年度填报材料"
