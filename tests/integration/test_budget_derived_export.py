"""One source of truth: the department's 年度资金总额 in 附件2 and in the Word 自评报告 is 基本支出 +
the projects, so a project's change reaches both without the clerk retyping the total."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import docx
import openpyxl

from app.db import Database
from app.exports.package import export_year
from app.services.budget.data import load_year, save_year

D = Decimal


def department_row(path: Path) -> list:
    ws = openpyxl.load_workbook(path).active
    [row] = [r for r in ws.iter_rows(values_only=True) if r[1] == "年度资金总额"]
    return list(row[3:9])


def report_text(path: Path) -> str:
    document = docx.Document(str(path))
    return "\n".join(p.text for p in document.paragraphs)


def test_a_project_s_execution_reaches_the_department_table_and_report(
    example_db: Database, example_unit_id: int, tmp_path: Path
) -> None:
    keys = {"budget.tables", "reports.dept_self_eval"}
    before = {
        p.name: p for p in export_year(example_db, example_unit_id, 2023, tmp_path / "a", keys=keys).files
    }
    annex = "附件2 2023年度部门整体支出绩效自评表.xlsx"
    report = "2023年度部门整体支出绩效自评报告.docx"
    assert department_row(before[annex]) == [801.08, 951.9, 951.9, 10, 1, 10]
    assert "全年预算数951.90万元，全年执行数951.90万元，预算执行率100.00%" in report_text(before[report])
    # WHEN 工作经费 is found to have spent 330.00 (not 334.73) and only that is changed
    with example_db.session() as s:
        data = load_year(s, example_unit_id, 2023)
    work = data.project_named("工作经费")
    assert work is not None
    work.current.executed = D("330.00")
    data.income_general = D("881.21")  # the 决算's split, typed: 881.21 + 65.96 = 947.17
    save_year(example_db, example_unit_id, 2023, data)
    after = {
        p.name: p for p in export_year(example_db, example_unit_id, 2023, tmp_path / "b", keys=keys).files
    }
    # THEN 全年执行数 = 592.17 + 20 + 5 + 330 = 947.17 in both; 执行率 947.17 / 951.90 = 99.50%
    assert department_row(after[annex])[:3] == [801.08, 951.9, 947.17]
    assert department_row(after[annex])[4:] == [0.995, 9.95]
    assert "全年预算数951.90万元，全年执行数947.17万元，预算执行率99.50%" in report_text(after[report])
