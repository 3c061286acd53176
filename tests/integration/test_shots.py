"""`main.py shots`: a PNG of the whole window for every page and top-level tab, as scripts run it."""

from __future__ import annotations

import struct
from pathlib import Path

from tests.integration.test_cli import run
from ui.pages import PAGES


def _png_size(path: Path) -> tuple[int, int]:
    header = path.read_bytes()[:24]
    assert header[:8] == b"\x89PNG\r\n\x1a\n" and header[12:16] == b"IHDR"
    return struct.unpack(">II", header[16:24])


def test_every_page_is_shot_at_the_size_asked_for(example_path: Path, tmp_path: Path) -> None:
    out = tmp_path / "shots"
    done = run("shots", "--out", str(out), "--size", "1366x768", "--db", str(example_path), env_dir=tmp_path)
    listed = [line.strip() for line in done.stdout.splitlines() if line.startswith("  ")]
    # The window must keep 1366 px on every page; a page still too wide is named on stderr (exit 1).
    assert done.returncode == 0, done.stdout + done.stderr
    assert f"已保存 {len(listed)} 张截图到 {out}：" in done.stdout
    assert sorted(p.name for p in out.glob("*.png")) == sorted(listed)
    for number, spec in enumerate(PAGES, start=1):
        assert any(name.startswith(f"{number:02d}-{spec.title}") for name in listed), spec.title
    assert {
        "03-预算绩效-基础数据表.png",
        "03-预算绩效-部门整体自评表.png",
        "03-预算绩效-项目支出.png",
    } <= set(listed)
    for name in listed:
        assert _png_size(out / name) == (1366, 768), name


def test_no_unit_in_the_data_file_is_exit_2(tmp_path: Path) -> None:
    empty = tmp_path / "empty.sqlite3"
    done = run("shots", "--out", str(tmp_path / "shots"), "--db", str(empty), env_dir=tmp_path)
    assert done.returncode == 2
    assert "数据文件中没有单位，请先 main.py demo 或指定 --db" in done.stderr
    assert not (tmp_path / "shots").exists()


def test_a_bad_size_is_exit_2(example_path: Path, tmp_path: Path) -> None:
    done = run("shots", "--out", str(tmp_path), "--size", "big", "--db", str(example_path), env_dir=tmp_path)
    assert done.returncode == 2 and "宽x高" in done.stderr
