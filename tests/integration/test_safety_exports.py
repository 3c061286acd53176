"""The safety ledgers, written from the example data and read back with openpyxl."""

from __future__ import annotations

import threading
from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook

from app.db import Database
from app.errors import TargetLockedError
from app.exports.package import export_year
from app.exports.safety_ledgers import export_atomically, ledger_filename, write_hazard_ledger
from app.registry import Cancelled
from app.services.safety.periods import Period


def _sheet(path: Path):
    return load_workbook(path).active


def _print_setup(ws) -> tuple:
    return (
        ws.page_setup.orientation,
        ws.page_setup.paperSize,
        ws.freeze_panes,
        ws.auto_filter.ref is not None,
    )


def test_the_year_package_has_the_four_ledgers(
    example_db: Database, example_unit_id: int, tmp_path: Path
) -> None:
    keys = {"safety.hazards", "safety.projects", "safety.documents", "safety.statistics"}
    result = export_year(example_db, example_unit_id, 2023, tmp_path, keys=keys)
    names = sorted(p.relative_to(result.folder).as_posix() for p in result.files)
    assert names == [
        "安全监督/2023年度安全监督工作统计表.xlsx",
        "安全监督/2023年度工程项目清单.xlsx",
        "安全监督/2023年度执法文书登记表.xlsx",
        "安全监督/2023年度隐患排查治理台账.xlsx",
    ]
    for path in result.files:
        ws = _sheet(path)
        # A4 landscape, header frozen below the title rows, autofilter on the header row
        assert _print_setup(ws) == ("landscape", 9, "A4", True)
        assert ws.print_title_rows == "$3:$3"

    hazards = _sheet(result.folder / "安全监督/2023年度隐患排查治理台账.xlsx")
    assert hazards["A1"].value == "2023年度隐患排查治理台账"
    assert [c.value for c in hazards[3]][:7] == [
        "序号",
        "项目名称",
        "检查日期",
        "检查类型",
        "隐患描述",
        "隐患类别",
        "等级",
    ]
    # 2080 found in 2023 + the 31 still open from 2022
    assert hazards.max_row == 3 + 2080 + 31
    statuses = [row[12] for row in hazards.iter_rows(min_row=4, values_only=True)]
    assert sum(1 for s in statuses if s.endswith("（逾期）")) == 19
    carried = [
        row[4] for row in hazards.iter_rows(min_row=4, values_only=True) if row[4].endswith("（上期结转）")
    ]
    assert len(carried) == 31

    projects = _sheet(result.folder / "安全监督/2023年度工程项目清单.xlsx")
    assert projects.max_row == 3 + 112 + 1
    total = [c.value for c in projects[projects.max_row]]
    assert total[0] == "合计（112个项目）"
    assert total[7].startswith("=SUBTOTAL(9,H4:H115)")

    documents = _sheet(result.folder / "安全监督/2023年度执法文书登记表.xlsx")
    kinds = [row[1] for row in documents.iter_rows(min_row=4, values_only=True)]
    assert (kinds.count("隐患整改通知书"), kinds.count("停工整改通知书"), kinds.count("红黄牌")) == (
        232,
        45,
        101,
    )

    statistics = _sheet(result.folder / "安全监督/2023年度安全监督工作统计表.xlsx")
    rows = {row[1].strip("　"): row for row in statistics.iter_rows(min_row=4, values_only=True) if row[1]}
    assert rows["检查项目"][2:] == ("次", 825, 610, "同比增长35.2%")
    assert rows["房屋工程总建筑面积"][2:4] == ("万平方米", 285.17)
    assert rows["房屋工程总造价"][3] == 51.53
    assert rows["隐患整改率"][3] == pytest.approx(0.9909)
    assert rows["公开招标中标金额"][3] == pytest.approx(78089.7763)


def test_a_quarter_ledger_and_a_locked_target(
    example_db: Database, example_unit_id: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    q1 = Period.quarter(2023, 1)
    folder = tmp_path / "out"
    target = folder / ledger_filename("hazards", q1)
    assert target.name == "2023年第一季度隐患排查治理台账.xlsx"
    export_atomically(example_db, example_unit_id, "hazards", q1, target)
    assert _sheet(target).max_row == 3 + 49 + 31

    def locked(path, *args, **kwargs):  # what Windows answers while WPS has the file open
        if Path(path) == target:
            raise PermissionError(13, "Permission denied", str(path))
        return real_open(path, *args, **kwargs)

    real_open = open
    monkeypatch.setattr("builtins.open", locked)
    with pytest.raises(TargetLockedError, match="请关闭该文件后重试"):
        export_atomically(example_db, example_unit_id, "documents", q1, target)
    monkeypatch.undo()
    assert _sheet(target)["A1"].value == "2023年第一季度隐患排查治理台账"  # untouched
    assert [p.name for p in folder.iterdir()] == [target.name]  # no temporary file left behind


def test_a_cancelled_ledger_raises(example_db: Database, example_unit_id: int, tmp_path: Path) -> None:
    cancel = threading.Event()
    cancel.set()
    with pytest.raises(Cancelled):
        write_hazard_ledger(
            example_db, example_unit_id, Period.year(2023), tmp_path / "x.xlsx", cancel=cancel
        )


def test_overdue_is_judged_on_the_export_day(
    example_db: Database, example_unit_id: int, tmp_path: Path
) -> None:
    path = tmp_path / "ledger.xlsx"
    write_hazard_ledger(example_db, example_unit_id, Period.year(2023), path, today=date(2023, 12, 31))
    statuses = [row[12] for row in _sheet(path).iter_rows(min_row=4, values_only=True)]
    assert sum(1 for s in statuses if s.endswith("（逾期）")) == 7
