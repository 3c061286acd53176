"""`main.py import KIND FILE --year Y …` as scripts run it: the mapping and counts it prints, the
problems at sheet/row/column, and its exit codes (0 imported, 1 rejected, 2 cannot run)."""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import connect_data
from tests.integration.test_cli import run
from tests.ledgers.build_hazards import merged_header_ledger, standard_ledger
from tests.ledgers.build_petitions import standard_ledger as petition_ledger


def _count(db: Path, table: str) -> int:
    with connect_data(db) as conn:
        return conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]


def test_import_prints_the_mapping_and_counts_and_a_reimport_skips(
    example_path: Path, tmp_path: Path
) -> None:
    ledger = merged_header_ledger(tmp_path / "2023年隐患排查整改台账.xlsx", 12)
    before = _count(example_path, "safety_hazard")
    args = ("import", "hazards", str(ledger.path), "--year", "2023", "--db", str(example_path))
    dry = run(*args, "--dry-run", env_dir=tmp_path)
    assert dry.returncode == 0, dry.stdout + dry.stderr
    assert "试导入（--dry-run，未写入）" in dry.stdout and "隐患 12" in dry.stdout
    assert _count(example_path, "safety_hazard") == before
    done = run(*args, env_dir=tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "→ 检查日期" in done.stdout and "→ 隐患描述" in done.stdout
    assert "已导入（批次 1）" in done.stdout
    assert f"新建：检查记录 {ledger.inspections}、隐患 12" in done.stdout
    assert _count(example_path, "safety_hazard") == before + 12
    again = run(*args, env_dir=tmp_path)
    assert again.returncode == 0 and "跳过：隐患 12" in again.stdout, again.stdout
    rejected = run(*args, "--on-duplicate", "reject", env_dir=tmp_path)
    assert rejected.returncode == 1
    assert "有 12 行与已有的隐患重复（--on-duplicate reject）" in rejected.stderr
    assert _count(example_path, "safety_hazard") == before + 12


def test_row_problems_are_listed_at_sheet_row_and_column_and_nothing_is_written(
    example_path: Path, tmp_path: Path
) -> None:
    ledger = petition_ledger(tmp_path / "信访台账.xlsx", 10, bad=True)
    before = _count(example_path, "petition")
    out = run(
        "import", "petitions", str(ledger.path), "--year", "2023", "--db", str(example_path), env_dir=tmp_path
    )
    assert out.returncode == 1, out.stdout + out.stderr
    lines = out.stderr.splitlines()
    assert "信访台账 第5行 第C列（收到日期）：收到日期“2023.2.30”不是有效日期" in lines
    assert "信访台账 第8行 第I列（人数）：公式未计算，请在 WPS 中打开并保存后再导入" in lines
    assert any(line.startswith("信访台账 第6行 第G列（联系电话）：") for line in lines)
    assert "未写入任何数据" in out.stderr
    assert _count(example_path, "petition") == before


def test_a_mapping_file_sets_a_column(example_path: Path, tmp_path: Path) -> None:
    ledger = standard_ledger(tmp_path / "隐患.xlsx", 6)
    mapping = tmp_path / "对应.json"
    # leave the measures column out: the hazards come in without 整改措施
    mapping.write_text(
        json.dumps({"sheets": {"*": {"columns": {"整改措施": None}}}}, ensure_ascii=False), "utf-8"
    )
    out = run(
        "import", "hazards", str(ledger.path), "--year", "2023", "--db", str(example_path),
        "--mapping", str(mapping), env_dir=tmp_path,
    )  # fmt: skip
    assert out.returncode == 0, out.stdout + out.stderr
    assert "“整改措施” → （不导入）" in out.stdout
    with connect_data(example_path) as conn:
        rows = conn.execute(
            "SELECT measures FROM safety_hazard WHERE id IN "
            "(SELECT record_id FROM import_batch_item WHERE table_name = 'safety_hazard')"
        ).fetchall()
    assert len(rows) == 6 and {r[0] for r in rows} == {""}


def test_year_is_created_only_when_the_import_runs(example_path: Path, tmp_path: Path) -> None:
    ledger = standard_ledger(tmp_path / "隐患.xlsx", 4, year=2024)
    args = ("import", "hazards", str(ledger.path), "--year", "2024", "--db", str(example_path))
    dry = run(*args, "--dry-run", env_dir=tmp_path)
    assert dry.returncode == 0, dry.stdout + dry.stderr
    with connect_data(example_path) as conn:
        assert (2024,) not in conn.execute("SELECT year FROM unit_year").fetchall()
    done = run(*args, env_dir=tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "新建2024年度" in done.stdout
    with connect_data(example_path) as conn:
        assert (2024,) in conn.execute("SELECT year FROM unit_year").fetchall()


def test_cannot_run_is_exit_2_with_a_message(example_path: Path, tmp_path: Path) -> None:
    garbage = tmp_path / "台账.xlsx"
    garbage.write_bytes(b"this is not a workbook")
    wps = tmp_path / "台账.et"
    wps.write_bytes(b"\xd0\xcf\x11\xe0 not really")
    db = str(example_path)
    for args, message in (
        (("import", "hazards", str(garbage), "--year", "2023", "--db", db), "错误："),
        (("import", "hazards", str(wps), "--year", "2023", "--db", db), "另存为 .xlsx"),
        (("import", "nonsense", str(garbage), "--year", "2023", "--db", db), "未知的台账类型“nonsense”"),
        (("import", "hazards", str(tmp_path / "没有.xlsx"), "--year", "2023", "--db", db), "找不到文件"),
    ):
        out = run(*args, env_dir=tmp_path)
        assert out.returncode == 2, (args, out.stdout, out.stderr)
        assert message in out.stderr and "Traceback" not in out.stderr


def test_budget_year_mismatch_is_exit_1_unless_forced(example_path: Path, tmp_path: Path) -> None:
    exported = run(
        "export",
        "--year",
        "2023",
        "--out",
        str(tmp_path / "out"),
        "--db",
        str(example_path),
        env_dir=tmp_path,
    )
    assert exported.returncode == 0, exported.stderr
    table = next((tmp_path / "out").rglob("附件2 2023年度部门整体支出绩效自评表.xlsx"))
    args = ("import", "budget", str(table), "--db", str(example_path))
    same = run(*args, "--year", "2023", "--dry-run", env_dir=tmp_path)
    assert same.returncode == 0, same.stdout + same.stderr
    other = run(*args, "--year", "2022", env_dir=tmp_path)
    assert other.returncode == 1
    assert "文件是2023年度的自评表，当前导入到2022年度" in other.stderr
    forced = run(*args, "--year", "2022", "--force-year", env_dir=tmp_path)
    assert forced.returncode == 0, forced.stdout + forced.stderr
    assert "已导入预算绩效自评表到2022年度" in forced.stdout


def test_a_budget_dry_run_into_a_year_the_unit_lacks_writes_nothing(
    example_path: Path, tmp_path: Path
) -> None:
    exported = run(
        "export",
        "--year",
        "2023",
        "--out",
        str(tmp_path / "out"),
        "--db",
        str(example_path),
        env_dir=tmp_path,
    )
    assert exported.returncode == 0, exported.stderr
    table = next((tmp_path / "out").rglob("附件2 2023年度部门整体支出绩效自评表.xlsx"))
    out = run(
        "import",
        "budget",
        str(table),
        "--year",
        "2030",
        "--dry-run",
        "--db",
        str(example_path),
        env_dir=tmp_path,
    )
    assert out.returncode == 1
    assert "单位还没有2030年度" in out.stderr
    with connect_data(example_path) as conn:
        assert (2030,) not in conn.execute("SELECT year FROM unit_year").fetchall()
