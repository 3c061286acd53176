"""The exported workbooks, read back with openpyxl: seed 003's figures in the right cells, as numbers."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from app.cli import build_parser, run_command
from app.db import Database
from app.errors import TargetLockedError
from app.exports.package import export_year


@pytest.fixture
def exported(example_db: Database, example_unit_id: int, tmp_path: Path) -> dict[str, Path]:
    result = export_year(example_db, example_unit_id, 2023, tmp_path / "out", keys={"budget.tables"})
    return {path.name: path for path in result.files}


def sheet(files: dict[str, Path], fragment: str):
    [path] = [p for name, p in files.items() if fragment in name]
    return openpyxl.load_workbook(path).active


def row_of(ws, label: str, column: int | None = None) -> int:
    for row in ws.iter_rows():
        for cell in row:
            wanted = column is None or cell.column == column
            if wanted and isinstance(cell.value, str) and cell.value.replace("\n", "").strip() == label:
                return cell.row
    raise AssertionError(f"no row labelled {label}")


def values(ws, row: int, first: str, last: str) -> list:
    return [c.value for c in ws[f"{first}{row}" : f"{last}{row}"][0]]


def test_the_files_of_the_year(exported: dict[str, Path]) -> None:
    assert sorted(exported) == [
        "附件1 2023年度部门整体支出绩效评价基础数据表.xlsx",
        "附件2 2023年度部门整体支出绩效自评表.xlsx",
        "附件3-1 2023年度项目支出绩效自评表（质量安全监督管理专项）.xlsx",
        "附件3-2 2023年度项目支出绩效自评表（招投标监督管理专项）.xlsx",
        "附件3-3 2023年度项目支出绩效自评表（工作经费）.xlsx",
    ]
    assert all(p.parent.name == "预算绩效" for p in exported.values())


def test_base_data_table(exported: dict[str, Path]) -> None:
    ws = sheet(exported, "基础数据表")
    assert ws["A1"].value == "2023年度部门整体支出绩效评价基础数据表"
    staff = row_of(ws, "财政供养人员情况(人)") + 1
    assert values(ws, staff, "B", "F")[::2] == [61, 59, 0.9672]
    assert ws[f"F{staff}"].number_format == "0.00%"
    special = row_of(ws, "3、县级专项资金(一个专项一行)")
    assert values(ws, special, "B", "F")[::2] == [12.52, 350, 359.73]
    assert values(ws, row_of(ws, "质量安全监督管理专项"), "B", "F")[::2] == [None, 20, 20]
    assert values(ws, row_of(ws, "招投标监督管理专项"), "B", "F")[::2] == [None, 5, 5]
    assert values(ws, row_of(ws, "智慧平台服务及专用检测费"), "B", "F")[::2] == [12.52, None, None]
    assert values(ws, row_of(ws, "3、公务接待"), "B", "F")[::2] == [0.12, 5.8, 0]
    assert values(ws, row_of(ws, "公用经费"), "B", "F")[::2] == [None, None, 19.56]
    assert values(ws, row_of(ws, "其中：办公经费"), "B", "F")[::2] == [4.09, 6.96, 7.88]
    assert values(ws, row_of(ws, "政府采购金额"), "B", "F")[::2] == [59.7, 37.25, 59.7]
    assert ws[f"B{special}"].number_format == "0.00"
    thrift = row_of(ws, "厉行节约保障措施")
    assert ws[f"B{thrift}"].value.startswith("严格控制各项支出")
    footer = [c.value for c in ws["A"] if isinstance(c.value, str) and c.value.startswith("填表人")]
    assert footer and "联系电话：13907305668" in footer[0] and "单位负责人签字：周建平" in footer[0]


def test_department_table(exported: dict[str, Path]) -> None:
    ws = sheet(exported, "部门整体支出绩效自评表")
    assert ws["A1"].value == "2023年度部门整体支出绩效自评表"
    total = row_of(ws, "年度资金总额")
    assert values(ws, total, "D", "I") == [801.08, 951.9, 951.9, 10, 1, 10]
    assert [ws[f"{c}{total}"].number_format for c in "DH"] == ["0.00", "0.00%"]
    assert ws[f"E{row_of(ws, '其中：一般公共预算')}"].value == 885.94
    assert ws[f"E{row_of(ws, '其他资金')}"].value == 65.96
    assert ws[f"I{row_of(ws, '其中：基本支出')}"].value == 592.17
    assert ws[f"I{row_of(ws, '项目支出')}"].value == 359.73
    acceptance = row_of(ws, "办理项目竣工验收率")
    assert values(ws, acceptance, "E", "I") == [
        "60个",
        "27个",
        1,
        0.5,
        "根据市场实际情况，全年只有27个项目，已全部办理竣工验收",
    ]
    first = row_of(ws, "工程建设监管执法率")
    assert values(ws, first, "E", "F") == [1, 1] and ws[f"E{first}"].number_format == "0%"  # "100%"
    score_row = row_of(ws, "总分")
    assert values(ws, score_row, "G", "I") == [100, 99.5, "评价等级：优"]
    assert ws[f"B{row_of(ws, '产出指标(30分)')}"].value == "产出指标\n(30分)"
    merged = {str(r) for r in ws.merged_cells.ranges}
    first, last = row_of(ws, "工程建设监管执法率"), row_of(ws, "按计划时间完成")
    assert f"B{first}:B{last}" in merged  # 产出指标 spans its rows
    assert ws[f"D{first}"].font.name == "宋体"


def test_project_tables(exported: dict[str, Path]) -> None:
    expected = {
        "质量安全监督管理专项": ([20, 20, 20, 10, 1, 10], 100),
        "招投标监督管理专项": ([5, 5, 5, 10, 1, 10], 100),
        "工作经费": ([325, 334.74, 334.73, 10, 1, 10], 99.5),
    }
    for name, (funds, total) in expected.items():
        ws = sheet(exported, f"（{name}）")
        assert ws[f"C{row_of(ws, '项目支出名称')}"].value == name
        assert values(ws, row_of(ws, "年度资金总额"), "D", "I") == funds
        assert values(ws, row_of(ws, "其中：当年财政拨款"), "D", "F") == funds[:3]
        assert values(ws, row_of(ws, "上年结转资金"), "D", "F") == [0, 0, 0]
        assert values(ws, row_of(ws, "总分"), "G", "H") == [100, total]
    work = sheet(exported, "（工作经费）")
    assert work[f"B{row_of(work, '效益指标(40分)')}"].value == "效益指标\n(40分)"
    assert work[f"B{row_of(work, '成本指标(10分)')}"].value == "成本指标\n(10分)"
    assert sum(1 for c in work["D"] if c.value == "不适用") == 2
    assert any(str(c.value).startswith("备注：一个一级项目支出一张表") for c in work["A"])


def test_print_setup_is_a4_on_one_page(exported: dict[str, Path]) -> None:
    # The repeated heading rows and the rest: tests/integration/test_xlsx_print_settings.py.
    for path in exported.values():
        ws = openpyxl.load_workbook(path).active
        assert ws.page_setup.paperSize == 9
        assert ws.page_setup.orientation == "portrait"
        assert ws.sheet_properties.pageSetUpPr.fitToPage
        assert ws.page_setup.fitToWidth in (None, 1)  # 1 is the default, left out of the file
        assert ws.page_setup.fitToHeight in (None, 1)  # one page tall, as the seed prints them
        assert ws.print_title_rows != "$1:$1"  # the column headings, not only the title
        assert ws.print_options.gridLines is not True
        assert all(ws.column_dimensions[c].width for c in "ABCDEFG")


def test_numbers_are_never_text(exported: dict[str, Path]) -> None:
    import re

    number = re.compile(r"^-?\d+(\.\d+)?%?$")
    for path in exported.values():
        ws = openpyxl.load_workbook(path).active
        texts = [
            c.coordinate
            for row in ws.iter_rows()
            for c in row
            if isinstance(c.value, str) and number.match(c.value)
        ]
        assert texts == [], path.name


def test_export_command_writes_the_tables(example_path: Path, tmp_path: Path, capsys) -> None:
    from app.example_data import EXAMPLE_UNIT_NAME

    args = build_parser().parse_args(
        ["export", "--year", "2023", "--out", str(tmp_path), "--db", str(example_path)]
    )
    assert run_command(args) == 0
    folder = tmp_path / f"{EXAMPLE_UNIT_NAME}2023年度填报材料" / "预算绩效"
    assert len(list(folder.glob("*.xlsx"))) == 5
    assert "预算绩效自评表格" in capsys.readouterr().out


def test_a_target_open_in_wps_is_a_message(
    example_db: Database, example_unit_id: int, tmp_path: Path, monkeypatch
) -> None:
    export_year(example_db, example_unit_id, 2023, tmp_path, keys={"budget.tables"})
    import app.exports.atomic as atomic

    real_open = open

    def locked(path, mode="r", *args, **kwargs):
        if "r+" in mode and str(path).endswith("基础数据表.xlsx"):
            raise PermissionError(13, "Permission denied")
        return real_open(path, mode, *args, **kwargs)

    monkeypatch.setattr(atomic, "open", locked, raising=False)
    with pytest.raises(TargetLockedError, match="WPS/Excel"):
        export_year(example_db, example_unit_id, 2023, tmp_path, keys={"budget.tables"})
