"""The registers' Excel exports, read back; and no personal data in anything the app exports."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from app.db import Database
from app.errors import UserError
from app.exports.package import export_year
from app.exports.registers_petitions import export_ledger_file
from app.models.registers import Petition
from app.services.registers.common import RegisterFilter


def _texts_of(path: Path) -> list[str]:
    """Every cell of every sheet (xlsx), every paragraph, table cell, header and footer (docx)."""
    if path.suffix == ".xlsx":
        book = load_workbook(path, read_only=True)
        texts = [str(v) for ws in book.worksheets for row in ws.iter_rows(values_only=True) for v in row if v]
        book.close()
        return texts
    if path.suffix == ".docx":
        from docx import Document

        document = Document(str(path))
        texts = [p.text for p in document.paragraphs]
        for table in document.tables:
            texts += [cell.text for row in table.rows for cell in row.cells]
        for section in document.sections:
            for part in (
                section.header,
                section.footer,
                section.first_page_header,
                section.first_page_footer,
            ):
                texts += [p.text for p in part.paragraphs]
        return texts
    return []


def _personal_data(db: Database, unit_id: int) -> tuple[set[str], set[str]]:
    with db.session() as s:
        rows = s.execute(select(Petition.phone, Petition.id_number).where(Petition.unit_id == unit_id)).all()
    phones = {p for p, _ in rows if p}
    ids = {i for _, i in rows if i}
    return phones, ids


def _leaks(files: list[Path], phones: set[str], ids: set[str]) -> list[str]:
    found = []
    for path in files:
        for text in _texts_of(path):
            digits = re.sub(r"[\s-]", "", text)
            found += [f"{path.name}: {p}" for p in phones if p in digits]
            found += [f"{path.name}: {i}" for i in ids if i in digits.upper()]
    return found


@pytest.mark.parametrize("year", [2022, 2023])
def test_no_export_of_the_year_holds_an_unmasked_phone_or_id_number(
    example_db: Database, example_unit_id: int, tmp_path: Path, year: int
) -> None:
    phones, ids = _personal_data(example_db, example_unit_id)
    assert len(phones) > 400 and len(ids) > 30  # the example has personal data to leak
    result = export_year(example_db, example_unit_id, year, tmp_path)
    files = [f for f in result.files if f.suffix in (".xlsx", ".docx")]
    assert any(f.name == f"{year}年信访事项登记台账.xlsx" for f in files)
    assert _leaks(files, phones, ids) == []


def test_unmasking_is_explicit_and_only_in_the_register(
    example_db: Database, example_unit_id: int, tmp_path: Path
) -> None:
    phones, ids = _personal_data(example_db, example_unit_id)
    result = export_year(example_db, example_unit_id, 2023, tmp_path, options={"unmask_personal_data": True})
    register = [f for f in result.files if f.name == "2023年信访事项登记台账.xlsx"]
    others = [f for f in result.files if f not in register and f.suffix in (".xlsx", ".docx")]
    assert len(_leaks(register, phones, ids)) > 200  # the scan does see full numbers
    assert _leaks(others, phones, ids) == []


def test_the_register_lists_the_year_with_masked_people(
    example_db: Database, example_unit_id: int, tmp_path: Path
) -> None:
    result = export_year(example_db, example_unit_id, 2023, tmp_path, keys={"petitions.ledger"})
    book = load_workbook(result.files[0])
    ws = book["信访事项登记台账"]
    assert ws["A1"].value == "汨罗市建筑工程服务中心2023年信访事项登记台账"
    assert "共284件" in ws["A2"].value and "已部分隐去" in ws["A2"].value
    header = [c.value for c in ws[3]]
    assert header[:4] == ["序号", "编号", "收到日期", "渠道"] and "办理期限" in header
    rows = list(ws.iter_rows(min_row=4, values_only=True))
    assert len(rows) == 284
    assert rows[0][1] == "XF2023-0001"
    phone_col, id_col = header.index("联系电话"), header.index("身份证号")
    phones = [r[phone_col] for r in rows if r[phone_col]]
    assert phones and all(re.fullmatch(r"1\d\d\*{4}\d{4}", p) for p in phones)
    assert all(re.fullmatch(r"430681\*{8}\d{3}[\dX]", r[id_col]) for r in rows if r[id_col])
    assert ws.print_title_rows == "$3:$3"
    assert ws.page_setup.orientation == "landscape"


def test_the_statistics_table_compares_with_the_year_before(
    example_db: Database, example_unit_id: int, tmp_path: Path
) -> None:
    result = export_year(example_db, example_unit_id, 2023, tmp_path, keys={"petitions.statistics"})
    ws = load_workbook(result.files[0]).active
    table = {row[0]: row[1:] for row in ws.iter_rows(min_row=4, values_only=True) if row[0]}
    assert table["信访事项总数（件）"][:3] == (284, 236, 48)
    assert table["信访事项总数（件）"][3] == pytest.approx(0.2034, abs=1e-4)
    assert table["12345信箱"][:2] == (239, 198)
    assert table["舆情"][:2] == (11, 9)
    assert table["信访"][:2] == (26, 22)
    assert table["市长信箱"][:2] == (8, 7)
    assert table["巡视交办"][:2] == (25, 0)
    assert table["办结率"][:2] == (1, 1)
    assert table["按期办结率"][0] == pytest.approx(0.9894)
    assert table["接待人次"][:2] == (62, 46)
    assert table["　　其中：个访、重复访（人次）"][:2] == (13, 10)
    assert table["　　　　　群访（人次）"][:2] == (49, 36)


def test_the_rectification_ledger_has_the_four_lists(
    example_db: Database, example_unit_id: int, tmp_path: Path
) -> None:
    result = export_year(example_db, example_unit_id, 2023, tmp_path, keys={"rectification.ledger"})
    assert [f.name for f in result.files] == ["工程建设和房地产领域专项巡察反馈问题整改台账.xlsx"]
    book = load_workbook(result.files[0])
    ws = book["整改台账"]
    assert ws["A1"].value == "工程建设和房地产领域专项巡察反馈问题整改台账"
    assert "巡察时间：2022年11月28日至2022年12月30日" in ws["A2"].value
    assert "完成率75%" in ws["A3"].value
    groups = [c.value for c in ws[4] if c.value]
    assert groups == [
        "序号",
        "问题清单",
        "任务清单",
        "时间清单",
        "责任清单",
        "整改状态",
        "完成日期",
        "销号日期",
        "佐证材料",
    ]
    rows = list(ws.iter_rows(min_row=6, values_only=True))
    aspects = [r[0] for r in rows if isinstance(r[0], str)]
    problems = [r for r in rows if isinstance(r[0], int)]
    assert aspects[0].startswith("一、学习贯彻落实") and aspects[0].endswith("（4项）") and len(aspects) == 3
    assert [r[0] for r in problems] == list(range(1, 13))
    assert problems[0][2].startswith("一是以“高质量推进工程建设”") and "\n四是推进" in problems[0][2]
    assert problems[4][7] == "整改中\n（超期）"
    progress = book["整改进度"]
    totals = next(r for r in progress.iter_rows(values_only=True) if r[0] == "合计")
    assert totals[1:6] == (12, 0, 3, 6, 3) and totals[6] == pytest.approx(0.75)
    # nothing to export for 2022: the feedback came in 2023
    with pytest.raises(UserError):
        export_year(example_db, example_unit_id, 2022, tmp_path / "2022", keys={"rectification.ledger"})


def test_exporting_from_the_page_uses_the_filter_and_refuses_a_locked_file(
    example_db: Database, example_unit_id: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "out" / "台账.xlsx"
    flt = RegisterFilter(start=date(2023, 1, 1), end=date(2023, 12, 31), extra={"channel": "来访"})
    assert export_ledger_file(example_db, example_unit_id, flt, target) == 13
    rows = list(load_workbook(target).active.iter_rows(min_row=4, values_only=True))
    assert len(rows) == 13 and {r[3] for r in rows} == {"来访"}

    from app.errors import TargetLockedError
    from app.exports import atomic

    def locked(path: Path) -> None:
        raise TargetLockedError(f"无法写入“{path}”：文件可能正在被 WPS/Excel 打开")

    before = target.read_bytes()
    monkeypatch.setattr(atomic, "ensure_writable", locked)
    with pytest.raises(TargetLockedError):
        export_ledger_file(example_db, example_unit_id, RegisterFilter(), target)
    assert target.read_bytes() == before
    assert [p.name for p in target.parent.iterdir()] == ["台账.xlsx"]  # no staging folder left behind


def test_an_aspect_without_problems_gets_no_heading_in_the_ledger(
    example_db: Database, example_unit_id: int, tmp_path: Path
) -> None:
    from app.services.registers import rectification as rc

    with example_db.session() as s:
        item = rc.list_inspections(s, example_unit_id)[0]
        data = rc.load_inspection(s, item.id)
    data.aspects.append(rc.AspectData("加强干部队伍建设方面"))
    rc.save_inspection(example_db, example_unit_id, data)
    result = export_year(example_db, example_unit_id, 2023, tmp_path, keys={"rectification.ledger"})
    book = load_workbook(result.files[0])
    rows = list(book["整改台账"].iter_rows(min_row=6, values_only=True))
    headings = [r[0] for r in rows if isinstance(r[0], str)]
    assert len(headings) == 3 and not any("（0项）" in h for h in headings)
    assert [h[-4:] for h in headings] == ["（4项）", "（5项）", "（3项）"]
    progress = [
        r for r in book["整改进度"].iter_rows(values_only=True) if str(r[0]).endswith("加强干部队伍建设方面")
    ]
    assert progress and progress[0][1] == 0  # the progress sheet still counts it, with its 0
