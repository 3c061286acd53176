"""How the Word tables print (issue: document fidelity): heading rows repeated on every page, rows
never split, titles kept with their tables, column widths from the text, no near-empty last page of
an annex; and the 成文日期 / 填报日期 written from the date the user chose (default: the export date)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from docx import Document
from docx.oxml.ns import qn

from app.exports import docx_page_fill
from app.exports import docx_spec as spec
from app.exports.docx_budget_tables import budget_annexes
from app.exports.docx_writer import BLANK_DATE, Table
from app.services.budget.compute import build_tables, fill_date_text
from app.services.budget.data import BudgetYearData, budget_year_row, load_year, save_year
from app.services.reports.prose import ReportEdits, ReportSettings, document_date, load_settings, save_report
from tests.conftest import exported_example

DEPT = "2023年度部门整体支出绩效自评报告.docx"
TWIPS_PER_MM = 1440 / 25.4


@pytest.fixture(scope="module")
def dept(example_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator:
    keys = {"reports.dept_self_eval"}
    with exported_example(example_template, tmp_path_factory.mktemp("print"), keys) as files:
        yield Document(str(files[DEPT]))


def _row_texts(tr) -> list[str]:
    return ["".join(t.text or "" for t in tc.iter(qn("w:t"))) for tc in tr.findall(qn("w:tc"))]


def _indicator_tables(document) -> list:
    return [t._tbl for t in document.tables if "三级指标" in _row_texts(t._tbl.findall(qn("w:tr"))[0])]


def test_indicator_headings_repeat_on_every_page_and_no_row_splits(dept) -> None:
    tables = _indicator_tables(dept)
    # 附件2 and the three 项目 tables, each cut once where its last page would be near-empty
    assert len(tables) >= 4
    for tbl in tables:
        rows = tbl.findall(qn("w:tr"))
        assert _row_texts(rows[0])[:4] == ["绩效指标", "一级指标", "二级指标", "三级指标"]
        assert rows[0].find(f"{qn('w:trPr')}/{qn('w:tblHeader')}") is not None
        assert all(r.find(f"{qn('w:trPr')}/{qn('w:tblHeader')}") is None for r in rows[1:])
        assert rows[0].find(f".//{qn('w:keepNext')}") is not None  # never alone at a page's foot
    for table in dept.tables:
        for tr in table._tbl.findall(qn("w:tr")):
            assert tr.find(f"{qn('w:trPr')}/{qn('w:cantSplit')}") is not None


def test_annex_titles_keep_with_their_tables(dept) -> None:
    body = list(dept.element.body)
    label_id = dept.styles[spec.ANNEX_LABEL].style_id
    labels = [
        i
        for i, el in enumerate(body)
        if el.tag == qn("w:p")
        and el.find(f"{qn('w:pPr')}/{qn('w:pStyle')}") is not None
        and el.find(f"{qn('w:pPr')}/{qn('w:pStyle')}").get(qn("w:val")) == label_id
    ]
    assert len(labels) == 8
    for start in labels:
        first_table = next(i for i in range(start, len(body)) if body[i].tag == qn("w:tbl"))
        for el in body[start + 1 : first_table]:  # blank line, title, blank line, 填报单位 note
            assert el.find(f"{qn('w:pPr')}/{qn('w:keepNext')}") is not None


def test_column_widths_come_from_the_text(dept) -> None:
    for table in dept.tables:
        grid = [int(c.get(qn("w:w"))) / TWIPS_PER_MM for c in table._tbl.tblGrid.findall(qn("w:gridCol"))]
        assert sum(grid) <= 156.1
    [first, *_] = _indicator_tables(dept)
    grid = [
        int(c.get(qn("w:w"))) / TWIPS_PER_MM for c in first.find(qn("w:tblGrid")).findall(qn("w:gridCol"))
    ]
    # 三级指标 takes seven characters of 五号 a line (the fixed widths gave it 4½), the 指标值 columns
    # six ("无较重大及以上质量安全事故" in 3 lines, not 4), while 分值 stays narrow
    char_mm = 10.5 * 25.4 / 72
    assert grid[3] >= 7 * char_mm + 2
    assert grid[4] >= 6 * char_mm + 2 and grid[5] >= 6 * char_mm + 2
    assert grid[6] < 3 * char_mm + 3


def test_a_near_empty_last_page_is_avoided_by_cutting_the_table_earlier(
    dept, example_db, example_unit_id
) -> None:
    with example_db.session() as session:
        tables = build_tables(session, example_unit_id, 2023)
    annexes = budget_annexes(tables, None, None)
    department = annexes[1]
    pages, fill, _ = docx_page_fill._flow(department, list(department.blocks), 10.5)
    assert pages > 1 and fill < docx_page_fill.NEAR_EMPTY * docx_page_fill.PAGE_MM  # 总分 + 填表人 alone
    blocks = docx_page_fill.keep_tails(department, 21)
    *_, before, after = [b for b in blocks if isinstance(b, Table)]
    assert before.page_break_after and not after.page_break_after
    assert after.rows[0] == before.rows[0]  # the tail's page starts with the heading row
    tail = sum(docx_page_fill.row_heights(after.rows, after.widths_mm, 10.5))
    assert tail >= docx_page_fill.NEAR_EMPTY * docx_page_fill.PAGE_MM
    # in the document: a page break between the two parts of the table, and nowhere inside a table
    body = list(dept.element.body)
    breaks = [
        i
        for i, el in enumerate(body)
        if el.tag == qn("w:p") and el.find(f"{qn('w:pPr')}/{qn('w:pageBreakBefore')}") is not None
    ]
    cut = [i for i in breaks if body[i - 1].tag == qn("w:tbl") and body[i + 1].tag == qn("w:tbl")]
    assert len(cut) >= 1


# -- dates ---------------------------------------------------------------------------------------------


def test_the_document_date_is_the_one_set_else_the_export_date_unless_left_blank(monkeypatch) -> None:
    monkeypatch.setenv("ZJTB_TODAY", "2024-01-20")
    assert document_date(ReportSettings()) == date(2024, 1, 20)
    assert document_date(ReportSettings(sign_date=date(2024, 3, 1))) == date(2024, 3, 1)
    assert document_date(ReportSettings(date_blank=True)) is None
    assert fill_date_text(BudgetYearData()) == "2024年1月20日"
    assert fill_date_text(BudgetYearData(fill_date=date(2024, 1, 5))) == "2024年1月5日"
    assert fill_date_text(BudgetYearData(fill_date_blank=True)) == ""
    monkeypatch.setenv("ZJTB_TODAY", "not a date")
    assert document_date(ReportSettings()) == date.today()


def test_date_choices_are_stored_per_report_and_year(example_db, example_unit_id) -> None:
    key = "safety_self_check"
    save_report(
        example_db, example_unit_id, 2023, key, "", ReportEdits(settings=ReportSettings(date_blank=True))
    )
    with example_db.session() as s:
        settings = load_settings(s, example_unit_id, 2023, key, "")
        assert settings.date_blank and settings.sign_date is None
        assert not load_settings(s, example_unit_id, 2022, key, "").date_blank
        data = load_year(s, example_unit_id, 2023)
    data.fill_date_blank = True
    save_year(example_db, example_unit_id, 2023, data)
    with example_db.session() as s:
        assert budget_year_row(s, example_unit_id, 2023).fill_date_blank
        from app.services.run_cache import run_cache

        with run_cache():
            tables = build_tables(s, example_unit_id, 2023)
    assert tables.department.footer.date == ""
    assert BLANK_DATE == "　　年　　月　　日"
